// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "conversation/session.h"
#include "storage/storeresult.h"
#include "storage/walcheckpointer.h"

#include <QDateTime>
#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <QUuid>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>

class QThread;

namespace Crosstalk {

// A session as the session list shows it, read without its messages.
struct SessionSummary
{
    QUuid id;
    QString title;
    QString topic;
    Paradigm paradigm = Paradigm::Memory;
    SessionStatus status = SessionStatus::Configured;
    // The participants' model aliases, in participant order (the old API's `models`).
    QStringList modelAliases;
    int rounds = 0;
    // As Session::completedRounds() computes it from the stored messages.
    int completedRounds = 0;
    int messageCount = 0;
    Usage usage;
    QDateTime createdAt;
    QDateTime updatedAt;
    // Set for a fork: the session it was made from, that session's title now (empty when it is
    // not in the store) and the 1-based position there of the message it was made at (0 when
    // unknown).
    struct Origin
    {
        QUuid sessionId;
        QString title;
        int messageNumber = 0;
        bool operator==(const Origin &) const = default;
    };
    std::optional<Origin> forkedFrom;

    bool operator==(const SessionSummary &) const = default;
};

enum class SessionSort
{
    UpdatedDescending,
    UpdatedAscending,
};

struct SessionFilter
{
    // Case-insensitive substring of the title or the topic; empty matches every session.
    QString text;
    // Empty matches every status.
    QList<SessionStatus> statuses;
    SessionSort sort = SessionSort::UpdatedDescending;
    int offset = 0;
    // Negative means no limit.
    int limit = -1;
};

struct SessionList
{
    // The page asked for.
    QList<SessionSummary> sessions;
    // How many sessions match the filter, ignoring offset and limit.
    int total = 0;
};

struct SearchHit
{
    // Matched words in a snippet are enclosed in these, so a view can highlight them without
    // mistaking message text for markup.
    static constexpr QChar matchStart{u'\x02'};
    static constexpr QChar matchEnd{u'\x03'};

    QUuid sessionId;
    QUuid messageId;
    int seq = 0;
    QString snippet;

    bool operator==(const SearchHit &) const = default;
};

// A page of a session's transcript, for a view that shows a long session before all of it
// is read.
struct TranscriptPage
{
    // The session's fields; `messages` holds the page only, without their stored requests.
    Session session;
    // The index of the page's first message in the whole transcript.
    int offset = 0;
    // How many messages the whole transcript has.
    int messageCount = 0;
};

// The process that holds a session's lease.
struct LeaseHolder
{
    qint64 pid = 0;
    QString hostName;
    // What kind of process: "window", "serve", "mcp", "run"…
    QString processKind;
    QDateTime acquiredAt;
    QDateTime heartbeatAt;

    // "crosstalk serve (pid 4242 on laptop)", for the note on a session running elsewhere.
    QString description() const;
    // Held by this very process: by its engine, whose store writes trail its events.
    bool isThisProcess() const;

    bool operator==(const LeaseHolder &) const = default;
};

// What recoverAfterCrash() repaired.
struct Recovery
{
    // Sessions turned from running into interrupted.
    QList<QUuid> interruptedSessions;
    // Messages turned from streaming into partial.
    QList<QUuid> partialMessages;
};

// The SQLite session store (PRODUCT.md §6): sessions, messages, full-text search, leases and
// per-slot persona choices, shared by every Crosstalk process on the machine.
//
// Each instance owns one connection and must be used from the thread that opened it (a debug
// assertion checks each call). Every write runs in its
// own `BEGIN IMMEDIATE` transaction and is committed when the call returns, so a crash loses
// nothing a call reported as done; a failing write changes nothing. Several processes may
// open the same file at once: writers queue on the busy timeout, readers never wait.
class SessionStore
{
public:
    // The schema version this build creates and understands.
    static int schemaVersion();
    // AppDataLocation/crosstalk.sqlite.
    static QString defaultPath();
    // The schema version of the database at `path` as stored, without changing it; 0 when
    // there is none yet or it cannot be read. Below schemaVersion(), open() migrates it, which
    // can take a while for a large store: a window can say so first.
    static int storedSchemaVersion(const QString &path);
    // True when the store at `path` exists with an older schema, so open() will update it.
    static bool needsUpdate(const QString &path = defaultPath());

    SessionStore();
    ~SessionStore();
    SessionStore(const SessionStore &) = delete;
    SessionStore &operator=(const SessionStore &) = delete;

    // Opens the database at `path`, creating the file and its folder if needed, and migrates
    // the schema to schemaVersion(), telling `progress` how far the update got (0 to 1) as it
    // goes. A database newer than this build is refused.
    StoreResult<void> open(const QString &path = defaultPath(),
                           const std::function<void(double done)> &progress = {});
    bool isOpen() const;
    QString path() const;
    // Opens a second connection to the store `other` is open on, for another thread: it holds
    // leases as `other` does (one lease holder per process) and follows the busy timeout set on
    // either. Use it on the thread that opened it only.
    StoreResult<void> openAlongside(const SessionStore &other);

    // The session's configuration, status, result, usage and times. It is created when new;
    // otherwise its messages stay as stored, unless `messages` is Replace: then they become
    // exactly session.messages (import, fork).
    enum class Messages
    {
        Keep,
        Replace,
    };
    StoreResult<void> saveSession(const Session &session, Messages messages = Messages::Keep);
    // Keeps a session read from a document (File → Import, `crosstalk import`). One already
    // in the store is left as it is; one that was running where it was exported is kept as
    // interrupted, so it can be resumed here.
    enum class Imported
    {
        Added,
        AlreadyStored,
    };
    StoreResult<Imported> importSession(Session session);
    // Also sets updated_at to the current time.
    StoreResult<void> setStatus(const QUuid &sessionId, SessionStatus status);
    // Deletes the session with its messages and lease.
    StoreResult<void> deleteSession(const QUuid &sessionId);

