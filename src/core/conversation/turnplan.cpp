// SPDX-License-Identifier: GPL-3.0-or-later
#include "conversation/turnplan.h"

#include "conversation/answers.h"
#include "conversation/topology.h"

#include <algorithm>

namespace Crosstalk::TurnPlan {

namespace {

Step startTurns(QList<ContextBuilder::Turn> turns)
{
    Step step;
    step.kind = Step::Kind::StartTurns;
    step.turns = std::move(turns);
    return step;
}

ContextBuilder::Turn turn(const Session &session, int participant, int round, int visibleBefore)
{
    return {participant, round, turnType(session, participant, round), visibleBefore};
}

// A turn of a round before `limit` is still streaming.
bool streamingBefore(const Session &session, int limit)
{
    return std::any_of(session.messages.cbegin(), session.messages.cend(), [&](const Message &m) {
        return m.isTurn() && m.round < limit && m.status == MessageStatus::Streaming;
    });
}

// A verdict is in, or on its way.
bool hasVerdict(const Session &session)
{
    return std::any_of(session.messages.cbegin(), session.messages.cend(), [](const Message &m) {
        return m.type == MessageType::Verdict &&
               (m.status == MessageStatus::Complete || m.status == MessageStatus::Streaming);
    });
}

} // namespace

bool hasSpoken(const Session &session, int participant, int round)
{
    const QString &name = session.participants.at(participant).name;
    return std::any_of(session.messages.cbegin(), session.messages.cend(), [&](const Message &m) {
        // A partial reply (stopped, cut off, left by a crash) stays in the transcript, and the
        // turn is asked again when the session goes on.
        return m.isTurn() && m.round == round && m.speaker == name &&
               (m.status == MessageStatus::Complete || m.status == MessageStatus::Streaming);
    });
}

int currentRound(const Session &session)
{
    const int count = int(session.participants.size());
    for (int round = 0; round < session.rounds; ++round)
        for (int p = 0; p < count; ++p)
            if (!hasSpoken(session, p, round))
                return round;
    return session.rounds;
}

int nextSeq(const Session &session)
{
    int seq = 0;
    for (const Message &message : session.messages)
        seq = std::max(seq, message.seq + 1);
    return seq;
}

int roundStartSeq(const Session &session, int round)
{
    int start = nextSeq(session);
    for (const Message &message : session.messages)
        if (message.isTurn() && message.round == round)
            start = std::min(start, message.seq);
    return start;
}

MessageType turnType(const Session &session, int participant, int round)
{
    const int count = int(session.participants.size());
    if (Topology::isJudge(session.paradigm, count, participant) && round == session.rounds - 1)
        return MessageType::Verdict;
    return round == 0 ? MessageType::Opening : MessageType::Exchange;
}

Step next(const Session &session, const RunState &state)
{
    if (session.status != SessionStatus::Running || state.failurePending)
        return {};
    const int round = currentRound(session);
    const bool busy = state.busy;
    // Answer mode stops once everyone who answered in a round agrees.
    const bool agreed =
        session.options.answerMode && round > 0 && !busy && Answers::unanimous(session, round - 1);
    if (round >= session.rounds || agreed) {
        // A debate stopped early on agreement still ends with the judge's verdict, given in
        // the round that was not needed.
        const int count = int(session.participants.size());
        if (agreed && round < session.rounds && !busy &&
            Topology::isJudge(session.paradigm, count, count - 1) && !hasVerdict(session))
            return startTurns({{count - 1, round, MessageType::Verdict, nextSeq(session)}});
        Step step;
        if (!busy)
            step.kind = Step::Kind::Complete;
        return step;
    }
    const int count = int(session.participants.size());
    QList<int> pending;
    for (int p = 0; p < count; ++p)
        if (!hasSpoken(session, p, round))
            pending << p;

    if (session.paradigm == Paradigm::Moderated) {
        if (busy)
            return {};
        if (pending.size() == 1)
            return startTurns({turn(session, pending.first(), round, nextSeq(session))});
        if (state.moderatorChoice && pending.contains(*state.moderatorChoice)) {
            Step step =
                startTurns({turn(session, *state.moderatorChoice, round, nextSeq(session))});
            step.spendsModeratorChoice = true;
            return step;
        }
        Step step;
        step.kind = Step::Kind::AskModerator;
        step.round = round;
        step.pending = pending;
        return step;
    }
    if (Topology::takesTurns(session.paradigm, session.options.schedule)) {
        if (busy)
            return {};
        return startTurns({turn(session, pending.first(), round, nextSeq(session))});
    }
    // A round in flight must finish before the next one starts: its replies are the next
    // round's context.
    if (streamingBefore(session, round))
        return {};
    const int judge = Topology::isJudge(session.paradigm, count, count - 1) ? count - 1 : -1;
    QList<ContextBuilder::Turn> turns;
    const int visibleBefore = roundStartSeq(session, round);
    for (int p : std::as_const(pending))
        if (p != judge)
            turns << turn(session, p, round, visibleBefore);
    if (!turns.isEmpty())
        return startTurns(turns);
    // The judge weighs the debaters' replies of this very round, so it speaks after them.
    if (!streamingBefore(session, round + 1) && !busy && pending.contains(judge))
        return startTurns({turn(session, judge, round, nextSeq(session))});
    return {};
}

} // namespace Crosstalk::TurnPlan
