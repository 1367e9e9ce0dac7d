// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/error.h"
#include "conversation/session.h"
#include "engine/engineevent.h"

#include "samplesession.h"

#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace Crosstalk;

namespace {

template<typename E>
void checkNamesRoundTrip(const QStringList &expected)
{
    QCOMPARE(enumNames<E>(), expected);
    for (const auto &entry : EnumTraits<E>::names) {
        QCOMPARE(enumFromString<E>(enumToString(entry.value)), std::optional<E>(entry.value));
    }
    QCOMPARE(enumFromString<E>(u"no such name"), std::nullopt);
    QCOMPARE(enumFromString<E>(expected.first().toUpper()), std::nullopt);
}

} // namespace

class TestConversationTypes : public QObject
{
    Q_OBJECT

private slots:
    void enumNamesAreTheWireNames()
    {
        checkNamesRoundTrip<Paradigm>(
            {u"memory"_s, u"report"_s, u"relay"_s, u"debate"_s, u"roundtable"_s, u"moderated"_s});
        checkNamesRoundTrip<SessionStatus>({u"configured"_s, u"running"_s, u"paused"_s,
                                            u"completed"_s, u"failed"_s, u"cancelled"_s,
                                            u"interrupted"_s});
        checkNamesRoundTrip<MessageType>(
            {u"opening"_s, u"exchange"_s, u"verdict"_s, u"summary"_s, u"human"_s, u"moderator"_s});
        checkNamesRoundTrip<MessageStatus>(
            {u"streaming"_s, u"complete"_s, u"partial"_s, u"failed"_s});
        checkNamesRoundTrip<Schedule>({u"parallel"_s, u"sequential"_s});
        checkNamesRoundTrip<ApiKind>({u"openai"_s, u"anthropic"_s, u"demo"_s});
        checkNamesRoundTrip<EngineEventType>({u"session.created"_s, u"session.updated"_s,
                                              u"session.status"_s, u"message.started"_s,
                                              u"message.delta"_s, u"message.completed"_s,
                                              u"message.failed"_s, u"session.deleted"_s});
        checkNamesRoundTrip<ErrorCode>({u"invalid_argument"_s, u"not_found"_s, u"conflict"_s,
                                        u"provider_error"_s, u"timeout"_s, u"unauthorized"_s,
                                        u"payload_too_large"_s, u"rate_limited"_s,
                                        u"storage_error"_s, u"internal"_s});
    }

    void modelLabel_data()
    {
        QTest::addColumn<ModelRef>("model");
        QTest::addColumn<QString>("label");
        QTest::newRow("openai") << ModelRef{u"big"_s, u"gpt-4o"_s, ApiKind::OpenAI}
                                << u"big (gpt-4o)"_s;
        QTest::newRow("anthropic")
            << ModelRef{u"claude"_s, u"claude-sonnet-4-5"_s, ApiKind::Anthropic}
            << u"claude (claude-sonnet-4-5)"_s;
        QTest::newRow("alias is the id")
            << ModelRef{u"gpt-4o"_s, u"gpt-4o"_s, ApiKind::OpenAI} << u"gpt-4o"_s;
        QTest::newRow("demo") << ModelRef{u"big"_s, u"demo"_s, ApiKind::Demo}
                              << u"Demo (offline, scripted)"_s;
    }

    void modelLabel()
    {
        QFETCH(ModelRef, model);
        QFETCH(QString, label);
        QCOMPARE(model.label(), label);
    }

    void titleFromTopic_data()
    {
        QTest::addColumn<QString>("topic");
        QTest::addColumn<QString>("title");
        QTest::newRow("one line") << u"Why is the sky blue?"_s << u"Why is the sky blue?"_s;
        QTest::newRow("first line") << u"Why?\nBecause."_s << u"Why?"_s;
        QTest::newRow("leading blank lines") << u"\n  \n  שלום 👋  \nrest"_s << u"שלום 👋"_s;
        QTest::newRow("windows line ends") << u"Title\r\nBody"_s << u"Title"_s;
    }

    void titleFromTopic()
    {
        QFETCH(QString, topic);
        QFETCH(QString, title);
        QCOMPARE(Session::titleFromTopic(topic), title);
    }

    void completedRoundsCountsRoundsEveryoneFinished()
    {
        Session session = Samples::session(SessionStatus::Running, Samples::Optionals::Absent);
        // Round 0 is complete for all three; in round 1 one reply is partial and one failed.
        QCOMPARE(session.completedRounds(), 1);
        session.messages.clear();
        QCOMPARE(session.completedRounds(), 0);
    }

