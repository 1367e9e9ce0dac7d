// SPDX-License-Identifier: GPL-3.0-or-later
// The fake server's OpenAI and Anthropic wire formats, compared with fixtures written from the
// providers' published examples (tests/data/README.md).
#include "fakellmserver.h"
#include "fakellmtest.h"

#include "llm/replytokenizer.h"

#include <QFile>
#include <QJsonDocument>

using namespace Qt::StringLiterals;
using namespace Crosstalk;
using namespace Crosstalk::Fake;
using namespace Crosstalk::Fake::Test;

namespace {

QByteArray fixture(const QString &name)
{
    QFile file(QStringLiteral(CROSSTALK_TEST_DATA) + u'/' + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    return file.readAll();
}

QJsonValue parsed(const QByteArray &json)
{
    const QJsonDocument document = QJsonDocument::fromJson(json);
    return document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array());
}

enum class Match
{
    Exact,   // "type"/"object" discriminators equal, nulls only where the fixture has them
    Nullable // for error objects, whose kind varies and whose "code" may be null
};

// Empty when every field of expected is in actual with the same JSON type (a null in the
// fixture stands for any value).
QString shapeMismatch(const QJsonValue &expected, const QJsonValue &actual,
                      Match match = Match::Exact, const QString &path = u"$"_s)
{
    if (expected.isNull() || (match == Match::Nullable && actual.isNull()))
        return {};
    if (expected.type() != actual.type())
        return path + u": type differs"_s;
    if (expected.isObject()) {
        const QJsonObject e = expected.toObject();
        const QJsonObject a = actual.toObject();
        for (auto it = e.begin(); it != e.end(); ++it) {
            const QString where = path + u'.' + it.key();
            if (!a.contains(it.key()))
                return where + u": missing"_s;
            if (match == Match::Exact && (it.key() == u"type" || it.key() == u"object") &&
                it.value() != a.value(it.key()))
                return where + u": "_s + a.value(it.key()).toString();
            if (QString m = shapeMismatch(it.value(), a.value(it.key()), match, where);
                !m.isEmpty())
                return m;
        }
    } else if (expected.isArray()) {
        const QJsonArray e = expected.toArray();
        const QJsonArray a = actual.toArray();
        if (e.isEmpty() != a.isEmpty())
            return path + u": emptiness differs"_s;
        for (qsizetype i = 0; i < a.size(); ++i) {
            if (QString m = shapeMismatch(e.first(), a.at(i), match, path + u"[%1]"_s.arg(i));
                !m.isEmpty())
                return m;
        }
    }
    return {};
}

// What role an event plays in a stream; consecutive repeats collapse to one.
QString openAiKind(const SseEvent &event)
{
    if (event.data == "[DONE]")
        return u"done"_s;
    const QJsonObject chunk = QJsonDocument::fromJson(event.data).object();
    const QJsonObject choice = chunk[u"choices"_s][0].toObject();
    if (chunk[u"choices"_s].toArray().isEmpty())
        return u"usage"_s;
    if (choice[u"delta"_s].toObject().contains(u"role"_s))
        return u"role"_s;
    return choice[u"finish_reason"_s].isNull() ? u"content"_s : u"finish"_s;
}

QString anthropicKind(const SseEvent &event)
{
    return QString::fromLatin1(event.event);
}

// Checks event order and each event's shape against the fixture's event of the same kind.
void compareStreams(const QByteArray &fixtureStream, const QByteArray &ours,
                    QString (*kindOf)(const SseEvent &))
{
    QStringList fixtureKinds;
    QHash<QString, QJsonValue> fixtureByKind;
    for (const SseEvent &event : parseSse(fixtureStream)) {
        const QString kind = kindOf(event);
        if (fixtureKinds.isEmpty() || fixtureKinds.last() != kind)
            fixtureKinds.append(kind);
        fixtureByKind.insert(kind, parsed(event.data));
    }
    QStringList ourKinds;
    for (const SseEvent &event : parseSse(ours)) {
        const QString kind = kindOf(event);
        if (ourKinds.isEmpty() || ourKinds.last() != kind)
            ourKinds.append(kind);
        QVERIFY2(fixtureByKind.contains(kind), qPrintable(kind));
        if (event.data == "[DONE]")
            continue;
        const QJsonValue data = parsed(event.data);
        const QString mismatch = shapeMismatch(fixtureByKind.value(kind), data);
        QVERIFY2(mismatch.isEmpty(), qPrintable(kind + u": "_s + mismatch));
        if (!event.event.isEmpty())
            QCOMPARE(data[u"type"_s].toString(), QString::fromLatin1(event.event));
    }
    QCOMPARE(ourKinds, fixtureKinds);
}

QString openAiText(const QByteArray &stream)
{
    QString text;
    for (const SseEvent &event : parseSse(stream)) {
        text += QJsonDocument::fromJson(event.data)
                    .object()[u"choices"_s][0][u"delta"_s][u"content"_s]
                    .toString();
    }
    return text;
}

QString anthropicText(const QByteArray &stream)
{
    QString text;
    for (const SseEvent &event : parseSse(stream)) {
        if (event.event == "content_block_delta")
            text += QJsonDocument::fromJson(event.data).object()[u"delta"_s][u"text"_s].toString();
    }
    return text;
}

} // namespace

