// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/secretstore.h"

#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace Crosstalk;

class TestSecretStore : public QObject
{
    Q_OBJECT

private slots:
    void memoryStoreRoundTrip()
    {
        MemorySecretStore store;
        std::optional<QString> got = u"unset"_s;
        bool answered = false;
        store.read(u"big"_s, this, [&](std::optional<QString> secret, const QString &error) {
            QVERIFY(error.isEmpty());
            got = secret;
            answered = true;
        });
        QVERIFY(!answered); // always asynchronous
        QTRY_VERIFY(answered);
        QCOMPARE(got, std::nullopt);

        answered = false;
        store.write(u"big"_s, u"sk-secret"_s, this, [&](const QString &error) {
            QVERIFY(error.isEmpty());
            answered = true;
        });
        QTRY_VERIFY(answered);
        answered = false;
        store.read(u"big"_s, this, [&](std::optional<QString> secret, const QString &) {
            got = secret;
            answered = true;
        });
        QTRY_VERIFY(answered);
        QCOMPARE(got, u"sk-secret"_s);

        answered = false;
        store.remove(u"big"_s, this, [&](const QString &) { answered = true; });
        QTRY_VERIFY(answered);
        answered = false;
        store.read(u"big"_s, this, [&](std::optional<QString> secret, const QString &) {
            got = secret;
            answered = true;
        });
        QTRY_VERIFY(answered);
        QCOMPARE(got, std::nullopt);
    }

    void callbackDroppedWithItsContext()
    {
        MemorySecretStore store;
        bool called = false;
        {
            QObject context;
            store.read(u"x"_s, &context,
                       [&](std::optional<QString>, const QString &) { called = true; });
        }
        // Answers come in posting order: once a later marker ran, the read's answer had its turn.
        bool markerRan = false;
        QTimer::singleShot(0, this, [&] { markerRan = true; });
        QTRY_VERIFY(markerRan);
        QVERIFY(!called);
    }

    // A desktop without a secret service: the keychain answers with an error or the timeout
    // fires, but the caller always gets exactly one answer and nothing hangs.
    void keychainWithoutSecretServiceAnswers()
    {
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/crosstalk-test-bus");
        KeychainSecretStore store;
        store.setTimeout(std::chrono::milliseconds(1500));
        int answers = 0;
        QString error;
        store.read(u"big"_s, this, [&](std::optional<QString> secret, const QString &e) {
            ++answers;
            error = e;
            QVERIFY(!secret || secret->isEmpty());
        });
        QTRY_COMPARE_WITH_TIMEOUT(answers, 1, 5000);
        QVERIFY2(!error.isEmpty(), "a missing secret service must be reported, not hidden");
        // Once the job is gone, with its timer, no second answer can come.
        QTRY_COMPARE_WITH_TIMEOUT(store.pendingJobs(), 0, 5000);
        QCOMPARE(answers, 1);
    }
};

QTEST_GUILESS_MAIN(TestSecretStore)
#include "tst_secretstore.moc"
