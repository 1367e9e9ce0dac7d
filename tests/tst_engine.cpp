// SPDX-License-Identifier: GPL-3.0-or-later
// The engine against the fake LLM server: the server's request log shows exactly what each
// participant was sent, round by round.
#include "config/settings.h"
#include "conversation/topology.h"
#include "engine/engine.h"
#include "fakellmserver.h"
#include "llm/chatclient.h"
#include "llm/scriptengine.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Crosstalk;
using namespace Crosstalk::Fake;

namespace {

QString name(int i)
{
    return u"P%1"_s.arg(i + 1);
}

// The topologies of PRODUCT.md §2, written out independently of the engine's Topology.
QSet<int> expectedSources(Paradigm paradigm, int n, int listener)
{
    QSet<int> s;
    for (int i = 0; i < n; ++i) {
        if (i == listener)
            continue;
        switch (paradigm) {
        case Paradigm::Memory:
            s.insert(i);
            break;
        case Paradigm::Report:
            if (listener == 0 || i == 0)
                s.insert(i);
            break;
        case Paradigm::Relay:
            if (i == (listener == 0 ? n - 1 : listener - 1))
                s.insert(i);
            break;
        case Paradigm::Debate:
            if (n == 2 || listener == n - 1 || i != n - 1)
                s.insert(i);
            break;
        default:
            break;
        }
    }
    return s;
}

// What `listener` sees in `round` of a parallel session: its own and its sources' messages of
// earlier rounds (the judge also sees this round's debate), oldest first, the last `window`.
QList<std::pair<int, int>> expectedVisible(Paradigm paradigm, int n, int listener, int round,
                                           int window)
{
    const bool judge = paradigm == Paradigm::Debate && n >= 3 && listener == n - 1;
    QList<std::pair<int, int>> visible; // (speaker, round)
    for (int r = 0; r <= round; ++r)
        for (int s = 0; s < n; ++s) {
            const bool earlier = r < round || (judge && s != listener);
            if (earlier && (s == listener || expectedSources(paradigm, n, listener).contains(s)))
                visible.append({s, r});
        }
    return visible.mid(std::max<qsizetype>(0, visible.size() - window));
}

// Speakers named in a request's user turns ("P3: …" at the start of a line).
QSet<QString> labelledSpeakers(const QJsonObject &body)
{
    static const QRegularExpression label(u"^(P\\d+): "_s, QRegularExpression::MultilineOption);
    QSet<QString> names;
    for (const QJsonValue &message : body[u"messages"_s].toArray()) {
        if (message[u"role"_s].toString() != u"user"_s)
            continue;
        auto it = label.globalMatch(message[u"content"_s].toString());
        while (it.hasNext())
            names.insert(it.next().captured(1));
    }
    return names;
}

int assistantTurns(const QJsonObject &body)
{
    int count = 0;
    for (const QJsonValue &message : body[u"messages"_s].toArray())
        count += message[u"role"_s].toString() == u"assistant"_s;
    return count;
}

int participantOf(const RecordedRequest &request)
{
    return request.json[u"model"_s].toString().mid(6).toInt(); // "model-3" → 3
}

} // namespace

