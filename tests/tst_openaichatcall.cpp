// SPDX-License-Identifier: GPL-3.0-or-later
// The Chat Completions client over HTTP against the in-process fake LLM server: a reply for
// the `big` slot configured from the environment alone, the request on the wire, usage and
// cost, the faults of QUALITY.md R1–R4, cancellation, the turn limit and Azure OpenAI.
#include "chatcalltest.h"
#include "fakellmserver.h"

#include "llm/chatclient.h"
#include "llm/modelregistry.h"
#include "llm/openaichatcall.h"
#include "llm/replytokenizer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Crosstalk;
using namespace Crosstalk::Testing;
using Crosstalk::Fake::FakeLlmServer;
using Crosstalk::Fake::FaultRule;

namespace {

const QString kKey = u"sk-test-openai-0123456789"_s;

ChatRequest question()
{
    ChatRequest request;
    request.system = u"You are Alice, a careful physicist."_s;
    request.turns = {{ChatTurn::Role::User, u"Topic: is light a wave?"_s}};
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

class TestOpenAIChatCall : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<FakeLlmServer> m_server;
    std::unique_ptr<ChatClient> m_client;
    ModelConfig m_big;
    QString m_key;

    // The `big` slot exactly as the environment alone configures it.
    void configure(const QProcessEnvironment &environment)
    {
        const ModelRegistry registry = ModelRegistry::load(environment, nullptr);
        QVERIFY(registry.problems().isEmpty());
        m_big = *registry.model(u"big"_s);
        m_key = registry.environmentKey(m_big);
    }

    QProcessEnvironment openAiEnvironment(const QUrl &baseUrl) const
    {
        QProcessEnvironment environment;
        environment.insert(u"OPENAI_API_KEY"_s, kKey);
        environment.insert(u"OPENAI_BASE_URL"_s, baseUrl.toString());
        return environment;
    }

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
        m_server = std::make_unique<FakeLlmServer>();
        QVERIFY(m_server->listen());
        m_client = std::make_unique<ChatClient>();
        m_client->setTiming(fastTiming());
        configure(openAiEnvironment(m_server->baseUrl().resolved(QUrl(u"/v1"_s))));
    }

    void cleanup()
    {
        m_client.reset();
        m_server.reset();
    }

    // Issue 5, "done when": only OPENAI_API_KEY and OPENAI_BASE_URL, a reply for `big`.
    void streamsReplyForBigSlot()
    {
        QCOMPARE(m_big.kind, ApiKind::OpenAI);
        QCOMPARE(m_big.modelId, u"gpt-4o"_s);
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
        QVERIFY(!r.reply.isEmpty());
        QVERIFY(r.reply.startsWith(u"Alice here."_s));
        QCOMPARE(call->text(), r.reply);
        QCOMPARE(log.deltas.join(QString()), r.reply);
        QVERIFY(log.deltas.size() > 1);
        QCOMPARE(call->finishReason(), FinishReason::Stop);
        QVERIFY(call->timeToFirstTokenMs().has_value());
        QVERIFY(*call->timeToFirstTokenMs() <= call->durationMs());

        // Usage from the final usage chunk, as the server counted it.
        QCOMPARE(log.usageReports.size(), 1);
        QCOMPARE(call->usage().estimated, false);
        QCOMPARE(call->usage().tokensOut, ReplyTokenizer::count(r.reply));
        QCOMPARE(call->usage().tokensIn,
                 ReplyTokenizer::count(question().system) +
                     ReplyTokenizer::count(question().turns.first().content));

        // The request, field by field, as the Chat Completions reference describes it.
        QCOMPARE(r.method, "POST"_ba);
        QCOMPARE(r.path, "/v1/chat/completions"_ba);
        QCOMPARE(r.headers.value(QHttpHeaders::WellKnownHeader::Authorization),
                 QByteArray("Bearer " + kKey.toUtf8()));
        QVERIFY(r.headers.value(QHttpHeaders::WellKnownHeader::ContentType)
                    .startsWith("application/json"));
        QCOMPARE(r.headers.value(QHttpHeaders::WellKnownHeader::Accept), "text/event-stream");
        QVERIFY(r.headers.value(QHttpHeaders::WellKnownHeader::UserAgent).startsWith("Crosstalk/"));
        QCOMPARE(r.json.keys(),
                 (QStringList{u"messages"_s, u"model"_s, u"stream"_s, u"stream_options"_s}));
        QCOMPARE(r.json[u"model"_s].toString(), u"gpt-4o"_s);
        QCOMPARE(r.json[u"stream"_s].toBool(), true);
        QCOMPARE(r.json[u"stream_options"_s].toObject(), (QJsonObject{{u"include_usage"_s, true}}));
        const QJsonArray messages = r.json[u"messages"_s].toArray();
        QCOMPARE(messages.size(), 2);
        QCOMPARE(messages[0].toObject(),
                 (QJsonObject{{u"role"_s, u"system"_s}, {u"content"_s, question().system}}));
        QCOMPARE(messages[1].toObject(),
                 (QJsonObject{{u"role"_s, u"user"_s},
                              {u"content"_s, question().turns.first().content}}));

        // The record kept with the message is exactly what was sent, and holds no key.
        QCOMPARE(call->requestRecord(), r.json);
        QVERIFY(!QJsonDocument(call->requestRecord()).toJson().contains(kKey.toUtf8()));
    }

