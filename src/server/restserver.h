// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"
#include "engine/engineevent.h"
#include "oldtooloperations.h"
#include "ratelimiter.h"
#include "requestgate.h"

#include <QHostAddress>
#include <QMultiHash>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <chrono>
#include <memory>
#include <optional>

class QHttpServerRequest;
class QHttpServerResponder;
class QHttpServerResponse;
class QTimer;

namespace Crosstalk {

class Engine;
class McpServer;
class PersonaLibrary;
class RunWaiter;
struct Session;

// The local REST API (PRODUCT.md §4 "Local REST API", §6, docs/rest.md) on the process's one
// Engine: the old tool's endpoints with their paths, fields, defaults and status names, and
// Crosstalk's own. routes() lists them all; resources/openapi.json describes them.
//
//   POST   /v1/crosstalk/setup            create a session → {session_id, status, models, …}
//   POST   /v1/crosstalk/{id}/run         run it, answer when it ends (?wait=false: 202 at once)
//   GET    /v1/crosstalk/{id}/status      the old status object
//   GET    /v1/crosstalk/list             {sessions: [status objects], total}
//   DELETE /v1/crosstalk/{id}[/delete]    {success: true, message}
//   GET    /v1/crosstalk/{id}/events      server-sent engine events, until the session ends
//   GET    /v1/crosstalk/{id}/transcript  ?format=md|html|txt|pdf|json|legacy-json
//   POST   /v1/crosstalk/{id}/pause|resume|stop, /v1/crosstalk/{id}/messages
//   GET    /v1/sessions/{id}, /v1/models, /v1/paradigms, /openapi.json
//   POST   /mcp                           MCP over Streamable HTTP (docs/mcp.md)
//   GET    /healthz                       no token needed
//
// Every request passes, in this order: the request gate (body ≤ 1 MiB, sane framing, a head
// within 10 s, idle connections closed after 60 s), the Host check (a loopback name, against
// DNS rebinding), the Origin check (no site but a loopback one may call from a browser), the
// bearer token, and only then the per-client rate limit, so that refused requests cannot use
// up a real client's allowance. Every
// answer but a transcript, an event stream and the OpenAPI document's is JSON; errors are
// `{"error": {"code", "message", "details"}}`.
//
// Responders kept open (a waiting run, an event stream, an MCP call) are forgotten when
// their connection closes: QHttpServer 6.8 does not tell them, so the gate's socket is watched.
class RestServer : public QObject
{
    Q_OBJECT

public:
    // One route: its method and path, `{id}` standing for a session id.
    struct Route
    {
        QByteArray method;
        QString path;
    };
    // Every route the server serves, as the router matches them.
    static QList<Route> routes();

    RestServer(Engine *engine, const PersonaLibrary *library, QObject *parent = nullptr);
    ~RestServer() override;

    // The bearer token every route but /healthz asks for. Without one, those routes refuse
    // every request.
    void setToken(const QString &token);
    void setRateLimits(const RateLimits &limits);
    // The most sessions run and resume requests (REST and MCP) let run at once; beyond it
    // they answer 429 rate_limited and the session stays as it was (QUALITY.md R15).
    void setMaxRunning(int maxRunning);
    // How often an idle event stream gets a comment, so proxies and clients see it alive.
    void setKeepAliveInterval(std::chrono::milliseconds interval);
    // How long a request head may take to arrive, and an idle connection may stay open.
    void setConnectionTimeouts(const RequestGate::Timeouts &timeouts);

    // Starts listening (once). Port 0 picks a free port. The error names the address and why
    // it cannot be used, e.g. a port already in use (code conflict).
    std::optional<Error> listen(const QHostAddress &address = QHostAddress(QHostAddress::LocalHost),
                                quint16 port = 0);
    QHostAddress address() const;
    quint16 port() const;
    // http://127.0.0.1:PORT
    QUrl url() const;

    // How many sessions it keeps anything of (event ids, waiting runs, streams): those in
    // memory or followed, never one deleted (QUALITY.md R15).
    qsizetype sessionsHeld() const;

private:
    class Dispatcher;
    class PendingRun;
    class McpHttpChannel;
    class EventStream;
    struct Call;
    using Handler = std::optional<QHttpServerResponse> (RestServer::*)(const Call &);
    struct RouteEntry;
    static const QList<RouteEntry> &routeTable();

    void handle(const QHttpServerRequest &request, QHttpServerResponder &responder);
    // Answers the request when it is refused before routing; nullopt lets it through.
    std::optional<QHttpServerResponse> screen(const QHttpServerRequest &request) const;
    // Nullopt when the responder was kept to answer later.
    std::optional<QHttpServerResponse> route(const QHttpServerRequest &request,
                                             QHttpServerResponder &responder);
    bool hostAllowed(QByteArrayView host) const;

    std::optional<QHttpServerResponse> healthz(const Call &call);
    std::optional<QHttpServerResponse> openApi(const Call &call);
    std::optional<QHttpServerResponse> mcp(const Call &call);
    std::optional<QHttpServerResponse> setup(const Call &call);
    std::optional<QHttpServerResponse> list(const Call &call);
    std::optional<QHttpServerResponse> run(const Call &call);
    std::optional<QHttpServerResponse> status(const Call &call);
    std::optional<QHttpServerResponse> remove(const Call &call);
    std::optional<QHttpServerResponse> events(const Call &call);
    std::optional<QHttpServerResponse> transcript(const Call &call);
    std::optional<QHttpServerResponse> pause(const Call &call);
    std::optional<QHttpServerResponse> resume(const Call &call);
    std::optional<QHttpServerResponse> stop(const Call &call);
    std::optional<QHttpServerResponse> postMessage(const Call &call);
    std::optional<QHttpServerResponse> document(const Call &call);
    std::optional<QHttpServerResponse> models(const Call &call);
    std::optional<QHttpServerResponse> paradigms(const Call &call);

    // Sends a session's event to its streams and ends those whose session has ended.
    void broadcast(const EngineEvent &event);
    // The `id:` of the session's latest event.
    quint64 lastEventId(const QUuid &id) const;
    // The `end` event closing a session's streams; `status` is how it ended.
    QByteArray endEvent(const QUuid &id, const QString &status) const;
    void endStream(EventStream *stream, const QByteArray &finalEvent);
    void forgetStream(EventStream *stream);

    Engine *m_engine;
    const PersonaLibrary *m_library;
    Dispatcher *m_dispatcher;
    McpServer *m_mcp;
    QPointer<RequestGate> m_gate;
    RequestGate::Timeouts m_connectionTimeouts;
    QString m_token;
    RateLimiter m_limiter;
    int m_maxRunning = OldToolOperations::defaultMaxRunning;
    // The run requests waiting for their session (PendingRun), deleted first when the server
    // goes: their responders tell their connections, which live in the dispatcher.
    std::unique_ptr<QObject> m_waitingRuns;
    RunWaiter *m_runWaiter = nullptr;
    QMultiHash<QUuid, EventStream *> m_streams;
    // The `id:` of each session's events: one sequence per session, the same for every stream.
    // Kept while the session is in memory or streamed.
    QHash<QUuid, quint64> m_sequence;
    quint64 m_eventCount = 0; // every session's events
    QTimer *m_keepAlive;
};

} // namespace Crosstalk
