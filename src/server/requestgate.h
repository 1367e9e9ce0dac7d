// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"

#include <QHash>
#include <QHostAddress>
#include <QPointer>
#include <QTcpServer>

#include <chrono>
#include <utility>

class QTcpSocket;

namespace Crosstalk {

// The listening socket of the REST API. QHttpServer 6.8 buffers a whole request body before a
// handler runs and has no size limit, so every request passes this gate first: it reads the
// request head, refuses a body over maxBodyBytes with 413 (and a head over maxHeadBytes with
// 431) before the body is read, closes the connection on malformed framing, and only then lets
// QHttpServer parse the request. Bind a QAbstractHttpServer to it once it listens.
//
// The gate sees every request of a kept-alive connection: its slot on the socket's readyRead
// is connected before QHttpServer's, and it looks at a request while QHttpServer is between
// requests (no read transaction open). A head that has not fully arrived by then, or a chunked
// body, is taken out of the socket and held until it is complete and checked, then put back.
//
// Nor does QHttpServer 6.8 time a connection out, so the gate does (QUALITY.md R15): a request
// head must arrive within Timeouts::head of the connection or of the request's first byte, and
// a connection with no request in progress is closed after Timeouts::idle. A connection whose
// answer is written later (a waiting run, an event stream, an MCP call) is exempt while the
// holder given to holdOpen() lives.
class RequestGate : public QTcpServer
{
    Q_OBJECT

public:
    static constexpr qint64 maxBodyBytes = 1024 * 1024;
    static constexpr qint64 maxHeadBytes = 64 * 1024;

    struct Timeouts
    {
        std::chrono::milliseconds head = std::chrono::seconds(10);
        std::chrono::milliseconds idle = std::chrono::seconds(60);
    };

    explicit RequestGate(QObject *parent = nullptr);

    // Applies to connections accepted from now on.
    void setTimeouts(const Timeouts &timeouts) { m_timeouts = timeouts; }
    // Keeps `socket`, a connection of this gate, open past the idle timeout while `holder`
    // lives; its idle time starts when the last holder goes.
    void holdOpen(QTcpSocket *socket, QObject *holder);

    // The connection a request arrived on, found by the client's address and port; null once
    // it is gone. Lets a handler that answers later notice that its client left.
    QTcpSocket *connection(const QHostAddress &peer, quint16 peerPort) const;

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    friend class GateConnection;
    void handOver(QTcpSocket *socket);

    QHash<std::pair<QHostAddress, quint16>, QPointer<QTcpSocket>> m_connections;
    Timeouts m_timeouts;
};

} // namespace Crosstalk
