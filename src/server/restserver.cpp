// SPDX-License-Identifier: GPL-3.0-or-later
#include "restserver.h"

#include "apitoken.h"
#include "config/appidentity.h"
#include "conversation/engine.h"
#include "conversation/legacylayout.h"
#include "httperror.h"
#include "legacyapi.h"
#include "mcpserver.h"
#include "persona/personalibrary.h"
#include "requestgate.h"
#include "setuprequest.h"

#include <QAbstractHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QJsonDocument>
#include <QNetworkInterface>
#include <QTcpSocket>

#include <cmath>

using namespace Qt::StringLiterals;

namespace Crosstalk {

using Status = QHttpServerResponder::StatusCode;
using Method = QHttpServerRequest::Method;

namespace {

const auto kLegacy = HttpError::Dialect::Legacy;

QHttpServerResponse errorResponse(ErrorCode code, const QString &message, Status status,
                                  const QJsonObject &details = {})
{
    return QHttpServerResponse(Error{code, message, details}.toJson(), status);
}

QHttpServerResponse invalid(const QList<FieldError> &errors)
{
    return HttpError::response(Error::invalidInput(errors), kLegacy);
}

void addHeaders(QHttpServerResponse &response,
                std::initializer_list<std::pair<QAnyStringView, QAnyStringView>> headers)
{
    QHttpHeaders all = response.headers();
    for (const auto &[name, value] : headers)
        all.append(name, value);
    response.setHeaders(std::move(all));
}

QHttpServerResponse noSession(const QString &id)
{
    return HttpError::response(LegacyApi::noSession(id), kLegacy);
}

QHttpServerResponse reply(const LegacyApi::Result &result)
{
    return result ? QHttpServerResponse(result.value) : HttpError::response(*result.error, kLegacy);
}

// A page served from a loopback address may call the API from a browser; any other site may
// not. A missing Origin is not a browser's cross-site request.
bool loopbackOrigin(QByteArrayView origin)
{
    const QUrl url(QString::fromLatin1(origin));
    const QString host = url.host().toLower();
    return (url.scheme() == u"http"_s || url.scheme() == u"https"_s) &&
           (host == u"localhost"_s || host == u"127.0.0.1"_s || host == u"::1"_s);
}

} // namespace

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

// A run request waiting for its session to end. QHttpServerResponder can only be moved, and
// answering later needs it alive: it lives here until the answer, or until the client leaves.
class RestServer::PendingRun : public QObject
{
public:
    PendingRun(QHttpServerResponder &&responder, const QUuid &id, QObject *parent)
        : QObject(parent)
        , responder(std::move(responder))
        , id(id)
    {}

    QHttpServerResponder responder;
    QUuid id;
    // Why the session stopped, when the engine said (a failed reply, a budget cap).
    QString reason;
};

// One POST to /mcp: the MCP server's answer goes back as the response, as JSON, or as a
// server-sent event stream once a progress notification has to go out before it.
class RestServer::McpExchange : public McpChannel
{
public:
    McpExchange(QHttpServerResponder &&responder, const QByteArray &allowedOrigin, QObject *parent)
        : McpChannel(parent)
        , m_responder(std::move(responder))
        , m_origin(allowedOrigin)
    {}

    void notify(const QJsonObject &message) override
    {
        if (!m_streaming) {
            m_streaming = true;
            m_responder.writeBeginChunked(headers("text/event-stream"));
        }
        m_responder.writeChunk(event(message));
    }

    void reply(const QJsonValue &answer) override
    {
        const QByteArray json =
            answer.isObject() ? QJsonDocument(answer.toObject()).toJson(QJsonDocument::Compact)
                              : QJsonDocument(answer.toArray()).toJson(QJsonDocument::Compact);
        if (m_streaming)
            m_responder.writeEndChunked(answer.isNull() ? QByteArray() : event(json));
        else if (answer.isNull())
            m_responder.write(headers({}), Status::Accepted);
        else
            m_responder.write(json, headers("application/json"));
        deleteLater();
    }

private:
    static QByteArray event(const QJsonObject &message)
    {
        return event(QJsonDocument(message).toJson(QJsonDocument::Compact));
    }
    static QByteArray event(const QByteArray &json)
    {
        return "event: message\ndata: " + json + "\n\n";
    }

    QHttpHeaders headers(const QByteArray &contentType) const
    {
        QHttpHeaders all;
        if (!contentType.isEmpty())
            all.append(QHttpHeaders::WellKnownHeader::ContentType, contentType);
        if (contentType == "text/event-stream")
            all.append(QHttpHeaders::WellKnownHeader::CacheControl, "no-cache");
        if (!m_origin.isEmpty()) {
            all.append("Access-Control-Allow-Origin", m_origin);
            all.append("Vary", "Origin");
        }
        return all;
    }

