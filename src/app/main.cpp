// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/commandline.h"
#include "config/appidentity.h"
#include "context/appcontext.h"
#include "demosession.h"
#include "engine/engine.h"
#include "llm/chatclient.h"
#include "localapi.h"
#include "mainwindow.h"
#include "newsessiondialog.h"
#include "personaeditor.h"
#include "personapanel.h"
#include "storeupdatedialog.h"
#include "transcriptmodel.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDateTime>
#include <QGuiApplication>
#include <QIcon>
#include <QPlainTextEdit>
#include <QStyle>
#include <QStyleFactory>
#include <QTemporaryDir>
#include <QTextCursor>
#include <QTextStream>
#include <QTimer>

#include <cstdio>
#include <memory>

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
    // The first paint measures the rows it shows exactly; the second shows them laid out so.
    window.grab();
    QCoreApplication::processEvents();
    if (!window.grab().save(path, "PNG")) {
        QTextStream(stderr) << "crosstalk: cannot write the screenshot to " << path << '\n';
        return Crosstalk::Cli::ExitFailure;
    }
    return Crosstalk::Cli::ExitOk;
}

// For the start-up benchmark (bench_window, P7): prints when the window's first paint is done.
// The window paints itself and its children in one pass; the next turn of the event loop comes
// after it.
class FirstPaintReporter : public QObject
{
protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint) {
            watched->removeEventFilter(this);
            QTimer::singleShot(0, this, [] {
                std::printf("first-paint %lld\n", QDateTime::currentMSecsSinceEpoch());
                std::fflush(stdout);
            });
        }
        return false;
    }
};

// Renders a dialog or panel of the window for the README (`--screenshot FILE --dialog NAME`).
int saveDialogScreenshot(Crosstalk::MainWindow &window, Crosstalk::Engine &engine,
                         const QString &name, const QString &path)
{
    QWidget *widget = nullptr;
    std::unique_ptr<QWidget> owned;
    if (name == u"new-session"_s) {
        auto *dialog = new Crosstalk::NewSessionDialog(&engine, window.personaLibrary());
        owned.reset(dialog);
        dialog->setParticipantCount(3);
        dialog->setParticipant(0, u"Alice"_s, u"demo"_s, u"alice.md"_s);
        dialog->setParticipant(1, u"Bob"_s, u"demo"_s, u"bob.md"_s);
        dialog->setParticipant(2, u"Judge"_s, u"demo"_s, u"judge.md"_s);
        dialog->findChild<QPlainTextEdit *>(u"topic"_s)
            ->setPlainText(QCoreApplication::translate(
                "Crosstalk::DemoSession", "Should a small team rewrite its ageing web service "
                                          "from scratch, or improve it step by step?"));
        widget = dialog;
    } else {
        // The Personas panel on its own, wide enough to read: two files open, one edited.
        auto *panel = new Crosstalk::PersonaPanel(window.personaLibrary());
        owned.reset(panel);
        panel->open(u"bob.md"_s);
        Crosstalk::PersonaEditor *alice = panel->open(u"alice.md"_s);
        QTextCursor cursor = alice->textEdit()->textCursor();
        cursor.movePosition(QTextCursor::End);
        cursor.insertText(u"\nKeep {{topic}} in view, and ask {{participants}} one question each "
                          "round.\n"_s);
        alice->textEdit()->setTextCursor(cursor);
        panel->resize(760, 620);
        widget = panel;
    }
    widget->show();
    QCoreApplication::processEvents();
    widget->grab();
    QCoreApplication::processEvents();
    if (!widget->grab().save(path, "PNG")) {
        QTextStream(stderr) << "crosstalk: cannot write the screenshot to " << path << '\n';
        return Crosstalk::Cli::ExitFailure;
    }
    return Crosstalk::Cli::ExitOk;
}

// Breeze Dark's main colours, so a screenshot shows the window as a dark desktop would.
QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x20, 0x23, 0x26);
    const QColor base(0x14, 0x16, 0x18);
    const QColor text(0xfc, 0xfc, 0xfc);
    const QColor button(0x29, 0x2c, 0x30);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x1d, 0x1f, 0x22));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, button);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::ToolTipBase, window);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0xa1, 0xa9, 0xb1));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0xae, 0xe9));
    p.setColor(QPalette::HighlightedText, text);
    p.setColor(QPalette::Link, QColor(0x1d, 0x99, 0xf3));
    p.setColor(QPalette::Light, QColor(0x40, 0x45, 0x4b));
    p.setColor(QPalette::Midlight, QColor(0x33, 0x37, 0x3c));
    p.setColor(QPalette::Mid, QColor(0x4d, 0x53, 0x59));
    p.setColor(QPalette::Dark, QColor(0x10, 0x11, 0x12));
    p.setColor(QPalette::Shadow, Qt::black);
    const QColor disabled(0x6e, 0x73, 0x78);
    for (const auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    return p;
}

