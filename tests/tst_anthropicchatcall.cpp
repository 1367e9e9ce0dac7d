// SPDX-License-Identifier: GPL-3.0-or-later
// The Anthropic Messages client over HTTP against the in-process fake LLM server: a reply for
// the `big` slot with only ANTHROPIC_API_KEY set (the base URL pointed at the fake server in
// Settings), the request on the wire, every streaming event type, usage, and the faults of
// QUALITY.md R1–R4.
#include "chatcalltest.h"
#include "fakellmserver.h"

#include "config/settings.h"
#include "llm/anthropicchatcall.h"
#include "llm/chatclient.h"
#include "llm/modelregistry.h"
#include "llm/replytokenizer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Crosstalk;
using namespace Crosstalk::Testing;
using Crosstalk::Fake::FakeLlmServer;
using Crosstalk::Fake::FaultRule;

namespace {

const QString kKey = u"sk-ant-test-0123456789"_s;

ChatRequest question()
{
    ChatRequest request;
    request.system = u"You are Bob, a sceptical engineer."_s;
    request.turns = {{ChatTurn::Role::User, u"Topic: should bridges be made of wood?"_s}};
    return request;
}

FaultRule fault(const QString &spec)
{
    QString error;
    const auto rule = FaultRule::parse(spec, &error);
    if (!rule)
        qFatal("bad fault rule %s: %s", qPrintable(spec), qPrintable(error));
    return *rule;
}

} // namespace

class TestAnthropicChatCall : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<FakeLlmServer> m_server;
    std::unique_ptr<ChatClient> m_client;
    ModelConfig m_big;
    QString m_key;

    ChatCall *startCall(CallLog *log, const ChatRequest &request = question())
    {
        ChatCall *call = m_client->createCall(m_big, m_key, request, this);
        record(call, log);
        call->start();
        return call;
    }

