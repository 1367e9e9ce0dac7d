// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/sessionstore.h"

#include "config/privatefiles.h"
#include "storage/migrations.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QSysInfo>
#include <QTimeZone>

#include <algorithm>
#include <cerrno>
#include <signal.h>

using namespace Qt::StringLiterals;

namespace Crosstalk {

namespace {

constexpr int busyTimeoutMs = 10000;

QString idText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces);
}

Error failure(const QString &what, const QString &why)
{
    return storeError(ErrorCode::Internal, u"Session store: %1 failed: %2"_s.arg(what, why));
}

Error failure(const QString &what, const QSqlError &error)
{
    return failure(what, error.text());
}

// Columns declared NOT NULL take empty text for a null QString, which Qt SQL binds as NULL.
QVariant text(const QString &value)
{
    return value.isNull() ? QVariant(u""_s) : QVariant(value);
}

QVariant nullableText(const std::optional<QString> &value)
{
    return value ? text(*value) : QVariant(QMetaType::fromType<QString>());
}

template<typename T>
QVariant nullable(const std::optional<T> &value)
{
    return value ? QVariant::fromValue(*value) : QVariant(QMetaType::fromType<T>());
}

QVariant timeValue(const QDateTime &time)
{
    return time.isValid() ? QVariant(time.toMSecsSinceEpoch())
                          : QVariant(QMetaType::fromType<qint64>());
}

QDateTime timeFrom(const QVariant &value)
{
    return value.isNull() ? QDateTime()
                          : QDateTime::fromMSecsSinceEpoch(value.toLongLong(), QTimeZone::UTC);
}

