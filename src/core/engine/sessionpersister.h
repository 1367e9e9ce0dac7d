// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"
#include "engine/engineevent.h"
#include "storage/storeresult.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

namespace Crosstalk {

class Engine;
class SessionStore;
class StoreWorker;

// Writes what the engine does into the session store as it happens: each finished message in
// its own transaction, the streaming message checkpointed a few times a second (a crash loses
// at most that tail), statuses and totals as they change, and the lease of every running
// session renewed by a heartbeat so other processes know it is alive. The writes run on a
// StoreWorker's thread, so a store that waits for another process's lock or a slow disk never
// stalls the caller's thread; the engine reports an event once what it says is stored.
//
// The first write of a session that fails (disk full, read-only, corrupt, its lease taken by
// another process) stops the writing of that session and is reported once through
// writeFailed(): the engine pauses it (QUALITY.md R14). What the engine holds in memory is then
// the only copy of what followed; saveHeld() writes it once the cause is gone.
class SessionPersister : public QObject
{
    Q_OBJECT

public:
    static constexpr std::chrono::milliseconds CheckpointInterval{250};
    static constexpr std::chrono::milliseconds HeartbeatInterval{3000};

    // Writes to `store` through a connection of its own opened alongside it.
    SessionPersister(Engine *engine, SessionStore *store, QObject *parent = nullptr);
    // The writes asked for so far are made first.
    ~SessionPersister() override;

    // Writes what `event` changed. `stored` (if any) is called on this thread once that is
    // committed or has failed (then writeFailed() came first), or at once when the event
    // writes nothing.
    void record(const EngineEvent &event, std::function<void()> stored);
    // Asks for the streaming checkpoints pending now.
    void flush();
    // Writes the pending checkpoints and waits until every write asked for is made, e.g.
    // before exiting.
    void finishWrites();
    // Waits until every write asked for is made and reports their outcomes now (writeFailed(),
    // the `stored` calls): for the few answers that must say whether the store has it (a new
    // session) or must come before what follows (a session's last status before it goes).
    void settleNow();
    // Renews the leases of the running sessions now (the heartbeat does it every
    // HeartbeatInterval).
    void heartbeat();

    // Takes the session's lease for this process, after the writes asked for before (the
    // session itself may be among them), and waits for the answer: `conflict` when another
    // process holds it.
    StoreResult<void> acquireLease(const QUuid &sessionId, const QString &processKind);
    // acquireLease() without waiting: `done` gets the answer on `context`'s thread.
    void acquireLease(const QUuid &sessionId, const QString &processKind, QObject *context,
                      std::function<void(const StoreResult<void> &leased)> done);
    // The thread the writes run on, for a test that waits until what it asked is answered.
    StoreWorker *writer() const { return m_worker.get(); }

    // Why the session's transcript cannot be saved (`storage_error`), or nothing.
    std::optional<Error> failure(const QUuid &sessionId) const;
    // Writes the whole session as the engine holds it, and writes it on from then on. A
    // session whose lease another process took is that process's: it is not written over,
    // the store's copy stands, and while that process holds it the answer is `conflict`. The
    // error (`storage_error`) when the store still fails.
    std::optional<Error> saveHeld(const QUuid &sessionId);
    // Whether the store lacks something of the session that the engine holds: a write failed
    // or is still being made, or a streaming reply's latest text waits for its checkpoint.
    bool holdsUnsaved(const QUuid &sessionId) const;
    // How many sessions it keeps track of: those running, streaming, being written or failed,
    // never one deleted (QUALITY.md R15).
    qsizetype sessionsHeld() const;

Q_SIGNALS:
    // The first failed write of a session since it was last saved; `error` is a
    // `storage_error` that says why, for people.
    void writeFailed(const QUuid &sessionId, const Crosstalk::Error &error);

private:
    struct Failure
    {
        Error error;
        bool leaseLost = false;
    };
    using Job = std::function<StoreResult<void>(SessionStore &)>;
    enum class Kind
    {
        Write,
        Lease,  // a conflict means another process took the session
        Delete, // runs also for a session whose writes stopped, and failing only warns
    };

    // Runs `job` on the worker; its outcome comes back to written().
    void write(const QUuid &sessionId, Job job, std::function<void()> stored,
               Kind kind = Kind::Write);
    struct Outcome
    {
        QUuid sessionId;
        std::optional<Error> error;
        Kind kind = Kind::Write;
        std::function<void()> stored;
    };
    // Reports the outcomes the worker has queued, in order.
    void reportOutcomes();
    void written(const Outcome &outcome);
    // The session's fields, status and totals, without its messages.
    void saveSession(const QUuid &id, std::function<void()> stored);
    void fail(const QUuid &sessionId, const Error &storeError, bool leaseLost);

    Engine *m_engine;
    std::unique_ptr<StoreWorker> m_worker;
    std::optional<Error> m_workerError; // why the worker's connection could not be opened
    // Sessions whose writes stopped at a failure, as the worker sees them: writes asked for
    // before the failure was reported here are skipped there. Touched on the worker only.
    std::shared_ptr<QSet<QUuid>> m_stoppedOnWorker;
    QHash<QUuid, int> m_inFlight; // writes asked for and not yet reported, by session
    std::mutex m_outcomesMutex;
    std::deque<Outcome> m_outcomes; // made on the worker, not yet reported here
    QSet<QUuid> m_dirtyStreaming;   // message ids
    QHash<QUuid, QUuid> m_sessionOfMessage;
    QSet<QUuid> m_leased;
    QHash<QUuid, Failure> m_failed; // by session id
    QTimer m_checkpointTimer;
    QTimer m_heartbeatTimer;
};

} // namespace Crosstalk
