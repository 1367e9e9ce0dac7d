// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/engineevent.h"
#include "localserverprobe.h"

#include <QHash>
#include <QMainWindow>
#include <QPointer>
#include <QTimer>
#include <QUuid>

#include <optional>

class QAction;
class QDockWidget;

namespace Crosstalk {

class Engine;
class FileActions;
class InspectorPanel;
class LocalApiControl;
class NewSessionDialog;
class AppContext;
class PersonaLibrary;
class PersonaPanel;
class ReplyWaitDialog;
class RunActions;
class SessionActions;
class SessionListModel;
class SessionStatusBar;
class SessionsPanel;
class SettingsDialog;
class StoreWatcher;
class TranscriptArea;
class TranscriptModel;
class WelcomeDialog;

// The main window: the session list on the left, the transcript in the centre and the
// persona editors and the message inspector on the right. Panels are dock widgets so people
// can rearrange them; the arrangement and the window geometry are restored at the next start.
//
// It drives the process's one Engine, whose store (if it has one) backs the session list;
// sessions another process runs are shown live from the store, read-only.
//
// The window composes its parts and keeps the state they share: which session is open, who
// runs it, why it last changed status. The panels are SessionsPanel, TranscriptArea,
// PersonaPanel and InspectorPanel; the commands are SessionActions, RunActions and FileActions;
// the figures of the open session are SessionStatusBar's.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    // The window over the context's engine and persona library.
    explicit MainWindow(AppContext *context, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Shows a session as if it had been chosen in the list.
    // Shows a session: at its end, or with `atSeq` at that message (a search hit).
    void openSession(const QUuid &id, std::optional<int> atSeq = std::nullopt);
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
    void setLocalServerCandidates(const QList<LocalServerProbe::Candidate> &candidates);

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
    void createActions();
    void createPanels();
    void createMenus();
    void addPanel(QDockWidget *dock, QWidget *panel, Qt::DockWidgetArea area,
                  Qt::DockWidgetAreas allowedAreas);
    void restoreLayout();
    void saveLayout() const;
    void showAbout();

    void showCreated(const QUuid &id);
    void showSessionContextMenu(const QPoint &globalPosition);
    void showTranscriptContextMenu(const QPoint &position);
    void onEngineEvent(const EngineEvent &event);
    void onStoreChanged();
    // The session's transcript is shown: at `row`, or at its end for -1.
    void showOpened(const QUuid &id, int row);
    void keepOpenedPlace();
    void forgetStatusReason(const QUuid &id);
    void updateSessionState();
    void updateInspector();
    void retryStorage();
    void showError(const QString &message);
    QList<QUuid> sessionsRunningHere() const;
    // Closing paused sessions whose replies still stream: waits for them, with Quit Now.
    void closeOnceRepliesAreIn(const QList<QUuid> &ids);

    Engine *m_engine;
    StoreWatcher *m_watcher = nullptr;
    SessionListModel *m_sessions = nullptr;
    TranscriptModel *m_transcript = nullptr;
    PersonaLibrary *m_library = nullptr;
    LocalApiControl *m_localApi = nullptr;
    QList<LocalServerProbe::Candidate> m_localCandidates = LocalServerProbe::defaultCandidates();

    SessionActions *m_sessionActions = nullptr;
    FileActions *m_fileActions = nullptr;
    RunActions *m_runActions = nullptr;
    QAction *m_settingsAction = nullptr;
    QAction *m_inspectAction = nullptr;

    TranscriptArea *m_transcriptArea = nullptr;
    SessionsPanel *m_sessionsPanel = nullptr;
    PersonaPanel *m_personaPanel = nullptr;
    InspectorPanel *m_inspector = nullptr;
    QDockWidget *m_sessionsDock = nullptr;
    QDockWidget *m_personasDock = nullptr;
    QDockWidget *m_inspectorDock = nullptr;
    SessionStatusBar *m_statusBar = nullptr;

    QUuid m_currentId;
    // Another process's description when it runs the current session.
    QString m_runningElsewhere;
    // The row the session opened at (a search hit), or -1 for its end; m_anchored while the
    // view keeps it in place as pages come in.
    int m_anchorRow = -1;
    bool m_anchored = false;
    // Why each session last changed status, when the engine said (a failure, a budget cap).
    QHash<QUuid, QString> m_statusReasons;
    // Why the last Retry of the storage bar failed, when it did.
    QString m_storageRetryError;
    QTimer m_elapsedTicker;
    QPointer<ReplyWaitDialog> m_quitWait;
    bool m_closingNow = false; // the replies are in, or the user chose Quit Now
};

} // namespace Crosstalk
