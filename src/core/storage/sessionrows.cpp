// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/sessionrows.h"

#include "common/jsonfields.h"
#include "conversation/setupjson.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace Crosstalk::StoreRows {

using namespace StoreSql;

namespace {

// Before the setup had one JSON form (SetupJson), the store wrote its own: colours as
// `#aarrggbb` or an empty string for none, an empty string for no persona source or model, and
// the budget as flat `budget_tokens` and `budget_cost`. Rows written then are still read; these
// turn such a row's JSON into the one form. A row already in that form passes unchanged.

QJsonValue nullIfEmptyText(const QJsonValue &value)
{
    return value.isString() && value.toString().isEmpty() ? QJsonValue() : value;
}

QJsonObject upgradedParticipant(QJsonObject object)
{
    // The old `#aarrggbb` colours read as they are; only "no colour" was spelt differently.
    for (const QString &key : {u"colour"_s, u"persona_source"_s}) {
        if (object.contains(key)) {
            object.insert(key, nullIfEmptyText(object.value(key)));
        }
    }
    return object;
}

QJsonObject upgradedOptions(QJsonObject object)
{
    if (object.contains(u"budget"_s)) {
        return object;
    }
    const auto take = [&object](const QString &key) {
        const QJsonValue value = object.take(key);
        return value.isUndefined() ? QJsonValue() : value;
    };
    object.insert(u"budget"_s, QJsonObject{{u"tokens"_s, take(u"budget_tokens"_s)},
                                           {u"cost"_s, take(u"budget_cost"_s)}});
    for (const QString &key : {u"summariser_model"_s, u"moderator_model"_s}) {
        if (object.contains(key)) {
            object.insert(key, nullIfEmptyText(object.value(key)));
        }
    }
    return object;
}

void addProblems(const QString &what, const QList<FieldError> &errors, QStringList &problems)
{
    for (const FieldError &error : errors) {
        problems.append(u"%1 %2: %3"_s.arg(what, error.path, error.problem));
    }
}

} // namespace

QList<Participant> participantsFrom(const QJsonArray &array, const QString &what,
                                    QStringList &problems)
{
    QList<Participant> participants;
    QList<FieldError> errors;
    for (qsizetype i = 0; i < array.size(); ++i) {
        participants.append(SetupJson::readParticipant(upgradedParticipant(array.at(i).toObject()),
                                                       elementPath(QString(), i), errors));
    }
    addProblems(what, errors, problems);
    return participants;
}

QString participantsText(const QList<Participant> &participants)
{
    QJsonArray array;
    for (const Participant &participant : participants) {
        array.append(SetupJson::participantToJson(participant));
    }
    return jsonText(array);
}

QString optionsText(const SessionOptions &options)
{
    return jsonText(SetupJson::optionsToJson(options));
}

SessionOptions optionsFrom(const QJsonObject &object, const QString &what, QStringList &problems)
{
    QList<FieldError> errors;
    SessionOptions options = SetupJson::readOptions(upgradedOptions(object), QString(), errors);
    addProblems(what, errors, problems);
    return options;
}

std::optional<QJsonDocument> parseJson(const QVariant &value, const QString &what,
                                       QStringList &problems)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(value.toString().toUtf8(), &error);
    if (error.error != QJsonParseError::NoError) {
        problems.append(u"%1 is not valid JSON: %2"_s.arg(what, error.errorString()));
        return std::nullopt;
    }
    return document;
}

const QString sessionColumns =
    u"id, title, topic, paradigm, rounds, options, participants, status, result_answer, "
    "result_votes, tokens_in, tokens_out, usage_estimated, cost, created_at, updated_at, "
    "forked_from_session, forked_from_message"_s;

Session sessionFrom(const StoreSql::Statement &row, QStringList &problems)
{
    Session session;
    session.id = QUuid(row.value(0).toString());
    const QString what = u"session %1"_s.arg(idText(session.id));
    session.title = row.value(1).toString();
    session.topic = row.value(2).toString();
    session.paradigm = enumFrom<Paradigm>(row.value(3), what + u" paradigm"_s, problems)
                           .value_or(Paradigm::Memory);
    session.rounds = row.value(4).toInt();
    if (const auto options = parseJson(row.value(5), what + u" options"_s, problems)) {
        session.options = optionsFrom(options->object(), what + u" options"_s, problems);
    }
    if (const auto participants = parseJson(row.value(6), what + u" participants"_s, problems)) {
        session.participants =
            participantsFrom(participants->array(), what + u" participants"_s, problems);
    }
    session.status = enumFrom<SessionStatus>(row.value(7), what + u" status"_s, problems)
                         .value_or(SessionStatus::Configured);
    if (!row.value(8).isNull()) {
        session.result = Result{row.value(8).toString(), row.value(9).toInt()};
    }
    session.usage = Usage{row.value(10).toLongLong(), row.value(11).toLongLong(),
                          row.value(12).toBool(), row.value(13).toDouble()};
    session.createdAt = timeFrom(row.value(14));
    session.updatedAt = timeFrom(row.value(15));
    if (!row.value(16).isNull()) {
        session.forkedFrom =
            ForkOrigin{QUuid(row.value(16).toString()), QUuid(row.value(17).toString())};
    }
    return session;
}

