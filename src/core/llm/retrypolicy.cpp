// SPDX-License-Identifier: GPL-3.0-or-later
#include "llm/retrypolicy.h"

#include <QLocale>
#include <QRandomGenerator>
#include <QTimeZone>

#include <algorithm>

namespace Crosstalk {

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
    return Milliseconds(std::max<qint64>(jittered, retryAfter ? retryAfter->count() : 0));
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
        return seconds >= 0 ? std::optional(Milliseconds(qint64(seconds * 1000))) : std::nullopt;
    // IMF-fixdate, e.g. "Wed, 21 Oct 2015 07:28:00 GMT".
    QDateTime when = QLocale::c().toDateTime(QString::fromLatin1(trimmed),
                                             QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
    if (!when.isValid())
        return std::nullopt;
    when.setTimeZone(QTimeZone::UTC);
    return Milliseconds(std::max<qint64>(0, now.msecsTo(when)));
}

} // namespace Crosstalk
