// SPDX-License-Identifier: GPL-3.0-or-later
#include "httprequestparser.h"

#include <QList>

using namespace Qt::StringLiterals;

namespace Crosstalk::Fake {

bool HttpRequest::keepAlive() const
{
    const QByteArray connection =
        headers.value(QHttpHeaders::WellKnownHeader::Connection).toByteArray().toLower();
    if (version == "HTTP/1.0")
        return connection.contains("keep-alive");
    return !connection.contains("close");
}

HttpRequestParser::Status HttpRequestParser::fail(int status, const QByteArray &message)
{
    m_errorStatus = status;
    m_errorMessage = message;
    return Status::Failed;
}

HttpRequestParser::Status HttpRequestParser::parse(QByteArray &buffer)
{
    if (m_errorStatus != 0)
        return Status::Failed;
    if (!m_haveHead) {
        const Status head = parseHead(buffer);
        if (head != Status::Complete)
            return head;
    }
    if (m_chunked)
        return parseChunkedBody(buffer);
    if (buffer.size() < m_contentLength)
        return Status::Incomplete;
    m_request.body = buffer.first(m_contentLength);
    buffer.remove(0, m_contentLength);
    return Status::Complete;
}

HttpRequestParser::Status HttpRequestParser::parseHead(QByteArray &buffer)
{
    const qsizetype end = buffer.indexOf("\r\n\r\n");
    if (end < 0) {
        if (buffer.size() > kMaxHeadBytes)
            return fail(431, "request head too large");
        return Status::Incomplete;
    }
    if (end > kMaxHeadBytes)
        return fail(431, "request head too large");
    const QList<QByteArray> lines = buffer.first(end).split('\n');
    buffer.remove(0, end + 4);

    const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
    if (requestLine.size() != 3 || requestLine.at(0).isEmpty() ||
        !requestLine.at(1).startsWith('/') || !requestLine.at(2).startsWith("HTTP/1."))
        return fail(400, "malformed request line");
    m_request.method = requestLine.at(0);
    m_request.target = requestLine.at(1);
    m_request.version = requestLine.at(2);

    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).endsWith('\r') ? lines.at(i).chopped(1) : lines.at(i);
        const qsizetype colon = line.indexOf(':');
        // Whitespace before the colon is how request smuggling starts; RFC 9112 says reject.
        if (colon <= 0 || line.at(colon - 1) == ' ' || line.at(colon - 1) == '\t')
            return fail(400, "malformed header line");
        if (!m_request.headers.append(QByteArrayView(line.first(colon)),
                                      QByteArrayView(line.sliced(colon + 1).trimmed())))
            return fail(400, "invalid header");
    }

    const QByteArray transferEncoding =
        m_request.headers.value(QHttpHeaders::WellKnownHeader::TransferEncoding)
            .toByteArray()
            .toLower();
    const bool hasLength = m_request.headers.contains(QHttpHeaders::WellKnownHeader::ContentLength);
    if (!transferEncoding.isEmpty()) {
        if (transferEncoding != "chunked" || hasLength)
            return fail(400, "unsupported transfer coding");
        m_chunked = true;
    } else if (hasLength) {
        bool ok = false;
        m_contentLength = m_request.headers.value(QHttpHeaders::WellKnownHeader::ContentLength)
                              .toByteArray()
                              .toLongLong(&ok);
        if (!ok || m_contentLength < 0)
            return fail(400, "invalid Content-Length");
        if (m_contentLength > kMaxBodyBytes)
            return fail(413, "request body too large");
    }
    m_haveHead = true;
    m_continueWanted =
        m_request.headers.value(QHttpHeaders::WellKnownHeader::Expect).toByteArray().toLower() ==
            "100-continue" &&
        (m_chunked || buffer.size() < m_contentLength);
    return Status::Complete;
}

HttpRequestParser::Status HttpRequestParser::parseChunkedBody(QByteArray &buffer)
{
    // Re-decoded from the start on each call: request bodies are small, and this keeps the
    // parser free of intermediate states.
    QByteArray body;
    qsizetype pos = 0;
    for (;;) {
        const qsizetype lineEnd = buffer.indexOf("\r\n", pos);
        if (lineEnd < 0)
            return buffer.size() - pos > 1024 ? fail(400, "malformed chunk size")
                                              : Status::Incomplete;
        QByteArray sizeField = buffer.sliced(pos, lineEnd - pos);
        if (const qsizetype semicolon = sizeField.indexOf(';'); semicolon >= 0)
            sizeField.truncate(semicolon);
        bool ok = false;
        const qsizetype size = sizeField.trimmed().toLongLong(&ok, 16);
        if (!ok || size < 0)
            return fail(400, "malformed chunk size");
        pos = lineEnd + 2;
        if (size == 0)
            break;
        if (body.size() + size > kMaxBodyBytes)
            return fail(413, "request body too large");
        if (buffer.size() < pos + size + 2)
            return Status::Incomplete;
        if (buffer.sliced(pos + size, 2) != "\r\n")
            return fail(400, "malformed chunk");
        body += buffer.sliced(pos, size);
        pos += size + 2;
    }
    // Trailer fields are allowed after the last chunk; they end with an empty line.
    for (;;) {
        const qsizetype lineEnd = buffer.indexOf("\r\n", pos);
        if (lineEnd < 0)
            return Status::Incomplete;
        const bool empty = lineEnd == pos;
        pos = lineEnd + 2;
        if (empty)
            break;
    }
    buffer.remove(0, pos);
    m_request.body = body;
    return Status::Complete;
}

HttpRequest HttpRequestParser::takeRequest()
{
    HttpRequest request = std::move(m_request);
    *this = HttpRequestParser();
    return request;
}

bool HttpRequestParser::takeContinueRequest()
{
    return std::exchange(m_continueWanted, false);
}

} // namespace Crosstalk::Fake
