// SPDX-License-Identifier: GPL-3.0-or-later
#include "oldtooloperations.h"

#include "conversation/oldtooljson.h"
#include "engine/engine.h"
#include "persona/personalibrary.h"
#include "setuprequest.h"
#include "storage/sessionstore.h"
#include "storage/storeworker.h"

#include <QJsonArray>
#include <QSet>

using namespace Qt::StringLiterals;

namespace Crosstalk::OldToolOperations {

namespace {

QString idText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces);
}

// The old status object from a store listing, for sessions this process has not loaded.
QJsonObject statusOf(const SessionSummary &summary)
{
    return {
        {u"session_id"_s, idText(summary.id)},
        {u"status"_s, OldToolJson::statusName(summary.status)},
        {u"models"_s, QJsonArray::fromStringList(summary.modelAliases)},
        {u"paradigm"_s, enumToString(summary.paradigm)},
        {u"iterations"_s, summary.rounds},
        {u"current_iteration"_s, summary.completedRounds},
        {u"message_count"_s, summary.messageCount},
        {u"created_at"_s, double(summary.createdAt.toMSecsSinceEpoch()) / 1000.0},
    };
}

} // namespace

Error noSession(const QString &id)
{
    return Error{ErrorCode::NotFound, u"No session %1."_s.arg(id), {}};
}

Result setup(Engine &engine, const PersonaLibrary &library, const QJsonObject &body)
{
    const Parsed<Session> draft =
        SetupRequest::read(body, engine.registry(), library, engine.reader());
    if (!draft)
        return Result::failure(Error::invalidInput(draft.errors));
    const Parsed<QUuid> created = engine.createSession(*draft.value);
    if (!created)
        return Result::failure(
            Error::invalidInput(SetupRequest::requestFieldNames(created.errors, body)));
    // Kept in memory, it is not set up: a client must not go on as if it were.
    if (std::optional<Error> unsaved = engine.storageFault(*created.value))
        return Result::failure(*unsaved);
    const Session &session = *engine.session(*created.value);
    QJsonArray models;
    for (const Participant &participant : session.participants)
        models.append(participant.modelAlias);
    return {QJsonObject{
                {u"session_id"_s, idText(session.id)},
                {u"status"_s, OldToolJson::statusName(session.status)},
                {u"models"_s, models},
                {u"paradigm"_s, enumToString(session.paradigm)},
                {u"iterations"_s, session.rounds},
            },
            std::nullopt};
}

Result status(Engine &engine, const QUuid &id)
{
    if (const Session *session = engine.session(id))
        return {OldToolJson::status(*session), std::nullopt};
    if (StoreWorker *store = engine.reader()) {
        StoreResult<Session> stored =
            store->fetch([id](SessionStore &s) { return s.loadSession(id); });
        if (stored)
            return {OldToolJson::status(*stored), std::nullopt};
        if (stored.error().code != ErrorCode::NotFound)
            return Result::failure(stored.error());
    }
    return Result::failure(noSession(idText(id)));
}

Result list(Engine &engine)
{
    QJsonArray sessions;
    QSet<QUuid> listed;
    if (StoreWorker *store = engine.reader()) {
        StoreResult<SessionList> stored =
            store->fetch([](SessionStore &s) { return s.listSessions(); });
        if (!stored)
            return Result::failure(stored.error());
        for (const SessionSummary &summary : stored->sessions) {
            const Session *loaded = engine.session(summary.id);
            sessions.append(loaded ? OldToolJson::status(*loaded) : statusOf(summary));
            listed.insert(summary.id);
        }
    }
    // Created here but not written yet (or kept in memory only, without a store).
    for (const QUuid &id : engine.sessionIds())
        if (!listed.contains(id))
            sessions.append(OldToolJson::status(*engine.session(id)));
    return {QJsonObject{{u"sessions"_s, sessions}, {u"total"_s, qint64(sessions.size())}},
            std::nullopt};
}

Result remove(Engine &engine, const QUuid &id)
{
    const Session *here = engine.session(id);
    StoreWorker *store = engine.reader();
    if (store && !(here && isRunning(here->status))) {
        // Deleting a session under the process that runs it would pull its transcript away.
        if (auto holder = store->fetch([id](SessionStore &s) { return s.leaseHolder(id); });
            holder && holder.value())
            return Result::failure(Error{ErrorCode::Conflict,
                                         u"The session runs in %1; stop it there first."_s.arg(
                                             holder.value()->description()),
                                         {}});
    }
    if (const std::optional<Error> error = engine.remove(id))
        return Result::failure(*error);
    return {QJsonObject{{u"success"_s, true}, {u"message"_s, u"Session deleted successfully"_s}},
            std::nullopt};
}

std::optional<Error> runningLimit(const Engine &engine, int maxRunning)
{
    const QList<QUuid> ids = engine.sessionIds();
    const qsizetype running = std::count_if(ids.cbegin(), ids.cend(), [&](const QUuid &id) {
        const Session *session = engine.session(id);
        return session && isRunning(session->status);
    });
    if (running < maxRunning)
        return std::nullopt;
    return Error{ErrorCode::RateLimited,
                 u"%1 sessions run already, the most this server runs at once; try again when "
                 "one of them ends."_s.arg(maxRunning),
                 {{u"max_running"_s, maxRunning}}};
}

Result start(Engine &engine, const QUuid &id, bool *finished, int maxRunning,
             const BudgetChange &budget)
{
    *finished = false;
    std::optional<Error> loadError;
    const Session *session = engine.load(id, &loadError);
    if (!session)
        return Result::failure(loadError ? *loadError : noSession(idText(id)));
    // Running a completed session returns it unchanged.
    if (session->status == SessionStatus::Completed) {
        *finished = true;
        return {runReply(*session, {}), std::nullopt};
    }
    if (!isRunning(session->status))
        if (std::optional<Error> limited = runningLimit(engine, maxRunning))
            return Result::failure(*limited);
    if (!budget.isEmpty())
        if (const std::optional<Error> refused = engine.setBudget(id, budget))
            return Result::failure(*refused);
    if (const std::optional<Error> error = engine.start(id))
        return Result::failure(*error);
    return {};
}

QJsonObject runReply(const Session &session, const QString &reason,
                     const std::optional<Error> &error)
{
    QJsonArray conversation;
    for (const Message &message : session.messages)
        conversation.append(OldToolJson::message(message, session));
    QJsonObject reply{
        {u"session_id"_s, idText(session.id)},
        {u"status"_s, OldToolJson::statusName(session.status)},
        {u"conversation"_s, conversation},
        {u"duration_seconds"_s, OldToolJson::durationSeconds(session)},
    };
    if (!reason.isEmpty())
        reply.insert(u"reason"_s, reason);
    if (error)
        reply.insert(u"error"_s, QJsonObject{{u"code"_s, enumToString(error->code)},
                                             {u"message"_s, error->message}});
    return reply;
}

} // namespace Crosstalk::OldToolOperations
