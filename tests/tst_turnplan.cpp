// SPDX-License-Identifier: GPL-3.0-or-later
// The order of turns, decided on hand-built sessions: no engine, no network.
#include "conversation/turnplan.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Crosstalk;
using Kind = TurnPlan::Step::Kind;

namespace {

// A running session of `count` participants named A, B, C…
Session running(Paradigm paradigm, int count, int rounds)
{
    Session session;
    session.paradigm = paradigm;
    session.rounds = rounds;
    session.status = SessionStatus::Running;
    for (int i = 0; i < count; ++i)
        session.participants.append(
            {QString(QChar(char16_t(u'A' + i))), u"demo"_s, {}, {}, {}, {}});
    return session;
}

// Appends a message of `speaker` to the transcript, at the next seq.
Message &say(Session &session, const QString &speaker, int round,
             MessageStatus status = MessageStatus::Complete,
             MessageType type = MessageType::Exchange)
{
    Message message;
    message.seq = TurnPlan::nextSeq(session);
    message.round = round;
    message.speaker = speaker;
    message.type = round == 0 && type == MessageType::Exchange ? MessageType::Opening : type;
    message.status = status;
    session.messages.append(message);
    return session.messages.last();
}

// Every participant's turn of `round`, complete.
void finishRound(Session &session, int round)
{
    for (const Participant &p : std::as_const(session.participants))
        say(session, p.name, round);
}

QString typeName(MessageType type)
{
    return enumToString(type);
}

// The step in a line a failing comparison shows: "wait", "complete", "ask 1: 0 2",
// "start 0@1 exchange <3, 1@1 exchange <3" (participant@round type <visibleBeforeSeq).
QString describe(const TurnPlan::Step &step)
{
    switch (step.kind) {
    case Kind::Wait:
        return u"wait"_s;
    case Kind::Complete:
        return u"complete"_s;
    case Kind::AskModerator: {
        QStringList pending;
        for (int p : step.pending)
            pending << QString::number(p);
        return u"ask %1: %2"_s.arg(step.round).arg(pending.join(u' '));
    }
    case Kind::StartTurns: {
        QStringList turns;
        for (const ContextBuilder::Turn &t : step.turns)
            turns << u"%1@%2 %3 <%4"_s.arg(t.participant)
                         .arg(t.round)
                         .arg(typeName(t.type))
                         .arg(t.visibleBeforeSeq);
        return (step.spendsModeratorChoice ? u"start chosen "_s : u"start "_s) +
               turns.join(u", "_s);
    }
    }
    return {};
}

QString plan(const Session &session, const TurnPlan::RunState &state = {})
{
    return describe(TurnPlan::next(session, state));
}

const TurnPlan::RunState busy{true, false, std::nullopt};

} // namespace

class TestTurnPlan : public QObject
{
    Q_OBJECT

private slots:
    void helpers()
    {
        Session session = running(Paradigm::Memory, 2, 3);
        QCOMPARE(TurnPlan::nextSeq(session), 0);
        QCOMPARE(TurnPlan::currentRound(session), 0);
        QCOMPARE(TurnPlan::roundStartSeq(session, 0), 0);
        finishRound(session, 0);
        say(session, Message::humanSpeaker, 0, MessageStatus::Complete, MessageType::Human);
        say(session, u"A"_s, 1, MessageStatus::Failed);
        say(session, u"B"_s, 1, MessageStatus::Partial);
        QCOMPARE(TurnPlan::nextSeq(session), 5);
        // Neither a failed nor a partial turn counts: both are asked again (PRODUCT.md §3).
        QVERIFY(!TurnPlan::hasSpoken(session, 0, 1));
        QVERIFY(!TurnPlan::hasSpoken(session, 1, 1));
        QCOMPARE(TurnPlan::currentRound(session), 1);
        // Round 1 began with its first turn, not with the human's message.
        QCOMPARE(TurnPlan::roundStartSeq(session, 1), 3);
        QCOMPARE(TurnPlan::roundStartSeq(session, 2), 5);
        say(session, u"A"_s, 1, MessageStatus::Streaming);
        QCOMPARE(TurnPlan::currentRound(session), 1);
        say(session, u"B"_s, 1, MessageStatus::Complete);
        QCOMPARE(TurnPlan::currentRound(session), 2);
    }

