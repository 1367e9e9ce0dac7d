// SPDX-License-Identifier: GPL-3.0-or-later
#include "runwaiter.h"

#include "engine/engine.h"
#include "engine/engineevent.h"

#include <QSet>

#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;

namespace Crosstalk {

RunWaiter::RunWaiter(Engine *engine, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
{
    connect(engine, &Engine::event, this, &RunWaiter::onEngineEvent);
}

RunWaiter::~RunWaiter()
{
    for (const Wait &wait : m_waits)
        disconnect(wait.ownerGone);
}

void RunWaiter::wait(const QUuid &id, QObject *owner, Done done, Progress progress)
{
    Q_ASSERT(owner);
    const quint64 key = ++m_nextKey;
    Wait wait;
    wait.key = key;
    wait.sessionId = id;
    wait.owner = owner;
    wait.done = std::move(done);
    wait.progress = std::move(progress);
    wait.ownerGone = connect(owner, &QObject::destroyed, this, [this, key] {
        std::erase_if(m_waits, [key](const Wait &each) { return each.key == key; });
    });
    m_waits.push_back(std::move(wait));
    // The session may have settled at once (nothing left to say).
    settle(id);
}

void RunWaiter::forget(const QObject *owner)
{
    std::erase_if(m_waits, [owner](const Wait &each) {
        if (each.owner != owner)
            return false;
        QObject::disconnect(each.ownerGone);
        return true;
    });
}

QList<QUuid> RunWaiter::sessions() const
{
    QSet<QUuid> ids;
    for (const Wait &wait : m_waits)
        ids.insert(wait.sessionId);
    return ids.values();
}

QList<quint64> RunWaiter::keysFor(const QUuid &id) const
{
    QList<quint64> keys;
    for (const Wait &wait : m_waits)
        if (wait.sessionId == id)
            keys.append(wait.key);
    return keys;
}

RunWaiter::Wait *RunWaiter::find(quint64 key)
{
    const auto found = std::find_if(m_waits.begin(), m_waits.end(),
                                    [key](const Wait &each) { return each.key == key; });
    return found == m_waits.end() ? nullptr : &*found;
}

void RunWaiter::complete(quint64 key, const OldToolOperations::Result &result)
{
    Wait *found = find(key);
    if (!found)
        return;
    // Out of the list before the call: the callback may end the owner or wait anew.
    Wait wait = std::move(*found);
    m_waits.erase(m_waits.begin() + (found - m_waits.data()));
    disconnect(wait.ownerGone);
    wait.done(result);
}

void RunWaiter::onEngineEvent(const EngineEvent &event)
{
    const QList<quint64> keys = keysFor(event.sessionId);
    if (keys.isEmpty())
        return;
    switch (event.type) {
    case EngineEventType::SessionDeleted: {
        const auto deleted = OldToolOperations::Result::failure(
            Error{ErrorCode::NotFound, u"The session was deleted while it ran."_s, {}});
        for (const quint64 key : keys)
            complete(key, deleted);
        return;
    }
    case EngineEventType::SessionStatus:
        if (!event.reason.isEmpty())
            for (const quint64 key : keys)
                if (Wait *wait = find(key)) {
                    wait->reason = event.reason;
                    wait->errorCode = event.errorCode;
                }
        break;
    case EngineEventType::MessageCompleted:
        for (const quint64 key : keys) {
            const Wait *wait = find(key);
            if (!wait || !wait->progress)
                continue;
            // A copy: the callback may drop its wait.
            const Progress progress = wait->progress;
            progress(event.message);
        }
        break;
    default:
        break;
    }
    settle(event.sessionId);
}

std::optional<Error> RunWaiter::whyPaused(const QUuid &id, const Wait &wait) const
{
    if (std::optional<Error> storage = m_engine->storageFault(id))
        return storage;
    const Session *session = m_engine->session(id);
    if (wait.errorCode && session && session->status == SessionStatus::Paused)
        return Error{*wait.errorCode, wait.reason, {}};
    return std::nullopt;
}

void RunWaiter::settle(const QUuid &id)
{
    const Session *session = m_engine->session(id);
    if (!session || !session->isSettled() || m_engine->hasUnpublished(id))
        return;
    for (const quint64 key : keysFor(id))
        if (const Wait *wait = find(key))
            complete(key,
                     {OldToolOperations::runReply(*session, wait->reason, whyPaused(id, *wait)),
                      std::nullopt});
}

} // namespace Crosstalk
