// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"
#include "plaintextbox.h"

#include "conversation/sessiondocument.h"
#include "export/exporter.h"

#include "config/appidentity.h"
#include "config/settings.h"
#include "demosession.h"
#include "engine/engine.h"
#include "engine/localapicontrol.h"
#include "messagedelegate.h"
#include "newsessiondialog.h"
#include "persona/personalibrary.h"
#include "personapanel.h"
#include "runactions.h"
#include "sessionlistdelegate.h"
#include "sessionlistmodel.h"
#include "settingsdialog.h"
#include "storage/sessionstore.h"
#include "storage/storewatcher.h"
#include "transcriptmodel.h"
#include "transcriptview.h"
#include "welcomedialog.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QStatusBar>
#include <QToolBar>
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

QString formatDuration(qint64 ms)
{
    const qint64 seconds = ms / 1000;
    return seconds >= 3600 ? u"%1:%2:%3"_s.arg(seconds / 3600)
                                 .arg(seconds / 60 % 60, 2, 10, QChar(u'0'))
                                 .arg(seconds % 60, 2, 10, QChar(u'0'))
                           : u"%1:%2"_s.arg(seconds / 60).arg(seconds % 60, 2, 10, QChar(u'0'));
}

// The first paragraph of a verdict, short enough for the banner; the transcript has it all.
QString firstParagraph(const QString &text)
{
    constexpr qsizetype limit = 320;
    QString paragraph = text.trimmed().section(u"\n\n"_s, 0, 0).simplified();
    if (paragraph.size() > limit)
        paragraph = paragraph.left(limit).section(u' ', 0, -2) + u'…';
    return paragraph;
}

} // namespace

MainWindow::MainWindow(Engine *engine, QWidget *parent)
    : QMainWindow(parent)
    , m_engine(engine)
{
    setWindowTitle(AppIdentity::displayName());
    setObjectName(u"MainWindow"_s);
    m_sessions = new SessionListModel(engine, this);
    m_transcript = new TranscriptModel(engine, this);
    // A new user starts with the bundled personas as examples to edit and use.
    m_library = new PersonaLibrary(PersonaLibrary::defaultFolder(), this);
    m_library->installBundledIfEmpty();
    createActions();
    createPanels();
    createMenus();
    createStatusBar();
    resize(1200, 760);
    restoreLayout();

    connect(engine, &Engine::event, this, &MainWindow::onEngineEvent);
    connect(engine, &Engine::storageFailed, this, [this](const QUuid &id) {
        if (id == m_currentId)
            updateSessionState();
    });
    connect(m_transcript, &TranscriptModel::sessionChanged, this, &MainWindow::updateSessionState);
    if (SessionStore *store = engine->store()) {
        m_watcher = new StoreWatcher(this);
        if (m_watcher->start(store->path()))
            connect(m_watcher, &StoreWatcher::changed, this, &MainWindow::onStoreChanged);
        else
            showError(tr("Changes by other Crosstalk processes will not show: %1")
                          .arg(m_watcher->errorString()));
    }
    m_elapsedTicker.setInterval(1000);
    connect(&m_elapsedTicker, &QTimer::timeout, this, &MainWindow::updateSessionState);
    updateSessionState();
}

MainWindow::~MainWindow() = default;

void MainWindow::setLocalApi(LocalApiControl *api)
{
    m_localApi = api;
    connect(m_localApi, &LocalApiControl::failed, this, [this](const QString &message) {
        showError(tr("The local REST API is off: %1").arg(message));
    });
    if (const Settings settings; settings.localApiEnabled())
        m_localApi->start(settings.localApiPort(), settings.localApiMaxRunning());
}

