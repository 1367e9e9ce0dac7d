// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"
#include "common/parsed.h"
#include "conversation/budget.h"
#include "conversation/session.h"
#include "engine/engineevent.h"
#include "llm/modelregistry.h"
#include "storage/storeresult.h"

#include <QHash>
#include <QObject>
#include <QSet>

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>

class QTimer;

namespace Crosstalk {

class ChatClient;
class SecretStore;
class SessionPersister;
class SessionRun;
class SessionStore;
class StoreWorker;

// The one engine of a process: it owns the sessions, runs any number of them at once, and
// tells the window, the REST event stream and MCP what happens through event(). It lives on
// the main thread. Provider calls are asynchronous, and the store is worked on two threads of
// its own: the persister's writes go to one, the reads (loading a session, the window's
// lists) to the other, so no SQLite statement runs on the main thread.
class Engine : public QObject
{
    Q_OBJECT

public:
    Engine(const ModelRegistry &registry, ChatClient *chatClient, SecretStore *secrets,
           QObject *parent = nullptr);
    ~Engine() override;

    // Persist every session to `store` from now on, and find sessions there that this process
    // has not loaded yet. `processKind` ("window", "crosstalk run"…) tells other processes
    // where a session runs.
    void setStore(SessionStore *store, const QString &processKind);
    // Reads of the store, on a thread of their own: StoreWorker::submit() answers without
    // waiting, fetch() for a caller that must have the answer before it returns. Null without
    // a store.
    StoreWorker *reader() const { return m_reader.get(); }
    SessionPersister *persister() const { return m_persister; }

    const ModelRegistry &registry() const { return m_registry; }
    // Takes the models as they are now configured (after Settings changed them). Running
    // sessions use the new configuration from their next request on.
    void setRegistry(const ModelRegistry &registry);
    // Keeps a model and its key for this run of the program only, for a user whose keychain
    // could not keep the key: neither is written anywhere, both are gone when the program
    // ends. An empty `key` keeps the one held for the alias.
    void keepForThisRun(ModelConfig model, const QString &key);
    void forgetForThisRun(const QString &alias);
    // Where keychain keys are read from; null when keys come from the environment only.
    SecretStore *secrets() const { return m_secrets; }
    // Another place for keys (tests use one whose keychain fails); not owned.
    void setSecrets(SecretStore *secrets) { m_secrets = secrets; }
    ChatClient *chatClient() const { return m_chatClient; }

    // How a command that adds or deletes a session answers: once the store has it (a server,
    // whose reply says whether the session is kept; storageFault() tells at once), or without
    // waiting for the store (the window: a failure comes through storageFailed(), which
    // pauses the session and shows why).
    enum class StoreAnswer
    {
        Confirmed,
        Immediate,
    };

    // What to do with a cost cap that cannot count a model, one with no known price: refuse
    // it (servers, the command line), or keep it because the user accepted a warning.
    enum class UnpricedModels
    {
        Refuse,
        Accept,
    };

    // Checks a new session against the rules of PRODUCT.md §1 and the configured models,
    // gives it an id, a title and times, and keeps it, `configured`. Every problem is named.
    Parsed<QUuid> createSession(Session draft, StoreAnswer answer = StoreAnswer::Confirmed,
                                UnpricedModels unpriced = UnpricedModels::Refuse);
    // The session's models a cost cap cannot count ("big (model x at example.com)"); empty
    // when the session has no cost cap or every model's price is known.
    QStringList unpricedModels(const Session &session) const;

    // The sessions this process has loaded, in the order they were created or loaded. A session
    // let go of while idle (setUnloadIdleAfter) is not among them until it is loaded again.
    QList<QUuid> sessionIds() const;
    // A loaded session, or null.
    const Session *session(const QUuid &id) const;
    // Whether events of the session wait for the store to confirm a finished reply or status:
    // what
    // session() shows is then ahead of what was reported. Who answers when a session has
    // settled waits for its last event.
    bool hasUnpublished(const QUuid &id) const { return m_outbox.contains(id); }
    // A session, loaded from the store if this process has not loaded it yet (or, idle here,
    // read again in case another process changed it); null if it exists nowhere. A store
    // failure is reported through `error`. It waits for the store's reader thread.
    const Session *load(const QUuid &id, std::optional<Error> *error = nullptr);
    // load() without waiting: `done` is called on `context`'s thread once the session is
    // loaded and current (not_found, or the store's error, when it is not), unless `context`
    // is gone by then. What `done` asks of the engine at once finds the session loaded and
    // does not read it again. A window calls it before each command on a session.
    void whenLoaded(const QUuid &id, QObject *context,
                    std::function<void(const std::optional<Error> &error)> done);

