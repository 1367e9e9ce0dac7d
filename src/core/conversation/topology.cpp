// SPDX-License-Identifier: GPL-3.0-or-later
#include "conversation/topology.h"

#include <QCoreApplication>

namespace Crosstalk {

QString ParadigmText::translated() const
{
    return QCoreApplication::translate("Crosstalk::Paradigm", source);
}

namespace Topology {

namespace {

// Debate's judge, from three participants on: the last one.
bool judgeOfTree(int count, int index)
{
    return count >= 3 && index == count - 1;
}

} // namespace

QList<int> bus(int count, int listener)
{
    QList<int> result;
    for (int i = 0; i < count; ++i)
        if (i != listener)
            result.append(i);
    return result;
}

QList<int> star(int count, int listener)
{
    if (listener != 0)
        return {0};
    return bus(count, listener);
}

QList<int> ring(int count, int listener)
{
    const int previous = (listener + count - 1) % count;
    if (previous == listener)
        return {};
    return {previous};
}

QList<int> tree(int count, int listener)
{
    QList<int> result;
    for (int i = 0; i < count; ++i)
        if (i != listener && (judgeOfTree(count, listener) || !judgeOfTree(count, i)))
            result.append(i);
    return result;
}

bool isJudge(Paradigm paradigm, int count, int index)
{
    return paradigm == Paradigm::Debate && judgeOfTree(count, index);
}

QList<int> sources(Paradigm paradigm, int count, int listener)
{
    return paradigmInfo(paradigm).sources(count, listener);
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
    const ParadigmInfo &info = paradigmInfo(paradigm);
    return (info.scheduleOptional ? schedule : info.defaultSchedule) == Schedule::Sequential;
}

} // namespace Topology
} // namespace Crosstalk
