// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"
#include "plaintextbox.h"

#include "config/appidentity.h"
#include "config/settings.h"
#include "context/appcontext.h"
#include "engine/engine.h"
#include "engine/localapicontrol.h"
#include "fileactions.h"
#include "helpdialogs.h"
#include "inspectorpanel.h"
#include "messagedelegate.h"
#include "persona/personalibrary.h"
#include "personapanel.h"
#include "replywaitdialog.h"
#include "runactions.h"
#include "sessionactions.h"
#include "sessionlistmodel.h"
#include "sessionspanel.h"
#include "sessionstatusbar.h"
#include "settingsdialog.h"
#include "storage/sessionstore.h"
#include "storage/storewatcher.h"
#include "storage/storeworker.h"
#include "transcriptarea.h"
#include "transcriptmodel.h"
#include "transcriptview.h"
#include "welcomedialog.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QListView>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressDialog>
#include <QScrollBar>
#include <QToolBar>

using namespace Qt::StringLiterals;

namespace Crosstalk {

MainWindow::MainWindow(AppContext *context, QWidget *parent)
    : QMainWindow(parent)
    , m_engine(context->engine())
    , m_library(context->personaLibrary())
{
    setWindowTitle(AppIdentity::displayName());
    setObjectName(u"MainWindow"_s);
    m_sessions = new SessionListModel(m_engine, this);
    m_transcript = new TranscriptModel(m_engine, this);
    // A new user starts with the bundled personas as examples to edit and use.
    context->installBundledPersonas();
    createActions();
    createPanels();
    createMenus();
    m_statusBar = new SessionStatusBar(this);
    setStatusBar(m_statusBar);
    resize(1200, 760);
    restoreLayout();

    connect(m_engine, &Engine::event, this, &MainWindow::onEngineEvent);
    connect(m_engine, &Engine::storageFailed, this, [this](const QUuid &id) {
        if (id == m_currentId)
            updateSessionState();
    });
    connect(m_transcript, &TranscriptModel::sessionChanged, this, &MainWindow::updateSessionState);
    connect(m_transcript, &TranscriptModel::opened, this, &MainWindow::showOpened);
    connect(m_transcript, &TranscriptModel::openFailed, this,
            [this](const QUuid &id, const Error &error) {
                if (id != m_currentId)
                    return;
                m_currentId = QUuid();
                m_transcript->clear();
                if (error.code != ErrorCode::NotFound)
                    showError(error.message);
            });

    // Pages read above the place opened at (the end, or a search hit) change the heights of
    // the rows there: the view stays at that place until the whole transcript is in, or until
    // the reader scrolls.
    connect(m_transcript, &TranscriptModel::pageLoaded, this, [this] {
        if (m_anchored)
            keepOpenedPlace();
        if (m_transcript->unloadedRows() == 0)
            m_anchored = false;
    });
    // The inspector follows the message it shows: its request read from the store, or the
    // message replaced (a retry, a reload); streamed text alone changes nothing there.
    connect(m_transcript, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight,
                   const QList<int> &roles) {
                const int current = m_transcriptArea->view()->currentIndex().row();
                if (current >= topLeft.row() && current <= bottomRight.row() &&
                    (roles.isEmpty() || roles.contains(TranscriptModel::RequestRole)))
                    updateInspector();
            });
    if (m_engine->reader()) {
        m_watcher = new StoreWatcher(this);
        if (m_watcher->start(context->storePath()))
            connect(m_watcher, &StoreWatcher::changed, this, &MainWindow::onStoreChanged);
        else
            showError(tr("Changes by other Crosstalk processes will not show: %1")
                          .arg(m_watcher->errorString()));
    }
    m_elapsedTicker.setInterval(1000);
    connect(&m_elapsedTicker, &QTimer::timeout, this, &MainWindow::updateSessionState);
    updateSessionState();
    // The session shown when the window was last closed; nothing if it is gone since.
    if (const QUuid last = Settings().openSession(); !last.isNull())
        openSession(last);
}

MainWindow::~MainWindow() = default;

void MainWindow::setLocalApi(LocalApiControl *api)
{
    m_localApi = api;
    connect(m_localApi, &LocalApiControl::failed, this, [this](const QString &message) {
        showError(tr("The local REST API is off: %1").arg(message));
    });
    if (const Settings settings; settings.localApiEnabled())
        m_localApi->start({settings.localApiPort(), settings.localApiMaxRunning(),
                           settings.localApiRate(), settings.localApiBurst()});
}