    // The engine's context for the demo model never reaches a real provider.
    // A finished reply's connection serves the next turn: no new TCP (or TLS) handshake.
    void connectionIsKeptBetweenTurns()
    {
        for (int turn = 0; turn < 3; ++turn) {
            CallLog log;
            startCall(&log);
            QTRY_VERIFY(log.done());
            QCOMPARE(log.finished, 1);
        }
        QCOMPARE(m_server->requests().size(), 3);
        QCOMPARE(m_server->connectionsAccepted(), 1);
    }

    void demoContextStaysOffTheWire()
    {
        ChatRequest request = question();
        request.demoContext.speaker = u"Alice"_s;
        request.demoContext.topic = u"A secret topic only the demo model may read"_s;
        CallLog log;
        ChatCall *call = startCall(&log, request);
        QTRY_VERIFY(log.done());
        QCOMPARE(log.finished, 1);
        QCOMPARE(call->requestRecord(), OpenAIChatCall::requestBody(m_big, question()));
        QVERIFY(!m_server->requests().first().body.contains("secret topic"));
    }

    void usageAndCost_data()
    {
        QTest::addColumn<bool>("serverCounts");
        QTest::newRow("reported by the server") << true;
        QTest::newRow("estimated without a usage chunk") << false;
    }

    void usageAndCost()
    {
        QFETCH(bool, serverCounts);
        // A stream without the usage chunk, as servers that ignore stream_options send it.
        CannedServer canned(CannedServer::response(
            "text/event-stream",
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Twelve characters\"}}]}\n\n"
            "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
            "data: [DONE]\n\n"));
        QVERIFY(canned.listen());
        if (!serverCounts)
            m_big.baseUrl = canned.baseUrl();
        m_big.inputPricePerMillion = 2.5;
        m_big.outputPricePerMillion = 10;

        CallLog log;
        ChatCall *call = startCall(&log);
        QTRY_VERIFY(log.done());
        QCOMPARE(log.finished, 1);
        const Usage usage = call->usage();
        QCOMPARE(usage.estimated, !serverCounts);
        QCOMPARE(log.usageReports.isEmpty(), !serverCounts);
        QVERIFY(usage.tokensIn > 0);
        QVERIFY(usage.tokensOut > 0);
        if (!serverCounts) {
            QCOMPARE(usage.tokensOut, estimateTokens(u"Twelve characters"_s));
            QCOMPARE(usage.tokensIn, estimateTokens(question().system) +
                                         estimateTokens(question().turns.first().content));
        }
        QCOMPARE(usage.cost, (usage.tokensIn * 2.5 + usage.tokensOut * 10) / 1e6);
        QVERIFY(usage.cost > 0);
    }

    // R1: retried with backoff (honouring Retry-After), then failed with the provider's words.
    void retriedStatuses_data()
    {
        QTest::addColumn<QString>("faultSpec");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("message");
        QTest::addColumn<qint64>("minimumWaitMs"); // Retry-After, before scaling
        const QString rateLimited = u"Rate limit reached for requests. Please try again later."_s;
        const QString serverError = u"The server had an error while processing your request."_s;
        QTest::newRow("429 with Retry-After") << u"429:2"_s << 429 << rateLimited << qint64(2000);
        QTest::newRow("500") << u"500"_s << 500 << serverError << qint64(0);
        QTest::newRow("502") << u"502"_s << 502 << serverError << qint64(0);
        QTest::newRow("503 with Retry-After") << u"503"_s << 503 << serverError << qint64(1000);
    }

