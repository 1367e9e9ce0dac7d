// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "budgetdialog.h"
#include "common/error.h"
#include "localserverprobe.h"

#include <QObject>
#include <QUuid>

#include <functional>
#include <optional>

class QAction;
class QWidget;

namespace Crosstalk {

class Engine;
class NewSessionDialog;
class PersonaLibrary;
class SessionListModel;
class TranscriptModel;

// The commands on whole sessions, for the window's menus, toolbar and the session list's
// context menu: set up a new session or start the offline demo; start (or resume), pause and
// stop; rename, duplicate, fork and delete. Steering within a session is RunActions'.
//
// They act on the session shown in the transcript, and each is enabled only when it would be
// accepted (update()). A session they create is named by sessionOpened() for the window to show.
class SessionActions : public QObject
{
    Q_OBJECT

public:
    SessionActions(Engine *engine, PersonaLibrary *library, SessionListModel *sessions,
                   TranscriptModel *transcript, QWidget *window);

    // Where New Session looks for model servers on this computer.
    void setLocalServerCandidates(const QList<LocalServerProbe::Candidate> &candidates)
    {
        m_localCandidates = candidates;
    }

    QAction *newSessionAction() const { return m_newSession; }
    QAction *newDemoAction() const { return m_newDemo; }
    QAction *startAction() const { return m_start; }
    QAction *pauseAction() const { return m_pause; }
    QAction *stopAction() const { return m_stop; }
    QAction *budgetAction() const { return m_budget; }
    QAction *renameAction() const { return m_rename; }
    QAction *duplicateAction() const { return m_duplicate; }
    QAction *forkAction() const { return m_fork; }
    QAction *deleteAction() const { return m_delete; }

    // Opens the New Session dialog (window-modal) and returns it; a session it creates is shown
    // and started.
    NewSessionDialog *openNewSessionDialog();
    // Creates a session on the demo model, shows it and starts it; null on failure.
    QUuid startDemoSession();

    // Enables the actions for the session shown, `open` when there is one. `runningElsewhere`
    // names another process that runs it, which leaves it read-only here.
    void update(bool open, const QString &runningElsewhere);

Q_SIGNALS:
    // A session to show: created, duplicated or forked.
    void sessionOpened(const QUuid &id);
    // The user paused or stopped the session, so the engine's reason for its status is stale.
    void steered(const QUuid &id);
    // The session's state changed in a way the engine does not announce (a start, a new title).
    void changed();
    void errorOccurred(const QString &message);

private:
    QUuid currentId() const;
    void showAndStart(const QUuid &id);
    void runControl(std::optional<Error> (Engine::*control)(const QUuid &));
    void start(const QUuid &id);
    // Asks for new caps and sets them; to resume, resumes once they are set.
    void changeBudget(BudgetDialog::Purpose purpose);
    // Runs `command` once the engine holds the session, read from the store first when the
    // window only shows it; a failure to read it is shown under `caption`.
    void whenLoaded(const QUuid &id, const QString &caption, std::function<void()> command);
    void rename();
    void duplicate();
    void fork();
    void remove();

    Engine *m_engine;
    QList<LocalServerProbe::Candidate> m_localCandidates = LocalServerProbe::defaultCandidates();
    PersonaLibrary *m_library;
    SessionListModel *m_sessions;
    TranscriptModel *m_transcript;
    QWidget *m_window;
    QString m_runningElsewhere;

    QAction *m_newDemo;
    QAction *m_newSession;
    QAction *m_start;
    QAction *m_pause;
    QAction *m_stop;
    QAction *m_budget;
    QAction *m_delete;
    QAction *m_rename;
    QAction *m_duplicate;
    QAction *m_fork;
};

} // namespace Crosstalk
