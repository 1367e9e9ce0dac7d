// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "conversation/engineevent.h"
#include "conversation/error.h"
#include "ratelimiter.h"

#include <QHostAddress>
#include <QMultiHash>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <optional>

class QHttpServerRequest;
class QHttpServerResponder;
class QHttpServerResponse;

namespace Crosstalk {

class Engine;
class McpServer;
class PersonaLibrary;
class RequestGate;
struct Session;

// The local REST API (PRODUCT.md §4 "Local REST API", §6) on the process's one Engine: the old
// tool's endpoints with their paths, fields, defaults and status names, plus /healthz.
//
//   POST   /v1/crosstalk/setup            create a session → {session_id, status, models, …}
//   POST   /v1/crosstalk/{id}/run         run it, answer when it ends (?wait=false: 202 at once)
//   GET    /v1/crosstalk/{id}/status      the old status object
//   GET    /v1/crosstalk/list             {sessions: [status objects], total}
//   DELETE /v1/crosstalk/{id}[/delete]    {success: true, message}
//   POST   /mcp                           MCP over Streamable HTTP (docs/mcp.md)
//   GET    /healthz                       no token needed
//
// Every request passes, in this order: the request gate (body ≤ 1 MiB, sane framing), the
// per-client rate limit, the Host check (a loopback name, against DNS rebinding), the Origin
// check (no site but a loopback one may call from a browser), and the bearer token. Every
// answer is JSON; errors are `{"error": {"code", "message", "details"}}`.
class RestServer : public QObject
{
    Q_OBJECT

public:
    RestServer(Engine *engine, const PersonaLibrary *library, QObject *parent = nullptr);
    ~RestServer() override;

    // The bearer token every route but /healthz asks for. Without one, those routes refuse
    // every request.
    void setToken(const QString &token);
    void setRateLimits(const RateLimits &limits);

    // Starts listening (once). Port 0 picks a free port. The error names the address and why
    // it cannot be used, e.g. a port already in use (code conflict).
    std::optional<Error> listen(const QHostAddress &address = QHostAddress(QHostAddress::LocalHost),
                                quint16 port = 0);
    QHostAddress address() const;
    quint16 port() const;
    // http://127.0.0.1:PORT
    QUrl url() const;

private:
    class Dispatcher;
    class PendingRun;
    class McpExchange;

    void handle(const QHttpServerRequest &request, QHttpServerResponder &responder);
    // Answers the request when it is refused before routing; nullopt lets it through.
    std::optional<QHttpServerResponse> screen(const QHttpServerRequest &request) const;
    // Nullopt when the responder was kept to answer later.
    std::optional<QHttpServerResponse> route(const QHttpServerRequest &request,
                                             QHttpServerResponder &responder);
    bool hostAllowed(QByteArrayView host) const;

    QHttpServerResponse setup(const QHttpServerRequest &request);
    QHttpServerResponse status(const QUuid &id);
    QHttpServerResponse list();
    QHttpServerResponse remove(const QUuid &id);
    std::optional<QHttpServerResponse> run(const QUuid &id, const QHttpServerRequest &request,
                                           QHttpServerResponder &responder);
    std::optional<QHttpServerResponse> mcp(const QHttpServerRequest &request,
                                           QHttpServerResponder &responder);

    void onEngineEvent(const EngineEvent &event);
    // Answers the run requests waiting for a session once it has stopped running and its
    // replies in flight are in.
    void settle(const QUuid &id);
    void finish(PendingRun *pending, QHttpServerResponse &&response);

    Engine *m_engine;
    const PersonaLibrary *m_library;
    Dispatcher *m_dispatcher;
    McpServer *m_mcp;
    QPointer<RequestGate> m_gate;
    QString m_token;
    RateLimiter m_limiter;
    QMultiHash<QUuid, PendingRun *> m_pending;
};

} // namespace Crosstalk
