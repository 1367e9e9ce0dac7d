// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"
#include "engine/engineevent.h"
#include "export/exporter.h"
#include "localserverprobe.h"

#include <QHash>
#include <QMainWindow>
#include <QTimer>
#include <QUuid>

#include <optional>

class QAction;
class QComboBox;
class QDockWidget;
class QLabel;
class QLineEdit;
class QListView;
class QPlainTextEdit;
class QProgressBar;

namespace Crosstalk {

class Engine;
class RunActions;
class LocalApiControl;
class NewSessionDialog;
class AppContext;
class PersonaLibrary;
class PersonaPanel;
class SessionListModel;
class SettingsDialog;
class WelcomeDialog;
class StoreWatcher;
class TranscriptModel;
class TranscriptView;

// The main window: the session list on the left, the transcript in the centre and the
// persona editors and the message inspector on the right. Panels are dock widgets so people
// can rearrange them; the arrangement and the window geometry are restored at the next start.
//
// It drives the process's one Engine, whose store (if it has one) backs the session list;
// sessions another process runs are shown live from the store, read-only.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    // The window over the context's engine and persona library.
    explicit MainWindow(AppContext *context, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Shows a session as if it had been chosen in the list.
    void openSession(const QUuid &id);
    QUuid currentSessionId() const { return m_currentId; }
    // Creates a session on the demo model, shows it and starts it; null on failure.
    QUuid startDemoSession();

    // File → New Session: opens the dialog (window-modal) and returns it; a session it
    // creates is shown and started.
    NewSessionDialog *openNewSessionDialog();
    // Settings → Configure Crosstalk (window-modal); returns the dialog.
    SettingsDialog *openSettings();
    // Shows the first-run welcome unless it was shown before; returns it, or null.
    WelcomeDialog *showWelcomeIfFirstRun();
    // Where Settings and the welcome look for model servers on this computer.
    void setLocalServerCandidates(const QList<LocalServerProbe::Candidate> &candidates)
    {
        m_localCandidates = candidates;
    }

    // Chooses a message of the open session and shows its request in the inspector.
    void inspectMessage(int row);

    SessionListModel *sessionListModel() const { return m_sessions; }
    TranscriptModel *transcriptModel() const { return m_transcript; }
    PersonaPanel *personaPanel() const { return m_personaPanel; }
    PersonaLibrary *personaLibrary() const { return m_library; }

    // The local REST API that Settings switches, serving this window's Engine. The app makes it
    // (the widgets do not link the server) and hands it over once, before the window shows; it
    // starts now if Settings say so. Without one, Settings has no Local API page.
    void setLocalApi(LocalApiControl *api);
    LocalApiControl *localApi() const { return m_localApi; }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createPanels();
    void createActions();
    void createMenus();
    void createStatusBar();
    void restoreLayout();
    void saveLayout() const;
    void showAbout();

    void applySessionFilter();
    void onSessionSelected();
    void showSessionContextMenu(const QPoint &position);
    void deleteSession(const QUuid &id);
    void renameSession();
    void duplicateSession();
    void forkSession();
    void showTranscriptContextMenu(const QPoint &position);
    void onEngineEvent(const EngineEvent &event);
    void onStoreChanged();
    void updateSessionState();
    void retryStorage();
    void setStatusText(QLabel *label, const QString &text);
    void updateInspector();
    void showError(const QString &message);
    // Opens a long message whole, as plain text, beside the window.
    void showWholeMessage(const QModelIndex &index);
    void exportSession(ExportFormat format);
    void importSession();
    void runControl(std::optional<Error> (Engine::*control)(const QUuid &));
    QList<QUuid> sessionsRunningHere() const;
    void showAndStart(const QUuid &id);

    Engine *m_engine;
    StoreWatcher *m_watcher = nullptr;
    SessionListModel *m_sessions = nullptr;
    TranscriptModel *m_transcript = nullptr;
    PersonaLibrary *m_library = nullptr;
    PersonaPanel *m_personaPanel = nullptr;
    LocalApiControl *m_localApi = nullptr;
    QList<LocalServerProbe::Candidate> m_localCandidates = LocalServerProbe::defaultCandidates();

    QDockWidget *m_sessionsDock = nullptr;
    QDockWidget *m_personasDock = nullptr;
    QDockWidget *m_inspectorDock = nullptr;
    QLineEdit *m_search = nullptr;
    QComboBox *m_statusFilter = nullptr;
    QComboBox *m_sort = nullptr;
    QListView *m_sessionList = nullptr;
    QLabel *m_banner = nullptr;
    QLabel *m_note = nullptr;
    // Shown while the store cannot keep the open session (QUALITY.md R14): why, and Retry.
    QWidget *m_storageBar = nullptr;
    QLabel *m_storageText = nullptr;
    QString m_storageRetryError; // why the last Retry failed, when it did
    TranscriptView *m_transcriptView = nullptr;
    QPlainTextEdit *m_inspectorText = nullptr;

    QAction *m_newDemoAction = nullptr;
    QAction *m_newSessionAction = nullptr;
    QAction *m_settingsAction = nullptr;
    QAction *m_startAction = nullptr;
    QAction *m_pauseAction = nullptr;
    QAction *m_stopAction = nullptr;
    QAction *m_deleteAction = nullptr;
    QAction *m_renameAction = nullptr;
    QAction *m_duplicateAction = nullptr;
    QAction *m_forkSessionAction = nullptr;
    QAction *m_inspectAction = nullptr;
    RunActions *m_runActions = nullptr;
    QMenu *m_exportMenu = nullptr;

    QLabel *m_roundLabel = nullptr;
    QLabel *m_tokensLabel = nullptr;
    QLabel *m_costLabel = nullptr;
    QLabel *m_elapsedLabel = nullptr;
    QProgressBar *m_progress = nullptr;

    QUuid m_currentId;
    // Another process's description when it runs the current session.
    QString m_runningElsewhere;
    // Why each session last changed status, when the engine said (a failure, a budget cap).
    QHash<QUuid, QString> m_statusReasons;
    QTimer m_searchDelay;
    QTimer m_elapsedTicker;
};

} // namespace Crosstalk