QString jsonText(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QString jsonText(const QJsonArray &array)
{
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

// A prepared statement that is always finished, so no read snapshot outlives the call that
// took it (an open snapshot would hide every later write by other processes).
class Statement
{
public:
    Statement(const QSqlDatabase &db, const QString &sql)
        : m_query(db)
    {
        m_query.setForwardOnly(true);
        m_prepared = m_query.prepare(sql);
    }
    ~Statement() { m_query.finish(); }
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    Statement &bind(const QString &name, const QVariant &value)
    {
        m_query.bindValue(name, value);
        return *this;
    }
    bool exec() { return m_prepared && m_query.exec(); }
    bool next() { return m_query.next(); }
    QVariant value(int column) const { return m_query.value(column); }
    int rowsAffected() const { return m_query.numRowsAffected(); }
    QSqlError error() const { return m_query.lastError(); }
    void finish() { m_query.finish(); }

private:
    QSqlQuery m_query;
    bool m_prepared = false;
};

StoreResult<void> execute(const QSqlDatabase &db, const QString &sql, const QString &what)
{
    Statement statement(db, sql);
    if (!statement.exec()) {
        return failure(what, statement.error());
    }
    return {};
}

// Write transactions begin IMMEDIATE: a deferred BEGIN that later upgrades to a write fails at
// once with SQLITE_BUSY in WAL mode when another process writes, while IMMEDIATE waits on the
// busy timeout. Rolled back unless committed.
class Transaction
{
public:
    enum Kind
    {
        Read,
        Write,
    };
    explicit Transaction(const QSqlDatabase &db)
        : m_db(db)
    {}
    ~Transaction()
    {
        if (m_active) {
            QSqlQuery rollback(m_db);
            rollback.exec(u"ROLLBACK"_s);
        }
    }
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

    // A read transaction makes several statements see one snapshot.
    StoreResult<void> begin(Kind kind)
    {
        auto result = execute(m_db, kind == Write ? u"BEGIN IMMEDIATE"_s : u"BEGIN"_s,
                              u"beginning a transaction"_s);
        m_active = result.ok();
        return result;
    }
    StoreResult<void> commit()
    {
        auto result = execute(m_db, u"COMMIT"_s, u"committing"_s);
        m_active = !result.ok();
        return result;
    }

private:
    QSqlDatabase m_db;
    bool m_active = false;
};

// Runs `body` in a write transaction and commits what it did, or nothing at all.
template<typename Body>
StoreResult<void> inWriteTransaction(const QSqlDatabase &db, Body &&body)
{
    Transaction transaction(db);
    if (auto begun = transaction.begin(Transaction::Write); !begun) {
        return begun;
    }
    if (StoreResult<void> done = body(); !done) {
        return done;
    }
    return transaction.commit();
}

template<typename E>
std::optional<E> enumFrom(const QVariant &value, const QString &what, QStringList &problems)
{
    const auto result = enumFromString<E>(value.toString());
    if (!result) {
        problems.append(u"%1 has the unknown value '%2'"_s.arg(what, value.toString()));
    }
    return result;
}

QJsonObject participantToJson(const Participant &participant)
{
    return {
        {u"name"_s, participant.name},
        {u"model"_s, participant.modelAlias},
        {u"persona"_s, participant.persona},
        {u"persona_source"_s, participant.personaSource},
        {u"colour"_s,
         participant.colour.isValid() ? participant.colour.name(QColor::HexArgb) : QString()},
    };
}

Participant participantFromJson(const QJsonObject &object)
{
    const QString colour = object.value(u"colour"_s).toString();
    return Participant{
        object.value(u"name"_s).toString(),
        object.value(u"model"_s).toString(),
        object.value(u"persona"_s).toString(),
        object.value(u"persona_source"_s).toString(),
        colour.isEmpty() ? QColor() : QColor::fromString(colour),
    };
}

QString participantsText(const QList<Participant> &participants)
{
    QJsonArray array;
    for (const Participant &participant : participants) {
        array.append(participantToJson(participant));
    }
    return jsonText(array);
}

QString optionsText(const SessionOptions &options)
{
    QJsonObject object{
        {u"answer_mode"_s, options.answerMode},
        {u"schedule"_s, enumToString(options.schedule)},
        {u"context_window"_s, options.contextWindow},
        {u"summarise_dropped"_s, options.summariseDropped},
        {u"summariser_model"_s, options.summariserModel},
        {u"moderator_model"_s, options.moderatorModel},
    };
    if (options.budgetTokens) {
        object.insert(u"budget_tokens"_s, *options.budgetTokens);
    }
    if (options.budgetCost) {
        object.insert(u"budget_cost"_s, *options.budgetCost);
    }
    return jsonText(object);
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

SessionOptions optionsFrom(const QJsonObject &object, QStringList &problems)
{
    SessionOptions options;
    options.answerMode = object.value(u"answer_mode"_s).toBool();
    options.schedule =
        enumFrom<Schedule>(object.value(u"schedule"_s).toString(), u"options.schedule"_s, problems)
            .value_or(Schedule::Parallel);
    options.contextWindow = object.value(u"context_window"_s).toInt();
    options.summariseDropped = object.value(u"summarise_dropped"_s).toBool();
    options.summariserModel = object.value(u"summariser_model"_s).toString();
    options.moderatorModel = object.value(u"moderator_model"_s).toString();
    if (object.contains(u"budget_tokens"_s)) {
        options.budgetTokens = object.value(u"budget_tokens"_s).toInteger();
    }
    if (object.contains(u"budget_cost"_s)) {
        options.budgetCost = object.value(u"budget_cost"_s).toDouble();
    }
    return options;
}

const QString sessionColumns =
    u"id, title, topic, paradigm, rounds, options, participants, status, result_answer, "
    "result_votes, tokens_in, tokens_out, usage_estimated, cost, created_at, updated_at"_s;

Session sessionFrom(const Statement &row, QStringList &problems)
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
        session.options = optionsFrom(options->object(), problems);
    }
    if (const auto participants = parseJson(row.value(6), what + u" participants"_s, problems)) {
        for (const QJsonValue &participant : participants->array()) {
            session.participants.append(participantFromJson(participant.toObject()));
        }
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
    return session;
}

const QString messageColumns =
    u"id, session_id, seq, round, speaker, recipients, type, content, answer, confidence, "
    "model_alias, model_id, model_kind, tokens_in, tokens_out, usage_estimated, cost, ttft_ms, "
    "duration_ms, status, error, request, created_at"_s;

Message messageFrom(const Statement &row, QStringList &problems)
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
        message.model =
            ModelRef{row.value(10).toString(), row.value(11).toString(),
                     enumFrom<ModelKind>(row.value(12), what + u" model kind"_s, problems)
                         .value_or(ModelKind::OpenAi)};
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
    if (const auto request = parseJson(row.value(21), what + u" request"_s, problems)) {
        message.request = request->object();
    }
    message.createdAt = timeFrom(row.value(22));
    return message;
}

Error unreadable(const QString &what, const QStringList &problems)
{
    return failure(what, u"stored data is damaged: "_s + problems.join(u"; "_s));
}

StoreResult<QList<Message>> readMessages(const QSqlDatabase &db, const QUuid &sessionId, int offset,
                                         int limit)
{
    const QString what = u"loading the messages of session %1"_s.arg(idText(sessionId));
    Statement query(db, u"SELECT "_s + messageColumns +
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

// Quotes every word as an FTS5 string, so operators and punctuation in user text are plain
// text; a trailing * stays outside the quotes and makes a prefix query.
QString matchExpression(const QString &query)
{
    static const QRegularExpression whitespace(u"\\s+"_s);
    QStringList terms;
    for (QString word : query.split(whitespace, Qt::SkipEmptyParts)) {
        const bool prefix = word.endsWith(u'*');
        word.remove(u'*');
        // A word of punctuation or emoji alone has no tokens, and an empty phrase would make
        // the whole query match nothing.
        if (std::none_of(word.cbegin(), word.cend(),
                         [](QChar c) { return c.isLetterOrNumber(); })) {
            continue;
        }
        word.replace(u'"', u"\"\""_s);
        terms.append(u'"' + word + u'"' + (prefix ? u"*"_s : QString()));
    }
    return terms.join(u' ');
}

bool processExists(qint64 pid)
{
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

} // namespace

QString LeaseHolder::description() const
{
    return u"crosstalk %1 (pid %2 on %3)"_s.arg(processKind).arg(pid).arg(hostName);
}

int SessionStore::schemaVersion()
{
    return int(StoreMigrations::all().size());
}

QString SessionStore::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           u"/crosstalk.sqlite"_s;
}

int SessionStore::storedSchemaVersion(const QString &path)
{
    if (!QFileInfo::exists(path)) {
        return 0;
    }
    const QString connection =
        u"crosstalk-version-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
    int version = 0;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
        db.setDatabaseName(path);
        db.setConnectOptions(u"QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=%1"_s.arg(busyTimeoutMs));
        if (db.open()) {
            Statement query(db, u"PRAGMA user_version"_s);
            if (query.exec() && query.next()) {
                version = query.value(0).toInt();
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
    return version;
}

bool SessionStore::needsUpdate(const QString &path)
{
    const int stored = storedSchemaVersion(path);
    return stored > 0 && stored < schemaVersion();
}

SessionStore::SessionStore()
    : m_connectionName(u"crosstalk-store-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces))
    , m_leaseToken(QUuid::createUuid().toString(QUuid::WithoutBraces))
    , m_clock([] { return QDateTime::currentDateTimeUtc(); })
{}

SessionStore::~SessionStore()
{
    m_checkpointer.stop();
    if (m_db.isValid()) {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connectionName);
    }
}

StoreResult<void> SessionStore::open(const QString &path)
{
    const QString what = u"opening %1"_s.arg(path);
    if (m_db.isValid()) {
        return failure(what, u"this store is already open on %1"_s.arg(m_path));
    }
    if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
        return failure(what, u"cannot create the folder %1"_s.arg(QFileInfo(path).absolutePath()));
    }
    // SQLite gives the -wal and -shm files the permissions of the database file: one created
    // owner-only keeps every transcript from other users; an older store is tightened.
    PrivateFiles::makeFile(path, true);
    for (const char *suffix : {"-wal", "-shm"})
        PrivateFiles::makeFile(path + QLatin1StringView(suffix), false);
    m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connectionName);
    if (!m_db.isValid()) {
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connectionName);
        return failure(what, u"the Qt SQLite driver (QSQLITE) is not available"_s);
    }
    m_db.setDatabaseName(path);
    // The busy timeout must be in place before the first statement: switching to WAL and
    // migrating both take locks another process may hold.
    m_db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=%1"_s.arg(busyTimeoutMs));
    auto close = [this](Error error) {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connectionName);
        return error;
    };
    if (!m_db.open()) {
        return close(failure(what, m_db.lastError()));
    }
    m_path = path;
    for (const QString &pragma :
         {u"PRAGMA busy_timeout = %1"_s.arg(busyTimeoutMs), u"PRAGMA journal_mode = WAL"_s,
          u"PRAGMA synchronous = NORMAL"_s, u"PRAGMA foreign_keys = ON"_s,
          // m_checkpointer does it from its own thread instead of a commit on this one.
          u"PRAGMA wal_autocheckpoint = 0"_s}) {
        if (auto done = execute(m_db, pragma, what); !done) {
            return close(done.error());
        }
    }
    if (auto migrated = migrate(); !migrated) {
        return close(migrated.error());
    }
    m_checkpointer.start(path);
    return {};
}