private slots:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_server = std::make_unique<FakeLlmServer>();
        QVERIFY(m_server->listen());
        m_client = std::make_unique<ChatClient>();
        m_client->setTiming(fastTiming());

        // Only ANTHROPIC_API_KEY in the environment; the base URL overridden in Settings.
        QProcessEnvironment environment;
        environment.insert(u"ANTHROPIC_API_KEY"_s, kKey);
        Settings settings(m_dir.filePath(u"crosstalk.conf"_s));
        settings.setModelAttributes(u"big"_s, {{u"base_url"_s, m_server->baseUrl().toString()}});
        const ModelRegistry registry = ModelRegistry::load(environment, &settings);
        QVERIFY(registry.problems().isEmpty());
        m_big = *registry.model(u"big"_s);
        m_key = registry.environmentKey(m_big);
    }

    void cleanup()
    {
        m_client.reset();
        m_server.reset();
    }

    // Issue 6, "done when".
    void streamsReplyForBigSlot()
    {
        QCOMPARE(m_big.kind, ApiKind::Anthropic);
        QVERIFY(m_big.modelId.startsWith(u"claude-"_s));
        QCOMPARE(m_big.sourceOf(u"base_url"_s), ValueSource::Settings);
        QCOMPARE(m_key, kKey);
        m_server->setTiming(
            {0, 0, 400}); // paced, so the reply arrives in several reads even under ASan

        CallLog log;
        ChatCall *call = startCall(&log);
        QTRY_VERIFY(log.done());
        QCOMPARE(log.failures.size(), 0);
        QCOMPARE(log.started, 1);
        QCOMPARE(log.finished, 1);

        QCOMPARE(m_server->requests().size(), 1);
        const Fake::RecordedRequest r = m_server->requests().first();
        QCOMPARE(r.api, u"anthropic"_s);
        QVERIFY(r.reply.startsWith(u"Bob here."_s));
        QCOMPARE(call->text(), r.reply);
        QVERIFY(log.deltas.size() > 1);
        QCOMPARE(call->finishReason(), FinishReason::Stop);
        QVERIFY(call->timeToFirstTokenMs().has_value());

        // Input tokens from message_start, output tokens from message_delta.
        QVERIFY(log.usageReports.size() >= 2);
        QCOMPARE(log.usageReports.first().tokensOut, 1); // message_start's placeholder count
        const qint64 input = ReplyTokenizer::count(question().system) +
                             ReplyTokenizer::count(question().turns.first().content);
        QCOMPARE(call->usage(), (Usage{input, ReplyTokenizer::count(r.reply), false, 0}));

        QCOMPARE(r.path, "/v1/messages"_ba);
        QCOMPARE(r.headers.value("x-api-key"), kKey.toUtf8());
        QCOMPARE(r.headers.value("anthropic-version"), AnthropicChatCall::apiVersion());
        QVERIFY(!r.headers.contains(QHttpHeaders::WellKnownHeader::Authorization));
        QCOMPARE(r.json.keys(), (QStringList{u"max_tokens"_s, u"messages"_s, u"model"_s,
                                             u"stream"_s, u"system"_s}));
        QCOMPARE(r.json[u"model"_s].toString(), m_big.modelId);
        QCOMPARE(r.json[u"max_tokens"_s].toInt(), AnthropicChatCall::DefaultMaxTokens);
        QCOMPARE(r.json[u"system"_s].toString(), question().system);
        QCOMPARE(r.json[u"stream"_s].toBool(), true);
        QCOMPARE(r.json[u"messages"_s].toArray(),
                 (QJsonArray{QJsonObject{{u"role"_s, u"user"_s},
                                         {u"content"_s, question().turns.first().content}}}));
        QCOMPARE(call->requestRecord(), r.json);
        QVERIFY(!QJsonDocument(call->requestRecord()).toJson().contains(kKey.toUtf8()));
    }

    void maxTokensCutsReply()
    {
        ChatRequest request = question();
        request.maxOutputTokens = 3;
        CallLog log;
        ChatCall *call = startCall(&log, request);
        QTRY_VERIFY(log.done());
        QCOMPARE(log.finished, 1);
        QCOMPARE(m_server->requests().first().json[u"max_tokens"_s].toInt(), 3);
        QCOMPARE(call->finishReason(), FinishReason::Length);
        QCOMPARE(ReplyTokenizer::count(call->text()), 3);
    }

    // Every event type of the stream, including ones this client has never heard of.
    void everyEventType()
    {
        CannedServer canned(CannedServer::response(
            "text/event-stream",
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\","
            "\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"usage\":"
            "{\"input_tokens\":20,\"cache_read_input_tokens\":5,\"output_tokens\":1}}}\n\n"
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
            "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
            "event: ping\ndata: {\"type\":\"ping\"}\n\n"
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
            "\"delta\":{\"type\":\"text_delta\",\"text\":\"Wood \"}}\n\n"
            "event: future_event\ndata: {\"type\":\"future_event\",\"anything\":true}\n\n"
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
            "\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"not shown\"}}\n\n"
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
            "\"delta\":{\"type\":\"text_delta\",\"text\":\"rots.\"}}\n\n"
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
            "\"max_tokens\"},\"usage\":{\"output_tokens\":2}}\n\n"
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));
        QVERIFY(canned.listen());
        m_big.baseUrl = canned.baseUrl();
        CallLog log;
        ChatCall *call = startCall(&log);
        QTRY_VERIFY(log.done());
        QCOMPARE(log.finished, 1);
        QCOMPARE(call->text(), u"Wood rots."_s);
        QCOMPARE(call->finishReason(), FinishReason::Length);
        QCOMPARE(call->usage(), (Usage{25, 2, false, 0}));
    }

    void retriedStatuses_data()
    {
        QTest::addColumn<QString>("faultSpec");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("message");
        QTest::addColumn<qint64>("minimumWaitMs");
        const QString rateLimited = u"Rate limit reached for requests. Please try again later."_s;
        const QString serverError = u"The server had an error while processing your request."_s;
        QTest::newRow("429 with Retry-After") << u"429:3"_s << 429 << rateLimited << qint64(3000);
        QTest::newRow("500") << u"500"_s << 500 << serverError << qint64(0);
        QTest::newRow("502") << u"502"_s << 502 << serverError << qint64(0);
        QTest::newRow("503 with Retry-After") << u"503"_s << 503 << serverError << qint64(1000);
        QTest::newRow("529 overloaded") << u"529"_s << 529 << serverError << qint64(0);
    }

    void retriedStatuses()
    {
        QFETCH(QString, faultSpec);
        QFETCH(int, status);
        QFETCH(QString, message);
        QFETCH(qint64, minimumWaitMs);
        m_server->addFaultRule(fault(faultSpec));
        CallLog log;
        startCall(&log);
        QTRY_VERIFY(log.done());
        const CallError error = log.failure();
        QCOMPARE(error.kind, CallError::Kind::Http);
        QCOMPARE(error.httpStatus, status);
        QCOMPARE(error.message, message);
        QCOMPARE(error.attempts, 3);
        QCOMPARE(m_server->requests().size(), 3);
        QCOMPARE(log.retryWaitsMs.size(), 2);
        for (const qint64 wait : std::as_const(log.retryWaitsMs))
            QVERIFY(wait >= minimumWaitMs);
    }

    void connectionRefused()
    {
        QUrl url = m_server->baseUrl();
        url.setPort(FakeLlmServer::closedPort());
        m_big.baseUrl = url;
        CallLog log;
        startCall(&log);
        QTRY_VERIFY(log.done());
        QCOMPARE(log.failure().kind, CallError::Kind::Network);
        QCOMPARE(log.failure().attempts, 3);
        QCOMPARE(log.retryWaitsMs.size(), 2);
    }

    void faultsAfterContent_data()
    {
        QTest::addColumn<QString>("faultSpec");
        QTest::addColumn<CallError::Kind>("kind");
        QTest::addColumn<QString>("messagePart");
        QTest::addColumn<int>("tokensKept");
        QTest::newRow("reset") << u"reset:3"_s << CallError::Kind::Network << QString() << 3;
        QTest::newRow("truncate") << u"truncate:3"_s << CallError::Kind::Network
                                  << u"ended before the reply was complete"_s << 3;
        QTest::newRow("malformed event")
            << u"malformed:2"_s << CallError::Kind::Malformed << u"malformed event"_s << 2;
        QTest::newRow("error event")
            << u"stream-error:2"_s << CallError::Kind::Provider << u"Overloaded"_s << 2;
    }

    void faultsAfterContent()
    {
        QFETCH(QString, faultSpec);
        QFETCH(CallError::Kind, kind);
        QFETCH(QString, messagePart);
        QFETCH(int, tokensKept);
        m_server->addFaultRule(fault(faultSpec));
        CallLog log;
        ChatCall *call = startCall(&log);
        QTRY_VERIFY(log.done());
        const CallError error = log.failure();
        QCOMPARE(error.kind, kind);
        QVERIFY2(error.message.contains(messagePart), qPrintable(error.message));
        QVERIFY(!error.message.isEmpty());
        QCOMPARE(error.contentArrived, true);
        QCOMPARE(error.attempts, 1);
        QCOMPARE(m_server->requests().size(), 1);
        const QStringList tokens = ReplyTokenizer::split(m_server->requests().first().reply);
        QCOMPARE(call->text(), tokens.first(tokensKept).join(QString()));
    }

    void utf8_data()
    {
        QTest::addColumn<QString>("faultSpec");
        QTest::addColumn<QString>("expectedStart");
        QTest::newRow("split multi-byte characters") << u"split-utf8"_s << u"Café 😀 "_s;
        QTest::newRow("invalid UTF-8")
            << u"invalid-utf8"_s << u"Bytes that are not UTF-8: \uFFFD\uFFFD end. "_s;
    }

    void utf8()
    {
        QFETCH(QString, faultSpec);
        QFETCH(QString, expectedStart);
        m_server->addFaultRule(fault(faultSpec));
        CallLog log;
        ChatCall *call = startCall(&log);
        QTRY_VERIFY(log.done());
        QCOMPARE(log.finished, 1);
        QVERIFY2(call->text().startsWith(expectedStart), qPrintable(call->text()));
        QCOMPARE(call->text(), m_server->requests().first().reply);
    }

    void stall_data()
    {
        QTest::addColumn<QString>("faultSpec");
        QTest::addColumn<bool>("contentArrived");
        QTest::addColumn<int>("attempts");
        QTest::newRow("before the head") << u"stall"_s << false << 3;
        QTest::newRow("after two tokens") << u"stall:2"_s << true << 1;
    }

    void stall()
    {
        QFETCH(QString, faultSpec);
        QFETCH(bool, contentArrived);
        QFETCH(int, attempts);
        CallTiming timing = fastTiming();
        timing.inactivityTimeout = std::chrono::milliseconds(150);
        m_client->setTiming(timing);
        m_server->addFaultRule(fault(faultSpec));
        CallLog log;
        startCall(&log);
        QTRY_VERIFY_WITH_TIMEOUT(log.done(), 5000);
        QCOMPARE(log.failure().kind, CallError::Kind::Timeout);
        QCOMPARE(log.failure().contentArrived, contentArrived);
        QCOMPARE(log.failure().attempts, attempts);
        QTRY_VERIFY(m_server->requests().last().clientGone);
    }

    void cancelWhileStreaming()
    {
        ScriptEngine script;
        script.addRule({{}, {ScriptReply::Kind::Filler, QString(), 500}});
        m_server->setScript(script);
        m_server->setTiming({0, 0, 100});
        CallLog log;
        ChatCall *call = startCall(&log);
        QTRY_VERIFY(!log.deltas.isEmpty());
        call->cancel();
        QVERIFY(log.done());
        QCOMPARE(log.failure().kind, CallError::Kind::Cancelled);
        QCOMPARE(log.failure().contentArrived, true);
        QTRY_VERIFY(m_server->requests().first().clientGone);
        QCOMPARE(log.failures.size(), 1);
    }

    // QUALITY.md R13: a server that streams for ever, sends one endless line or one endless
    // event. The call ends at the bound with a reason; the text up to the reply's bound is
    // kept (the message becomes partial), nothing is retried.
    void limits_data()
    {
        QTest::addColumn<QString>("faultSpec");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<qsizetype>("textLength");
        QTest::newRow("endless deltas")
            << u"endless-deltas"_s << u"limit of 4 MiB of text"_s << ChatCall::maxReplyChars;
        QTest::newRow("endless line")
            << u"endless-line"_s << u"line longer than the limit of 1 MiB"_s << qsizetype(0);
        QTest::newRow("endless event")
            << u"endless-event"_s << u"event larger than the limit of 1 MiB"_s << qsizetype(0);
    }

    void limits()
    {
        QFETCH(QString, faultSpec);
        QFETCH(QString, reason);
        QFETCH(qsizetype, textLength);
        m_server->addFaultRule(fault(faultSpec));
        CallLog log;
        ChatCall *call = startCall(&log);
        QTRY_VERIFY_WITH_TIMEOUT(log.done(), 30000);
        QCOMPARE(log.finished, 0);
        const CallError error = log.failure();
        QCOMPARE(error.kind, CallError::Kind::TooLarge);
        QVERIFY2(error.message.contains(reason), qPrintable(error.message));
        QCOMPARE(error.contentArrived, textLength > 0);
        QCOMPARE(error.attempts, 1);
        QCOMPARE(call->text().size(), textLength);
        QCOMPARE(log.deltas.join(QString()), call->text());
        QCOMPARE(m_server->requests().size(), 1);
        // The server sees the client leave: nothing goes on reading.
        QTRY_VERIFY(m_server->requests().first().finished());
    }
};

QTEST_GUILESS_MAIN(TestAnthropicChatCall)
#include "tst_anthropicchatcall.moc"
