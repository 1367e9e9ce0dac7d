// SPDX-License-Identifier: GPL-3.0-or-later
// Every fault the fake LLM server can inject, observed from the client's side of the wire.
#include "fakellmserver.h"
#include "fakellmtest.h"

#include "llm/replytokenizer.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>

using namespace Qt::StringLiterals;
using namespace Crosstalk;
using namespace Crosstalk::Fake;
using namespace Crosstalk::Fake::Test;

namespace {

int contentEvents(Api api, const QByteArray &stream)
{
    int n = 0;
    for (const SseEvent &event : parseSse(stream)) {
        const QJsonObject data = QJsonDocument::fromJson(event.data).object();
        if (data.isEmpty())
            continue;
        if (api == Api::Anthropic
                ? event.event == "content_block_delta"
                : data[u"choices"_s][0][u"delta"_s].toObject().contains(u"content"_s) &&
                      !data[u"choices"_s][0][u"delta"_s][u"role"_s].isString())
            ++n;
    }
    return n;
}

QByteArray endMarker(Api api)
{
    return api == Api::Anthropic ? "event: message_stop"_ba : "data: [DONE]"_ba;
}

void addApiRows()
{
    QTest::addColumn<Api>("api");
    QTest::newRow("openai") << Api::OpenAi;
    QTest::newRow("anthropic") << Api::Anthropic;
}

} // namespace

