// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/sessionpersister.h"

#include "engine/engine.h"
#include "storage/sessionstore.h"
#include "storage/storeworker.h"

#include <QDebug>

#include <algorithm>

namespace Crosstalk {

namespace {

// The session as the store keeps its row: the messages are written one by one.
Session withoutMessages(const Session &session)
{
    Session header = session;
    header.messages.clear();
    return header;
}

} // namespace

SessionPersister::SessionPersister(Engine *engine, SessionStore *store, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_worker(std::make_unique<StoreWorker>())
    , m_stoppedOnWorker(std::make_shared<QSet<QUuid>>())
{
    if (auto opened = m_worker->open(*store); !opened) {
        qWarning().noquote() << opened.error().message;
        m_workerError = opened.error();
    }
    m_checkpointTimer.setInterval(CheckpointInterval);
    m_checkpointTimer.setSingleShot(true);
    connect(&m_checkpointTimer, &QTimer::timeout, this, &SessionPersister::flush);
    m_heartbeatTimer.setInterval(HeartbeatInterval);
    connect(&m_heartbeatTimer, &QTimer::timeout, this, &SessionPersister::heartbeat);
    m_heartbeatTimer.start();
}

SessionPersister::~SessionPersister()
{
    // Outcomes still on their way here are dropped with this object; the writes are made.
    m_worker.reset();
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

void SessionPersister::write(const QUuid &sessionId, Job job, std::function<void()> stored,
                             Kind kind)
{
    if (m_workerError) {
        if (kind != Kind::Delete)
            fail(sessionId, *m_workerError, false);
        if (stored)
            stored();
        return;
    }
    ++m_inFlight[sessionId];
    m_worker->post([this, stopped = m_stoppedOnWorker, sessionId, kind, job = std::move(job),
                    stored = std::move(stored)](SessionStore &store) {
        std::optional<Error> error;
        if (kind == Kind::Delete || !stopped->contains(sessionId)) {
            if (auto result = job(store); !result) {
                error = result.error();
                if (kind != Kind::Delete)
                    stopped->insert(sessionId);
            }
        }
        if (kind == Kind::Delete)
            stopped->remove(sessionId);
        {
            const std::lock_guard lock(m_outcomesMutex);
            m_outcomes.push_back({sessionId, error, kind, stored});
        }
        // Queued to this object's thread: the worker is drained before this object goes.
        QMetaObject::invokeMethod(this, &SessionPersister::reportOutcomes, Qt::QueuedConnection);
    });
}

void SessionPersister::reportOutcomes()
{
    // One at a time: a report may lead here again (settleNow() from a listener).
    for (;;) {
        Outcome outcome;
        {
            const std::lock_guard lock(m_outcomesMutex);
            if (m_outcomes.empty())
                return;
            outcome = std::move(m_outcomes.front());
            m_outcomes.pop_front();
        }
        written(outcome);
    }
}

void SessionPersister::written(const Outcome &outcome)
{
    if (auto it = m_inFlight.find(outcome.sessionId); it != m_inFlight.end() && --*it <= 0)
        m_inFlight.erase(it);
    if (const std::optional<Error> &error = outcome.error) {
        if (outcome.kind == Kind::Delete)
            qWarning().noquote() << error->message;
        else
            fail(outcome.sessionId, *error,
                 outcome.kind == Kind::Lease && error->code == ErrorCode::Conflict);
    }
    if (outcome.stored)
        outcome.stored();
}

void SessionPersister::settleNow()
{
    m_worker->drain();
    reportOutcomes();
}

StoreResult<void> SessionPersister::acquireLease(const QUuid &sessionId, const QString &processKind)
{
    if (m_workerError)
        return *m_workerError;
    StoreResult<void> acquired =
        storeError(ErrorCode::Internal, QStringLiteral("the store's thread did not answer"));
    m_worker->call(
        [&](SessionStore &store) { acquired = store.acquireLease(sessionId, processKind); });
    return acquired;
}

void SessionPersister::acquireLease(const QUuid &sessionId, const QString &processKind,
                                    QObject *context,
                                    std::function<void(const StoreResult<void> &leased)> done)
{
    if (m_workerError) {
        QMetaObject::invokeMethod(
            context, [done, error = *m_workerError] { done(error); }, Qt::QueuedConnection);
        return;
    }
    m_worker->submit(
        context,
        [sessionId, processKind](SessionStore &store) {
            return store.acquireLease(sessionId, processKind);
        },
        std::move(done));
}

std::optional<Error> SessionPersister::saveHeld(const QUuid &sessionId)
{
    const auto it = m_failed.constFind(sessionId);
    if (it == m_failed.cend())
        return std::nullopt;
    if (m_workerError)
        return Error{ErrorCode::StorageError,
                     tr("The transcript cannot be saved: %1").arg(m_workerError->message),
                     {}};
    // After what was asked of the worker before is done (or skipped); this thread waits, so
    // the job may read the engine's copy of the session.
    const bool leaseLost = it->leaseLost;
    const Session *session = m_engine->session(sessionId);
    std::optional<Error> refused;
    m_worker->call([&](SessionStore &store) {
        if (leaseLost) {
            // The process that took the session goes on with it; this one waits until it lets
            // go, and then goes on from the store's copy.
            auto holder = store.leaseHolder(sessionId);
            if (!holder)
                refused =
                    Error{ErrorCode::StorageError,
                          tr("The transcript cannot be saved: %1").arg(holder.error().message),
                          {}};
            else if (holder->has_value())
                refused = Error{ErrorCode::Conflict,
                                tr("The session runs in %1 now.").arg((*holder)->description()),
                                {}};
            return;
        }
        if (!session)
            return;
        if (auto saved = store.saveSession(*session, SessionStore::Messages::Replace); !saved)
            refused = Error{ErrorCode::StorageError,
                            tr("The transcript cannot be saved: %1").arg(saved.error().message),
                            {}};
    });
    if (refused)
        return refused;
    m_failed.remove(sessionId);
    m_worker->post(
        [stopped = m_stoppedOnWorker, sessionId](SessionStore &) { stopped->remove(sessionId); });
    return std::nullopt;
}

bool SessionPersister::holdsUnsaved(const QUuid &sessionId) const
{
    return m_failed.contains(sessionId) || m_inFlight.contains(sessionId) ||
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
    for (auto it = m_inFlight.keyBegin(); it != m_inFlight.keyEnd(); ++it)
        held.insert(*it);
    return held.size();
}

void SessionPersister::saveSession(const QUuid &id, std::function<void()> stored)
{
    const Session *session = m_engine->session(id);
    if (!session) {
        if (stored)
            stored();
        return;
    }
    write(
        id,
        [header = withoutMessages(*session)](SessionStore &store) {
            return store.saveSession(header);
        },
        std::move(stored));
}

void SessionPersister::record(const EngineEvent &event, std::function<void()> stored)
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
    if (m_failed.contains(event.sessionId) && event.type != EngineEventType::SessionDeleted) {
        if (stored)
            stored();
        return;
    }

    switch (event.type) {
    case EngineEventType::SessionCreated:
        if (const Session *session = m_engine->session(event.sessionId)) {
            write(
                event.sessionId,
                [session = *session](SessionStore &store) {
                    return store.saveSession(session, SessionStore::Messages::Replace);
                },
                std::move(stored));
            return;
        }
        break;
    case EngineEventType::SessionUpdated:
        saveSession(event.sessionId, std::move(stored));
        return;
    case EngineEventType::SessionStatus:
        if (event.newStatus == SessionStatus::Running) {
            m_leased.insert(event.sessionId);
            saveSession(event.sessionId, std::move(stored));
        } else {
            saveSession(event.sessionId, {});
            write(
                event.sessionId,
                [id = event.sessionId](SessionStore &store) { return store.releaseLease(id); },
                std::move(stored));
        }
        return;
    case EngineEventType::MessageStarted:
        // A regenerated message starts again under its old id: it is stored already.
        write(
            event.sessionId,
            [message = event.message](SessionStore &store) -> StoreResult<void> {
                if (auto appended = store.appendMessage(message); !appended) {
                    if (appended.error().code != ErrorCode::Conflict)
                        return appended;
                    return store.updateMessage(message);
                }
                return {};
            },
            std::move(stored));
        return;
    case EngineEventType::MessageDelta:
        m_dirtyStreaming.insert(event.messageId);
        if (!m_checkpointTimer.isActive())
            m_checkpointTimer.start();
        break;
    case EngineEventType::MessageCompleted:
    case EngineEventType::MessageFailed:
        if (const Session *session = m_engine->session(event.sessionId)) {
            // The message and the session's totals (usage, updated time) in one job.
            write(
                event.sessionId,
                [message = event.message,
                 header = withoutMessages(*session)](SessionStore &store) -> StoreResult<void> {
                    if (auto updated = store.updateMessage(message); !updated)
                        return updated;
                    return store.saveSession(header);
                },
                std::move(stored));
            return;
        }
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
        write(
            event.sessionId,
            [id = event.sessionId](SessionStore &store) { return store.deleteSession(id); },
            std::move(stored), Kind::Delete);
        return;
    }
    if (stored)
        stored();
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
            write(sessionId,
                  [messageId, content = it->content](SessionStore &store) {
                      return store.checkpointStreaming(messageId, content);
                  },
                  {});
            break;
        }
    }
}

void SessionPersister::finishWrites()
{
    flush();
    m_worker->drain();
}

void SessionPersister::heartbeat()
{
    for (const QUuid &id : std::as_const(m_leased)) {
        if (m_failed.contains(id))
            continue;
        // Another process that took the session goes on with it there; this one stops.
        write(id, [id](SessionStore &store) { return store.renewLease(id); }, {}, Kind::Lease);
    }
}

} // namespace Crosstalk