int runWindow(int argc, char **argv)
{
    QApplication app(argc, argv);
    Crosstalk::AppIdentity::apply();
    Crosstalk::AppIdentity::protectLocations();
    QApplication::setApplicationDisplayName(Crosstalk::AppIdentity::displayName());
    QApplication::setWindowIcon(QIcon::fromTheme(
        Crosstalk::AppIdentity::id(), QIcon(u":/crosstalk/icons/org.crosstalk.Crosstalk.svg"_s)));

    QCommandLineParser parser;
    QCommandLineOption screenshot(u"screenshot"_s, u"Render the window into FILE and exit."_s,
                                  u"FILE"_s);
    QCommandLineOption demoSession(
        u"demo-session"_s,
        u"With --screenshot: show a finished demo session, in a store of its own."_s);
    QCommandLineOption palette(u"palette"_s, u"Use the light or dark palette."_s, u"light|dark"_s);
    QCommandLineOption reportFirstPaint(
        u"report-first-paint"_s,
        u"Print \"first-paint MS\" (milliseconds since the epoch) once the window is painted."_s);
    QCommandLineOption dialog(
        u"dialog"_s,
        u"With --screenshot: render the new-session dialog or the persona editor instead, in a "
        "sandbox of its own."_s,
        u"new-session|persona-editor"_s);
    for (QCommandLineOption *option :
         {&screenshot, &demoSession, &palette, &reportFirstPaint, &dialog}) {
        option->setFlags(QCommandLineOption::HiddenFromHelp);
        parser.addOption(*option);
    }
    if (!parser.parse(QCoreApplication::arguments()) || !parser.positionalArguments().isEmpty()) {
        QTextStream(stderr) << "crosstalk: "
                            << (parser.errorText().isEmpty() ? u"unexpected arguments"_s
                                                             : parser.errorText())
                            << "\nTry 'crosstalk --help'.\n";
        return Crosstalk::Cli::ExitUsage;
    }
    if (parser.isSet(palette)) {
        const QString name = parser.value(palette);
        if (name != u"light"_s && name != u"dark"_s) {
            QTextStream(stderr) << "crosstalk: --palette must be light or dark\n";
            return Crosstalk::Cli::ExitUsage;
        }
        // Fusion follows the palette it is given; platform styles may not.
        QApplication::setStyle(QStyleFactory::create(u"Fusion"_s));
        QApplication::setPalette(name == u"dark"_s ? darkPalette()
                                                   : QApplication::style()->standardPalette());
    }

    if (parser.isSet(dialog) && parser.value(dialog) != u"new-session"_s &&
        parser.value(dialog) != u"persona-editor"_s) {
        QTextStream(stderr) << "crosstalk: --dialog must be new-session or persona-editor\n";
        return Crosstalk::Cli::ExitUsage;
    }

    // A demo screenshot must neither show nor change the user's sessions and settings.
    QTemporaryDir sandbox;
    const bool demo =
        parser.isSet(screenshot) && (parser.isSet(demoSession) || parser.isSet(dialog));
    if (demo) {
        if (!sandbox.isValid()) {
            QTextStream(stderr) << "crosstalk: cannot create a temporary folder\n";
            return Crosstalk::Cli::ExitFailure;
        }
        for (const char *variable :
             {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"})
            qputenv(variable, sandbox.filePath(QString::fromLatin1(variable)).toLocal8Bit());
    }

    Crosstalk::AppOptions options(u"window"_s);
    options.warn = [](const QString &message) {
        QTextStream(stderr) << "crosstalk: " << message << '\n';
    };
    Crosstalk::AppContext context(options);
    if (demo)
        context.chatClient()->setDemoTokensPerSecond(400); // fast, yet with timings worth reading
    // Updating an older store rebuilds its search index once, which takes a while for a large
    // one: it runs beside a progress bar instead of freezing an empty screen.
    if (context.storeNeedsUpdate() && !parser.isSet(screenshot)) {
        Crosstalk::StoreUpdateDialog updating;
        if (const std::optional<Crosstalk::Error> failed = updating.run(context))
            context.warn(u"warning: the session store could not be updated: "_s + failed->message);
    }
    context.openStore();
    Crosstalk::Engine &engine = *context.engine();

    Crosstalk::MainWindow window(&context);
    window.setLocalApi(new Crosstalk::LocalApi(&engine, context.personaLibrary(), &window));
    FirstPaintReporter firstPaint;
    if (parser.isSet(reportFirstPaint))
        window.installEventFilter(&firstPaint);
    if (!parser.isSet(screenshot)) {
        window.show();
        window.showWelcomeIfFirstRun();
        return app.exec();
    }
    window.resize(1280, 800);
    const QString path = parser.value(screenshot);
    if (parser.isSet(dialog))
        return saveDialogScreenshot(window, engine, parser.value(dialog), path);
    if (!demo)
        return saveScreenshot(window, path);

    // A second session, not started, so the list shows more than one state.
    Crosstalk::Session other = Crosstalk::demoSessionDraft();
    other.topic = QCoreApplication::translate("Crosstalk::DemoSession",
                                              "How should a city prepare for hotter summers?");
    other.title = QCoreApplication::translate("Crosstalk::DemoSession", "Demo: hotter summers");
    other.paradigm = Crosstalk::Paradigm::Roundtable;
    engine.createSession(other);
    const QUuid id = window.startDemoSession();
    if (id.isNull())
        return Crosstalk::Cli::ExitFailure;
    QObject::connect(
        &engine, &Crosstalk::Engine::event, &window, [&](const Crosstalk::EngineEvent &event) {
            if (event.type != Crosstalk::EngineEventType::SessionStatus || event.sessionId != id ||
                event.newStatus == Crosstalk::SessionStatus::Running)
                return;
            // Let the last deltas and the list refresh land first.
            QTimer::singleShot(300, &window, [&] {
                window.openSession(id);
                window.inspectMessage(window.transcriptModel()->rowCount() - 1);
                app.exit(saveScreenshot(window, path));
            });
        });
    QTimer::singleShot(30000, &window, [&] {
        QTextStream(stderr) << "crosstalk: the demo session did not finish in time\n";
        app.exit(Crosstalk::Cli::ExitFailure);
    });
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
        Crosstalk::AppIdentity::protectLocations();
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
