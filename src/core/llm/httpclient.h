// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHttpHeaders>
#include <QNetworkRequest>
#include <QObject>
#include <QUrl>

#include <chrono>

class QNetworkAccessManager;
class QNetworkReply;

namespace Crosstalk {

// The one owner of the QNetworkAccessManager, and the one place requests are built: the
// User-Agent, JSON and event-stream headers, the connection limits and the HTTP/1.1 switch.
// QNetworkAccessManager is asynchronous already: no threads, no waiting here.
class HttpClient : public QObject
{
    Q_OBJECT

public:
    explicit HttpClient(QObject *parent = nullptr);

    // Parallel rounds and many sessions against one local server need more than Qt's default
    // of 6 connections per host.
    static constexpr int ConnectionsPerHost = 64;

    struct Options
    {
        bool forceHttp1 = false; // HTTP/2 has had hang bugs with some servers
        bool acceptEventStream = false;
        // For short requests (listing, connection tests); streamed calls keep their own timer.
        std::chrono::milliseconds transferTimeout{0};
    };

    // The caller owns the reply and must deleteLater() it.
    QNetworkReply *postJson(const QUrl &url, const QByteArray &body, const QHttpHeaders &headers,
                            Options options);
    QNetworkReply *get(const QUrl &url, const QHttpHeaders &headers, Options options);

    static QByteArray userAgent();

private:
    QNetworkRequest makeRequest(const QUrl &url, const QHttpHeaders &headers,
                                Options options) const;

    QNetworkAccessManager *m_manager;
};

} // namespace Crosstalk