const QString messageColumns =
    u"id, session_id, seq, round, speaker, recipients, type, content, answer, confidence, "
    "model_alias, model_id, model_kind, tokens_in, tokens_out, usage_estimated, cost, ttft_ms, "
    "duration_ms, status, error, request, created_at, edited_at, original_content"_s;

Message messageFrom(const StoreSql::Statement &row, QStringList &problems)
{
    Message message;
    message.id = QUuid(row.value(0).toString());
    const QString what = u"message %1"_s.arg(idText(message.id));
    message.sessionId = QUuid(row.value(1).toString());
    message.seq = row.value(2).toInt();
    message.round = row.value(3).toInt();
    message.speaker = row.value(4).toString();
    if (const auto recipients = parseJson(row.value(5), what + u" recipients"_s, problems)) {
        for (const QJsonValue &recipient : recipients->array()) {
            message.recipients.append(recipient.toString());
        }
    }
    message.type = enumFrom<MessageType>(row.value(6), what + u" type"_s, problems)
                       .value_or(MessageType::Exchange);
    message.content = row.value(7).toString();
    if (!row.value(8).isNull()) {
        message.answer = row.value(8).toString();
    }
    if (!row.value(9).isNull()) {
        message.confidence = row.value(9).toDouble();
    }
    if (!row.value(12).isNull()) {
        message.model = ModelRef{row.value(10).toString(), row.value(11).toString(),
                                 enumFrom<ApiKind>(row.value(12), what + u" model kind"_s, problems)
                                     .value_or(ApiKind::OpenAI)};
    }
    message.usage = Usage{row.value(13).toLongLong(), row.value(14).toLongLong(),
                          row.value(15).toBool(), row.value(16).toDouble()};
    if (!row.value(17).isNull()) {
        message.ttftMs = row.value(17).toLongLong();
    }
    if (!row.value(18).isNull()) {
        message.durationMs = row.value(18).toLongLong();
    }
    message.status = enumFrom<MessageStatus>(row.value(19), what + u" status"_s, problems)
                         .value_or(MessageStatus::Complete);
    message.error = row.value(20).toString();
    // NULL where the request was not read (Requests::Skip).
    if (!row.value(21).isNull()) {
        if (const auto request = parseJson(row.value(21), what + u" request"_s, problems)) {
            message.request = request->object();
        }
    }
    message.createdAt = timeFrom(row.value(22));
    if (!row.value(23).isNull()) {
        message.editedAt = timeFrom(row.value(23));
        message.originalContent = row.value(24).toString();
    }
    return message;
}

Error unreadable(const QString &what, const QStringList &problems)
{
    return failure(what, u"stored data is damaged: "_s + problems.join(u"; "_s));
}

StoreResult<QList<Message>> readMessages(const QSqlDatabase &db, const QUuid &sessionId, int offset,
                                         int limit, Requests requests)
{
    const QString what = u"loading the messages of session %1"_s.arg(idText(sessionId));
    static const QString withoutRequest =
        QString(messageColumns).replace(u", request,"_s, u", NULL,"_s);
    Statement query(db, u"SELECT "_s +
                            (requests == Requests::Read ? messageColumns : withoutRequest) +
                            u" FROM messages WHERE session_id = :session ORDER BY seq "
                            "LIMIT :limit OFFSET :offset"_s);
    query.bind(u":session"_s, idText(sessionId))
        .bind(u":limit"_s, limit)
        .bind(u":offset"_s, offset);
    if (!query.exec()) {
        return failure(what, query.error());
    }
    QList<Message> messages;
    QStringList problems;
    while (query.next()) {
        messages.append(messageFrom(query, problems));
    }
    if (!problems.isEmpty()) {
        return unreadable(what, problems);
    }
    return messages;
}

bool sessionExists(const QSqlDatabase &db, const QUuid &sessionId, QSqlError *error)
{
    Statement query(db, u"SELECT 1 FROM sessions WHERE id = :id"_s);
    query.bind(u":id"_s, idText(sessionId));
    if (!query.exec()) {
        *error = query.error();
        return false;
    }
    return query.next();
}

Error sessionNotFound(const QUuid &sessionId)
{
    return storeError(ErrorCode::NotFound,
                      u"No session with id %1 in the store."_s.arg(idText(sessionId)));
}

} // namespace Crosstalk::StoreRows
