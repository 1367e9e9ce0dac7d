// SPDX-License-Identifier: GPL-3.0-or-later
#include "llm/chatrequest.h"

using namespace Qt::StringLiterals;

namespace Crosstalk {

QList<ChatTurn> mergeConsecutiveTurns(const QList<ChatTurn> &turns)
{
    QList<ChatTurn> merged;
    merged.reserve(turns.size());
    for (const ChatTurn &turn : turns) {
        if (!merged.isEmpty() && merged.last().role == turn.role)
            merged.last().content += u"\n\n"_s + turn.content;
        else
            merged.append(turn);
    }
    return merged;
}

qint64 estimateTokens(const QString &text)
{
    return text.isEmpty() ? 0 : (text.size() + 3) / 4;
}

} // namespace Crosstalk
