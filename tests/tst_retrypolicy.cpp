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
    }

    void parseRetryAfter()
    {
        QFETCH(QByteArray, value);
        QFETCH(std::optional<Ms>, expected);
        const QDateTime now(QDate(2026, 11, 25), QTime(14, 0, 0), QTimeZone::UTC);
        QCOMPARE(RetryPolicy::parseRetryAfter(value, now), expected);
    }
};

QTEST_GUILESS_MAIN(TestRetryPolicy)
#include "tst_retrypolicy.moc"