void MainWindow::createActions()
{
    m_newDemoAction =
        new QAction(QIcon::fromTheme(u"document-new"_s), tr("New &Demo Session"), this);
    m_newDemoAction->setToolTip(
        tr("Start a debate on the built-in offline demo model: no key or server needed"));
    // Ctrl+N belongs to New Session…, which sets a conversation up.
    m_newDemoAction->setShortcut(Qt::CTRL | Qt::SHIFT | Qt::Key_N);
    connect(m_newDemoAction, &QAction::triggered, this, [this] { startDemoSession(); });

    m_newSessionAction =
        new QAction(QIcon::fromTheme(u"document-new"_s), tr("&New Session…"), this);
    m_newSessionAction->setToolTip(
        tr("Choose a topic, participants, models and personas, and start a conversation"));
    m_newSessionAction->setShortcut(QKeySequence::New);
    connect(m_newSessionAction, &QAction::triggered, this, &MainWindow::openNewSessionDialog);

    m_settingsAction =
        new QAction(QIcon::fromTheme(u"configure"_s), tr("&Configure Crosstalk…"), this);
    m_settingsAction->setShortcut(QKeySequence::Preferences);
    m_settingsAction->setMenuRole(QAction::PreferencesRole);
    connect(m_settingsAction, &QAction::triggered, this, &MainWindow::openSettings);

    m_startAction = new QAction(QIcon::fromTheme(u"media-playback-start"_s), tr("&Start"), this);
    m_startAction->setShortcut(Qt::CTRL | Qt::Key_R);
    connect(m_startAction, &QAction::triggered, this, [this] { runControl(&Engine::start); });

    m_pauseAction = new QAction(QIcon::fromTheme(u"media-playback-pause"_s), tr("&Pause"), this);
    m_pauseAction->setShortcut(Qt::CTRL | Qt::Key_P);
    m_pauseAction->setToolTip(tr("Let the replies in flight finish and start no new ones"));
    connect(m_pauseAction, &QAction::triggered, this, [this] { runControl(&Engine::pause); });

    m_stopAction = new QAction(QIcon::fromTheme(u"media-playback-stop"_s), tr("S&top"), this);
    m_stopAction->setShortcut(Qt::CTRL | Qt::Key_Period);
    m_stopAction->setToolTip(tr("Abort the replies in flight, keeping what arrived"));
    connect(m_stopAction, &QAction::triggered, this, [this] { runControl(&Engine::stop); });

    m_deleteAction = new QAction(QIcon::fromTheme(u"edit-delete"_s), tr("&Delete Session…"), this);
    m_deleteAction->setShortcut(QKeySequence::Delete);
    m_deleteAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_deleteAction, &QAction::triggered, this, [this] {
        if (!m_currentId.isNull())
            deleteSession(m_currentId);
    });

    m_renameAction = new QAction(QIcon::fromTheme(u"edit-rename"_s), tr("Re&name Session…"), this);
    m_renameAction->setShortcut(Qt::Key_F2);
    m_renameAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(m_renameAction, &QAction::triggered, this, &MainWindow::renameSession);

    m_duplicateAction =
        new QAction(QIcon::fromTheme(u"edit-copy"_s), tr("D&uplicate Session"), this);
    m_duplicateAction->setShortcut(Qt::CTRL | Qt::Key_D);
    m_duplicateAction->setToolTip(tr("A new session with the same setup and no messages"));
    connect(m_duplicateAction, &QAction::triggered, this, &MainWindow::duplicateSession);

    m_forkSessionAction = new QAction(QIcon::fromTheme(u"split"_s), tr("F&ork Session"), this);
    m_forkSessionAction->setShortcut(Qt::CTRL | Qt::SHIFT | Qt::Key_D);
    m_forkSessionAction->setToolTip(
        tr("A new session with the whole transcript so far, paused, to go on differently"));
    connect(m_forkSessionAction, &QAction::triggered, this, &MainWindow::forkSession);

    m_inspectAction =
        new QAction(QIcon::fromTheme(u"document-properties"_s), tr("Show &Request"), this);
    m_inspectAction->setShortcut(Qt::CTRL | Qt::Key_I);
    m_inspectAction->setToolTip(tr("Show what was sent for the chosen message in the inspector"));
    connect(m_inspectAction, &QAction::triggered, this,
            [this] { inspectMessage(m_transcriptView->currentIndex().row()); });
}

