// SPDX-License-Identifier: GPL-3.0-or-later
// The window rendered offscreen by the real executable (`--screenshot`), as `tools/dev
// screenshot` does for the README.
#include "crosstalkprocess.h"

#include <QColor>
#include <QImage>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Crosstalk::Testing;

class TestScreenshot : public QObject
{
    Q_OBJECT

private slots:
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
        const Result r = runCrosstalk(
            {u"--screenshot"_s, path, u"--demo-session"_s, u"--palette"_s, u"dark"_s}, {},
            {{u"QT_QPA_PLATFORM"_s, u"offscreen"_s},
             {u"XDG_CONFIG_HOME"_s, dir.path()},
             {u"XDG_DATA_HOME"_s, dir.path()}});
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
};

QTEST_GUILESS_MAIN(TestScreenshot)
#include "tst_screenshot.moc"