void MainWindow::createActions()
{
    m_sessionActions = new SessionActions(m_engine, m_library, m_sessions, m_transcript, this);
    connect(m_sessionActions, &SessionActions::sessionOpened, this, &MainWindow::showCreated);
    connect(m_sessionActions, &SessionActions::steered, this, &MainWindow::forgetStatusReason);
    connect(m_sessionActions, &SessionActions::changed, this, &MainWindow::updateSessionState);
    connect(m_sessionActions, &SessionActions::errorOccurred, this, &MainWindow::showError);

    m_fileActions = new FileActions(m_engine, m_transcript, this);
    connect(m_fileActions, &FileActions::sessionOpened, this, &MainWindow::showCreated);
    connect(m_fileActions, &FileActions::errorOccurred, this, &MainWindow::showError);
    connect(m_fileActions, &FileActions::noteReady, this,
            [this](const QString &note) { m_statusBar->showNote(note); });

    m_settingsAction =
        new QAction(QIcon::fromTheme(u"configure"_s), tr("&Configure Crosstalk…"), this);
    m_settingsAction->setShortcut(QKeySequence::Preferences);
    m_settingsAction->setMenuRole(QAction::PreferencesRole);
    connect(m_settingsAction, &QAction::triggered, this, &MainWindow::openSettings);

    m_inspectAction =
        new QAction(QIcon::fromTheme(u"document-properties"_s), tr("Show &Request"), this);
    m_inspectAction->setShortcut(Qt::CTRL | Qt::Key_I);
    m_inspectAction->setToolTip(tr("Show what was sent for the chosen message in the inspector"));
    connect(m_inspectAction, &QAction::triggered, this,
            [this] { inspectMessage(m_transcriptArea->view()->currentIndex().row()); });
}

void MainWindow::createPanels()
{
    // Centre: the transcript, under the notices about the open session.
    m_transcriptArea = new TranscriptArea(m_transcript, this);
    TranscriptView *view = m_transcriptArea->view();
    connect(m_transcriptArea, &TranscriptArea::storageRetryRequested, this,
            &MainWindow::retryStorage);
    connect(view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &MainWindow::updateInspector);
    // The reader scrolled: the place opened at is theirs to leave.
    connect(view->verticalScrollBar(), &QAbstractSlider::actionTriggered, this,
            [this] { m_anchored = false; });
    connect(view->verticalScrollBar(), &QAbstractSlider::sliderMoved, this,
            [this] { m_anchored = false; });
    connect(view, &QWidget::customContextMenuRequested, this,
            &MainWindow::showTranscriptContextMenu);
    m_runActions = new RunActions(m_engine, view, this);
    connect(m_runActions, &RunActions::sessionOpened, this, &MainWindow::showCreated);
    connect(m_runActions, &RunActions::steered, this, &MainWindow::forgetStatusReason);
    connect(m_runActions, &RunActions::originalRequested, m_transcriptArea,
            &TranscriptArea::showOriginal);
    connect(m_runActions, &RunActions::noteReady, this,
            [this](const QString &note) { m_statusBar->showNote(note); });
    connect(view->messageDelegate(), &MessageDelegate::retryRequested, this,
            [this, view](const QModelIndex &index) {
                view->setCurrentIndex(index);
                if (QAction *retry = m_runActions->retryAction(); retry->isEnabled())
                    retry->trigger();
                else
                    showError(tr("This reply cannot be retried now: pause the session first, "
                                 "or regenerate the reply to fork the session there."));
            });
    setCentralWidget(m_transcriptArea);

    // Left: search, filters and the sessions.
    m_sessionsDock = new QDockWidget(tr("Sessions"), this);
    m_sessionsDock->setObjectName(u"sessionsDock"_s);
    m_sessionsPanel = new SessionsPanel(m_engine, m_sessions, m_sessionsDock);
    auto *findSession = new QAction(tr("Find Session"), this);
    findSession->setShortcut(QKeySequence::Find);
    connect(findSession, &QAction::triggered, this, [this] {
        m_sessionsDock->show();
        m_sessionsPanel->focusSearch();
    });
    addAction(findSession);
    m_sessionsPanel->sessionList()->addAction(m_sessionActions->deleteAction());
    m_sessionsPanel->sessionList()->addAction(m_sessionActions->renameAction());
    connect(m_sessionsPanel, &SessionsPanel::sessionChosen, this, [this](const QUuid &id) {
        if (id != m_currentId)
            openSession(id, m_sessionsPanel->hitIn(id));
    });
    connect(m_sessionsPanel, &SessionsPanel::contextMenuRequested, this,
            &MainWindow::showSessionContextMenu);
    // A reset (new order, another filter) loses the selection; keep the open session chosen.
    connect(m_sessions, &QAbstractItemModel::modelReset, this,
            [this] { m_sessionsPanel->select(m_currentId); });
    addPanel(m_sessionsDock, m_sessionsPanel, Qt::LeftDockWidgetArea,
             Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea);

    m_personasDock = new QDockWidget(tr("Personas"), this);
    m_personasDock->setObjectName(u"personasDock"_s);
    m_personaPanel = new PersonaPanel(m_library, m_personasDock);
    addPanel(m_personasDock, m_personaPanel, Qt::RightDockWidgetArea,
             Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea);

    // The inspector: what exactly was sent for the chosen message.
    m_inspectorDock = new QDockWidget(tr("Inspector"), this);
    m_inspectorDock->setObjectName(u"inspectorDock"_s);
    m_inspector = new InspectorPanel(m_inspectorDock);
    addPanel(m_inspectorDock, m_inspector, Qt::RightDockWidgetArea, Qt::AllDockWidgetAreas);
    tabifyDockWidget(m_personasDock, m_inspectorDock);
    m_personasDock->raise();

    resizeDocks({m_sessionsDock, m_personasDock}, {300, 320}, Qt::Horizontal);
    // Tab goes through the panels as they sit: the sessions, the transcript, then the personas
    // and the inspector (by creation order the transcript would come before the search box).
    QWidget::setTabOrder(m_sessionsPanel->sessionList(), view);
    QWidget::setTabOrder(view, m_personaPanel->findChild<QWidget *>(u"newPersona"_s));
}

