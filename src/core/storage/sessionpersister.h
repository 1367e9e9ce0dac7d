// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "conversation/engineevent.h"
#include "conversation/error.h"

#include <QObject>
#include <QSet>
#include <QTimer>

namespace Crosstalk {

class Engine;
class SessionStore;

// Writes what the engine does into the session store as it happens: each finished message in
// its own transaction, the streaming message checkpointed a few times a second (a crash loses
// at most that tail), statuses and totals as they change, and the lease of every running
// session renewed by a heartbeat so other processes know it is alive.
class SessionPersister : public QObject
{
    Q_OBJECT

public:
    static constexpr std::chrono::milliseconds CheckpointInterval{250};
    static constexpr std::chrono::milliseconds HeartbeatInterval{3000};

    SessionPersister(Engine *engine, SessionStore *store, QObject *parent = nullptr);

    // Writes everything that is pending now (streaming checkpoints), e.g. before exiting.
    void flush();

Q_SIGNALS:
    // A write failed; the message names the operation and the session. The run goes on: the
    // transcript in memory is intact, and the next write of the session retries the state.
    void storeError(const QString &message);

private:
    void onEvent(const EngineEvent &event);
    void saveSession(const QUuid &id);
    void heartbeat();
    void report(const Error &error);

    Engine *m_engine;
    SessionStore *m_store;
    QSet<QUuid> m_dirtyStreaming; // message ids
    QHash<QUuid, QUuid> m_sessionOfMessage;
    QSet<QUuid> m_leased;
    QTimer m_checkpointTimer;
    QTimer m_heartbeatTimer;
};

} // namespace Crosstalk
