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

    // The longest wait a server's Retry-After is taken at. Larger values, infinity included,
    // are clamped to it, so that no conversion overflows; a wait longer than a call's turn
    // limit ends the call instead (HttpChatCall).
    static constexpr Milliseconds maxRetryAfter{24 * 60 * 60 * 1000};

    int maxRetries = 2;
    Milliseconds baseDelay{500};
    Milliseconds maxBackoff{30000};

    static bool isRetryableStatus(int httpStatus);

    // The wait before retry number `retry` (1 for the first retry).
    Milliseconds delayBeforeRetry(int retry, std::optional<Milliseconds> retryAfter,
                                  QRandomGenerator &random) const;

    // Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). Negative and
    // not-a-number values are ignored.
    static std::optional<Milliseconds> parseRetryAfter(const QByteArray &value,
                                                       const QDateTime &now);
    // OpenAI's `retry-after-ms`: milliseconds, possibly fractional.
    static std::optional<Milliseconds> parseRetryAfterMs(const QByteArray &value);
};

} // namespace Crosstalk
