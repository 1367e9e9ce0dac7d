// SPDX-License-Identifier: GPL-3.0-or-later
#include "ratelimiter.h"

#include <algorithm>
#include <cmath>

namespace Crosstalk {

namespace {

// Buckets idle for this long are full again and need not be kept; forgetting them keeps the
// table small when many clients come and go.
constexpr std::chrono::seconds kForgetAfter{60};
constexpr qsizetype kPruneAbove = 1024;

} // namespace

RateLimiter::RateLimiter(const RateLimits &limits)
    : m_limits(limits)
    , m_clock([] { return std::chrono::steady_clock::now(); })
{}

void RateLimiter::setLimits(const RateLimits &limits)
{
    m_limits = limits;
    m_buckets.clear();
}

bool RateLimiter::allow(const QHostAddress &client, std::chrono::milliseconds *retryAfter,
                        double cost)
{
    if (m_limits.perSecond <= 0)
        return true;
    const auto now = m_clock();
    if (m_buckets.size() > kPruneAbove)
        m_buckets.removeIf(
            [now](const auto &entry) { return now - entry.value().updated > kForgetAfter; });
    const double capacity = std::max(1.0, m_limits.burst);
    auto it = m_buckets.find(client);
    if (it == m_buckets.end())
        it = m_buckets.insert(client, Bucket{capacity, now});
    Bucket &bucket = it.value();
    const std::chrono::duration<double> elapsed = now - bucket.updated;
    bucket.tokens = std::min(capacity, bucket.tokens + elapsed.count() * m_limits.perSecond);
    bucket.updated = now;
    if (bucket.tokens >= cost) {
        bucket.tokens -= cost;
        return true;
    }
    if (retryAfter)
        *retryAfter = std::chrono::milliseconds(
            qint64(std::ceil((cost - bucket.tokens) / m_limits.perSecond * 1000.0)));
    return false;
}

} // namespace Crosstalk
