// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "llm/chatcall.h"
#include "llm/httpclient.h"
#include "llm/modelconfig.h"
#include "llm/retrypolicy.h"
#include "llm/sseparser.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QRandomGenerator>
#include <QTimer>

class QNetworkReply;

namespace Crosstalk {

// Timeouts and retries of one call. Tests shrink them; nothing waits for real durations there.
struct CallTiming
{
    std::chrono::milliseconds inactivityTimeout{120000};
    std::chrono::milliseconds turnLimit{900000};
    RetryPolicy retry;
    // Every retry wait (backoff and Retry-After) is multiplied by this; tests shrink it so that
    // a server's "Retry-After: 1" is honoured without waiting a real second.
    double retryWaitScale = 1.0;
};

// The machinery every HTTP provider shares: sending, the inactivity timeout, the whole-turn
// limit, retries before any content arrived (honouring Retry-After), feeding the stream to an
// SSE parser, and turning HTTP and network failures into CallErrors with the provider's own
// message. Subclasses build the request and interpret the events of their protocol.
class HttpChatCall : public ChatCall
{
    Q_OBJECT

public:
    HttpChatCall(HttpClient *http, const ModelConfig &model, const QString &apiKey,
                 const ChatRequest &request, const CallTiming &timing, QObject *parent);
    ~HttpChatCall() override;

    void start() override;
    void cancel() override;

    int attempts() const { return m_attempt; }

    // `base` with `suffix` appended to its path, whatever trailing slashes `base` has.
    static QUrl appendPath(const QUrl &base, QStringView suffix);

    // The most an error body or a whole (non-streamed) reply may hold.
    static constexpr qsizetype maxPlainBodyBytes = 8 * 1024 * 1024;

    // The provider's message from an error body (`{"error": {"message": …}}` in both
    // protocols), else the body's text, shortened — with every piece of `apiKey` removed
    // first, so no cut can leave part of the key behind.
    static QString errorMessageFromBody(const QByteArray &rawBody, QStringView apiKey);

protected:
    virtual QUrl endpoint() const = 0;
    virtual QHttpHeaders headers() const = 0;
    virtual QJsonObject buildBody() const = 0;
    // Interprets one event of the stream; calls appendText, reportUsage, completeStream or
    // failStream.
    virtual void handleEvent(const SseEvent &event) = 0;
    // A server that answered with a whole JSON reply instead of a stream.
    virtual void handleJsonReply(const QJsonObject &reply) = 0;

    // The event's data as a JSON object; otherwise the call fails as Malformed with
    // `complaint` ("The server sent a malformed chunk"), the parser's reason and the data.
    std::optional<QJsonObject> parseEvent(const SseEvent &event, const QString &complaint);

    void replyTooLong(const QString &message) override;

    void completeStream(FinishReason reason);
    void failStream(CallError::Kind kind, const QString &message);

    // Prepares m_requestRecord; subclasses call it at the end of their constructor.
    void prepareBody();

    const QString m_apiKey;

private:
    void sendAttempt();
    void onReadyRead();
    void onReplyFinished();
    void retryOrFail(CallError error, std::optional<RetryPolicy::Milliseconds> retryAfter);
    void finishWithError(CallError error);
    // Aborts the reply: its connection is not reused.
    void dropReply();
    // Lets a completed reply finish on its own so that its connection is kept.
    void releaseReply();
    QString redact(QString text) const;
    static QString durationText(std::chrono::milliseconds duration);

    HttpClient *m_http;
    CallTiming m_timing;
    QByteArray m_body;
    QPointer<QNetworkReply> m_reply;
    SseParser m_parser;
    enum class BodyKind
    {
        Unknown,     // no byte of the body read yet
        EventStream, // a stream of events
        Plain,       // an error body, or a whole JSON reply
    };
    BodyKind m_bodyKind = BodyKind::Unknown;
    QByteArray m_plainBody;       // an error body, or a whole JSON reply, up to maxPlainBodyBytes
    QElapsedTimer m_lastActivity; // since the last bytes or headers arrived
    bool m_streaming = false;
    bool m_timedOut = false;
    bool m_started = false;
    int m_attempt = 0;
    QTimer m_inactivityTimer;
    QTimer m_turnTimer;
    QTimer m_retryTimer;
    QRandomGenerator m_random;
};

} // namespace Crosstalk
