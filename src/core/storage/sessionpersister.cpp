// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/sessionpersister.h"

#include "conversation/engine.h"
#include "storage/sessionstore.h"

#include <QDebug>

namespace Crosstalk {

SessionPersister::SessionPersister(Engine *engine, SessionStore *store, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_store(store)
{
    m_checkpointTimer.setInterval(CheckpointInterval);
    m_checkpointTimer.setSingleShot(true);
    connect(&m_checkpointTimer, &QTimer::timeout, this, &SessionPersister::flush);
    m_heartbeatTimer.setInterval(HeartbeatInterval);
    connect(&m_heartbeatTimer, &QTimer::timeout, this, &SessionPersister::heartbeat);
    m_heartbeatTimer.start();
    connect(engine, &Engine::event, this, &SessionPersister::onEvent);
}

void SessionPersister::report(const Error &error)
{
    qWarning().noquote() << error.message;
    Q_EMIT storeError(error.message);
}

void SessionPersister::saveSession(const QUuid &id)
{
    if (const Session *session = m_engine->session(id))
        if (auto result = m_store->saveSession(*session); !result)
            report(result.error());
}

void SessionPersister::onEvent(const EngineEvent &event)
{
    switch (event.type) {
    case EngineEventType::SessionCreated:
        if (const Session *session = m_engine->session(event.sessionId))
            if (auto result = m_store->saveSession(*session, SessionStore::Messages::Replace);
                !result)
                report(result.error());
        break;
    case EngineEventType::SessionUpdated:
        saveSession(event.sessionId);
        break;
    case EngineEventType::SessionStatus:
        saveSession(event.sessionId);
        if (event.newStatus == SessionStatus::Running) {
            m_leased.insert(event.sessionId);
        } else if (m_leased.remove(event.sessionId)) {
            if (auto result = m_store->releaseLease(event.sessionId); !result)
                report(result.error());
        }
        break;
    case EngineEventType::MessageStarted:
        m_sessionOfMessage.insert(event.message.id, event.sessionId);
        // A regenerated message starts again under its old id: it is stored already.
        if (auto result = m_store->appendMessage(event.message); !result) {
            if (result.error().code != ErrorCode::Conflict)
                report(result.error());
            else if (auto updated = m_store->updateMessage(event.message); !updated)
                report(updated.error());
        }
        break;
    case EngineEventType::MessageDelta:
        m_dirtyStreaming.insert(event.messageId);
        if (!m_checkpointTimer.isActive())
            m_checkpointTimer.start();
        break;
    case EngineEventType::MessageCompleted:
    case EngineEventType::MessageFailed:
        m_dirtyStreaming.remove(event.message.id);
        m_sessionOfMessage.remove(event.message.id);
        if (auto result = m_store->updateMessage(event.message); !result)
            report(result.error());
        saveSession(event.sessionId); // usage totals, updated time
        break;
    case EngineEventType::SessionDeleted:
        m_leased.remove(event.sessionId);
        if (auto result = m_store->deleteSession(event.sessionId); !result)
            report(result.error());
        break;
    }
}

void SessionPersister::flush()
{
    const QSet<QUuid> dirty = std::exchange(m_dirtyStreaming, {});
    for (const QUuid &messageId : dirty) {
        const Session *session = m_engine->session(m_sessionOfMessage.value(messageId));
        if (!session)
            continue;
        for (auto it = session->messages.crbegin(); it != session->messages.crend(); ++it) {
            if (it->id != messageId)
                continue;
            if (auto result = m_store->checkpointStreaming(messageId, it->content); !result)
                report(result.error());
            break;
        }
    }
}

void SessionPersister::heartbeat()
{
    for (const QUuid &id : std::as_const(m_leased))
        if (auto result = m_store->renewLease(id); !result)
            report(result.error());
}

} // namespace Crosstalk
