// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStatusBar>

class QLabel;
class QProgressBar;

namespace Crosstalk {

struct Session;

// The window's status bar: passing messages on the left, and on the right the open session's
// round, tokens, cost, elapsed time and progress in rounds.
class SessionStatusBar : public QStatusBar
{
    Q_OBJECT

public:
    explicit SessionStatusBar(QWidget *parent = nullptr);

    // The figures of `session`, or none when it is null. The elapsed time is the time spent on
    // replies (Session::activeMs), up to now for one still streaming.
    void showSession(const Session *session);
    // Something that went wrong, shown for ten seconds.
    void showError(const QString &message);
    // Something done, shown for five seconds.
    void showNote(const QString &message);

private:
    void setFigure(QLabel *label, const QString &text);

    QLabel *m_round;
    QLabel *m_tokens;
    QLabel *m_cost;
    QLabel *m_elapsed;
    QProgressBar *m_progress;
};

} // namespace Crosstalk