void MainWindow::createPanels()
{
    // Centre: a banner for the outcome, a note for read-only sessions, the transcript.
    auto *centre = new QWidget(this);
    centre->setObjectName(u"transcriptArea"_s);
    centre->setAccessibleName(tr("Transcript"));
    auto *centreLayout = new QVBoxLayout(centre);
    centreLayout->setContentsMargins(0, 0, 0, 0);
    centreLayout->setSpacing(0);
    m_banner = new QLabel(centre);
    m_banner->setObjectName(u"outcomeBanner"_s);
    m_banner->setAccessibleName(tr("Outcome"));
    m_banner->setWordWrap(true);
    m_banner->setTextFormat(Qt::RichText);
    m_banner->setMargin(12);
    m_banner->setAutoFillBackground(true);
    m_banner->setBackgroundRole(QPalette::AlternateBase);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_banner->hide();
    m_storageBar = new QWidget(centre);
    m_storageBar->setObjectName(u"storageBar"_s);
    m_storageBar->setAccessibleName(tr("The transcript cannot be saved"));
    m_storageBar->setAutoFillBackground(true);
    m_storageBar->setBackgroundRole(QPalette::ToolTipBase);
    auto *storageLayout = new QHBoxLayout(m_storageBar);
    m_storageText = new QLabel(m_storageBar);
    m_storageText->setObjectName(u"storageText"_s);
    m_storageText->setWordWrap(true);
    m_storageText->setForegroundRole(QPalette::ToolTipText);
    m_storageText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *storageRetry = new QPushButton(tr("&Retry"), m_storageBar);
    storageRetry->setObjectName(u"storageRetry"_s);
    storageRetry->setToolTip(tr("Save what is held in memory, then go on"));
    connect(storageRetry, &QPushButton::clicked, this, &MainWindow::retryStorage);
    storageLayout->addWidget(m_storageText, 1);
    storageLayout->addWidget(storageRetry);
    m_storageBar->hide();
    m_note = new QLabel(centre);
    m_note->setObjectName(u"readOnlyNote"_s);
    m_note->setAccessibleName(tr("Read-only note"));
    m_note->setWordWrap(true);
    m_note->setTextFormat(Qt::PlainText);
    m_note->setMargin(8);
    m_note->setForegroundRole(QPalette::PlaceholderText);
    m_note->hide();
    m_transcriptView = new TranscriptView(centre);
    m_transcriptView->setObjectName(u"transcriptView"_s);
    m_transcriptView->setAccessibleName(tr("Messages"));
    m_transcriptView->setModel(m_transcript);
    connect(m_transcriptView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &MainWindow::updateInspector);
    m_transcriptView->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_transcriptView, &QWidget::customContextMenuRequested, this,
            &MainWindow::showTranscriptContextMenu);
    m_runActions = new RunActions(m_engine, m_transcriptView, this);
    connect(m_runActions, &RunActions::sessionOpened, this, [this](const QUuid &id) {
        m_sessions->refresh();
        openSession(id);
    });
    connect(m_runActions, &RunActions::steered, this, [this](const QUuid &id) {
        m_statusReasons.remove(id);
        updateSessionState();
    });
    connect(m_transcriptView->messageDelegate(), &MessageDelegate::retryRequested, this,
            [this](const QModelIndex &index) {
                m_transcriptView->setCurrentIndex(index);
                if (QAction *retry = m_runActions->retryAction(); retry->isEnabled())
                    retry->trigger();
                else
                    showError(tr("This reply cannot be retried now: pause the session first, "
                                 "or regenerate the reply to fork the session there."));
            });
    connect(m_transcriptView->messageDelegate(), &MessageDelegate::showAllRequested, this,
            &MainWindow::showWholeMessage);
    centreLayout->addWidget(m_storageBar);
    centreLayout->addWidget(m_banner);
    centreLayout->addWidget(m_note);
    centreLayout->addWidget(m_transcriptView, 1);
    setCentralWidget(centre);

    // Left: search, filters and the sessions.
    m_sessionsDock = new QDockWidget(tr("Sessions"), this);
    m_sessionsDock->setObjectName(u"sessionsDock"_s);
    auto *sessionsPanel = new QWidget(m_sessionsDock);
    sessionsPanel->setAccessibleName(tr("Session list"));
    auto *sessionsLayout = new QVBoxLayout(sessionsPanel);
    sessionsLayout->setContentsMargins(6, 6, 6, 6);
    m_search = new QLineEdit(sessionsPanel);
    m_search->setObjectName(u"sessionSearch"_s);
    m_search->setAccessibleName(tr("Search sessions"));
    m_search->setPlaceholderText(tr("Search titles, topics and messages…"));
    m_search->setClearButtonEnabled(true);
    auto *focusSearch = new QAction(tr("Find Session"), this);
    focusSearch->setShortcut(QKeySequence::Find);
    connect(focusSearch, &QAction::triggered, this, [this] {
        m_sessionsDock->show();
        m_search->setFocus();
        m_search->selectAll();
    });
    addAction(focusSearch);
    m_searchDelay.setSingleShot(true);
    m_searchDelay.setInterval(250);
    connect(&m_searchDelay, &QTimer::timeout, this, &MainWindow::applySessionFilter);
    connect(m_search, &QLineEdit::textChanged, this, [this] { m_searchDelay.start(); });

    auto *filters = new QHBoxLayout;
    m_statusFilter = new QComboBox(sessionsPanel);
    m_statusFilter->setObjectName(u"statusFilter"_s);
    m_statusFilter->setAccessibleName(tr("Filter by status"));
    m_statusFilter->addItem(tr("All sessions"));
    const QList<std::pair<QString, SessionStatus>> statuses{
        {tr("Running"), SessionStatus::Running},
        {tr("Paused"), SessionStatus::Paused},
        {tr("Completed"), SessionStatus::Completed},
        {tr("Not started"), SessionStatus::Configured},
        {tr("Interrupted"), SessionStatus::Interrupted},
        {tr("Failed"), SessionStatus::Failed},
        {tr("Stopped"), SessionStatus::Cancelled}};
    for (const auto &[label, status] : statuses)
        m_statusFilter->addItem(label, QVariant::fromValue(status));
    m_sort = new QComboBox(sessionsPanel);
    m_sort->setObjectName(u"sessionSort"_s);
    m_sort->setAccessibleName(tr("Sort sessions"));
    m_sort->addItem(tr("Newest first"), QVariant::fromValue(SessionSort::UpdatedDescending));
    m_sort->addItem(tr("Oldest first"), QVariant::fromValue(SessionSort::UpdatedAscending));
    connect(m_statusFilter, &QComboBox::currentIndexChanged, this, &MainWindow::applySessionFilter);
    connect(m_sort, &QComboBox::currentIndexChanged, this, &MainWindow::applySessionFilter);
    filters->addWidget(m_statusFilter, 1);
    filters->addWidget(m_sort, 1);

    m_sessionList = new QListView(sessionsPanel);
    m_sessionList->setObjectName(u"sessionList"_s);
    m_sessionList->setAccessibleName(tr("Sessions"));
    m_sessionList->setModel(m_sessions);
    m_sessionList->setItemDelegate(new SessionListDelegate(m_sessionList));
    m_sessionList->setUniformItemSizes(false);
    m_sessionList->setContextMenuPolicy(Qt::CustomContextMenu);
    m_sessionList->addAction(m_deleteAction);
    m_sessionList->addAction(m_renameAction);
    connect(m_sessionList, &QWidget::customContextMenuRequested, this,
            &MainWindow::showSessionContextMenu);
    connect(m_sessionList->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &MainWindow::onSessionSelected);
    // A reset (new order, another filter) loses the selection; keep the open session chosen.
    connect(m_sessions, &QAbstractItemModel::modelReset, this, [this] {
        const int row = m_sessions->rowOf(m_currentId);
        if (row >= 0) {
            const QSignalBlocker blocker(m_sessionList->selectionModel());
            m_sessionList->setCurrentIndex(m_sessions->index(row));
        }
    });
    auto *empty = emptyStateLabel(tr("No sessions yet.\nSessions you run are kept and listed here. "
                                     "Try Session → New Demo Session."),
                                  sessionsPanel);
    empty->setObjectName(u"sessionsEmpty"_s);
    const auto updateEmpty = [this, empty] {
        const bool none = m_sessions->rowCount() == 0;
        empty->setVisible(none);
        empty->setText(none && (!m_search->text().isEmpty() || m_statusFilter->currentIndex() > 0)
                           ? tr("No session matches.")
                           : tr("No sessions yet.\nSessions you run are kept and listed here. "
                                "Try Session → New Demo Session."));
    };
    connect(m_sessions, &QAbstractItemModel::modelReset, empty, updateEmpty);
    connect(m_sessions, &QAbstractItemModel::rowsInserted, empty, updateEmpty);
    updateEmpty();

    sessionsLayout->addWidget(m_search);
    sessionsLayout->addLayout(filters);
    sessionsLayout->addWidget(empty);
    sessionsLayout->addWidget(m_sessionList, 1);
    m_sessionsDock->setWidget(sessionsPanel);
    m_sessionsDock->setAllowedAreas(Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea);
    addDockWidget(Qt::LeftDockWidgetArea, m_sessionsDock);

    m_personasDock = new QDockWidget(tr("Personas"), this);
    m_personasDock->setObjectName(u"personasDock"_s);
    m_personaPanel = new PersonaPanel(m_library, m_personasDock);
    m_personasDock->setWidget(m_personaPanel);
    m_personasDock->setAllowedAreas(Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea);
    addDockWidget(Qt::RightDockWidgetArea, m_personasDock);

    // The inspector: what exactly was sent for the chosen message.
    m_inspectorDock = new QDockWidget(tr("Inspector"), this);
    m_inspectorDock->setObjectName(u"inspectorDock"_s);
    auto *inspector = new QWidget(m_inspectorDock);
    inspector->setAccessibleName(tr("Message inspector"));
    auto *inspectorLayout = new QVBoxLayout(inspector);
    inspectorLayout->setContentsMargins(6, 6, 6, 6);
    auto *inspectorCaption =
        new QLabel(tr("The request stored for the chosen message:"), inspector);
    inspectorCaption->setWordWrap(true);
    m_inspectorText = new QPlainTextEdit(inspector);
    m_inspectorText->setObjectName(u"inspectorText"_s);
    m_inspectorText->setAccessibleName(tr("Stored request"));
    m_inspectorText->setReadOnly(true);
    m_inspectorText->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_inspectorText->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_inspectorText->setPlaceholderText(tr("Choose a message in the transcript."));
    auto *copy = new QPushButton(QIcon::fromTheme(u"edit-copy"_s), tr("&Copy Request"), inspector);
    copy->setObjectName(u"copyRequest"_s);
    copy->setAccessibleName(tr("Copy the request"));
    connect(copy, &QPushButton::clicked, this,
            [this] { QGuiApplication::clipboard()->setText(m_inspectorText->toPlainText()); });
    connect(m_inspectorText, &QPlainTextEdit::textChanged, copy,
            [this, copy] { copy->setEnabled(!m_inspectorText->document()->isEmpty()); });
    copy->setEnabled(false);
    inspectorLayout->addWidget(inspectorCaption);
    inspectorLayout->addWidget(m_inspectorText, 1);
    inspectorLayout->addWidget(copy, 0, Qt::AlignRight);
    m_inspectorDock->setWidget(inspector);
    m_inspectorDock->setAllowedAreas(Qt::AllDockWidgetAreas);
    addDockWidget(Qt::RightDockWidgetArea, m_inspectorDock);
    tabifyDockWidget(m_personasDock, m_inspectorDock);
    m_personasDock->raise();

    resizeDocks({m_sessionsDock, m_personasDock}, {300, 320}, Qt::Horizontal);
}

