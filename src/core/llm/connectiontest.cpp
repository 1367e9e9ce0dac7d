// SPDX-License-Identifier: GPL-3.0-or-later
#include "llm/connectiontest.h"

#include "llm/chatclient.h"
#include "llm/modellisting.h"

#include <QElapsedTimer>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Crosstalk {

ConnectionTest::ConnectionTest(QObject *parent)
    : QObject(parent)
{}

ConnectionTest *ConnectionTest::start(ChatClient *client, const ModelConfig &model,
                                      const QString &apiKey, std::chrono::milliseconds timeout,
                                      QObject *parent)
{
    auto *test = new ConnectionTest(parent);
    test->m_client = client;
    test->m_model = model;
    test->m_apiKey = apiKey;
    test->m_timeout = timeout;
    // The list first: it names the models the server has when the chosen one is unknown. A
    // server without the route still gets the request that matters.
    ModelListing *listing = ModelListing::start(client->http(), model, apiKey, timeout, test);
    connect(listing, &ModelListing::finished, test, [test](const QStringList &ids) {
        test->m_listed = ids;
        test->ask();
    });
    connect(listing, &ModelListing::failed, test, &ConnectionTest::ask);
    return test;
}

void ConnectionTest::ask()
{
    ChatRequest request;
    request.turns = {{ChatTurn::Role::User, u"Say OK."_s}};
    request.maxOutputTokens = 1;
    CallTiming timing = m_client->timing();
    timing.inactivityTimeout = m_timeout;
    timing.turnLimit = m_timeout;
    timing.retry.maxRetries = 0;
    m_call = m_client->createCall(m_model, m_apiKey, request, this, timing);
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    connect(m_call, &ChatCall::finished, this, [this, clock] {
        QString text =
            tr("Connected: %1 answered in %2 ms.").arg(m_model.modelId).arg(clock->elapsed());
        if (!m_listed.isEmpty())
            text += u' ' + tr("The server lists %n model(s).", nullptr, int(m_listed.size()));
        finish(true, text);
    });
    connect(m_call, &ChatCall::failed, this, [this](const CallError &error) {
        finish(false, explain(error, m_model, !m_apiKey.isEmpty(), m_listed));
    });
    m_call->start();
}

void ConnectionTest::finish(bool ok, const QString &message)
{
    Q_EMIT finished(ok, message, m_listed);
    deleteLater();
}

QString ConnectionTest::explain(const CallError &error, const ModelConfig &model, bool keyGiven,
                                const QStringList &listed)
{
    static const QRegularExpression unknownModel(
        u"model.*(not found|does not exist|not exist|unknown|no such|not available)|"
        "(unknown|invalid) model|model_not_found"_s,
        QRegularExpression::CaseInsensitiveOption);
    const QString said = error.message;
    const int status = error.kind == CallError::Kind::Http ? error.httpStatus : 0;
    if (status == 401 || status == 403) {
        return keyGiven
                   ? tr("Failed: the server refused the key (HTTP %1): %2").arg(status).arg(said)
                   : tr("Failed: the server wants a key (HTTP %1): %2").arg(status).arg(said);
    }
    if (status == 404 ||
        ((status == 400 || status == 422) && unknownModel.match(said).hasMatch())) {
        if (!listed.isEmpty() && !listed.contains(model.modelId))
            return tr("Failed: the server does not know the model %1 (it lists %2): %3")
                .arg(model.modelId, QStringList(listed.mid(0, 5)).join(u", "_s), said);
        return tr("Failed: model not found: the server does not know %1 (HTTP %2): %3")
            .arg(model.modelId)
            .arg(status)
            .arg(said);
    }
    switch (error.kind) {
    case CallError::Kind::Network:
        return tr("Failed: the server at %1 cannot be reached: %2")
            .arg(model.baseUrl.toDisplayString(), said);
    case CallError::Kind::Timeout:
        return tr("Failed: the server did not answer in time: %1").arg(said);
    default:
        return tr("Failed: %1").arg(said);
    }
}

} // namespace Crosstalk
