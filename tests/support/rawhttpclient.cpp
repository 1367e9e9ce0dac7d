// SPDX-License-Identifier: GPL-3.0-or-later
#include "rawhttpclient.h"

#include <QJsonDocument>

namespace Crosstalk::Fake {

QList<SseEvent> parseSse(const QByteArray &stream)
{
    QList<SseEvent> events;
    SseEvent current;
    bool any = false;
    for (const QByteArray &line : stream.split('\n')) {
        if (line.isEmpty()) {
            if (any)
                events.append(current);
            current = {};
            any = false;
        } else if (line.startsWith("event: ")) {
            current.event = line.sliced(7);
            any = true;
        } else if (line.startsWith("data: ")) {
            current.data += (current.data.isEmpty() ? QByteArray() : "\n") + line.sliced(6);
            any = true;
        }
    }
    return events;
}

RawHttpClient::RawHttpClient(QObject *parent)
    : QObject(parent)
{
    connect(&m_socket, &QTcpSocket::readyRead, this, [this] {
        const QByteArray bytes = m_socket.readAll();
        m_received += bytes;
        m_reads.append({double(m_clock.nsecsElapsed()) / 1e6, bytes});
    });
    const auto finish = [this] {
        if (m_done)
            return;
        m_received += m_socket.readAll();
        m_done = true;
        emit done();
    };
    connect(&m_socket, &QTcpSocket::disconnected, this, finish);
    connect(&m_socket, &QTcpSocket::errorOccurred, this,
            [this, finish](QAbstractSocket::SocketError error) {
                m_error = error;
                finish();
            });
}

QByteArray RawHttpClient::request(const QByteArray &method, const QByteArray &path,
                                  const QJsonObject &body,
                                  const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    const QByteArray payload =
        body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact);
    QByteArray bytes = method + ' ' + path + " HTTP/1.1\r\nHost: localhost\r\n";
    if (!payload.isEmpty())
        bytes += "Content-Type: application/json\r\nContent-Length: " +
                 QByteArray::number(payload.size()) + "\r\n";
    for (const auto &[name, value] : headers)
        bytes += name + ": " + value + "\r\n";
    return bytes + "Connection: close\r\n\r\n" + payload;
}

void RawHttpClient::send(quint16 port, const QByteArray &request)
{
    m_clock.start();
    m_socket.connectToHost(QHostAddress::LocalHost, port);
    m_socket.write(request);
}

int RawHttpClient::status() const
{
    const QByteArray line = m_received.first(qMax(0, m_received.indexOf("\r\n")));
    return line.split(' ').value(1).toInt();
}

QByteArray RawHttpClient::header(const QByteArray &name) const
{
    const qsizetype end = m_received.indexOf("\r\n\r\n");
    const QList<QByteArray> lines = m_received.first(qMax(0, end)).split('\n');
    for (const QByteArray &line : lines) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.first(colon).compare(name, Qt::CaseInsensitive) == 0)
            return line.sliced(colon + 1).trimmed();
    }
    return {};
}

QByteArray RawHttpClient::rawBody() const
{
    const qsizetype end = m_received.indexOf("\r\n\r\n");
    return end < 0 ? QByteArray() : m_received.sliced(end + 4);
}

QList<QByteArray> RawHttpClient::chunks() const
{
    QList<QByteArray> result;
    if (header("Transfer-Encoding") != "chunked")
        return result;
    const QByteArray raw = rawBody();
    qsizetype pos = 0;
    for (;;) {
        const qsizetype lineEnd = raw.indexOf("\r\n", pos);
        if (lineEnd < 0)
            return result;
        bool ok = false;
        const qsizetype size = raw.sliced(pos, lineEnd - pos).toLongLong(&ok, 16);
        if (!ok || size == 0 || raw.size() < lineEnd + 2 + size)
            return result;
        result.append(raw.sliced(lineEnd + 2, size));
        pos = lineEnd + 2 + size + 2;
    }
}

bool RawHttpClient::chunkedBodyComplete() const
{
    QByteArray framed;
    for (const QByteArray &chunk : chunks())
        framed += QByteArray::number(chunk.size(), 16) + "\r\n" + chunk + "\r\n";
    return rawBody() == framed + "0\r\n\r\n";
}

QByteArray RawHttpClient::body() const
{
    if (header("Transfer-Encoding") != "chunked")
        return rawBody();
    QByteArray joined;
    for (const QByteArray &chunk : chunks())
        joined += chunk;
    return joined;
}

} // namespace Crosstalk::Fake
