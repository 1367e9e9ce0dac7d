// SPDX-License-Identifier: GPL-3.0-or-later
#include "conversation/session.h"

#include <QSet>

#include <algorithm>
#include <limits>

namespace Crosstalk {

QString Session::titleFromTopic(const QString &topic)
{
    return topic.trimmed().section(u'\n', 0, 0).trimmed();
}

bool Session::isSettled() const
{
    return !isRunning(status) &&
           std::none_of(messages.cbegin(), messages.cend(),
                        [](const Message &m) { return m.status == MessageStatus::Streaming; });
}

qint64 Session::activeMs(const QDateTime &now) const
{
    QList<std::pair<qint64, qint64>> spans; // [start, end) in ms since the epoch
    for (const Message &m : messages) {
        if (!m.createdAt.isValid())
            continue;
        const qint64 start = m.createdAt.toMSecsSinceEpoch();
        const qint64 end = m.status == MessageStatus::Streaming && !m.durationMs
                               ? now.toMSecsSinceEpoch()
                               : start + m.durationMs.value_or(0);
        if (end > start)
            spans.append({start, end});
    }
    std::sort(spans.begin(), spans.end());
    qint64 total = 0;
    qint64 coveredUntil = std::numeric_limits<qint64>::min();
    for (const auto &[start, end] : std::as_const(spans)) {
        const qint64 from = std::max(start, coveredUntil);
        if (end > from)
            total += end - from;
        coveredUntil = std::max(coveredUntil, end);
    }
    return total;
}

int Session::completedRounds() const
{
    // One pass over the messages: who completed a turn in which round.
    QList<QSet<QString>> spoke(std::max(0, rounds));
    for (const Message &message : messages) {
        if (message.isTurn() && message.status == MessageStatus::Complete && message.round >= 0 &&
            message.round < rounds) {
            spoke[message.round].insert(message.speaker);
        }
    }
    int completed = 0;
    for (const QSet<QString> &speakers : std::as_const(spoke)) {
        const bool everyoneSpoke =
            std::all_of(participants.cbegin(), participants.cend(),
                        [&speakers](const Participant &p) { return speakers.contains(p.name); });
        if (!everyoneSpoke) {
            break;
        }
        ++completed;
    }
    return completed;
}

} // namespace Crosstalk
