// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "llm/chatrequest.h"
#include "llm/modelconfig.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>

#include <optional>

namespace Crosstalk {

// One request for one reply, whatever the provider: create it, connect to its signals, call
// start(). It emits started() once, textDelta() as text arrives, usageReported() when the
// provider counts tokens, then exactly one of finished() or failed(). cancel() stops it; the
// failure then says Cancelled, which is tracked explicitly, never guessed from an error code.
// The usage is the provider's count when it reported one, else an estimate marked as such;
// either way it carries the cost at the model's prices.
class ChatCall : public QObject
{
    Q_OBJECT

public:
    ChatCall(const ModelConfig &model, const ChatRequest &request, QObject *parent);

    virtual void start() = 0;
    virtual void cancel() = 0;

    // The exact request that was sent (messages and parameters), without keys: stored with
    // the message so the inspector can show it.
    QJsonObject requestRecord() const { return m_requestRecord; }
    QString text() const { return m_text; }
    Usage usage() const { return m_usage; }
    FinishReason finishReason() const { return m_finishReason; }
    std::optional<qint64> timeToFirstTokenMs() const { return m_ttftMs; }
    qint64 durationMs() const { return m_durationMs; }
    bool isDone() const { return m_done; }
    const ModelConfig &model() const { return m_model; }

Q_SIGNALS:
    void started();
    void textDelta(const QString &text);
    void usageReported(const Crosstalk::Usage &usage);
    void finished();
    void failed(const Crosstalk::CallError &error);
    // An attempt failed before any content arrived and will be repeated after `waitMs` (the
    // policy's wait: backoff with jitter, at least the server's Retry-After), so a window can
    // say "retrying in 5 s". Only calls that go over the network retry.
    void retrying(int retry, qint64 waitMs, const Crosstalk::CallError &reason);

protected:
    // A token count from a server's usage report, clamped to 0..maxTokenCount: the numbers
    // come from the network, and the sums over a reply and over a session must not overflow.
    static constexpr qint64 maxTokenCount = qint64(1) << 40;

public:
    // The most text one reply may hold (QUALITY.md R13): a provider streaming for ever would
    // otherwise take all memory. The text up to it is kept, and the call fails as TooLarge.
    static constexpr qsizetype maxReplyChars = 4 * 1024 * 1024;

protected:
    static qint64 tokenCount(const QJsonValue &value);

    void markStarted();
    // Adds to the reply's text and emits it as a textDelta, at once or, between holdDeltas()
    // and releaseDeltas(), as one delta when released: a network read often holds many
    // tokens, and one signal for them spares every listener (engine, models, store) the rest.
    // Past maxReplyChars, keeps what fits and calls replyTooLong().
    void appendText(const QString &text);
    // Ends the call as failed once the reply passed maxReplyChars; a call that holds a network
    // reply also lets go of it.
    virtual void replyTooLong(const QString &message);
    void holdDeltas() { m_holdingDeltas = true; }
    void releaseDeltas();
    void reportUsage(const Usage &usage);
    // Ends the call with a complete reply. Without reported usage, the usage is estimated
    // from the request and the text.
    void complete(FinishReason reason);
    // Without reported usage, a partial reply counts the request's estimated input (the
    // provider read it), a failure before any text counts none.
    void fail(CallError error);

    const ModelConfig m_model;
    const ChatRequest m_request;
    QJsonObject m_requestRecord;
    bool m_contentArrived = false;

private:
    Usage priced(Usage usage) const;
    qint64 estimatedInputTokens() const;

    QElapsedTimer m_clock;
    QString m_text;
    QString m_pendingDelta; // appended while deltas are held, not emitted yet
    bool m_holdingDeltas = false;
    Usage m_usage;
    bool m_usageReported = false;
    FinishReason m_finishReason = FinishReason::Other;
    std::optional<qint64> m_ttftMs;
    qint64 m_durationMs = 0;
    bool m_done = false;
};

} // namespace Crosstalk

Q_DECLARE_METATYPE(Crosstalk::Usage)
Q_DECLARE_METATYPE(Crosstalk::CallError)
