// SPDX-License-Identifier: GPL-3.0-or-later
#include "requestgate.h"

#include <QJsonDocument>
#include <QTcpSocket>
#include <QTimer>

#include <optional>

#include <sys/socket.h>

using namespace Qt::StringLiterals;

namespace Crosstalk {

namespace {

// What the head of a request says about its body.
struct Framing
{
    enum Kind
    {
        Incomplete, // the head has not fully arrived
        Malformed,
        Length,  // Content-Length, or no body
        Chunked, // Transfer-Encoding: chunked
    };
    Kind kind = Incomplete;
    qsizetype headSize = 0;
    qint64 contentLength = 0;
};

// Finds the end of the head (an empty line) and reads the headers that frame the body. Other
// errors in the head are QHttpServer's to find; it closes the connection on them.
Framing readHead(QByteArrayView bytes)
{
    Framing framing;
    qsizetype lineStart = 0;
    bool firstLine = true;
    std::optional<qint64> length;
    bool chunked = false;
    bool otherEncoding = false;
    while (true) {
        const qsizetype newline = bytes.indexOf('\n', lineStart);
        if (newline < 0)
            return framing; // Incomplete
        QByteArrayView line = bytes.sliced(lineStart, newline - lineStart);
        if (line.endsWith('\r'))
            line.chop(1);
        lineStart = newline + 1;
        if (firstLine) {
            firstLine = false;
            // QHttpServer 6.8 waits silently on a version it does not speak: refuse it here.
            if (line.isEmpty() || line.count(' ') != 2 ||
                !(line.endsWith(" HTTP/1.1") || line.endsWith(" HTTP/1.0")))
                return {Framing::Malformed};
            continue;
        }
        if (line.isEmpty())
            break;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return {Framing::Malformed};
        const QByteArrayView name = line.first(colon).trimmed();
        const QByteArrayView value = line.sliced(colon + 1).trimmed();
        if (name.compare("content-length", Qt::CaseInsensitive) == 0) {
            bool ok = false;
            const qint64 n = value.toLongLong(&ok);
            const bool digitsOnly = std::all_of(value.begin(), value.end(),
                                                [](char c) { return c >= '0' && c <= '9'; });
            // Two different lengths are how requests are smuggled past a proxy.
            if (!ok || !digitsOnly || value.isEmpty() || (length && *length != n))
                return {Framing::Malformed};
            length = n;
        } else if (name.compare("transfer-encoding", Qt::CaseInsensitive) == 0) {
            if (value.compare("chunked", Qt::CaseInsensitive) == 0)
                chunked = true;
            else
                otherEncoding = true;
        }
    }
    if (otherEncoding || (chunked && length))
        return {Framing::Malformed};
    framing.headSize = lineStart;
    if (chunked) {
        framing.kind = Framing::Chunked;
    } else {
        framing.kind = Framing::Length;
        framing.contentLength = length.value_or(0);
    }
    return framing;
}

// How far a chunked body has arrived: its size on the wire once complete, or the data it has
// carried so far.
struct ChunkedProgress
{
    bool complete = false;
    bool malformed = false;
    qint64 wireSize = 0;
    qint64 dataSize = 0;
};

ChunkedProgress readChunks(QByteArrayView body)
{
    ChunkedProgress progress;
    qsizetype pos = 0;
    while (true) {
        const qsizetype newline = body.indexOf('\n', pos);
        if (newline < 0)
            return progress;
        QByteArrayView sizeLine = body.sliced(pos, newline - pos);
        if (sizeLine.endsWith('\r'))
            sizeLine.chop(1);
        if (const qsizetype semicolon = sizeLine.indexOf(';'); semicolon >= 0)
            sizeLine.truncate(semicolon); // chunk extensions
        bool ok = false;
        const qint64 size = sizeLine.trimmed().toLongLong(&ok, 16);
        if (!ok || size < 0) {
            progress.malformed = true;
            return progress;
        }
        pos = newline + 1;
        if (size == 0) {
            // Trailer fields, then an empty line.
            while (true) {
                const qsizetype end = body.indexOf('\n', pos);
                if (end < 0)
                    return progress;
                const QByteArrayView trailer = body.sliced(pos, end - pos);
                pos = end + 1;
                if (trailer.isEmpty() || trailer == "\r") {
                    progress.complete = true;
                    progress.wireSize = pos;
                    return progress;
                }
            }
        }
        progress.dataSize += size;
        if (progress.dataSize > RequestGate::maxBodyBytes)
            return progress;
        const qsizetype dataEnd = pos + qsizetype(size);
        if (body.size() < dataEnd + 2)
            return progress;
        if (body.sliced(dataEnd, 2) != "\r\n") {
            progress.malformed = true;
            return progress;
        }
        pos = dataEnd + 2;
    }
}

QByteArray errorResponse(int status, const QByteArray &reason, const Error &error)
{
    const QByteArray body = QJsonDocument(error.toJson()).toJson(QJsonDocument::Compact);
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason +
           "\r\nContent-Type: application/json\r\nContent-Length: " +
           QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

} // namespace

// The gate's view of one connection. It lives as a child of the socket, so it goes with it.
class GateConnection : public QObject
{
public:
    GateConnection(RequestGate *gate, QTcpSocket *socket, const RequestGate::Timeouts &timeouts)
        : QObject(socket)
        , m_gate(gate)
        , m_socket(socket)
        , m_timeouts(timeouts)
    {
        // Connected before QHttpServer ever sees the socket, so this runs first on every read.
        connect(socket, &QIODevice::readyRead, this, &GateConnection::onReadyRead);
        connect(socket, &QIODevice::bytesWritten, this, &GateConnection::onBytesWritten);
        // A socket handed over is QHttpServer's; one refused before is the gate's to delete.
        connect(socket, &QAbstractSocket::disconnected, this, [this] {
            if (!m_handedOver)
                m_socket->deleteLater();
        });
        m_deadline.setSingleShot(true);
        connect(&m_deadline, &QTimer::timeout, this, &GateConnection::onDeadline);
        enter(Phase::AwaitingRequest);
    }

