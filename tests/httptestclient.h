// SPDX-License-Identifier: GPL-3.0-or-later
// A keep-alive HTTP/1.1 client over a raw socket for the REST API's tests: it sends exactly the
// bytes a test writes (malformed ones, a head without its body) and reads one response at a
// time, so a test sees what arrived and when.
#pragma once

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>
#include <QTcpSocket>
#include <QTest>

namespace Crosstalk::Testing {

struct HttpReply
{
    int status = 0; // 0: no response before the connection closed or the wait ended
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;

    QByteArray header(QByteArrayView name) const
    {
        for (const auto &[key, value] : headers)
            if (QByteArrayView(key).compare(name, Qt::CaseInsensitive) == 0)
                return value;
        return {};
    }
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QString errorCode() const
    {
        return json()
            .value(QLatin1StringView("error"))
            .toObject()
            .value(QLatin1StringView("code"))
            .toString();
    }
    // The `field` of each entry of error.details.fields: what a validation error names.
    QStringList errorFields() const
    {
        QStringList fields;
        const QJsonArray list = json()
                                    .value(QLatin1StringView("error"))
                                    .toObject()
                                    .value(QLatin1StringView("details"))
                                    .toObject()
                                    .value(QLatin1StringView("fields"))
                                    .toArray();
        for (const QJsonValue &field : list)
            fields.append(field.toObject().value(QLatin1StringView("field")).toString());
        return fields;
    }
};

class HttpTestClient
{
public:
    explicit HttpTestClient(quint16 port)
        : m_port(port)
    {}

    bool connect()
    {
        m_socket.connectToHost(QHostAddress::LocalHost, m_port);
        return m_socket.waitForConnected(5000);
    }
    QTcpSocket &socket() { return m_socket; }

    void write(const QByteArray &bytes)
    {
        if (m_socket.state() == QAbstractSocket::UnconnectedState)
            connect();
        m_socket.write(bytes);
        m_socket.flush();
    }

    // Reads one response; the event loop runs meanwhile, so an in-process server answers.
    HttpReply read(int timeoutMs = 20000)
    {
        HttpReply reply;
        // A reply left with status 0 tells the caller that none arrived in time.
        static_cast<void>(QTest::qWaitFor(
            [&] {
                m_buffer += m_socket.readAll();
                return parse(reply) || m_socket.state() == QAbstractSocket::UnconnectedState;
            },
            timeoutMs));
        m_buffer += m_socket.readAll();
        if (reply.status == 0)
            parse(reply);
        return reply;
    }

    // Whether the server closed the connection within the time.
    bool waitForClose(int timeoutMs = 5000)
    {
        return QTest::qWaitFor(
            [&] {
                m_buffer += m_socket.readAll();
                return m_socket.state() == QAbstractSocket::UnconnectedState;
            },
            timeoutMs);
    }

    static QByteArray request(const QByteArray &method, const QByteArray &target,
                              const QByteArray &host, const QByteArray &token,
                              const QByteArray &body = {},
                              const QList<std::pair<QByteArray, QByteArray>> &extra = {})
    {
        QByteArray bytes = method + ' ' + target + " HTTP/1.1\r\n";
        if (!host.isNull())
            bytes += "Host: " + host + "\r\n";
        if (!token.isNull())
            bytes += "Authorization: Bearer " + token + "\r\n";
        for (const auto &[name, value] : extra)
            bytes += name + ": " + value + "\r\n";
        if (!body.isNull())
            bytes += "Content-Type: application/json\r\nContent-Length: " +
                     QByteArray::number(body.size()) + "\r\n";
        return bytes + "\r\n" + body;
    }

private:
    bool parse(HttpReply &reply)
    {
        const qsizetype headEnd = m_buffer.indexOf("\r\n\r\n");
        if (headEnd < 0)
            return false;
        const QList<QByteArray> lines = m_buffer.left(headEnd).split('\n');
        qint64 length = 0;
        QList<std::pair<QByteArray, QByteArray>> headers;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines[i].trimmed();
            const qsizetype colon = line.indexOf(':');
            headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
            if (headers.last().first.compare("content-length", Qt::CaseInsensitive) == 0)
                length = headers.last().second.toLongLong();
        }
        if (m_buffer.size() < headEnd + 4 + length)
            return false;
        reply.status = lines.first().split(' ').value(1).toInt();
        reply.headers = headers;
        reply.body = m_buffer.mid(headEnd + 4, length);
        m_buffer.remove(0, headEnd + 4 + length);
        return true;
    }

    quint16 m_port;
    QTcpSocket m_socket;
    QByteArray m_buffer;
};

} // namespace Crosstalk::Testing
