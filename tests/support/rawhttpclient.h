// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QTcpSocket>

#include <utility>

namespace Crosstalk::Fake {

struct SseEvent
{
    QByteArray event; // empty when the event had no "event:" line
    QByteArray data;
};

// Splits a well-formed event stream into events. Only for checking the fake server's own
// output in tests; the application's SSE parser is a separate, complete one.
QList<SseEvent> parseSse(const QByteArray &stream);

// A test client that sees the raw bytes: every read with its time, the HTTP chunks as framed
// on the wire, and how the connection ended.
class RawHttpClient : public QObject
{
    Q_OBJECT

public:
    explicit RawHttpClient(QObject *parent = nullptr);

    // A complete request with Connection: close, so the end of the response is the end of
    // the connection.
    static QByteArray request(const QByteArray &method, const QByteArray &path,
                              const QJsonObject &body = {},
                              const QList<std::pair<QByteArray, QByteArray>> &headers = {});

    void send(quint16 port, const QByteArray &request);
    void sendMore(const QByteArray &bytes) { m_socket.write(bytes); }
    void abort() { m_socket.abort(); }

    bool isDone() const { return m_done; }
    QAbstractSocket::SocketError error() const { return m_error; }
    QByteArray received() const { return m_received; }
    QList<std::pair<double, QByteArray>> reads() const { return m_reads; }

    int status() const;
    QByteArray header(const QByteArray &name) const;
    // The body, with chunked framing removed.
    QByteArray body() const;
    // The chunks as the server framed them; empty for a body that is not chunked.
    QList<QByteArray> chunks() const;
    // Whether the chunked body ended with its last-chunk marker.
    bool chunkedBodyComplete() const;

signals:
    void done();

private:
    QByteArray rawBody() const;

    QTcpSocket m_socket;
    QElapsedTimer m_clock;
    QByteArray m_received;
    QList<std::pair<double, QByteArray>> m_reads;
    QAbstractSocket::SocketError m_error = QAbstractSocket::UnknownSocketError;
    bool m_done = false;
};

} // namespace Crosstalk::Fake
