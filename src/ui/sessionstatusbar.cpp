// SPDX-License-Identifier: GPL-3.0-or-later
#include "sessionstatusbar.h"

#include "conversation/session.h"

#include <QLabel>
#include <QProgressBar>

using namespace Qt::StringLiterals;

namespace Crosstalk {

namespace {

QString formatDuration(qint64 ms)
{
    const qint64 seconds = ms / 1000;
    return seconds >= 3600 ? u"%1:%2:%3"_s.arg(seconds / 3600)
                                 .arg(seconds / 60 % 60, 2, 10, QChar(u'0'))
                                 .arg(seconds % 60, 2, 10, QChar(u'0'))
                           : u"%1:%2"_s.arg(seconds / 60).arg(seconds % 60, 2, 10, QChar(u'0'));
}

} // namespace

SessionStatusBar::SessionStatusBar(QWidget *parent)
    : QStatusBar(parent)
{
    m_round = new QLabel(this);
    m_round->setAccessibleName(tr("Round"));
    m_tokens = new QLabel(this);
    m_tokens->setAccessibleName(tr("Tokens"));
    m_cost = new QLabel(this);
    m_cost->setAccessibleName(tr("Cost"));
    m_elapsed = new QLabel(this);
    m_elapsed->setAccessibleName(tr("Elapsed time"));
    m_progress = new QProgressBar(this);
    m_progress->setAccessibleName(tr("Progress in rounds"));
    m_progress->setMaximumWidth(160);
    m_progress->setTextVisible(false);
    for (QLabel *label : {m_round, m_tokens, m_cost, m_elapsed}) {
        label->setContentsMargins(8, 0, 8, 0);
        addPermanentWidget(label);
    }
    addPermanentWidget(m_progress);
}

void SessionStatusBar::showError(const QString &message)
{
    showMessage(message, 10000);
}

void SessionStatusBar::showNote(const QString &message)
{
    showMessage(message, 5000);
}

void SessionStatusBar::setFigure(QLabel *label, const QString &text)
{
    // A label whose size may change lays the whole window out again at every new text (the
    // elapsed time each second, the tokens at each reply): the figures keep a fixed size,
    // widened only when a text needs more room.
    label->setText(text);
    const QSize hint = label->sizeHint();
    const bool fixed = label->minimumSize() == label->maximumSize();
    if (!fixed || hint.width() > label->maximumWidth() || hint.height() != label->maximumHeight())
        label->setFixedSize(std::max(hint.width(), fixed ? label->maximumWidth() : 0),
                            hint.height());
}

void SessionStatusBar::showSession(const Session *session)
{
    for (QWidget *figure :
         std::initializer_list<QWidget *>{m_round, m_tokens, m_cost, m_elapsed, m_progress})
        figure->setVisible(session != nullptr);
    if (!session)
        return;
    const int completed = session->completedRounds();
    const int current = session->status == SessionStatus::Completed
                            ? session->rounds
                            : std::min(completed + 1, std::max(1, session->rounds));
    setFigure(m_round, tr("Round %1 of %2").arg(current).arg(session->rounds));
    const qint64 tokens = session->usage.tokensIn + session->usage.tokensOut;
    setFigure(m_tokens, session->usage.estimated ? tr("≈ %L1 tokens").arg(tokens)
                                                 : tr("%L1 tokens").arg(tokens));
    setFigure(m_cost, session->usage.cost > 0 ? tr("$%L1").arg(session->usage.cost, 0, 'f', 4)
                                              : tr("no cost"));
    // Time spent on replies: a pause, however long, adds nothing.
    const qint64 elapsedMs = session->activeMs(QDateTime::currentDateTimeUtc());
    setFigure(m_elapsed, tr("%1 elapsed").arg(formatDuration(elapsedMs)));
    m_progress->setRange(0, std::max(1, session->rounds));
    m_progress->setValue(std::min(completed, session->rounds));
}

} // namespace Crosstalk
