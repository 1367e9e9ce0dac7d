// SPDX-License-Identifier: GPL-3.0-or-later
// QUALITY.md R9 for the provider layer: a recognisable key, used through succeeding and
// failing calls and listings — including servers that echo it back — appears in no error,
// request record, reply text or log line.
#include "chatcalltest.h"
#include "fakellmserver.h"

#include "llm/chatclient.h"
#include "llm/modellisting.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Crosstalk;
using namespace Crosstalk::Testing;
using Crosstalk::Fake::FakeLlmServer;
using Crosstalk::Fake::FaultRule;

namespace {

const QString kKey = u"sk-crosstalk-LEAKCHECK-1234567890"_s;

QStringList g_logLines;

void captureMessages(QtMsgType, const QMessageLogContext &, const QString &message)
{
    g_logLines.append(message);
}

ChatRequest question()
{
    ChatRequest request;
    request.system = u"You are Alice."_s;
    request.turns = {{ChatTurn::Role::User, u"Topic: secrets."_s}};
    return request;
}

QByteArray echoingKeyBody()
{
    return "{\"error\":{\"message\":\"Incorrect API key provided: " + kKey.toUtf8() +
           ". You can find your API key at https://example.invalid.\",\"type\":"
           "\"invalid_request_error\",\"code\":\"invalid_api_key\"}}";
}

} // namespace

class TestKeyLeak : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<FakeLlmServer> m_server;
    std::unique_ptr<ChatClient> m_client;
    QtMessageHandler m_previousHandler = nullptr;

    ModelConfig model(const QString &kind) const
    {
        ModelConfig m;
        m.alias = u"big"_s;
        m.kind = kind == u"anthropic"_s ? ApiKind::Anthropic : ApiKind::OpenAI;
        m.modelId = m.kind == ApiKind::Anthropic ? u"claude-sonnet-4-5"_s : u"gpt-4o"_s;
        m.baseUrl = m_server->baseUrl().resolved(QUrl(u"/v1"_s));
        if (kind == u"azure"_s) {
            m.baseUrl = m_server->baseUrl().resolved(QUrl(u"/openai/deployments/prod"_s));
            m.azureApiVersion = u"2024-10-21"_s;
        }
        return m;
    }

    // Everything a call lets out, as text.
    static QStringList outputsOf(ChatCall *call, const CallLog &log)
    {
        QStringList outputs = {call->text(),
                               QString::fromUtf8(QJsonDocument(call->requestRecord()).toJson())};
        outputs += log.deltas;
        for (const CallError &error : log.failures + log.retryReasons)
            outputs.append(error.message);
        return outputs;
    }

    static void verifyNoKey(const QStringList &outputs)
    {
        for (const QString &output : outputs)
            QVERIFY2(!output.contains(kKey), qPrintable(output));
        for (const QString &line : std::as_const(g_logLines))
            QVERIFY2(!line.contains(kKey), qPrintable(line));
    }

private slots:
    void initTestCase() { m_previousHandler = qInstallMessageHandler(captureMessages); }

    void cleanupTestCase() { qInstallMessageHandler(m_previousHandler); }

    void init()
    {
        m_server = std::make_unique<FakeLlmServer>();
        QVERIFY(m_server->listen());
        m_client = std::make_unique<ChatClient>();
        CallTiming timing = fastTiming();
        timing.inactivityTimeout = std::chrono::milliseconds(150);
        m_client->setTiming(timing);
        g_logLines.clear();
    }

    void cleanup()
    {
        m_client.reset();
        m_server.reset();
    }

    void calls_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("faultSpec");
        QTest::addColumn<bool>("succeeds");
        for (const QString &kind : {u"openai"_s, u"anthropic"_s, u"azure"_s}) {
            for (const QString &faultSpec :
                 {QString(), u"401"_s, u"500"_s, u"429:0"_s, u"stream-error:2"_s, u"malformed:1"_s,
                  u"reset:2"_s, u"truncate:2"_s, u"stall:1"_s, u"close"_s}) {
                const QString name = faultSpec.isEmpty() ? u"success"_s : faultSpec;
                QTest::addRow("%s, %s", qPrintable(kind), qPrintable(name))
                    << kind << faultSpec << faultSpec.isEmpty();
            }
        }
    }

    void calls()
    {
        QFETCH(QString, kind);
        QFETCH(QString, faultSpec);
        QFETCH(bool, succeeds);
        if (!faultSpec.isEmpty()) {
            QString error;
            m_server->addFaultRule(*FaultRule::parse(faultSpec, &error));
        }
        CallLog log;
        ChatCall *call = m_client->createCall(model(kind), kKey, question(), this);
        record(call, &log);
        call->start();
        QTRY_VERIFY_WITH_TIMEOUT(log.done(), 5000);
        QCOMPARE(log.finished == 1, succeeds);

        // The key did travel — to the server, in its header, and nowhere else.
        const Fake::RecordedRequest r = m_server->requests().first();
        QVERIFY(r.headers
                    .value(kind == u"anthropic"_s ? "x-api-key"
                           : kind == u"azure"_s   ? "api-key"
                                                  : "authorization")
                    .contains(kKey.toUtf8()));
        QVERIFY(!r.body.contains(kKey.toUtf8()));
        if (faultSpec == u"401"_s)
            QVERIFY2(log.failure().message.contains(u"Incorrect API key provided: [key removed]"_s),
                     qPrintable(log.failure().message));
        verifyNoKey(outputsOf(call, log));
    }

    void connectionRefused()
    {
        ModelConfig m = model(u"openai"_s);
        QUrl url = m.baseUrl;
        url.setPort(FakeLlmServer::closedPort());
        m.baseUrl = url;
        CallLog log;
        ChatCall *call = m_client->createCall(m, kKey, question(), this);
        record(call, &log);
        call->start();
        QTRY_VERIFY(log.done());
        QCOMPARE(log.failure().kind, CallError::Kind::Network);
        verifyNoKey(outputsOf(call, log));
    }

    // A server (or a proxy before it) that answers with the key in an error body.
    void echoingServer_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("openai") << u"openai"_s;
        QTest::newRow("anthropic") << u"anthropic"_s;
    }

    void echoingServer()
    {
        QFETCH(QString, kind);
        CannedServer canned(CannedServer::response("application/json", echoingKeyBody(), 401));
        QVERIFY(canned.listen());
        ModelConfig m = model(kind);
        m.baseUrl = canned.baseUrl();

        CallLog log;
        ChatCall *call = m_client->createCall(m, kKey, question(), this);
        record(call, &log);
        call->start();
        QTRY_VERIFY(log.done());
        QCOMPARE(log.failure().httpStatus, 401);
        QVERIFY(log.failure().message.startsWith(u"Incorrect API key provided: [key removed]."_s));
        verifyNoKey(outputsOf(call, log));

        ModelListing *listing =
            ModelListing::start(m_client->http(), m, kKey, std::chrono::seconds(5), this);
        QSignalSpy failed(listing, &ModelListing::failed);
        QTRY_COMPARE(failed.size(), 1);
        const QString message = failed.first().first().toString();
        QVERIFY2(message.contains(u"[key removed]"_s), qPrintable(message));
        verifyNoKey({message});
    }
};

QTEST_GUILESS_MAIN(TestKeyLeak)
#include "tst_keyleak.moc"