StoreResult<void> SessionStore::migrate()
{
    const auto migrations = StoreMigrations::all();
    const int latest = int(migrations.size());
    Transaction transaction(m_db);
    if (auto begun = transaction.begin(Transaction::Write); !begun) {
        return begun;
    }
    // Read inside the write transaction: another process may have migrated meanwhile.
    Statement version(m_db, u"PRAGMA user_version"_s);
    if (!version.exec() || !version.next()) {
        return failure(u"reading the schema version"_s, version.error());
    }
    const int current = version.value(0).toInt();
    version.finish();
    if (current > latest) {
        return storeError(ErrorCode::Internal,
                          u"Session store: %1 has schema version %2, newer than this build of "
                          "Crosstalk understands (%3); use a newer Crosstalk."_s.arg(m_path)
                              .arg(current)
                              .arg(latest));
    }
    for (int next = current + 1; next <= latest; ++next) {
        if (auto done = migrations[next - 1](m_db); !done) {
            return done;
        }
    }
    if (current < latest) {
        if (auto done = execute(m_db, u"PRAGMA user_version = %1"_s.arg(latest),
                                u"setting the schema version"_s);
            !done) {
            return done;
        }
    }
    return transaction.commit();
}

bool SessionStore::isOpen() const
{
    return m_db.isValid() && m_db.isOpen();
}

QString SessionStore::path() const
{
    return m_path;
}

Error SessionStore::notOpen() const
{
    return storeError(ErrorCode::Internal, u"Session store: the store is not open."_s);
}

qint64 SessionStore::nowMs() const
{
    return m_clock().toMSecsSinceEpoch();
}

std::chrono::milliseconds SessionStore::leaseTimeout() const
{
    return m_leaseTimeout;
}

void SessionStore::setLeaseTimeout(std::chrono::milliseconds timeout)
{
    m_leaseTimeout = timeout;
}

StoreResult<void> SessionStore::setBusyTimeout(std::chrono::milliseconds timeout)
{
    if (!isOpen()) {
        return notOpen();
    }
    return execute(m_db, u"PRAGMA busy_timeout = %1"_s.arg(timeout.count()),
                   u"setting the busy timeout"_s);
}

void SessionStore::setClock(std::function<QDateTime()> clock)
{
    m_clock = std::move(clock);
}

