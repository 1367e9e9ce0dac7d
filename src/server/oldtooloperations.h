// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"
#include "conversation/budget.h"

#include <QJsonObject>
#include <QUuid>

#include <optional>

namespace Crosstalk {

class Engine;
class PersonaLibrary;
struct Session;

// The old tool's operations (PRODUCT.md appendix) on the process's one Engine, whatever the
// transport: the REST API and MCP both answer with these objects, so their fields, defaults
// and status names cannot drift apart.
namespace OldToolOperations {

// An operation's reply object, or why there is none.
struct Result
{
    QJsonObject value;
    std::optional<Error> error;

    explicit operator bool() const { return !error; }
    static Result failure(Error error) { return {{}, std::move(error)}; }
};

// not_found naming the id as the client gave it.
Error noSession(const QString &id);

// Creates a session from a setup request → {session_id, status, models, paradigm,
// iterations}. Invalid input is an invalid_argument error listing every field problem, named
// as the request named them.
Result setup(Engine &engine, const PersonaLibrary &library, const QJsonObject &body);
// The old status object. A session this process has not loaded is read from the store as it
// stands, without adopting it, so a session another process runs is not frozen here.
Result status(Engine &engine, const QUuid &id);
// {sessions: [status objects], total}: the store's sessions, overlaid with the live state of
// those this process has loaded, then those only this process knows.
Result list(Engine &engine);
// {success: true, message}. Refused (conflict) while another process runs the session.
Result remove(Engine &engine, const QUuid &id);

// How many sessions `serve` and the window's local API run at once unless told otherwise.
inline constexpr int defaultMaxRunning = 16;
// `rate_limited` when `maxRunning` sessions of this process run already (QUALITY.md R15).
std::optional<Error> runningLimit(const Engine &engine, int maxRunning);
// Starts or continues a session for a run request. A completed session is not run again:
// `value` is then its run reply and `finished` is set. Beyond `maxRunning` sessions running
// at once it is refused (rate_limited) and the session stays as it was. A `budget` given
// changes the session's caps first (a session a cap paused goes on only under new ones).
Result start(Engine &engine, const QUuid &id, bool *finished, int maxRunning,
             const BudgetChange &budget = {});
// {session_id, status, conversation, duration_seconds[, reason][, error: {code, message}]};
// `error` says why the session paused when a program must act on it (`storage_error`).
QJsonObject runReply(const Session &session, const QString &reason,
                     const std::optional<Error> &error = std::nullopt);

} // namespace OldToolOperations

} // namespace Crosstalk
