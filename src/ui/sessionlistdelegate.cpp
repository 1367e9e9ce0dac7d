// SPDX-License-Identifier: GPL-3.0-or-later
#include "sessionlistdelegate.h"

#include "conversation/session.h"
#include "messagedelegate.h"
#include "sessionlistmodel.h"
#include "storage/sessionstore.h"

#include <QApplication>
#include <QLocale>
#include <QPainter>

using namespace Qt::StringLiterals;

namespace Crosstalk {

namespace {

constexpr int kMargin = 8;
constexpr int kLineGap = 3;

QFont smallFont(const QFont &base)
{
    QFont font = base;
    font.setPointSizeF(base.pointSizeF() * 0.85);
    return font;
}

QString statusText(SessionStatus status)
{
    switch (status) {
    case SessionStatus::Configured:
        return SessionListDelegate::tr("not started");
    case SessionStatus::Running:
        return SessionListDelegate::tr("running");
    case SessionStatus::Paused:
        return SessionListDelegate::tr("paused");
    case SessionStatus::Completed:
        return SessionListDelegate::tr("completed");
    case SessionStatus::Failed:
        return SessionListDelegate::tr("failed");
    case SessionStatus::Cancelled:
        return SessionListDelegate::tr("stopped");
    case SessionStatus::Interrupted:
        return SessionListDelegate::tr("interrupted");
    }
    return {};
}

// Hues of the KDE colour scheme: positive, neutral, negative, active.
QColor statusColour(SessionStatus status, const QColor &background, const QPalette &palette)
{
    QColor c = palette.color(QPalette::PlaceholderText);
    switch (status) {
    case SessionStatus::Running:
        c = QColor(0x3d, 0xae, 0xe9);
        break;
    case SessionStatus::Completed:
        c = QColor(0x27, 0xae, 0x60);
        break;
    case SessionStatus::Paused:
    case SessionStatus::Interrupted:
        c = QColor(0xf6, 0x74, 0x00);
        break;
    case SessionStatus::Failed:
        c = QColor(0xda, 0x44, 0x53);
        break;
    case SessionStatus::Configured:
    case SessionStatus::Cancelled:
        break;
    }
    return MessageDelegate::readableColour(c, background);
}

} // namespace

QString SessionListDelegate::relativeTime(const QDateTime &when, const QDateTime &now)
{
    const qint64 seconds = when.secsTo(now);
    if (seconds < 60)
        return tr("just now");
    if (seconds < 3600)
        return tr("%n min ago", nullptr, int(seconds / 60));
    const QDate day = when.toLocalTime().date();
    const QDate today = now.toLocalTime().date();
    if (day == today)
        return tr("%n h ago", nullptr, int(seconds / 3600));
    if (day.daysTo(today) == 1)
        return tr("yesterday");
    return QLocale().toString(day, QLocale::ShortFormat);
}

QSize SessionListDelegate::sizeHint(const QStyleOptionViewItem &option,
                                    const QModelIndex &index) const
{
    const QFontMetrics title(option.font);
    const QFontMetrics small(smallFont(option.font));
    int height = 2 * kMargin + title.height() + kLineGap + small.height();
    if (!index.data(SessionListModel::RunningElsewhereRole).toString().isEmpty())
        height += kLineGap + small.height();
    if (!index.data(SessionListModel::ForkNoteRole).toString().isEmpty())
        height += kLineGap + small.height();
    if (!index.data(SessionListModel::SnippetRole).toString().isEmpty())
        height += kLineGap + small.height();
    return {option.rect.width(), height};
}

void SessionListDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                                const QModelIndex &index) const
{
    const bool selected = option.state & QStyle::State_Selected;
    const QPalette::ColorGroup group =
        option.state & QStyle::State_Active ? QPalette::Active : QPalette::Inactive;
    const QColor base = option.palette.color(group, QPalette::Base);
    // The selection is a tint of the highlight with a bar of it on the left, under the usual
    // text colours: Breeze Dark's highlight is too light for its white highlighted text.
    QColor background = base;
    if (selected) {
        const QColor highlight = option.palette.color(group, QPalette::Highlight);
        background = MessageDelegate::mix(base, highlight, base.lightnessF() < 0.5 ? 0.32 : 0.2);
        painter->fillRect(option.rect, background);
        painter->fillRect(QRect(option.rect.topLeft(), QSize(3, option.rect.height())), highlight);
    } else {
        // Hover as the style draws it.
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        opt.text.clear();
        const QWidget *widget = option.widget;
        QStyle *style = widget ? widget->style() : QApplication::style();
        style->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, painter, widget);
    }

    // Where the keyboard is, chosen row or not: a frame in the highlight colour.
    if (option.state & QStyle::State_HasFocus) {
        painter->save();
        painter->setPen(QPen(option.palette.color(group, QPalette::Highlight), 1));
        painter->setBrush(Qt::NoBrush);
        painter->drawRect(option.rect.adjusted(0, 0, -1, -1));
        painter->restore();
    }

    const QColor text = option.palette.color(group, QPalette::Text);
    const QColor muted = MessageDelegate::readableColour(
        option.palette.color(group, QPalette::PlaceholderText), background);

    const QRect area = option.rect.adjusted(kMargin, kMargin, -kMargin, -kMargin);
    QFont titleFont = option.font;
    titleFont.setBold(true);
    const QFontMetrics titleMetrics(titleFont);
    const QFont small = smallFont(option.font);
    const QFontMetrics smallMetrics(small);

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setFont(titleFont);
    painter->setPen(text);
    const QRect titleRect(area.left(), area.top(), area.width(), titleMetrics.height());
    painter->drawText(titleRect, Qt::AlignLeft | Qt::AlignVCenter,
                      titleMetrics.elidedText(index.data(SessionListModel::TitleRole).toString(),
                                              Qt::ElideRight, area.width()));

    // Second line: badge, then "debate · round 2 of 5", the time on the right.
    const auto status = index.data(SessionListModel::StatusRole).value<SessionStatus>();
    const int lineTop = titleRect.bottom() + 1 + kLineGap;
    const QRect line(area.left(), lineTop, area.width(), smallMetrics.height());
    painter->setFont(small);
    const QString badge = statusText(status);
    const int badgeWidth = smallMetrics.horizontalAdvance(badge) + 12;
    const QRect badgeRect(line.left(), line.top(), badgeWidth, line.height());
    const QColor badgeColour = statusColour(status, background, option.palette);
    painter->setPen(QPen(badgeColour, 1));
    painter->setBrush(Qt::NoBrush);
    painter->drawRoundedRect(QRectF(badgeRect).adjusted(0.5, 0.5, -0.5, -0.5), 7, 7);
    painter->drawText(badgeRect, Qt::AlignCenter, badge);

    const QString when = relativeTime(index.data(SessionListModel::UpdatedRole).toDateTime(),
                                      QDateTime::currentDateTimeUtc());
    const int whenWidth = smallMetrics.horizontalAdvance(when);
    painter->setPen(muted);
    painter->drawText(line, Qt::AlignRight | Qt::AlignVCenter, when);
    const int rounds = index.data(SessionListModel::RoundsRole).toInt();
    const int done = index.data(SessionListModel::CompletedRoundsRole).toInt();
    const QString details =
        tr("%1 · round %2 of %3")
            .arg(paradigmInfo(index.data(SessionListModel::ParadigmRole).value<Paradigm>())
                     .label.translated())
            .arg(std::min(done + (status == SessionStatus::Completed ? 0 : 1), rounds))
            .arg(rounds);
    const QRect detailsRect = line.adjusted(badgeWidth + 6, 0, -whenWidth - 6, 0);
    painter->drawText(detailsRect, Qt::AlignLeft | Qt::AlignVCenter,
                      smallMetrics.elidedText(details, Qt::ElideRight, detailsRect.width()));

    int nextTop = line.bottom() + 1 + kLineGap;
    const auto drawNote = [&](const QString &note) {
        const QRect rect(area.left(), nextTop, area.width(), smallMetrics.height());
        painter->drawText(rect, Qt::AlignLeft | Qt::AlignVCenter,
                          smallMetrics.elidedText(note, Qt::ElideRight, rect.width()));
        nextTop = rect.bottom() + 1 + kLineGap;
    };
    if (const QString fork = index.data(SessionListModel::ForkNoteRole).toString(); !fork.isEmpty())
        drawNote(fork);
    const QString elsewhere = index.data(SessionListModel::RunningElsewhereRole).toString();
    if (!elsewhere.isEmpty())
        drawNote(tr("Runs in %1 (read-only)").arg(elsewhere));
    // Where the search matched, the matched words in bold and in the text colour.
    const QString snippet = index.data(SessionListModel::SnippetRole).toString();
    if (!snippet.isEmpty()) {
        QFont matchFont = small;
        matchFont.setBold(true);
        int x = area.left();
        const int right = area.right();
        const QFontMetrics matchMetrics(matchFont);
        const QString ellipsis = u"…"_s;
        // Plain and matched runs, from the markers the search put around the matches.
        QList<std::pair<QString, bool>> runs;
        const QStringList pieces = snippet.simplified().split(SearchHit::matchStart);
        for (qsizetype p = 0; p < pieces.size(); ++p) {
            const qsizetype end = p == 0 ? -1 : pieces.at(p).indexOf(SearchHit::matchEnd);
            if (end < 0) {
                runs.append({pieces.at(p), p > 0});
                continue;
            }
            runs.append({pieces.at(p).left(end), true});
            runs.append({pieces.at(p).mid(end + 1), false});
        }
        for (const auto &[run, match] : std::as_const(runs)) {
            if (x >= right)
                break;
            painter->setFont(match ? matchFont : small);
            painter->setPen(match ? text : muted);
            const QFontMetrics &metrics = match ? matchMetrics : smallMetrics;
            QString shown = run;
            if (x + metrics.horizontalAdvance(shown) > right) {
                shown = metrics.elidedText(shown, Qt::ElideRight, right - x);
                if (shown.isEmpty())
                    shown = ellipsis;
            }
            painter->drawText(QRect(x, nextTop, right - x, smallMetrics.height()),
                              Qt::AlignLeft | Qt::AlignVCenter, shown);
            x += metrics.horizontalAdvance(shown);
        }
    }
    painter->restore();
}

} // namespace Crosstalk
