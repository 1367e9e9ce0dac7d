// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "llm/chatrequest.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>

#include <optional>

namespace Crosstalk {

// One request for one reply, whatever the provider: create it, connect to its signals, call
// start(). It emits started() once, textDelta() as text arrives, usageReported() when the
// provider counts tokens, then exactly one of finished() or failed(). cancel() stops it; the
// failure then says Cancelled, which is tracked explicitly, never guessed from an error code.
class ChatCall : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

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

Q_SIGNALS:
    void started();
    void textDelta(const QString &text);
    void usageReported(const Crosstalk::Usage &usage);
    void finished();
    void failed(const Crosstalk::CallError &error);

protected:
    void markStarted();
    void appendText(const QString &text);
    void reportUsage(const Usage &usage);
    // Ends the call with a complete reply. Without reported usage, the usage is estimated
    // from `estimatedInputTokens` and the text.
    void complete(FinishReason reason, qint64 estimatedInputTokens);
    void fail(CallError error);

    QJsonObject m_requestRecord;
    bool m_contentArrived = false;

private:
    QElapsedTimer m_clock;
    QString m_text;
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
