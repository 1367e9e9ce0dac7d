// SPDX-License-Identifier: GPL-3.0-or-later
#include "llm/retrypolicy.h"

#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Crosstalk;
using Ms = RetryPolicy::Milliseconds;

class TestRetryPolicy : public QObject
{
    Q_OBJECT

private slots:
    void retryableStatuses_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<bool>("retryable");
        for (int s : {408, 409, 429, 500, 502, 503, 504})
            QTest::addRow("%d", s) << s << true;
        for (int s : {400, 401, 403, 404, 413, 422})
            QTest::addRow("%d", s) << s << false;
    }

    void retryableStatuses()
    {
        QFETCH(int, status);
        QFETCH(bool, retryable);
        QCOMPARE(RetryPolicy::isRetryableStatus(status), retryable);
    }

    void backoffGrowsWithJitterAndCap()
    {
        RetryPolicy policy;
        policy.baseDelay = Ms(100);
        policy.maxBackoff = Ms(1000);
        QRandomGenerator random(42);
        for (int round = 0; round < 50; ++round) {
            for (int retry = 1; retry <= 8; ++retry) {
                const qint64 full = std::min<qint64>(100 << (retry - 1), 1000);
                const qint64 delay = policy.delayBeforeRetry(retry, std::nullopt, random).count();
                QVERIFY2(delay >= full / 2 && delay <= full,
                         qPrintable(u"retry %1: %2"_s.arg(retry).arg(delay)));
            }
        }
    }

    void jitterSpreadsClients()
    {
        RetryPolicy policy;
        QRandomGenerator random(7);
        QSet<qint64> seen;
        for (int i = 0; i < 20; ++i)
            seen.insert(policy.delayBeforeRetry(3, std::nullopt, random).count());
        QVERIFY(seen.size() > 10);
    }

    void retryAfterIsAFloor()
    {
        RetryPolicy policy;
        policy.baseDelay = Ms(100);
        QRandomGenerator random(1);
        QCOMPARE(policy.delayBeforeRetry(1, Ms(5000), random), Ms(5000));
        const qint64 small = policy.delayBeforeRetry(1, Ms(1), random).count();
        QVERIFY(small >= 50 && small <= 100);
    }

    void parseRetryAfter_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<std::optional<Ms>>("expected");
        QTest::newRow("seconds") << "3"_ba << std::optional(Ms(3000));
        QTest::newRow("fraction") << "0.5"_ba << std::optional(Ms(500));
        QTest::newRow("spaces") << " 2 "_ba << std::optional(Ms(2000));
        QTest::newRow("date") << "Wed, 25 Nov 2026 14:00:10 GMT"_ba << std::optional(Ms(10000));
        QTest::newRow("date in the past")
            << "Wed, 25 Nov 2026 13:00:00 GMT"_ba << std::optional(Ms(0));
        QTest::newRow("negative") << "-1"_ba << std::optional<Ms>();
        QTest::newRow("garbage") << "soon"_ba << std::optional<Ms>();
        QTest::newRow("empty") << ""_ba << std::optional<Ms>();
        // QUALITY.md R13: values whose conversion to milliseconds would overflow are clamped;
        // values that mean nothing are ignored.
        const std::optional<Ms> longest(RetryPolicy::maxRetryAfter);
        QTest::newRow("1e300") << "1e300"_ba << longest;
        QTest::newRow("twenty digits") << "99999999999999999999"_ba << longest;
        QTest::newRow("inf") << "inf"_ba << longest;
        QTest::newRow("just past the longest")
            << QByteArray::number(RetryPolicy::maxRetryAfter.count() / 1000 + 1) << longest;
        QTest::newRow("the longest")
            << QByteArray::number(RetryPolicy::maxRetryAfter.count() / 1000) << longest;
        QTest::newRow("-inf") << "-inf"_ba << std::optional<Ms>();
        QTest::newRow("nan") << "nan"_ba << std::optional<Ms>();
        QTest::newRow("date in year 9999") << "Fri, 31 Dec 9999 23:59:59 GMT"_ba << longest;
    }

    void parseRetryAfter()
    {
        QFETCH(QByteArray, value);
        QFETCH(std::optional<Ms>, expected);
        const QDateTime now(QDate(2026, 11, 25), QTime(14, 0, 0), QTimeZone::UTC);
        QCOMPARE(RetryPolicy::parseRetryAfter(value, now), expected);
    }

    void parseRetryAfterMs_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<std::optional<Ms>>("expected");
        const std::optional<Ms> longest(RetryPolicy::maxRetryAfter);
        QTest::newRow("milliseconds") << "1500"_ba << std::optional(Ms(1500));
        QTest::newRow("fraction") << "20.7"_ba << std::optional(Ms(20));
        QTest::newRow("spaces") << " 3 "_ba << std::optional(Ms(3));
        QTest::newRow("1e300") << "1e300"_ba << longest;
        QTest::newRow("inf") << "inf"_ba << longest;
        QTest::newRow("twenty digits") << "99999999999999999999"_ba << longest;
        QTest::newRow("nan") << "nan"_ba << std::optional<Ms>();
        QTest::newRow("-inf") << "-inf"_ba << std::optional<Ms>();
        QTest::newRow("negative") << "-5"_ba << std::optional<Ms>();
        QTest::newRow("garbage") << "soon"_ba << std::optional<Ms>();
        QTest::newRow("empty") << ""_ba << std::optional<Ms>();
    }

    void parseRetryAfterMs()
    {
        QFETCH(QByteArray, value);
        QFETCH(std::optional<Ms>, expected);
        QCOMPARE(RetryPolicy::parseRetryAfterMs(value), expected);
    }

    // A wait handed in from elsewhere is clamped too.
    void delayIsClamped()
    {
        RetryPolicy policy;
        QRandomGenerator random(3);
        QCOMPARE(policy.delayBeforeRetry(1, Ms::max(), random), RetryPolicy::maxRetryAfter);
        const qint64 first = policy.delayBeforeRetry(1, std::nullopt, random).count();
        QVERIFY(first >= 250 && first <= 500);
        const qint64 late =
            policy.delayBeforeRetry(std::numeric_limits<int>::max(), std::nullopt, random).count();
        QVERIFY(late >= policy.maxBackoff.count() / 2 && late <= policy.maxBackoff.count());
    }
};

QTEST_GUILESS_MAIN(TestRetryPolicy)
#include "tst_retrypolicy.moc"
