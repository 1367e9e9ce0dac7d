// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "llm/httpclient.h"
#include "llm/modelconfig.h"

#include <QObject>
#include <QPointer>
#include <QStringList>

class QNetworkReply;

namespace Crosstalk {

// Asks a server which models it offers (`GET /models` on Chat Completions servers,
// `GET /v1/models` on Anthropic). Settings uses it to fill the model picker and as the
// connection test: an answer proves the URL, the protocol and the key. Emits exactly one of
// finished() or failed(), then deletes itself.
class ModelListing : public QObject
{
    Q_OBJECT

public:
    static ModelListing *start(HttpClient *http, const ModelConfig &model, const QString &apiKey,
                               std::chrono::milliseconds timeout, QObject *parent);

    static QUrl endpointFor(const ModelConfig &model);

Q_SIGNALS:
    void finished(const QStringList &modelIds);
    void failed(const QString &message);

private:
    explicit ModelListing(QObject *parent);
    void onFinished();

    QPointer<QNetworkReply> m_reply;
    QString m_apiKey;
    ApiKind m_kind = ApiKind::OpenAI;
    QUrl m_baseUrl;
};

} // namespace Crosstalk
