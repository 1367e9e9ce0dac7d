// SPDX-License-Identifier: GPL-3.0-or-later
// Runs the real crosstalk executable as a user would from a terminal.
#include <QColor>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

struct Result
{
    int exitCode = -1;
    QString out;
    QString err;
};

Result runCrosstalk(const QStringList &arguments, const QStringList &unset = {},
                    const QHash<QString, QString> &set = {})
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &name : unset)
        env.remove(name);
    for (auto it = set.cbegin(); it != set.cend(); ++it)
        env.insert(it.key(), it.value());
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(CROSSTALK_EXECUTABLE), arguments);
    if (!process.waitForFinished(30000))
        return {};
    return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
            QString::fromUtf8(process.readAllStandardError())};
}

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

    void screenshotRendersTheWindow()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"shot.png"_s);
        const Result r = runCrosstalk({u"--screenshot"_s, path}, {},
                                      {{u"QT_QPA_PLATFORM"_s, u"offscreen"_s},
                                       {u"XDG_CONFIG_HOME"_s, dir.path()},
                                       {u"XDG_DATA_HOME"_s, dir.path()}});
        QCOMPARE(r.exitCode, 0);
        const QImage image(path);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), QSize(1280, 800));
        // A window with text has many distinct colours; a blank one has very few.
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 3)
            for (int x = 0; x < image.width(); x += 3)
                colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() > 20, qPrintable(QString::number(colours.size())));
    }

    void demoScreenshotInTheDarkPalette()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"dark.png"_s);
        const Result r =
            runCrosstalk({u"--screenshot"_s, path, u"--demo-session"_s, u"--palette"_s, u"dark"_s},
                         {}, {{u"QT_QPA_PLATFORM"_s, u"offscreen"_s}});
        QCOMPARE(r.exitCode, 0);
        const QImage image(path);
        QCOMPARE(image.size(), QSize(1280, 800));
        // Mostly dark, with the transcript's text and colours on it.
        double lightness = 0;
        QSet<QRgb> colours;
        int samples = 0;
        for (int y = 0; y < image.height(); y += 4)
            for (int x = 0; x < image.width(); x += 4, ++samples) {
                lightness += QColor(image.pixel(x, y)).lightnessF();
                colours.insert(image.pixel(x, y));
            }
        QVERIFY2(lightness / samples < 0.35, qPrintable(QString::number(lightness / samples)));
        QVERIFY(colours.size() > 50);
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
