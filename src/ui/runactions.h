// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"

#include <QObject>
#include <QUuid>

#include <functional>
#include <optional>

class QAction;
class QModelIndex;
class QWidget;

namespace Crosstalk {

class Engine;
struct Message;
struct Session;
class TranscriptModel;
class TranscriptView;

// Steering a session beyond start, pause and stop (PRODUCT.md §3), for the window's menus,
// toolbar and the transcript's context menu: on the message chosen in the transcript, retry a
// failed or partial reply, regenerate it, edit it and continue, fork the session there, copy
// it; on the session, add a human message and change a participant's model.
//
// Each action is enabled only when the engine would accept it. When an action leads to a
// fork, sessionOpened() names it: regenerating a reply later ones build on says so first, and
// the fork waits, paused, once the reply is in; editing such a message continues the fork at
// once.
class RunActions : public QObject
{
    Q_OBJECT

public:
    RunActions(Engine *engine, TranscriptView *view, QWidget *window);

    QAction *retryAction() const { return m_retry; }
    QAction *regenerateAction() const { return m_regenerate; }
    QAction *editAction() const { return m_edit; }
    QAction *forkAction() const { return m_fork; }
    QAction *copyAction() const { return m_copy; }
    QAction *originalAction() const { return m_original; }
    QAction *humanMessageAction() const { return m_humanMessage; }
    QAction *changeModelAction() const { return m_changeModel; }
    // The actions on the chosen message, in the order menus show them.
    QList<QAction *> messageActions() const;

    // Another process runs the open session: it can be read, copied and forked only.
    void setReadOnly(bool readOnly);
    // Enables the actions for the session and message shown now.
    void update();

Q_SIGNALS:
    // A fork to show.
    void sessionOpened(const QUuid &id);
    // The open session's reason for pausing no longer holds (a retried reply).
    void steered(const QUuid &sessionId);
    // What a command did, for the status bar ("Bob now answers with m1 (gpt-4o).").
    void noteReady(const QString &note);
    // Show Original Text on the chosen (edited) message.
    void originalRequested(const QModelIndex &index);

private:
    TranscriptModel *model() const;
    const Message *currentMessage() const;
    // The session as the engine holds it, or as the window shows it once every page is read;
    // null before.
    const Session *shownSession() const;
    bool sessionIdle() const;
    bool report(const std::optional<Error> &error);
    // Runs `command` once the engine holds the session, read from the store first when the
    // window only shows it; a failure to read it is reported instead.
    void whenLoaded(const QUuid &sessionId, std::function<void()> command);
    void continueIn(const QUuid &sessionId);
    // Whether regenerating `message` of the shown session makes a fork.
    bool regeneratingForks(const Message &message) const;

    void retry();
    void regenerate();
    void edit();
    void fork();
    void copy();
    void addHumanMessage();
    void changeModel();

    Engine *m_engine;
    TranscriptView *m_view;
    QWidget *m_window;
    bool m_readOnly = false;
    QAction *m_retry;
    QAction *m_regenerate;
    QAction *m_edit;
    QAction *m_fork;
    QAction *m_copy;
    QAction *m_original;
    QAction *m_humanMessage;
    QAction *m_changeModel;
};

} // namespace Crosstalk
