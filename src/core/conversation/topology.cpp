// SPDX-License-Identifier: GPL-3.0-or-later
#include "conversation/topology.h"

using namespace Qt::StringLiterals;

namespace Crosstalk::Topology {

QString topologyName(Paradigm paradigm)
{
    switch (paradigm) {
    case Paradigm::Memory:
        return u"bus"_s;
    case Paradigm::Report:
        return u"star"_s;
    case Paradigm::Relay:
        return u"ring"_s;
    case Paradigm::Debate:
        return u"tree"_s;
    case Paradigm::Roundtable:
        return u"group chat"_s;
    case Paradigm::Moderated:
        return u"chaired discussion"_s;
    }
    return {};
}

QString description(Paradigm paradigm)
{
    switch (paradigm) {
    case Paradigm::Memory:
        return u"Everyone sees everyone."_s;
    case Paradigm::Report:
        return u"Participant 1 is the hub and sees all; every other participant sees only the "
               "hub."_s;
    case Paradigm::Relay:
        return u"Participant i sees participant i-1, and participant 1 sees the last; ideas "
               "travel around the ring one step per round."_s;
    case Paradigm::Debate:
        return u"The last participant is the judge and sees all; the others debate and see each "
               "other; with 2 participants both debate and there is no judge."_s;
    case Paradigm::Roundtable:
        return u"Sequential turns in list order; everyone sees the whole shared history."_s;
    case Paradigm::Moderated:
        return u"In each round every participant speaks once, in an order a moderator model "
               "chooses turn by turn; everyone sees everything."_s;
    }
    return {};
}

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
