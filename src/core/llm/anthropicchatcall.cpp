// SPDX-License-Identifier: GPL-3.0-or-later
#include "llm/anthropicchatcall.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace Crosstalk {

AnthropicChatCall::AnthropicChatCall(HttpClient *http, const ModelConfig &model,
                                     const QString &apiKey, const ChatRequest &request,
                                     const CallTiming &timing, QObject *parent)
    : HttpChatCall(http, model, apiKey, request, timing, parent)
{
    prepareBody();
}

QUrl AnthropicChatCall::endpointFor(const ModelConfig &model)
{
    // Both "https://api.anthropic.com" and ".../v1" are common spellings of the base URL.
    const QUrl v1 = appendPath(model.baseUrl, u"");
    return appendPath(v1, v1.path().endsWith(u"/v1"_s) ? u"/messages" : u"/v1/messages");
}

QUrl AnthropicChatCall::endpoint() const
{
    return endpointFor(m_model);
}

QHttpHeaders AnthropicChatCall::headers() const
{
    QHttpHeaders headers;
    headers.append("anthropic-version", apiVersion());
    if (!m_apiKey.isEmpty())
        headers.append("x-api-key", m_apiKey.toUtf8());
    return headers;
}

QJsonObject AnthropicChatCall::requestBody(const ModelConfig &model, const ChatRequest &request)
{
    QJsonArray messages;
    for (const ChatTurn &turn : mergeConsecutiveTurns(request.turns)) {
        messages.append(
            QJsonObject{{u"role"_s, turn.role == ChatTurn::Role::User ? u"user"_s : u"assistant"_s},
                        {u"content"_s, turn.content}});
    }
    const auto maxTokens =
        request.maxOutputTokens ? request.maxOutputTokens : model.maxOutputTokens;
    QJsonObject body{
        {u"model"_s, model.modelId},
        {u"max_tokens"_s, maxTokens.value_or(DefaultMaxTokens)},
        {u"messages"_s, messages},
        {u"stream"_s, true},
    };
    if (!request.system.isEmpty())
        body.insert(u"system"_s, request.system);
    const auto temperature = request.temperature ? request.temperature : model.temperature;
    const auto topP = request.topP ? request.topP : model.topP;
    const ParameterPolicy &policy = model.policy;
    if (temperature && policy.acceptsTemperature)
        body.insert(u"temperature"_s, *temperature);
    if (topP && policy.acceptsTopP &&
        !(policy.temperatureExcludesTopP && body.contains(u"temperature"_s)))
        body.insert(u"top_p"_s, *topP);
    return body;
}

QJsonObject AnthropicChatCall::buildBody() const
{
    return requestBody(m_model, m_request);
}

FinishReason AnthropicChatCall::finishReasonFrom(const QString &reason)
{
    if (reason == u"end_turn"_s || reason == u"stop_sequence"_s)
        return FinishReason::Stop;
    if (reason == u"max_tokens"_s)
        return FinishReason::Length;
    if (reason == u"refusal"_s)
        return FinishReason::ContentFilter;
    return FinishReason::Other;
}

void AnthropicChatCall::readUsage(const QJsonObject &usage)
{
    if (usage.isEmpty())
        return;
    // Cached prompt tokens are counted apart from input_tokens; all were sent.
    if (usage.contains(u"input_tokens"_s)) {
        m_usageSoFar.tokensIn = tokenCount(usage.value(u"input_tokens"_s)) +
                                tokenCount(usage.value(u"cache_creation_input_tokens"_s)) +
                                tokenCount(usage.value(u"cache_read_input_tokens"_s));
    }
    if (usage.contains(u"output_tokens"_s))
        m_usageSoFar.tokensOut = tokenCount(usage.value(u"output_tokens"_s));
    reportUsage(m_usageSoFar);
}

void AnthropicChatCall::handleEvent(const SseEvent &event)
{
    const auto parsed = parseEvent(event, tr("The server sent a malformed event"));
    if (!parsed)
        return;
    const QJsonObject &data = *parsed;
    const QString type = data.value(u"type"_s).toString(event.type);
    if (type == u"message_start"_s) {
        readUsage(data.value(u"message"_s).toObject().value(u"usage"_s).toObject());
    } else if (type == u"content_block_delta"_s) {
        const QJsonObject delta = data.value(u"delta"_s).toObject();
        if (delta.value(u"type"_s).toString() == u"text_delta"_s)
            appendText(delta.value(u"text"_s).toString());
    } else if (type == u"message_delta"_s) {
        const QJsonValue reason = data.value(u"delta"_s).toObject().value(u"stop_reason"_s);
        if (reason.isString())
            m_finishReason = finishReasonFrom(reason.toString());
        readUsage(data.value(u"usage"_s).toObject());
    } else if (type == u"message_stop"_s) {
        completeStream(m_finishReason);
    } else if (type == u"error"_s) {
        const QJsonObject error = data.value(u"error"_s).toObject();
        QString message = error.value(u"message"_s).toString();
        if (message.isEmpty())
            message = error.value(u"type"_s).toString(tr("The server reported an error."));
        failStream(CallError::Kind::Provider, message);
    }
}

void AnthropicChatCall::handleJsonReply(const QJsonObject &reply)
{
    if (reply.value(u"type"_s).toString() == u"error"_s) {
        failStream(CallError::Kind::Provider,
                   errorMessageFromBody(QJsonDocument(reply).toJson(), m_apiKey));
        return;
    }
    const QJsonArray content = reply.value(u"content"_s).toArray();
    bool anyText = false;
    for (const QJsonValue &block : content) {
        if (block.toObject().value(u"type"_s).toString() == u"text"_s) {
            appendText(block.toObject().value(u"text"_s).toString());
            anyText = true;
        }
    }
    if (!anyText)
        return;
    readUsage(reply.value(u"usage"_s).toObject());
    completeStream(finishReasonFrom(reply.value(u"stop_reason"_s).toString()));
}

} // namespace Crosstalk
