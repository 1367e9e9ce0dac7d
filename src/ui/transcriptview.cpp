// SPDX-License-Identifier: GPL-3.0-or-later
#include "transcriptview.h"

#include "messagedelegate.h"
#include "transcriptmodel.h"

#include <QEvent>
#include <QScrollBar>
#include <QTimer>

namespace Crosstalk {

TranscriptView::TranscriptView(QWidget *parent)
    : QListView(parent)
    , m_delegate(new MessageDelegate(this))
{
    setItemDelegate(m_delegate);
    setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setResizeMode(QListView::Adjust);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setUniformItemSizes(false);
    setWordWrap(true);
    setFrameShape(QFrame::NoFrame);
    setSpacing(0);
    viewport()->setBackgroundRole(QPalette::Base);
}

bool TranscriptView::atBottom() const
{
    const QScrollBar *bar = verticalScrollBar();
    return bar->value() >= bar->maximum() - 4;
}

void TranscriptView::followIfAtBottom(bool wasAtBottom)
{
    if (!wasAtBottom)
        return;
    // After the delayed layout has given the rows their new heights.
    QTimer::singleShot(0, this, [this] { scrollToBottom(); });
}

void TranscriptView::dataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                                 const QList<int> &roles)
{
    const bool wasAtBottom = atBottom();
    QListView::dataChanged(topLeft, bottomRight, roles);
    // QListView keeps row heights until told otherwise; text and status change them.
    if (roles.isEmpty() || roles.contains(TranscriptModel::ContentRole) ||
        roles.contains(TranscriptModel::StatusRole) ||
        roles.contains(TranscriptModel::FirstOfRoundRole)) {
        scheduleDelayedItemsLayout();
        followIfAtBottom(wasAtBottom);
    }
}

void TranscriptView::rowsInserted(const QModelIndex &parent, int start, int end)
{
    const bool wasAtBottom = atBottom();
    QListView::rowsInserted(parent, start, end);
    followIfAtBottom(wasAtBottom);
}

void TranscriptView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) {
        m_delegate->clearCache();
        scheduleDelayedItemsLayout();
    }
    QListView::changeEvent(event);
}

} // namespace Crosstalk
