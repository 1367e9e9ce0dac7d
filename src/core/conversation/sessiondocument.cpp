// SPDX-License-Identifier: GPL-3.0-or-later
#include "conversation/sessiondocument.h"

#include "common/jsonfields.h"
#include "conversation/setupjson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QSet>

#include <limits>

using namespace Qt::StringLiterals;

namespace Crosstalk::SessionDocument {

namespace {

constexpr qint64 unbounded = std::numeric_limits<qint64>::max();
constexpr double unboundedNumber = std::numeric_limits<double>::infinity();
using SetupJson::maxNameLength;

QString uuidText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces);
}

// --- writing -----------------------------------------------------------------------------

QJsonObject usageToJson(const Usage &usage)
{
    return {
        {u"tokens_in"_s, usage.tokensIn},
        {u"tokens_out"_s, usage.tokensOut},
        {u"usage_estimated"_s, usage.estimated},
        {u"cost"_s, usage.cost},
    };
}

QJsonObject modelToJson(const ModelRef &model)
{
    return {
        {u"alias"_s, model.alias},
        {u"model_id"_s, model.modelId},
        {u"kind"_s, enumToString(model.kind)},
        {u"label"_s, model.label()},
    };
}

// --- reading -----------------------------------------------------------------------------

Usage readUsage(const QJsonObject &object, const QString &path, QList<FieldError> &errors)
{
    JsonFields fields(object, path, errors);
    Usage usage;
    usage.tokensIn = fields.integer("tokens_in"_L1, 0, unbounded).value_or(0);
    usage.tokensOut = fields.integer("tokens_out"_L1, 0, unbounded).value_or(0);
    usage.estimated = fields.boolean("usage_estimated"_L1).value_or(false);
    usage.cost = fields.number("cost"_L1, 0.0, unboundedNumber).value_or(0.0);
    fields.rejectUnknownKeys();
    return usage;
}

ModelRef readModel(const QJsonObject &object, const QString &path, QList<FieldError> &errors)
{
    JsonFields fields(object, path, errors);
    ModelRef model;
    model.alias =
        fields.string("alias"_L1, Presence::Required, 1, maxNameLength).value_or(QString());
    model.modelId = fields.string("model_id"_L1).value_or(QString());
    model.kind = fields.enumeration<ApiKind>("kind"_L1).value_or(ApiKind::OpenAI);
    // The label is derived from the other fields; it is written for readers of the JSON only.
    fields.string("label"_L1, Presence::Nullable);
    fields.rejectUnknownKeys();
    return model;
}

Message readMessage(const QJsonObject &object, const QString &path, QList<FieldError> &errors)
{
    JsonFields fields(object, path, errors);
    Message message;
    message.id = fields.uuid("id"_L1).value_or(QUuid());
    message.sessionId = fields.uuid("session_id"_L1).value_or(QUuid());
    message.seq = int(fields.integer("seq"_L1, 0, std::numeric_limits<int>::max()).value_or(0));
    message.round = int(fields.integer("round"_L1, 0, std::numeric_limits<int>::max()).value_or(0));
    message.speaker =
        fields.string("speaker"_L1, Presence::Required, 1, maxNameLength).value_or(QString());
    message.recipients = fields.stringList("recipients"_L1).value_or(QStringList());
    message.type = fields.enumeration<MessageType>("type"_L1).value_or(MessageType::Exchange);
    message.content = fields.string("content"_L1).value_or(QString());
    message.answer = fields.string("answer"_L1, Presence::Nullable);
    message.confidence = fields.number("confidence"_L1, 0.0, 1.0, Presence::Nullable);
    if (const auto model = fields.object("model"_L1, Presence::Nullable)) {
        message.model = readModel(*model, fields.pathOf(u"model"), errors);
    }
    if (const auto usage = fields.object("usage"_L1)) {
        message.usage = readUsage(*usage, fields.pathOf(u"usage"), errors);
    }
    message.ttftMs = fields.integer("ttft_ms"_L1, 0, unbounded, Presence::Nullable);
    message.durationMs = fields.integer("duration_ms"_L1, 0, unbounded, Presence::Nullable);
    message.status =
        fields.enumeration<MessageStatus>("status"_L1).value_or(MessageStatus::Complete);
    message.error = fields.string("error"_L1, Presence::Nullable).value_or(QString());
    message.request = fields.object("request"_L1, Presence::Nullable).value_or(QJsonObject());
    message.createdAt = fields.dateTime("created_at"_L1).value_or(QDateTime());
    message.editedAt = fields.dateTime("edited_at"_L1, Presence::Nullable).value_or(QDateTime());
    const std::optional<QString> original =
        fields.string("original_content"_L1, Presence::Nullable);
    message.originalContent = original.value_or(QString());
    if (message.isEdited() != original.has_value()) {
        fields.fail(message.isEdited() ? u"original_content" : u"edited_at",
                    u"must be given with %1"_s.arg(message.isEdited() ? u"edited_at"_s
                                                                      : u"original_content"_s));
    }
    fields.rejectUnknownKeys();
    return message;
}

