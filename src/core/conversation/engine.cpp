// SPDX-License-Identifier: GPL-3.0-or-later
#include "conversation/engine.h"

#include "config/secretstore.h"
#include "conversation/sessiondocument.h"
#include "conversation/sessionrun.h"
#include "storage/sessionpersister.h"
#include "storage/sessionstore.h"

using namespace Qt::StringLiterals;

namespace Crosstalk {

Engine::Engine(const ModelRegistry &registry, ChatClient *chatClient, SecretStore *secrets,
               QObject *parent)
    : QObject(parent)
    , m_registry(registry)
    , m_chatClient(chatClient)
    , m_secrets(secrets)
{}

Engine::~Engine() = default;

void Engine::setStore(SessionStore *store, const QString &processKind)
{
    m_store = store;
    m_processKind = processKind;
    delete m_persister;
    m_persister = new SessionPersister(this, store, this);
}

SessionRun *Engine::adopt(const Session &session)
{
    auto *run = new SessionRun(this, session);
    connect(run, &SessionRun::event, this, &Engine::event);
    m_runs.insert(session.id, run);
    m_order.append(session.id);
    return run;
}

const Session *Engine::load(const QUuid &id, std::optional<Error> *error)
{
    if (const Session *loaded = session(id))
        return loaded;
    if (!m_store)
        return nullptr;
    StoreResult<Session> stored = m_store->loadSession(id);
    if (!stored) {
        if (error && stored.error().code != ErrorCode::NotFound)
            *error = stored.error();
        return nullptr;
    }
    return &adopt(std::move(stored).value())->session();
}

Parsed<QUuid> Engine::createSession(Session draft)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    draft.id = QUuid::createUuid();
    draft.status = SessionStatus::Configured;
    draft.messages.clear();
    draft.result.reset();
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
    if (!errors.isEmpty())
        return {std::nullopt, errors};

    adopt(draft);
    Q_EMIT event(EngineEvent::forSession(EngineEventType::SessionCreated, draft.id));
    return {draft.id, {}};
}

QList<QUuid> Engine::sessionIds() const
{
    return m_order;
}

SessionRun *Engine::run(const QUuid &id) const
{
    return m_runs.value(id);
}

const Session *Engine::session(const QUuid &id) const
{
    const SessionRun *r = run(id);
    return r ? &r->session() : nullptr;
}

std::optional<Error> Engine::notFound(const QUuid &id) const
{
    return Error{
        ErrorCode::NotFound, tr("No session %1.").arg(id.toString(QUuid::WithoutBraces)), {}};
}

std::optional<Error> Engine::start(const QUuid &id)
{
    std::optional<Error> loadError;
    load(id, &loadError);
    if (loadError)
        return loadError;
    SessionRun *r = run(id);
    if (!r)
        return notFound(id);
    switch (r->session().status) {
    case SessionStatus::Completed:
        return std::nullopt; // running a completed session returns it unchanged
    case SessionStatus::Running:
        return Error{ErrorCode::Conflict, tr("The session is already running."), {}};
    case SessionStatus::Cancelled:
    case SessionStatus::Failed:
        return Error{
            ErrorCode::Conflict,
            tr("The session is %1; fork it to continue.").arg(enumToString(r->session().status)),
            {}};
    case SessionStatus::Paused:
        if (r->hasCallsInFlight())
            return Error{ErrorCode::Conflict,
                         tr("Replies of the paused round are still arriving; try again when "
                            "they are in."),
                         {}};
        break;
    case SessionStatus::Configured:
    case SessionStatus::Interrupted:
        break;
    }
    // One process at a time runs a session; the others show it read-only.
    if (m_store)
        if (auto leased = m_store->acquireLease(id, m_processKind); !leased)
            return leased.error();
    r->start();
    return std::nullopt;
}

std::optional<Error> Engine::pause(const QUuid &id)
{
    load(id);
    SessionRun *r = run(id);
    if (!r)
        return notFound(id);
    if (r->session().status != SessionStatus::Running)
        return Error{ErrorCode::Conflict, tr("Only a running session can be paused."), {}};
    r->pause();
    return std::nullopt;
}

std::optional<Error> Engine::stop(const QUuid &id)
{
    load(id);
    SessionRun *r = run(id);
    if (!r)
        return notFound(id);
    const SessionStatus status = r->session().status;
    if (status != SessionStatus::Running && status != SessionStatus::Paused &&
        status != SessionStatus::Interrupted && status != SessionStatus::Configured)
        return Error{
            ErrorCode::Conflict, tr("The session is already %1.").arg(enumToString(status)), {}};
    r->stop();
    return std::nullopt;
}

std::optional<Error> Engine::remove(const QUuid &id)
{
    SessionRun *r = run(id);
    if (!r && m_store) {
        // Known only to the store: the persister deletes it when it hears of the deletion.
        if (!load(id))
            return notFound(id);
        r = run(id);
    }
    if (!r)
        return notFound(id);
    if (r->session().status == SessionStatus::Running)
        r->stop();
    m_runs.remove(id);
    m_order.removeOne(id);
    r->disconnect(this);
    r->deleteLater();
    Q_EMIT event(EngineEvent::forSession(EngineEventType::SessionDeleted, id));
    return std::nullopt;
}

void Engine::resolveKey(const ModelConfig &model, QObject *context,
                        std::function<void(QString key, QString error)> done)
{
    if (model.apiKeyRef.startsWith(u"keychain:"_s) && m_secrets) {
        m_secrets->read(
            model.apiKeyRef.mid(9), context,
            [done, alias = model.alias](std::optional<QString> secret, const QString &error) {
                if (!error.isEmpty())
                    done({}, tr("The key of model '%1' could not be read from the "
                                "keychain: %2")
                                 .arg(alias, error));
                else
                    done(secret.value_or(QString()), {});
            });
        return;
    }
    done(m_registry.environmentKey(model), {});
}

} // namespace Crosstalk
