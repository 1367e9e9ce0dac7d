// SPDX-License-Identifier: GPL-3.0-or-later
#include "llm/chatcall.h"

#include <QJsonValue>

#include <algorithm>
#include <utility>

namespace Crosstalk {

ChatCall::ChatCall(const ModelConfig &model, const ChatRequest &request, QObject *parent)
    : QObject(parent)
    , m_model(model)
    , m_request(request)
{}

qint64 ChatCall::estimatedInputTokens() const
{
    qint64 tokens = estimateTokens(m_request.system);
    for (const ChatTurn &turn : m_request.turns)
        tokens += estimateTokens(turn.content);
    return tokens;
}

Usage ChatCall::priced(Usage usage) const
{
    usage.cost = m_model.cost(usage.tokensIn, usage.tokensOut);
    return usage;
}

qint64 ChatCall::tokenCount(const QJsonValue &value)
{
    return std::clamp(value.toInteger(), qint64(0), maxTokenCount);
}

void ChatCall::markStarted()
{
    m_clock.start();
    Q_EMIT started();
}

void ChatCall::appendText(const QString &text)
{
    if (m_done || text.isEmpty())
        return;
    if (!m_ttftMs)
        m_ttftMs = m_clock.elapsed();
    m_contentArrived = true;
    const qsizetype room = maxReplyChars - m_text.size();
    if (text.size() > room) {
        qsizetype kept = room;
        if (kept > 0 && text.at(kept - 1).isHighSurrogate())
            --kept; // half a character is not text
        appendText(text.first(kept));
        // The buffer grew in steps; what is kept is all it needs.
        m_text.squeeze();
        replyTooLong(tr("The reply passed the limit of %1 MiB of text and was cut there.")
                         .arg(maxReplyChars / (1024 * 1024)));
        return;
    }
    m_text += text;
    if (!m_holdingDeltas) {
        Q_EMIT textDelta(text);
        return;
    }
    m_pendingDelta += text;
}

void ChatCall::replyTooLong(const QString &message)
{
    fail({CallError::Kind::TooLarge, 0, message, true, 1});
}

void ChatCall::releaseDeltas()
{
    m_holdingDeltas = false;
    if (!m_pendingDelta.isEmpty())
        Q_EMIT textDelta(std::exchange(m_pendingDelta, {}));
}

void ChatCall::reportUsage(const Usage &usage)
{
    if (m_done)
        return;
    m_usage = priced(usage);
    m_usageReported = true;
    Q_EMIT usageReported(m_usage);
}

void ChatCall::complete(FinishReason reason)
{
    if (m_done)
        return;
    releaseDeltas(); // listeners see all the text before the outcome
    if (m_done)
        return; // a listener of that text cancelled the call
    m_done = true;
    m_finishReason = reason;
    m_durationMs = m_clock.isValid() ? m_clock.elapsed() : 0;
    if (!m_usageReported)
        m_usage = priced({estimatedInputTokens(), estimateTokens(m_text), true});
    Q_EMIT finished();
}

void ChatCall::fail(CallError error)
{
    if (m_done)
        return;
    releaseDeltas();
    if (m_done)
        return;
    m_done = true;
    m_durationMs = m_clock.isValid() ? m_clock.elapsed() : 0;
    if (!m_usageReported)
        m_usage =
            priced({m_contentArrived ? estimatedInputTokens() : 0, estimateTokens(m_text), true});
    error.contentArrived = m_contentArrived;
    Q_EMIT failed(error);
}

} // namespace Crosstalk