    // Replies in parallel count once; a pause between them does not count.
    void activeTimeLeavesPausesOut()
    {
        Session session = Samples::session(SessionStatus::Paused, Samples::Optionals::Absent);
        session.messages.clear();
        const QDateTime t0 = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000, QTimeZone::UTC);
        const auto add = [&](qint64 atMs, std::optional<qint64> durationMs, MessageStatus status) {
            Message m;
            m.createdAt = t0.addMSecs(atMs);
            m.durationMs = durationMs;
            m.status = status;
            session.messages.append(m);
        };
        add(0, 2000, MessageStatus::Complete);               // 0–2 s
        add(500, 2500, MessageStatus::Complete);             // 0.5–3 s, beside the first
        add(3000, 1000, MessageStatus::Partial);             // 3–4 s, then an hour's pause
        add(3'604'000, std::nullopt, MessageStatus::Failed); // failed at once
        QCOMPARE(session.activeMs(t0.addSecs(7200)), 4000);
        // A reply still streaming counts until now.
        add(3'605'000, std::nullopt, MessageStatus::Streaming);
        QCOMPARE(session.activeMs(t0.addMSecs(3'606'500)), 5500);
        session.messages.clear();
        QCOMPARE(session.activeMs(t0), 0);
    }

    void completedRoundsStopsAtTheFirstGap()
    {
        Session session = Samples::session(SessionStatus::Completed, Samples::Optionals::Absent);
        session.rounds = 3;
        session.messages.clear();
        int seq = 0;
        for (int round : {0, 2}) {
            for (const Participant &participant : session.participants) {
                Message message;
                message.seq = seq++;
                message.round = round;
                message.speaker = participant.name;
                session.messages.append(message);
            }
        }
        QCOMPARE(session.completedRounds(), 1);
    }

    void completedRoundsCountsOnlyTurns()
    {
        Session session = Samples::session(SessionStatus::Completed, Samples::Optionals::Absent);
        session.messages = session.messages.mid(0, 2);
        QCOMPARE(session.completedRounds(), 0);
        Message summary = session.messages.at(0);
        summary.seq = 2;
        summary.speaker = session.participants.at(2).name;
        summary.type = MessageType::Summary;
        session.messages.append(summary);
        QCOMPARE(session.completedRounds(), 0);
        summary.type = MessageType::Opening;
        session.messages.last() = summary;
        QCOMPARE(session.completedRounds(), 1);
    }

    void turnsAreTheParticipantsMessages()
    {
        const auto turn = [](MessageType type) {
            Message m;
            m.type = type;
            return m.isTurn();
        };
        QVERIFY(turn(MessageType::Opening));
        QVERIFY(turn(MessageType::Exchange));
        QVERIFY(turn(MessageType::Verdict));
        QVERIFY(!turn(MessageType::Summary));
        QVERIFY(!turn(MessageType::Human));
        QVERIFY(!turn(MessageType::Moderator));
    }

    void statusRules_data()
    {
        QTest::addColumn<SessionStatus>("status");
        QTest::addColumn<bool>("running");
        QTest::addColumn<bool>("start");
        QTest::addColumn<bool>("resume");
        QTest::addColumn<bool>("underway");
        QTest::addColumn<bool>("ended");
        QTest::addColumn<bool>("fork");
        // Columns after the status: running, start, resume, underway, ended, fork.
        QTest::newRow("configured")
            << SessionStatus::Configured << false << true << false << false << false << false;
        QTest::newRow("running") << SessionStatus::Running << true << false << false << true
                                 << false << false;
        QTest::newRow("paused") << SessionStatus::Paused << false << true << true << true << false
                                << false;
        QTest::newRow("interrupted")
            << SessionStatus::Interrupted << false << true << true << true << false << false;
        QTest::newRow("completed")
            << SessionStatus::Completed << false << false << false << false << true << false;
        QTest::newRow("failed") << SessionStatus::Failed << false << false << false << false << true
                                << true;
        // Stopped by the user: it goes on when resumed, like an interrupted one (PRODUCT.md §3).
        QTest::newRow("cancelled")
            << SessionStatus::Cancelled << false << true << true << false << true << false;
    }

    void statusRules()
    {
        QFETCH(SessionStatus, status);
        QFETCH(bool, running);
        QFETCH(bool, start);
        QFETCH(bool, resume);
        QFETCH(bool, underway);
        QFETCH(bool, ended);
        QFETCH(bool, fork);
        QCOMPARE(isRunning(status), running);
        QCOMPARE(canStart(status), start);
        QCOMPARE(canResume(status), resume);
        QCOMPARE(isUnderway(status), underway);
        QCOMPARE(hasEnded(status), ended);
        QCOMPARE(needsFork(status), fork);
    }

    void settledMeansNotRunningAndNothingStreaming()
    {
        Session session = Samples::session(SessionStatus::Paused, Samples::Optionals::Absent);
        QVERIFY(session.isSettled());
        session.messages.last().status = MessageStatus::Streaming;
        QVERIFY(!session.isSettled());
        session.messages.last().status = MessageStatus::Complete;
        session.status = SessionStatus::Running;
        QVERIFY(!session.isSettled());
    }

    void valuesCompareByContent()
    {
        const Session a = Samples::session(SessionStatus::Paused, Samples::Optionals::Present);
        Session b = a;
        QVERIFY(a == b);
        b.messages[2].usage.tokensOut += 1;
        QVERIFY(a != b);
        b = a;
        b.participants[0].colour = QColor(0, 0, 0);
        QVERIFY(a != b);
        b = a;
        b.messages[0].request.insert(u"top_p"_s, 0.9);
        QVERIFY(a != b);
    }
};

QTEST_GUILESS_MAIN(TestConversationTypes)
#include "tst_conversationtypes.moc"