    // Start or continue a session. A completed session stays as it is; one already running
    // is refused (conflict). A session paused because the store failed is first saved as it
    // is held (the window's Retry), and stays paused with `storage_error` while that fails.
    std::optional<Error> start(const QUuid &id);
    // start() without waiting (the window): the session is loaded (whenLoaded()) and its lease
    // taken on the store's threads; `done` gets what start() would return, on `context`'s
    // thread, unless `context` is gone by then.
    void startWhenReady(const QUuid &id, QObject *context,
                        std::function<void(const std::optional<Error> &error)> done);
    // Why the session's transcript cannot be saved (`storage_error`; QUALITY.md R14), or
    // nothing. Such a session is paused and kept in memory.
    std::optional<Error> storageFault(const QUuid &id) const;
    // Lets replies in flight finish and starts no new ones.
    std::optional<Error> pause(const QUuid &id);
    // Aborts replies in flight, keeping what arrived; the session ends `cancelled`.
    std::optional<Error> stop(const QUuid &id);
    std::optional<Error> remove(const QUuid &id, StoreAnswer answer = StoreAnswer::Confirmed);
    // Gives a session another title (trimmed; not empty, at most Session::maxTopicLength).
    std::optional<Error> rename(const QUuid &id, const QString &title);

    // Run control (PRODUCT.md §3). Each refuses with `conflict` while the session runs where
    // the action needs it paused, and with `not_found` for unknown ids.

    // Asks again for a failed or partial reply of the latest round, in place; the session
    // stays paused until it is resumed.
    std::optional<Error> retry(const QUuid &sessionId, const QUuid &messageId);
    // Asks again for any participant's reply. The last one is replaced in place; for an
    // earlier one a fork ending at it is made and asks again there, so the original stays
    // intact. Either way the session stays paused once the reply is in. `result` is the
    // session that asks (the same or the fork).
    std::optional<Error> regenerate(const QUuid &sessionId, const QUuid &messageId, QUuid *result,
                                    StoreAnswer answer = StoreAnswer::Confirmed);
    // Replaces a message's text: in place for the last message, else in a fork that ends at
    // the edited message.
    std::optional<Error> editMessage(const QUuid &sessionId, const QUuid &messageId,
                                     const QString &content, QUuid *result,
                                     StoreAnswer answer = StoreAnswer::Confirmed);
    // A new session with the transcript up to and including `messageId`, paused, ready to go
    // on; the original stays intact.
    std::optional<Error> fork(const QUuid &sessionId, const QUuid &messageId, QUuid *result,
                              StoreAnswer answer = StoreAnswer::Confirmed);
    // A human message to everyone (empty `recipients`) or to the named participants.
    std::optional<Error> addHumanMessage(const QUuid &sessionId, const QString &text,
                                         const QStringList &recipients);
    // Raises, lowers or removes a session's token and cost caps; it must not be running. A
    // session paused by a cap goes on once resumed under the new ones (start() refuses while
    // a cap is still reached).
    std::optional<Error> setBudget(const QUuid &sessionId, const BudgetChange &change,
                                   UnpricedModels unpriced = UnpricedModels::Refuse);
    // Gives a participant another model; the session must not be running.
    std::optional<Error> setParticipantModel(const QUuid &sessionId, const QString &participant,
                                             const QString &alias);

    // Looks up a model's key: the environment, the keychain, or the memory of this run. Answers
    // once, in `context`'s thread, possibly before returning.
    void resolveKey(const ModelConfig &model, QObject *context,
                    std::function<void(QString key, QString error)> done);

    // The time sessions and messages are stamped with (UTC); tests move it instead of waiting.
    QDateTime now() const { return m_clock(); }
    void setClock(std::function<QDateTime()> clock) { m_clock = std::move(clock); }