    void nothingUnlessRunning()
    {
        Session session = running(Paradigm::Memory, 2, 1);
        QCOMPARE(plan(session), u"start 0@0 opening <0, 1@0 opening <0"_s);
        QCOMPARE(plan(session, {false, true, std::nullopt}), u"wait"_s);
        session.status = SessionStatus::Paused;
        QCOMPARE(plan(session), u"wait"_s);
    }

    void turnTaking_data()
    {
        QTest::addColumn<Paradigm>("paradigm");
        QTest::addColumn<Schedule>("schedule");
        QTest::newRow("relay, sequential") << Paradigm::Relay << Schedule::Sequential;
        QTest::newRow("roundtable") << Paradigm::Roundtable << Schedule::Parallel;
    }

    void turnTaking()
    {
        QFETCH(Paradigm, paradigm);
        QFETCH(Schedule, schedule);
        Session session = running(paradigm, 3, 2);
        session.options.schedule = schedule;
        QCOMPARE(plan(session), u"start 0@0 opening <0"_s);
        say(session, u"A"_s, 0);
        // Each sees what was said before its own turn.
        QCOMPARE(plan(session), u"start 1@0 opening <1"_s);
        say(session, u"B"_s, 0, MessageStatus::Streaming);
        QCOMPARE(plan(session, busy), u"wait"_s);
        session.messages.last().status = MessageStatus::Complete;
        say(session, u"C"_s, 0);
        QCOMPARE(plan(session), u"start 0@1 exchange <3"_s);
        QCOMPARE(plan(session, busy), u"wait"_s);
        // A failed turn is asked for again, in list order.
        say(session, u"A"_s, 1, MessageStatus::Failed);
        QCOMPARE(plan(session), u"start 0@1 exchange <4"_s);
    }

    void parallelRound_data()
    {
        QTest::addColumn<Paradigm>("paradigm");
        QTest::newRow("memory") << Paradigm::Memory;
        QTest::newRow("report") << Paradigm::Report;
        QTest::newRow("relay") << Paradigm::Relay;
    }

    void parallelRound()
    {
        QFETCH(Paradigm, paradigm);
        Session session = running(paradigm, 3, 3);
        QCOMPARE(plan(session), u"start 0@0 opening <0, 1@0 opening <0, 2@0 opening <0"_s);
        finishRound(session, 0);
        say(session, Message::humanSpeaker, 0, MessageStatus::Complete, MessageType::Human);
        QCOMPARE(plan(session), u"start 0@1 exchange <4, 1@1 exchange <4, 2@1 exchange <4"_s);
        // B's reply of round 1 failed; resumed, it is asked for again from where round 1 began,
        // not after its neighbours' replies.
        say(session, u"A"_s, 1);
        say(session, u"B"_s, 1, MessageStatus::Failed);
        say(session, u"C"_s, 1);
        QCOMPARE(plan(session), u"start 1@1 exchange <4"_s);
    }

    void streamingEarlierRoundBlocksTheNext()
    {
        Session session = running(Paradigm::Memory, 3, 3);
        say(session, u"A"_s, 0);
        say(session, u"B"_s, 0);
        say(session, u"C"_s, 0, MessageStatus::Streaming);
        QCOMPARE(TurnPlan::currentRound(session), 1);
        // Round 1 is built from round 0's replies: it waits for C's, even when the run has
        // nothing in flight (the reply is left streaming).
        QCOMPARE(plan(session), u"wait"_s);
        QCOMPARE(plan(session, busy), u"wait"_s);
        // Cut short (stopped, or left by a crash): C's opening is asked again first.
        session.messages.last().status = MessageStatus::Partial;
        QCOMPARE(plan(session), u"start 2@0 opening <0"_s);
        say(session, u"C"_s, 0);
        QCOMPARE(plan(session), u"start 0@1 exchange <4, 1@1 exchange <4, 2@1 exchange <4"_s);
    }

