// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "llm/chatcall.h"
#include "llm/scriptengine.h"

#include <QElapsedTimer>
#include <QStringList>
#include <QTimer>

namespace Crosstalk {

// The built-in offline demo model (PRODUCT.md §1, "Demo model"): the scripted reply engine
// answers from the request's demoContext, and the reply streams token by token from the event
// loop at a steady pace, so a new user sees every feature — streaming, cancelling, usage —
// with no key and no server. Usage is always estimated: no provider counted it.
class DemoChatCall : public ChatCall
{
    Q_OBJECT

public:
    // Lively enough to look like a fast model, slow enough to watch.
    static constexpr double DefaultTokensPerSecond = 40;

    // `tokensPerSecond` ≤ 0 streams every token on consecutive turns of the event loop.
    DemoChatCall(const ModelConfig &model, const ScriptEngine &script, const ChatRequest &request,
                 double tokensPerSecond, QObject *parent);

    void start() override;
    void cancel() override;

    // The context the script engine answers: the request's demoContext, with what the
    // request itself says where the engine left it empty.
    static ScriptContext contextFor(const ModelConfig &model, const ScriptEngine &script,
                                    const ChatRequest &request);

private:
    void deliverDueTokens();

    const ScriptEngine m_script;
    const double m_tokensPerSecond;
    QStringList m_tokens;
    qsizetype m_next = 0;
    bool m_started = false;
    QTimer m_timer;
    QElapsedTimer m_pace;
};

} // namespace Crosstalk
