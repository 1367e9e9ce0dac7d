// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/appidentity.h"

#include <QGuiApplication>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Crosstalk;

class TestAppIdentity : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { AppIdentity::apply(); }

    void idIsReverseDns()
    {
        static const QRegularExpression reverseDns(u"^[a-z]+(\\.[a-z0-9]+)+\\.[A-Z][A-Za-z]+$"_s);
        QVERIFY2(reverseDns.match(AppIdentity::id()).hasMatch(), qPrintable(AppIdentity::id()));
        QCOMPARE(QGuiApplication::desktopFileName(), AppIdentity::id());
    }

    void versionIsTheProjectVersion()
    {
        QCOMPARE(QCoreApplication::applicationVersion(), AppIdentity::version());
        QVERIFY(
            QRegularExpression(u"^\\d+\\.\\d+\\.\\d+$"_s).match(AppIdentity::version()).hasMatch());
    }

    void locationsAreShortAndStable_data()
    {
        QTest::addColumn<QStandardPaths::StandardLocation>("location");
        QTest::addColumn<QString>("genericParent");
        QTest::newRow("data") << QStandardPaths::AppDataLocation
                              << QStandardPaths::writableLocation(
                                     QStandardPaths::GenericDataLocation);
        QTest::newRow("config") << QStandardPaths::AppConfigLocation
                                << QStandardPaths::writableLocation(
                                       QStandardPaths::GenericConfigLocation);
    }

    void locationsAreShortAndStable()
    {
        QFETCH(QStandardPaths::StandardLocation, location);
        QFETCH(QString, genericParent);
        QCOMPARE(QStandardPaths::writableLocation(location), genericParent + u"/crosstalk"_s);
    }

    void settingsFileLivesInTheConfigFolder()
    {
        QCOMPARE(AppIdentity::settingsFilePath(),
                 QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) +
                     u"/crosstalk/crosstalk.conf"_s);
    }
};

QTEST_GUILESS_MAIN(TestAppIdentity)
#include "tst_appidentity.moc"
