// SPDX-License-Identifier: GPL-3.0-or-later
#include "conversation/session.h"

#include <QSet>

#include <algorithm>

namespace Crosstalk {

QString Session::titleFromTopic(const QString &topic)
{
    return topic.trimmed().section(u'\n', 0, 0).trimmed();
}

int Session::completedRounds() const
{
    int completed = 0;
    for (int round = 0; round < rounds; ++round) {
        QSet<QString> spoke;
        for (const Message &message : messages) {
            const bool turn = message.type == MessageType::Opening ||
                              message.type == MessageType::Exchange ||
                              message.type == MessageType::Verdict;
            if (turn && message.round == round && message.status == MessageStatus::Complete) {
                spoke.insert(message.speaker);
            }
        }
        const bool everyoneSpoke =
            std::all_of(participants.cbegin(), participants.cend(),
                        [&spoke](const Participant &p) { return spoke.contains(p.name); });
        if (!everyoneSpoke) {
            break;
        }
        ++completed;
    }
    return completed;
}

} // namespace Crosstalk
