// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/enumtraits.h"
#include "conversation/sessionoptions.h"

#include <QLatin1StringView>
#include <QList>
#include <QString>

#include <array>
#include <cstddef>

namespace Crosstalk {

// Who sees whom and who speaks when (PRODUCT.md §2, docs/paradigms.md).
enum class Paradigm
{
    Memory,
    Report,
    Relay,
    Debate,
    Roundtable,
    Moderated,
};

// Text about a paradigm that people read: the window shows it translated (context
// "Crosstalk::Paradigm"); the REST API, MCP and the command line show it as written.
struct ParadigmText
{
    const char *source;

    QString english() const { return QString::fromUtf8(source); }
    QString translated() const;
};

// The shapes of the paradigms, generalised to n participants (named by their index in the
// session's list): the participants whose messages `listener` receives. In topology.cpp, with
// what follows from them (topology.h).
namespace Topology {
QList<int> bus(int count, int listener);  // everyone sees everyone
QList<int> star(int count, int listener); // the first is the hub
QList<int> ring(int count, int listener); // each sees the one before
QList<int> tree(int count, int listener); // a judge over the debaters, from three on
} // namespace Topology

// One paradigm, as every part of the program names, describes and runs it.
struct ParadigmInfo
{
    Paradigm paradigm;
    // In the session document, the store, the REST API, MCP, presets and the command line.
    QLatin1StringView name;
    ParadigmText label;
    // The shape, as the Exchange-of-Thought paper names it: "bus", "star"…
    QLatin1StringView topology;
    // The topology in one sentence.
    ParadigmText description;
    QList<int> (*sources)(int count, int listener);
    Schedule defaultSchedule;
    // Whether a session's `schedule` option can change it.
    bool scheduleOptional;
};

// Every paradigm, in the order of the enum and of docs/paradigms.md: the new-session dialog,
// the session list, exports, the command line's help, `GET /v1/paradigms` and the MCP tool
// schema list them from here.
inline constexpr std::array<ParadigmInfo, 6> paradigmTable{{
    {Paradigm::Memory,
     QLatin1StringView("memory"),
     {QT_TRANSLATE_NOOP("Crosstalk::Paradigm", "Memory")},
     QLatin1StringView("bus"),
     {QT_TRANSLATE_NOOP("Crosstalk::Paradigm", "Everyone sees everyone.")},
     &Topology::bus,
     Schedule::Parallel,
     true},
    {Paradigm::Report,
     QLatin1StringView("report"),
     {QT_TRANSLATE_NOOP("Crosstalk::Paradigm", "Report")},
     QLatin1StringView("star"),
     {QT_TRANSLATE_NOOP("Crosstalk::Paradigm",
                        "Participant 1 is the hub and sees all; every other participant sees "
                        "only the hub.")},
     &Topology::star,
     Schedule::Parallel,
     true},
    {Paradigm::Relay,
     QLatin1StringView("relay"),
     {QT_TRANSLATE_NOOP("Crosstalk::Paradigm", "Relay")},
     QLatin1StringView("ring"),
     {QT_TRANSLATE_NOOP("Crosstalk::Paradigm",
                        "Participant i sees participant i-1, and participant 1 sees the last; "
                        "ideas travel around the ring one step per round.")},
     &Topology::ring,
     Schedule::Parallel,
     true},
    {Paradigm::Debate,
     QLatin1StringView("debate"),
     {QT_TRANSLATE_NOOP("Crosstalk::Paradigm", "Debate")},
     QLatin1StringView("tree"),
     {QT_TRANSLATE_NOOP("Crosstalk::Paradigm",
                        "The last participant is the judge and sees all; the others debate and "
                        "see each other; with 2 participants both debate and there is no "
                        "judge.")},
     &Topology::tree,
     Schedule::Parallel,
     true},
    {Paradigm::Roundtable,
     QLatin1StringView("roundtable"),
     {QT_TRANSLATE_NOOP("Crosstalk::Paradigm", "Roundtable")},
     QLatin1StringView("group chat"),
     {QT_TRANSLATE_NOOP("Crosstalk::Paradigm",
                        "Sequential turns in list order; everyone sees the whole shared "
                        "history.")},
     &Topology::bus,
     Schedule::Sequential,
     false},
    {Paradigm::Moderated,
     QLatin1StringView("moderated"),
     {QT_TRANSLATE_NOOP("Crosstalk::Paradigm", "Moderated")},
     QLatin1StringView("chaired discussion"),
     {QT_TRANSLATE_NOOP("Crosstalk::Paradigm",
                        "In each round every participant speaks once, in an order a moderator "
                        "model chooses turn by turn; everyone sees everything.")},
     &Topology::bus,
     Schedule::Sequential,
     false},
}};

static_assert(
    [] {
        for (std::size_t i = 0; i < paradigmTable.size(); ++i)
            if (std::size_t(paradigmTable[i].paradigm) != i)
                return false;
        return true;
    }(),
    "paradigmTable lists the paradigms in the order of the enum");

constexpr const ParadigmInfo &paradigmInfo(Paradigm paradigm)
{
    return paradigmTable[std::size_t(paradigm)];
}

template<>
struct EnumTraits<Paradigm>
{
    static constexpr std::array<EnumName<Paradigm>, paradigmTable.size()> names = [] {
        std::array<EnumName<Paradigm>, paradigmTable.size()> result{};
        for (std::size_t i = 0; i < paradigmTable.size(); ++i)
            result[i] = {paradigmTable[i].paradigm, paradigmTable[i].name};
        return result;
    }();
};

} // namespace Crosstalk
