// SPDX-License-Identifier: GPL-3.0-or-later
#include "llm/chatclient.h"

#include "llm/anthropicchatcall.h"
#include "llm/demochatcall.h"
#include "llm/openaichatcall.h"

namespace Crosstalk {

ChatClient::ChatClient(QObject *parent)
    : QObject(parent)
    , m_http(new HttpClient(this))
    , m_demoTokensPerSecond(DemoChatCall::DefaultTokensPerSecond)
{
    setNetworkPolicy(NetworkPolicy());
}

void ChatClient::setNetworkPolicy(const NetworkPolicy &policy)
{
    m_timing.inactivityTimeout = std::chrono::seconds(policy.requestTimeoutSeconds);
    m_timing.turnLimit = std::chrono::seconds(policy.turnLimitSeconds);
    m_timing.retry.maxRetries = policy.maxRetries;
}

ChatCall *ChatClient::createCall(const ModelConfig &model, const QString &apiKey,
                                 const ChatRequest &request, QObject *parent,
                                 std::optional<CallTiming> timing)
{
    switch (model.kind) {
    case ApiKind::OpenAI:
        return new OpenAIChatCall(m_http, model, apiKey, request, timing.value_or(m_timing),
                                  parent);
    case ApiKind::Anthropic:
        return new AnthropicChatCall(m_http, model, apiKey, request, timing.value_or(m_timing),
                                     parent);
    case ApiKind::Demo:
        break;
    }
    // The demo model, the one kind without a network: returned after the switch so that every
    // enumerator stays listed there and every path visibly returns a call.
    return new DemoChatCall(model, m_demoScript, request, m_demoTokensPerSecond, parent);
}

} // namespace Crosstalk
