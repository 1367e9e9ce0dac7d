// SPDX-License-Identifier: GPL-3.0-or-later
#include "llm/httpchatcall.h"

#include "llm/keyredaction.h"

#include <QJsonDocument>
#include <QNetworkReply>

using namespace Qt::StringLiterals;

namespace Crosstalk {

HttpChatCall::HttpChatCall(HttpClient *http, const ModelConfig &model, const QString &apiKey,
                           const ChatRequest &request, const CallTiming &timing, QObject *parent)
    : ChatCall(model, request, parent)
    , m_apiKey(apiKey)
    , m_http(http)
    , m_timing(timing)
    , m_random(QRandomGenerator::global()->generate())
{
    m_inactivityTimer.setSingleShot(true);
    m_turnTimer.setSingleShot(true);
    m_retryTimer.setSingleShot(true);
    connect(&m_inactivityTimer, &QTimer::timeout, this, [this] {
        // Reads do not restart the timer (that costs more than reading a token); it checks
        // when it fires whether data came since.
        const auto idle = std::chrono::milliseconds(m_lastActivity.elapsed());
        if (idle < m_timing.inactivityTimeout) {
            m_inactivityTimer.start(m_timing.inactivityTimeout - idle);
            return;
        }
        m_timedOut = true;
        if (m_reply)
            m_reply->abort(); // finished() follows at once and reports the timeout
    });
    connect(&m_turnTimer, &QTimer::timeout, this, [this] {
        m_retryTimer.stop();
        finishWithError({CallError::Kind::Timeout, 0,
                         tr("The reply took longer than the turn limit of %1.")
                             .arg(durationText(m_timing.turnLimit)),
                         false, m_attempt});
    });
    connect(&m_retryTimer, &QTimer::timeout, this, &HttpChatCall::sendAttempt);
}

HttpChatCall::~HttpChatCall()
{
    dropReply();
}

void HttpChatCall::prepareBody()
{
    m_requestRecord = buildBody();
    m_body = QJsonDocument(m_requestRecord).toJson(QJsonDocument::Compact);
}

void HttpChatCall::start()
{
    if (m_started)
        return;
    m_started = true;
    markStarted();
    m_turnTimer.start(m_timing.turnLimit);
    const QList<ChatTurn> turns = mergeConsecutiveTurns(m_request.turns);
    if (turns.isEmpty() || turns.last().role != ChatTurn::Role::User) {
        // Reported from the event loop, like every other outcome, so callers see one order.
        QMetaObject::invokeMethod(
            this,
            [this] {
                finishWithError({CallError::Kind::InvalidRequest, 0,
                                 tr("A request must end with a user turn."), false, 0});
            },
            Qt::QueuedConnection);
        return;
    }
    sendAttempt();
}

void HttpChatCall::sendAttempt()
{
    if (isDone())
        return;
    ++m_attempt;
    m_parser = SseParser();
    m_bodyKind = BodyKind::Unknown;
    m_plainBody.clear();
    m_streaming = false;
    m_timedOut = false;
    // The transfer timeout is a backstop for a reply left to finish after its stream ended
    // (releaseReply); the call's own inactivity timer fires first.
    m_reply = m_http->postJson(endpoint(), m_body, headers(),
                               {.forceHttp1 = m_model.forceHttp1,
                                .acceptEventStream = true,
                                .transferTimeout = 2 * m_timing.inactivityTimeout});
    connect(m_reply, &QNetworkReply::readyRead, this, &HttpChatCall::onReadyRead);
    connect(m_reply, &QNetworkReply::metaDataChanged, this, [this] { m_lastActivity.start(); });
    connect(m_reply, &QNetworkReply::finished, this, &HttpChatCall::onReplyFinished);
    m_lastActivity.start();
    m_inactivityTimer.start(m_timing.inactivityTimeout);
}

void HttpChatCall::onReadyRead()
{
    if (!m_reply || isDone())
        return;
    m_lastActivity.start();
    if (m_bodyKind == BodyKind::Unknown) {
        // Status and headers are complete before the first byte of the body.
        const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray contentType =
            m_reply->header(QNetworkRequest::ContentTypeHeader).toByteArray().toLower();
        m_bodyKind = status >= 300 || !contentType.startsWith("text/event-stream")
                         ? BodyKind::Plain
                         : BodyKind::EventStream;
    }
    const QByteArray bytes = m_reply->readAll();
    if (m_bodyKind == BodyKind::Plain) {
        // Errors and whole (non-streamed) replies are read to the end, then interpreted; a
        // body past the bound is not read further.
        if (m_plainBody.size() + bytes.size() > maxPlainBodyBytes) {
            m_plainBody.clear();
            failStream(CallError::Kind::TooLarge,
                       tr("The server's reply passed the limit of %1 MiB.")
                           .arg(maxPlainBodyBytes / (1024 * 1024)));
            return;
        }
        m_plainBody += bytes;
        return;
    }
    m_streaming = true;
    const QList<SseEvent> events = m_parser.feed(bytes);
    holdDeltas(); // the text of all these events is one delta
    for (const SseEvent &event : events) {
        handleEvent(event);
        if (isDone())
            break;
    }
    releaseDeltas();
    if (!isDone() && m_parser.exceededLimit() != SseParser::Limit::None) {
        const auto mib = [](qsizetype size) { return size / (1024 * 1024); };
        failStream(CallError::Kind::TooLarge,
                   m_parser.exceededLimit() == SseParser::Limit::Line
                       ? tr("The server sent a line longer than the limit of %1 MiB.")
                             .arg(mib(SseParser::maxLineBytes))
                       : tr("The server sent an event larger than the limit of %1 MiB.")
                             .arg(mib(SseParser::maxEventBytes)));
    }
    if (isDone())
        dropReply();
}

void HttpChatCall::onReplyFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    m_inactivityTimer.stop();
    if (isDone()) {
        dropReply();
        return;
    }
    if (reply->bytesAvailable() > 0)
        onReadyRead();
    if (isDone()) {
        dropReply();
        return;
    }

    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QNetworkReply::NetworkError networkError = reply->error();
    const QByteArray retryAfterMs = reply->rawHeader("retry-after-ms");
    const QByteArray retryAfter = reply->rawHeader("retry-after");
    const QString errorString = redact(reply->errorString());
    dropReply();

