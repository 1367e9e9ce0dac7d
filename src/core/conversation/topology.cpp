// SPDX-License-Identifier: GPL-3.0-or-later
#include "conversation/topology.h"

namespace Crosstalk::Topology {

bool isJudge(Paradigm paradigm, int count, int index)
{
    return paradigm == Paradigm::Debate && count >= 3 && index == count - 1;
}

QList<int> sources(Paradigm paradigm, int count, int listener)
{
    QList<int> result;
    const auto add = [&](int index) {
        if (index != listener)
            result.append(index);
    };
    switch (paradigm) {
    case Paradigm::Memory:
    case Paradigm::Roundtable:
    case Paradigm::Moderated:
        for (int i = 0; i < count; ++i)
            add(i);
        break;
    case Paradigm::Report: // star: the hub sees all, the others see the hub
        if (listener == 0) {
            for (int i = 1; i < count; ++i)
                add(i);
        } else {
            add(0);
        }
        break;
    case Paradigm::Relay: // ring: participant i sees i-1, the first sees the last
        add((listener + count - 1) % count);
        break;
    case Paradigm::Debate: // tree: the judge sees all, the debaters see each other
        for (int i = 0; i < count; ++i)
            if (isJudge(paradigm, count, listener) || !isJudge(paradigm, count, i))
                add(i);
        break;
    }
    return result;
}

QList<int> recipients(Paradigm paradigm, int count, int speaker)
{
    QList<int> result;
    for (int listener = 0; listener < count; ++listener)
        if (listener != speaker && sources(paradigm, count, listener).contains(speaker))
            result.append(listener);
    return result;
}

bool takesTurns(Paradigm paradigm, Schedule schedule)
{
    return paradigm == Paradigm::Roundtable || paradigm == Paradigm::Moderated ||
           schedule == Schedule::Sequential;
}

} // namespace Crosstalk::Topology
