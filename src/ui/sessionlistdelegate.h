// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QStyledItemDelegate>

namespace Crosstalk {

// Paints a session list row (SessionListModel): the title, then the paradigm, a status badge,
// the progress in rounds and how long ago it changed; a note when another process runs it.
class SessionListDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // "just now", "5 min ago", "3 h ago", "yesterday" or the date.
    static QString relativeTime(const QDateTime &when, const QDateTime &now);
};

} // namespace Crosstalk