void MainWindow::addPanel(QDockWidget *dock, QWidget *panel, Qt::DockWidgetArea area,
                          Qt::DockWidgetAreas allowedAreas)
{
    dock->setWidget(panel);
    dock->setAllowedAreas(allowedAreas);
    addDockWidget(area, dock);
}

void MainWindow::createMenus()
{
    SessionActions *session = m_sessionActions;
    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    fileMenu->addAction(session->newSessionAction());
    fileMenu->addSeparator();
    fileMenu->addAction(m_fileActions->importAction());
    fileMenu->addMenu(m_fileActions->exportMenu());
    fileMenu->addSeparator();
    QAction *quit = fileMenu->addAction(QIcon::fromTheme(u"application-exit"_s), tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QMenu *sessionMenu = menuBar()->addMenu(tr("&Session"));
    sessionMenu->addAction(session->newDemoAction());
    sessionMenu->addSeparator();
    sessionMenu->addActions({session->startAction(), session->pauseAction(), session->stopAction(),
                             m_runActions->humanMessageAction(), m_runActions->changeModelAction(),
                             session->budgetAction()});
    sessionMenu->addSeparator();
    sessionMenu->addActions({session->renameAction(), session->duplicateAction(),
                             session->forkAction(), session->deleteAction()});

    QMenu *messageMenu = menuBar()->addMenu(tr("&Message"));
    messageMenu->addActions(m_runActions->messageActions());
    messageMenu->addSeparator();
    messageMenu->addAction(m_inspectAction);

    QMenu *viewMenu = menuBar()->addMenu(tr("&View"));
    const QList<std::tuple<QDockWidget *, QString, QKeySequence>> panels{
        {m_sessionsDock, tr("Show &Sessions Panel"), Qt::CTRL | Qt::Key_1},
        {m_personasDock, tr("Show &Personas Panel"), Qt::CTRL | Qt::Key_2},
        {m_inspectorDock, tr("Show &Inspector"), Qt::CTRL | Qt::Key_3}};
    for (const auto &[dock, text, shortcut] : panels) {
        QAction *show = dock->toggleViewAction();
        show->setText(text);
        show->setShortcut(shortcut);
        viewMenu->addAction(show);
    }
    viewMenu->addSeparator();
    QAction *fullScreen =
        viewMenu->addAction(QIcon::fromTheme(u"view-fullscreen"_s), tr("&Full Screen Mode"));
    // KDE's standard Full Screen shortcut, and F11 as elsewhere; QKeySequence::FullScreen is
    // empty on platforms without a desktop theme, and the window must not depend on one.
    fullScreen->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F), QKeySequence(Qt::Key_F11)});
    fullScreen->setCheckable(true);
    connect(fullScreen, &QAction::toggled, this, [this](bool on) {
        setWindowState(on ? windowState() | Qt::WindowFullScreen
                          : windowState() & ~Qt::WindowFullScreen);
    });

    QMenu *settingsMenu = menuBar()->addMenu(tr("Se&ttings"));
    settingsMenu->addAction(m_settingsAction);

    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    QAction *shortcuts =
        helpMenu->addAction(QIcon::fromTheme(u"configure-shortcuts"_s), tr("&Keyboard Shortcuts"));
    connect(shortcuts, &QAction::triggered, this,
            [this] { HelpDialogs::showKeyboardShortcuts(this); });
    QAction *documentation =
        helpMenu->addAction(QIcon::fromTheme(u"help-contents"_s), tr("Crosstalk &Handbook"));
    documentation->setShortcut(QKeySequence::HelpContents);
    connect(documentation, &QAction::triggered, this, &HelpDialogs::openDocumentation);
    helpMenu->addSeparator();
    QAction *about = helpMenu->addAction(QIcon::fromTheme(u"help-about"_s), tr("&About Crosstalk"));
    about->setMenuRole(QAction::AboutRole);
    connect(about, &QAction::triggered, this, &MainWindow::showAbout);
    QAction *aboutQt = helpMenu->addAction(tr("About &Qt"));
    aboutQt->setMenuRole(QAction::AboutQtRole);
    connect(aboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);

    QToolBar *toolBar = addToolBar(tr("Run Controls"));
    toolBar->setObjectName(u"runToolBar"_s);
    toolBar->setAccessibleName(tr("Run controls"));
    toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolBar->setMovable(false);
    toolBar->addActions({session->newSessionAction(), session->newDemoAction()});
    toolBar->addSeparator();
    toolBar->addActions({session->startAction(), session->pauseAction(), session->stopAction()});
    toolBar->addSeparator();
    toolBar->addActions({m_runActions->retryAction(), m_runActions->humanMessageAction()});
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
    const Settings settings;
    restoreGeometry(settings.windowGeometry());
    restoreState(settings.windowState());
    m_personaPanel->restoreSplitState(settings.personaSplit());
}

