// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "conversation/session.h"

#include <QList>

namespace Crosstalk {

// Who receives whose messages, and who speaks when, for each paradigm (PRODUCT.md §2). The
// four classic paradigms are the Exchange-of-Thought topologies generalised to n participants;
// participants are named by their index in the session's list.
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
// in the round) rather than all being asked at once.
bool takesTurns(Paradigm paradigm, Schedule schedule);

// The paradigm's topology in one sentence (docs/paradigms.md), in English: the REST API and
// the command line list the paradigms with these.
QString topologyName(Paradigm paradigm);
QString description(Paradigm paradigm);

} // namespace Topology
} // namespace Crosstalk
