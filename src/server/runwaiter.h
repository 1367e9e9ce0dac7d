// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "oldtooloperations.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QUuid>

#include <functional>
#include <vector>

namespace Crosstalk {

class Engine;
struct EngineEvent;
struct Message;

// "Wait until the session settles, then answer", for every transport that runs a session and
// answers when it is done (REST POST /run, MCP crosstalk_run). A wait is registered for a
// session with a completion callback, called exactly once: with the run reply
// (OldToolOperations::runReply, with the reason the engine last gave and the session's storage
// fault) once the session has stopped running and its replies in flight are in, or with not_found
// when the session is deleted first. A wait belongs to an owner object: when the owner goes,
// or forget() is called for it, the wait is dropped without a callback, and the session runs
// on. The transports keep only their own parts: the responder, the JSON-RPC reply.
class RunWaiter : public QObject
{
    Q_OBJECT

public:
    // The settled run reply, or the error saying the session was deleted while it ran.
    using Done = std::function<void(const OldToolOperations::Result &)>;
    // A message of the session completed while it is waited for.
    using Progress = std::function<void(const Message &)>;

    explicit RunWaiter(Engine *engine, QObject *parent = nullptr);
    ~RunWaiter() override;

    // Waits for session `id` on behalf of `owner` (not null). When the session is settled
    // already, `done` is called before this returns.
    void wait(const QUuid &id, QObject *owner, Done done, Progress progress = {});
    // Drops every wait of `owner` without calling it back.
    void forget(const QObject *owner);
    // The sessions waited for, each once.
    QList<QUuid> sessions() const;

private:
    struct Wait
    {
        quint64 key = 0;
        QUuid sessionId;
        const QObject *owner = nullptr;
        QMetaObject::Connection ownerGone;
        Done done;
        Progress progress;
        // Why the session stopped, when the engine said (a failed reply, a budget cap), and the
        // code of a failed model call.
        QString reason;
        std::optional<ErrorCode> errorCode;
    };

    void onEngineEvent(const EngineEvent &event);
    // Answers the waits of a session once it has stopped running and its replies are in.
    void settle(const QUuid &id);
    // The error a run reply carries: the store's fault, else a failed model call's.
    std::optional<Error> whyPaused(const QUuid &id, const Wait &wait) const;
    // The keys of the session's waits, so callbacks may add or drop waits meanwhile.
    QList<quint64> keysFor(const QUuid &id) const;
    Wait *find(quint64 key);
    // Removes the wait and calls it back; nothing when it is gone already.
    void complete(quint64 key, const OldToolOperations::Result &result);

    Engine *m_engine;
    std::vector<Wait> m_waits;
    quint64 m_nextKey = 0;
};

} // namespace Crosstalk
