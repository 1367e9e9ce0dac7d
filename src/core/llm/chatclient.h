// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "llm/httpchatcall.h"
#include "llm/modelregistry.h"
#include "llm/scriptengine.h"

#include <QObject>

namespace Crosstalk {

// Creates the right ChatCall for a model's protocol. One per process: it owns the HTTP
// client service, and with it the one QNetworkAccessManager.
class ChatClient : public QObject
{
    Q_OBJECT

public:
    explicit ChatClient(QObject *parent = nullptr);

    // Timeouts and retries from the registry's network policy.
    void setNetworkPolicy(const NetworkPolicy &policy);
    // Tests replace the timing wholesale so that nothing waits for real durations.
    void setTiming(const CallTiming &timing) { m_timing = timing; }
    const CallTiming &timing() const { return m_timing; }

    // The call is not started; connect to it, then call start(). `parent` owns it. `timing`
    // replaces the client's for this call (a connection test does not retry).
    ChatCall *createCall(const ModelConfig &model, const QString &apiKey,
                         const ChatRequest &request, QObject *parent,
                         std::optional<CallTiming> timing = std::nullopt);

    // The demo model's script (persona replies unless rules say otherwise) and pace.
    void setDemoScript(const ScriptEngine &script) { m_demoScript = script; }
    void setDemoTokensPerSecond(double tokensPerSecond) { m_demoTokensPerSecond = tokensPerSecond; }

    HttpClient *http() const { return m_http; }

private:
    HttpClient *m_http;
    CallTiming m_timing;
    ScriptEngine m_demoScript;
    double m_demoTokensPerSecond;
};

} // namespace Crosstalk
