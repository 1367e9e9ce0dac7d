// SPDX-License-Identifier: GPL-3.0-or-later
#include "llm/httpclient.h"

#include "config/appidentity.h"

#include <QHttp1Configuration>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

using namespace Qt::StringLiterals;

namespace Crosstalk {

HttpClient::HttpClient(QObject *parent)
    : QObject(parent)
    , m_manager(new QNetworkAccessManager(this))
{
    // Redirects of POSTs to model servers are never expected; following them could leak a
    // key to another host.
    m_manager->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
}

QByteArray HttpClient::userAgent()
{
    return "Crosstalk/" + AppIdentity::version().toLatin1();
}

QNetworkRequest HttpClient::makeRequest(const QUrl &url, const QHttpHeaders &headers,
                                        Options options) const
{
    QNetworkRequest request(url);
    QHttpHeaders all = headers;
    all.replaceOrAppend(QHttpHeaders::WellKnownHeader::UserAgent, userAgent());
    if (options.acceptEventStream) {
        all.replaceOrAppend(QHttpHeaders::WellKnownHeader::Accept, "text/event-stream");
        all.replaceOrAppend(QHttpHeaders::WellKnownHeader::CacheControl, "no-cache");
    } else if (!all.contains(QHttpHeaders::WellKnownHeader::Accept)) {
        all.append(QHttpHeaders::WellKnownHeader::Accept, "application/json");
    }
    request.setHeaders(all);
    QHttp1Configuration http1;
    http1.setNumberOfConnectionsPerHost(ConnectionsPerHost);
    request.setHttp1Configuration(http1);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, !options.forceHttp1);
    if (options.transferTimeout.count() > 0)
        request.setTransferTimeout(options.transferTimeout);
    // Streamed replies must not be buffered or decompressed behind our back in a way that
    // delays tokens; identity keeps each chunk visible as it arrives.
    request.setRawHeader("Accept-Encoding", "identity");
    return request;
}

QNetworkReply *HttpClient::postJson(const QUrl &url, const QByteArray &body,
                                    const QHttpHeaders &headers, Options options)
{
    QNetworkRequest request = makeRequest(url, headers, options);
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    return m_manager->post(request, body);
}

QNetworkReply *HttpClient::get(const QUrl &url, const QHttpHeaders &headers, Options options)
{
    return m_manager->get(makeRequest(url, headers, options));
}

} // namespace Crosstalk
