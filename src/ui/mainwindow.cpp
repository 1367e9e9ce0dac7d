// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include "config/appidentity.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Crosstalk {

namespace {

// A centred, muted hint shown where a panel has nothing to show yet.
QLabel *emptyStateLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setAlignment(Qt::AlignCenter);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setForegroundRole(QPalette::PlaceholderText);
    label->setMargin(24);
    return label;
}

QWidget *panel(const QString &accessibleName, const QString &emptyText, QWidget *parent)
{
    auto *widget = new QWidget(parent);
    widget->setAccessibleName(accessibleName);
    auto *layout = new QVBoxLayout(widget);
    layout->addWidget(emptyStateLabel(emptyText, widget));
    return widget;
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(AppIdentity::displayName());
    setObjectName(u"MainWindow"_s);
    createPanels();
    createMenus();
    resize(1200, 760);
    restoreLayout();
}

void MainWindow::createPanels()
{
    auto *transcript = panel(tr("Transcript"),
                             tr("Choose a session on the left to read its transcript here."), this);
    transcript->setObjectName(u"transcriptArea"_s);
    setCentralWidget(transcript);

    m_sessionsDock = new QDockWidget(tr("Sessions"), this);
    m_sessionsDock->setObjectName(u"sessionsDock"_s);
    m_sessionsDock->setWidget(
        panel(tr("Session list"),
              tr("No sessions yet.\nSessions you run are kept and listed here."), m_sessionsDock));
    m_sessionsDock->setAllowedAreas(Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea);
    addDockWidget(Qt::LeftDockWidgetArea, m_sessionsDock);

    m_personasDock = new QDockWidget(tr("Personas"), this);
    m_personasDock->setObjectName(u"personasDock"_s);
    m_personasDock->setWidget(panel(tr("Persona editors"),
                                    tr("Persona prompts you open for editing appear here."),
                                    m_personasDock));
    m_personasDock->setAllowedAreas(Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea);
    addDockWidget(Qt::RightDockWidgetArea, m_personasDock);

    resizeDocks({m_sessionsDock, m_personasDock}, {280, 340}, Qt::Horizontal);
}

void MainWindow::createMenus()
{
    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    QAction *quit = fileMenu->addAction(QIcon::fromTheme(u"application-exit"_s), tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QMenu *viewMenu = menuBar()->addMenu(tr("&View"));
    QAction *showSessions = m_sessionsDock->toggleViewAction();
    showSessions->setText(tr("Show &Sessions Panel"));
    showSessions->setShortcut(Qt::CTRL | Qt::Key_1);
    viewMenu->addAction(showSessions);
    QAction *showPersonas = m_personasDock->toggleViewAction();
    showPersonas->setText(tr("Show &Personas Panel"));
    showPersonas->setShortcut(Qt::CTRL | Qt::Key_2);
    viewMenu->addAction(showPersonas);
    viewMenu->addSeparator();
    QAction *fullScreen =
        viewMenu->addAction(QIcon::fromTheme(u"view-fullscreen"_s), tr("&Full Screen Mode"));
    fullScreen->setShortcut(QKeySequence::FullScreen);
    fullScreen->setCheckable(true);
    connect(fullScreen, &QAction::toggled, this, [this](bool on) {
        setWindowState(on ? windowState() | Qt::WindowFullScreen
                          : windowState() & ~Qt::WindowFullScreen);
    });

    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    QAction *about = helpMenu->addAction(QIcon::fromTheme(u"help-about"_s), tr("&About Crosstalk"));
    about->setMenuRole(QAction::AboutRole);
    connect(about, &QAction::triggered, this, &MainWindow::showAbout);
    QAction *aboutQt = helpMenu->addAction(tr("About &Qt"));
    aboutQt->setMenuRole(QAction::AboutQtRole);
    connect(aboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, tr("About Crosstalk"),
        tr("<h3>Crosstalk %1</h3>"
           "<p>Several language models, each with its own persona, talk to each other about a "
           "topic while you watch, steer and keep the transcript.</p>"
           "<p>Built with Qt %2.</p>")
            .arg(AppIdentity::version(), QString::fromLatin1(qVersion())));
}

void MainWindow::restoreLayout()
{
    QSettings settings(AppIdentity::settingsFilePath(), QSettings::IniFormat);
    restoreGeometry(settings.value(u"MainWindow/geometry"_s).toByteArray());
    restoreState(settings.value(u"MainWindow/state"_s).toByteArray());
}

void MainWindow::saveLayout() const
{
    QSettings settings(AppIdentity::settingsFilePath(), QSettings::IniFormat);
    settings.setValue(u"MainWindow/geometry"_s, saveGeometry());
    settings.setValue(u"MainWindow/state"_s, saveState());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveLayout();
    event->accept();
}

} // namespace Crosstalk
