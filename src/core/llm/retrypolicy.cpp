// SPDX-License-Identifier: GPL-3.0-or-later
#include "llm/retrypolicy.h"

#include <QLocale>
#include <QRandomGenerator>
#include <QTimeZone>

#include <algorithm>
#include <cmath>

namespace Crosstalk {

namespace {

// A wait a server asked for, in milliseconds, as a duration: NaN and negative values mean
// nothing; the rest is clamped before the conversion, which is undefined past qint64.
std::optional<RetryPolicy::Milliseconds> waitFromMs(double ms)
{
    if (std::isnan(ms) || ms < 0)
        return std::nullopt;
    if (ms >= double(RetryPolicy::maxRetryAfter.count()))
        return RetryPolicy::maxRetryAfter;
    return RetryPolicy::Milliseconds(qint64(ms));
}

} // namespace

bool RetryPolicy::isRetryableStatus(int httpStatus)
{
    return httpStatus == 408 || httpStatus == 409 || httpStatus == 429 || httpStatus >= 500;
}

RetryPolicy::Milliseconds RetryPolicy::delayBeforeRetry(int retry,
                                                        std::optional<Milliseconds> retryAfter,
                                                        QRandomGenerator &random) const
{
    const auto exponent = std::clamp(retry - 1, 0, 20);
    const qint64 backoff =
        std::min<qint64>(baseDelay.count() * (qint64(1) << exponent), maxBackoff.count());
    // "Equal jitter": half fixed, half random, so clients that failed together spread out.
    const qint64 jittered = backoff / 2 + qint64(random.bounded(double(backoff / 2 + 1)));
    const qint64 floor = retryAfter ? std::min(retryAfter->count(), maxRetryAfter.count()) : 0;
    return Milliseconds(std::max<qint64>(jittered, floor));
}

std::optional<RetryPolicy::Milliseconds> RetryPolicy::parseRetryAfter(const QByteArray &value,
                                                                      const QDateTime &now)
{
    const QByteArray trimmed = value.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;
    bool ok = false;
    const double seconds = trimmed.toDouble(&ok);
    if (ok)
        return waitFromMs(seconds * 1000);
    // IMF-fixdate, e.g. "Wed, 21 Oct 2015 07:28:00 GMT".
    QDateTime when = QLocale::c().toDateTime(QString::fromLatin1(trimmed),
                                             QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
    if (!when.isValid())
        return std::nullopt;
    when.setTimeZone(QTimeZone::UTC);
    return Milliseconds(std::clamp<qint64>(now.msecsTo(when), 0, maxRetryAfter.count()));
}

std::optional<RetryPolicy::Milliseconds> RetryPolicy::parseRetryAfterMs(const QByteArray &value)
{
    bool ok = false;
    const double ms = value.trimmed().toDouble(&ok);
    return ok ? waitFromMs(ms) : std::nullopt;
}

} // namespace Crosstalk