StoreResult<void> SessionStore::saveSession(const Session &session, Messages messages)
{
    if (!isOpen()) {
        return notOpen();
    }
    const QString what = u"saving session %1"_s.arg(idText(session.id));
    return inWriteTransaction(m_db, [&]() -> StoreResult<void> {
        Statement upsert(
            m_db,
            u"INSERT INTO sessions (id, title, topic, search_text, paradigm, rounds, options, "
            "participants, status, result_answer, result_votes, tokens_in, tokens_out, "
            "usage_estimated, cost, created_at, updated_at) VALUES (:id, :title, :topic, "
            ":search, :paradigm, :rounds, :options, :participants, :status, :answer, :votes, "
            ":in, :out, :estimated, :cost, :created, :updated) "
            "ON CONFLICT (id) DO UPDATE SET title = excluded.title, topic = excluded.topic, "
            "search_text = excluded.search_text, paradigm = excluded.paradigm, "
            "rounds = excluded.rounds, options = excluded.options, "
            "participants = excluded.participants, status = excluded.status, "
            "result_answer = excluded.result_answer, result_votes = excluded.result_votes, "
            "tokens_in = excluded.tokens_in, tokens_out = excluded.tokens_out, "
            "usage_estimated = excluded.usage_estimated, cost = excluded.cost, "
            "created_at = excluded.created_at, updated_at = excluded.updated_at"_s);
        upsert.bind(u":id"_s, idText(session.id))
            .bind(u":title"_s, text(session.title))
            .bind(u":topic"_s, text(session.topic))
            .bind(u":search"_s, QString(session.title + u'\n' + session.topic).toCaseFolded())
            .bind(u":paradigm"_s, enumToString(session.paradigm))
            .bind(u":rounds"_s, session.rounds)
            .bind(u":options"_s, optionsText(session.options))
            .bind(u":participants"_s, participantsText(session.participants))
            .bind(u":status"_s, enumToString(session.status))
            .bind(u":answer"_s, session.result ? text(session.result->answer)
                                               : QVariant(QMetaType::fromType<QString>()))
            .bind(u":votes"_s, session.result ? QVariant(session.result->votes)
                                              : QVariant(QMetaType::fromType<int>()))
            .bind(u":in"_s, session.usage.tokensIn)
            .bind(u":out"_s, session.usage.tokensOut)
            .bind(u":estimated"_s, session.usage.estimated)
            .bind(u":cost"_s, session.usage.cost)
            .bind(u":created"_s, timeValue(session.createdAt))
            .bind(u":updated"_s, timeValue(session.updatedAt));
        if (!upsert.exec()) {
            return failure(what, upsert.error());
        }
        upsert.finish();
        if (messages == Messages::Replace) {
            Statement remove(m_db, u"DELETE FROM messages WHERE session_id = :session"_s);
            remove.bind(u":session"_s, idText(session.id));
            if (!remove.exec()) {
                return failure(what, remove.error());
            }
            remove.finish();
            for (const Message &message : session.messages) {
                if (message.sessionId != session.id) {
                    return storeError(
                        ErrorCode::InvalidArgument,
                        u"Session store: %1 failed: message %2 belongs to session %3"_s.arg(
                            what, idText(message.id), idText(message.sessionId)));
                }
                if (auto written = writeMessage(message, true); !written) {
                    return written;
                }
            }
        }
        return refreshSessionCounts(session.id, Recount::Everything);
    });
}

StoreResult<void> SessionStore::setStatus(const QUuid &sessionId, SessionStatus status)
{
    if (!isOpen()) {
        return notOpen();
    }
    return inWriteTransaction(m_db, [&]() -> StoreResult<void> {
        Statement update(m_db, u"UPDATE sessions SET status = :status, updated_at = :now "
                               "WHERE id = :id"_s);
        update.bind(u":status"_s, enumToString(status))
            .bind(u":now"_s, nowMs())
            .bind(u":id"_s, idText(sessionId));
        if (!update.exec()) {
            return failure(u"setting the status of session %1"_s.arg(idText(sessionId)),
                           update.error());
        }
        if (update.rowsAffected() == 0) {
            return sessionNotFound(sessionId);
        }
        return {};
    });
}

StoreResult<void> SessionStore::deleteSession(const QUuid &sessionId)
{
    if (!isOpen()) {
        return notOpen();
    }
    return inWriteTransaction(m_db, [&]() -> StoreResult<void> {
        Statement remove(m_db, u"DELETE FROM sessions WHERE id = :id"_s);
        remove.bind(u":id"_s, idText(sessionId));
        if (!remove.exec()) {
            return failure(u"deleting session %1"_s.arg(idText(sessionId)), remove.error());
        }
        if (remove.rowsAffected() == 0) {
            return sessionNotFound(sessionId);
        }
        return {};
    });
}

StoreResult<void> SessionStore::appendMessage(const Message &message)
{
    if (!isOpen()) {
        return notOpen();
    }
    return inWriteTransaction(m_db, [&]() -> StoreResult<void> {
        if (auto written = writeMessage(message, true); !written) {
            return written;
        }
        return refreshSessionCounts(message.sessionId, Recount::OneMore);
    });
}

StoreResult<void> SessionStore::updateMessage(const Message &message)
{
    if (!isOpen()) {
        return notOpen();
    }
    return inWriteTransaction(m_db, [&]() -> StoreResult<void> {
        // A turn that was complete may stop counting (a different status, round or
        // speaker): only a recount from round 0 sees that.
        bool wasCompleteTurn = false;
        {
            Statement old(m_db, u"SELECT 1 FROM messages WHERE id = :id AND status = 'complete' "
                                "AND type IN ('opening', 'exchange', 'verdict')"_s);
            old.bind(u":id"_s, idText(message.id));
            if (!old.exec()) {
                return failure(u"updating message %1"_s.arg(idText(message.id)), old.error());
            }
            wasCompleteTurn = old.next();
        }
        if (auto written = writeMessage(message, false); !written) {
            return written;
        }
        return refreshSessionCounts(message.sessionId,
                                    wasCompleteTurn ? Recount::Everything : Recount::Same);
    });
}