void MainWindow::saveLayout() const
{
    Settings settings;
    settings.setWindowGeometry(saveGeometry());
    settings.setWindowState(saveState());
    settings.setPersonaSplit(m_personaPanel->splitState());
    settings.setOpenSession(m_currentId);
}

void MainWindow::showError(const QString &message)
{
    m_statusBar->showError(message);
}

void MainWindow::openSession(const QUuid &id, std::optional<int> atSeq)
{
    m_currentId = id;
    m_runningElsewhere.clear();
    if (id.isNull()) {
        m_transcript->clear();
        return;
    }
    m_sessionsPanel->select(id);
    // The engine's copy is the latest (a session that runs here, or one the store failed to
    // keep); any other is read from the store a page at a time.
    if (const Session *session = m_engine->session(id)) {
        m_transcript->setSession(*session);
        showOpened(id, atSeq ? m_transcript->rowOfSeq(*atSeq) : -1);
    } else {
        m_transcript->openStored(id, atSeq);
    }
    onStoreChanged();
}

void MainWindow::showOpened(const QUuid &id, int row)
{
    if (id != m_currentId)
        return;
    m_anchorRow = row;
    m_anchored = m_transcript->unloadedRows() > 0;
    if (row >= 0)
        m_transcriptArea->view()->setCurrentIndex(m_transcript->index(row));
    keepOpenedPlace();
    updateSessionState();
}

void MainWindow::keepOpenedPlace()
{
    TranscriptView *view = m_transcriptArea->view();
    if (m_anchorRow < 0)
        view->scrollToBottom();
    else
        view->scrollTo(m_transcript->index(m_anchorRow), QAbstractItemView::PositionAtCenter);
}

void MainWindow::showCreated(const QUuid &id)
{
    m_sessions->refresh();
    openSession(id);
}

QUuid MainWindow::startDemoSession()
{
    return m_sessionActions->startDemoSession();
}

void MainWindow::setLocalServerCandidates(const QList<LocalServerProbe::Candidate> &candidates)
{
    m_localCandidates = candidates;
    m_sessionActions->setLocalServerCandidates(candidates);
}

