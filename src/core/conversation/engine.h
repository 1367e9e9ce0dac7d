// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "conversation/engineevent.h"
#include "conversation/error.h"
#include "conversation/parsed.h"
#include "conversation/session.h"
#include "llm/modelregistry.h"

#include <QHash>
#include <QObject>

#include <functional>
#include <optional>

namespace Crosstalk {

class ChatClient;
class SecretStore;
class SessionRun;

// The one engine of a process: it owns the sessions, runs any number of them at once, and
// tells the window, the REST event stream and MCP what happens through event(). It lives on
// the main thread; provider calls are asynchronous, so nothing here blocks.
class Engine : public QObject
{
    Q_OBJECT

public:
    Engine(const ModelRegistry &registry, ChatClient *chatClient, SecretStore *secrets,
           QObject *parent = nullptr);
    ~Engine() override;

    const ModelRegistry &registry() const { return m_registry; }
    ChatClient *chatClient() const { return m_chatClient; }

    // Checks a new session against the rules of PRODUCT.md §1 and the configured models,
    // gives it an id, a title and times, and keeps it, `configured`. Every problem is named.
    Parsed<QUuid> createSession(Session draft);

    QList<QUuid> sessionIds() const;
    const Session *session(const QUuid &id) const;

    // Start or continue a session. A completed session stays as it is; one already running
    // is refused (conflict).
    std::optional<Error> start(const QUuid &id);
    // Lets replies in flight finish and starts no new ones.
    std::optional<Error> pause(const QUuid &id);
    // Aborts replies in flight, keeping what arrived; the session ends `cancelled`.
    std::optional<Error> stop(const QUuid &id);
    std::optional<Error> remove(const QUuid &id);

    // Looks up a model's key: the environment first, then the keychain. Answers once, in
    // `context`'s thread, possibly before returning.
    void resolveKey(const ModelConfig &model, QObject *context,
                    std::function<void(QString key, QString error)> done);

Q_SIGNALS:
    void event(const Crosstalk::EngineEvent &event);

private:
    SessionRun *run(const QUuid &id) const;
    std::optional<Error> notFound(const QUuid &id) const;

    ModelRegistry m_registry;
    ChatClient *m_chatClient;
    SecretStore *m_secrets;
    QHash<QUuid, SessionRun *> m_runs;
    QList<QUuid> m_order; // creation order, for stable listings
};

} // namespace Crosstalk