// What ties the parts of a session together. Checked only once every part has the right
// shape, so that one wrong field does not cascade into a list of follow-on complaints.
void checkConsistency(const Session &session, QList<FieldError> &errors)
{
    const QStringList reserved{Message::humanSpeaker, Message::moderatorSpeaker};
    QSet<QString> names;
    for (qsizetype i = 0; i < session.participants.size(); ++i) {
        const QString &name = session.participants.at(i).name;
        const QString path = elementPath(u"participants"_s, i) + u".name"_s;
        if (reserved.contains(name)) {
            errors.append({path, u"\"%1\" is reserved"_s.arg(name)});
        } else if (names.contains(name)) {
            errors.append({path, u"must be unique"_s});
        }
        names.insert(name);
    }

    if (session.result && !session.options.answerMode) {
        errors.append({u"result"_s, u"must be null outside answer mode"_s});
    }
    if (session.updatedAt < session.createdAt) {
        errors.append({u"updated_at"_s, u"must not be before created_at"_s});
    }

    QSet<QUuid> ids;
    for (qsizetype i = 0; i < session.messages.size(); ++i) {
        const Message &message = session.messages.at(i);
        const QString path = elementPath(u"messages"_s, i);
        const auto fail = [&errors, &path](const QString &key, const QString &problem) {
            errors.append({path + u'.' + key, problem});
        };
        if (ids.contains(message.id)) {
            fail(u"id"_s, u"must be unique"_s);
        }
        ids.insert(message.id);
        if (message.sessionId != session.id) {
            fail(u"session_id"_s, u"must be the session's id"_s);
        }
        if (i > 0 && message.seq <= session.messages.at(i - 1).seq) {
            fail(u"seq"_s, u"must be greater than the previous message's"_s);
        }
        if (message.round >= session.rounds) {
            fail(u"round"_s, u"must be less than rounds (%1)"_s.arg(session.rounds));
        }
        const bool fromHuman = message.speaker == Message::humanSpeaker;
        const bool fromModerator = message.speaker == Message::moderatorSpeaker;
        if (!fromHuman && !fromModerator && !names.contains(message.speaker)) {
            fail(u"speaker"_s, u"\"%1\" is not a participant"_s.arg(message.speaker));
        }
        if (fromHuman != (message.type == MessageType::Human)) {
            fail(u"type"_s, u"must be \"human\" exactly when the speaker is \"human\""_s);
        }
        if (fromModerator != (message.type == MessageType::Moderator)) {
            fail(u"type"_s, u"must be \"moderator\" exactly when the speaker is \"moderator\""_s);
        }
        for (qsizetype r = 0; r < message.recipients.size(); ++r) {
            if (!names.contains(message.recipients.at(r))) {
                errors.append({elementPath(path + u".recipients"_s, r),
                               u"\"%1\" is not a participant"_s.arg(message.recipients.at(r))});
            }
        }
        if (!session.options.answerMode && message.answer) {
            fail(u"answer"_s, u"must be null outside answer mode"_s);
        }
        if (!session.options.answerMode && message.confidence) {
            fail(u"confidence"_s, u"must be null outside answer mode"_s);
        }
    }
}

} // namespace