StoreResult<void> SessionStore::writeMessage(const Message &message, bool insert)
{
    const QString what = u"%1 message %2 of session %3"_s.arg(
        insert ? u"appending"_s : u"updating"_s, idText(message.id), idText(message.sessionId));
    QSqlError error;
    if (!sessionExists(m_db, message.sessionId, &error)) {
        return error.isValid() ? failure(what, error) : sessionNotFound(message.sessionId);
    }
    const QString sql =
        insert ? u"INSERT INTO messages (id, session_id, seq, round, speaker, recipients, type, "
                 "content, answer, confidence, model_alias, model_id, model_kind, tokens_in, "
                 "tokens_out, usage_estimated, cost, ttft_ms, duration_ms, status, error, "
                 "request, created_at) VALUES (:id, :session, :seq, :round, :speaker, "
                 ":recipients, :type, :content, :answer, :confidence, :alias, :model, :kind, "
                 ":in, :out, :estimated, :cost, :ttft, :duration, :status, :error, :request, "
                 ":created)"_s
               : u"UPDATE messages SET session_id = :session, seq = :seq, round = :round, "
                 "speaker = :speaker, recipients = :recipients, type = :type, "
                 "content = :content, answer = :answer, confidence = :confidence, "
                 "model_alias = :alias, model_id = :model, model_kind = :kind, tokens_in = :in, "
                 "tokens_out = :out, usage_estimated = :estimated, cost = :cost, "
                 "ttft_ms = :ttft, duration_ms = :duration, status = :status, error = :error, "
                 "request = :request, created_at = :created WHERE id = :id"_s;
    Statement write(m_db, sql);
    const std::optional<QString> alias =
        message.model ? std::optional(message.model->alias) : std::nullopt;
    const std::optional<QString> modelId =
        message.model ? std::optional(message.model->modelId) : std::nullopt;
    const std::optional<QString> kind =
        message.model ? std::optional(enumToString(message.model->kind)) : std::nullopt;
    write.bind(u":id"_s, idText(message.id))
        .bind(u":session"_s, idText(message.sessionId))
        .bind(u":seq"_s, message.seq)
        .bind(u":round"_s, message.round)
        .bind(u":speaker"_s, text(message.speaker))
        .bind(u":recipients"_s, jsonText(QJsonArray::fromStringList(message.recipients)))
        .bind(u":type"_s, enumToString(message.type))
        .bind(u":content"_s, text(message.content))
        .bind(u":answer"_s, nullableText(message.answer))
        .bind(u":confidence"_s, nullable(message.confidence))
        .bind(u":alias"_s, nullableText(alias))
        .bind(u":model"_s, nullableText(modelId))
        .bind(u":kind"_s, nullableText(kind))
        .bind(u":in"_s, message.usage.tokensIn)
        .bind(u":out"_s, message.usage.tokensOut)
        .bind(u":estimated"_s, message.usage.estimated)
        .bind(u":cost"_s, message.usage.cost)
        .bind(u":ttft"_s, nullable(message.ttftMs))
        .bind(u":duration"_s, nullable(message.durationMs))
        .bind(u":status"_s, enumToString(message.status))
        .bind(u":error"_s, text(message.error))
        .bind(u":request"_s, jsonText(message.request))
        .bind(u":created"_s, timeValue(message.createdAt));
    if (!write.exec()) {
        const QString why = write.error().text();
        // SQLITE_CONSTRAINT: the id or the seq is taken.
        const bool clash = write.error().nativeErrorCode().toInt() % 256 == 19;
        return storeError(clash ? ErrorCode::Conflict : ErrorCode::Internal,
                          u"Session store: %1 failed: %2"_s.arg(what, why));
    }
    if (!insert && write.rowsAffected() == 0) {
        return storeError(ErrorCode::NotFound,
                          u"Session store: %1 failed: no such message"_s.arg(what));
    }
    return {};
}

// The list shows message counts and completed rounds without reading messages, so every
// write that can change them updates them in its transaction. Completed rounds come from
// Session::completedRounds() itself, so the list and a loaded session always agree. A write
// that adds a complete turn can only extend the completed rounds, so it recounts from the
// first incomplete round on, which the partial index messages_turns finds without reading
// the rest of a long session.
StoreResult<void> SessionStore::refreshSessionCounts(const QUuid &sessionId, Recount recount)
{
    const QString what = u"counting the messages of session %1"_s.arg(idText(sessionId));
    Session light;
    int from = 0;
    {
        Statement session(m_db, u"SELECT rounds, participants, completed_rounds FROM sessions "
                                "WHERE id = :id"_s);
        session.bind(u":id"_s, idText(sessionId));
        if (!session.exec()) {
            return failure(what, session.error());
        }
        if (!session.next()) {
            return sessionNotFound(sessionId);
        }
        if (recount != Recount::Everything) {
            from = session.value(2).toInt();
        }
        light.rounds = session.value(0).toInt() - from;
        QStringList problems;
        if (const auto participants = parseJson(session.value(1), u"participants"_s, problems)) {
            for (const QJsonValue &participant : participants->array()) {
                light.participants.append(participantFromJson(participant.toObject()));
            }
        }
        if (!problems.isEmpty()) {
            return unreadable(what, problems);
        }
    }
    {
        Statement turns(m_db, u"SELECT DISTINCT round, speaker FROM messages "
                              "WHERE session_id = :id AND status = 'complete' "
                              "AND type IN ('opening', 'exchange', 'verdict') "
                              "AND round >= :from"_s);
        turns.bind(u":id"_s, idText(sessionId)).bind(u":from"_s, from);
        if (!turns.exec()) {
            return failure(what, turns.error());
        }
        while (turns.next()) {
            Message turn;
            turn.round = turns.value(0).toInt() - from;
            turn.speaker = turns.value(1).toString();
            turn.type = MessageType::Exchange;
            turn.status = MessageStatus::Complete;
            light.messages.append(turn);
        }
    }
    const QString count = recount == Recount::Everything
                              ? u"(SELECT COUNT(*) FROM messages WHERE session_id = :id)"_s
                          : recount == Recount::OneMore ? u"message_count + 1"_s
                                                        : u"message_count"_s;
    Statement update(m_db, u"UPDATE sessions SET message_count = "_s + count +
                               u", completed_rounds = :completed WHERE id = :id"_s);
    update.bind(u":completed"_s, from + light.completedRounds()).bind(u":id"_s, idText(sessionId));
    if (!update.exec()) {
        return failure(what, update.error());
    }
    return {};
}

