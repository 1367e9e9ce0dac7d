// SPDX-License-Identifier: GPL-3.0-or-later
#include "conversation/session.h"

#include <QSet>

#include <algorithm>

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