QJsonObject messageToJson(const Message &message)
{
    QJsonObject object{
        {u"id"_s, uuidText(message.id)},
        {u"session_id"_s, uuidText(message.sessionId)},
        {u"seq"_s, message.seq},
        {u"round"_s, message.round},
        {u"speaker"_s, message.speaker},
        {u"recipients"_s, QJsonArray::fromStringList(message.recipients)},
        {u"type"_s, enumToString(message.type)},
        {u"content"_s, message.content},
        {u"answer"_s, nullIfAbsent(message.answer)},
        {u"confidence"_s, nullIfAbsent(message.confidence)},
        {u"model"_s, message.model ? QJsonValue(modelToJson(*message.model)) : QJsonValue()},
        {u"usage"_s, usageToJson(message.usage)},
        {u"ttft_ms"_s, nullIfAbsent(message.ttftMs)},
        {u"duration_ms"_s, nullIfAbsent(message.durationMs)},
        {u"status"_s, enumToString(message.status)},
        {u"error"_s, nullIfEmpty(message.error)},
        {u"request"_s, message.request.isEmpty() ? QJsonValue() : QJsonValue(message.request)},
        {u"created_at"_s, jsonTime(message.createdAt)},
    };
    // Version 2 keys, absent when unused.
    if (message.isEdited()) {
        object.insert(u"edited_at"_s, jsonTime(message.editedAt));
        object.insert(u"original_content"_s, message.originalContent);
    }
    return object;
}

Parsed<Message> messageFromJson(const QJsonObject &object, const QString &path)
{
    QList<FieldError> errors;
    Message message = readMessage(object, path, errors);
    if (!errors.isEmpty()) {
        return {std::nullopt, errors};
    }
    return {message, {}};
}

QJsonObject toJson(const Session &session)
{
    QJsonArray participants;
    for (const Participant &participant : session.participants) {
        participants.append(SetupJson::participantToJson(participant));
    }
    QJsonArray messages;
    for (const Message &message : session.messages) {
        messages.append(messageToJson(message));
    }
    const QJsonValue result = session.result
                                  ? QJsonValue(QJsonObject{{u"answer"_s, session.result->answer},
                                                           {u"votes"_s, session.result->votes}})
                                  : QJsonValue();
    QJsonObject document{
        {u"format_version"_s, formatVersion},
        {u"id"_s, uuidText(session.id)},
        {u"title"_s, nullIfEmpty(session.title)},
        {u"topic"_s, session.topic},
        {u"paradigm"_s, enumToString(session.paradigm)},
        {u"rounds"_s, session.rounds},
        {u"options"_s, SetupJson::optionsToJson(session.options)},
        {u"participants"_s, participants},
        {u"status"_s, enumToString(session.status)},
        {u"result"_s, result},
        {u"usage"_s, usageToJson(session.usage)},
        {u"created_at"_s, jsonTime(session.createdAt)},
        {u"updated_at"_s, jsonTime(session.updatedAt)},
        {u"messages"_s, messages},
    };
    if (session.forkedFrom) {
        document.insert(u"forked_from"_s,
                        QJsonObject{{u"session_id"_s, uuidText(session.forkedFrom->sessionId)},
                                    {u"message_id"_s, uuidText(session.forkedFrom->messageId)}});
    }
    return document;
}

QByteArray write(const Session &session)
{
    return QJsonDocument(toJson(session)).toJson(QJsonDocument::Indented);
}

