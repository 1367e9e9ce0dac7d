// SPDX-License-Identifier: GPL-3.0-or-later
// The fake LLM server over HTTPS (FakeLlmServer::setTls, crosstalk-fakellm --tls): a streamed
// chat call through ChatClient succeeds once the process trusts the test certificate, and
// fails with a TLS error, without the server seeing a request, when it does not.
#include "chatcalltest.h"
#include "fakellmserver.h"
#include "testtls.h"

#include "llm/chatclient.h"
#include "llm/modelregistry.h"

#include <QNetworkReply>
#include <QProcess>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Crosstalk;
using namespace Crosstalk::Testing;
using Crosstalk::Fake::FakeLlmServer;

namespace {

ChatRequest question()
{
    ChatRequest request;
    request.system = u"You are Alice, a careful physicist."_s;
    request.turns = {{ChatTurn::Role::User, u"Topic: is light a wave?"_s}};
    return request;
}

} // namespace

class TestFakeLlmTls : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<FakeLlmServer> m_server;
    std::unique_ptr<ChatClient> m_client;
    QSslConfiguration m_defaultTls;

    ChatCall *startCall(CallLog *log)
    {
        QProcessEnvironment environment;
        environment.insert(u"OPENAI_API_KEY"_s, u"sk-test-tls-0123456789"_s);
        environment.insert(u"OPENAI_BASE_URL"_s,
                           m_server->baseUrl().resolved(QUrl(u"/v1"_s)).toString());
        const ModelRegistry registry = ModelRegistry::load(environment, nullptr);
        const ModelConfig big = *registry.model(u"big"_s);
        ChatCall *call =
            m_client->createCall(big, registry.environmentKey(big), question(), m_client.get());
        record(call, log);
        call->start();
        return call;
    }

private slots:
    void initTestCase()
    {
        // The build root's Qt loads its OpenSSL backend at run time; say what it found.
        qInfo("TLS: %s", qPrintable(Fake::tlsBackendDescription()));
        QVERIFY2(Fake::tlsAvailable(), qPrintable(Fake::tlsBackendDescription()));
        QVERIFY(!Fake::testCertificate().isNull());
        QVERIFY(!Fake::testPrivateKey().isNull());
        m_defaultTls = QSslConfiguration::defaultConfiguration();
    }

    void init()
    {
        QString error;
        const auto tls = Fake::testServerTlsConfiguration(&error);
        QVERIFY2(tls, qPrintable(error));
        m_server = std::make_unique<FakeLlmServer>();
        m_server->setTls(*tls);
        QVERIFY(m_server->listen());
        QCOMPARE(m_server->baseUrl().scheme(), u"https"_s);
        m_client = std::make_unique<ChatClient>();
        m_client->setTiming(fastTiming());
    }

    void cleanup()
    {
        m_client.reset();
        m_server.reset();
        QSslConfiguration::setDefaultConfiguration(m_defaultTls);
    }

    void streamedCallSucceedsWithTestCertificateTrusted()
    {
        QVERIFY(Fake::trustTestCertificate());
        m_server->setTiming({0, 0, 400}); // paced: the reply arrives over several TLS records

        CallLog log;
        ChatCall *call = startCall(&log);
        QTRY_VERIFY_WITH_TIMEOUT(log.done(), 10000);
        QVERIFY2(log.failures.isEmpty(), qPrintable(log.failure().message));
        QCOMPARE(log.finished, 1);
        QVERIFY(log.deltas.size() > 1);

        QCOMPARE(m_server->requests().size(), 1);
        const Fake::RecordedRequest r = m_server->requests().first();
        QVERIFY(r.stream);
        QVERIFY(r.reply.startsWith(u"Alice here."_s));
        QCOMPARE(call->text(), r.reply);
        QCOMPARE(log.deltas.join(QString()), r.reply);
        QCOMPARE(call->finishReason(), FinishReason::Stop);
    }

    void clientWithoutTestCertificateFailsHandshake()
    {
        // Straight through the HTTP client first, to see the error Qt names…
        QNetworkReply *reply =
            m_client->http()->get(m_server->baseUrl().resolved(QUrl(u"/v1/models"_s)), {}, {});
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
        QCOMPARE(reply->error(), QNetworkReply::SslHandshakeFailedError);
        reply->deleteLater();

        // …then as a chat call: it fails (after its retries) and the server saw no request.
        CallLog log;
        startCall(&log);
        QTRY_VERIFY_WITH_TIMEOUT(log.done(), 10000);
        QCOMPARE(log.finished, 0);
        QCOMPARE(log.failure().kind, CallError::Kind::Network);
        QVERIFY2(log.failure().message.contains(u"SSL"_s) ||
                     log.failure().message.contains(u"certificate"_s),
                 qPrintable(log.failure().message));
        QCOMPARE(m_server->requests().size(), 0);
    }

    // crosstalk-fakellm --tls, as the benchmarks start it.
    void programServesHttps()
    {
        QVERIFY(Fake::trustTestCertificate());
        QProcess program;
        program.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        program.start(QStringLiteral(CROSSTALK_FAKELLM_EXECUTABLE),
                      {u"--port"_s, u"0"_s, u"--tls"_s});
        QVERIFY(program.waitForStarted(10000));
        QTRY_VERIFY_WITH_TIMEOUT(program.canReadLine(), 10000);
        const QByteArray line = program.readLine().trimmed();
        const QUrl baseUrl(QString::fromUtf8(line.mid(line.lastIndexOf(' ') + 1)));
        QCOMPARE(baseUrl.scheme(), u"https"_s);

        QNetworkReply *reply =
            m_client->http()->get(baseUrl.resolved(QUrl(u"/v1/models"_s)), {}, {});
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
        QCOMPARE(reply->error(), QNetworkReply::NoError);
        QVERIFY(reply->readAll().contains("fake-model"));
        reply->deleteLater();
        program.kill();
        program.waitForFinished(5000);
    }
};

QTEST_GUILESS_MAIN(TestFakeLlmTls)
#include "tst_fakellm_tls.moc"