class TestEngine : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    FakeLlmServer m_server;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<ChatClient> m_client;
    std::unique_ptr<Engine> m_engine;

    void makeEngine(int contextBudget = 128000)
    {
        m_settings = std::make_unique<Settings>(m_dir.filePath(u"crosstalk.conf"_s));
        for (int i = 0; i < 8; ++i) {
            m_settings->setModelAttributes(
                u"m%1"_s.arg(i),
                {{u"base_url"_s, QString(m_server.baseUrl().toString() + u"/v1"_s)},
                 {u"model_id"_s, u"model-%1"_s.arg(i)},
                 {u"context_budget_tokens"_s, contextBudget},
                 {u"max_output_tokens"_s, 200}});
        }
        m_client = std::make_unique<ChatClient>();
        CallTiming timing;
        timing.inactivityTimeout = std::chrono::seconds(5);
        timing.retry.maxRetries = 0;
        m_client->setTiming(timing);
        m_engine = std::make_unique<Engine>(ModelRegistry::load({}, m_settings.get()),
                                            m_client.get(), nullptr);
    }

    Session draft(Paradigm paradigm, int n, int rounds)
    {
        Session s;
        s.topic = u"Is light a wave or a particle?"_s;
        s.paradigm = paradigm;
        s.rounds = rounds;
        for (int i = 0; i < n; ++i)
            s.participants.append(
                {name(i), u"m%1"_s.arg(i), u"You are %1, a physicist."_s.arg(name(i)), {}, {}, {}});
        return s;
    }

    QUuid runToEnd(const Session &s)
    {
        const Parsed<QUuid> created = m_engine->createSession(s);
        if (!created) {
            qWarning() << created.errors.first().toString();
            return {};
        }
        const QUuid id = *created.value;
        if (m_engine->start(id))
            return {};
        if (!QTest::qWaitFor(
                [&] { return m_engine->session(id)->status != SessionStatus::Running; }, 20000))
            qWarning("the session did not end in time");
        for (const Message &m : m_engine->session(id)->messages)
            if (!m.error.isEmpty())
                qWarning("%s round %d: %s", qPrintable(m.speaker), m.round, qPrintable(m.error));
        return id;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(m_server.listen());
        m_server.setTiming({20, 20, 0});
    }

    void init()
    {
        m_server.clearRequests();
        m_server.clearFaultRules();
        makeEngine();
    }

    void topologies_data()
    {
        QTest::addColumn<Paradigm>("paradigm");
        QTest::addColumn<int>("n");
        for (Paradigm p : {Paradigm::Memory, Paradigm::Report, Paradigm::Relay, Paradigm::Debate})
            for (int n : {2, 3, 5, 8})
                QTest::addRow("%s n=%d", qPrintable(enumToString(p)), n) << p << n;
    }

    void topologies()
    {
        QFETCH(Paradigm, paradigm);
        QFETCH(int, n);
        const int rounds = 3;
        const QUuid id = runToEnd(draft(paradigm, n, rounds));
        QVERIFY(!id.isNull());
        const Session &session = *m_engine->session(id);
        QCOMPARE(session.status, SessionStatus::Completed);
        QCOMPARE(session.messages.size(), rounds * n);

        const bool judged = paradigm == Paradigm::Debate && n >= 3;
        for (const Message &m : session.messages) {
            QCOMPARE(m.status, MessageStatus::Complete);
            QVERIFY(!m.content.isEmpty());
            QVERIFY(!m.request.isEmpty());
            const int speaker = m.speaker.mid(1).toInt() - 1;
            QSet<QString> expected;
            for (int listener = 0; listener < n; ++listener)
                if (expectedSources(paradigm, n, listener).contains(speaker))
                    expected.insert(name(listener));
            QCOMPARE(QSet<QString>(m.recipients.cbegin(), m.recipients.cend()), expected);
            const bool verdict = judged && speaker == n - 1 && m.round == rounds - 1;
            QCOMPARE(m.type, verdict        ? MessageType::Verdict
                             : m.round == 0 ? MessageType::Opening
                                            : MessageType::Exchange);
        }

        // What each participant was sent, round by round.
        const QList<RecordedRequest> requests = m_server.requests();
        QCOMPARE(requests.size(), rounds * n);
        for (const RecordedRequest &request : requests) {
            const int p = participantOf(request);
            const int round = request.context.round;
            QSet<QString> expected;
            int own = 0;
            for (const auto &[speaker, r] : expectedVisible(paradigm, n, p, round, 10)) {
                if (speaker == p)
                    ++own;
                else
                    expected.insert(name(speaker));
            }
            QCOMPARE(labelledSpeakers(request.json), expected);
            QCOMPARE(assistantTurns(request.json), own);
            const QJsonArray messages = request.json[u"messages"_s].toArray();
            QCOMPARE(messages.first()[u"role"_s].toString(), u"system"_s);
            QCOMPARE(messages.last()[u"role"_s].toString(), u"user"_s);
            QVERIFY(messages.last()[u"content"_s].toString().contains(
                u"Round %1 of %2."_s.arg(round + 1).arg(rounds)));
        }
    }

    void seqFollowsParticipantOrderInParallelRounds()
    {
        const QUuid id = runToEnd(draft(Paradigm::Memory, 4, 2));
        const Session &session = *m_engine->session(id);
        QCOMPARE(session.status, SessionStatus::Completed);
        QCOMPARE(session.messages.size(), 8);
        for (int i = 0; i < session.messages.size(); ++i) {
            QCOMPARE(session.messages.at(i).seq, i);
            QCOMPARE(session.messages.at(i).speaker, name(i % 4));
            QCOMPARE(session.messages.at(i).round, i / 4);
        }
    }

    void parallelRoundsAreConcurrent()
    {
        m_server.setTiming({150, 150, 0});
        const QUuid id = runToEnd(draft(Paradigm::Memory, 5, 2));
        m_server.setTiming({20, 20, 0});
        QCOMPARE(m_engine->session(id)->status, SessionStatus::Completed);
        const QList<RecordedRequest> requests = m_server.requests();
        QCOMPARE(requests.size(), 10);
        for (int round = 0; round < 2; ++round) {
            double lastArrival = 0, firstCompletion = 1e12, previousRoundEnd = 0;
            for (const RecordedRequest &r : requests) {
                if (r.context.round == round) {
                    lastArrival = std::max(lastArrival, r.arrivedMs);
                    firstCompletion = std::min(firstCompletion, r.completedMs);
                } else if (r.context.round == round - 1) {
                    previousRoundEnd = std::max(previousRoundEnd, r.completedMs);
                }
            }
            QVERIFY2(lastArrival < firstCompletion,
                     "every request of a round is in flight before any of them ends");
            QVERIFY(lastArrival >= previousRoundEnd);
        }
    }

    void sequentialTurnsAreOrdered()
    {
        Session s = draft(Paradigm::Relay, 3, 2);
        s.options.schedule = Schedule::Sequential;
        const QUuid id = runToEnd(s);
        QCOMPARE(m_engine->session(id)->status, SessionStatus::Completed);
        const QList<RecordedRequest> requests = m_server.requests();
        QCOMPARE(requests.size(), 6);
        for (int i = 1; i < requests.size(); ++i) {
            QVERIFY(requests.at(i).arrivedMs >= requests.at(i - 1).completedMs);
            QCOMPARE(participantOf(requests.at(i)), i % 3);
        }
        // In a sequential round a participant sees what its source said earlier in the
        // round: P2 sees P1's opening in round 0, P1 sees nothing yet.
        QCOMPARE(labelledSpeakers(requests.at(0).json), QSet<QString>());
        QCOMPARE(labelledSpeakers(requests.at(1).json), QSet<QString>{u"P1"_s});
    }

    void contextWindowKeepsTheLatestMessages()
    {
        Session s = draft(Paradigm::Memory, 3, 4);
        s.options.contextWindow = 2;
        const QUuid id = runToEnd(s);
        QCOMPARE(m_engine->session(id)->status, SessionStatus::Completed);
        for (const RecordedRequest &r : m_server.requests()) {
            const int p = participantOf(r);
            QSet<QString> others;
            int own = 0;
            for (const auto &[speaker, round] :
                 expectedVisible(Paradigm::Memory, 3, p, r.context.round, 2)) {
                if (speaker == p)
                    ++own;
                else
                    others.insert(name(speaker));
            }
            QCOMPARE(labelledSpeakers(r.json), others);
            QCOMPARE(assistantTurns(r.json), own);
            QVERIFY(int(others.size()) + own <= 2);
        }
    }

    void summariseDroppedKeepsOneTurn()
    {
        Session s = draft(Paradigm::Memory, 3, 3);
        s.options.contextWindow = 2;
        s.options.summariseDropped = true;
        const QUuid id = runToEnd(s);
        const Session &session = *m_engine->session(id);
        QCOMPARE(session.status, SessionStatus::Completed);
        int turns = 0, summaries = 0;
        for (const Message &m : session.messages) {
            if (m.type == MessageType::Summary) {
                ++summaries;
                QVERIFY(m.recipients.isEmpty());
                QVERIFY(!m.content.isEmpty());
                QVERIFY(m.usage.tokensIn > 0);
            } else {
                ++turns;
            }
        }
        QCOMPARE(turns, 9);
        QCOMPARE(summaries, 6); // rounds 2 and 3: each participant's context dropped messages
        int summaryRequests = 0, withSummary = 0;
        for (const RecordedRequest &r : m_server.requests()) {
            const QString text = QString::fromUtf8(QJsonDocument(r.json).toJson());
            summaryRequests += text.contains(u"You condense conversations"_s);
            withSummary += text.contains(u"Summary of the earlier conversation: "_s);
        }
        QCOMPARE(summaryRequests, 6);
        QCOMPARE(withSummary, 6);
    }

    // A participant's sampling overrides its model's, and the model's parameter policy still
    // decides what is sent: a reasoning model gets max_completion_tokens and no temperature.
    void samplingPerParticipant()
    {
        m_settings->setModelAttributes(
            u"reasoner"_s, {{u"base_url"_s, QString(m_server.baseUrl().toString() + u"/v1"_s)},
                            {u"model_id"_s, u"o4-mini"_s},
                            {u"max_output_tokens"_s, 300}});
        m_engine->setRegistry(ModelRegistry::load({}, m_settings.get()));
        Session s = draft(Paradigm::Memory, 3, 2);
        s.participants[0].sampling = {0.3, 0.8, 77};
        s.participants[2].modelAlias = u"reasoner"_s;
        s.participants[2].sampling.temperature = 0.9;
        s.participants[2].sampling.maxTokens = 55;
        const QUuid id = runToEnd(s);
        QVERIFY(!id.isNull());
        QCOMPARE(m_engine->session(id)->status, SessionStatus::Completed);
        int seen[3] = {0, 0, 0};
        for (const RecordedRequest &r : m_server.requests()) {
            const QJsonObject body = r.json;
            const QString model = body[u"model"_s].toString();
            if (model == u"model-0"_s) {
                ++seen[0];
                QCOMPARE(body[u"temperature"_s].toDouble(), 0.3);
                QCOMPARE(body[u"top_p"_s].toDouble(), 0.8);
                QCOMPARE(body[u"max_tokens"_s].toInt(), 77);
            } else if (model == u"model-1"_s) {
                ++seen[1];
                QVERIFY(!body.contains(u"temperature"_s) && !body.contains(u"top_p"_s));
                QCOMPARE(body[u"max_tokens"_s].toInt(), 200); // the model's own
            } else if (model == u"o4-mini"_s) {
                ++seen[2];
                QVERIFY(!body.contains(u"temperature"_s) && !body.contains(u"max_tokens"_s));
                QCOMPARE(body[u"max_completion_tokens"_s].toInt(), 55);
            }
        }
        QCOMPARE(seen[0], 2);
        QCOMPARE(seen[1], 2);
        QCOMPARE(seen[2], 2);
        // The request kept with each message says what was sent.
        const Message &first = m_engine->session(id)->messages.first();
        QCOMPARE(first.request[u"temperature"_s].toDouble(), 0.3);
        QCOMPARE(first.request[u"max_tokens"_s].toInt(), 77);
    }

    void contextBudgetDropsTheOldest()
    {
        makeEngine(/*contextBudget*/ 450);
        const QUuid id = runToEnd(draft(Paradigm::Memory, 2, 6));
        QCOMPARE(m_engine->session(id)->status, SessionStatus::Completed);
        int trimmed = 0;
        for (const RecordedRequest &r : m_server.requests()) {
            const qint64 chars = QJsonDocument(r.json[u"messages"_s].toArray()).toJson().size();
            QVERIFY2(chars / 4 <= 450, qPrintable(QString::number(chars)));
            if (r.context.round >= 3 && assistantTurns(r.json) < r.context.round)
                ++trimmed;
        }
        QVERIFY2(trimmed > 0, "late requests must have dropped old turns");
    }

    void failurePausesAndKeepsTheRound()
    {
        m_server.addFaultRule(*FaultRule::parse(u"500@model=model-1"_s, nullptr));
        const QUuid id = runToEnd(draft(Paradigm::Memory, 3, 2));
        const Session &session = *m_engine->session(id);
        QCOMPARE(session.status, SessionStatus::Paused);
        QCOMPARE(session.messages.size(), 3);
        QCOMPARE(session.messages.at(0).status, MessageStatus::Complete);
        QCOMPARE(session.messages.at(1).status, MessageStatus::Failed);
        // Which participant, which model and which server: a bare "HTTP 500" does not say.
        const Message &failed = session.messages.at(1);
        const QString server = m_server.baseUrl().toString() + u"/v1"_s;
        QVERIFY2(failed.error.startsWith(u"%1 (model %2 at %3): "_s.arg(
                     failed.speaker, session.participants.at(1).modelAlias, server)),
                 qPrintable(failed.error));
        QCOMPARE(session.messages.at(2).status, MessageStatus::Complete);

        // Resuming retries the failed turn and continues.
        m_server.clearFaultRules();
        QCOMPARE(m_engine->start(id), std::nullopt);
        QTRY_COMPARE_WITH_TIMEOUT(session.status, SessionStatus::Completed, 10000);
        QCOMPARE(session.messages.size(), 7); // the failed message stays in the transcript
    }

    void stopKeepsWhatArrived()
    {
        m_server.setTiming({10, 10, 20}); // 20 tokens per second: slow enough to stop
        const Parsed<QUuid> created = m_engine->createSession(draft(Paradigm::Memory, 2, 3));
        const QUuid id = *created.value;
        QVERIFY(!m_engine->start(id));
        const Session &session = *m_engine->session(id);
        QTRY_VERIFY(std::any_of(session.messages.cbegin(), session.messages.cend(),
                                [](const Message &m) { return !m.content.isEmpty(); }));
        QVERIFY(!m_engine->stop(id));
        m_server.setTiming({20, 20, 0});
        QCOMPARE(session.status, SessionStatus::Cancelled);
        QTRY_VERIFY(
            std::none_of(session.messages.cbegin(), session.messages.cend(),
                         [](const Message &m) { return m.status == MessageStatus::Streaming; }));
        QVERIFY(std::any_of(session.messages.cbegin(), session.messages.cend(),
                            [](const Message &m) { return m.status == MessageStatus::Partial; }));
    }

    void runControlRules()
    {
        const QUuid id = runToEnd(draft(Paradigm::Memory, 2, 1));
        const Session before = *m_engine->session(id);
        QCOMPARE(before.status, SessionStatus::Completed);
        QCOMPARE(m_engine->start(id), std::nullopt); // completed: returned unchanged
        QCOMPARE(*m_engine->session(id), before);

        const Parsed<QUuid> other = m_engine->createSession(draft(Paradigm::Memory, 2, 2));
        QVERIFY(!m_engine->start(*other.value));
        const auto again = m_engine->start(*other.value);
        QVERIFY(again);
        QCOMPARE(again->code, ErrorCode::Conflict);
        QCOMPARE(m_engine->start(QUuid::createUuid())->code, ErrorCode::NotFound);
    }

    void eventsTellTheStory()
    {
        QSignalSpy spy(m_engine.get(), &Engine::event);
        const QUuid id = runToEnd(draft(Paradigm::Relay, 2, 1));
        QList<EngineEventType> types;
        int deltas = 0;
        for (const QList<QVariant> &args : spy) {
            const auto e = args.first().value<EngineEvent>();
            QCOMPARE(e.sessionId, id);
            if (e.type == EngineEventType::MessageDelta)
                ++deltas;
            else
                types << e.type;
        }
        QVERIFY(deltas >= 2);
        QCOMPARE(types.first(), EngineEventType::SessionCreated);
        QCOMPARE(types.count(EngineEventType::MessageStarted), 2);
        QCOMPARE(types.count(EngineEventType::MessageCompleted), 2);
        QCOMPARE(types.count(EngineEventType::SessionStatus), 2); // running, completed
    }

    void roundtableSharesTheWholeHistory()
    {
        const QUuid id = runToEnd(draft(Paradigm::Roundtable, 3, 2));
        const Session &session = *m_engine->session(id);
        QCOMPARE(session.status, SessionStatus::Completed);
        QCOMPARE(session.messages.size(), 6);
        const QList<RecordedRequest> requests = m_server.requests();
        QCOMPARE(requests.size(), 6);
        for (int i = 0; i < requests.size(); ++i) {
            QCOMPARE(participantOf(requests.at(i)), i % 3);
            if (i > 0)
                QVERIFY(requests.at(i).arrivedMs >= requests.at(i - 1).completedMs);
            // Everything said so far, by everyone: i earlier messages, own ones as assistant.
            const int own = i / 3;
            QCOMPARE(assistantTurns(requests.at(i).json), own);
            QSet<QString> others;
            for (int j = 0; j < i; ++j)
                if (j % 3 != i % 3)
                    others.insert(name(j % 3));
            QCOMPARE(labelledSpeakers(requests.at(i).json), others);
        }
    }

    void moderatorChoosesTheOrder()
    {
        ScriptEngine script;
        // The moderator (model-7) always names P3: usable first, unusable once P3 has spoken.
        script.addRule({{u"model-7"_s, {}, -1}, {ScriptReply::Kind::Fixed, u"**P3**."_s, 0}});
        m_server.setScript(script);
        Session s = draft(Paradigm::Moderated, 3, 2);
        s.options.moderatorModel = u"m7"_s;
        const QUuid id = runToEnd(s);
        m_server.setScript(ScriptEngine());
        const Session &session = *m_engine->session(id);
        QCOMPARE(session.status, SessionStatus::Completed);
        QStringList order;
        int moderatorMessages = 0;
        qint64 moderatorTokens = 0;
        for (const Message &m : session.messages) {
            if (m.type == MessageType::Moderator) {
                ++moderatorMessages;
                QCOMPARE(m.speaker, u"moderator"_s);
                QVERIFY(m.recipients.isEmpty());
                moderatorTokens += m.usage.tokensIn + m.usage.tokensOut;
                continue;
            }
            order << m.speaker;
        }
        // Per round: P3 as chosen, then P1 by list order (the choice named nobody still to
        // speak), then P2, the only one left, without asking.
        QCOMPARE(order, (QStringList{u"P3"_s, u"P1"_s, u"P2"_s, u"P3"_s, u"P1"_s, u"P2"_s}));
        QCOMPARE(moderatorMessages, 4);
        const auto fallback =
            std::count_if(session.messages.cbegin(), session.messages.cend(), [](const Message &m) {
                return m.type == MessageType::Moderator && m.content.contains(u"list order"_s);
            });
        QCOMPARE(fallback, 2);
        QVERIFY(moderatorTokens > 0);
        qint64 total = 0;
        for (const Message &m : session.messages)
            total += m.usage.tokensIn + m.usage.tokensOut;
        QCOMPARE(session.usage.tokensIn + session.usage.tokensOut, total);
    }

    void answerModeStopsOnAgreement()
    {
        ScriptEngine script;
        const auto answer = [&](const QString &who, int round, const QString &value) {
            script.addRule({{{}, who, round}, {ScriptReply::Kind::Answer, value, 0}});
        };
        answer(u"P1"_s, 0, u"4"_s);
        answer(u"P2"_s, 0, u"5"_s);
        answer(u"P3"_s, 0, u"4"_s);
        answer(u"P1"_s, 1, u"4"_s);
        answer(u"P2"_s, 1, u"4"_s);
        answer(u"P3"_s, 1, u"5"_s);
        script.addRule(
            {{{}, {}, 2}, {ScriptReply::Kind::Fixed, u"Agreed: the answer is **4**."_s, 0}});
        m_server.setScript(script);
        Session s = draft(Paradigm::Memory, 3, 5);
        s.options.answerMode = true;
        const QUuid id = runToEnd(s);
        m_server.setScript(ScriptEngine());
        const Session &session = *m_engine->session(id);
        QCOMPARE(session.status, SessionStatus::Completed);
        QCOMPARE(session.messages.size(), 9); // stopped after round 3 of 5: unanimity
        const auto confidenceOf = [&](const QString &who, int round) {
            for (const Message &m : session.messages)
                if (m.speaker == who && m.round == round)
                    return m.confidence;
            return std::optional<double>(-1);
        };
        QCOMPARE(confidenceOf(u"P1"_s, 0), std::nullopt); // defined from the second answer
        QCOMPARE(*confidenceOf(u"P1"_s, 1), 1.0);
        QCOMPARE(*confidenceOf(u"P2"_s, 1), 0.5);
        QVERIFY(qAbs(*confidenceOf(u"P3"_s, 2) - 2.0 / 3.0) < 1e-9);
        for (const Message &m : session.messages)
            QVERIFY(m.answer);
        QCOMPARE(session.result, (Result{u"4"_s, 3}));
        // Peers are shown each other's confidence.
        bool shown = false;
        for (const RecordedRequest &r : m_server.requests())
            shown = shown || QJsonDocument(r.json).toJson().contains("P1's confidence so far: 1");
        QVERIFY(shown);
        QVERIFY(m_server.requests()
                    .last()
                    .json[u"messages"_s]
                    .toArray()
                    .last()[u"content"_s]
                    .toString()
                    .contains(u"The answer is X."_s));
    }

    // A debate that stops early on agreement still ends with the judge's verdict: asked once
    // more, in the round that was not needed, and typed `verdict`.
    void debateStoppedOnAgreementEndsWithAVerdict()
    {
        ScriptEngine script;
        script.addRule({{{}, {}, -1}, {ScriptReply::Kind::Answer, u"4"_s, 0}});
        m_server.setScript(script);
        Session s = draft(Paradigm::Debate, 3, 5);
        s.options.answerMode = true;
        const QUuid id = runToEnd(s);
        m_server.setScript(ScriptEngine());
        const Session &session = *m_engine->session(id);
        QCOMPARE(session.status, SessionStatus::Completed);
        // The openings agreed; the judge gives its verdict in the second round.
        QCOMPARE(session.messages.size(), 4);
        const Message &verdict = session.messages.last();
        QCOMPARE(verdict.type, MessageType::Verdict);
        QCOMPARE(verdict.speaker, name(2));
        QCOMPARE(verdict.round, 1);
        QCOMPARE(verdict.status, MessageStatus::Complete);
        QCOMPARE(std::count_if(session.messages.cbegin(), session.messages.cend(),
                               [](const Message &m) { return m.type == MessageType::Verdict; }),
                 1);
        QVERIFY(m_server.requests().last().body.contains("your verdict"));
        QCOMPARE(session.result, (Result{u"4"_s, 3}));
    }

    void answerModeMajorityAndTie()
    {
        ScriptEngine script;
        script.addRule({{{}, u"P1"_s, -1}, {ScriptReply::Kind::Answer, u"x"_s, 0}});
        script.addRule({{{}, u"P2"_s, -1}, {ScriptReply::Kind::Answer, u"y"_s, 0}});
        script.addRule({{{}, u"P3"_s, -1}, {ScriptReply::Kind::Fixed, u"I cannot say."_s, 0}});
        m_server.setScript(script);
        Session s = draft(Paradigm::Memory, 3, 2);
        s.options.answerMode = true;
        const QUuid id = runToEnd(s);
        m_server.setScript(ScriptEngine());
        const Session &session = *m_engine->session(id);
        QCOMPARE(session.messages.size(), 6);          // no agreement: every round runs
        QCOMPARE(session.result, (Result{u"x"_s, 1})); // a tie goes to the earliest answer
        for (const Message &m : session.messages)
            QCOMPARE(m.answer.has_value(), m.speaker != u"P3"_s);
    }

    void noConfidenceOrResultOutsideAnswerMode()
    {
        ScriptEngine script;
        script.addRule({{{}, {}, -1}, {ScriptReply::Kind::Answer, u"4"_s, 0}});
        m_server.setScript(script);
        const QUuid id = runToEnd(draft(Paradigm::Memory, 2, 3));
        m_server.setScript(ScriptEngine());
        const Session &session = *m_engine->session(id);
        QCOMPARE(session.messages.size(), 6);
        QCOMPARE(session.result, std::nullopt);
        for (const Message &m : session.messages) {
            QCOMPARE(m.answer, std::nullopt);
            QCOMPARE(m.confidence, std::nullopt);
        }
    }

    void invalidDraftsNameTheField_data()
    {
        QTest::addColumn<Session>("session");
        QTest::addColumn<QString>("field");
        Session unknownModel = draft(Paradigm::Memory, 2, 2);
        unknownModel.participants[1].modelAlias = u"nope"_s;
        QTest::newRow("unknown model") << unknownModel << u"participants[1].model"_s;
        Session duplicate = draft(Paradigm::Memory, 2, 2);
        duplicate.participants[1].name = name(0);
        QTest::newRow("duplicate name") << duplicate << u"participants[1].name"_s;
        Session one = draft(Paradigm::Memory, 1, 2);
        QTest::newRow("one participant") << one << u"participants"_s;
        Session noTopic = draft(Paradigm::Memory, 2, 2);
        noTopic.topic.clear();
        QTest::newRow("empty topic") << noTopic << u"topic"_s;
        Session rounds = draft(Paradigm::Memory, 2, 101);
        QTest::newRow("too many rounds") << rounds << u"rounds"_s;
    }

    void invalidDraftsNameTheField()
    {
        QFETCH(Session, session);
        QFETCH(QString, field);
        makeEngine();
        const Parsed<QUuid> created = m_engine->createSession(session);
        QVERIFY(!created);
        QStringList paths;
        for (const FieldError &e : created.errors)
            paths << e.path;
        QVERIFY2(paths.contains(field), qPrintable(paths.join(u", "_s)));
        QVERIFY(m_engine->sessionIds().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestEngine)
#include "tst_engine.moc"
