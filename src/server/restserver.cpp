// SPDX-License-Identifier: GPL-3.0-or-later
// RestServer: listening, screening, routing, and the run and MCP requests answered later.
#include "restparts.h"

#include <QAbstractHttpServer>
#include <QNetworkInterface>
#include <QSet>

using namespace Qt::StringLiterals;

namespace Crosstalk {

using namespace RestParts;

struct RestServer::RouteEntry
{
    Method method;
    QByteArray methodName;
    QString path;
    Handler handler;
    // The old tool's endpoints answer invalid input with 422, as it did.
    HttpError::Dialect dialect = HttpError::Dialect::Crosstalk;
    // The path's segments, split once.
    QStringList segments = path.split(u'/', Qt::SkipEmptyParts);
};

class RestServer::Dispatcher : public QAbstractHttpServer
{
public:
    explicit Dispatcher(RestServer *server)
        : QAbstractHttpServer(server)
        , m_server(server)
    {}

protected:
    bool handleRequest(const QHttpServerRequest &request, QHttpServerResponder &responder) override
    {
        m_server->handle(request, responder);
        return true;
    }

    // Only reached for requests QAbstractHttpServer handles itself (WebSocket upgrades).
    void missingHandler(const QHttpServerRequest &request, QHttpServerResponder &responder) override
    {
        responder.sendResponse(errorResponse(ErrorCode::NotFound,
                                             u"No route for %1."_s.arg(request.url().path()),
                                             Status::NotFound));
    }

private:
    RestServer *m_server;
};

RestServer::RestServer(Engine *engine, const PersonaLibrary *library, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_library(library)
    , m_dispatcher(new Dispatcher(this))
    , m_mcp(new McpServer(engine, library, this))
    , m_waitingRuns(std::make_unique<QObject>())
    , m_keepAlive(new QTimer(this))
{
    connect(engine, &Engine::event, this, &RestServer::broadcast);
    // After the streams, as before: a run's answer follows the event that settled it.
    m_runWaiter = new RunWaiter(engine, this);
    // A session gone from memory keeps nothing here but what its open streams need.
    connect(engine, &Engine::sessionUnloaded, this, [this](const QUuid &id) {
        if (!m_streams.contains(id))
            m_sequence.remove(id);
    });
    m_keepAlive->setInterval(std::chrono::seconds(15));
    connect(m_keepAlive, &QTimer::timeout, this, [this] {
        // A copy: a stream cut off while sending leaves m_streams.
        for (EventStream *stream : m_streams.values())
            stream->send(": keep-alive\n\n"_ba);
    });
}

RestServer::~RestServer()
{
    // Responders tell their connection when they go; the connections live in the dispatcher.
    m_waitingRuns.reset();
    for (EventStream *stream : m_streams.values()) {
        if (stream->connected())
            stream->responder.writeEndChunked(": the server stops\n\n"_ba);
        delete stream;
    }
    m_streams.clear();
    delete m_mcp;
    qDeleteAll(findChildren<McpChannel *>(Qt::FindDirectChildrenOnly));
}

void RestServer::setToken(const QString &token)
{
    m_token = token;
}

void RestServer::setMaxRunning(int maxRunning)
{
    m_maxRunning = maxRunning;
    m_mcp->setMaxRunning(maxRunning);
}

void RestServer::setRateLimits(const RateLimits &limits)
{
    m_limiter.setLimits(limits);
}

void RestServer::setKeepAliveInterval(std::chrono::milliseconds interval)
{
    m_keepAlive->setInterval(interval);
}

void RestServer::setConnectionTimeouts(const RequestGate::Timeouts &timeouts)
{
    m_connectionTimeouts = timeouts;
    if (m_gate)
        m_gate->setTimeouts(timeouts);
}

std::optional<Error> RestServer::listen(const QHostAddress &address, quint16 port)
{
    if (m_gate)
        return Error{ErrorCode::Conflict, u"The REST server is already listening."_s, {}};
    auto *gate = new RequestGate(this);
    gate->setTimeouts(m_connectionTimeouts);
    if (!gate->listen(address, port)) {
        const bool inUse = gate->serverError() == QAbstractSocket::AddressInUseError;
        Error error{inUse ? ErrorCode::Conflict : ErrorCode::InvalidArgument,
                    u"Cannot listen on %1 port %2: %3"_s.arg(address.toString())
                        .arg(port)
                        .arg(inUse ? u"the port is in use (is another crosstalk serve running?)"_s
                                   : gate->errorString()),
                    {}};
        delete gate;
        return error;
    }
    m_dispatcher->bind(gate);
    m_gate = gate;
    return std::nullopt;
}

QHostAddress RestServer::address() const
{
    return m_gate ? m_gate->serverAddress() : QHostAddress();
}

quint16 RestServer::port() const
{
    return m_gate ? m_gate->serverPort() : 0;
}

QUrl RestServer::url() const
{
    QUrl url;
    url.setScheme(u"http"_s);
    url.setHost(address().toString());
    url.setPort(port());
    return url;
}

bool RestServer::hostAllowed(QByteArrayView host) const
{
    QByteArrayView name = host;
    QByteArrayView portText;
    if (host.startsWith('[')) {
        const qsizetype close = host.indexOf(']');
        if (close < 0)
            return false;
        name = host.sliced(1, close - 1);
        const QByteArrayView rest = host.sliced(close + 1);
        if (!rest.isEmpty() && !rest.startsWith(':'))
            return false;
        portText = rest.isEmpty() ? rest : rest.sliced(1);
    } else if (const qsizetype colon = host.lastIndexOf(':'); colon >= 0) {
        name = host.first(colon);
        portText = host.sliced(colon + 1);
    }
    if (!portText.isEmpty()) {
        bool ok = false;
        if (portText.toUInt(&ok) != port() || !ok)
            return false;
    }
    const QString lowered = QString::fromLatin1(name).toLower();
    if (lowered == u"localhost"_s || lowered == u"127.0.0.1"_s || lowered == u"::1"_s)
        return true;
    // Served on another address because the user asked: that address names this server too
    // (any of this machine's, for a wildcard bind). An IP literal cannot be rebound by DNS.
    const QHostAddress bound = address();
    const QHostAddress named(lowered);
    if (bound.isLoopback() || named.isNull())
        return false;
    const bool wildcard = bound == QHostAddress(QHostAddress::AnyIPv4) ||
                          bound == QHostAddress(QHostAddress::AnyIPv6) ||
                          bound == QHostAddress(QHostAddress::Any);
    return wildcard ? QNetworkInterface::allAddresses().contains(named) : named == bound;
}

std::optional<QHttpServerResponse> RestServer::screen(const QHttpServerRequest &request) const
{
    const QByteArray host = request.value("host"_ba);
    if (!hostAllowed(host))
        return errorResponse(ErrorCode::InvalidArgument,
                             u"The Host header must name this server by a loopback name "
                             "(localhost, 127.0.0.1 or [::1]) and its port."_s,
                             Status::MisdirectedRequest,
                             {{u"host"_s, QString::fromLatin1(host.left(256))}});
    const QByteArray origin = request.value("origin"_ba);
    if (!origin.isEmpty() && !loopbackOrigin(origin))
        return errorResponse(ErrorCode::Unauthorized,
                             u"Requests from web pages of other sites are refused."_s,
                             Status::Forbidden);
    if (request.method() == Method::Options) {
        QHttpServerResponse response(QJsonObject{}, Status::Ok);
        addHeaders(response,
                   {{"Allow", "GET, POST, DELETE, OPTIONS"},
                    {"Access-Control-Allow-Methods", "GET, POST, DELETE"},
                    {"Access-Control-Allow-Headers",
                     "Authorization, Content-Type, Mcp-Session-Id, MCP-Protocol-Version"}});
        return response;
    }
    if (request.url().path() == u"/healthz"_s)
        return std::nullopt;
    const QByteArray authorization = request.value("authorization"_ba);
    const bool bearer =
        authorization.size() > 7 &&
        QByteArrayView(authorization).first(7).compare("Bearer ", Qt::CaseInsensitive) == 0;
    if (!bearer || m_token.isEmpty() ||
        !ApiToken::matches(QByteArrayView(authorization).sliced(7).trimmed(), m_token.toUtf8())) {
        QHttpServerResponse response =
            errorResponse(ErrorCode::Unauthorized,
                          bearer ? u"The token is not valid."_s
                                 : u"A token is required: send 'Authorization: Bearer TOKEN'."_s,
                          Status::Unauthorized);
        addHeaders(response, {{"WWW-Authenticate", "Bearer"}});
        return response;
    }
    return std::nullopt;
}

namespace {

// What a request costs in rate-limit tokens: one, or one per call of an MCP batch, so that a
// batch is not a way around the limit (QUALITY.md R15). A batch over the most it may hold
// is refused by the MCP server, charged as one that size.
double rateCost(const QHttpServerRequest &request)
{
    const QByteArray body = request.body().trimmed();
    if (request.url().path() != u"/mcp"_s || !body.startsWith('[') ||
        SetupRequest::nestingDepth(body) > SetupRequest::maxNestingDepth)
        return 1;
    const QJsonDocument document = QJsonDocument::fromJson(body);
    return double(std::clamp<qsizetype>(document.array().size(), 1, McpServer::maxBatchSize));
}

} // namespace

void RestServer::handle(const QHttpServerRequest &request, QHttpServerResponder &responder)
{
    // Screened before being charged: requests refused for their Host, Origin or token (a web
    // page's, another user's) must not use up the bucket the real client shares with them.
    std::optional<QHttpServerResponse> response = screen(request);
    std::chrono::milliseconds retryAfter{0};
    if (!response && m_limiter.allow(request.remoteAddress(), &retryAfter, rateCost(request))) {
        response = route(request, responder);
        if (!response)
            return; // answered later
    } else if (!response) {
        const qint64 seconds = std::max<qint64>(1, std::ceil(retryAfter.count() / 1000.0));
        response = errorResponse(ErrorCode::RateLimited,
                                 u"Too many requests; try again in %1 s."_s.arg(seconds),
                                 Status::TooManyRequests, {{u"retry_after_seconds"_s, seconds}});
        addHeaders(*response, {{"Retry-After", QByteArray::number(seconds)}});
    }
    const QByteArray origin = request.value("origin"_ba);
    if (!origin.isEmpty() && loopbackOrigin(origin))
        addHeaders(*response, {{"Access-Control-Allow-Origin", origin}, {"Vary", "Origin"}});
    responder.sendResponse(*response);
}

const QList<RestServer::RouteEntry> &RestServer::routeTable()
{
    static const QList<RouteEntry> table = {
        {Method::Get, "GET", u"/healthz"_s, &RestServer::healthz},
        {Method::Get, "GET", u"/openapi.json"_s, &RestServer::openApi},
        {Method::Post, "POST", u"/mcp"_s, &RestServer::mcp},
        {Method::Post, "POST", u"/v1/crosstalk/setup"_s, &RestServer::setup, kLegacy},
        {Method::Get, "GET", u"/v1/crosstalk/list"_s, &RestServer::list, kLegacy},
        {Method::Post, "POST", u"/v1/crosstalk/{id}/run"_s, &RestServer::run, kLegacy},
        {Method::Get, "GET", u"/v1/crosstalk/{id}/status"_s, &RestServer::status, kLegacy},
        {Method::Delete, "DELETE", u"/v1/crosstalk/{id}/delete"_s, &RestServer::remove, kLegacy},
        {Method::Delete, "DELETE", u"/v1/crosstalk/{id}"_s, &RestServer::remove, kLegacy},
        {Method::Get, "GET", u"/v1/crosstalk/{id}/events"_s, &RestServer::events},
        {Method::Get, "GET", u"/v1/crosstalk/{id}/transcript"_s, &RestServer::transcript},
        {Method::Post, "POST", u"/v1/crosstalk/{id}/pause"_s, &RestServer::pause},
        {Method::Post, "POST", u"/v1/crosstalk/{id}/resume"_s, &RestServer::resume},
        {Method::Post, "POST", u"/v1/crosstalk/{id}/stop"_s, &RestServer::stop},
        {Method::Post, "POST", u"/v1/crosstalk/{id}/messages"_s, &RestServer::postMessage},
        {Method::Get, "GET", u"/v1/sessions/{id}"_s, &RestServer::document},
        {Method::Get, "GET", u"/v1/models"_s, &RestServer::models},
        {Method::Get, "GET", u"/v1/paradigms"_s, &RestServer::paradigms},
    };
    return table;
}

QList<RestServer::Route> RestServer::routes()
{
    QList<Route> all;
    for (const RouteEntry &entry : routeTable())
        all.append({entry.methodName, entry.path});
    return all;
}

std::optional<QHttpServerResponse> RestServer::route(const QHttpServerRequest &request,
                                                     QHttpServerResponder &responder)
{
    const QString path = request.url().path();
    const QStringList parts = path.split(u'/', Qt::SkipEmptyParts);
    // The routes whose path matches, the most literal first: `/v1/crosstalk/list` wins over
    // `/v1/crosstalk/{id}`, but DELETE /v1/crosstalk/list still reaches the delete route.
    const RouteEntry *chosen = nullptr;
    int chosenLiterals = -1;
    QByteArrayList allowed;
    int allowedLiterals = -1;
    QString idPart;
    for (const RouteEntry &entry : routeTable()) {
        const QStringList &pattern = entry.segments;
        if (pattern.size() != parts.size())
            continue;
        int literals = 0;
        bool matches = true;
        for (qsizetype i = 0; i < pattern.size() && matches; ++i) {
            if (pattern[i] == u"{id}"_s)
                continue;
            matches = pattern[i] == parts[i];
            ++literals;
        }
        if (!matches)
            continue;
        if (entry.method == request.method() && literals > chosenLiterals) {
            chosen = &entry;
            chosenLiterals = literals;
            idPart = parts.value(pattern.indexOf(u"{id}"_s));
        }
        if (literals > allowedLiterals) {
            allowed.clear();
            allowedLiterals = literals;
        }
        if (literals == allowedLiterals && !allowed.contains(entry.methodName))
            allowed.append(entry.methodName);
    }
    if (!chosen && allowed.isEmpty())
        return errorResponse(ErrorCode::NotFound, u"No route for %1."_s.arg(path.left(256)),
                             Status::NotFound);
    if (!chosen) {
        const QByteArray allow = allowed.join(", ");
        QHttpServerResponse response =
            errorResponse(ErrorCode::InvalidArgument,
                          u"%1 does not take this method; use %2."_s.arg(
                              path.left(256), QString::fromLatin1(allow)),
                          Status::MethodNotAllowed);
        addHeaders(response, {{"Allow", allow}});
        return response;
    }
    Call call{request, responder, {}};
    if (chosen->path.contains(u"{id}"_s)) {
        call.id = QUuid::fromString(idPart);
        if (call.id.isNull())
            return HttpError::response(OldToolOperations::noSession(idPart.left(64)),
                                       chosen->dialect);
    }
    return (this->*chosen->handler)(call);
}

std::optional<QHttpServerResponse> RestServer::run(const Call &call)
{
    const QString waitValue = call.request.query().queryItemValue(u"wait"_s).toLower();
    const bool falseWait = waitValue == u"false"_s || waitValue == u"0"_s || waitValue == u"no"_s;
    if (!falseWait && !waitValue.isEmpty() && waitValue != u"true"_s && waitValue != u"1"_s &&
        waitValue != u"yes"_s)
        return invalid({{u"wait"_s, u"must be true or false"_s}});

    const QUuid id = call.id;
    bool finished = false;
    const OldToolOperations::Result started =
        OldToolOperations::start(*m_engine, id, &finished, m_maxRunning);
    if (!started || finished)
        return reply(started);
    if (falseWait)
        return QHttpServerResponse(OldToolJson::status(*m_engine->session(id)), Status::Accepted);

    auto *pending = new PendingRun(std::move(call.responder), m_waitingRuns.get());
    // A client that gives up waiting is forgotten; the session runs on.
    if (QTcpSocket *socket =
            m_gate->connection(call.request.remoteAddress(), call.request.remotePort())) {
        m_gate->holdOpen(socket, pending);
        connect(socket, &QAbstractSocket::disconnected, pending, [this, pending] {
            m_runWaiter->forget(pending);
            pending->deleteLater();
        });
    }
    m_runWaiter->wait(id, pending, [pending](const OldToolOperations::Result &result) {
        pending->responder.sendResponse(
            result ? QHttpServerResponse(result.value)
                   : errorResponse(result.error->code, result.error->message, Status::NotFound));
        pending->deleteLater();
    });
    return std::nullopt;
}

std::optional<QHttpServerResponse> RestServer::mcp(const Call &call)
{
    const QHttpServerRequest &request = call.request;
    const QString version = QString::fromLatin1(request.value("mcp-protocol-version"_ba));
    if (!version.isEmpty() && !McpServer::supportedVersions().contains(version))
        return QHttpServerResponse(
            QJsonObject{{u"jsonrpc"_s, u"2.0"_s},
                        {u"id"_s, QJsonValue::Null},
                        {u"error"_s,
                         QJsonObject{{u"code"_s, -32600},
                                     {u"message"_s,
                                      u"Unsupported MCP-Protocol-Version %1; this server speaks "
                                      "%2"_s.arg(version.left(32),
                                                 McpServer::supportedVersions().join(u", "_s))}}}},
            Status::BadRequest);
    const QByteArray origin = request.value("origin"_ba);
    auto *channel = new McpHttpChannel(std::move(call.responder), origin, this);
    // Without the header a client speaks 2025-03-26 (the Streamable HTTP transport's rule).
    channel->protocolVersion = version.isEmpty() ? u"2025-03-26"_s : version;
    // Request ids are unique per client only: a cancellation reaches the requests of the
    // client's MCP session (its Mcp-Session-Id), or without one of its connection, never
    // another client's (QUALITY.md R15).
    const QByteArray mcpSession = request.value("mcp-session-id"_ba);
    channel->clientKey = !mcpSession.isEmpty()
                             ? u"session:"_s + QString::fromLatin1(mcpSession.left(128))
                             : u"connection:%1:%2"_s.arg(request.remoteAddress().toString())
                                   .arg(request.remotePort());
    // A client that gives up waiting is forgotten; a session it started runs on.
    if (QTcpSocket *socket = m_gate->connection(request.remoteAddress(), request.remotePort())) {
        m_gate->holdOpen(socket, channel);
        connect(socket, &QAbstractSocket::disconnected, channel, &QObject::deleteLater);
    }
    m_mcp->receive(request.body(), channel);
    return std::nullopt;
}

qsizetype RestServer::sessionsHeld() const
{
    QSet<QUuid> held(m_sequence.keyBegin(), m_sequence.keyEnd());
    for (const QUuid &id : m_runWaiter->sessions() + m_streams.uniqueKeys())
        held.insert(id);
    return held.size();
}

} // namespace Crosstalk
