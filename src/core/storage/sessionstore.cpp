// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/sessionstore.h"

#include "config/privatefiles.h"
#include "storage/migrations.h"
#include "storage/sessionrows.h"
#include "storage/sqlstatement.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QThread>

using namespace Qt::StringLiterals;

namespace Crosstalk {

using namespace StoreSql;
using namespace StoreRows;

namespace {

constexpr int busyTimeoutMs = 10000;

} // namespace

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
    , m_busyTimeoutMs(std::make_shared<std::atomic<qint64>>(busyTimeoutMs))
    , m_appliedBusyTimeoutMs(busyTimeoutMs)
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

StoreResult<void> SessionStore::open(const QString &path,
                                     const std::function<void(double done)> &progress)
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
    m_thread = QThread::currentThread();
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
    if (auto migrated = migrate(progress); !migrated) {
        return close(migrated.error());
    }
    m_checkpointer.start(path);
    return {};
}

StoreResult<void> SessionStore::migrate(const std::function<void(double done)> &progress)
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
        const auto step = [&](double done) {
            if (progress) {
                progress((next - current - 1 + done) / (latest - current));
            }
        };
        if (auto done = migrations[next - 1](m_db, step); !done) {
            return done;
        }
        step(1);
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
    // Every entry point asks this first. A connection belongs to the thread that opened it
    // (Qt SQL's rule): the window and the engine work through the StoreWorker threads, which
    // own theirs, and a store used from elsewhere is a bug.
    Q_ASSERT_X(!m_db.isValid() || QThread::currentThread() == m_thread, "SessionStore",
               "used on a thread other than the one that opened it");
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
    m_busyTimeoutMs->store(timeout.count());
    return followBusyTimeout();
}

StoreResult<void> SessionStore::followBusyTimeout()
{
    const qint64 wanted = m_busyTimeoutMs->load();
    if (!isOpen() || wanted == m_appliedBusyTimeoutMs) {
        return {};
    }
    if (auto set =
            execute(m_db, u"PRAGMA busy_timeout = %1"_s.arg(wanted), u"setting the busy timeout"_s);
        !set) {
        return set;
    }
    m_appliedBusyTimeoutMs = wanted;
    return {};
}

StoreResult<void> SessionStore::openAlongside(const SessionStore &other)
{
    m_leaseToken = other.m_leaseToken;
    m_leaseTimeout = other.m_leaseTimeout;
    m_clock = other.m_clock;
    m_busyTimeoutMs = other.m_busyTimeoutMs;
    if (auto opened = open(other.path()); !opened) {
        return opened;
    }
    m_checkpointer.stop(); // `other`'s checkpoints the file already
    return followBusyTimeout();
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
    const auto forkedFrom = [&session](QUuid ForkOrigin::*id) -> std::optional<QString> {
        return session.forkedFrom ? std::optional(idText((*session.forkedFrom).*id)) : std::nullopt;
    };
    return inWriteTransaction(m_db, [&]() -> StoreResult<void> {
        Statement upsert(
            m_db,
            u"INSERT INTO sessions (id, title, topic, search_text, paradigm, rounds, options, "
            "participants, status, result_answer, result_votes, tokens_in, tokens_out, "
            "usage_estimated, cost, created_at, updated_at, forked_from_session, "
            "forked_from_message) VALUES (:id, :title, :topic, :search, :paradigm, :rounds, "
            ":options, :participants, :status, :answer, :votes, :in, :out, :estimated, :cost, "
            ":created, :updated, :forkedSession, :forkedMessage) "
            "ON CONFLICT (id) DO UPDATE SET title = excluded.title, topic = excluded.topic, "
            "search_text = excluded.search_text, paradigm = excluded.paradigm, "
            "rounds = excluded.rounds, options = excluded.options, "
            "participants = excluded.participants, status = excluded.status, "
            "result_answer = excluded.result_answer, result_votes = excluded.result_votes, "
            "tokens_in = excluded.tokens_in, tokens_out = excluded.tokens_out, "
            "usage_estimated = excluded.usage_estimated, cost = excluded.cost, "
            "created_at = excluded.created_at, updated_at = excluded.updated_at, "
            "forked_from_session = excluded.forked_from_session, "
            "forked_from_message = excluded.forked_from_message"_s);
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
            .bind(u":updated"_s, timeValue(session.updatedAt))
            .bind(u":forkedSession"_s, nullableText(forkedFrom(&ForkOrigin::sessionId)))
            .bind(u":forkedMessage"_s, nullableText(forkedFrom(&ForkOrigin::messageId)));
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

StoreResult<SessionStore::Imported> SessionStore::importSession(Session session)
{
    if (!isOpen()) {
        return notOpen();
    }
    Statement stored(m_db, u"SELECT 1 FROM sessions WHERE id = :id"_s);
    stored.bind(u":id"_s, idText(session.id));
    if (!stored.exec()) {
        return failure(u"importing session %1"_s.arg(idText(session.id)), stored.error());
    }
    if (stored.next()) {
        return Imported::AlreadyStored;
    }
    stored.finish();
    if (session.status == SessionStatus::Running) {
        session.status = SessionStatus::Interrupted;
    }
    if (auto saved = saveSession(session, Messages::Replace); !saved) {
        return saved.error();
    }
    return Imported::Added;
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
                 "request, created_at, edited_at, original_content) VALUES (:id, :session, "
                 ":seq, :round, :speaker, :recipients, :type, :content, :answer, :confidence, "
                 ":alias, :model, :kind, :in, :out, :estimated, :cost, :ttft, :duration, "
                 ":status, :error, :request, :created, :edited, :original)"_s
               : u"UPDATE messages SET session_id = :session, seq = :seq, round = :round, "
                 "speaker = :speaker, recipients = :recipients, type = :type, "
                 "content = :content, answer = :answer, confidence = :confidence, "
                 "model_alias = :alias, model_id = :model, model_kind = :kind, tokens_in = :in, "
                 "tokens_out = :out, usage_estimated = :estimated, cost = :cost, "
                 "ttft_ms = :ttft, duration_ms = :duration, status = :status, error = :error, "
                 "request = :request, created_at = :created, edited_at = :edited, "
                 "original_content = :original WHERE id = :id"_s;
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
        .bind(u":created"_s, timeValue(message.createdAt))
        .bind(u":edited"_s, timeValue(message.editedAt))
        .bind(u":original"_s, message.isEdited() ? nullableText(message.originalContent)
                                                 : nullableText(std::nullopt));
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
            light.participants =
                participantsFrom(participants->array(), u"participants"_s, problems);
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

} // namespace Crosstalk