class TestFakeLlmWire : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_server = std::make_unique<FakeLlmServer>();
        QVERIFY(m_server->listen());
    }

    void openAiStreamMatchesPublishedChunks()
    {
        RawHttpClient client;
        FAKE_EXCHANGE(client, m_server->port(),
                      chatRequest(Api::OpenAi, chatBody(Api::OpenAi, true)));
        QCOMPARE(client.status(), 200);
        QCOMPARE(client.header("Content-Type"), "text/event-stream; charset=utf-8");
        QVERIFY(client.chunkedBodyComplete());
        compareStreams(fixture(u"openai-chat-stream.sse"_s), client.body(), openAiKind);
        QVERIFY2(!client.body().contains("\"usage\""), "usage only when include_usage is set");
        QVERIFY(client.body().endsWith("data: [DONE]\n\n"));
        QCOMPARE(openAiText(client.body()), m_server->requests().first().reply);
    }

    void openAiStreamSendsUsageWhenAsked()
    {
        QJsonObject body = chatBody(Api::OpenAi, true);
        body.insert(u"stream_options"_s, QJsonObject{{u"include_usage"_s, true}});
        RawHttpClient client;
        FAKE_EXCHANGE(client, m_server->port(), chatRequest(Api::OpenAi, body));
        compareStreams(fixture(u"openai-chat-stream-usage.sse"_s), client.body(), openAiKind);
        const QList<SseEvent> events = parseSse(client.body());
        const QJsonObject usage = QJsonDocument::fromJson(events.at(events.size() - 2).data)
                                      .object()[u"usage"_s]
                                      .toObject();
        const QString reply = m_server->requests().first().reply;
        QCOMPARE(usage[u"completion_tokens"_s].toInt(), ReplyTokenizer::count(reply));
        QCOMPARE(usage[u"total_tokens"_s].toInt(),
                 usage[u"prompt_tokens"_s].toInt() + usage[u"completion_tokens"_s].toInt());
    }

    void openAiNonStreamingMatchesPublishedCompletion()
    {
        RawHttpClient client;
        FAKE_EXCHANGE(client, m_server->port(),
                      chatRequest(Api::OpenAi, chatBody(Api::OpenAi, false)));
        QCOMPARE(client.status(), 200);
        QCOMPARE(client.header("Content-Length").toInt(), client.body().size());
        const QJsonValue body = parsed(client.body());
        const QString mismatch =
            shapeMismatch(parsed(fixture(u"openai-chat-completion.json"_s)), body);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
        QCOMPARE(body[u"choices"_s][0][u"message"_s][u"content"_s].toString(),
                 m_server->requests().first().reply);
    }

    void anthropicStreamMatchesPublishedEvents()
    {
        RawHttpClient client;
        FAKE_EXCHANGE(client, m_server->port(),
                      chatRequest(Api::Anthropic, chatBody(Api::Anthropic, true)));
        QCOMPARE(client.status(), 200);
        QCOMPARE(client.header("Content-Type"), "text/event-stream; charset=utf-8");
        QVERIFY(client.chunkedBodyComplete());
        compareStreams(fixture(u"anthropic-messages-stream.sse"_s), client.body(), anthropicKind);
        const QList<SseEvent> events = parseSse(client.body());
        const QString reply = m_server->requests().first().reply;
        QCOMPARE(anthropicText(client.body()), reply);
        const QJsonObject delta =
            QJsonDocument::fromJson(events.at(events.size() - 2).data).object();
        QCOMPARE(delta[u"usage"_s][u"output_tokens"_s].toInt(), ReplyTokenizer::count(reply));
    }

    void anthropicNonStreamingMatchesPublishedMessage()
    {
        RawHttpClient client;
        FAKE_EXCHANGE(client, m_server->port(),
                      chatRequest(Api::Anthropic, chatBody(Api::Anthropic, false)));
        QCOMPARE(client.status(), 200);
        const QJsonValue body = parsed(client.body());
        const QString mismatch = shapeMismatch(parsed(fixture(u"anthropic-message.json"_s)), body);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
        QCOMPARE(body[u"content"_s][0][u"text"_s].toString(), m_server->requests().first().reply);
    }

    void anthropicStreamErrorMatchesPublishedEvent()
    {
        RawHttpClient client;
        FAKE_EXCHANGE(client, m_server->port(),
                      chatRequest(Api::Anthropic, chatBody(Api::Anthropic, true),
                                  {{"x-fake-fault", "stream-error:2"}}));
        const QList<SseEvent> events = parseSse(client.body());
        QCOMPARE(events.last().event, "error");
        const QString mismatch =
            shapeMismatch(parsed(parseSse(fixture(u"anthropic-stream-error.sse"_s)).first().data),
                          parsed(events.last().data));
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
        QCOMPARE(
            anthropicText(client.body()),
            ReplyTokenizer::split(m_server->requests().first().reply).first(2).join(QString()));
        QVERIFY(!client.body().contains("message_stop"));
    }

    void errorsMatchPublishedShapes_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("fixtureName");
        QTest::newRow("openai 429")
            << chatRequest(Api::OpenAi, chatBody(Api::OpenAi, true), {{"x-fake-fault", "429"}})
            << 429 << u"openai-error.json"_s;
        QTest::newRow("openai bad json")
            << "POST /v1/chat/completions HTTP/1.1\r\nContent-Length: 1\r\n"
               "Connection: close\r\n\r\n{"_ba
            << 400 << u"openai-error.json"_s;
        QTest::newRow("anthropic unknown route")
            << RawHttpClient::request("GET", "/v1/nothing", {},
                                      {{"anthropic-version", "2023-06-01"}})
            << 404 << u"anthropic-error.json"_s;
        QJsonObject noMaxTokens = chatBody(Api::Anthropic, false);
        noMaxTokens.remove(u"max_tokens"_s);
        QTest::newRow("anthropic without max_tokens")
            << chatRequest(Api::Anthropic, noMaxTokens) << 400 << u"anthropic-error.json"_s;
    }

    void errorsMatchPublishedShapes()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        QFETCH(QString, fixtureName);
        RawHttpClient client;
        FAKE_EXCHANGE(client, m_server->port(), request);
        QCOMPARE(client.status(), status);
        QCOMPARE(client.header("Content-Type"), "application/json");
        const QJsonValue body = parsed(client.body());
        const QString mismatch = shapeMismatch(parsed(fixture(fixtureName)), body, Match::Nullable);
        QVERIFY2(mismatch.isEmpty(),
                 qPrintable(mismatch + u" in "_s + QString::fromUtf8(client.body())));
        if (fixtureName.startsWith(u"anthropic"_s))
            QCOMPARE(body[u"type"_s].toString(), u"error"_s);
    }

    void modelsMatchPublishedLists_data()
    {
        QTest::addColumn<QByteArray>("versionHeader");
        QTest::addColumn<QString>("fixtureName");
        QTest::newRow("openai") << QByteArray() << u"openai-models.json"_s;
        QTest::newRow("anthropic") << "2023-06-01"_ba << u"anthropic-models.json"_s;
    }

    void modelsMatchPublishedLists()
    {
        QFETCH(QByteArray, versionHeader);
        QFETCH(QString, fixtureName);
        m_server->setModels({u"alpha"_s, u"beta"_s});
        QList<std::pair<QByteArray, QByteArray>> headers;
        if (!versionHeader.isEmpty())
            headers.append({"anthropic-version", versionHeader});
        RawHttpClient client;
        FAKE_EXCHANGE(client, m_server->port(),
                      RawHttpClient::request("GET", "/v1/models", {}, headers));
        QCOMPARE(client.status(), 200);
        const QJsonValue body = parsed(client.body());
        const QString mismatch = shapeMismatch(parsed(fixture(fixtureName)), body);
        QVERIFY2(mismatch.isEmpty(), qPrintable(mismatch));
        QCOMPARE(body[u"data"_s][1][u"id"_s].toString(), u"beta"_s);
    }

    void maxTokensCutsTheReply_data()
    {
        QTest::addColumn<Api>("api");
        QTest::addColumn<QString>("reason");
        QTest::newRow("openai") << Api::OpenAi << u"length"_s;
        QTest::newRow("anthropic") << Api::Anthropic << u"max_tokens"_s;
    }

    void maxTokensCutsTheReply()
    {
        QFETCH(Api, api);
        QFETCH(QString, reason);
        QJsonObject body = chatBody(api, false);
        body.insert(u"max_tokens"_s, 3);
        RawHttpClient client;
        FAKE_EXCHANGE(client, m_server->port(), chatRequest(api, body));
        const QJsonObject reply = QJsonDocument::fromJson(client.body()).object();
        const QString text = api == Api::OpenAi
                                 ? reply[u"choices"_s][0][u"message"_s][u"content"_s].toString()
                                 : reply[u"content"_s][0][u"text"_s].toString();
        QCOMPARE(ReplyTokenizer::count(text), 3);
        QCOMPARE(api == Api::OpenAi ? reply[u"choices"_s][0][u"finish_reason"_s].toString()
                                    : reply[u"stop_reason"_s].toString(),
                 reason);
    }

private:
    std::unique_ptr<FakeLlmServer> m_server;
};

QTEST_GUILESS_MAIN(TestFakeLlmWire)
#include "tst_fakellm_wire.moc"
