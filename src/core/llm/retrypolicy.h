// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QDateTime>

#include <chrono>
#include <optional>

class QRandomGenerator;

namespace Crosstalk {

// When and how long to wait before trying a failed request again (PRODUCT.md §6): connection
// errors and 408/409/429/5xx are retried, only before any content arrived, with exponential
// backoff and jitter, never sooner than the server's Retry-After.
struct RetryPolicy
{
    using Milliseconds = std::chrono::milliseconds;

    int maxRetries = 2;
    Milliseconds baseDelay{500};
    Milliseconds maxBackoff{30000};

    static bool isRetryableStatus(int httpStatus);

    // The wait before retry number `retry` (1 for the first retry).
    Milliseconds delayBeforeRetry(int retry, std::optional<Milliseconds> retryAfter,
                                  QRandomGenerator &random) const;

    // Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3).
    static std::optional<Milliseconds> parseRetryAfter(const QByteArray &value,
                                                       const QDateTime &now);
};

} // namespace Crosstalk