    void debateWithJudge()
    {
        Session session = running(Paradigm::Debate, 3, 2);
        // The judge (the last) does not speak with the debaters.
        QCOMPARE(plan(session), u"start 0@0 opening <0, 1@0 opening <0"_s);
        say(session, u"A"_s, 0);
        say(session, u"B"_s, 0, MessageStatus::Streaming);
        QCOMPARE(plan(session, busy), u"wait"_s);
        QCOMPARE(plan(session), u"wait"_s); // B still streams
        session.messages.last().status = MessageStatus::Complete;
        QCOMPARE(plan(session, busy), u"wait"_s);
        // After them, seeing their replies of this round.
        QCOMPARE(plan(session), u"start 2@0 opening <2"_s);
        say(session, u"C"_s, 0);
        QCOMPARE(plan(session), u"start 0@1 exchange <3, 1@1 exchange <3"_s);
        say(session, u"A"_s, 1);
        say(session, u"B"_s, 1);
        // The last round's judge gives the verdict.
        QCOMPARE(plan(session), u"start 2@1 verdict <5"_s);
        QCOMPARE(TurnPlan::turnType(session, 2, 1), MessageType::Verdict);
        QCOMPARE(TurnPlan::turnType(session, 1, 1), MessageType::Exchange);
        say(session, u"C"_s, 1, MessageStatus::Complete, MessageType::Verdict);
        QCOMPARE(plan(session), u"complete"_s);
    }

    void debateOfTwoHasNoJudge()
    {
        Session session = running(Paradigm::Debate, 2, 1);
        QCOMPARE(plan(session), u"start 0@0 opening <0, 1@0 opening <0"_s);
        QCOMPARE(TurnPlan::turnType(session, 1, 0), MessageType::Opening);
    }

    void moderated()
    {
        Session session = running(Paradigm::Moderated, 3, 2);
        QCOMPARE(plan(session), u"ask 0: 0 1 2"_s);
        QCOMPARE(plan(session, busy), u"wait"_s);
        say(session, Message::moderatorSpeaker, 0, MessageStatus::Complete, MessageType::Moderator);
        // The moderator's choice is honoured, and spent.
        QCOMPARE(plan(session, {false, false, 1}), u"start chosen 1@0 opening <1"_s);
        QCOMPARE(plan(session, {true, false, 1}), u"wait"_s);
        say(session, u"B"_s, 0);
        // A choice of someone who already spoke is not: the moderator is asked again.
        QCOMPARE(plan(session, {false, false, 1}), u"ask 0: 0 2"_s);
        say(session, Message::moderatorSpeaker, 0, MessageStatus::Complete, MessageType::Moderator);
        QCOMPARE(plan(session, {false, false, 2}), u"start chosen 2@0 opening <3"_s);
        say(session, u"C"_s, 0);
        // The one left speaks without asking.
        QCOMPARE(plan(session), u"start 0@0 opening <4"_s);
        QCOMPARE(plan(session, {false, false, 0}), u"start 0@0 opening <4"_s);
        say(session, u"A"_s, 0);
        QCOMPARE(plan(session), u"ask 1: 0 1 2"_s);
    }

    void completesAfterTheLastRound()
    {
        Session session = running(Paradigm::Memory, 2, 2);
        finishRound(session, 0);
        finishRound(session, 1);
        QCOMPARE(TurnPlan::currentRound(session), 2);
        QCOMPARE(plan(session), u"complete"_s);
        // Not while a reply (a summary, a key) is still awaited.
        QCOMPARE(plan(session, busy), u"wait"_s);
    }

    void answerModeCompletesOnUnanimity()
    {
        Session session = running(Paradigm::Roundtable, 3, 3);
        session.options.answerMode = true;
        say(session, u"A"_s, 0).answer = u"42"_s;
        say(session, u"B"_s, 0).answer = u"41"_s;
        say(session, u"C"_s, 0).answer = u"42"_s;
        QCOMPARE(plan(session), u"start 0@1 exchange <3"_s);
        say(session, u"A"_s, 1).answer = u"42"_s;
        say(session, u"B"_s, 1); // gave no answer: does not disagree
        say(session, u"C"_s, 1).answer = u"42"_s;
        QCOMPARE(plan(session), u"complete"_s);
        QCOMPARE(plan(session, busy), u"wait"_s);
        // Without answer mode the rounds go on.
        session.options.answerMode = false;
        QCOMPARE(plan(session), u"start 0@2 exchange <6"_s);
    }
};

QTEST_GUILESS_MAIN(TestTurnPlan)
#include "tst_turnplan.moc"