    // Lets a session go from memory once nothing has touched it (created, loaded, started, any
    // event) for `after`, so that a long-running server does not keep every session it ever
    // ran (QUALITY.md R15); load() brings it back from the store. Only a session the store
    // holds all of goes: one running or awaiting a reply, or one whose store failed, stays.
    // Zero, the default, keeps every session. A timer looks for idle sessions now and then.
    void setUnloadIdleAfter(std::chrono::milliseconds after);
    // Lets go of every session idle for that long now.
    void unloadIdle();

Q_SIGNALS:
    // What happened, in order for each session. With a store, a finished reply
    // (MessageCompleted, MessageFailed) and a status other than running are reported once
    // the store has them, or once storageFailed() said why it could not; the events after
    // them wait their turn.
    void event(const Crosstalk::EngineEvent &event);
    // The store could not keep a session (storageFault() says why from now on); a running
    // session pauses.
    void storageFailed(const QUuid &sessionId, const Crosstalk::Error &error);
    // The session went from memory while idle; it is still in the store.
    void sessionUnloaded(const QUuid &sessionId);

private:
    // Why a cost cap is refused: the models it cannot count.
    static QString costCapRefusal(const QStringList &models);
    // The run of a session this process has loaded; null otherwise.
    SessionRun *sessionRun(const QUuid &id) const;
    SessionRun *adopt(const Session &session);
    // Whether the session's copy here may be behind the store's (it is idle here), so that
    // loading it reads the store again.
    bool mayBeStale(const QUuid &id) const;
    // What load() reads: the whole session when it is not held here, otherwise only when the
    // store's copy changed after the one held (nullopt when it did not).
    std::function<StoreResult<std::optional<Session>>(SessionStore &)>
    storedCopy(const QUuid &id) const;
    // load()'s outcome once the store answered.
    const Session *adoptStored(const QUuid &id, StoreResult<std::optional<Session>> stored,
                               std::optional<Error> *error);
    // The session's run, loaded from the store first if needed.
    std::optional<Error> loadedRun(const QUuid &id, SessionRun **run);
    // Why the session cannot start, or nothing, with `go` false when there is nothing to start
    // (a completed session); a session the store failed to keep is saved first.
    std::optional<Error> startable(const QUuid &id, SessionRun *run, bool *go);
    // A lease not taken as start() reports it: `conflict` as it is, any other as storage_error.
    Error leaseRefused(const Error &storeError) const;
    // Why the session cannot be changed now (not found, running); otherwise nothing, with
    // `run` set to its run, loaded from the store first if needed.
    std::optional<Error> whyNotIdle(const QUuid &id, SessionRun **run);
    // The fork of `sessionId` holding the messages up to and including `messageId`, paused.
    // With `askAgain`, the fork asks again for that reply at once (its usage is not the fork's).
    std::optional<Error> forkAt(const QUuid &sessionId, const QUuid &messageId, bool askAgain,
                                QUuid *result, StoreAnswer answer);
    // With StoreAnswer::Confirmed, waits until the store has what was asked of it and reports
    // the outcomes.
    void settle(StoreAnswer answer);
    std::optional<Error> notFound(const QUuid &id) const;
    void touch(const QUuid &id);
    // Every event of a session goes out through here, in order (see event()), after it was
    // handed to the persister.
    void publish(const EngineEvent &event);
    void stored(const QUuid &sessionId, quint64 ticket);
    void publishReady();
    bool unloadable(const QUuid &id, const SessionRun *run, qint64 idleSinceMs) const;

    ModelRegistry m_registry;
    QList<ModelConfig> m_runOnlyModels;
    QHash<QString, QString> m_runOnlyKeys; // by alias
    ChatClient *m_chatClient;
    SecretStore *m_secrets;
    std::unique_ptr<StoreWorker> m_reader;
    SessionPersister *m_persister = nullptr;
    // Sessions whenLoaded() brought up to date in this turn of the event loop.
    QSet<QUuid> m_currentThisTurn;
    QString m_processKind;
    QHash<QUuid, SessionRun *> m_runs;
    QList<QUuid> m_order;             // creation order, for stable listings
    QHash<QUuid, qint64> m_touchedMs; // by session id, on m_clock
    std::chrono::milliseconds m_unloadIdleAfter{0};
    QTimer *m_sweep = nullptr;
    // Events waiting for the store to confirm them, or for an earlier one of their session.
    struct Outgoing
    {
        quint64 ticket;
        EngineEvent event;
        bool stored = false;
    };
    QHash<QUuid, std::deque<Outgoing>> m_outbox;
    QSet<QUuid> m_readyToPublish;
    quint64 m_lastTicket = 0;
    bool m_publishing = false;
    std::function<QDateTime()> m_clock = [] { return QDateTime::currentDateTimeUtc(); };
};

} // namespace Crosstalk