    if (m_timedOut) {
        retryOrFail(
            {CallError::Kind::Timeout, 0,
             tr("No data from the server for %1.").arg(durationText(m_timing.inactivityTimeout)),
             false, m_attempt},
            std::nullopt);
        return;
    }
    if (status >= 400) {
        std::optional<RetryPolicy::Milliseconds> wait =
            RetryPolicy::parseRetryAfterMs(retryAfterMs);
        if (!wait)
            wait = RetryPolicy::parseRetryAfter(retryAfter, QDateTime::currentDateTimeUtc());
        QString message = errorMessageFromBody(m_plainBody, m_apiKey);
        if (message.isEmpty())
            message = tr("The server answered HTTP %1.").arg(status);
        retryOrFail({CallError::Kind::Http, status, message, false, m_attempt}, wait);
        return;
    }
    if (networkError != QNetworkReply::NoError) {
        retryOrFail({CallError::Kind::Network, status, errorString, false, m_attempt},
                    std::nullopt);
        return;
    }
    if (!m_streaming) {
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(m_plainBody, &parseError);
        if (!document.isObject()) {
            finishWithError({CallError::Kind::Malformed, status,
                             tr("The server's reply is neither an event stream nor a JSON "
                                "object (%1).")
                                 .arg(parseError.errorString()),
                             false, m_attempt});
            return;
        }
        handleJsonReply(document.object());
        if (!isDone())
            finishWithError({CallError::Kind::Malformed, status,
                             tr("The server's reply holds no message."), false, m_attempt});
        return;
    }
    // The stream closed without its end marker.
    retryOrFail({CallError::Kind::Network, status,
                 m_contentArrived ? tr("The stream ended before the reply was complete.")
                                  : tr("The server closed the stream before sending anything."),
                 false, m_attempt},
                std::nullopt);
}

void HttpChatCall::retryOrFail(CallError error, std::optional<RetryPolicy::Milliseconds> retryAfter)
{
    const bool retryable =
        error.kind == CallError::Kind::Network || error.kind == CallError::Kind::Timeout ||
        (error.kind == CallError::Kind::Http && RetryPolicy::isRetryableStatus(error.httpStatus));
    // Once text arrived, a retry would silently replace what the user already saw.
    if (retryable && !m_contentArrived && m_attempt <= m_timing.retry.maxRetries) {
        const auto wait = m_timing.retry.delayBeforeRetry(m_attempt, retryAfter, m_random);
        const std::chrono::milliseconds scaled(
            qint64(double(wait.count()) * m_timing.retryWaitScale));
        // A server asking for a wait past the turn limit will not be answered in this turn.
        if (scaled >= m_turnTimer.remainingTimeAsDuration()) {
            finishWithError(error);
            return;
        }
        m_retryTimer.start(scaled);
        error.message = redact(error.message);
        Q_EMIT retrying(m_attempt, wait.count(), error);
        return;
    }
    finishWithError(error);
}

