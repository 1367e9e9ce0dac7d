// SPDX-License-Identifier: GPL-3.0-or-later
#include "llm/demochatcall.h"

#include "llm/replytokenizer.h"

#include <QJsonArray>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Crosstalk {

DemoChatCall::DemoChatCall(const ModelConfig &model, const ScriptEngine &script,
                           const ChatRequest &request, double tokensPerSecond, QObject *parent)
    : ChatCall(model, request, parent)
    , m_script(script)
    , m_tokensPerSecond(tokensPerSecond)
{
    // Nothing goes on the wire, but the inspector still shows what the demo model was given.
    QJsonArray turns;
    for (const ChatTurn &turn : mergeConsecutiveTurns(request.turns)) {
        turns.append(
            QJsonObject{{u"role"_s, turn.role == ChatTurn::Role::User ? u"user"_s : u"assistant"_s},
                        {u"content"_s, turn.content}});
    }
    m_requestRecord = {{u"model"_s, model.modelId}, {u"messages"_s, turns}};
    if (!request.system.isEmpty())
        m_requestRecord.insert(u"system"_s, request.system);

    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(tokensPerSecond > 0 ? std::max(1, int(1000.0 / tokensPerSecond)) : 0);
    connect(&m_timer, &QTimer::timeout, this, &DemoChatCall::deliverDueTokens);
}

ScriptContext DemoChatCall::contextFor(const ModelConfig &model, const ScriptEngine &script,
                                       const ChatRequest &request)
{
    ScriptContext context = request.demoContext;
    if (context.model.isEmpty())
        context.model = model.modelId;
    if (context.seed == 0)
        context.seed = script.seed();
    if (context.lastUserText.isEmpty()) {
        const auto last =
            std::find_if(request.turns.crbegin(), request.turns.crend(),
                         [](const ChatTurn &t) { return t.role == ChatTurn::Role::User; });
        if (last != request.turns.crend())
            context.lastUserText = last->content;
    }
    return context;
}

void DemoChatCall::start()
{
    if (m_started)
        return;
    m_started = true;
    markStarted();
    m_tokens = ReplyTokenizer::split(m_script.reply(contextFor(m_model, m_script, m_request)));
    m_pace.start();
    // Even the first token comes from the event loop, so callers see the same order of
    // signals as from a network call.
    m_timer.start();
}

void DemoChatCall::deliverDueTokens()
{
    // Tokens are due by elapsed time, not by timer ticks: a busy event loop catches up instead
    // of slowing the reply down.
    const qsizetype paced =
        m_tokensPerSecond > 0 ? qsizetype(double(m_pace.elapsed()) * m_tokensPerSecond / 1000.0) + 1
                              : m_next + 1;
    const qsizetype due = std::min(m_tokens.size(), paced);
    while (m_next < due && !isDone())
        appendText(m_tokens.at(m_next++));
    if (m_next >= m_tokens.size()) {
        m_timer.stop();
        complete(FinishReason::Stop);
    }
}

void DemoChatCall::cancel()
{
    if (isDone())
        return;
    m_timer.stop();
    fail({CallError::Kind::Cancelled, 0, tr("Stopped."), false, 1});
}

} // namespace Crosstalk