void MainWindow::createMenus()
{
    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    fileMenu->addAction(m_newSessionAction);
    fileMenu->addSeparator();
    QAction *import =
        fileMenu->addAction(QIcon::fromTheme(u"document-import"_s), tr("&Import Session…"));
    import->setShortcut(QKeySequence::Open);
    connect(import, &QAction::triggered, this, &MainWindow::importSession);
    m_exportMenu = fileMenu->addMenu(QIcon::fromTheme(u"document-export"_s), tr("&Export"));
    const QList<std::pair<ExportFormat, QString>> formats = {
        {ExportFormat::Markdown, tr("&Markdown…")},
        {ExportFormat::Html, tr("&HTML…")},
        {ExportFormat::Pdf, tr("&PDF…")},
        {ExportFormat::Text, tr("Plain &Text…")},
        {ExportFormat::SessionDocument, tr("Session &Document (JSON)…")},
        {ExportFormat::LegacyJson, tr("&Old Tool's JSON…")},
    };
    for (const auto &[format, label] : formats) {
        QAction *action = m_exportMenu->addAction(label);
        if (format == ExportFormat::Markdown)
            action->setShortcut(Qt::CTRL | Qt::SHIFT | Qt::Key_E);
        connect(action, &QAction::triggered, this, [this, f = format] { exportSession(f); });
    }
    fileMenu->addSeparator();
    QAction *quit = fileMenu->addAction(QIcon::fromTheme(u"application-exit"_s), tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QMenu *sessionMenu = menuBar()->addMenu(tr("&Session"));
    sessionMenu->addAction(m_newDemoAction);
    sessionMenu->addSeparator();
    sessionMenu->addAction(m_startAction);
    sessionMenu->addAction(m_pauseAction);
    sessionMenu->addAction(m_stopAction);
    sessionMenu->addAction(m_runActions->humanMessageAction());
    sessionMenu->addAction(m_runActions->changeModelAction());
    sessionMenu->addSeparator();
    sessionMenu->addAction(m_renameAction);
    sessionMenu->addAction(m_duplicateAction);
    sessionMenu->addAction(m_forkSessionAction);
    sessionMenu->addAction(m_deleteAction);

    QMenu *messageMenu = menuBar()->addMenu(tr("&Message"));
    messageMenu->addActions(m_runActions->messageActions());
    messageMenu->addSeparator();
    messageMenu->addAction(m_inspectAction);

    QMenu *viewMenu = menuBar()->addMenu(tr("&View"));
    QAction *showSessions = m_sessionsDock->toggleViewAction();
    showSessions->setText(tr("Show &Sessions Panel"));
    showSessions->setShortcut(Qt::CTRL | Qt::Key_1);
    viewMenu->addAction(showSessions);
    QAction *showPersonas = m_personasDock->toggleViewAction();
    showPersonas->setText(tr("Show &Personas Panel"));
    showPersonas->setShortcut(Qt::CTRL | Qt::Key_2);
    viewMenu->addAction(showPersonas);
    QAction *showInspector = m_inspectorDock->toggleViewAction();
    showInspector->setText(tr("Show &Inspector"));
    showInspector->setShortcut(Qt::CTRL | Qt::Key_3);
    viewMenu->addAction(showInspector);
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
    toolBar->addAction(m_newSessionAction);
    toolBar->addAction(m_newDemoAction);
    toolBar->addSeparator();
    toolBar->addAction(m_startAction);
    toolBar->addAction(m_pauseAction);
    toolBar->addAction(m_stopAction);
    toolBar->addSeparator();
    toolBar->addAction(m_runActions->retryAction());
    toolBar->addAction(m_runActions->humanMessageAction());
}

void MainWindow::createStatusBar()
{
    m_roundLabel = new QLabel(statusBar());
    m_roundLabel->setAccessibleName(tr("Round"));
    m_tokensLabel = new QLabel(statusBar());
    m_tokensLabel->setAccessibleName(tr("Tokens"));
    m_costLabel = new QLabel(statusBar());
    m_costLabel->setAccessibleName(tr("Cost"));
    m_elapsedLabel = new QLabel(statusBar());
    m_elapsedLabel->setAccessibleName(tr("Elapsed time"));
    m_progress = new QProgressBar(statusBar());
    m_progress->setAccessibleName(tr("Progress in rounds"));
    m_progress->setMaximumWidth(160);
    m_progress->setTextVisible(false);
    for (QLabel *label : {m_roundLabel, m_tokensLabel, m_costLabel, m_elapsedLabel}) {
        label->setContentsMargins(8, 0, 8, 0);
        statusBar()->addPermanentWidget(label);
    }
    statusBar()->addPermanentWidget(m_progress);
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
}

void MainWindow::saveLayout() const
{
    Settings settings;
    settings.setWindowGeometry(saveGeometry());
    settings.setWindowState(saveState());
}

void MainWindow::exportSession(ExportFormat format)
{
    const Session *session = &m_transcript->session();
    if (m_currentId.isNull() || session->id != m_currentId)
        return;
    QString name = session->title;
    name.replace(QRegularExpression(u"[^\\p{L}\\p{N} _-]+"_s), u" "_s);
    name = name.simplified().left(60);
    const QString extension = Exporter::fileExtension(format);
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export Session"),
        QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation) + u'/' +
            (name.isEmpty() ? u"crosstalk"_s : name) + u'.' + extension,
        tr("%1 files (*.%2)").arg(extension.toUpper(), extension));
    if (path.isEmpty())
        return;
    if (const auto error = Exporter::writeFile(*session, format, path))
        showError(error->message);
    else
        statusBar()->showMessage(tr("Exported to %1").arg(path), 5000);
}

