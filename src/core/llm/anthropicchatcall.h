// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "llm/httpchatcall.h"

namespace Crosstalk {

// Anthropic Messages, streamed: `POST {base}/v1/messages` with the persona as the top-level
// `system`, the required `max_tokens`, and the events message_start, content_block_start,
// content_block_delta, content_block_stop, message_delta, message_stop, ping and error.
// Event types this client does not know are ignored, as Anthropic's versioning policy asks.
class AnthropicChatCall : public HttpChatCall
{
    Q_OBJECT

public:
    AnthropicChatCall(HttpClient *http, const ModelConfig &model, const QString &apiKey,
                      const ChatRequest &request, const CallTiming &timing, QObject *parent);

    static constexpr int DefaultMaxTokens = 4096;
    static QByteArray apiVersion() { return "2023-06-01"; }
    static QJsonObject requestBody(const ModelConfig &model, const ChatRequest &request);
    static QUrl endpointFor(const ModelConfig &model);

protected:
    QUrl endpoint() const override;
    QHttpHeaders headers() const override;
    QJsonObject buildBody() const override;
    void handleEvent(const SseEvent &event) override;
    void handleJsonReply(const QJsonObject &reply) override;

private:
    static FinishReason finishReasonFrom(const QString &reason);
    void readUsage(const QJsonObject &usage);

    FinishReason m_finishReason = FinishReason::Other;
    Usage m_usageSoFar;
};

} // namespace Crosstalk
