// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "conversation/paradigm.h"

#include <QList>

namespace Crosstalk {

// Who receives whose messages, and who speaks when, for each paradigm (PRODUCT.md §2), as
// paradigmTable says; participants are named by their index in the session's list.
namespace Topology {

// The participants whose messages `listener` receives.
QList<int> sources(Paradigm paradigm, int count, int listener);

// The participants who receive the messages of `speaker`: exactly those whose later requests
// include them.
QList<int> recipients(Paradigm paradigm, int count, int speaker);

// Debate with three or more participants: the last one judges, speaks after the debaters in
// every round, and gives the verdict in the last.
bool isJudge(Paradigm paradigm, int count, int index);

// Whether the participants of a round take turns (each seeing what its sources said earlier
// in the round) rather than all being asked at once: the session's schedule where the
// paradigm lets it choose, else the paradigm's own.
bool takesTurns(Paradigm paradigm, Schedule schedule);

} // namespace Topology
} // namespace Crosstalk
