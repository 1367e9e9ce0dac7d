// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/commandline.h"
#include "config/appidentity.h"
#include "mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QGuiApplication>
#include <QTextStream>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

QStringList argumentList(int argc, char **argv)
{
    QStringList list;
    list.reserve(argc);
    for (int i = 0; i < argc; ++i)
        list << QString::fromLocal8Bit(argv[i]);
    return list;
}

bool hasDisplay(const QStringList &arguments)
{
    return qEnvironmentVariableIsSet("DISPLAY") || qEnvironmentVariableIsSet("WAYLAND_DISPLAY") ||
           qEnvironmentVariableIsSet("QT_QPA_PLATFORM") || arguments.contains(u"-platform"_s);
}

// Renders the window into a PNG without showing it on a screen: used by
// `tools/dev screenshot` and for looking at the window on a machine without a display.
int saveScreenshot(Crosstalk::MainWindow &window, const QString &path)
{
    window.show();
    QCoreApplication::processEvents();
    if (!window.grab().save(path, "PNG")) {
        QTextStream(stderr) << "crosstalk: cannot write the screenshot to " << path << '\n';
        return Crosstalk::Cli::ExitFailure;
    }
    return Crosstalk::Cli::ExitOk;
}

int runWindow(int argc, char **argv)
{
    QApplication app(argc, argv);
    Crosstalk::AppIdentity::apply();
    QApplication::setApplicationDisplayName(Crosstalk::AppIdentity::displayName());

    QCommandLineParser parser;
    QCommandLineOption screenshot(u"screenshot"_s, u"Render the window into FILE and exit."_s,
                                  u"FILE"_s);
    screenshot.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(screenshot);
    if (!parser.parse(QCoreApplication::arguments()) || !parser.positionalArguments().isEmpty()) {
        QTextStream(stderr) << "crosstalk: "
                            << (parser.errorText().isEmpty() ? u"unexpected arguments"_s
                                                             : parser.errorText())
                            << "\nTry 'crosstalk --help'.\n";
        return Crosstalk::Cli::ExitUsage;
    }

    Crosstalk::MainWindow window;
    if (parser.isSet(screenshot))
        return saveScreenshot(window, parser.value(screenshot));
    window.show();
    return app.exec();
}

} // namespace

int main(int argc, char **argv)
{
    const QStringList arguments = argumentList(argc, argv);
    if (Crosstalk::Cli::isHeadless(arguments)) {
        // Headless commands write PDF, which needs the fonts and text layout of a
        // QGuiApplication; on a server without a display the offscreen platform provides them.
        if (!hasDisplay(arguments))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        QGuiApplication app(argc, argv);
        Crosstalk::AppIdentity::apply();
        return Crosstalk::Cli::run(QCoreApplication::arguments());
    }
    if (!hasDisplay(arguments)) {
        QTextStream(stderr) << "crosstalk: no display to open the window on (neither DISPLAY nor "
                               "WAYLAND_DISPLAY is set).\n"
                               "Run 'crosstalk --help' for what works without a window, or set "
                               "QT_QPA_PLATFORM=offscreen.\n";
        return Crosstalk::Cli::ExitUsage;
    }
    return runWindow(argc, argv);
}
