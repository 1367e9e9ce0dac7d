// SPDX-License-Identifier: GPL-3.0-or-later
#include "localserverprobe.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

using namespace Qt::StringLiterals;

namespace Crosstalk {

QList<LocalServerProbe::Candidate> LocalServerProbe::defaultCandidates()
{
    return {{u"Ollama"_s, u"ollama"_s, 11434},
            {u"LM Studio"_s, u"lmstudio"_s, 1234},
            {u"llama.cpp"_s, u"llamacpp"_s, 8080},
            {u"vLLM"_s, u"vllm"_s, 8000}};
}

LocalServerProbe::LocalServerProbe(QObject *parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
{}

void LocalServerProbe::start(const QList<Candidate> &candidates, std::chrono::milliseconds timeout)
{
    m_started = true;
    m_order = candidates;
    m_pending = int(candidates.size());
    if (m_pending == 0) {
        QMetaObject::invokeMethod(this, [this] { Q_EMIT finished(m_found); }, Qt::QueuedConnection);
        return;
    }
    for (const Candidate &candidate : candidates) {
        const QUrl base(u"http://127.0.0.1:%1/v1"_s.arg(candidate.port));
        QNetworkRequest request(QUrl(base.toString() + u"/models"_s));
        request.setTransferTimeout(timeout);
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                             QNetworkRequest::ManualRedirectPolicy);
        QNetworkReply *reply = m_network->get(request);
        connect(reply, &QNetworkReply::finished, this, [this, reply, candidate, base] {
            reply->deleteLater();
            // Only a server that lists models in the Chat Completions form counts: something
            // else on a common port (a web server on 8080) is not offered as a model.
            const QJsonArray data =
                QJsonDocument::fromJson(reply->readAll()).object().value(u"data"_s).toArray();
            if (reply->error() == QNetworkReply::NoError && !data.isEmpty()) {
                LocalServer server{candidate.name, candidate.alias, base, {}};
                for (const QJsonValue &model : data)
                    if (const QString id = model.toObject().value(u"id"_s).toString();
                        !id.isEmpty())
                        server.models << id;
                if (!server.models.isEmpty())
                    m_found << server;
            }
            if (--m_pending == 0) {
                // In the candidates' order, whatever order the answers came in.
                std::sort(m_found.begin(), m_found.end(),
                          [this](const LocalServer &a, const LocalServer &b) {
                              const auto rank = [this](const LocalServer &s) {
                                  for (qsizetype i = 0; i < m_order.size(); ++i)
                                      if (m_order.at(i).alias == s.alias)
                                          return i;
                                  return m_order.size();
                              };
                              return rank(a) < rank(b);
                          });
                Q_EMIT finished(m_found);
            }
        });
    }
}

} // namespace Crosstalk