    void hold(QObject *holder)
    {
        ++m_holders;
        m_deadline.stop();
        connect(holder, &QObject::destroyed, this, [this] {
            if (--m_holders == 0 && !m_refused)
                enter(Phase::Idle);
        });
    }

    void onReadyRead()
    {
        if (m_refused) {
            // Dropped unread: the answer is out and the connection closes once it is sent.
            m_socket->skip(m_socket->bytesAvailable());
            return;
        }
        // The first bytes of the next request on a kept-alive connection.
        if (m_phase == Phase::Idle && m_socket->bytesAvailable() > 0)
            enter(Phase::AwaitingRequest);
        if (!m_holding) {
            // QHttpServer is inside a request whose head this gate already passed.
            if (m_handedOver && m_socket->isTransactionStarted())
                return;
            const QByteArray buffered = m_socket->peek(RequestGate::maxHeadBytes + 1);
            const Framing framing = readHead(buffered);
            if (framing.kind == Framing::Length) {
                pass(framing);
                return;
            }
            if (framing.kind == Framing::Malformed) {
                refuse({});
                return;
            }
            if (framing.kind == Framing::Incomplete) {
                if (buffered.size() > RequestGate::maxHeadBytes) {
                    refuseHeadTooLarge();
                    return;
                }
                // Before the hand-over the bytes can simply wait in the socket.
                if (!m_handedOver)
                    return;
            }
            m_holding = true;
        }
        m_held += m_socket->readAll();
        checkHeld();
    }

private:
    // Where the connection is in its request cycle; each phase has its own time limit.
    enum class Phase
    {
        AwaitingRequest, // the head has not fully arrived
        Handling,        // the head is in; the body arrives and the answer is made
        Idle,            // answered, kept alive for a next request
    };

    void enter(Phase phase)
    {
        m_phase = phase;
        if (m_holders > 0)
            return;
        m_deadline.start(phase == Phase::AwaitingRequest ? m_timeouts.head : m_timeouts.idle);
    }

    void onBytesWritten()
    {
        if (m_socket->bytesToWrite() > 0)
            return;
        if (m_refused) {
            // The refusal is out: end the sending side, read on until the client closes.
            ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
            return;
        }
        // The answer is out: the connection waits for a next request.
        if (m_holders == 0 && m_phase == Phase::Handling)
            enter(Phase::Idle);
    }

    void onDeadline()
    {
        if (m_refused) {
            m_socket->abort(); // a client that never closed after its refusal
            return;
        }
        if (m_phase == Phase::AwaitingRequest &&
            (m_socket->bytesAvailable() > 0 || !m_held.isEmpty())) {
            refuse(errorResponse(408, "Request Timeout",
                                 Error{ErrorCode::Timeout,
                                       m_timeouts.head.count() % 1000 == 0
                                           ? u"The request head did not arrive within %1 s."_s.arg(
                                                 m_timeouts.head.count() / 1000)
                                           : u"The request head did not arrive within %1 ms."_s.arg(
                                                 m_timeouts.head.count()),
                                       {}}));
            return;
        }
        // A connection that never sent a request, or sent nothing more: nobody is waiting for
        // an answer.
        refuse({});
    }

    void pass(const Framing &framing)
    {
        if (framing.contentLength > RequestGate::maxBodyBytes) {
            refuse(errorResponse(413, "Request Entity Too Large",
                                 Error{ErrorCode::PayloadTooLarge,
                                       u"The request body is %1 bytes; at most %2 are accepted."_s
                                           .arg(framing.contentLength)
                                           .arg(RequestGate::maxBodyBytes),
                                       {{u"limit"_s, RequestGate::maxBodyBytes}}}));
            return;
        }
        enter(Phase::Handling);
        if (!m_handedOver) {
            m_handedOver = true;
            m_gate->handOver(m_socket);
        }
    }