StoreResult<void> SessionStore::checkpointStreaming(const QUuid &messageId,
                                                    const QString &contentSoFar)
{
    if (!isOpen()) {
        return notOpen();
    }
    return inWriteTransaction(m_db, [&]() -> StoreResult<void> {
        Statement update(m_db, u"UPDATE messages SET content = :content "
                               "WHERE id = :id AND status = 'streaming'"_s);
        update.bind(u":content"_s, text(contentSoFar)).bind(u":id"_s, idText(messageId));
        if (!update.exec()) {
            return failure(u"checkpointing message %1"_s.arg(idText(messageId)), update.error());
        }
        if (update.rowsAffected() == 0) {
            return storeError(
                ErrorCode::NotFound,
                u"Session store: no streaming message with id %1"_s.arg(idText(messageId)));
        }
        return {};
    });
}

StoreResult<Session> SessionStore::loadSession(const QUuid &sessionId)
{
    if (!isOpen()) {
        return notOpen();
    }
    const QString what = u"loading session %1"_s.arg(idText(sessionId));
    // One snapshot for the session and its messages, so a concurrent write cannot tear them.
    Transaction transaction(m_db);
    if (auto begun = transaction.begin(Transaction::Read); !begun) {
        return begun.error();
    }
    Session session;
    {
        Statement query(m_db, u"SELECT "_s + sessionColumns + u" FROM sessions WHERE id = :id"_s);
        query.bind(u":id"_s, idText(sessionId));
        if (!query.exec()) {
            return failure(what, query.error());
        }
        if (!query.next()) {
            return sessionNotFound(sessionId);
        }
        QStringList problems;
        session = sessionFrom(query, problems);
        if (!problems.isEmpty()) {
            return unreadable(what, problems);
        }
    }
    auto messages = readMessages(m_db, sessionId, 0, -1);
    if (!messages) {
        return messages.error();
    }
    session.messages = std::move(messages).value();
    if (auto committed = transaction.commit(); !committed) {
        return committed.error();
    }
    return session;
}

StoreResult<QList<Message>> SessionStore::loadMessages(const QUuid &sessionId, int offset,
                                                       int limit)
{
    if (!isOpen()) {
        return notOpen();
    }
    return readMessages(m_db, sessionId, offset, limit);
}

StoreResult<SessionList> SessionStore::listSessions(const SessionFilter &filter)
{
    if (!isOpen()) {
        return notOpen();
    }
    const QString what = u"listing sessions"_s;
    QStringList conditions;
    if (!filter.text.isEmpty()) {
        conditions.append(u"instr(search_text, :text) > 0"_s);
    }
    if (!filter.statuses.isEmpty()) {
        QStringList names;
        for (qsizetype i = 0; i < filter.statuses.size(); ++i) {
            names.append(u":status%1"_s.arg(i));
        }
        conditions.append(u"status IN (%1)"_s.arg(names.join(u", "_s)));
    }
    const QString where =
        conditions.isEmpty() ? QString() : u" WHERE "_s + conditions.join(u" AND "_s);
    auto bindFilter = [&filter](Statement &statement) {
        if (!filter.text.isEmpty()) {
            statement.bind(u":text"_s, filter.text.toCaseFolded());
        }
        for (qsizetype i = 0; i < filter.statuses.size(); ++i) {
            statement.bind(u":status%1"_s.arg(i), enumToString(filter.statuses[i]));
        }
    };

    Transaction transaction(m_db);
    if (auto begun = transaction.begin(Transaction::Read); !begun) {
        return begun.error();
    }
    SessionList list;
    {
        Statement count(m_db, u"SELECT COUNT(*) FROM sessions"_s + where);
        bindFilter(count);
        if (!count.exec() || !count.next()) {
            return failure(what, count.error());
        }
        list.total = count.value(0).toInt();
    }
    const QString order = filter.sort == SessionSort::UpdatedAscending
                              ? u" ORDER BY updated_at ASC, id ASC"_s
                              : u" ORDER BY updated_at DESC, id DESC"_s;
    Statement query(m_db, u"SELECT id, title, topic, paradigm, status, rounds, completed_rounds, "
                          "message_count, tokens_in, tokens_out, usage_estimated, cost, "
                          "created_at, updated_at, participants FROM sessions"_s +
                              where + order + u" LIMIT :limit OFFSET :offset"_s);
    bindFilter(query);
    query.bind(u":limit"_s, filter.limit).bind(u":offset"_s, filter.offset);
    if (!query.exec()) {
        return failure(what, query.error());
    }
    QStringList problems;
    while (query.next()) {
        SessionSummary summary;
        summary.id = QUuid(query.value(0).toString());
        const QString session = u"session %1"_s.arg(idText(summary.id));
        summary.title = query.value(1).toString();
        summary.topic = query.value(2).toString();
        summary.paradigm = enumFrom<Paradigm>(query.value(3), session + u" paradigm"_s, problems)
                               .value_or(Paradigm::Memory);
        summary.status = enumFrom<SessionStatus>(query.value(4), session + u" status"_s, problems)
                             .value_or(SessionStatus::Configured);
        summary.rounds = query.value(5).toInt();
        summary.completedRounds = query.value(6).toInt();
        summary.messageCount = query.value(7).toInt();
        summary.usage = Usage{query.value(8).toLongLong(), query.value(9).toLongLong(),
                              query.value(10).toBool(), query.value(11).toDouble()};
        summary.createdAt = timeFrom(query.value(12));
        summary.updatedAt = timeFrom(query.value(13));
        if (const auto participants =
                parseJson(query.value(14), session + u" participants"_s, problems)) {
            for (const QJsonValue &participant : participants->array()) {
                summary.modelAliases.append(participant.toObject().value(u"model"_s).toString());
            }
        }
        list.sessions.append(summary);
    }
    query.finish();
    if (!problems.isEmpty()) {
        return unreadable(what, problems);
    }
    if (auto committed = transaction.commit(); !committed) {
        return committed.error();
    }
    return list;
}