NewSessionDialog *MainWindow::openNewSessionDialog()
{
    return m_sessionActions->openNewSessionDialog();
}

SettingsDialog *MainWindow::openSettings()
{
    auto *dialog = new SettingsDialog(m_engine, m_library, m_localApi, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    dialog->setLocalServerCandidates(m_localCandidates);
    dialog->show();
    return dialog;
}

WelcomeDialog *MainWindow::showWelcomeIfFirstRun()
{
    Settings settings;
    if (settings.welcomeShown())
        return nullptr;
    settings.setWelcomeShown(true);
    auto *welcome = new WelcomeDialog(m_engine, m_localCandidates, this);
    welcome->setAttribute(Qt::WA_DeleteOnClose);
    connect(welcome, &WelcomeDialog::demoRequested, this, [this] { startDemoSession(); });
    connect(welcome, &WelcomeDialog::newSessionRequested, this, &MainWindow::openNewSessionDialog);
    connect(welcome, &WelcomeDialog::settingsRequested, this, &MainWindow::openSettings);
    welcome->show();
    return welcome;
}

void MainWindow::retryStorage()
{
    if (m_currentId.isNull())
        return;
    // Saves what is held, then resumes; while the store still fails, the bar says why.
    m_engine->startWhenReady(
        m_currentId, this, [this, id = m_currentId](const std::optional<Error> &error) {
            m_storageRetryError = error ? error->message : QString();
            if (error && error->code != ErrorCode::StorageError)
                QMessageBox::warning(this, AppIdentity::displayName(), error->message);
            forgetStatusReason(id);
        });
}

void MainWindow::showSessionContextMenu(const QPoint &globalPosition)
{
    SessionActions *session = m_sessionActions;
    QMenu menu(this);
    menu.addActions({session->startAction(), session->pauseAction(), session->stopAction()});
    menu.addSeparator();
    menu.addActions({session->renameAction(), session->duplicateAction(), session->forkAction()});
    menu.addMenu(m_fileActions->exportMenu());
    menu.addSeparator();
    menu.addAction(session->deleteAction());
    menu.exec(globalPosition);
}

void MainWindow::showTranscriptContextMenu(const QPoint &position)
{
    TranscriptView *view = m_transcriptArea->view();
    const QModelIndex index = view->indexAt(position);
    if (index.isValid())
        view->setCurrentIndex(index);
    if (!view->currentIndex().isValid())
        return;
    QMenu menu(this);
    menu.addActions(m_runActions->messageActions());
    menu.addSeparator();
    menu.addAction(m_inspectAction);
    menu.exec(view->viewport()->mapToGlobal(position));
}

void MainWindow::onEngineEvent(const EngineEvent &event)
{
    switch (event.type) {
    case EngineEventType::SessionStatus:
        if (event.reason.isEmpty())
            m_statusReasons.remove(event.sessionId);
        else
            m_statusReasons.insert(event.sessionId, event.reason);
        if (event.sessionId == m_currentId)
            updateSessionState();
        break;
    case EngineEventType::SessionDeleted:
        m_statusReasons.remove(event.sessionId);
        if (event.sessionId == m_currentId) {
            m_currentId = QUuid();
            m_transcript->clear();
        }
        m_sessions->refresh();
        break;
    case EngineEventType::SessionCreated:
        m_sessions->refresh();
        break;
    default:
        break;
    }
}

void MainWindow::onStoreChanged()
{
    m_sessions->refresh();
    StoreWorker *reader = m_engine->reader();
    if (m_currentId.isNull() || !reader)
        return;
    if (m_sessions->runsHere(m_currentId)) {
        if (!m_runningElsewhere.isEmpty()) {
            m_runningElsewhere.clear();
            updateSessionState();
        }
        return;
    }
    reader->submit(
        this, [id = m_currentId](SessionStore &store) { return store.leaseHolder(id); },
        [this, id = m_currentId](const StoreResult<std::optional<LeaseHolder>> &holder) {
            if (id != m_currentId)
                return;
            // The engine's own lease outlives its run by a store write or two.
            const bool ownLease = holder && holder->has_value() && (*holder)->isThisProcess() &&
                                  m_engine->session(id);
            const QString elsewhere =
                holder && holder->has_value() && !ownLease ? (*holder)->description() : QString();
            // A session another process runs grows in the store, not in this engine.
            if (!elsewhere.isEmpty() || !m_runningElsewhere.isEmpty())
                m_transcript->reloadStored();
            if (elsewhere != m_runningElsewhere) {
                m_runningElsewhere = elsewhere;
                updateSessionState();
            }
        });
}

QList<QUuid> MainWindow::sessionsRunningHere() const
{
    QList<QUuid> running;
    for (const QUuid &id : m_engine->sessionIds())
        if (m_sessions->runsHere(id))
            running.append(id);
    return running;
}

void MainWindow::forgetStatusReason(const QUuid &id)
{
    m_statusReasons.remove(id);
    updateSessionState();
}

void MainWindow::updateSessionState()
{
    const Session &session = m_transcript->session();
    const bool open = !m_currentId.isNull() && session.id == m_currentId;
    const bool readOnly = !m_runningElsewhere.isEmpty();
    const SessionStatus status = session.status;

    m_fileActions->setSessionOpen(open);
    m_sessionActions->update(open, m_runningElsewhere);
    m_inspectAction->setEnabled(open && m_transcriptArea->view()->currentIndex().isValid());
    m_runActions->setReadOnly(readOnly);

    const std::optional<Error> unsaved = open ? m_engine->storageFault(m_currentId) : std::nullopt;
    if (!unsaved)
        m_storageRetryError.clear();
    m_transcriptArea->showStorageFault(
        unsaved
            ? std::optional(m_storageRetryError.isEmpty() ? unsaved->message : m_storageRetryError)
            : std::nullopt);
    m_transcriptArea->showReadOnlyNote(open && readOnly, m_runningElsewhere);
    // Why the session paused, when the engine said and the user does not know.
    const bool paused = status == SessionStatus::Paused || status == SessionStatus::Failed;
    m_transcriptArea->showOutcome(open ? &session : nullptr,
                                  open && paused ? m_statusReasons.value(m_currentId) : QString());

    const bool running = open && isRunning(status);
    if (running && !m_elapsedTicker.isActive())
        m_elapsedTicker.start();
    else if (!running)
        m_elapsedTicker.stop();
    m_statusBar->showSession(open ? &session : nullptr);
    setWindowTitle(open ? tr("%1 — %2").arg(session.title, AppIdentity::displayName())
                        : AppIdentity::displayName());
}

void MainWindow::inspectMessage(int row)
{
    const QModelIndex index = m_transcript->index(row);
    if (!index.isValid())
        return;
    m_transcriptArea->view()->setCurrentIndex(index);
    m_transcriptArea->view()->scrollTo(index);
    m_inspectorDock->show();
    m_inspectorDock->raise();
}

void MainWindow::updateInspector()
{
    const QModelIndex current = m_transcriptArea->view()->currentIndex();
    m_inspectAction->setEnabled(current.isValid());
    // A stored request is read when it is to be shown; dataChanged brings it here.
    m_transcript->fetchRequest(current.row());
    m_inspector->showRequestOf(current);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!m_personaPanel->closeAll()) {
        event->ignore();
        return;
    }
    if (m_closingNow) {
        saveLayout();
        event->accept();
        return;
    }
    if (m_quitWait) {
        m_quitWait->raise(); // already waiting for the replies
        event->ignore();
        return;
    }
    const QList<QUuid> running = sessionsRunningHere();
    if (!running.isEmpty()) {
        const auto answer = PlainTextBox::question(
            this, tr("Sessions Are Running"),
            tr("%n session(s) are still running. Pause them and quit? They can be resumed at "
               "the next start.",
               nullptr, int(running.size())),
            QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Yes);
        if (answer != QMessageBox::Yes) {
            event->ignore();
            return;
        }
        for (const QUuid &id : running)
            m_engine->pause(id);
        // Paused sessions let their replies in flight finish: quitting now would cut them.
        if (ReplyWaitDialog::repliesInFlight(*m_engine, running) > 0) {
            event->ignore();
            closeOnceRepliesAreIn(running);
            return;
        }
    }
    saveLayout();
    event->accept();
}

void MainWindow::closeOnceRepliesAreIn(const QList<QUuid> &ids)
{
    m_quitWait = new ReplyWaitDialog(m_engine, ids, this);
    connect(m_quitWait, &ReplyWaitDialog::done, this, [this] {
        m_closingNow = true;
        m_quitWait->deleteLater();
        // Not from within the engine's signal or the dialog's.
        QMetaObject::invokeMethod(this, &QWidget::close, Qt::QueuedConnection);
    });
    m_quitWait->show();
}

} // namespace Crosstalk
