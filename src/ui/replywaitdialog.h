// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QProgressDialog>
#include <QUuid>

namespace Crosstalk {

class Engine;

// Shown when the window closes while paused sessions' replies still stream, so that none is
// cut short: says how many replies it waits for, and says done() once they are in or the
// person chose Quit Now.
class ReplyWaitDialog : public QProgressDialog
{
    Q_OBJECT

public:
    ReplyWaitDialog(Engine *engine, const QList<QUuid> &sessions, QWidget *parent);

    // Replies still streaming in these sessions.
    static int repliesInFlight(const Engine &engine, const QList<QUuid> &sessions);

Q_SIGNALS:
    void done();

private:
    void update();

    Engine *m_engine;
    QList<QUuid> m_sessions;
    bool m_done = false;
};

} // namespace Crosstalk
