// SPDX-License-Identifier: GPL-3.0-or-later
// The demo model: offline, scripted replies streamed from the event loop, created through the
// same ChatClient as the real providers.
#include "chatcalltest.h"

#include "llm/chatclient.h"
#include "llm/demochatcall.h"
#include "llm/modelregistry.h"
#include "llm/replytokenizer.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Crosstalk;
using namespace Crosstalk::Testing;

namespace {

ChatRequest request(const QString &speaker, quint64 seed)
{
    ChatRequest r;
    r.system = u"You are %1."_s.arg(speaker);
    r.turns = {{ChatTurn::Role::User, u"Topic: tabs or spaces?"_s}};
    r.demoContext.speaker = speaker;
    r.demoContext.topic = u"tabs or spaces?"_s;
    r.demoContext.round = 0;
    r.demoContext.totalRounds = 3;
    r.demoContext.kind = TurnKind::Opening;
    r.demoContext.seed = seed;
    return r;
}

} // namespace

class TestDemoCall : public QObject
{
    Q_OBJECT

private:
    ModelConfig m_demo;
    ChatClient m_client;

    ChatCall *startCall(CallLog *log, const ChatRequest &r)
    {
        ChatCall *call = m_client.createCall(m_demo, QString(), r, this);
        record(call, log);
        call->start();
        return call;
    }

    QString replyFor(const ChatRequest &r)
    {
        CallLog log;
        ChatCall *call = startCall(&log, r);
        if (!QTest::qWaitFor([&] { return log.done(); }, 5000))
            return u"(no reply)"_s;
        return call->text();
    }

private slots:
    void initTestCase()
    {
        const ModelRegistry registry = ModelRegistry::load(QProcessEnvironment(), nullptr);
        m_demo = *registry.model(ModelRegistry::demoAlias());
        m_client.setDemoTokensPerSecond(100000);
    }

    void labelled()
    {
        QCOMPARE(m_demo.kind, ApiKind::Demo);
        QCOMPARE(m_demo.displayName(), u"Demo (offline, scripted)"_s);
    }

    void streamsScriptedReply()
    {
        const ChatRequest r = request(u"Alice"_s, 7);
        CallLog log;
        ChatCall *call = startCall(&log, r);
        QVERIFY(qobject_cast<DemoChatCall *>(call));
        QCOMPARE(log.started, 1);
        QVERIFY(log.deltas.isEmpty()); // even the first token comes from the event loop
        QTRY_VERIFY(log.done());
        QCOMPARE(log.finished, 1);
        QCOMPARE(log.failures.size(), 0);

        ScriptEngine script;
        ScriptContext context = r.demoContext;
        context.model = m_demo.modelId;
        context.lastUserText = r.turns.last().content;
        const QString expected = script.reply(context);
        QVERIFY(expected.startsWith(u"Alice here."_s));
        QCOMPARE(call->text(), expected);
        QCOMPARE(log.deltas, ReplyTokenizer::split(expected));
        QVERIFY(log.deltas.size() > 5);
        QCOMPARE(call->finishReason(), FinishReason::Stop);
        QVERIFY(call->timeToFirstTokenMs().has_value());

        // No provider counted the tokens: the usage is an estimate, and says so; free.
        QVERIFY(log.usageReports.isEmpty());
        QCOMPARE(call->usage().estimated, true);
        QVERIFY(call->usage().tokensIn > 0);
        QCOMPARE(call->usage().tokensOut, estimateTokens(expected));
        QCOMPARE(call->usage().cost, 0.0);
        QCOMPARE(call->requestRecord()[u"model"_s].toString(), m_demo.modelId);
    }

    void deterministic()
    {
        const QString first = replyFor(request(u"Alice"_s, 7));
        QCOMPARE(replyFor(request(u"Alice"_s, 7)), first);
        QVERIFY(replyFor(request(u"Bob"_s, 7)).startsWith(u"Bob here."_s));
        // Other seeds pick other phrasings; at least one of a few differs.
        bool differs = false;
        for (quint64 seed = 8; seed < 12 && !differs; ++seed)
            differs = replyFor(request(u"Alice"_s, seed)) != first;
        QVERIFY(differs);
    }

    // The script's rules apply to the demo model as they do to the fake server.
    void followsScriptRules()
    {
        ScriptEngine script;
        script.addRule({{QString(), u"alice"_s, -1}, {ScriptReply::Kind::Fixed, u"Fixed."_s, 0}});
        script.addRule({{}, {ScriptReply::Kind::Echo, QString(), 0}});
        m_client.setDemoScript(script);
        const QString alice = replyFor(request(u"Alice"_s, 1));
        const QString bob = replyFor(request(u"Bob"_s, 1));
        m_client.setDemoScript(ScriptEngine());
        QCOMPARE(alice, u"Fixed."_s);
        QCOMPARE(bob, u"Topic: tabs or spaces?"_s);
    }

    void cancel()
    {
        CallLog log;
        ChatCall *call = m_client.createCall(m_demo, QString(), request(u"Alice"_s, 7), this);
        record(call, &log);
        connect(call, &ChatCall::textDelta, call, [call] { call->cancel(); });
        call->start();
        QTRY_VERIFY(log.done());
        QCOMPARE(log.failure().kind, CallError::Kind::Cancelled);
        QCOMPARE(log.failure().contentArrived, true);
        QCOMPARE(log.deltas.size(), 1);
        // Another reply streams to its end meanwhile; the cancelled call stays silent.
        QVERIFY(ReplyTokenizer::count(replyFor(request(u"Bob"_s, 7))) > 1);
        QCOMPARE(log.deltas.size(), 1);
        QCOMPARE(log.finished, 0);
        QCOMPARE(log.failures.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestDemoCall)
#include "tst_democall.moc"
