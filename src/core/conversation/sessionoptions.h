// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/enumtraits.h"

#include <QString>

#include <array>
#include <optional>

namespace Crosstalk {

// Whether the requests of a round are in flight together or take turns in list order.
enum class Schedule
{
    Parallel,
    Sequential,
};

template<>
struct EnumTraits<Schedule>
{
    static constexpr std::array<EnumName<Schedule>, 2> names{{
        {Schedule::Parallel, QLatin1StringView("parallel")},
        {Schedule::Sequential, QLatin1StringView("sequential")},
    }};
};

struct SessionOptions
{
    static constexpr int defaultContextWindow = 10;

    bool answerMode = false;
    Schedule schedule = Schedule::Parallel;
    // How many of the latest visible messages a request carries.
    int contextWindow = defaultContextWindow;
    bool summariseDropped = false;
    // Model alias that writes summaries of dropped messages; empty means the speaker's own.
    QString summariserModel;
    // Model alias choosing turns in the moderated paradigm; empty means the first participant's.
    QString moderatorModel;
    std::optional<qint64> budgetTokens;
    // In US dollars.
    std::optional<double> budgetCost;

    bool operator==(const SessionOptions &) const = default;
};

} // namespace Crosstalk
