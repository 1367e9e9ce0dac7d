// SPDX-License-Identifier: GPL-3.0-or-later
// Runs the real crosstalk executable as a user would from a terminal.
#include "crosstalkprocess.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Crosstalk::Testing;

namespace {

const QStringList kDisplayVariables = {u"DISPLAY"_s, u"WAYLAND_DISPLAY"_s, u"QT_QPA_PLATFORM"_s};

} // namespace

class TestCommandLine : public QObject
{
    Q_OBJECT

private slots:
    void versionPrintsOnlyTheVersion()
    {
        const Result r = runCrosstalk({u"--version"_s}, kDisplayVariables);
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, u"crosstalk " CROSSTALK_VERSION "\n"_s);
        QCOMPARE(r.err, QString());
    }

    void helpWorksWithoutDisplay()
    {
        const Result r = runCrosstalk({u"--help"_s}, kDisplayVariables);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith(u"Usage: "_s), qPrintable(r.out));
        QVERIFY(r.out.contains(u"--version"_s));
        QVERIFY(r.out.contains(u"opens the window"_s));
        QVERIFY2(!r.out.contains(u"screenshot"_s), "developer option must stay hidden");
    }

    void unknownCommandIsAUsageError()
    {
        const Result r = runCrosstalk({u"frobnicate"_s}, kDisplayVariables);
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.out, QString());
        QVERIFY2(r.err.contains(u"unknown command 'frobnicate'"_s), qPrintable(r.err));
    }

    void unknownOptionIsAUsageError()
    {
        const Result r =
            runCrosstalk({u"--frobnicate"_s}, {}, {{u"QT_QPA_PLATFORM"_s, u"offscreen"_s}});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"frobnicate"_s), qPrintable(r.err));
    }

    void windowWithoutDisplayExplainsItself()
    {
        const Result r = runCrosstalk({}, kDisplayVariables);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"no display"_s), qPrintable(r.err));
        QVERIFY(r.err.contains(u"--help"_s));
    }

    void paletteMustBeLightOrDark()
    {
        const Result r = runCrosstalk({u"--screenshot"_s, u"x.png"_s, u"--palette"_s, u"pink"_s},
                                      {}, {{u"QT_QPA_PLATFORM"_s, u"offscreen"_s}});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains(u"light or dark"_s));
    }
};

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_commandline.moc"
