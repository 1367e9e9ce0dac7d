// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/sessionpersister.h"

#include "engine/engine.h"
#include "storage/sessionstore.h"

#include <QDebug>

#include <algorithm>

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

std::optional<Error> SessionPersister::failure(const QUuid &sessionId) const
{
    const auto it = m_failed.constFind(sessionId);
    if (it == m_failed.cend())
        return std::nullopt;
    return it->error;
}

void SessionPersister::fail(const QUuid &sessionId, const Error &storeError, bool leaseLost)
{
    qWarning().noquote() << storeError.message;
    if (m_failed.contains(sessionId))
        return;
    const Error error{ErrorCode::StorageError,
                      tr("The transcript cannot be saved: %1").arg(storeError.message),
                      {}};
    m_failed.insert(sessionId, {error, leaseLost});
    Q_EMIT writeFailed(sessionId, error);
}

template<typename Result>
bool SessionPersister::check(const QUuid &sessionId, const Result &result)
{
    if (result)
        return true;
    fail(sessionId, result.error(), false);
    return false;
}

std::optional<Error> SessionPersister::saveHeld(const QUuid &sessionId)
{
    const auto it = m_failed.constFind(sessionId);
    if (it == m_failed.cend())
        return std::nullopt;
    if (it->leaseLost) {
        // The process that took the session goes on with it; this one waits until it lets
        // go, and then goes on from the store's copy.
        auto holder = m_store->leaseHolder(sessionId);
        if (!holder)
            return Error{ErrorCode::StorageError,
                         tr("The transcript cannot be saved: %1").arg(holder.error().message),
                         {}};
        if (holder->has_value())
            return Error{ErrorCode::Conflict,
                         tr("The session runs in %1 now.").arg((*holder)->description()),
                         {}};
    }
    const Session *session = m_engine->session(sessionId);
    if (session && !it->leaseLost) {
        if (auto saved = m_store->saveSession(*session, SessionStore::Messages::Replace); !saved)
            return Error{ErrorCode::StorageError,
                         tr("The transcript cannot be saved: %1").arg(saved.error().message),
                         {}};
    }
    m_failed.remove(sessionId);
    return std::nullopt;
}

bool SessionPersister::holdsUnsaved(const QUuid &sessionId) const
{
    return m_failed.contains(sessionId) ||
           std::any_of(m_dirtyStreaming.cbegin(), m_dirtyStreaming.cend(),
                       [&](const QUuid &messageId) {
                           return m_sessionOfMessage.value(messageId) == sessionId;
                       });
}

qsizetype SessionPersister::sessionsHeld() const
{
    QSet<QUuid> held = m_leased;
    for (const QUuid &id : m_sessionOfMessage)
        held.insert(id);
    for (auto it = m_failed.keyBegin(); it != m_failed.keyEnd(); ++it)
        held.insert(*it);
    return held.size();
}

void SessionPersister::saveSession(const QUuid &id)
{
    if (const Session *session = m_engine->session(id))
        check(id, m_store->saveSession(*session));
}

void SessionPersister::onEvent(const EngineEvent &event)
{
    if (event.type == EngineEventType::MessageStarted)
        m_sessionOfMessage.insert(event.message.id, event.sessionId);
    if (event.type == EngineEventType::SessionStatus && event.newStatus != SessionStatus::Running)
        m_leased.remove(event.sessionId);
    if (event.type == EngineEventType::MessageCompleted ||
        event.type == EngineEventType::MessageFailed) {
        m_dirtyStreaming.remove(event.message.id);
        m_sessionOfMessage.remove(event.message.id);
    }
    // Nothing of a session is written while its store fails: the engine holds it, and
    // saveHeld() writes all of it at once.
    if (m_failed.contains(event.sessionId) && event.type != EngineEventType::SessionDeleted)
        return;

    switch (event.type) {
    case EngineEventType::SessionCreated:
        if (const Session *session = m_engine->session(event.sessionId))
            check(event.sessionId, m_store->saveSession(*session, SessionStore::Messages::Replace));
        break;
    case EngineEventType::SessionUpdated:
        saveSession(event.sessionId);
        break;
    case EngineEventType::SessionStatus:
        saveSession(event.sessionId);
        if (event.newStatus == SessionStatus::Running)
            m_leased.insert(event.sessionId);
        else if (!m_failed.contains(event.sessionId))
            check(event.sessionId, m_store->releaseLease(event.sessionId));
        break;
    case EngineEventType::MessageStarted:
        // A regenerated message starts again under its old id: it is stored already.
        if (auto result = m_store->appendMessage(event.message); !result) {
            if (result.error().code != ErrorCode::Conflict)
                fail(event.sessionId, result.error(), false);
            else
                check(event.sessionId, m_store->updateMessage(event.message));
        }
        break;
    case EngineEventType::MessageDelta:
        m_dirtyStreaming.insert(event.messageId);
        if (!m_checkpointTimer.isActive())
            m_checkpointTimer.start();
        break;
    case EngineEventType::MessageCompleted:
    case EngineEventType::MessageFailed:
        if (check(event.sessionId, m_store->updateMessage(event.message)))
            saveSession(event.sessionId); // usage totals, updated time
        break;
    case EngineEventType::SessionDeleted:
        m_leased.remove(event.sessionId);
        m_failed.remove(event.sessionId);
        // Replies cut off with their session (or never sent, awaiting a key) end no message.
        m_sessionOfMessage.removeIf([&](const auto &entry) {
            if (entry.value() != event.sessionId)
                return false;
            m_dirtyStreaming.remove(entry.key());
            return true;
        });
        if (auto result = m_store->deleteSession(event.sessionId); !result)
            qWarning().noquote() << result.error().message;
        break;
    }
}

void SessionPersister::flush()
{
    const QSet<QUuid> dirty = std::exchange(m_dirtyStreaming, {});
    for (const QUuid &messageId : dirty) {
        const QUuid sessionId = m_sessionOfMessage.value(messageId);
        const Session *session = m_engine->session(sessionId);
        if (!session || m_failed.contains(sessionId))
            continue;
        for (auto it = session->messages.crbegin(); it != session->messages.crend(); ++it) {
            if (it->id != messageId)
                continue;
            check(sessionId, m_store->checkpointStreaming(messageId, it->content));
            break;
        }
    }
}

void SessionPersister::heartbeat()
{
    const QSet<QUuid> leased = m_leased;
    for (const QUuid &id : leased) {
        if (m_failed.contains(id))
            continue;
        if (auto result = m_store->renewLease(id); !result)
            // Another process took the session: its run there goes on, this one stops.
            fail(id, result.error(), result.error().code == ErrorCode::Conflict);
    }
}

} // namespace Crosstalk