    void retriedStatuses()
    {
        QFETCH(QString, faultSpec);
        QFETCH(int, status);
        QFETCH(QString, message);
        QFETCH(qint64, minimumWaitMs);
        m_server->addFaultRule(fault(faultSpec));

        CallLog log;
        ChatCall *call = startCall(&log);
        QTRY_VERIFY(log.done());
        QCOMPARE(log.finished, 0);
        const CallError error = log.failure();
        QCOMPARE(error.kind, CallError::Kind::Http);
        QCOMPARE(error.httpStatus, status);
        QCOMPARE(error.message, message);
        QCOMPARE(error.contentArrived, false);
        QCOMPARE(error.attempts, 3);
        QCOMPARE(m_server->requests().size(), 3); // the first attempt and MAX_RETRIES=2
        QCOMPARE(log.retryWaitsMs.size(), 2);
        for (const qint64 wait : std::as_const(log.retryWaitsMs))
            QVERIFY2(wait >= minimumWaitMs, qPrintable(QString::number(wait)));
        QCOMPARE(call->text(), QString());
    }

    void retryRecovers()
    {
        m_server->addFaultRule(fault(u"503@nth=1"_s));
        CallLog log;
        ChatCall *call = startCall(&log);
        QTRY_VERIFY(log.done());
        QCOMPARE(log.finished, 1);
        QCOMPARE(log.retryWaitsMs.size(), 1);
        QCOMPARE(m_server->requests().size(), 2);
        QCOMPARE(call->text(), m_server->requests().last().reply);
    }

    // Errors no retry can fix fail at once.
    void clientErrorsNotRetried()
    {
        m_server->addFaultRule(fault(u"400"_s));
        CallLog log;
        startCall(&log);
        QTRY_VERIFY(log.done());
        QCOMPARE(log.failure().kind, CallError::Kind::Http);
        QCOMPARE(log.failure().httpStatus, 400);
        QCOMPARE(log.failure().attempts, 1);
        QCOMPARE(m_server->requests().size(), 1);
        QVERIFY(log.retryWaitsMs.isEmpty());
    }

    void connectionRefused()
    {
        QUrl url = m_server->baseUrl().resolved(QUrl(u"/v1"_s));
        url.setPort(FakeLlmServer::closedPort());
        m_big.baseUrl = url;
        CallLog log;
        startCall(&log);
        QTRY_VERIFY(log.done());
        const CallError error = log.failure();
        QCOMPARE(error.kind, CallError::Kind::Network);
        QCOMPARE(error.attempts, 3);
        QCOMPARE(log.retryWaitsMs.size(), 2);
        QVERIFY(!error.message.isEmpty());
        QCOMPARE(error.contentArrived, false);
    }

    // R2 and R3: once text arrived, a broken stream keeps it as a partial reply, never retried.
    void faultsAfterContent_data()
    {
        QTest::addColumn<QString>("faultSpec");
        QTest::addColumn<CallError::Kind>("kind");
        QTest::addColumn<QString>("messagePart");
        QTest::addColumn<int>("tokensKept");
        QTest::newRow("reset") << u"reset:3"_s << CallError::Kind::Network << QString() << 3;
        QTest::newRow("truncate") << u"truncate:3"_s << CallError::Kind::Network
                                  << u"ended before the reply was complete"_s << 3;
        QTest::newRow("malformed chunk")
            << u"malformed:2"_s << CallError::Kind::Malformed << u"malformed chunk"_s << 2;
        QTest::newRow("in-stream error")
            << u"stream-error:2"_s << CallError::Kind::Provider
            << u"The server had an error while processing your request. Sorry about that!"_s << 2;
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
        QCOMPARE(log.finished, 0);
        const CallError error = log.failure();
        QCOMPARE(error.kind, kind);
        QVERIFY2(error.message.contains(messagePart), qPrintable(error.message));
        QVERIFY(!error.message.isEmpty());
        QCOMPARE(error.contentArrived, true);
        QCOMPARE(error.attempts, 1);
        QCOMPARE(m_server->requests().size(), 1);
        QVERIFY(log.retryWaitsMs.isEmpty());
        const QStringList tokens = ReplyTokenizer::split(m_server->requests().first().reply);
        QCOMPARE(call->text(), tokens.first(tokensKept).join(QString()));
    }

    // R3: characters cut across TCP writes and bytes that are not UTF-8.
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

