// SPDX-License-Identifier: GPL-3.0-or-later
#include "llm/openaichatcall.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace Crosstalk {

OpenAIChatCall::OpenAIChatCall(HttpClient *http, const ModelConfig &model, const QString &apiKey,
                               const ChatRequest &request, const CallTiming &timing,
                               QObject *parent)
    : HttpChatCall(http, model, apiKey, request, timing, parent)
{
    prepareBody();
}

QUrl OpenAIChatCall::endpointFor(const ModelConfig &model)
{
    QUrl url = appendPath(model.baseUrl, u"/chat/completions");
    if (!model.azureApiVersion.isEmpty()) {
        QUrlQuery query(url);
        query.removeAllQueryItems(u"api-version"_s);
        query.addQueryItem(u"api-version"_s, model.azureApiVersion);
        url.setQuery(query);
    }
    return url;
}

QUrl OpenAIChatCall::endpoint() const
{
    return endpointFor(m_model);
}

QHttpHeaders OpenAIChatCall::headers() const
{
    QHttpHeaders headers;
    if (m_apiKey.isEmpty())
        return headers; // local servers (Ollama, llama.cpp…) need none
    if (!m_model.azureApiVersion.isEmpty())
        headers.append("api-key", m_apiKey.toUtf8());
    else
        headers.append(QHttpHeaders::WellKnownHeader::Authorization, "Bearer " + m_apiKey.toUtf8());
    return headers;
}

QJsonObject OpenAIChatCall::requestBody(const ModelConfig &model, const ChatRequest &request)
{
    QJsonArray messages;
    if (!request.system.isEmpty())
        messages.append(QJsonObject{{u"role"_s, u"system"_s}, {u"content"_s, request.system}});
    for (const ChatTurn &turn : mergeConsecutiveTurns(request.turns)) {
        messages.append(
            QJsonObject{{u"role"_s, turn.role == ChatTurn::Role::User ? u"user"_s : u"assistant"_s},
                        {u"content"_s, turn.content}});
    }
    QJsonObject body{
        {u"model"_s, model.modelId},
        {u"messages"_s, messages},
        {u"stream"_s, true},
        {u"stream_options"_s, QJsonObject{{u"include_usage"_s, true}}},
    };
    const auto temperature = request.temperature ? request.temperature : model.temperature;
    const auto topP = request.topP ? request.topP : model.topP;
    const auto maxTokens =
        request.maxOutputTokens ? request.maxOutputTokens : model.maxOutputTokens;
    const ParameterPolicy &policy = model.policy;
    if (temperature && policy.acceptsTemperature)
        body.insert(u"temperature"_s, *temperature);
    if (topP && policy.acceptsTopP &&
        !(policy.temperatureExcludesTopP && body.contains(u"temperature"_s)))
        body.insert(u"top_p"_s, *topP);
    if (maxTokens) {
        body.insert(policy.maxTokensField == ParameterPolicy::MaxTokensField::MaxCompletionTokens
                        ? u"max_completion_tokens"_s
                        : u"max_tokens"_s,
                    *maxTokens);
    }
    return body;
}

QJsonObject OpenAIChatCall::buildBody() const
{
    return requestBody(m_model, m_request);
}

FinishReason OpenAIChatCall::finishReasonFrom(const QString &reason)
{
    if (reason == u"stop"_s)
        return FinishReason::Stop;
    if (reason == u"length"_s)
        return FinishReason::Length;
    if (reason == u"content_filter"_s)
        return FinishReason::ContentFilter;
    return FinishReason::Other;
}

void OpenAIChatCall::readUsage(const QJsonValue &usage)
{
    if (!usage.isObject())
        return;
    const QJsonObject object = usage.toObject();
    reportUsage({tokenCount(object.value(u"prompt_tokens"_s)),
                 tokenCount(object.value(u"completion_tokens"_s)), false});
}

void OpenAIChatCall::handleEvent(const SseEvent &event)
{
    if (event.data == u"[DONE]"_s) {
        completeStream(m_finishReason);
        return;
    }
    const auto parsed = parseEvent(event, tr("The server sent a malformed chunk"));
    if (!parsed)
        return;
    const QJsonObject &chunk = *parsed;
    if (chunk.contains(u"error"_s)) {
        const QJsonValue error = chunk.value(u"error"_s);
        QString message = error.toObject().value(u"message"_s).toString();
        if (message.isEmpty())
            message = error.isString() ? error.toString() : tr("The server reported an error.");
        failStream(CallError::Kind::Provider, message);
        return;
    }
    const QJsonArray choices = chunk.value(u"choices"_s).toArray();
    if (!choices.isEmpty()) {
        const QJsonObject choice = choices.first().toObject();
        const QJsonValue content = choice.value(u"delta"_s).toObject().value(u"content"_s);
        if (content.isString())
            appendText(content.toString());
        const QJsonValue reason = choice.value(u"finish_reason"_s);
        if (reason.isString())
            m_finishReason = finishReasonFrom(reason.toString());
    }
    readUsage(chunk.value(u"usage"_s));
}

void OpenAIChatCall::handleJsonReply(const QJsonObject &reply)
{
    if (reply.contains(u"error"_s)) {
        failStream(CallError::Kind::Provider,
                   errorMessageFromBody(QJsonDocument(reply).toJson(), m_apiKey));
        return;
    }
    const QJsonArray choices = reply.value(u"choices"_s).toArray();
    if (choices.isEmpty())
        return;
    const QJsonObject choice = choices.first().toObject();
    const QJsonValue content = choice.value(u"message"_s).toObject().value(u"content"_s);
    if (!content.isString())
        return;
    appendText(content.toString());
    readUsage(reply.value(u"usage"_s));
    completeStream(finishReasonFrom(choice.value(u"finish_reason"_s).toString()));
}

} // namespace Crosstalk