void MainWindow::importSession()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Import Session"),
        QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation),
        tr("Session documents (*.json)"));
    if (path.isEmpty())
        return;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        showError(tr("Cannot read %1: %2").arg(path, file.errorString()));
        return;
    }
    const Parsed<Session> parsed = SessionDocument::read(file.readAll());
    if (!parsed) {
        QStringList problems;
        for (const FieldError &e : parsed.errors.mid(0, 10))
            problems << e.toString();
        showError(tr("%1 is not a session document Crosstalk can read:\n%2")
                      .arg(path, problems.join(u'\n')));
        return;
    }
    SessionStore *store = m_engine->store();
    if (!store) {
        showError(tr("Sessions cannot be kept: the session store is not open."));
        return;
    }
    if (store->loadSession(parsed.value->id)) {
        openSession(parsed.value->id);
        statusBar()->showMessage(tr("This session is already here."), 5000);
        return;
    }
    Session session = *parsed.value;
    if (session.status == SessionStatus::Running)
        session.status = SessionStatus::Interrupted;
    if (auto saved = store->saveSession(session, SessionStore::Messages::Replace); !saved) {
        showError(saved.error().message);
        return;
    }
    m_sessions->refresh();
    openSession(session.id);
}

void MainWindow::showWholeMessage(const QModelIndex &index)
{
    // A plain text view lays out only what it shows, so megabytes open at once.
    auto *dialog = new QDialog(this);
    dialog->setObjectName(u"wholeMessage"_s);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(
        tr("Message of %1").arg(index.data(TranscriptModel::SpeakerRole).toString()));
    auto *layout = new QVBoxLayout(dialog);
    auto *text = new QPlainTextEdit(dialog);
    text->setReadOnly(true);
    text->setAccessibleName(tr("Whole message"));
    text->setPlainText(index.data(TranscriptModel::ContentRole).toString());
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::close);
    layout->addWidget(text);
    layout->addWidget(buttons);
    dialog->resize(820, 640);
    dialog->show();
}