class TestFakeLlmFaults : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_server = std::make_unique<FakeLlmServer>();
        QVERIFY(m_server->listen());
    }

    void statusCodes_data()
    {
        QTest::addColumn<Api>("api");
        QTest::addColumn<QByteArray>("fault");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("retryAfter");
        for (Api api : {Api::OpenAi, Api::Anthropic}) {
            const char *name = api == Api::OpenAi ? "openai" : "anthropic";
            QTest::addRow("%s 429", name) << api << "429:7"_ba << 429 << "7"_ba;
            QTest::addRow("%s 500", name) << api << "500"_ba << 500 << QByteArray();
            QTest::addRow("%s 502", name) << api << "502"_ba << 502 << QByteArray();
            QTest::addRow("%s 503", name) << api << "503"_ba << 503 << "1"_ba;
        }
    }

    void statusCodes()
    {
        QFETCH(Api, api);
        QFETCH(QByteArray, fault);
        QFETCH(int, status);
        QFETCH(QByteArray, retryAfter);
        RawHttpClient client;
        FAKE_EXCHANGE(client, m_server->port(),
                      chatRequest(api, chatBody(api, true), {{"x-fake-fault", fault}}));
        QCOMPARE(client.status(), status);
        QCOMPARE(client.header("Retry-After"), retryAfter);
        const QJsonObject body = QJsonDocument::fromJson(client.body()).object();
        QVERIFY(!body[u"error"_s][u"message"_s].toString().isEmpty());
        QCOMPARE(m_server->requests().first().status, status);
        QCOMPARE(m_server->requests().first().fault, QString::fromLatin1(fault));
    }

    void ruleFailsOnlyTheNthRequestToAModel()
    {
        QString error;
        const auto rule = FaultRule::parse(u"503@model=fake-model,nth=2"_s, &error);
        QVERIFY2(rule, qPrintable(error));
        m_server->addFaultRule(*rule);
        QList<int> statuses;
        for (int i = 0; i < 3; ++i) {
            RawHttpClient client;
            FAKE_EXCHANGE(client, m_server->port(),
                          chatRequest(Api::OpenAi, chatBody(Api::OpenAi, false)));
            statuses.append(client.status());
        }
        QCOMPARE(statuses, (QList<int>{200, 503, 200}));
    }

    void ruleFailsEveryRequestOfAParticipantInARound()
    {
        QString error;
        m_server->addFaultRule(*FaultRule::parse(u"500@participant=Bob,round=1"_s, &error));
        const auto statusFor = [&](const QString &system, const QString &user) {
            QJsonObject body = chatBody(Api::OpenAi, false, user);
            QJsonArray messages = body[u"messages"_s].toArray();
            messages[0] = QJsonObject{{u"role"_s, u"system"_s}, {u"content"_s, system}};
            body[u"messages"_s] = messages;
            RawHttpClient client;
            client.send(m_server->port(), chatRequest(Api::OpenAi, body));
            if (!QTest::qWaitFor([&] { return client.isDone(); }, 10000))
                return -1;
            return client.status();
        };
        QCOMPARE(statusFor(u"You are Bob."_s, u"Round 2 of 3."_s), 500);
        QCOMPARE(statusFor(u"You are Bob."_s, u"Round 2 of 3."_s), 500);
        QCOMPARE(statusFor(u"You are Bob."_s, u"Round 1 of 3."_s), 200);
        QCOMPARE(statusFor(u"You are Alice."_s, u"Round 2 of 3."_s), 200);
    }

    void connectionRefused()
    {
        QTcpSocket socket;
        QSignalSpy errors(&socket, &QTcpSocket::errorOccurred);
        socket.connectToHost(QHostAddress::LocalHost, FakeLlmServer::closedPort());
        QTRY_COMPARE(errors.size(), 1);
        QCOMPARE(socket.error(), QAbstractSocket::ConnectionRefusedError);
    }

    void closeWithoutAnswer()
    {
        RawHttpClient client;
        FAKE_EXCHANGE(
            client, m_server->port(),
            chatRequest(Api::OpenAi, chatBody(Api::OpenAi, true), {{"x-fake-fault", "close"}}));
        QCOMPARE(client.received(), QByteArray());
        QCOMPARE(client.error(), QAbstractSocket::RemoteHostClosedError);
    }

    void resetMidStream_data() { addApiRows(); }

    void resetMidStream()
    {
        QFETCH(Api, api);
        QNetworkAccessManager manager;
        QNetworkRequest request(m_server->baseUrl().resolved(
            QUrl(api == Api::Anthropic ? u"/v1/messages"_s : u"/v1/chat/completions"_s)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        request.setRawHeader("x-fake-fault", "reset:3");
        request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
        QByteArray streamed;
        QNetworkReply *reply = manager.post(
            request, QJsonDocument(chatBody(api, true)).toJson(QJsonDocument::Compact));
        connect(reply, &QNetworkReply::readyRead, this, [&] { streamed += reply->readAll(); });
        QTRY_VERIFY(reply->isFinished());
        streamed += reply->readAll();
        // Qt reports the reset as RemoteHostClosedError, or under load sometimes not at all;
        // what matters is that the stream stopped after three events, without its end.
        QVERIFY2(reply->error() == QNetworkReply::RemoteHostClosedError ||
                     reply->error() == QNetworkReply::NoError,
                 qPrintable(reply->errorString()));
        QCOMPARE(contentEvents(api, streamed), 3);
        QVERIFY(!streamed.contains(endMarker(api)));
        QTRY_VERIFY(m_server->requests().first().finished());
        QVERIFY(!m_server->requests().first().clientGone);
        reply->deleteLater();
    }

    void truncatedStream_data() { addApiRows(); }

    void truncatedStream()
    {
        QFETCH(Api, api);
        RawHttpClient client;
        FAKE_EXCHANGE(client, m_server->port(),
                      chatRequest(api, chatBody(api, true), {{"x-fake-fault", "truncate:2"}}));
        QCOMPARE(client.status(), 200);
        QVERIFY2(client.chunkedBodyComplete(), "the HTTP body ends cleanly");
        QCOMPARE(contentEvents(api, client.body()), 2);
        QVERIFY(!client.body().contains(endMarker(api)));
    }

    void malformedChunk_data() { addApiRows(); }

    void malformedChunk()
    {
        QFETCH(Api, api);
        RawHttpClient client;
        FAKE_EXCHANGE(client, m_server->port(),
                      chatRequest(api, chatBody(api, true), {{"x-fake-fault", "malformed:1"}}));
        int broken = 0;
        for (const SseEvent &event : parseSse(client.body())) {
            QJsonParseError error;
            QJsonDocument::fromJson(event.data, &error);
            if (error.error != QJsonParseError::NoError && event.data != "[DONE]")
                ++broken;
        }
        QCOMPARE(broken, 1);
        QVERIFY2(client.body().contains(endMarker(api)), "the stream carries on after it");
        QCOMPARE(contentEvents(api, client.body()),
                 ReplyTokenizer::count(m_server->requests().first().reply));
    }

    void openAiStreamError()
    {
        RawHttpClient client;
        FAKE_EXCHANGE(client, m_server->port(),
                      chatRequest(Api::OpenAi, chatBody(Api::OpenAi, true),
                                  {{"x-fake-fault", "stream-error:1"}}));
        const QList<SseEvent> events = parseSse(client.body());
        QVERIFY(QJsonDocument::fromJson(events.last().data).object()[u"error"_s].isObject());
        QCOMPARE(contentEvents(Api::OpenAi, client.body()), 1);
        QVERIFY(!client.body().contains("[DONE]"));
    }

    void stallBeforeAnyByte()
    {
        QNetworkAccessManager manager;
        QNetworkRequest request(m_server->baseUrl().resolved(QUrl(u"/v1/chat/completions"_s)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
        request.setRawHeader("x-fake-fault", "stall");
        // The client's inactivity timeout is what ends a stall.
        request.setTransferTimeout(100);
        QNetworkReply *reply = manager.post(
            request, QJsonDocument(chatBody(Api::OpenAi, true)).toJson(QJsonDocument::Compact));
        QTRY_VERIFY(reply->isFinished());
        QVERIFY(reply->error() != QNetworkReply::NoError);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute), QVariant());
        QTRY_VERIFY(m_server->requests().first().clientGone);
        QCOMPARE(m_server->requests().first().headersMs, -1.0);
        reply->deleteLater();
    }

    void stallAfterSomeTokens()
    {
        RawHttpClient client;
        client.send(m_server->port(), chatRequest(Api::Anthropic, chatBody(Api::Anthropic, true),
                                                  {{"x-fake-fault", "stall:2"}}));
        QTRY_COMPARE(contentEvents(Api::Anthropic, client.body()), 2);
        QVERIFY(!m_server->requests().first().finished());
        client.abort();
        QTRY_VERIFY(m_server->requests().first().clientGone);
    }

    void slowTrickle()
    {
        ScriptEngine script;
        script.addRule({{}, {ScriptReply::Kind::Fixed, u"Hi."_s, 0}});
        m_server->setScript(script);
        RawHttpClient client;
        FAKE_EXCHANGE(client, m_server->port(),
                      chatRequest(Api::OpenAi, chatBody(Api::OpenAi, true),
                                  {{"x-fake-fault", "trickle:1:64"}}));
        const QList<QByteArray> chunks = client.chunks();
        QVERIFY(chunks.size() > 5);
        for (const QByteArray &chunk : chunks)
            QVERIFY(chunk.size() <= 64);
        QVERIFY(client.chunkedBodyComplete());
        QVERIFY(client.body().endsWith("data: [DONE]\n\n"));
        const RecordedRequest record = m_server->requests().first();
        QVERIFY(record.completedMs - record.arrivedMs >= double(chunks.size() - 1));
    }

    void invalidUtf8_data() { addApiRows(); }

    void invalidUtf8()
    {
        QFETCH(Api, api);
        RawHttpClient client;
        FAKE_EXCHANGE(client, m_server->port(),
                      chatRequest(api, chatBody(api, true), {{"x-fake-fault", "invalid-utf8"}}));
        QVERIFY(client.body().contains("\xFF\xFE"));
        QVERIFY(client.body().contains(endMarker(api)));
        QVERIFY(m_server->requests().first().reply.contains(u"\uFFFD"_s));
    }

    void multiByteCharacterSplitAcrossWrites_data() { addApiRows(); }

    void multiByteCharacterSplitAcrossWrites()
    {
        QFETCH(Api, api);
        RawHttpClient client;
        FAKE_EXCHANGE(client, m_server->port(),
                      chatRequest(api, chatBody(api, true), {{"x-fake-fault", "split-utf8"}}));
        const QList<QByteArray> chunks = client.chunks();
        bool splitE = false;
        bool splitEmoji = false;
        for (qsizetype i = 0; i + 1 < chunks.size(); ++i) {
            splitE = splitE || (chunks[i].endsWith("Caf\xC3") && chunks[i + 1].startsWith("\xA9"));
            splitEmoji = splitEmoji ||
                         (chunks[i].endsWith("\xF0\x9F") && chunks[i + 1].startsWith("\x98\x80"));
        }
        QVERIFY2(splitE, "é must be cut between its two bytes");
        QVERIFY2(splitEmoji, "😀 must be cut inside its four bytes");
        QVERIFY(QString::fromUtf8(client.body()).contains(u"Café"_s));
        const RecordedRequest record = m_server->requests().first();
        QVERIFY(record.completedMs - record.arrivedMs >= 20);
    }

    void veryLargeReply()
    {
        RawHttpClient client;
        FAKE_EXCHANGE(
            client, m_server->port(),
            chatRequest(Api::OpenAi, chatBody(Api::OpenAi, false), {{"x-fake-fault", "large"}}));
        QCOMPARE(client.status(), 200);
        QVERIFY(client.body().size() > 1'000'000);
        const QString text = QJsonDocument::fromJson(client.body())
                                 .object()[u"choices"_s][0][u"message"_s][u"content"_s]
                                 .toString();
        QCOMPARE(ReplyTokenizer::count(text), 200000);
    }

    void veryLargeStreamedReply()
    {
        QJsonObject body = chatBody(Api::Anthropic, true);
        body.insert(u"max_tokens"_s, 32000);
        RawHttpClient client;
        FAKE_EXCHANGE(client, m_server->port(),
                      chatRequest(Api::Anthropic, body, {{"x-fake-fault", "large:20000"}}));
        QCOMPARE(contentEvents(Api::Anthropic, client.body()), 20000);
        QVERIFY(client.body().contains(endMarker(Api::Anthropic)));
    }

    void unknownFaultIsABadRequest()
    {
        RawHttpClient client;
        FAKE_EXCHANGE(
            client, m_server->port(),
            chatRequest(Api::OpenAi, chatBody(Api::OpenAi, true), {{"x-fake-fault", "gremlins"}}));
        QCOMPARE(client.status(), 400);
        QVERIFY(client.body().contains("unknown fault"));
    }

    void faultSpecsParse_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<bool>("valid");
        for (const char *ok :
             {"429", "429:30", "529", "close", "reset", "reset:0", "truncate:4", "malformed",
              "stream-error:2", "stall", "stall:0", "trickle", "trickle:5:3", "invalid-utf8",
              "split-utf8", "large:10", "500@model=m,participant=P,round=2,nth=3"})
            QTest::newRow(ok) << QString::fromLatin1(ok) << true;
        for (const char *bad : {"200", "reset:x", "trickle:1:0", "close:1", "large:0",
                                "500@colour=red", "500@nth=-1", "boom"})
            QTest::newRow(bad) << QString::fromLatin1(bad) << false;
    }

    void faultSpecsParse()
    {
        QFETCH(QString, spec);
        QFETCH(bool, valid);
        QString error;
        QCOMPARE(FaultRule::parse(spec, &error).has_value(), valid);
        QCOMPARE(error.isEmpty(), valid);
    }

private:
    std::unique_ptr<FakeLlmServer> m_server;
};

QTEST_GUILESS_MAIN(TestFakeLlmFaults)
#include "tst_fakellm_faults.moc"