    QHttpServerResponder m_responder;
    QByteArray m_origin;
    bool m_streaming = false;
};

RestServer::RestServer(Engine *engine, const PersonaLibrary *library, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_library(library)
    , m_dispatcher(new Dispatcher(this))
    , m_mcp(new McpServer(engine, library, this))
{
    connect(engine, &Engine::event, this, &RestServer::onEngineEvent);
}

RestServer::~RestServer()
{
    // Responders tell their connection when they go; the connections live in the dispatcher.
    qDeleteAll(m_pending);
    m_pending.clear();
    delete m_mcp;
    qDeleteAll(findChildren<McpChannel *>(Qt::FindDirectChildrenOnly));
}

void RestServer::setToken(const QString &token)
{
    m_token = token;
}

void RestServer::setRateLimits(const RateLimits &limits)
{
    m_limiter.setLimits(limits);
}

std::optional<Error> RestServer::listen(const QHostAddress &address, quint16 port)
{
    if (m_gate)
        return Error{ErrorCode::Conflict, u"The REST server is already listening."_s, {}};
    auto *gate = new RequestGate(this);
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

void RestServer::handle(const QHttpServerRequest &request, QHttpServerResponder &responder)
{
    std::optional<QHttpServerResponse> response;
    std::chrono::milliseconds retryAfter{0};
    if (!m_limiter.allow(request.remoteAddress(), &retryAfter)) {
        const qint64 seconds = std::max<qint64>(1, std::ceil(retryAfter.count() / 1000.0));
        response = errorResponse(ErrorCode::RateLimited,
                                 u"Too many requests; try again in %1 s."_s.arg(seconds),
                                 Status::TooManyRequests, {{u"retry_after_seconds"_s, seconds}});
        addHeaders(*response, {{"Retry-After", QByteArray::number(seconds)}});
    } else {
        response = screen(request);
        if (!response) {
            response = route(request, responder);
            if (!response)
                return; // answered later
        }
    }
    const QByteArray origin = request.value("origin"_ba);
    if (!origin.isEmpty() && loopbackOrigin(origin))
        addHeaders(*response, {{"Access-Control-Allow-Origin", origin}, {"Vary", "Origin"}});
    responder.sendResponse(*response);
}

std::optional<QHttpServerResponse> RestServer::route(const QHttpServerRequest &request,
                                                     QHttpServerResponder &responder)
{
    const QString path = request.url().path();
    const QStringList parts = path.split(u'/', Qt::SkipEmptyParts);
    const Method method = request.method();
    const auto only = [&](Method allowed,
                          const char *allowHeader) -> std::optional<QHttpServerResponse> {
        if (method == allowed)
            return std::nullopt;
        QHttpServerResponse response = errorResponse(
            ErrorCode::InvalidArgument,
            u"%1 does not take this method; use %2."_s.arg(path, QLatin1StringView(allowHeader)),
            Status::MethodNotAllowed);
        addHeaders(response, {{"Allow", allowHeader}});
        return response;
    };

    if (parts == QStringList{u"healthz"_s}) {
        if (auto refused = only(Method::Get, "GET"))
            return refused;
        return QHttpServerResponse(
            QJsonObject{{u"status"_s, u"ok"_s}, {u"version"_s, AppIdentity::version()}});
    }
    if (parts == QStringList{u"mcp"_s}) {
        // Stateless: no server-initiated stream to GET, no session to DELETE.
        if (auto refused = only(Method::Post, "POST"))
            return refused;
        return mcp(request, responder);
    }
    if (parts.size() >= 3 && parts.size() <= 4 && parts[0] == u"v1"_s &&
        parts[1] == u"crosstalk"_s) {
        if (parts.size() == 3 && parts[2] == u"setup"_s) {
            if (auto refused = only(Method::Post, "POST"))
                return refused;
            return setup(request);
        }
        if (parts.size() == 3 && parts[2] == u"list"_s && method != Method::Delete) {
            if (auto refused = only(Method::Get, "GET"))
                return refused;
            return list();
        }
        const QString action = parts.value(3);
        if (action.isEmpty() || action == u"run"_s || action == u"status"_s ||
            action == u"delete"_s) {
            const char *allowed = action.isEmpty() || action == u"delete"_s ? "DELETE"
                                  : action == u"run"_s                      ? "POST"
                                                                            : "GET";
            const Method expected = action.isEmpty() || action == u"delete"_s ? Method::Delete
                                    : action == u"run"_s                      ? Method::Post
                                                                              : Method::Get;
            if (auto refused = only(expected, allowed))
                return refused;
            const QUuid id = QUuid::fromString(parts[2]);
            if (id.isNull())
                return noSession(parts[2].left(64));
            if (action == u"run"_s)
                return run(id, request, responder);
            if (action == u"status"_s)
                return status(id);
            return remove(id);
        }
    }
    return errorResponse(ErrorCode::NotFound, u"No route for %1."_s.arg(path.left(256)),
                         Status::NotFound);
}

QHttpServerResponse RestServer::setup(const QHttpServerRequest &request)
{
    const QByteArray bytes = request.body();
    if (SetupRequest::nestingDepth(bytes) > SetupRequest::maxNestingDepth)
        return invalid({{u"body"_s, u"nests arrays and objects deeper than %1 levels"_s.arg(
                                        SetupRequest::maxNestingDepth)}});
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return invalid(
            {{u"body"_s, u"is not valid JSON: %1 at byte %2"_s.arg(parseError.errorString())
                             .arg(parseError.offset)}});
    if (!document.isObject())
        return invalid({{u"body"_s, u"must be a JSON object"_s}});
    return reply(LegacyApi::setup(*m_engine, *m_library, document.object()));
}

QHttpServerResponse RestServer::status(const QUuid &id)
{
    return reply(LegacyApi::status(*m_engine, id));
}

QHttpServerResponse RestServer::list()
{
    return reply(LegacyApi::list(*m_engine));
}

QHttpServerResponse RestServer::remove(const QUuid &id)
{
    return reply(LegacyApi::remove(*m_engine, id));
}

std::optional<QHttpServerResponse>
RestServer::run(const QUuid &id, const QHttpServerRequest &request, QHttpServerResponder &responder)
{
    const QString waitValue = request.query().queryItemValue(u"wait"_s).toLower();
    const bool falseWait = waitValue == u"false"_s || waitValue == u"0"_s || waitValue == u"no"_s;
    if (!falseWait && !waitValue.isEmpty() && waitValue != u"true"_s && waitValue != u"1"_s &&
        waitValue != u"yes"_s)
        return invalid({{u"wait"_s, u"must be true or false"_s}});

    bool finished = false;
    const LegacyApi::Result started = LegacyApi::start(*m_engine, id, &finished);
    if (!started || finished)
        return reply(started);
    if (falseWait)
        return QHttpServerResponse(LegacyLayout::status(*m_engine->session(id)), Status::Accepted);

    auto *pending = new PendingRun(std::move(responder), id, this);
    m_pending.insert(id, pending);
    // A client that gives up waiting is forgotten; the session runs on.
    if (QTcpSocket *socket = m_gate->connection(request.remoteAddress(), request.remotePort())) {
        connect(socket, &QAbstractSocket::disconnected, pending, [this, pending] {
            m_pending.remove(pending->id, pending);
            pending->deleteLater();
        });
    }
    settle(id);
    return std::nullopt;
}

std::optional<QHttpServerResponse> RestServer::mcp(const QHttpServerRequest &request,
                                                   QHttpServerResponder &responder)
{
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
    auto *exchange = new McpExchange(std::move(responder), origin, this);
    // Without the header a client speaks 2025-03-26 (the Streamable HTTP transport's rule).
    exchange->protocolVersion = version.isEmpty() ? u"2025-03-26"_s : version;
    // Stateless: no Mcp-Session-Id, so every HTTP client is one client for cancellation.
    exchange->clientKey = u"http"_s;
    // A client that gives up waiting is forgotten; a session it started runs on.
    if (QTcpSocket *socket = m_gate->connection(request.remoteAddress(), request.remotePort()))
        connect(socket, &QAbstractSocket::disconnected, exchange, &QObject::deleteLater);
    m_mcp->receive(request.body(), exchange);
    return std::nullopt;
}

void RestServer::onEngineEvent(const EngineEvent &event)
{
    if (!m_pending.contains(event.sessionId))
        return;
    if (event.type == EngineEventType::SessionDeleted) {
        for (PendingRun *pending : m_pending.values(event.sessionId))
            finish(pending,
                   errorResponse(ErrorCode::NotFound, u"The session was deleted while it ran."_s,
                                 Status::NotFound));
        return;
    }
    if (event.type == EngineEventType::SessionStatus && !event.reason.isEmpty())
        for (PendingRun *pending : m_pending.values(event.sessionId))
            pending->reason = event.reason;
    settle(event.sessionId);
}

void RestServer::settle(const QUuid &id)
{
    const Session *session = m_engine->session(id);
    if (!session || !LegacyApi::settled(*session))
        return;
    for (PendingRun *pending : m_pending.values(id))
        finish(pending, QHttpServerResponse(LegacyApi::runReply(*session, pending->reason)));
}

void RestServer::finish(PendingRun *pending, QHttpServerResponse &&response)
{
    m_pending.remove(pending->id, pending);
    pending->responder.sendResponse(response);
    pending->deleteLater();
}

} // namespace Crosstalk