void MainWindow::showError(const QString &message)
{
    statusBar()->showMessage(message, 10000);
}

void MainWindow::applySessionFilter()
{
    SessionFilter filter;
    filter.sort = m_sort->currentData().value<SessionSort>();
    if (m_statusFilter->currentIndex() > 0)
        filter.statuses = {m_statusFilter->currentData().value<SessionStatus>()};
    const QString text = m_search->text().trimmed();
    // Titles and topics match as substrings; sessions whose messages contain every word are
    // added from the full-text index.
    std::optional<QList<QUuid>> only;
    if (!text.isEmpty() && m_engine->store()) {
        SessionFilter byText = filter;
        byText.text = text;
        QList<QUuid> ids;
        if (auto listed = m_engine->store()->listSessions(byText))
            for (const SessionSummary &s : std::as_const(listed->sessions))
                ids.append(s.id);
        if (auto hits = m_engine->store()->search(text, 200))
            for (const SearchHit &hit : std::as_const(*hits))
                if (!ids.contains(hit.sessionId))
                    ids.append(hit.sessionId);
        only = ids;
    }
    m_sessions->setOnly(only);
    m_sessions->setFilter(filter);
}

void MainWindow::onSessionSelected()
{
    const QModelIndex current = m_sessionList->currentIndex();
    if (!current.isValid())
        return;
    const QUuid id = current.data(SessionListModel::IdRole).toUuid();
    if (id != m_currentId)
        openSession(id);
}

void MainWindow::openSession(const QUuid &id)
{
    m_currentId = id;
    std::optional<Error> error;
    const Session *session = id.isNull() ? nullptr : m_engine->load(id, &error);
    if (!session) {
        m_currentId = QUuid();
        m_transcript->clear();
        if (error)
            showError(error->message);
        return;
    }
    m_transcript->setSession(*session);
    const int row = m_sessions->rowOf(id);
    if (row >= 0 && m_sessionList->currentIndex().row() != row) {
        const QSignalBlocker blocker(m_sessionList->selectionModel());
        m_sessionList->setCurrentIndex(m_sessions->index(row));
    }
    m_transcriptView->scrollToBottom();
    onStoreChanged();
}

QUuid MainWindow::startDemoSession()
{
    const Parsed<QUuid> created = m_engine->createSession(demoSessionDraft());
    if (!created) {
        showError(created.errors.isEmpty() ? tr("The demo session could not be created.")
                                           : created.errors.first().toString());
        return {};
    }
    showAndStart(*created.value);
    return *created.value;
}

void MainWindow::showAndStart(const QUuid &id)
{
    m_sessions->refresh();
    openSession(id);
    runControl(&Engine::start);
}

