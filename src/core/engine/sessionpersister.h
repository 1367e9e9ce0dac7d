// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"
#include "engine/engineevent.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <optional>

namespace Crosstalk {

class Engine;
class SessionStore;

// Writes what the engine does into the session store as it happens: each finished message in
// its own transaction, the streaming message checkpointed a few times a second (a crash loses
// at most that tail), statuses and totals as they change, and the lease of every running
// session renewed by a heartbeat so other processes know it is alive.
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

    SessionPersister(Engine *engine, SessionStore *store, QObject *parent = nullptr);

    // Writes everything that is pending now (streaming checkpoints), e.g. before exiting.
    void flush();
    // Renews the leases of the running sessions now (the heartbeat does it every
    // HeartbeatInterval).
    void heartbeat();

    // Why the session's transcript cannot be saved (`storage_error`), or nothing.
    std::optional<Error> failure(const QUuid &sessionId) const;
    // Writes the whole session as the engine holds it, and writes it on from then on. A
    // session whose lease another process took is that process's: it is not written over,
    // the store's copy stands, and while that process holds it the answer is `conflict`. The
    // error (`storage_error`) when the store still fails.
    std::optional<Error> saveHeld(const QUuid &sessionId);
    // Whether the store lacks something of the session that the engine holds: a write failed,
    // or a streaming reply's latest text waits for its checkpoint.
    bool holdsUnsaved(const QUuid &sessionId) const;
    // How many sessions it keeps track of: those running, streaming or failed, never one
    // deleted (QUALITY.md R15).
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

    void onEvent(const EngineEvent &event);
    void saveSession(const QUuid &id);
    // True when `result` succeeded; else the session stops being written and writeFailed().
    template<typename Result>
    bool check(const QUuid &sessionId, const Result &result);
    void fail(const QUuid &sessionId, const Error &storeError, bool leaseLost);

    Engine *m_engine;
    SessionStore *m_store;
    QSet<QUuid> m_dirtyStreaming; // message ids
    QHash<QUuid, QUuid> m_sessionOfMessage;
    QSet<QUuid> m_leased;
    QHash<QUuid, Failure> m_failed; // by session id
    QTimer m_checkpointTimer;
    QTimer m_heartbeatTimer;
};

} // namespace Crosstalk