    // A message new to its session; conflict when its id or seq is already taken.
    StoreResult<void> appendMessage(const Message &message);
    // Replaces every field of a stored message (found by id).
    StoreResult<void> updateMessage(const Message &message);
    // The content of a streaming message so far: call it every second or so while a reply
    // streams, so a crash loses at most the text since the last checkpoint.
    StoreResult<void> checkpointStreaming(const QUuid &messageId, const QString &contentSoFar);

    // The whole session with its messages; not_found for an unknown id.
    StoreResult<Session> loadSession(const QUuid &sessionId);
    // loadSession(), or nullopt when the stored session changed no later than `since` (its
    // updated_at): a copy held in memory is checked without reading every message.
    StoreResult<std::optional<Session>> loadSessionChangedAfter(const QUuid &sessionId,
                                                                std::optional<QDateTime> since);
    // Messages by seq, for loading a long transcript lazily. A negative limit means all.
    // Without their stored requests (the bulk of a row) when `requests` is Skip: a view reads
    // one with loadRequest() when it shows it.
    enum class Requests
    {
        Read,
        Skip,
    };
    StoreResult<QList<Message>> loadMessages(const QUuid &sessionId, int offset = 0, int limit = -1,
                                             Requests requests = Requests::Read);
    // The session with `limit` of its messages, without requests, in one snapshot: the last
    // ones, or with `aroundSeq` those around the message of that seq (a search hit).
    StoreResult<TranscriptPage> loadTranscriptPage(const QUuid &sessionId, int limit,
                                                   std::optional<int> aroundSeq = std::nullopt);
    // The request stored with a message; not_found for an unknown id.
    StoreResult<QJsonObject> loadRequest(const QUuid &messageId);
    StoreResult<SessionList> listSessions(const SessionFilter &filter = {});

    // Full-text search over message content; newest messages first. Every word of `query`
    // must occur (case and accents ignored); a word ending in `*` matches as a prefix. The
    // query is never parsed as FTS5 syntax, so user text cannot make it fail.
    StoreResult<QList<SearchHit>> search(const QString &query, int limit = 20);

    // The persona chosen for a model slot (`big`, `middle`, `small`) by load_system_prompt,
    // shared by every process; nullopt clears the choice.
    StoreResult<void> setSlotPersona(const QString &slot, const std::optional<QString> &persona);
    StoreResult<std::optional<QString>> slotPersona(const QString &slot);

    // Leases: a session runs in one process at a time. A lease is live while its holder
    // renews it within leaseTimeout() and, on this host, its process exists; otherwise it is
    // stale and another process may take it over. This instance is the holder of the leases
    // it acquires (two instances in one process are two holders).
    // Conflict when a live lease is held by someone else; re-acquiring one's own renews it.
    StoreResult<void> acquireLease(const QUuid &sessionId, const QString &processKind);
    // The heartbeat; conflict when the lease was lost (taken over after going stale).
    StoreResult<void> renewLease(const QUuid &sessionId);
    StoreResult<void> releaseLease(const QUuid &sessionId);
    // The live holder, or nullopt when the session runs nowhere.
    StoreResult<std::optional<LeaseHolder>> leaseHolder(const QUuid &sessionId);

    // Sessions left running without a live lease become interrupted, and messages left
    // streaming outside a live lease become partial. Call at start-up, and whenever a
    // session that another process ran may have been orphaned.
    StoreResult<Recovery> recoverAfterCrash();

    // Ten seconds: renew leases every few seconds.
    static constexpr std::chrono::milliseconds defaultLeaseTimeout{10000};
    std::chrono::milliseconds leaseTimeout() const;
    void setLeaseTimeout(std::chrono::milliseconds timeout);
    // The clock for lease heartbeats and status times; tests move it instead of waiting.
    void setClock(std::function<QDateTime()> clock);
    // How long a write waits for another connection's write lock before it fails (ten
    // seconds by default); tests shorten it instead of waiting.
    StoreResult<void> setBusyTimeout(std::chrono::milliseconds timeout);
    // Takes a busy timeout set on a store opened alongside (StoreWorker calls it before each
    // job).
    StoreResult<void> followBusyTimeout();

private:
    StoreResult<void> migrate(const std::function<void(double done)> &progress);
    StoreResult<void> writeMessage(const Message &message, bool insert);
    // What a write may have changed of the counts the session list shows.
    enum class Recount
    {
        Everything,
        OneMore, // a message was appended
        Same,    // as many messages as before
    };
    StoreResult<void> refreshSessionCounts(const QUuid &sessionId, Recount recount);
    bool leaseIsLive(qint64 pid, const QString &hostName, qint64 heartbeatMs) const;
    qint64 nowMs() const;
    Error notOpen() const;

    QString m_connectionName;
    QString m_path;
    QSqlDatabase m_db;
    QThread *m_thread = nullptr; // the one that opened m_db, the only one that may use it
    WalCheckpointer m_checkpointer;
    // Identifies this instance as a lease holder.
    QString m_leaseToken;
    std::chrono::milliseconds m_leaseTimeout = defaultLeaseTimeout;
    std::function<QDateTime()> m_clock;
    // The busy timeout in milliseconds, shared with the stores opened alongside; and the one
    // this connection has applied.
    std::shared_ptr<std::atomic<qint64>> m_busyTimeoutMs;
    qint64 m_appliedBusyTimeoutMs = 0;
};

} // namespace Crosstalk