    // R3: event types and chunk shapes the client does not know are skipped.
    void unknownEventsIgnored()
    {
        CannedServer canned(CannedServer::response(
            "text/event-stream",
            ": a comment the server sends to keep the connection open\n\n"
            "event: future_event\ndata: {\"something\":\"new\"}\n\n"
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}\n\n"
            "data: {\"choices\":[]}\n\n"
            "id: 7\nretry: 1000\n"
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"}}]}\n\n"
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\", world\"},"
            "\"finish_reason\":\"length\"}]}\n\n"
            "data: [DONE]\n\n"));
        QVERIFY(canned.listen());
        m_big.baseUrl = canned.baseUrl();
        CallLog log;
        ChatCall *call = startCall(&log);
        QTRY_VERIFY(log.done());
        QCOMPARE(log.finished, 1);
        QCOMPARE(call->text(), u"Hello, world"_s);
        QCOMPARE(call->finishReason(), FinishReason::Length);
    }

    // Some servers answer a streamed request with one JSON reply.
    void wholeJsonReply()
    {
        CannedServer canned(CannedServer::response(
            "application/json",
            R"({"choices":[{"index":0,"message":{"role":"assistant","content":"All at once."},)"
            R"("finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":3}})"));
        QVERIFY(canned.listen());
        m_big.baseUrl = canned.baseUrl();
        CallLog log;
        ChatCall *call = startCall(&log);
        QTRY_VERIFY(log.done());
        QCOMPARE(log.finished, 1);
        QCOMPARE(call->text(), u"All at once."_s);
        QCOMPARE(call->usage(), (Usage{9, 3, false, 0}));
    }

    // R4: a silent server trips the inactivity timeout; nothing hangs.
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
        ChatCall *call = startCall(&log);
        QTRY_VERIFY_WITH_TIMEOUT(log.done(), 5000);
        const CallError error = log.failure();
        QCOMPARE(error.kind, CallError::Kind::Timeout);
        QCOMPARE(error.contentArrived, contentArrived);
        QCOMPARE(error.attempts, attempts);
        QCOMPARE(call->text().isEmpty(), !contentArrived);
        QCOMPARE(m_server->requests().size(), attempts);
        // The client left every stalled connection.
        QTRY_VERIFY(m_server->requests().last().finished());
        for (const Fake::RecordedRequest &r : m_server->requests())
            QVERIFY(r.clientGone);
    }

    void turnLimit()
    {
        CallTiming timing = fastTiming();
        timing.turnLimit = std::chrono::milliseconds(300);
        m_client->setTiming(timing);
        ScriptEngine script;
        script.addRule({{}, {ScriptReply::Kind::Filler, QString(), 500}});
        m_server->setScript(script);
        m_server->setTiming({0, 0, 50}); // 10 s for the whole reply

        CallLog log;
        startCall(&log);
        QTRY_VERIFY_WITH_TIMEOUT(log.done(), 5000);
        QCOMPARE(log.failure().kind, CallError::Kind::Timeout);
        QCOMPARE(log.failure().contentArrived, true);
        QCOMPARE(m_server->requests().size(), 1);
        QTRY_VERIFY(m_server->requests().first().clientGone);
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
        QVERIFY(log.done()); // at once, not after some timeout
        QCOMPARE(log.failure().kind, CallError::Kind::Cancelled);
        QCOMPARE(log.failure().contentArrived, true);
        const qsizetype deltas = log.deltas.size();
        QTRY_VERIFY(m_server->requests().first().clientGone);
        QCOMPARE(log.deltas.size(), deltas);
        QCOMPARE(log.failures.size(), 1);
        QCOMPARE(log.finished, 0);
    }

    // Cancelled while waiting to retry: no further attempt is made.
    void cancelWhileWaitingToRetry()
    {
        CallTiming timing = fastTiming();
        timing.retryWaitScale = 1; // a real wait of a second, cut short by cancel()
        m_client->setTiming(timing);
        m_server->addFaultRule(fault(u"503"_s));

        CallLog log;
        ChatCall *call = startCall(&log);
        QTRY_COMPARE(log.retryWaitsMs.size(), 1);
        call->cancel();
        QVERIFY(log.done());
        QCOMPARE(log.failure().kind, CallError::Kind::Cancelled);
        QCOMPARE(log.failure().contentArrived, false);
        QCOMPARE(m_server->requests().size(), 1);
    }

    void mustEndOnUserTurn()
    {
        ChatRequest request = question();
        request.turns.append({ChatTurn::Role::Assistant, u"A prefill."_s});
        CallLog log;
        startCall(&log, request);
        QVERIFY(!log.done()); // reported from the event loop, like every outcome
        QTRY_VERIFY(log.done());
        QCOMPARE(log.failure().kind, CallError::Kind::InvalidRequest);
        QCOMPARE(m_server->requests().size(), 0);
    }

    // Azure OpenAI: the deployment in the path, api-version in the query, the key in api-key.
    void azure()
    {
        QProcessEnvironment environment = openAiEnvironment(
            m_server->baseUrl().resolved(QUrl(u"/openai/deployments/gpt4o-prod"_s)));
        environment.insert(u"AZURE_API_VERSION"_s, u"2024-10-21"_s);
        configure(environment);

        CallLog log;
        ChatCall *call = startCall(&log);
        QTRY_VERIFY(log.done());
        QCOMPARE(log.finished, 1);
        const Fake::RecordedRequest r = m_server->requests().first();
        QCOMPARE(r.path, "/openai/deployments/gpt4o-prod/chat/completions"_ba);
        QCOMPARE(r.query, "api-version=2024-10-21"_ba);
        QCOMPARE(r.headers.value("api-key"), kKey.toUtf8());
        QVERIFY(!r.headers.contains(QHttpHeaders::WellKnownHeader::Authorization));
        QCOMPARE(call->text(), r.reply);
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

    // A whole (non-streamed) reply: its body is bounded at 8 MiB, and its text, like a
    // stream's, at 4 MiB.
    void wholeReplyLimits_data()
    {
        QTest::addColumn<qsizetype>("textBytes");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<qsizetype>("textLength");
        QTest::newRow("body past 8 MiB")
            << qsizetype(HttpChatCall::maxPlainBodyBytes) << u"limit of 8 MiB"_s << qsizetype(0);
        QTest::newRow("text past 4 MiB") << ChatCall::maxReplyChars + 1
                                         << u"limit of 4 MiB of text"_s << ChatCall::maxReplyChars;
    }

    void wholeReplyLimits()
    {
        QFETCH(qsizetype, textBytes);
        QFETCH(QString, reason);
        QFETCH(qsizetype, textLength);
        CannedServer canned(CannedServer::response(
            "application/json",
            R"({"choices":[{"index":0,"message":{"role":"assistant","content":")" +
                QByteArray(textBytes, 'a') + R"("},"finish_reason":"stop"}]})"));
        QVERIFY(canned.listen());
        m_big.baseUrl = canned.baseUrl();
        CallLog log;
        ChatCall *call = startCall(&log);
        QTRY_VERIFY_WITH_TIMEOUT(log.done(), 30000);
        QCOMPARE(log.failure().kind, CallError::Kind::TooLarge);
        QVERIFY2(log.failure().message.contains(reason), qPrintable(log.failure().message));
        QCOMPARE(call->text().size(), textLength);
    }

    // A server's wait that no conversion survives: huge, infinite, not a number, negative.
    // Waits past the turn limit end the call at once; meaningless ones are ignored and the
    // usual backoff applies.
    void hostileRetryAfter_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<int>("attempts");
        QTest::newRow("Retry-After: 1e300") << "Retry-After: 1e300"_ba << 1;
        QTest::newRow("Retry-After: inf") << "Retry-After: inf"_ba << 1;
        QTest::newRow("Retry-After: 99999999999999999999")
            << "Retry-After: 99999999999999999999"_ba << 1;
        QTest::newRow("retry-after-ms: 1e300") << "retry-after-ms: 1e300"_ba << 1;
        QTest::newRow("retry-after-ms: inf") << "retry-after-ms: inf"_ba << 1;
        QTest::newRow("retry-after-ms: nan") << "retry-after-ms: nan"_ba << 3;
        QTest::newRow("retry-after-ms: -5") << "retry-after-ms: -5"_ba << 3;
        QTest::newRow("retry-after-ms: -inf") << "retry-after-ms: -inf"_ba << 3;
        QTest::newRow("Retry-After: -1") << "Retry-After: -1"_ba << 3;
    }

    void hostileRetryAfter()
    {
        QFETCH(QByteArray, header);
        QFETCH(int, attempts);
        CannedServer canned("HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\n" +
                            header + "\r\nConnection: close\r\n\r\n" +
                            R"({"error":{"message":"Slow down."}})");
        QVERIFY(canned.listen());
        m_big.baseUrl = canned.baseUrl();
        CallLog log;
        startCall(&log);
        QTRY_VERIFY(log.done());
        QCOMPARE(log.failure().httpStatus, 429);
        QCOMPARE(log.failure().message, u"Slow down."_s);
        QCOMPARE(log.failure().attempts, attempts);
        QCOMPARE(canned.requests(), attempts);
        for (const qint64 wait : std::as_const(log.retryWaitsMs))
            QVERIFY2(wait >= 0 && wait <= 4, qPrintable(QString::number(wait)));
    }
};

QTEST_GUILESS_MAIN(TestOpenAIChatCall)
#include "tst_openaichatcall.moc"
