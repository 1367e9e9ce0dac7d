// SPDX-License-Identifier: GPL-3.0-or-later
// What the fake LLM server records, when, and what it infers from a request; plus the
// crosstalk-fakellm program itself.
#include "fakellmserver.h"
#include "fakellmtest.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryFile>

using namespace Qt::StringLiterals;
using namespace Crosstalk;
using namespace Crosstalk::Fake;
using namespace Crosstalk::Fake::Test;

class TestFakeLlmRecording : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_server = std::make_unique<FakeLlmServer>();
        QVERIFY(m_server->listen());
    }

    void recordsEveryRequest()
    {
        QSignalSpy received(m_server.get(), &FakeLlmServer::requestReceived);
        QSignalSpy finished(m_server.get(), &FakeLlmServer::requestFinished);
        RawHttpClient first;
        FAKE_EXCHANGE(first, m_server->port(),
                      chatRequest(Api::Anthropic, chatBody(Api::Anthropic, true),
                                  {{"x-api-key", "sk-test"}}));
        RawHttpClient second;
        FAKE_EXCHANGE(second, m_server->port(),
                      RawHttpClient::request("GET", "/v1/models?limit=5"));
        QTRY_COMPARE(finished.size(), 2);
        QCOMPARE(received.size(), 2);

        const QList<RecordedRequest> records = m_server->requests();
        QCOMPARE(records.size(), 2);
        const RecordedRequest &chat = records.at(0);
        QCOMPARE(chat.id, 1);
        QCOMPARE(chat.method, "POST");
        QCOMPARE(chat.path, "/v1/messages");
        QCOMPARE(chat.api, u"anthropic"_s);
        QCOMPARE(chat.headers.value("x-api-key"), "sk-test");
        QCOMPARE(chat.json[u"system"_s].toString(), u"You are Alice."_s);
        QCOMPARE(chat.context.model, u"fake-model"_s);
        QCOMPARE(chat.context.speaker, u"Alice"_s);
        QVERIFY(chat.stream);
        QCOMPARE(chat.status, 200);
        QVERIFY(chat.reply.startsWith(u"Alice here."_s));
        QVERIFY(chat.arrivedAt.isValid());
        QVERIFY(!chat.clientGone);
        QCOMPARE(records.at(1).path, "/v1/models");
        QCOMPARE(records.at(1).id, 2);
    }

    void timingsHaveLowerBounds()
    {
        ScriptEngine script;
        script.addRule({{}, {ScriptReply::Kind::Filler, {}, 5}});
        m_server->setScript(script);
        m_server->setTiming({20, 50, 200});
        RawHttpClient client;
        FAKE_EXCHANGE(client, m_server->port(),
                      chatRequest(Api::OpenAi, chatBody(Api::OpenAi, true)));
        const RecordedRequest r = m_server->requests().first();
        QVERIFY2(r.headersMs - r.arrivedMs >= 20,
                 qPrintable(QString::number(r.headersMs - r.arrivedMs)));
        QVERIFY2(r.firstTokenMs - r.arrivedMs >= 50,
                 qPrintable(QString::number(r.firstTokenMs - r.arrivedMs)));
        // Four more tokens at 200 per second.
        QVERIFY2(r.completedMs - r.arrivedMs >= 70,
                 qPrintable(QString::number(r.completedMs - r.arrivedMs)));
        QVERIFY(r.headersMs <= r.firstTokenMs && r.firstTokenMs <= r.completedMs);
    }

    void nonStreamingWaitsForTheWholeReply()
    {
        ScriptEngine script;
        script.addRule({{}, {ScriptReply::Kind::Filler, {}, 3}});
        m_server->setScript(script);
        m_server->setTiming({0, 30, 100});
        RawHttpClient client;
        FAKE_EXCHANGE(client, m_server->port(),
                      chatRequest(Api::Anthropic, chatBody(Api::Anthropic, false)));
        const RecordedRequest r = m_server->requests().first();
        QVERIFY(r.headersMs - r.arrivedMs >= 50);
        QVERIFY(r.completedMs >= r.headersMs);
    }

    void inspectableOverHttp()
    {
        RawHttpClient chat;
        FAKE_EXCHANGE(chat, m_server->port(),
                      chatRequest(Api::OpenAi, chatBody(Api::OpenAi, true)));
        RawHttpClient list;
        FAKE_EXCHANGE(list, m_server->port(), RawHttpClient::request("GET", "/_fake/requests"));
        QCOMPARE(list.status(), 200);
        const QJsonArray requests =
            QJsonDocument::fromJson(list.body()).object()[u"requests"_s].toArray();
        QCOMPARE(requests.size(), 1);
        const QJsonObject r = requests.first().toObject();
        QCOMPARE(r[u"path"_s].toString(), u"/v1/chat/completions"_s);
        QCOMPARE(r[u"participant"_s].toString(), u"Alice"_s);
        QCOMPARE(r[u"body"_s][u"model"_s].toString(), u"fake-model"_s);
        QVERIFY(r[u"completed_ms"_s].toDouble() >= r[u"arrived_ms"_s].toDouble());

        RawHttpClient clear;
        FAKE_EXCHANGE(clear, m_server->port(), RawHttpClient::request("DELETE", "/_fake/requests"));
        QCOMPARE(clear.status(), 204);
        QCOMPARE(clear.header("Content-Length"), QByteArray());
        QVERIFY(m_server->requests().isEmpty());
    }

    void infersTheConversationFromPrompts()
    {
        QJsonObject body = chatBody(Api::OpenAi, false);
        body[u"messages"_s] = QJsonArray{
            QJsonObject{{u"role"_s, u"system"_s},
                        {u"content"_s, u"You are Carol, a sceptical engineer."_s}},
            QJsonObject{{u"role"_s, u"user"_s},
                        {u"content"_s, u"Topic: Is nuclear power safe?\n\nDave: It is the "
                                       u"safest per kWh.\n\nErin: Waste is unsolved."_s}},
            QJsonObject{{u"role"_s, u"assistant"_s}, {u"content"_s, u"My opening."_s}},
            QJsonObject{{u"role"_s, u"user"_s},
                        {u"content"_s, u"Dave: Storage exists.\n\nRound 3 of 4: reply."_s}}};
        RawHttpClient client;
        FAKE_EXCHANGE(client, m_server->port(), chatRequest(Api::OpenAi, body));
        const ScriptContext context = m_server->requests().first().context;
        QCOMPARE(context.speaker, u"Carol"_s);
        QCOMPARE(context.topic, u"Is nuclear power safe?"_s);
        QCOMPARE(context.round, 2);
        QCOMPARE(context.totalRounds, 4);
        QCOMPARE(context.kind, TurnKind::Exchange);
        QCOMPARE(context.visible.size(), 3);
        QCOMPARE(context.visible.last().speaker, u"Dave"_s);
        QCOMPARE(context.visible.last().text, u"Storage exists."_s);
        const QString reply = m_server->requests().first().reply;
        QVERIFY2(reply.contains(u"Dave, you said “Storage exists”"_s), qPrintable(reply));
        QVERIFY2(reply.contains(u"Erin, you said “Waste is unsolved”"_s), qPrintable(reply));
    }

    void headersOverrideTheInference()
    {
        QJsonObject body = chatBody(Api::Anthropic, false, u"Give your verdict."_s);
        body[u"system"_s] =
            QJsonArray{QJsonObject{{u"type"_s, u"text"_s}, {u"text"_s, u"Judge."_s}}};
        RawHttpClient verdict;
        FAKE_EXCHANGE(verdict, m_server->port(), chatRequest(Api::Anthropic, body));
        QCOMPARE(m_server->requests().at(0).context.kind, TurnKind::Verdict);

        RawHttpClient client;
        FAKE_EXCHANGE(client, m_server->port(),
                      chatRequest(Api::Anthropic, body,
                                  {{"x-fake-participant", "Zoe"},
                                   {"x-fake-round", "4"},
                                   {"x-fake-kind", "exchange"}}));
        const ScriptContext context = m_server->requests().at(1).context;
        QCOMPARE(context.speaker, u"Zoe"_s);
        QCOMPARE(context.round, 4);
        QCOMPARE(context.kind, TurnKind::Exchange);
    }

    void scriptFileGivesRepliesAndFaults()
    {
        QTemporaryFile file;
        QVERIFY(file.open());
        file.write(R"({"seed": 3, "rules": [
            {"participant": "Alice", "round": 1, "reply": {"answer": "42"}},
            {"participant": "Alice", "fault": "429:2", "nth": 2}]})");
        file.close();
        QString error;
        QVERIFY2(m_server->loadScript(file.fileName(), &error), qPrintable(error));
        QList<int> statuses;
        for (const char *round : {"1", "1", "0"}) {
            RawHttpClient client;
            FAKE_EXCHANGE(
                client, m_server->port(),
                chatRequest(Api::OpenAi, chatBody(Api::OpenAi, false), {{"x-fake-round", round}}));
            statuses.append(client.status());
        }
        QCOMPARE(statuses, (QList<int>{200, 429, 200}));
        const QList<RecordedRequest> records = m_server->requests();
        QVERIFY(records.at(0).reply.endsWith(u"The answer is 42."_s));
        QCOMPARE(records.at(1).fault, u"429:2"_s);
        QVERIFY(!records.at(2).reply.contains(u"The answer is"_s));
    }

    void servesSeveralRequestsOnOneConnection()
    {
        QNetworkAccessManager manager;
        QNetworkRequest request(m_server->baseUrl().resolved(QUrl(u"/v1/chat/completions"_s)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
        for (int i = 0; i < 3; ++i) {
            QNetworkReply *reply =
                manager.post(request, QJsonDocument(chatBody(Api::OpenAi, i % 2 == 0)).toJson());
            QTRY_VERIFY(reply->isFinished());
            QCOMPARE(reply->error(), QNetworkReply::NoError);
            QVERIFY(!reply->readAll().isEmpty());
            reply->deleteLater();
        }
        QCOMPARE(m_server->requests().size(), 3);
        QCOMPARE(m_server->requests().last().headers.value("connection"), "Keep-Alive");
    }

    void answersExpectContinue()
    {
        const QByteArray payload = QJsonDocument(chatBody(Api::OpenAi, false)).toJson();
        RawHttpClient client;
        client.send(m_server->port(), "POST /v1/chat/completions HTTP/1.1\r\nContent-Length: " +
                                          QByteArray::number(payload.size()) +
                                          "\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n");
        // curl holds the body back until this interim answer arrives.
        QTRY_VERIFY(client.received().startsWith("HTTP/1.1 100 Continue\r\n\r\n"));
        QVERIFY(m_server->requests().isEmpty());
        client.sendMore(payload);
        QTRY_VERIFY(client.isDone());
        QVERIFY(client.received().contains("\r\n\r\nHTTP/1.1 200 OK\r\n"));
        QCOMPARE(m_server->requests().size(), 1);
    }

    void malformedHttpGetsA400AndTheConnectionClosed_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        QTest::newRow("garbage") << "GARBAGE\r\n\r\n"_ba << 400;
        QTest::newRow("space before colon") << "GET / HTTP/1.1\r\nHost : x\r\n\r\n"_ba << 400;
        QTest::newRow("bad length") << "POST / HTTP/1.1\r\nContent-Length: -4\r\n\r\n"_ba << 400;
        QTest::newRow("huge body")
            << "POST / HTTP/1.1\r\nContent-Length: 999999999999\r\n\r\n"_ba << 413;
    }

    void malformedHttpGetsA400AndTheConnectionClosed()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        RawHttpClient client;
        FAKE_EXCHANGE(client, m_server->port(), request);
        QCOMPARE(client.status(), status);
        QVERIFY(m_server->requests().isEmpty());
    }

    void programStreamsBothApis()
    {
        QProcess process;
        process.start(QStringLiteral(CROSSTALK_FAKELLM_EXECUTABLE),
                      {u"--port"_s, u"0"_s, u"--ttft-ms"_s, u"5"_s, u"--tokens-per-second"_s,
                       u"1000"_s, u"--fault"_s, u"503@participant=Nobody"_s});
        QTRY_VERIFY_WITH_TIMEOUT(process.canReadLine(), 10000);
        const QByteArray line = process.readLine().trimmed();
        QVERIFY2(line.startsWith("crosstalk-fakellm listening on http://127.0.0.1:"),
                 line.constData());
        const quint16 port = line.sliced(line.lastIndexOf(':') + 1).toUShort();

        RawHttpClient openAi;
        FAKE_EXCHANGE(openAi, port, chatRequest(Api::OpenAi, chatBody(Api::OpenAi, true)));
        QCOMPARE(openAi.status(), 200);
        QVERIFY(openAi.body().endsWith("data: [DONE]\n\n"));
        RawHttpClient anthropic;
        FAKE_EXCHANGE(anthropic, port, chatRequest(Api::Anthropic, chatBody(Api::Anthropic, true)));
        QCOMPARE(anthropic.status(), 200);
        QVERIFY(anthropic.body().endsWith(
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));
        process.terminate();
        QVERIFY(process.waitForFinished(5000));
    }

    void programRejectsBadOptions()
    {
        QProcess process;
        process.start(QStringLiteral(CROSSTALK_FAKELLM_EXECUTABLE),
                      {u"--port"_s, u"0"_s, u"--fault"_s, u"gremlins"_s});
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitCode(), 2);
        QVERIFY(process.readAllStandardError().contains("unknown fault \"gremlins\""));
    }

private:
    std::unique_ptr<FakeLlmServer> m_server;
};

QTEST_GUILESS_MAIN(TestFakeLlmRecording)
#include "tst_fakellm_recording.moc"
