// SPDX-License-Identifier: GPL-3.0-or-later
// What the chat-call tests share: a recorder of everything a call emits, timing that never
// waits for real durations, and a server that answers with exact bytes for byte-level cases.
#pragma once

#include "llm/chatcall.h"
#include "llm/httpchatcall.h"

#include <QHostAddress>
#include <QList>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <memory>

namespace Crosstalk::Testing {

// Everything one call emitted, in order.
struct CallLog
{
    int started = 0;
    QStringList deltas;
    QList<Usage> usageReports;
    int finished = 0;
    QList<CallError> failures;
    QList<qint64> retryWaitsMs;
    QList<CallError> retryReasons;

    bool done() const { return finished + failures.size() > 0; }
    CallError failure() const { return failures.value(0); }
};

inline void record(ChatCall *call, CallLog *log)
{
    QObject::connect(call, &ChatCall::started, call, [log] { ++log->started; });
    QObject::connect(call, &ChatCall::textDelta, call,
                     [log](const QString &text) { log->deltas.append(text); });
    QObject::connect(call, &ChatCall::usageReported, call,
                     [log](const Usage &usage) { log->usageReports.append(usage); });
    QObject::connect(call, &ChatCall::finished, call, [log] { ++log->finished; });
    QObject::connect(call, &ChatCall::failed, call,
                     [log](const CallError &error) { log->failures.append(error); });
    QObject::connect(call, &ChatCall::retrying, call,
                     [log](int, qint64 waitMs, const CallError &reason) {
                         log->retryWaitsMs.append(waitMs);
                         log->retryReasons.append(reason);
                     });
}

// Retries after a millisecond, Retry-After scaled down a thousandfold, and an inactivity
// timeout that only a stall reaches: every test of a fault finishes in well under a second.
inline CallTiming fastTiming()
{
    CallTiming timing;
    timing.inactivityTimeout = std::chrono::milliseconds(3000);
    timing.turnLimit = std::chrono::milliseconds(10000);
    timing.retry.maxRetries = 2;
    timing.retry.baseDelay = std::chrono::milliseconds(1);
    timing.retry.maxBackoff = std::chrono::milliseconds(4);
    timing.retryWaitScale = 0.001;
    return timing;
}

// Answers every request with the same bytes, then closes: the byte-level cases the fake LLM
// server has no fault for (unknown event types, odd chunk shapes, streams without usage).
class CannedServer : public QObject
{
public:
    explicit CannedServer(QByteArray response)
        : m_response(std::move(response))
    {
        QObject::connect(&m_tcp, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_tcp.nextPendingConnection()) {
                socket->setParent(this);
                auto received = std::make_shared<QByteArray>();
                QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, received] {
                    *received += socket->readAll();
                    // Answer only once the whole body is in: closing a socket with unread
                    // bytes resets the connection, and the client would see a network error.
                    const qsizetype headEnd = received->indexOf("\r\n\r\n");
                    if (headEnd < 0)
                        return;
                    const QByteArray head = received->first(headEnd).toLower();
                    const qsizetype at = head.indexOf("content-length:");
                    const qsizetype length =
                        at < 0 ? 0
                               : head.mid(at + 15, head.indexOf('\r', at) - at - 15)
                                     .trimmed()
                                     .toLongLong();
                    if (received->size() < headEnd + 4 + length)
                        return;
                    QObject::disconnect(socket, &QTcpSocket::readyRead, nullptr, nullptr);
                    ++m_requests;
                    socket->write(m_response);
                    socket->disconnectFromHost();
                });
            }
        });
    }

    bool listen() { return m_tcp.listen(QHostAddress::LocalHost, 0); }
    QUrl baseUrl() const
    {
        QUrl url;
        url.setScheme(QStringLiteral("http"));
        url.setHost(QStringLiteral("127.0.0.1"));
        url.setPort(m_tcp.serverPort());
        url.setPath(QStringLiteral("/v1"));
        return url;
    }
    int requests() const { return m_requests; }

    // An HTTP/1.1 response with the given body, closed after it (no length needed).
    static QByteArray response(const QByteArray &contentType, const QByteArray &body,
                               int status = 200)
    {
        return "HTTP/1.1 " + QByteArray::number(status) + " X\r\nContent-Type: " + contentType +
               "\r\nConnection: close\r\n\r\n" + body;
    }

private:
    QTcpServer m_tcp;
    QByteArray m_response;
    int m_requests = 0;
};

} // namespace Crosstalk::Testing

Q_DECLARE_METATYPE(Crosstalk::CallError::Kind)