Parsed<Session> fromJson(const QJsonObject &document)
{
    QList<FieldError> errors;
    JsonFields fields(document, QString(), errors);

    const std::optional<qint64> version = fields.integer("format_version"_L1, 1, unbounded);
    if (!version) {
        return {std::nullopt, errors};
    }
    if (*version > formatVersion) {
        return {std::nullopt,
                {{u"format_version"_s,
                  u"is %1, but this version of Crosstalk reads documents up to version %2; "
                  "a newer Crosstalk is needed"_s.arg(*version)
                      .arg(formatVersion)}}};
    }

    Session session;
    session.id = fields.uuid("id"_L1).value_or(QUuid());
    session.topic = fields
                        .string("topic"_L1, Presence::Required, Session::minTopicLength,
                                Session::maxTopicLength)
                        .value_or(QString());
    if (!session.topic.isEmpty() && session.topic.trimmed().isEmpty()) {
        fields.fail(u"topic", u"must not be blank"_s);
    }
    session.title = fields.string("title"_L1, Presence::Nullable, 1, Session::maxTopicLength)
                        .value_or(Session::titleFromTopic(session.topic));
    session.paradigm = fields.enumeration<Paradigm>("paradigm"_L1).value_or(Paradigm::Memory);
    session.rounds = int(fields.integer("rounds"_L1, Session::minRounds, Session::maxRounds)
                             .value_or(Session::minRounds));
    if (const auto options = fields.object("options"_L1)) {
        session.options = SetupJson::readOptions(*options, u"options"_s, errors);
    }
    if (const auto participants = fields.array("participants"_L1)) {
        if (participants->size() < Session::minParticipants ||
            participants->size() > Session::maxParticipants) {
            fields.fail(u"participants",
                        u"must have %1 to %2 participants"_s.arg(Session::minParticipants)
                            .arg(Session::maxParticipants));
        }
        for (qsizetype i = 0; i < participants->size(); ++i) {
            const QString path = elementPath(u"participants"_s, i);
            if (!participants->at(i).isObject()) {
                errors.append({path, u"must be an object"_s});
                continue;
            }
            session.participants.append(
                SetupJson::readParticipant(participants->at(i).toObject(), path, errors));
        }
    }
    session.status =
        fields.enumeration<SessionStatus>("status"_L1).value_or(SessionStatus::Configured);
    if (const auto result = fields.object("result"_L1, Presence::Nullable)) {
        JsonFields resultFields(*result, u"result"_s, errors);
        session.result = Result{
            resultFields.string("answer"_L1, Presence::Required, 1).value_or(QString()),
            int(resultFields.integer("votes"_L1, 1, std::numeric_limits<int>::max()).value_or(1)),
        };
        resultFields.rejectUnknownKeys();
    }
    if (const auto usage = fields.object("usage"_L1)) {
        session.usage = readUsage(*usage, u"usage"_s, errors);
    }
    session.createdAt = fields.dateTime("created_at"_L1).value_or(QDateTime());
    session.updatedAt = fields.dateTime("updated_at"_L1).value_or(QDateTime());
    if (const auto origin = fields.object("forked_from"_L1, Presence::Nullable)) {
        JsonFields originFields(*origin, u"forked_from"_s, errors);
        session.forkedFrom = ForkOrigin{originFields.uuid("session_id"_L1).value_or(QUuid()),
                                        originFields.uuid("message_id"_L1).value_or(QUuid())};
        originFields.rejectUnknownKeys();
    }
    if (const auto messages = fields.array("messages"_L1)) {
        for (qsizetype i = 0; i < messages->size(); ++i) {
            const QString path = elementPath(u"messages"_s, i);
            if (!messages->at(i).isObject()) {
                errors.append({path, u"must be an object"_s});
                continue;
            }
            session.messages.append(readMessage(messages->at(i).toObject(), path, errors));
        }
    }
    fields.rejectUnknownKeys();

    if (errors.isEmpty()) {
        checkConsistency(session, errors);
    }
    if (!errors.isEmpty()) {
        return {std::nullopt, errors};
    }
    return {session, {}};
}

Parsed<Session> read(const QByteArray &json)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return {std::nullopt,
                {{QString(), u"not valid JSON: %1 at byte %2"_s.arg(parseError.errorString())
                                 .arg(parseError.offset)}}};
    }
    if (!document.isObject()) {
        return {std::nullopt, {{QString(), u"a session document must be a JSON object"_s}}};
    }
    return fromJson(document.object());
}

} // namespace Crosstalk::SessionDocument
