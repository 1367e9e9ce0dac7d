// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "conversation/contextbuilder.h"
#include "conversation/session.h"

#include <QList>

#include <optional>

namespace Crosstalk {

// Which turns of a session may start now (PRODUCT.md §2, docs/paradigms.md): pure functions
// over the session and the little a run holds beside it, so that the order of turns is decided
// in one place and tested without a network. SessionRun carries out what they say.
namespace TurnPlan {

// What a run knows that the session does not.
struct RunState
{
    // A reply is in flight, or waits for its key.
    bool busy = false;
    // A reply of this round failed: nothing new starts; the run pauses once the others settle.
    bool failurePending = false;
    // The moderated paradigm: the participant the moderator chose, not yet given the turn.
    std::optional<int> moderatorChoice;
};

struct Step
{
    enum class Kind
    {
        Wait,         // nothing can start now
        Complete,     // the session is done
        StartTurns,   // start `turns`, in this order
        AskModerator, // ask the moderator which of `pending` speaks next in `round`
    };

    Kind kind = Kind::Wait;
    QList<ContextBuilder::Turn> turns;
    // StartTurns: the moderator's choice is given its turn, so the run forgets it.
    bool spendsModeratorChoice = false;
    int round = 0;
    QList<int> pending;
};

// Whether `participant` has a turn in `round` that counts: complete or still streaming (a
// failed or partial one does not, and is asked for again).
bool hasSpoken(const Session &session, int participant, int round);

// The first round in which someone has not spoken; the session's `rounds` when all have.
int currentRound(const Session &session);

// The seq of the next message of the transcript.
int nextSeq(const Session &session);

// Where `round` began in the transcript: the seq of its first turn, or the next seq when it has
// none yet. A parallel round is built from what was said before it, also when some of its turns
// are asked for again after a failure.
int roundStartSeq(const Session &session, int round);

// The debate's judge gives the verdict in the last round; otherwise round 0 opens and later
// rounds exchange.
MessageType turnType(const Session &session, int participant, int round);

// What the run does next: nothing unless the session is running and no failure is pending;
// complete once every round is done or, in answer mode, a round agreed; the moderated
// paradigm gives the turn to the one participant left or to the moderator's choice, else asks
// the moderator; turn-taking schedules start the first participant still to speak; a parallel
// round starts everyone still to speak at once (the judge last, once the debaters finished),
// after the rounds before it have finished streaming.
Step next(const Session &session, const RunState &state);

} // namespace TurnPlan
} // namespace Crosstalk
