// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "llm/httpchatcall.h"

namespace Crosstalk {

// OpenAI Chat Completions, streamed: `POST {base}/chat/completions` with `stream: true` and
// `stream_options.include_usage`, answered by `data:` chunks of `chat.completion.chunk`
// objects and a final `data: [DONE]`. Also speaks Azure OpenAI (api-version query, api-key
// header) and accepts a whole JSON reply from servers that do not stream.
class OpenAIChatCall : public HttpChatCall
{
    Q_OBJECT

public:
    OpenAIChatCall(HttpClient *http, const ModelConfig &model, const QString &apiKey,
                   const ChatRequest &request, const CallTiming &timing, QObject *parent);

    // The request body, built in one place (tests check it field by field).
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
    void readUsage(const QJsonValue &usage);

    FinishReason m_finishReason = FinishReason::Other;
};

} // namespace Crosstalk