StoreResult<QList<SearchHit>> SessionStore::search(const QString &query, int limit)
{
    if (!isOpen()) {
        return notOpen();
    }
    const QString expression = matchExpression(query);
    if (expression.isEmpty() || limit == 0) {
        return QList<SearchHit>();
    }
    // The inner query stops after `limit` hits in rowid order, so snippets are built for
    // the page only and a common word costs no more than a rare one.
    Statement select(m_db,
                     u"SELECT m.session_id, m.id, m.seq, f.snip FROM (SELECT rowid AS mid, "
                     "snippet(message_fts, 0, char(2), char(3), '…', 16) AS snip FROM message_fts "
                     "WHERE message_fts MATCH :query ORDER BY rowid DESC LIMIT :limit) AS f "
                     "JOIN messages AS m ON m.mid = f.mid ORDER BY f.mid DESC"_s);
    select.bind(u":query"_s, expression).bind(u":limit"_s, limit);
    if (!select.exec()) {
        return failure(u"searching for '%1'"_s.arg(query), select.error());
    }
    QList<SearchHit> hits;
    while (select.next()) {
        hits.append(SearchHit{QUuid(select.value(0).toString()), QUuid(select.value(1).toString()),
                              select.value(2).toInt(), select.value(3).toString()});
    }
    return hits;
}

StoreResult<void> SessionStore::setSlotPersona(const QString &slot,
                                               const std::optional<QString> &persona)
{
    if (!isOpen()) {
        return notOpen();
    }
    return inWriteTransaction(m_db, [&]() -> StoreResult<void> {
        Statement write(m_db, persona ? u"INSERT INTO slot_personas (slot, persona, updated_at) "
                                        "VALUES (:slot, :persona, :now) ON CONFLICT (slot) DO "
                                        "UPDATE SET persona = excluded.persona, "
                                        "updated_at = excluded.updated_at"_s
                                      : u"DELETE FROM slot_personas WHERE slot = :slot"_s);
        write.bind(u":slot"_s, text(slot));
        if (persona) {
            write.bind(u":persona"_s, text(*persona)).bind(u":now"_s, nowMs());
        }
        if (!write.exec()) {
            return failure(u"storing the persona of slot %1"_s.arg(slot), write.error());
        }
        return {};
    });
}

StoreResult<std::optional<QString>> SessionStore::slotPersona(const QString &slot)
{
    if (!isOpen()) {
        return notOpen();
    }
    Statement query(m_db, u"SELECT persona FROM slot_personas WHERE slot = :slot"_s);
    query.bind(u":slot"_s, text(slot));
    if (!query.exec()) {
        return failure(u"reading the persona of slot %1"_s.arg(slot), query.error());
    }
    if (!query.next()) {
        return std::optional<QString>();
    }
    return std::optional<QString>(query.value(0).toString());
}

bool SessionStore::leaseIsLive(qint64 pid, const QString &hostName, qint64 heartbeatMs) const
{
    if (heartbeatMs < nowMs() - m_leaseTimeout.count()) {
        return false;
    }
    // On this host a vanished holder is stale at once, without waiting for the timeout.
    return hostName != QSysInfo::machineHostName() || processExists(pid);
}

StoreResult<void> SessionStore::acquireLease(const QUuid &sessionId, const QString &processKind)
{
    if (!isOpen()) {
        return notOpen();
    }
    const QString what = u"acquiring the lease of session %1"_s.arg(idText(sessionId));
    return inWriteTransaction(m_db, [&]() -> StoreResult<void> {
        QSqlError error;
        if (!sessionExists(m_db, sessionId, &error)) {
            return error.isValid() ? failure(what, error) : sessionNotFound(sessionId);
        }
        {
            Statement current(m_db, u"SELECT token, pid, host, process_kind, heartbeat_at "
                                    "FROM leases WHERE session_id = :id"_s);
            current.bind(u":id"_s, idText(sessionId));
            if (!current.exec()) {
                return failure(what, current.error());
            }
            if (current.next() && current.value(0).toString() != m_leaseToken &&
                leaseIsLive(current.value(1).toLongLong(), current.value(2).toString(),
                            current.value(4).toLongLong())) {
                LeaseHolder holder;
                holder.pid = current.value(1).toLongLong();
                holder.hostName = current.value(2).toString();
                holder.processKind = current.value(3).toString();
                return storeError(
                    ErrorCode::Conflict,
                    u"Session %1 is running in %2."_s.arg(idText(sessionId), holder.description()));
            }
        }
        Statement take(
            m_db, u"INSERT INTO leases (session_id, token, pid, host, process_kind, acquired_at, "
                  "heartbeat_at) VALUES (:id, :token, :pid, :host, :kind, :now, :now2) "
                  "ON CONFLICT (session_id) DO UPDATE SET acquired_at = CASE WHEN "
                  "token = excluded.token THEN acquired_at ELSE excluded.acquired_at END, "
                  "token = excluded.token, pid = excluded.pid, host = excluded.host, "
                  "process_kind = excluded.process_kind, heartbeat_at = excluded.heartbeat_at"_s);
        const qint64 now = nowMs();
        take.bind(u":id"_s, idText(sessionId))
            .bind(u":token"_s, m_leaseToken)
            .bind(u":pid"_s, QCoreApplication::applicationPid())
            .bind(u":host"_s, QSysInfo::machineHostName())
            .bind(u":kind"_s, text(processKind))
            .bind(u":now"_s, now)
            .bind(u":now2"_s, now);
        if (!take.exec()) {
            return failure(what, take.error());
        }
        return {};
    });
}