NewSessionDialog *MainWindow::openNewSessionDialog()
{
    auto *dialog = new NewSessionDialog(m_engine, m_library, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    connect(dialog, &QDialog::accepted, this,
            [this, dialog] { showAndStart(dialog->createdSession()); });
    dialog->show();
    return dialog;
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

void MainWindow::runControl(std::optional<Error> (Engine::*control)(const QUuid &))
{
    if (m_currentId.isNull())
        return;
    if (const std::optional<Error> error = (m_engine->*control)(m_currentId))
        PlainTextBox::warning(this, AppIdentity::displayName(), error->message);
    // The user knows why they paused or stopped; the banner is for reasons they do not.
    if (control != &Engine::start)
        m_statusReasons.remove(m_currentId);
    updateSessionState();
}

void MainWindow::retryStorage()
{
    if (m_currentId.isNull())
        return;
    // Saves what is held, then resumes; while the store still fails, the bar says why.
    const std::optional<Error> error = m_engine->start(m_currentId);
    m_storageRetryError = error ? error->message : QString();
    if (error && error->code != ErrorCode::StorageError)
        QMessageBox::warning(this, AppIdentity::displayName(), error->message);
    m_statusReasons.remove(m_currentId);
    updateSessionState();
}

void MainWindow::showSessionContextMenu(const QPoint &position)
{
    // From the keyboard (the menu key) the position is not on a row: the current one counts.
    const QModelIndex index = m_sessionList->indexAt(position);
    if (index.isValid())
        m_sessionList->setCurrentIndex(index);
    if (!m_sessionList->currentIndex().isValid())
        return;
    QMenu menu(this);
    menu.addAction(m_startAction);
    menu.addAction(m_pauseAction);
    menu.addAction(m_stopAction);
    menu.addSeparator();
    menu.addAction(m_renameAction);
    menu.addAction(m_duplicateAction);
    menu.addAction(m_forkSessionAction);
    menu.addMenu(m_exportMenu);
    menu.addSeparator();
    menu.addAction(m_deleteAction);
    menu.exec(m_sessionList->viewport()->mapToGlobal(position));
}

void MainWindow::showTranscriptContextMenu(const QPoint &position)
{
    const QModelIndex index = m_transcriptView->indexAt(position);
    if (index.isValid())
        m_transcriptView->setCurrentIndex(index);
    if (!m_transcriptView->currentIndex().isValid())
        return;
    QMenu menu(this);
    menu.addActions(m_runActions->messageActions());
    menu.addSeparator();
    menu.addAction(m_inspectAction);
    menu.exec(m_transcriptView->viewport()->mapToGlobal(position));
}

void MainWindow::renameSession()
{
    const Session &session = m_transcript->session();
    if (m_currentId.isNull() || session.id != m_currentId || !m_renameAction->isEnabled())
        return;
    bool ok = false;
    const QString title = QInputDialog::getText(this, tr("Rename Session"), tr("&Title:"),
                                                QLineEdit::Normal, session.title, &ok);
    if (!ok || title.trimmed() == session.title)
        return;
    if (const std::optional<Error> error = m_engine->rename(m_currentId, title))
        PlainTextBox::warning(this, tr("Rename Session"), error->message);
    else
        updateSessionState();
}

void MainWindow::duplicateSession()
{
    if (m_currentId.isNull() || m_transcript->session().id != m_currentId)
        return;
    Session copy = m_transcript->session();
    copy.title = tr("%1 (copy)").arg(copy.title);
    const Parsed<QUuid> created = m_engine->createSession(copy);
    if (!created) {
        QStringList problems;
        for (const FieldError &e : created.errors)
            problems << e.toString();
        PlainTextBox::warning(
            this, tr("Duplicate Session"),
            tr("The session cannot be duplicated:\n%1").arg(problems.join(u'\n')));
        return;
    }
    m_sessions->refresh();
    openSession(*created.value);
}

void MainWindow::forkSession()
{
    const Session &session = m_transcript->session();
    if (m_currentId.isNull() || session.id != m_currentId)
        return;
    // At the last message that is complete, failed or partial: one still streaming is left out.
    QUuid at;
    for (auto it = session.messages.crbegin(); it != session.messages.crend() && at.isNull(); ++it)
        if (it->status != MessageStatus::Streaming)
            at = it->id;
    if (at.isNull())
        return;
    QUuid fork;
    if (const std::optional<Error> error = m_engine->fork(m_currentId, at, &fork)) {
        PlainTextBox::warning(this, tr("Fork Session"), error->message);
        return;
    }
    m_sessions->refresh();
    openSession(fork);
}

void MainWindow::deleteSession(const QUuid &id)
{
    const int row = m_sessions->rowOf(id);
    const QString title =
        row >= 0 ? m_sessions->index(row).data(SessionListModel::TitleRole).toString() : QString();
    if (!m_runningElsewhere.isEmpty() && id == m_currentId) {
        PlainTextBox::information(
            this, tr("Delete Session"),
            tr("This session runs in %1; stop it there first.").arg(m_runningElsewhere));
        return;
    }
    const auto answer = PlainTextBox::question(
        this, tr("Delete Session"),
        tr("Delete “%1” and its whole transcript? This cannot be undone.").arg(title),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Yes)
        return;
    if (const std::optional<Error> error = m_engine->remove(id))
        showError(error->message);
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
    SessionStore *store = m_engine->store();
    if (m_currentId.isNull() || !store)
        return;
    QString elsewhere;
    if (!m_sessions->runsHere(m_currentId))
        if (auto holder = store->leaseHolder(m_currentId); holder && holder->has_value())
            elsewhere = (*holder)->description();
    // A session another process runs grows in the store, not in this engine.
    if (!elsewhere.isEmpty() || (!m_runningElsewhere.isEmpty() && elsewhere.isEmpty())) {
        if (auto loaded = store->loadSession(m_currentId))
            m_transcript->setSession(*loaded);
    }
    if (elsewhere != m_runningElsewhere) {
        m_runningElsewhere = elsewhere;
        updateSessionState();
    }
}

QList<QUuid> MainWindow::sessionsRunningHere() const
{
    QList<QUuid> running;
    for (const QUuid &id : m_engine->sessionIds())
        if (m_sessions->runsHere(id))
            running.append(id);
    return running;
}

void MainWindow::setStatusText(QLabel *label, const QString &text)
{
    // A label whose size may change lays the whole window out again at every new text (the
    // elapsed time each second, the tokens at each reply): the status labels keep a fixed
    // size, widened only when a text needs more room.
    label->setText(text);
    const QSize hint = label->sizeHint();
    const bool fixed = label->minimumSize() == label->maximumSize();
    if (!fixed || hint.width() > label->maximumWidth() || hint.height() != label->maximumHeight())
        label->setFixedSize(std::max(hint.width(), fixed ? label->maximumWidth() : 0),
                            hint.height());
}

void MainWindow::updateSessionState()
{
    const Session &session = m_transcript->session();
    const bool open = !m_currentId.isNull() && session.id == m_currentId;
    const bool readOnly = !m_runningElsewhere.isEmpty();
    const SessionStatus status = session.status;

    m_exportMenu->setEnabled(open);
    m_startAction->setText(status == SessionStatus::Configured ? tr("&Start") : tr("&Resume"));
    m_startAction->setEnabled(open && !readOnly &&
                              (status == SessionStatus::Configured ||
                               status == SessionStatus::Paused ||
                               status == SessionStatus::Interrupted));
    m_pauseAction->setEnabled(open && !readOnly && status == SessionStatus::Running);
    m_stopAction->setEnabled(open && !readOnly &&
                             (status == SessionStatus::Running || status == SessionStatus::Paused ||
                              status == SessionStatus::Interrupted));
    m_deleteAction->setEnabled(open && !readOnly);
    m_renameAction->setEnabled(open && !readOnly);
    m_duplicateAction->setEnabled(open);
    m_forkSessionAction->setEnabled(
        open && std::any_of(session.messages.cbegin(), session.messages.cend(),
                            [](const Message &m) { return m.status != MessageStatus::Streaming; }));
    m_inspectAction->setEnabled(open && m_transcriptView->currentIndex().isValid());
    m_runActions->setReadOnly(readOnly);

    const std::optional<Error> unsaved = open ? m_engine->storageFault(m_currentId) : std::nullopt;
    if (!unsaved)
        m_storageRetryError.clear();
    m_storageText->setText(
        unsaved ? tr("%1 What follows is kept in memory until it can be saved.")
                      .arg(m_storageRetryError.isEmpty() ? unsaved->message : m_storageRetryError)
                : QString());
    m_storageBar->setVisible(unsaved.has_value());

    m_note->setVisible(open && readOnly);
    m_note->setText(tr("This session runs in %1. It is shown live and read-only here.")
                        .arg(m_runningElsewhere));

    // The outcome: the answer-mode result, the debate verdict, or why the session paused.
    QString banner;
    if (open && session.result) {
        banner =
            tr("<b>Answer:</b> %1 &nbsp;<span>(%n vote(s))</span>", nullptr, session.result->votes)
                .arg(session.result->answer.toHtmlEscaped());
    } else if (open) {
        for (auto it = session.messages.crbegin(); it != session.messages.crend(); ++it) {
            if (it->type == MessageType::Verdict && it->status == MessageStatus::Complete) {
                banner = tr("<b>Verdict of %1:</b> %2")
                             .arg(it->speaker.toHtmlEscaped(),
                                  firstParagraph(it->content).toHtmlEscaped());
                break;
            }
        }
    }
    if (open && (status == SessionStatus::Paused || status == SessionStatus::Failed) &&
        m_statusReasons.contains(m_currentId)) {
        const QString reason =
            tr("<b>Paused:</b> %1").arg(m_statusReasons.value(m_currentId).toHtmlEscaped());
        banner = banner.isEmpty() ? reason : banner + u"<br>"_s + reason;
    }
    m_banner->setText(banner);
    m_banner->setVisible(!banner.isEmpty());

    // Status bar.
    m_roundLabel->setVisible(open);
    m_tokensLabel->setVisible(open);
    m_costLabel->setVisible(open);
    m_elapsedLabel->setVisible(open);
    m_progress->setVisible(open);
    const bool running = open && status == SessionStatus::Running;
    if (running && !m_elapsedTicker.isActive())
        m_elapsedTicker.start();
    else if (!running)
        m_elapsedTicker.stop();
    if (!open) {
        setWindowTitle(AppIdentity::displayName());
        return;
    }
    setWindowTitle(tr("%1 — %2").arg(session.title, AppIdentity::displayName()));
    const int completed = session.completedRounds();
    const int current = status == SessionStatus::Completed
                            ? session.rounds
                            : std::min(completed + 1, std::max(1, session.rounds));
    setStatusText(m_roundLabel, tr("Round %1 of %2").arg(current).arg(session.rounds));
    const qint64 tokens = session.usage.tokensIn + session.usage.tokensOut;
    setStatusText(m_tokensLabel, session.usage.estimated ? tr("≈ %L1 tokens").arg(tokens)
                                                         : tr("%L1 tokens").arg(tokens));
    setStatusText(m_costLabel, session.usage.cost > 0
                                   ? tr("$%L1").arg(session.usage.cost, 0, 'f', 4)
                                   : tr("no cost"));
    qint64 elapsedMs = 0;
    if (!session.messages.isEmpty()) {
        const QDateTime start = session.messages.first().createdAt;
        QDateTime end;
        for (const Message &m : session.messages) {
            const QDateTime finished = m.createdAt.addMSecs(m.durationMs.value_or(0));
            if (!end.isValid() || finished > end)
                end = finished;
        }
        if (running)
            end = QDateTime::currentDateTimeUtc();
        elapsedMs = std::max<qint64>(0, start.msecsTo(end));
    }
    setStatusText(m_elapsedLabel, tr("%1 elapsed").arg(formatDuration(elapsedMs)));
    m_progress->setRange(0, std::max(1, session.rounds));
    m_progress->setValue(std::min(completed, session.rounds));
}

void MainWindow::inspectMessage(int row)
{
    const QModelIndex index = m_transcript->index(row);
    if (!index.isValid())
        return;
    m_transcriptView->setCurrentIndex(index);
    m_transcriptView->scrollTo(index);
    m_inspectorDock->show();
    m_inspectorDock->raise();
}

void MainWindow::updateInspector()
{
    const QModelIndex current = m_transcriptView->currentIndex();
    m_inspectAction->setEnabled(current.isValid());
    const QJsonObject request = current.data(TranscriptModel::RequestRole).toJsonObject();
    m_inspectorText->setPlainText(
        request.isEmpty()
            ? QString()
            : QString::fromUtf8(QJsonDocument(request).toJson(QJsonDocument::Indented)));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!m_personaPanel->closeAll()) {
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
    }
    saveLayout();
    event->accept();
}

} // namespace Crosstalk
