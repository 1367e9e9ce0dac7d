// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QHostAddress>

#include <chrono>
#include <functional>

namespace Crosstalk {

struct RateLimits
{
    // Zero turns the limit off.
    double perSecond = 100;
    double burst = 200;
};

// A token bucket per client address (PRODUCT.md §6): each client may make `burst` requests at
// once and `perSecond` requests a second in the long run.
class RateLimiter
{
public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;

    explicit RateLimiter(const RateLimits &limits = {});

    RateLimits limits() const { return m_limits; }
    void setLimits(const RateLimits &limits);
    // Tests move time instead of waiting.
    void setClock(Clock clock) { m_clock = std::move(clock); }

    // Takes `cost` tokens from the client's bucket (a request, or each call of an MCP batch).
    // When the bucket holds fewer, the request is refused, nothing is taken, and `retryAfter`
    // says when enough will be there again.
    bool allow(const QHostAddress &client, std::chrono::milliseconds *retryAfter = nullptr,
               double cost = 1.0);

private:
    struct Bucket
    {
        double tokens = 0;
        std::chrono::steady_clock::time_point updated;
    };

    RateLimits m_limits;
    Clock m_clock;
    QHash<QHostAddress, Bucket> m_buckets;
};

} // namespace Crosstalk