StoreResult<void> SessionStore::renewLease(const QUuid &sessionId)
{
    if (!isOpen()) {
        return notOpen();
    }
    return inWriteTransaction(m_db, [&]() -> StoreResult<void> {
        Statement renew(m_db, u"UPDATE leases SET heartbeat_at = :now "
                              "WHERE session_id = :id AND token = :token"_s);
        renew.bind(u":now"_s, nowMs())
            .bind(u":id"_s, idText(sessionId))
            .bind(u":token"_s, m_leaseToken);
        if (!renew.exec()) {
            return failure(u"renewing the lease of session %1"_s.arg(idText(sessionId)),
                           renew.error());
        }
        if (renew.rowsAffected() == 0) {
            return storeError(
                ErrorCode::Conflict,
                u"The lease of session %1 was lost: it went stale and another process "
                "took it over, or the session was deleted."_s.arg(idText(sessionId)));
        }
        return {};
    });
}

StoreResult<void> SessionStore::releaseLease(const QUuid &sessionId)
{
    if (!isOpen()) {
        return notOpen();
    }
    return inWriteTransaction(m_db, [&]() -> StoreResult<void> {
        Statement release(m_db, u"DELETE FROM leases WHERE session_id = :id AND token = :token"_s);
        release.bind(u":id"_s, idText(sessionId)).bind(u":token"_s, m_leaseToken);
        if (!release.exec()) {
            return failure(u"releasing the lease of session %1"_s.arg(idText(sessionId)),
                           release.error());
        }
        return {};
    });
}

StoreResult<std::optional<LeaseHolder>> SessionStore::leaseHolder(const QUuid &sessionId)
{
    if (!isOpen()) {
        return notOpen();
    }
    Statement query(m_db, u"SELECT pid, host, process_kind, acquired_at, heartbeat_at "
                          "FROM leases WHERE session_id = :id"_s);
    query.bind(u":id"_s, idText(sessionId));
    if (!query.exec()) {
        return failure(u"reading the lease of session %1"_s.arg(idText(sessionId)), query.error());
    }
    if (!query.next() || !leaseIsLive(query.value(0).toLongLong(), query.value(1).toString(),
                                      query.value(4).toLongLong())) {
        return std::optional<LeaseHolder>();
    }
    return std::optional(LeaseHolder{query.value(0).toLongLong(), query.value(1).toString(),
                                     query.value(2).toString(), timeFrom(query.value(3)),
                                     timeFrom(query.value(4))});
}

StoreResult<Recovery> SessionStore::recoverAfterCrash()
{
    if (!isOpen()) {
        return notOpen();
    }
    const QString what = u"recovering sessions after a crash"_s;
    Recovery recovery;
    auto done = inWriteTransaction(m_db, [&]() -> StoreResult<void> {
        // Sessions with a live lease run elsewhere; everything else that claims to be
        // running or streaming was left so by a process that died.
        QSet<QString> live;
        {
            Statement leases(m_db, u"SELECT session_id, pid, host, heartbeat_at FROM leases"_s);
            if (!leases.exec()) {
                return failure(what, leases.error());
            }
            while (leases.next()) {
                if (leaseIsLive(leases.value(1).toLongLong(), leases.value(2).toString(),
                                leases.value(3).toLongLong())) {
                    live.insert(leases.value(0).toString());
                }
            }
        }
        {
            Statement running(m_db, u"SELECT id FROM sessions WHERE status = 'running'"_s);
            if (!running.exec()) {
                return failure(what, running.error());
            }
            while (running.next()) {
                if (!live.contains(running.value(0).toString())) {
                    recovery.interruptedSessions.append(QUuid(running.value(0).toString()));
                }
            }
        }
        {
            Statement streaming(m_db, u"SELECT id, session_id FROM messages "
                                      "WHERE status = 'streaming'"_s);
            if (!streaming.exec()) {
                return failure(what, streaming.error());
            }
            while (streaming.next()) {
                if (!live.contains(streaming.value(1).toString())) {
                    recovery.partialMessages.append(QUuid(streaming.value(0).toString()));
                }
            }
        }
        const qint64 now = nowMs();
        for (const QUuid &id : std::as_const(recovery.interruptedSessions)) {
            Statement update(m_db, u"UPDATE sessions SET status = 'interrupted', "
                                   "updated_at = :now WHERE id = :id"_s);
            update.bind(u":now"_s, now).bind(u":id"_s, idText(id));
            if (!update.exec()) {
                return failure(what, update.error());
            }
        }
        for (const QUuid &id : std::as_const(recovery.partialMessages)) {
            Statement update(m_db, u"UPDATE messages SET status = 'partial' WHERE id = :id"_s);
            update.bind(u":id"_s, idText(id));
            if (!update.exec()) {
                return failure(what, update.error());
            }
        }
        // Stale leases would otherwise linger until someone takes the session over.
        Statement removeStale(m_db, u"DELETE FROM leases WHERE session_id = :id"_s);
        Statement all(m_db, u"SELECT session_id FROM leases"_s);
        if (!all.exec()) {
            return failure(what, all.error());
        }
        QStringList stale;
        while (all.next()) {
            if (!live.contains(all.value(0).toString())) {
                stale.append(all.value(0).toString());
            }
        }
        all.finish();
        for (const QString &id : std::as_const(stale)) {
            removeStale.bind(u":id"_s, id);
            if (!removeStale.exec()) {
                return failure(what, removeStale.error());
            }
        }
        return {};
    });
    if (!done) {
        return done.error();
    }
    return recovery;
}

} // namespace Crosstalk