void HttpChatCall::finishWithError(CallError error)
{
    m_inactivityTimer.stop();
    m_turnTimer.stop();
    m_retryTimer.stop();
    dropReply();
    error.message = redact(error.message);
    error.attempts = m_attempt;
    fail(error);
}

std::optional<QJsonObject> HttpChatCall::parseEvent(const SseEvent &event, const QString &complaint)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(event.data.toUtf8(), &parseError);
    if (document.isObject())
        return document.object();
    failStream(CallError::Kind::Malformed,
               u"%1 (%2): %3"_s.arg(complaint,
                                    parseError.error == QJsonParseError::NoError
                                        ? tr("not a JSON object")
                                        : parseError.errorString(),
                                    // Redacted before the cut, which could split a key.
                                    redact(event.data).left(120)));
    return std::nullopt;
}

QUrl HttpChatCall::appendPath(const QUrl &base, QStringView suffix)
{
    QUrl url = base;
    QString path = url.path();
    while (path.endsWith(u'/'))
        path.chop(1);
    url.setPath(path + suffix);
    return url;
}

void HttpChatCall::completeStream(FinishReason reason)
{
    m_inactivityTimer.stop();
    m_turnTimer.stop();
    releaseReply();
    complete(reason);
}

void HttpChatCall::replyTooLong(const QString &message)
{
    failStream(CallError::Kind::TooLarge, message);
}

void HttpChatCall::failStream(CallError::Kind kind, const QString &message)
{
    const int status =
        m_reply ? m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() : 0;
    finishWithError({kind, status, message, false, m_attempt});
}

void HttpChatCall::cancel()
{
    if (isDone())
        return;
    // Ends at once and says so explicitly: the reply is dropped with its signals disconnected,
    // so the abort's own error can never be mistaken for the outcome.
    finishWithError({CallError::Kind::Cancelled, 0, tr("Stopped."), false, m_attempt});
}

void HttpChatCall::releaseReply()
{
    if (!m_reply)
        return;
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    reply->disconnect(this);
    if (!reply->isRunning()) {
        reply->deleteLater();
        return;
    }
    // The reply is complete, but the stream's last bytes (the chunked terminator) may still
    // be on their way. Aborting would close the connection; reading them out keeps it for the
    // next request — a new TLS handshake per turn costs real providers a noticeable delay.
    connect(reply, &QNetworkReply::readyRead, reply, [reply] { reply->readAll(); });
    connect(reply, &QNetworkReply::finished, reply, &QObject::deleteLater);
}

void HttpChatCall::dropReply()
{
    if (!m_reply)
        return;
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    reply->disconnect(this);
    if (reply->isRunning())
        reply->abort();
    reply->deleteLater();
}

QString HttpChatCall::errorMessageFromBody(const QByteArray &rawBody, QStringView apiKey)
{
    const QByteArray body = KeyRedaction::redact(rawBody, apiKey);
    const QJsonDocument document = QJsonDocument::fromJson(body);
    const QJsonValue error = document.object().value(u"error"_s);
    QString message =
        error.isObject() ? error.toObject().value(u"message"_s).toString() : error.toString();
    if (message.isEmpty())
        message = document.object().value(u"message"_s).toString();
    if (message.isEmpty())
        message = QString::fromUtf8(body).simplified();
    // Again after decoding: a JSON escape such as \u0073 spells a key only once decoded.
    message = KeyRedaction::redact(message, apiKey);
    if (message.size() > 500)
        message = message.left(500) + u'…';
    return message;
}

QString HttpChatCall::durationText(std::chrono::milliseconds duration)
{
    // Tests and impatient users set limits below a second; "0 seconds" would be wrong.
    if (duration.count() % 1000 != 0)
        return tr("%n millisecond(s)", nullptr, int(duration.count()));
    return tr("%n second(s)", nullptr, int(duration.count() / 1000));
}

QString HttpChatCall::redact(QString text) const
{
    // A server may echo the key (e.g. "Incorrect API key provided: sk-…"), or pieces of it:
    // they must never reach the transcript, logs or exports; nor the base URL's password.
    return KeyRedaction::redact(KeyRedaction::withoutUrlPassword(std::move(text), endpoint()),
                                m_apiKey);
}

} // namespace Crosstalk