    void checkHeld()
    {
        const Framing framing = readHead(m_held);
        switch (framing.kind) {
        case Framing::Incomplete:
            if (m_held.size() > RequestGate::maxHeadBytes)
                refuseHeadTooLarge();
            return;
        case Framing::Malformed:
            refuse({});
            return;
        case Framing::Length:
            if (framing.contentLength <= RequestGate::maxBodyBytes)
                release();
            pass(framing);
            return;
        case Framing::Chunked:
            break;
        }
        const ChunkedProgress chunks = readChunks(QByteArrayView(m_held).sliced(framing.headSize));
        if (chunks.malformed) {
            refuse({});
        } else if (chunks.dataSize > RequestGate::maxBodyBytes) {
            refuse(errorResponse(
                413, "Request Entity Too Large",
                Error{ErrorCode::PayloadTooLarge,
                      u"The request body is over %1 bytes."_s.arg(RequestGate::maxBodyBytes),
                      {{u"limit"_s, RequestGate::maxBodyBytes}}}));
        } else if (chunks.complete) {
            release();
            enter(Phase::Handling);
            if (!m_handedOver) {
                m_handedOver = true;
                m_gate->handOver(m_socket);
            }
        }
    }

    // Puts the held bytes back in front of the socket's buffer for QHttpServer to read.
    void release()
    {
        // While bytes are held QHttpServer finds nothing to read; a transaction it opened on
        // that nothing must end before bytes can be put back.
        if (m_socket->isTransactionStarted())
            m_socket->commitTransaction();
        for (qsizetype i = m_held.size() - 1; i >= 0; --i)
            m_socket->ungetChar(m_held.at(i));
        m_held.clear();
        m_holding = false;
    }

    void refuseHeadTooLarge()
    {
        refuse(errorResponse(
            431, "Request Header Fields Too Large",
            Error{ErrorCode::InvalidArgument,
                  u"The request head is over %1 bytes."_s.arg(RequestGate::maxHeadBytes),
                  {}}));
    }

    // Answers (unless the request was malformed) and closes the connection. Nothing more of
    // the request reaches QHttpServer. A socket closed while the client still sends is reset,
    // and a reset can destroy the answer before the client reads it, so an answer is followed
    // by closing only the sending side (onBytesWritten); what still comes is discarded until
    // the client closes too, or for lingerTime at most.
    void refuse(const QByteArray &response)
    {
        m_refused = true;
        m_held.clear();
        m_socket->skip(m_socket->bytesAvailable());
        if (response.isEmpty()) {
            m_deadline.stop();
            m_socket->disconnectFromHost();
            return;
        }
        m_deadline.start(lingerTime);
        m_socket->write(response);
    }

    static constexpr std::chrono::seconds lingerTime{2};

    RequestGate *m_gate;
    QTcpSocket *m_socket;
    RequestGate::Timeouts m_timeouts;
    QTimer m_deadline;
    Phase m_phase = Phase::AwaitingRequest;
    int m_holders = 0;
    QByteArray m_held;
    bool m_holding = false;
    bool m_handedOver = false;
    bool m_refused = false;
};

RequestGate::RequestGate(QObject *parent)
    : QTcpServer(parent)
{}

QTcpSocket *RequestGate::connection(const QHostAddress &peer, quint16 peerPort) const
{
    return m_connections.value({peer, peerPort});
}

void RequestGate::holdOpen(QTcpSocket *socket, QObject *holder)
{
    for (QObject *child : socket->children())
        if (auto *connection = dynamic_cast<GateConnection *>(child))
            connection->hold(holder);
}

void RequestGate::incomingConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    // Bounds what a connection can make this process buffer, whatever the client sends.
    socket->setReadBufferSize(maxBodyBytes + 2 * maxHeadBytes);
    const std::pair key{socket->peerAddress(), socket->peerPort()};
    m_connections.insert(key, socket);
    connect(socket, &QObject::destroyed, this, [this, key] { m_connections.remove(key); });
    new GateConnection(this, socket, m_timeouts);
    // Bytes that arrived with the connection are looked at as soon as the loop runs.
    QMetaObject::invokeMethod(socket, &QIODevice::readyRead, Qt::QueuedConnection);
}

void RequestGate::handOver(QTcpSocket *socket)
{
    // QAbstractHttpServer takes the socket at once, from pendingConnectionAvailable. The bytes
    // already in the socket raised their readyRead before it listened; raise it again.
    addPendingConnection(socket);
    QMetaObject::invokeMethod(socket, &QIODevice::readyRead, Qt::QueuedConnection);
}

} // namespace Crosstalk
