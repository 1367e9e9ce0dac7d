// SPDX-License-Identifier: GPL-3.0-or-later
#include "llm/modellisting.h"

#include "llm/anthropicchatcall.h"
#include "llm/httpchatcall.h"
#include "llm/keyredaction.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QTimer>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace Crosstalk {

ModelListing::ModelListing(QObject *parent)
    : QObject(parent)
{}

QUrl ModelListing::endpointFor(const ModelConfig &model)
{
    // Anthropic's base URL may be given with or without /v1; Chat Completions' includes it.
    const QUrl base = HttpChatCall::appendPath(model.baseUrl, u"");
    const bool addV1 = model.kind == ApiKind::Anthropic && !base.path().endsWith(u"/v1"_s);
    QUrl url = HttpChatCall::appendPath(base, addV1 ? u"/v1/models" : u"/models");
    if (!model.azureApiVersion.isEmpty()) {
        QUrlQuery query(url);
        query.addQueryItem(u"api-version"_s, model.azureApiVersion);
        url.setQuery(query);
    }
    return url;
}

ModelListing *ModelListing::start(HttpClient *http, const ModelConfig &model, const QString &apiKey,
                                  std::chrono::milliseconds timeout, QObject *parent)
{
    auto *listing = new ModelListing(parent);
    listing->m_apiKey = apiKey;
    listing->m_kind = model.kind;
    listing->m_baseUrl = model.baseUrl;
    if (model.kind == ApiKind::Demo) {
        QTimer::singleShot(0, listing, [listing, id = model.modelId] {
            Q_EMIT listing->finished({id});
            listing->deleteLater();
        });
        return listing;
    }
    QHttpHeaders headers;
    if (model.kind == ApiKind::Anthropic) {
        headers.append("anthropic-version", AnthropicChatCall::apiVersion());
        if (!apiKey.isEmpty())
            headers.append("x-api-key", apiKey.toUtf8());
    } else if (!apiKey.isEmpty()) {
        if (!model.azureApiVersion.isEmpty())
            headers.append("api-key", apiKey.toUtf8());
        else
            headers.append(QHttpHeaders::WellKnownHeader::Authorization,
                           "Bearer " + apiKey.toUtf8());
    }
    listing->m_reply = http->get(endpointFor(model), headers,
                                 {.forceHttp1 = model.forceHttp1, .transferTimeout = timeout});
    connect(listing->m_reply, &QNetworkReply::finished, listing, &ModelListing::onFinished);
    return listing;
}

void ModelListing::onFinished()
{
    QNetworkReply *reply = m_reply;
    reply->deleteLater();
    deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QByteArray body = reply->readAll();
    QString message;
    if (status >= 400) {
        message =
            tr("HTTP %1: %2").arg(status).arg(HttpChatCall::errorMessageFromBody(body, m_apiKey));
    } else if (reply->error() != QNetworkReply::NoError) {
        message = reply->error() == QNetworkReply::OperationCanceledError
                      ? tr("The server did not answer in time.")
                      : reply->errorString();
    } else {
        // Both protocols answer {"data": [{"id": …}, …]}.
        const QJsonValue data = QJsonDocument::fromJson(body).object().value(u"data"_s);
        if (!data.isArray()) {
            message = tr("The server's answer is not a model list.");
        } else {
            QStringList ids;
            for (const QJsonValue &entry : data.toArray()) {
                const QString id = entry.toObject().value(u"id"_s).toString();
                if (!id.isEmpty())
                    ids << id;
            }
            Q_EMIT finished(ids);
            return;
        }
    }
    // The network error's text may quote the server too, and the URL with its password.
    Q_EMIT failed(
        KeyRedaction::redact(KeyRedaction::withoutUrlPassword(message, m_baseUrl), m_apiKey));
}

} // namespace Crosstalk
