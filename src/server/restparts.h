// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What the source files of RestServer share: the helpers that build its answers and the
// objects that keep a responder for a later answer. Internal to src/server.

#include "restserver.h"

#include "apilookups.h"
#include "apitoken.h"
#include "common/jsonfields.h"
#include "config/appidentity.h"
#include "conversation/oldtooljson.h"
#include "conversation/sessiondocument.h"
#include "engine/engine.h"
#include "export/exporter.h"
#include "httperror.h"
#include "mcpserver.h"
#include "oldtooloperations.h"
#include "persona/personalibrary.h"
#include "requestgate.h"
#include "runwaiter.h"
#include "setuprequest.h"

#include <QAbstractHttpServer>
#include <QBuffer>
#include <QFile>
#include <QGuiApplication>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkInterface>
#include <QSet>
#include <QTcpSocket>
#include <QTimer>

#include <cmath>

namespace Crosstalk {

using Status = QHttpServerResponder::StatusCode;
using Method = QHttpServerRequest::Method;

namespace RestParts {

using namespace Qt::StringLiterals;

inline const auto kLegacy = HttpError::Dialect::Legacy;

inline QHttpServerResponse errorResponse(ErrorCode code, const QString &message, Status status,
                                         const QJsonObject &details = {})
{
    return QHttpServerResponse(Error{code, message, details}.toJson(), status);
}

inline QHttpServerResponse invalid(const QList<FieldError> &errors)
{
    return HttpError::response(Error::invalidInput(errors), kLegacy);
}

inline void addHeaders(QHttpServerResponse &response,
                       std::initializer_list<std::pair<QAnyStringView, QAnyStringView>> headers)
{
    QHttpHeaders all = response.headers();
    for (const auto &[name, value] : headers)
        all.append(name, value);
    response.setHeaders(std::move(all));
}

inline QHttpServerResponse reply(const OldToolOperations::Result &result)
{
    return result ? QHttpServerResponse(result.value) : HttpError::response(*result.error, kLegacy);
}

// A page served from a loopback address may call the API from a browser; any other site may
// not. A missing Origin is not a browser's cross-site request.
inline bool loopbackOrigin(QByteArrayView origin)
{
    const QUrl url(QString::fromLatin1(origin));
    const QString host = url.host().toLower();
    return (url.scheme() == u"http"_s || url.scheme() == u"https"_s) &&
           (host == u"localhost"_s || host == u"127.0.0.1"_s || host == u"::1"_s);
}

// Reads a JSON object body, or answers why it is not one.
inline std::optional<QHttpServerResponse>
readObject(const QByteArray &bytes, HttpError::Dialect dialect, QJsonObject *object)
{
    const auto refuse = [&](const QString &problem) {
        return HttpError::response(Error::invalidInput({{u"body"_s, problem}}), dialect);
    };
    if (SetupRequest::nestingDepth(bytes) > SetupRequest::maxNestingDepth)
        return refuse(
            u"nests arrays and objects deeper than %1 levels"_s.arg(SetupRequest::maxNestingDepth));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return refuse(u"is not valid JSON: %1 at byte %2"_s.arg(parseError.errorString())
                          .arg(parseError.offset));
    if (!document.isObject())
        return refuse(u"must be a JSON object"_s);
    *object = document.object();
    return std::nullopt;
}

inline QHttpServerResponse failure(const Error &error)
{
    return HttpError::response(error);
}

inline QString idText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces);
}

// One server-sent event: `event:` names it, `id:` orders it, `data:` is one line of JSON.
inline QByteArray sseEvent(quint64 sequence, const QString &type, const QJsonObject &data)
{
    return "id: " + QByteArray::number(sequence) + "\nevent: " + type.toLatin1() +
           "\ndata: " + QJsonDocument(data).toJson(QJsonDocument::Compact) + "\n\n";
}

// A stream's client that reads nothing more is cut off rather than buffered for without end.
inline constexpr qint64 maxUnsentStreamBytes = 8 * 1024 * 1024;

} // namespace RestParts

struct RestServer::Call
{
    const QHttpServerRequest &request;
    QHttpServerResponder &responder;
    QUuid id; // the {id} of the path, when it has one
};

// A run request waiting for its session to settle. QHttpServerResponder can only be moved,
// and answering later needs it alive: it lives here until the answer, or until the client
// leaves. It owns the request's wait in the RunWaiter.
class RestServer::PendingRun : public QObject
{
public:
    PendingRun(QHttpServerResponder &&responder, QObject *parent)
        : QObject(parent)
        , responder(std::move(responder))
    {}

    QHttpServerResponder responder;
};

// One POST to /mcp: the MCP server's answer goes back as the response, as JSON, or as a
// server-sent event stream once a progress notification has to go out before it.

class RestServer::McpHttpChannel : public McpChannel
{
public:
    McpHttpChannel(QHttpServerResponder &&responder, const QByteArray &allowedOrigin,
                   QObject *parent)
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

// One client of GET /v1/crosstalk/{id}/events: a chunked response kept open until the session
// ends, the client leaves, or the server goes.

class RestServer::EventStream : public QObject
{
public:
    EventStream(QHttpServerResponder &&responder, const QUuid &id, QTcpSocket *socket,
                QObject *parent)
        : QObject(parent)
        , responder(std::move(responder))
        , id(id)
        , socket(socket)
        , tracked(socket != nullptr)
    {}

    // Whether the client is still there to be written to.
    bool connected() const { return !tracked || socket; }

    void send(const QByteArray &bytes)
    {
        if (socket && socket->bytesToWrite() > RestParts::maxUnsentStreamBytes) {
            socket->abort(); // its disconnected() forgets this stream
            return;
        }
        responder.writeChunk(bytes);
    }

    QHttpServerResponder responder;
    QUuid id;
    QPointer<QTcpSocket> socket;
    bool tracked;
};

} // namespace Crosstalk
