// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/engine.h"

#include "conversation/sessiondocument.h"
#include "engine/sessionpersister.h"
#include "engine/sessionrun.h"
#include "storage/sessionstore.h"
#include "storage/storeworker.h"

#include <QTimer>

using namespace Qt::StringLiterals;

namespace Crosstalk {

Engine::Engine(const ModelRegistry &registry, ChatClient *chatClient, SecretStore *secrets,
               QObject *parent)
    : QObject(parent)
    , m_registry(registry)
    , m_chatClient(chatClient)
    , m_secrets(secrets)
{
    connect(this, &Engine::event, this,
            [this](const EngineEvent &event) { touch(event.sessionId); });
}

Engine::~Engine() = default;

void Engine::touch(const QUuid &id)
{
    if (m_unloadIdleAfter.count() == 0)
        return;
    if (const auto it = m_touchedMs.find(id); it != m_touchedMs.end())
        *it = now().toMSecsSinceEpoch();
}

void Engine::publish(const EngineEvent &event)
{
    if (!m_persister) {
        Q_EMIT this->event(event);
        return;
    }
    // A finished reply, or a session that stopped running, is reported once the store has it,
    // so a crash after the report cannot lose it (PRODUCT.md §6) and another process reads
    // what was reported. Other events are not held back, but keep their place behind those.
    const bool waitsForStore =
        event.type == EngineEventType::MessageCompleted ||
        event.type == EngineEventType::MessageFailed ||
        (event.type == EngineEventType::SessionStatus && event.newStatus != SessionStatus::Running);
    if (!waitsForStore && !m_outbox.contains(event.sessionId)) {
        m_persister->record(event, {});
        Q_EMIT this->event(event);
        return;
    }
    const quint64 ticket = ++m_lastTicket;
    m_outbox[event.sessionId].push_back({ticket, event, !waitsForStore});
    if (waitsForStore)
        m_persister->record(event, [this, id = event.sessionId, ticket] { stored(id, ticket); });
    else
        m_persister->record(event, {});
}

void Engine::stored(const QUuid &sessionId, quint64 ticket)
{
    const auto queue = m_outbox.find(sessionId);
    if (queue == m_outbox.end())
        return;
    for (Outgoing &outgoing : *queue) {
        if (outgoing.ticket == ticket) {
            outgoing.stored = true;
            break;
        }
    }
    m_readyToPublish.insert(sessionId);
    publishReady();
}

void Engine::publishReady()
{
    // A listener may cause events, stored at once or not: the loop that is already
    // publishing takes them, so each session's events keep their order.
    if (m_publishing)
        return;
    m_publishing = true;
    while (!m_readyToPublish.isEmpty()) {
        const QUuid id = *m_readyToPublish.cbegin();
        m_readyToPublish.remove(id);
        for (;;) {
            const auto it = m_outbox.find(id);
            if (it == m_outbox.end() || it->empty() || !it->front().stored)
                break;
            const EngineEvent next = std::move(it->front().event);
            it->pop_front();
            if (it->empty())
                m_outbox.erase(it);
            Q_EMIT event(next);
        }
    }
    m_publishing = false;
}

void Engine::setUnloadIdleAfter(std::chrono::milliseconds after)
{
    m_unloadIdleAfter = after;
    const qint64 nowMs = now().toMSecsSinceEpoch();
    for (qint64 &touched : m_touchedMs)
        touched = nowMs;
    if (after.count() <= 0) {
        delete m_sweep;
        m_sweep = nullptr;
        return;
    }
    if (!m_sweep) {
        m_sweep = new QTimer(this);
        connect(m_sweep, &QTimer::timeout, this, &Engine::unloadIdle);
    }
    // A session goes at most a minute (or one duration) after it became idle enough.
    m_sweep->start(std::min<std::chrono::milliseconds>(after, std::chrono::minutes(1)));
}

bool Engine::unloadable(const QUuid &id, const SessionRun *run, qint64 idleSinceMs) const
{
    return m_touchedMs.value(id) <= idleSinceMs && !isRunning(run->session().status) &&
           run->isQuiet() && !m_persister->holdsUnsaved(id);
}

void Engine::unloadIdle()
{
    if (m_unloadIdleAfter.count() <= 0 || !m_reader || !m_persister)
        return;
    const qint64 idleSinceMs = now().toMSecsSinceEpoch() - m_unloadIdleAfter.count();
    QSet<QUuid> gone;
    for (auto it = m_runs.begin(); it != m_runs.end();) {
        if (!unloadable(it.key(), it.value(), idleSinceMs)) {
            ++it;
            continue;
        }
        gone.insert(it.key());
        m_touchedMs.remove(it.key());
        it.value()->disconnect(this);
        it.value()->deleteLater();
        it = m_runs.erase(it);
    }
    if (gone.isEmpty())
        return;
    m_order.removeIf([&gone](const QUuid &id) { return gone.contains(id); });
    for (const QUuid &id : std::as_const(gone))
        Q_EMIT sessionUnloaded(id);
}

void Engine::setStore(SessionStore *store, const QString &processKind)
{
    m_reader = std::make_unique<StoreWorker>();
    if (auto opened = m_reader->open(*store); !opened) {
        qWarning().noquote() << opened.error().message;
        m_reader.reset();
    }
    m_processKind = processKind;
    delete m_persister;
    // What the old persister was writing is written; its events go out.
    for (auto it = m_outbox.begin(); it != m_outbox.end(); ++it) {
        for (Outgoing &outgoing : *it)
            outgoing.stored = true;
        m_readyToPublish.insert(it.key());
    }
    m_persister = nullptr;
    publishReady();
    m_persister = new SessionPersister(this, store, this);
    connect(m_persister, &SessionPersister::writeFailed, this,
            [this](const QUuid &id, const Error &error) {
                if (SessionRun *r = sessionRun(id))
                    r->halt(error.message);
                Q_EMIT storageFailed(id, error);
            });
}

std::optional<Error> Engine::storageFault(const QUuid &id) const
{
    return m_persister ? m_persister->failure(id) : std::nullopt;
}

SessionRun *Engine::adopt(const Session &session)
{
    auto *run = new SessionRun(this, session);
    connect(run, &SessionRun::event, this, &Engine::publish);
    m_runs.insert(session.id, run);
    m_order.append(session.id);
    m_touchedMs.insert(session.id, now().toMSecsSinceEpoch());
    return run;
}

bool Engine::mayBeStale(const QUuid &id) const
{
    const SessionRun *r = sessionRun(id);
    return r && !isRunning(r->session().status) && !r->hasCallsInFlight() &&
           !m_currentThisTurn.contains(id);
}

std::function<StoreResult<std::optional<Session>>(SessionStore &)>
Engine::storedCopy(const QUuid &id) const
{
    const SessionRun *r = sessionRun(id);
    const std::optional<QDateTime> held = r ? std::optional(r->session().updatedAt) : std::nullopt;
    return [id, held](SessionStore &store) { return store.loadSessionChangedAfter(id, held); };
}

const Session *Engine::load(const QUuid &id, std::optional<Error> *error)
{
    if (SessionRun *r = sessionRun(id)) {
        touch(id);
        if (!m_reader || !mayBeStale(id))
            return &r->session();
    }
    if (!m_reader)
        return nullptr;
    return adoptStored(id, m_reader->fetch(storedCopy(id)), error);
}

const Session *Engine::adoptStored(const QUuid &id, StoreResult<std::optional<Session>> stored,
                                   std::optional<Error> *error)
{
    if (SessionRun *r = sessionRun(id)) {
        // Idle here, it may have moved on in another process since it was loaded.
        if (stored && stored->has_value() && mayBeStale(id) &&
            (*stored)->updatedAt > r->session().updatedAt)
            r->reload(*std::move(stored).value());
        return &r->session();
    }
    if (!stored || !stored->has_value()) {
        if (error && !stored && stored.error().code != ErrorCode::NotFound)
            *error = stored.error();
        return nullptr;
    }
    return &adopt(*std::move(stored).value())->session();
}

void Engine::whenLoaded(const QUuid &id, QObject *context,
                        std::function<void(const std::optional<Error> &error)> done)
{
    const auto answer = [this, id, done](const Session *session, std::optional<Error> error) {
        if (!session && !error)
            error = notFound(id);
        if (session) {
            touch(id);
            // What `done` asks of the engine now finds the session current.
            if (m_currentThisTurn.isEmpty())
                QTimer::singleShot(0, this, [this] { m_currentThisTurn.clear(); });
            m_currentThisTurn.insert(id);
        }
        done(error);
    };
    if (!m_reader || (sessionRun(id) && !mayBeStale(id))) {
        answer(session(id), std::nullopt);
        return;
    }
    m_reader->submit(context, storedCopy(id),
                     [this, id, answer](StoreResult<std::optional<Session>> stored) {
                         std::optional<Error> error;
                         const Session *session = adoptStored(id, std::move(stored), &error);
                         answer(session, error);
                     });
}

Parsed<QUuid> Engine::createSession(Session draft, StoreAnswer answer, UnpricedModels unpriced)
{
    const QDateTime now = this->now();
    draft.id = QUuid::createUuid();
    draft.status = SessionStatus::Configured;
    draft.messages.clear();
    draft.result.reset();
    draft.forkedFrom.reset(); // a duplicate's setup is not a fork's
    draft.usage = {};
    draft.createdAt = now;
    draft.updatedAt = now;
    if (draft.title.trimmed().isEmpty())
        draft.title = Session::titleFromTopic(draft.topic);
    for (qsizetype i = 0; i < draft.participants.size(); ++i)
        if (!draft.participants[i].colour.isValid())
            draft.participants[i].colour = Participant::defaultColour(i);

    // The session document's reader holds every rule of a valid session; a draft that reads
    // back from its own document is valid, and the errors name the same fields everywhere.
    Parsed<Session> checked = SessionDocument::fromJson(SessionDocument::toJson(draft));
    QList<FieldError> errors = checked.errors;
    for (qsizetype i = 0; i < draft.participants.size(); ++i) {
        const QString alias = draft.participants.at(i).modelAlias;
        if (!m_registry.model(alias))
            errors.append({u"participants[%1].model"_s.arg(i),
                           u"unknown model '%1' (configured: %2)"_s.arg(
                               alias, m_registry.aliases().join(u", "_s))});
    }
    for (const auto &[path, alias] :
         {std::pair{u"options.moderator_model"_s, draft.options.moderatorModel},
          std::pair{u"options.summariser_model"_s, draft.options.summariserModel}}) {
        if (!alias.isEmpty() && !m_registry.model(alias))
            errors.append({path, u"unknown model '%1'"_s.arg(alias)});
    }
    if (const QStringList models = unpricedModels(draft);
        !models.isEmpty() && unpriced == UnpricedModels::Refuse)
        errors.append({u"options.budget.cost"_s, costCapRefusal(models)});
    if (!errors.isEmpty())
        return {std::nullopt, errors};

    adopt(draft);
    publish(EngineEvent::forSession(EngineEventType::SessionCreated, draft.id));
    // Whoever asked may learn at once whether the store could keep it (storageFault()).
    settle(answer);
    return {draft.id, {}};
}

void Engine::settle(StoreAnswer answer)
{
    if (m_persister && answer == StoreAnswer::Confirmed)
        m_persister->settleNow();
}

QList<QUuid> Engine::sessionIds() const
{
    return m_order;
}

SessionRun *Engine::sessionRun(const QUuid &id) const
{
    return m_runs.value(id);
}

const Session *Engine::session(const QUuid &id) const
{
    const SessionRun *r = sessionRun(id);
    return r ? &r->session() : nullptr;
}

std::optional<Error> Engine::notFound(const QUuid &id) const
{
    return Error{
        ErrorCode::NotFound, tr("No session %1.").arg(id.toString(QUuid::WithoutBraces)), {}};
}

std::optional<Error> Engine::loadedRun(const QUuid &id, SessionRun **result)
{
    std::optional<Error> error;
    load(id, &error);
    if (error)
        return error;
    *result = sessionRun(id);
    if (!*result)
        return notFound(id);
    return std::nullopt;
}

std::optional<Error> Engine::startable(const QUuid &id, SessionRun *r, bool *go)
{
    *go = false;
    // What followed a failed write is only in memory: it is saved before anything else.
    if (m_persister && !isRunning(r->session().status) && !r->hasCallsInFlight())
        if (std::optional<Error> unsaved = m_persister->saveHeld(id))
            return unsaved;
    const SessionStatus status = r->session().status;
    if (status == SessionStatus::Completed)
        return std::nullopt; // running a completed session returns it unchanged
    if (isRunning(status))
        return Error{ErrorCode::Conflict, tr("The session is already running."), {}};
    if (needsFork(status))
        return Error{ErrorCode::Conflict,
                     tr("The session is %1; fork it to continue.").arg(enumToString(status)),
                     {}};
    if (status == SessionStatus::Paused && r->hasCallsInFlight())
        return Error{
            ErrorCode::Conflict,
            tr("Replies of the paused round are still arriving; try again when they are in."),
            {}};
    if (const QString reached = budgetReached(r->session()); !reached.isEmpty())
        return Error{
            ErrorCode::Conflict, reached + u' ' + tr("Raise or remove the cap to go on."), {}};
    Q_ASSERT(canStart(status));
    *go = true;
    return std::nullopt;
}

Error Engine::leaseRefused(const Error &storeError) const
{
    // One process at a time runs a session; the others show it read-only.
    return storeError.code == ErrorCode::Conflict
               ? storeError
               : Error{ErrorCode::StorageError,
                       tr("The transcript cannot be saved: %1").arg(storeError.message),
                       {}};
}

std::optional<Error> Engine::start(const QUuid &id)
{
    SessionRun *r = nullptr;
    if (auto error = loadedRun(id, &r))
        return error;
    bool go = false;
    if (auto refused = startable(id, r, &go); refused || !go)
        return refused;
    if (m_persister)
        if (auto leased = m_persister->acquireLease(id, m_processKind); !leased)
            return leaseRefused(leased.error());
    r->start();
    return std::nullopt;
}

void Engine::startWhenReady(const QUuid &id, QObject *context,
                            std::function<void(const std::optional<Error> &error)> done)
{
    whenLoaded(id, context, [this, id, context, done](const std::optional<Error> &loaded) {
        SessionRun *r = sessionRun(id);
        bool go = false;
        if (loaded || !r) {
            done(loaded ? loaded : notFound(id));
            return;
        }
        if (auto refused = startable(id, r, &go); refused || !go || !m_persister) {
            if (go)
                r->start();
            done(refused);
            return;
        }
        m_persister->acquireLease(
            id, m_processKind, context, [this, id, done](const StoreResult<void> &leased) {
                SessionRun *run = sessionRun(id);
                bool stillGo = false;
                std::optional<Error> refused =
                    !leased ? std::optional(leaseRefused(leased.error()))
                    : !run  ? notFound(id)
                           // Another command may have started it while the lease was taken.
                           : startable(id, run, &stillGo);
                if (!refused && stillGo)
                    run->start();
                done(refused);
            });
    });
}

std::optional<Error> Engine::pause(const QUuid &id)
{
    load(id);
    SessionRun *r = sessionRun(id);
    if (!r)
        return notFound(id);
    if (!isRunning(r->session().status))
        return Error{ErrorCode::Conflict, tr("Only a running session can be paused."), {}};
    r->pause();
    return std::nullopt;
}

std::optional<Error> Engine::stop(const QUuid &id)
{
    load(id);
    SessionRun *r = sessionRun(id);
    if (!r)
        return notFound(id);
    const SessionStatus status = r->session().status;
    if (hasEnded(status))
        return Error{
            ErrorCode::Conflict, tr("The session is already %1.").arg(enumToString(status)), {}};
    r->stop();
    return std::nullopt;
}

std::optional<Error> Engine::remove(const QUuid &id, StoreAnswer answer)
{
    SessionRun *r = sessionRun(id);
    if (!r && m_reader) {
        // Known only to the store: the persister deletes it when it hears of the deletion.
        if (!load(id))
            return notFound(id);
        r = sessionRun(id);
    }
    if (!r)
        return notFound(id);
    if (isRunning(r->session().status))
        r->stop();
    // The session's last events (its cancellation) go out while it can still be read.
    settle(answer);
    m_runs.remove(id);
    m_order.removeOne(id);
    m_touchedMs.remove(id);
    r->disconnect(this);
    r->deleteLater();
    publish(EngineEvent::forSession(EngineEventType::SessionDeleted, id));
    // Gone from the store too before whoever asked looks again.
    settle(answer);
    return std::nullopt;
}

std::optional<Error> Engine::rename(const QUuid &id, const QString &title)
{
    SessionRun *r = nullptr;
    if (auto error = loadedRun(id, &r))
        return error;
    const QString trimmed = title.trimmed();
    if (trimmed.isEmpty())
        return Error{ErrorCode::InvalidArgument, tr("A title cannot be empty."), {}};
    if (trimmed.size() > Session::maxTopicLength)
        return Error{ErrorCode::InvalidArgument,
                     tr("A title can have at most %1 characters.").arg(Session::maxTopicLength),
                     {}};
    r->setTitle(trimmed);
    return std::nullopt;
}

std::optional<Error> Engine::whyNotIdle(const QUuid &id, SessionRun **result)
{
    SessionRun *r = nullptr;
    if (auto error = loadedRun(id, &r))
        return error;
    if (isRunning(r->session().status) || r->hasCallsInFlight())
        return Error{ErrorCode::Conflict, tr("Pause the session first."), {}};
    *result = r;
    return std::nullopt;
}

std::optional<Error> Engine::retry(const QUuid &sessionId, const QUuid &messageId)
{
    SessionRun *r = nullptr;
    if (auto error = whyNotIdle(sessionId, &r))
        return error;
    const Session &s = r->session();
    if (needsFork(s.status))
        return Error{ErrorCode::Conflict,
                     tr("The session is %1; fork it to continue.").arg(enumToString(s.status)),
                     {}};
    Message *m = r->message(messageId);
    if (!m)
        return Error{ErrorCode::NotFound, tr("No such message in this session."), {}};
    if (!m->isTurn() || (m->status != MessageStatus::Failed && m->status != MessageStatus::Partial))
        return Error{ErrorCode::Conflict, tr("Only a failed or partial reply can be retried."), {}};
    const int round = m->round;
    if (std::any_of(s.messages.cbegin(), s.messages.cend(),
                    [&](const Message &x) { return x.isTurn() && x.round > round; }))
        return Error{ErrorCode::Conflict,
                     tr("Later rounds build on this reply; regenerate it to fork the session."),
                     {}};
    r->regenerate(messageId);
    return std::nullopt;
}

std::optional<Error> Engine::forkAt(const QUuid &sessionId, const QUuid &messageId, bool askAgain,
                                    QUuid *result, StoreAnswer answer)
{
    std::optional<Error> error;
    const Session *original = load(sessionId, &error);
    if (error)
        return error;
    if (!original)
        return notFound(sessionId);
    const auto at = std::find_if(original->messages.cbegin(), original->messages.cend(),
                                 [&](const Message &m) { return m.id == messageId; });
    if (at == original->messages.cend())
        return Error{ErrorCode::NotFound, tr("No such message in this session."), {}};
    Session fork = *original;
    const QDateTime now = this->now();
    fork.id = QUuid::createUuid();
    fork.title = tr("%1 (fork)").arg(original->title);
    fork.status = SessionStatus::Paused;
    fork.result.reset();
    fork.createdAt = now;
    fork.updatedAt = now;
    fork.usage = {};
    fork.forkedFrom = ForkOrigin{sessionId, messageId};
    fork.messages.clear();
    for (const Message &m : original->messages) {
        if (m.seq > at->seq)
            continue;
        if (m.status == MessageStatus::Streaming)
            continue;
        Message copy = m;
        copy.id = QUuid::createUuid();
        copy.sessionId = fork.id;
        fork.messages.append(copy);
        if (askAgain && m.id == messageId)
            continue;
        fork.usage.tokensIn += m.usage.tokensIn;
        fork.usage.tokensOut += m.usage.tokensOut;
        fork.usage.cost += m.usage.cost;
        fork.usage.estimated = fork.usage.estimated || m.usage.estimated;
    }
    adopt(fork);
    publish(EngineEvent::forSession(EngineEventType::SessionCreated, fork.id));
    if (askAgain)
        sessionRun(fork.id)->regenerate(fork.messages.constLast().id);
    // Whoever asked may learn at once whether the store could keep it (storageFault()).
    settle(answer);
    *result = fork.id;
    return std::nullopt;
}

std::optional<Error> Engine::fork(const QUuid &sessionId, const QUuid &messageId, QUuid *result,
                                  StoreAnswer answer)
{
    return forkAt(sessionId, messageId, false, result, answer);
}

std::optional<Error> Engine::regenerate(const QUuid &sessionId, const QUuid &messageId,
                                        QUuid *result, StoreAnswer answer)
{
    SessionRun *r = nullptr;
    if (auto error = whyNotIdle(sessionId, &r))
        return error;
    const Session &s = r->session();
    Message *m = r->message(messageId);
    if (!m)
        return Error{ErrorCode::NotFound, tr("No such message in this session."), {}};
    if (!m->isTurn())
        return Error{
            ErrorCode::InvalidArgument, tr("Only a participant's reply is regenerated."), {}};
    const bool last = std::none_of(s.messages.cbegin(), s.messages.cend(),
                                   [&](const Message &x) { return x.isTurn() && x.seq > m->seq; });
    if (last && !needsFork(s.status)) {
        r->regenerate(messageId);
        *result = sessionId;
        return std::nullopt;
    }
    return forkAt(sessionId, messageId, true, result, answer);
}

std::optional<Error> Engine::editMessage(const QUuid &sessionId, const QUuid &messageId,
                                         const QString &content, QUuid *result, StoreAnswer answer)
{
    if (content.trimmed().isEmpty())
        return Error{ErrorCode::InvalidArgument, tr("A message cannot be empty."), {}};
    SessionRun *r = nullptr;
    if (auto error = whyNotIdle(sessionId, &r))
        return error;
    const Session &s = r->session();
    const Message *m = r->message(messageId);
    if (!m)
        return Error{ErrorCode::NotFound, tr("No such message in this session."), {}};
    if (s.messages.constLast().id == messageId) {
        r->editMessage(messageId, content);
        *result = sessionId;
        return std::nullopt;
    }
    if (auto error = forkAt(sessionId, messageId, false, result, answer))
        return error;
    SessionRun *forked = sessionRun(*result);
    forked->editMessage(forked->session().messages.constLast().id, content);
    return std::nullopt;
}

std::optional<Error> Engine::addHumanMessage(const QUuid &sessionId, const QString &text,
                                             const QStringList &recipients)
{
    std::optional<Error> error;
    load(sessionId, &error);
    if (error)
        return error;
    SessionRun *r = sessionRun(sessionId);
    if (!r)
        return notFound(sessionId);
    if (text.trimmed().isEmpty())
        return Error{ErrorCode::InvalidArgument, tr("A message cannot be empty."), {}};
    QStringList unknown;
    for (const QString &name : recipients)
        if (std::none_of(r->session().participants.cbegin(), r->session().participants.cend(),
                         [&](const Participant &p) { return p.name == name; }))
            unknown << name;
    if (!unknown.isEmpty())
        return Error{ErrorCode::InvalidArgument,
                     tr("No participant named %1.").arg(unknown.join(u", "_s)),
                     {}};
    r->addHumanMessage(text, recipients);
    return std::nullopt;
}

std::optional<Error> Engine::setParticipantModel(const QUuid &sessionId, const QString &participant,
                                                 const QString &alias)
{
    SessionRun *r = nullptr;
    if (auto error = whyNotIdle(sessionId, &r))
        return error;
    if (!m_registry.model(alias))
        return Error{ErrorCode::InvalidArgument, tr("Unknown model '%1'.").arg(alias), {}};
    const QList<Participant> &participants = r->session().participants;
    for (int i = 0; i < participants.size(); ++i) {
        if (participants.at(i).name == participant) {
            r->setParticipantModel(i, alias);
            return std::nullopt;
        }
    }
    return Error{ErrorCode::NotFound, tr("No participant named %1.").arg(participant), {}};
}

} // namespace Crosstalk
