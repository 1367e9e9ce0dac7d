// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/appidentity.h"
#include "context/appcontext.h"
#include "engine/engine.h"
#include "mainwindow.h"
#include "personaeditor.h"
#include "personapanel.h"
#include "transcriptmodel.h"

#include <QAbstractButton>
#include <QAccessible>
#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSplitter>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace Qt::StringLiterals;
using namespace Crosstalk;

class TestMainWindow : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<AppContext> m_context;

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        AppIdentity::apply();
        QFile::remove(AppIdentity::settingsFilePath());
        AppOptions options(u"window"_s);
        options.secrets = AppOptions::Secrets::None;
        options.environment = QProcessEnvironment();
        QVERIFY(m_dir.isValid());
        options.storePath = m_dir.filePath(u"crosstalk.sqlite"_s);
        m_context = std::make_unique<AppContext>(options);
        QVERIFY(m_context->openStore());
    }

    void hasTheThreeAreas()
    {
        MainWindow window(m_context.get());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.centralWidget()->accessibleName(), u"Transcript"_s);
        auto *sessions = window.findChild<QDockWidget *>(u"sessionsDock"_s);
        auto *personas = window.findChild<QDockWidget *>(u"personasDock"_s);
        QVERIFY(sessions && personas);
        QCOMPARE(sessions->widget()->accessibleName(), u"Session list"_s);
        QCOMPARE(personas->widget()->accessibleName(), u"Persona editors"_s);
        QVERIFY(sessions->isVisible());
        QVERIFY(personas->isVisible());
        QCOMPARE(window.dockWidgetArea(sessions), Qt::LeftDockWidgetArea);
        QCOMPARE(window.dockWidgetArea(personas), Qt::RightDockWidgetArea);
    }

    void menusHaveTheirActions()
    {
        MainWindow window(m_context.get());
        QStringList titles;
        for (QAction *menu : window.menuBar()->actions())
            titles << menu->text();
        QCOMPARE(titles, (QStringList{u"&File"_s, u"&Session"_s, u"&Message"_s, u"&View"_s,
                                      u"Se&ttings"_s, u"&Help"_s}));
        const QList<QAction *> actions = window.findChildren<QAction *>();
        const auto hasShortcut = [&](const QKeySequence &sequence) {
            return std::any_of(actions.begin(), actions.end(),
                               [&](QAction *a) { return a->shortcut() == sequence; });
        };
        QVERIFY(hasShortcut(QKeySequence(QKeySequence::Quit)));
        QVERIFY(hasShortcut(QKeySequence(Qt::CTRL | Qt::Key_1)));

        // Every action of the Session and Message menus has a shortcut, and no two actions of
        // the menus share one (Full Screen is Ctrl+Shift+F on KDE).
        QHash<QKeySequence, QString> taken;
        for (QAction *menu : window.menuBar()->actions()) {
            const bool needsShortcuts =
                menu->text() == u"&Session"_s || menu->text() == u"&Message"_s;
            for (QAction *a : menu->menu()->actions()) {
                if (a->isSeparator() || a->menu())
                    continue;
                QVERIFY2(!needsShortcuts || !a->shortcut().isEmpty(), qPrintable(a->text()));
                if (a->shortcut().isEmpty())
                    continue;
                QVERIFY2(!taken.contains(a->shortcut()),
                         qPrintable(a->text() + u" and "_s + taken.value(a->shortcut())));
                taken.insert(a->shortcut(), a->text());
            }
        }
        QVERIFY(taken.size() >= 16);
        const QKeySequence fullScreen(Qt::CTRL | Qt::SHIFT | Qt::Key_F);
        QVERIFY2(taken.contains(fullScreen), "Full Screen has Ctrl+Shift+F");
        QCOMPARE(taken.value(fullScreen), u"&Full Screen Mode"_s);
    }

    // Help lists the keyboard shortcuts and leads to the documentation.
    void helpShowsTheShortcuts()
    {
        MainWindow window(m_context.get());
        QMenu *help = nullptr;
        for (QAction *menu : window.menuBar()->actions())
            if (menu->text() == u"&Help"_s)
                help = menu->menu();
        QVERIFY(help);
        QAction *shortcuts = nullptr;
        QStringList texts;
        for (QAction *a : help->actions()) {
            texts << a->text();
            if (a->text() == u"&Keyboard Shortcuts"_s)
                shortcuts = a;
        }
        QVERIFY2(texts.contains(u"Crosstalk &Handbook"_s), qPrintable(texts.join(u", "_s)));
        QVERIFY(shortcuts);
        shortcuts->trigger();
        auto *dialog = window.findChild<QDialog *>(u"keyboardShortcuts"_s);
        QVERIFY(dialog && dialog->isVisible());
        auto *list = dialog->findChild<QTreeWidget *>(u"shortcutList"_s);
        const QList<QTreeWidgetItem *> found =
            list->findItems(u"New Session…"_s, Qt::MatchExactly | Qt::MatchRecursive);
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.first()->text(1),
                 QKeySequence(QKeySequence::New).toString(QKeySequence::NativeText));
        QCOMPARE(found.first()->parent()->text(0), u"File"_s);
        dialog->close();
    }

    // A keyboard user reaches every panel with Tab, the transcript included, and leaves the
    // persona editor (where Tab types a tab) with Ctrl+Tab.
    void keyboardReachesEveryPanel()
    {
        QFile::remove(AppIdentity::settingsFilePath()); // the layout of a first start
        MainWindow window(m_context.get());
        window.show();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        PersonaEditor *editor = window.personaPanel()->open(u"alice.md"_s);
        QVERIFY(editor);
        window.findChild<QLineEdit *>(u"sessionSearch"_s)->setFocus();
        QStringList order;
        for (int i = 0; i < 14 && !order.contains(u"personaText"_s); ++i) {
            QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
            order << QApplication::focusWidget()->objectName();
        }
        const qsizetype transcript = order.indexOf(u"transcriptView"_s);
        QVERIFY2(transcript >= 0 && transcript < order.indexOf(u"personaFiles"_s) &&
                     order.indexOf(u"sessionList"_s) < transcript &&
                     order.contains(u"personaText"_s),
                 qPrintable(order.join(u" → "_s)));
        auto *text = editor->findChild<QPlainTextEdit *>(u"personaText"_s);
        QCOMPARE(QApplication::focusWidget(), text);
        QTest::keyClick(text, Qt::Key_Tab, Qt::ControlModifier);
        QVERIFY(QApplication::focusWidget() != text);
        QVERIFY(!editor->isDirty());
        // Shift+Tab comes back; Ctrl+Shift+Tab goes back out.
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Backtab, Qt::ShiftModifier);
        QCOMPARE(QApplication::focusWidget(), text);
        QTest::keyClick(text, Qt::Key_Backtab, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(QApplication::focusWidget() != text);
        QVERIFY(!editor->isDirty());
        window.personaPanel()->closeAll();
    }

    // Every command and control a screen reader meets has a name.
    void everythingHasAnAccessibleName()
    {
        MainWindow window(m_context.get());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QStringList unnamed;
        int checked = 0;
        for (const QAction *action : window.findChildren<QAction *>())
            // Qt's own (the search box's clear button) are named by Qt.
            if (!action->isSeparator() && !action->objectName().startsWith(u"_q_"_s) &&
                action->text().remove(u'&').trimmed().isEmpty() &&
                action->toolTip().trimmed().isEmpty() && !action->menu())
                unnamed << u"action "_s + action->objectName();
        for (QWidget *widget : window.findChildren<QWidget *>()) {
            if (!widget->isVisibleTo(&window))
                continue;
            if (qobject_cast<QAbstractButton *>(widget) || qobject_cast<QLineEdit *>(widget) ||
                qobject_cast<QComboBox *>(widget) || qobject_cast<QAbstractItemView *>(widget)) {
                ++checked;
                const QAccessibleInterface *accessible =
                    QAccessible::queryAccessibleInterface(widget);
                if (!accessible || accessible->text(QAccessible::Name).trimmed().isEmpty())
                    unnamed << QString::fromLatin1(widget->metaObject()->className()) + u' ' +
                                   widget->objectName();
            }
        }
        QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(u", "_s)));
        QVERIFY2(checked > 10, qPrintable(QString::number(checked)));
    }

    void panelToggleHidesAndShows()
    {
        MainWindow window(m_context.get());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto *sessions = window.findChild<QDockWidget *>(u"sessionsDock"_s);
        sessions->toggleViewAction()->trigger();
        QVERIFY(!sessions->isVisible());
        sessions->toggleViewAction()->trigger();
        QVERIFY(sessions->isVisible());
    }

    void layoutIsRestoredAtTheNextStart()
    {
        {
            MainWindow window(m_context.get());
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.findChild<QDockWidget *>(u"personasDock"_s)->close();
            window.close();
        }
        QVERIFY(QSettings(AppIdentity::settingsFilePath(), QSettings::IniFormat)
                    .contains(u"MainWindow/state"_s));
        MainWindow reopened(m_context.get());
        reopened.show();
        QVERIFY(QTest::qWaitForWindowExposed(&reopened));
        QVERIFY(!reopened.findChild<QDockWidget *>(u"personasDock"_s)->isVisible());
        QVERIFY(reopened.findChild<QDockWidget *>(u"sessionsDock"_s)->isVisible());
    }

    // The persona editor has most of its panel, and the split the user drags is kept.
    void personaEditorHasRoomAndKeepsItsSplit()
    {
        QFile::remove(AppIdentity::settingsFilePath()); // the layout of a first start
        int listHeight = 0;
        {
            MainWindow window(m_context.get());
            window.resize(1200, 900);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            PersonaPanel *panel = window.personaPanel();
            QVERIFY(panel->open(u"alice.md"_s));
            QTRY_VERIFY2(panel->tabs()->height() >= 2 * panel->fileList()->height(),
                         qPrintable(u"editor %1, list %2"_s.arg(panel->tabs()->height())
                                        .arg(panel->fileList()->height())));
            // The user drags the handle down: the list gets taller.
            auto *splitter = panel->findChild<QSplitter *>();
            QVERIFY(splitter);
            const int total = splitter->sizes().at(0) + splitter->sizes().at(1);
            splitter->setSizes({total / 2, total - total / 2});
            listHeight = splitter->sizes().at(0);
            window.close();
        }
        MainWindow reopened(m_context.get());
        reopened.resize(1200, 900);
        reopened.show();
        QVERIFY(QTest::qWaitForWindowExposed(&reopened));
        auto *splitter = reopened.personaPanel()->findChild<QSplitter *>();
        QCOMPARE(splitter->sizes().at(0), listHeight);
    }

    // After a restart the window shows the session it showed when it was closed.
    void reopensTheSessionThatWasOpen()
    {
        Session draft;
        draft.topic = u"Reopened at the next start"_s;
        for (const QString &name : {u"A"_s, u"B"_s}) {
            Participant p;
            p.name = name;
            p.modelAlias = u"demo"_s;
            p.persona = u"You are "_s + name;
            draft.participants << p;
        }
        const Parsed<QUuid> created = m_context->engine()->createSession(draft);
        QVERIFY(created);
        {
            MainWindow window(m_context.get());
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.openSession(*created.value);
            window.close();
        }
        MainWindow reopened(m_context.get());
        QCOMPARE(reopened.currentSessionId(), *created.value);
        QTRY_COMPARE(reopened.transcriptModel()->session().topic, draft.topic);
        // Its topic heads the transcript.
        QTRY_COMPARE(reopened.findChild<QLabel *>(u"topicHeader"_s)->text(), draft.topic);
        // A session deleted since leaves the window empty, without an error.
        QVERIFY(!m_context->engine()->remove(*created.value));
        reopened.close();
        MainWindow empty(m_context.get());
        QTRY_VERIFY(empty.currentSessionId().isNull());
    }

    void cleanupTestCase() { QFile::remove(AppIdentity::settingsFilePath()); }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
