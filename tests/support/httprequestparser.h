// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHttpHeaders>

namespace Crosstalk::Fake {

struct HttpRequest
{
    QByteArray method;
    QByteArray target;
    QByteArray version;
    QHttpHeaders headers;
    QByteArray body;

    bool keepAlive() const;
};

// A minimal HTTP/1.1 request parser: request line, headers, and a body framed by
// Content-Length or chunked transfer coding. It parses one request at a time from the front of
// a connection's buffer and leaves any following bytes there for the next one.
class HttpRequestParser
{
public:
    enum class Status
    {
        Incomplete,
        Complete,
        Failed
    };

    static constexpr qsizetype kMaxHeadBytes = 64 * 1024;
    static constexpr qsizetype kMaxBodyBytes = 32 * 1024 * 1024;

    // Consumes a complete request from the front of buffer when there is one.
    Status parse(QByteArray &buffer);
    HttpRequest takeRequest();

    // True once, when the head asked for "Expect: 100-continue" and the body is still to come:
    // curl waits a second for the interim answer before it sends larger bodies.
    bool takeContinueRequest();

    int errorStatus() const { return m_errorStatus; }
    QByteArray errorMessage() const { return m_errorMessage; }

private:
    Status fail(int status, const QByteArray &message);
    Status parseHead(QByteArray &buffer);
    Status parseChunkedBody(QByteArray &buffer);

    HttpRequest m_request;
    bool m_haveHead = false;
    bool m_chunked = false;
    qsizetype m_contentLength = 0;
    bool m_continueWanted = false;
    int m_errorStatus = 0;
    QByteArray m_errorMessage;
};

} // namespace Crosstalk::Fake
