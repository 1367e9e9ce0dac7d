// SPDX-License-Identifier: GPL-3.0-or-later
// The MCP server's JSON-RPC layer and tools, in process: an McpServer on the engine, with the
// model slots served by the in-process fake LLM server, and a channel that records what the
// server sends.
#include "context/appcontext.h"
#include "conversation/preset.h"
#include "engine/engine.h"
#include "fakellmserver.h"
#include "fault.h"
#include "httptestclient.h"
#include "llm/chatclient.h"
#include "mcpserver.h"
#include "persona/personalibrary.h"
#include "restserver.h"
#include "storage/sessionstore.h"
#include "storelock.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Crosstalk;
using namespace Crosstalk::Fake;
using namespace Crosstalk::Testing;

namespace {

class RecordingChannel : public McpChannel
{
public:
    using McpChannel::McpChannel;

    void notify(const QJsonObject &message) override { notifications.append(message); }
    void reply(const QJsonValue &answer) override { replies.append(answer); }

    QList<QJsonObject> notifications;
    QList<QJsonValue> replies;
};

const QByteArray kUrlPassword = "url-pa55word-R16";
const QByteArray kToken = "test-token-mcp-0123456789abcdefghijklmn"_ba;

const QString kAlice = u"You are Alice, who explains things with everyday objects."_s;

QByteArray request(int id, const QString &method, const QJsonObject &params = {})
{
    QJsonObject message{{u"jsonrpc"_s, u"2.0"_s}, {u"id"_s, id}, {u"method"_s, method}};
    if (!params.isEmpty())
        message.insert(u"params"_s, params);
    return QJsonDocument(message).toJson(QJsonDocument::Compact);
}

QByteArray call(int id, const QString &tool, const QJsonObject &arguments = {},
                const QJsonObject &meta = {})
{
    QJsonObject params{{u"name"_s, tool}, {u"arguments"_s, arguments}};
    if (!meta.isEmpty())
        params.insert(u"_meta"_s, meta);
    return request(id, u"tools/call"_s, params);
}

} // namespace

class TestMcpServer : public QObject
{
    Q_OBJECT

private:
    FakeLlmServer m_fake;
    QTemporaryDir m_dir;
    std::unique_ptr<AppContext> m_context;
    Engine *m_engine = nullptr;
    SessionStore *m_store = nullptr;
    PersonaLibrary *m_library = nullptr;
    std::unique_ptr<McpServer> m_server;
    std::unique_ptr<RestServer> m_rest;

    HttpReply post(const QByteArray &body,
                   const QList<std::pair<QByteArray, QByteArray>> &extra = {},
                   const QByteArray &token = kToken, const QByteArray &method = "POST")
    {
        HttpTestClient client(m_rest->port());
        if (!client.connect())
            return {};
        client.write(HttpTestClient::request(
            method, "/mcp", "127.0.0.1:" + QByteArray::number(m_rest->port()), token, body, extra));
        return client.read();
    }

    // The one answer to `json`, given at once.
    QJsonValue send(const QByteArray &json, const QString &version = u"2025-11-25"_s)
    {
        RecordingChannel channel;
        channel.protocolVersion = version;
        m_server->receive(json, &channel);
        if (channel.replies.size() != 1) {
            qWarning() << "expected one answer, got" << channel.replies.size();
            return QJsonValue::Undefined;
        }
        return channel.replies.first();
    }

    QJsonObject toolCall(const QString &tool, const QJsonObject &arguments = {})
    {
        return send(call(7, tool, arguments))[u"result"_s].toObject();
    }

    QString setUp(int iterations = 1)
    {
        const QJsonObject result =
            toolCall(u"crosstalk_setup"_s, {{u"models"_s, QJsonArray{u"big"_s, u"small"_s}},
                                            {u"iterations"_s, iterations},
                                            {u"topic"_s, u"T"_s}});
        return result[u"structuredContent"_s][u"session_id"_s].toString();
    }

    static int errorCode(const QJsonValue &response)
    {
        return response[u"error"_s][u"code"_s].toInt();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(m_fake.listen());
        m_fake.setTiming({2, 2, 0});
        QProcessEnvironment environment;
        environment.insert(u"OPENAI_BASE_URL"_s, m_fake.baseUrl().toString() + u"/v1"_s);
        environment.insert(u"OPENAI_API_KEY"_s, u"sk-test-mcp"_s);
        environment.insert(u"ENABLE_MIDDLE_ENDPOINT"_s, u"true"_s);
        environment.insert(u"MIDDLE_ENDPOINT"_s, u"http://someone:%1@127.0.0.1:%2/v1"_s
                                                     .arg(QLatin1StringView(kUrlPassword))
                                                     .arg(m_fake.port()));
        AppOptions options(u"test"_s);
        options.dataFolder = m_dir.path();
        options.secrets = AppOptions::Secrets::None;
        options.environment = environment;
        m_context = std::make_unique<AppContext>(options);
        CallTiming timing;
        timing.inactivityTimeout = std::chrono::seconds(5);
        timing.retry.maxRetries = 0;
        m_context->chatClient()->setTiming(timing);
        QVERIFY(m_context->openStore());
        m_engine = m_context->engine();
        m_store = m_context->store();
        m_library = m_context->personaLibrary();
        const QString library = m_dir.filePath(u"personas"_s);
        QVERIFY(QDir().mkpath(library));
        QFile alice(library + u"/alice.md"_s);
        QVERIFY(alice.open(QIODevice::WriteOnly));
        alice.write(kAlice.toUtf8());
        alice.close();
        QFile secret(m_dir.filePath(u"secret.txt"_s));
        QVERIFY(secret.open(QIODevice::WriteOnly));
        secret.write("outside the library");
        m_server = std::make_unique<McpServer>(m_engine, m_library);
        m_rest = std::make_unique<RestServer>(m_engine, m_library);
        m_rest->setToken(QString::fromLatin1(kToken));
        QVERIFY(!m_rest->listen());
    }

    void cleanupTestCase()
    {
        m_rest.reset();
        m_server.reset();
        m_context.reset();
    }

    void malformedJson()
    {
        const QJsonValue response = send("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\""_ba);
        QCOMPARE(errorCode(response), -32700);
        QVERIFY(response[u"id"_s].isNull());
        QCOMPARE(errorCode(send(QByteArray(40, '[') + QByteArray(40, ']'))), -32700);
    }

    void invalidRequests_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("no jsonrpc") << R"({"id": 1, "method": "ping"})"_ba;
        QTest::newRow("wrong jsonrpc") << R"({"jsonrpc": "1.0", "id": 1, "method": "ping"})"_ba;
        QTest::newRow("method not a string") << R"({"jsonrpc": "2.0", "id": 1, "method": 3})"_ba;
        QTest::newRow("null id") << R"({"jsonrpc": "2.0", "id": null, "method": "ping"})"_ba;
        QTest::newRow("no method") << R"({"jsonrpc": "2.0", "id": 1})"_ba;
    }

    void invalidRequests()
    {
        QFETCH(QByteArray, json);
        QCOMPARE(errorCode(send(json)), -32600);
    }

    void unknownMethod()
    {
        const QJsonValue response = send(request(5, u"resources/list"_s));
        QCOMPARE(errorCode(response), -32601);
        QCOMPARE(response[u"id"_s].toInt(), 5);
    }

    void wrongParams_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::newRow("params not an object")
            << R"({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": [1]})"_ba;
        QTest::newRow("no tool name")
            << R"({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {}})"_ba;
        QTest::newRow("arguments not an object")
            << R"({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                  "params": {"name": "crosstalk_list", "arguments": "x"}})"_ba;
        QTest::newRow("unknown tool") << call(1, u"no_such_tool"_s);
        QTest::newRow("initialize without version")
            << R"({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}})"_ba;
    }

    void wrongParams()
    {
        QFETCH(QByteArray, json);
        QCOMPARE(errorCode(send(json)), -32602);
    }

    void notificationsHaveNoAnswer()
    {
        RecordingChannel channel;
        for (const QByteArray &json :
             {R"({"jsonrpc": "2.0", "method": "notifications/initialized"})"_ba,
              R"({"jsonrpc": "2.0", "method": "notifications/unknown", "params": {}})"_ba,
              R"({"jsonrpc": "2.0", "method": "tools/list", "params": 3})"_ba,
              R"({"jsonrpc": "2.0", "id": 4, "result": {}})"_ba}) {
            m_server->receive(json, &channel);
        }
        QCOMPARE(channel.replies, QList<QJsonValue>(4, QJsonValue::Null));
        QVERIFY(channel.notifications.isEmpty());
    }

    void versionNegotiation_data()
    {
        QTest::addColumn<QString>("asked");
        QTest::addColumn<QString>("agreed");
        QTest::newRow("newest") << u"2025-11-25"_s << u"2025-11-25"_s;
        QTest::newRow("2025-06-18") << u"2025-06-18"_s << u"2025-06-18"_s;
        QTest::newRow("2025-03-26") << u"2025-03-26"_s << u"2025-03-26"_s;
        QTest::newRow("older") << u"2024-11-05"_s << u"2025-11-25"_s;
        QTest::newRow("future") << u"2099-01-01"_s << u"2025-11-25"_s;
    }

    void versionNegotiation()
    {
        QFETCH(QString, asked);
        QFETCH(QString, agreed);
        RecordingChannel channel;
        m_server->receive(request(1, u"initialize"_s,
                                  {{u"protocolVersion"_s, asked},
                                   {u"capabilities"_s, QJsonObject{}},
                                   {u"clientInfo"_s,
                                    QJsonObject{{u"name"_s, u"test"_s}, {u"version"_s, u"1"_s}}}}),
                          &channel);
        QCOMPARE(channel.replies.size(), 1);
        const QJsonObject result = channel.replies.first()[u"result"_s].toObject();
        QCOMPARE(result[u"protocolVersion"_s].toString(), agreed);
        QCOMPARE(channel.protocolVersion, agreed);
        QCOMPARE(result[u"serverInfo"_s][u"name"_s].toString(), u"crosstalk"_s);
        QVERIFY(result[u"capabilities"_s][u"tools"_s].isObject());
        QCOMPARE(send(request(2, u"ping"_s))[u"result"_s].toObject(), QJsonObject());
    }

    void batches()
    {
        const QByteArray batch = "[" + request(1, u"ping"_s) + ", " +
                                 R"({"jsonrpc": "2.0", "method": "notifications/initialized"})" +
                                 ", " + request(2, u"nope"_s) + "]";
        const QJsonArray answers = send(batch, u"2025-03-26"_s).toArray();
        QCOMPARE(answers.size(), 2);
        QCOMPARE(answers[0][u"id"_s].toInt(), 1);
        QVERIFY(answers[0][u"result"_s].isObject());
        QCOMPARE(errorCode(answers[1]), -32601);
        QCOMPARE(
            errorCode(
                send("[" + request(1, u"initialize"_s, {{u"protocolVersion"_s, u"2025-03-26"_s}}) +
                         "]",
                     u"2025-03-26"_s)
                    .toArray()
                    .first()),
            -32600);
        QCOMPARE(errorCode(send("[]", u"2025-03-26"_s)), -32600);
        for (const QString &version : {u"2025-06-18"_s, u"2025-11-25"_s, QString()})
            QCOMPARE(errorCode(send(batch, version)), -32600);
    }

    void toolsList()
    {
        const QJsonArray tools =
            send(request(1, u"tools/list"_s))[u"result"_s][u"tools"_s].toArray();
        QStringList names;
        for (const QJsonValue &tool : tools) {
            names.append(tool[u"name"_s].toString());
            QVERIFY(!tool[u"description"_s].toString().isEmpty());
            QCOMPARE(tool[u"inputSchema"_s][u"type"_s].toString(), u"object"_s);
            QCOMPARE(tool[u"outputSchema"_s][u"type"_s].toString(), u"object"_s);
            QVERIFY(!QJsonDocument(tool.toObject()).toJson().contains("$ref"));
        }
        QCOMPARE(names,
                 QStringList({u"crosstalk_setup"_s, u"crosstalk_run"_s, u"crosstalk_status"_s,
                              u"crosstalk_list"_s, u"crosstalk_delete"_s, u"load_system_prompt"_s,
                              u"crosstalk_health"_s, u"crosstalk_transcript"_s, u"list_models"_s}));
        // The paradigms are the table's, filled in when the file is read.
        const QJsonObject paradigm =
            tools[0][u"inputSchema"_s][u"properties"_s][u"paradigm"_s].toObject();
        QCOMPARE(paradigm[u"enum"_s].toArray(), QJsonArray::fromStringList(enumNames<Paradigm>()));
        QCOMPARE(paradigm[u"default"_s].toString(), enumToString(Preset::defaultParadigm));
    }

    // Every tool's failure is a result with isError, a text naming the problem and no
    // structuredContent.
    void toolErrors_data()
    {
        QTest::addColumn<QString>("tool");
        QTest::addColumn<QJsonObject>("arguments");
        QTest::addColumn<QString>("named");
        const QString unknown = QUuid::createUuid().toString(QUuid::WithoutBraces);
        QTest::newRow("setup: no models") << u"crosstalk_setup"_s << QJsonObject() << u"models"_s;
        QTest::newRow("setup: one model")
            << u"crosstalk_setup"_s << QJsonObject{{u"models"_s, QJsonArray{u"big"_s}}}
            << u"models"_s;
        QTest::newRow("setup: iterations")
            << u"crosstalk_setup"_s
            << QJsonObject{{u"models"_s, QJsonArray{u"big"_s, u"small"_s}}, {u"iterations"_s, 0}}
            << u"iterations"_s;
        QTest::newRow("setup: paradigm")
            << u"crosstalk_setup"_s
            << QJsonObject{{u"models"_s, QJsonArray{u"big"_s, u"small"_s}},
                           {u"paradigm"_s, u"chaos"_s}}
            << u"paradigm"_s;
        QTest::newRow("setup: unknown alias")
            << u"crosstalk_setup"_s << QJsonObject{{u"models"_s, QJsonArray{u"big"_s, u"huge"_s}}}
            << u"models[1]"_s;
        QTest::newRow("setup: persona outside the library")
            << u"crosstalk_setup"_s
            << QJsonObject{{u"models"_s, QJsonArray{u"big"_s, u"small"_s}},
                           {u"system_prompts"_s, QJsonObject{{u"big"_s, u"path:../secret.txt"_s}}}}
            << u"system_prompts.big"_s;
        QTest::newRow("run: unknown session")
            << u"crosstalk_run"_s << QJsonObject{{u"session_id"_s, unknown}} << unknown;
        QTest::newRow("run: wait not a boolean")
            << u"crosstalk_run"_s << QJsonObject{{u"session_id"_s, unknown}, {u"wait"_s, 1}}
            << u"wait"_s;
        QTest::newRow("status: not an id")
            << u"crosstalk_status"_s << QJsonObject{{u"session_id"_s, u"nope"_s}} << u"nope"_s;
        QTest::newRow("status: missing id")
            << u"crosstalk_status"_s << QJsonObject() << u"session_id"_s;
        QTest::newRow("delete: unknown session")
            << u"crosstalk_delete"_s << QJsonObject{{u"session_id"_s, unknown}} << unknown;
        QTest::newRow("load_system_prompt: slot")
            << u"load_system_prompt"_s
            << QJsonObject{{u"model"_s, u"huge"_s}, {u"prompt_file"_s, u"alice.md"_s}}
            << u"model"_s;
        QTest::newRow("load_system_prompt: outside the library")
            << u"load_system_prompt"_s
            << QJsonObject{{u"model"_s, u"big"_s}, {u"prompt_file"_s, u"../secret.txt"_s}}
            << u"prompt_file"_s;
        QTest::newRow("load_system_prompt: no file")
            << u"load_system_prompt"_s << QJsonObject{{u"model"_s, u"big"_s}} << u"prompt_file"_s;
        QTest::newRow("transcript: format")
            << u"crosstalk_transcript"_s
            << QJsonObject{{u"session_id"_s, unknown}, {u"format"_s, u"pdf"_s}} << u"format"_s;
        QTest::newRow("transcript: unknown session")
            << u"crosstalk_transcript"_s << QJsonObject{{u"session_id"_s, unknown}} << unknown;
    }

    void toolErrors()
    {
        QFETCH(QString, tool);
        QFETCH(QJsonObject, arguments);
        QFETCH(QString, named);
        const QJsonObject result = toolCall(tool, arguments);
        QCOMPARE(result[u"isError"_s].toBool(), true);
        QVERIFY(!result.contains(u"structuredContent"_s));
        const QString text = result[u"content"_s][0][u"text"_s].toString();
        QVERIFY2(text.contains(named), qPrintable(text));
    }

    void setupStatusListTranscriptDelete()
    {
        const QString id = setUp();
        QVERIFY(!QUuid::fromString(id).isNull());
        const QJsonObject status = toolCall(u"crosstalk_status"_s, {{u"session_id"_s, id}});
        QCOMPARE(status[u"isError"_s].toBool(), false);
        QCOMPARE(status[u"structuredContent"_s][u"status"_s].toString(), u"configured"_s);
        QVERIFY(status[u"content"_s][0][u"text"_s].toString().contains(id));

        const QJsonObject list = toolCall(u"crosstalk_list"_s)[u"structuredContent"_s].toObject();
        QVERIFY(list[u"total"_s].toInt() >= 1);
        QVERIFY(QJsonDocument(list).toJson().contains(id.toLatin1()));

        const QJsonObject transcript =
            toolCall(u"crosstalk_transcript"_s, {{u"session_id"_s, id}, {u"format"_s, u"json"_s}});
        QCOMPARE(transcript[u"structuredContent"_s][u"format"_s].toString(), u"json"_s);
        QVERIFY(transcript[u"structuredContent"_s][u"content"_s].toString().contains(id));

        const QJsonObject removed = toolCall(u"crosstalk_delete"_s, {{u"session_id"_s, id}});
        QCOMPARE(removed[u"structuredContent"_s][u"success"_s].toBool(), true);
        QCOMPARE(toolCall(u"crosstalk_status"_s, {{u"session_id"_s, id}})[u"isError"_s].toBool(),
                 true);
    }

    void runWaitsAndReportsProgress()
    {
        const QString id = setUp(2);
        RecordingChannel channel;
        channel.protocolVersion = u"2025-11-25"_s;
        m_server->receive(
            call(9, u"crosstalk_run"_s, {{u"session_id"_s, id}}, {{u"progressToken"_s, u"tok"_s}}),
            &channel);
        QVERIFY(channel.replies.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(channel.replies.size(), 1, 20000);
        const QJsonObject result = channel.replies.first()[u"result"_s].toObject();
        QCOMPARE(channel.replies.first()[u"id"_s].toInt(), 9);
        QCOMPARE(result[u"structuredContent"_s][u"status"_s].toString(), u"completed"_s);
        QCOMPARE(result[u"structuredContent"_s][u"conversation"_s].toArray().size(), 4);
        QCOMPARE(channel.notifications.size(), 4);
        for (int i = 0; i < 4; ++i) {
            const QJsonObject params = channel.notifications[i][u"params"_s].toObject();
            QCOMPARE(channel.notifications[i][u"method"_s].toString(), u"notifications/progress"_s);
            QCOMPARE(params[u"progressToken"_s].toString(), u"tok"_s);
            QCOMPARE(params[u"progress"_s].toInt(), i + 1);
        }
        // A completed session is answered at once, unchanged.
        QCOMPARE(toolCall(u"crosstalk_run"_s,
                          {{u"session_id"_s, id}})[u"structuredContent"_s][u"conversation"_s]
                     .toArray()
                     .size(),
                 4);
    }

    // QUALITY.md R14 over MCP: a run whose store cannot be written (another connection
    // holds its write lock) ends paused with error.code storage_error in structuredContent,
    // and a setup that cannot be stored is an error result naming the cause.
    void storageFailure()
    {
        QVERIFY(m_store->setBusyTimeout(std::chrono::milliseconds(50)));
        m_fake.setTiming({5, 5, 40});
        const QString id = setUp(4);
        RecordingChannel channel;
        channel.protocolVersion = u"2025-11-25"_s;
        const qsizetype before = m_fake.requests().size();
        m_server->receive(call(12, u"crosstalk_run"_s, {{u"session_id"_s, id}}), &channel);
        QTRY_VERIFY(m_fake.requests().size() > before);
        StoreLock lock(m_context->storePath());
        QVERIFY(lock.take());
        QTRY_COMPARE_WITH_TIMEOUT(channel.replies.size(), 1, 20000);
        const QJsonObject result = channel.replies.first()[u"result"_s].toObject();
        QVERIFY(!result[u"isError"_s].toBool());
        const QJsonObject structured = result[u"structuredContent"_s].toObject();
        QCOMPARE(structured[u"status"_s].toString(), u"paused"_s);
        QCOMPARE(structured[u"error"_s][u"code"_s].toString(), u"storage_error"_s);
        QVERIFY(structured[u"error"_s][u"message"_s].toString().contains(u"cannot be saved"_s));

        const QJsonObject setup =
            toolCall(u"crosstalk_setup"_s, {{u"models"_s, QJsonArray{u"big"_s, u"small"_s}}});
        QVERIFY(setup[u"isError"_s].toBool());
        QVERIFY(setup[u"content"_s][0][u"text"_s].toString().contains(u"cannot be saved"_s));

        lock.release();
        m_fake.setTiming({2, 2, 0});
        QCOMPARE(
            toolCall(u"crosstalk_run"_s, {{u"session_id"_s, id},
                                          {u"wait"_s, false}})[u"structuredContent"_s][u"status"_s]
                .toString(),
            u"running"_s);
        QTRY_COMPARE_WITH_TIMEOUT(m_engine->session(QUuid::fromString(id))->status,
                                  SessionStatus::Completed, 20000);
        QVERIFY(m_store->setBusyTimeout(std::chrono::seconds(10)));
    }

    // A session a cap paused goes on only under new caps, given with crosstalk_run's budget.
    void runUnderNewCaps()
    {
        const QJsonObject setup =
            toolCall(u"crosstalk_setup"_s, {{u"models"_s, QJsonArray{u"big"_s, u"small"_s}},
                                            {u"iterations"_s, 2},
                                            {u"topic"_s, u"Caps"_s},
                                            {u"budget"_s, QJsonObject{{u"tokens"_s, 1}}}});
        const QString id = setup[u"structuredContent"_s][u"session_id"_s].toString();
        const QUuid uuid = QUuid::fromString(id);
        QVERIFY(!uuid.isNull());
        toolCall(u"crosstalk_run"_s, {{u"session_id"_s, id}, {u"wait"_s, false}});
        QTRY_COMPARE_WITH_TIMEOUT(m_engine->session(uuid)->status, SessionStatus::Paused, 20000);
        QTRY_VERIFY(std::none_of(
            m_engine->session(uuid)->messages.cbegin(), m_engine->session(uuid)->messages.cend(),
            [](const Message &m) { return m.status == MessageStatus::Streaming; }));
        const qsizetype requests = m_fake.requests().size();

        const QJsonObject same = toolCall(u"crosstalk_run"_s, {{u"session_id"_s, id}});
        QVERIFY(same[u"isError"_s].toBool());
        QVERIFY2(same[u"content"_s][0][u"text"_s].toString().contains(u"token budget"_s),
                 qPrintable(same[u"content"_s][0][u"text"_s].toString()));
        const QJsonObject bad =
            toolCall(u"crosstalk_run"_s,
                     {{u"session_id"_s, id}, {u"budget"_s, QJsonObject{{u"tokens"_s, 0}}}});
        QVERIFY(bad[u"isError"_s].toBool());
        QVERIFY2(bad[u"content"_s][0][u"text"_s].toString().contains(u"budget.tokens"_s),
                 qPrintable(bad[u"content"_s][0][u"text"_s].toString()));
        QCOMPARE(m_fake.requests().size(), requests);

        const QJsonObject raised =
            toolCall(u"crosstalk_run"_s, {{u"session_id"_s, id},
                                          {u"wait"_s, false},
                                          {u"budget"_s, QJsonObject{{u"tokens"_s, QJsonValue()}}}});
        QVERIFY2(!raised[u"isError"_s].toBool(), QJsonDocument(raised).toJson().constData());
        QTRY_COMPARE_WITH_TIMEOUT(m_engine->session(uuid)->status, SessionStatus::Completed, 20000);
        QCOMPARE(m_engine->session(uuid)->options.budgetTokens, std::nullopt);
    }

    // A failed model call pauses the session; the run's result is no error result, and says
    // what failed in `error` (PRODUCT.md §1).
    void providerFailureIsAPausedResult()
    {
        m_fake.addFaultRule(*FaultRule::parse(u"503"_s, nullptr));
        const QString id = setUp(1);
        RecordingChannel channel;
        m_server->receive(call(21, u"crosstalk_run"_s, {{u"session_id"_s, id}}), &channel);
        QTRY_COMPARE_WITH_TIMEOUT(channel.replies.size(), 1, 20000);
        m_fake.clearFaultRules();
        const QJsonObject result = channel.replies.first()[u"result"_s].toObject();
        QCOMPARE(result[u"isError"_s].toBool(), false);
        const QJsonObject content = result[u"structuredContent"_s].toObject();
        QCOMPARE(content[u"status"_s].toString(), u"paused"_s);
        QCOMPARE(content[u"error"_s][u"code"_s].toString(), u"provider_error"_s);
        QCOMPARE(content[u"error"_s][u"message"_s].toString(), content[u"reason"_s].toString());
    }

    void runWithoutWaiting()
    {
        const QString id = setUp(1);
        const QJsonObject result =
            toolCall(u"crosstalk_run"_s, {{u"session_id"_s, id}, {u"wait"_s, false}});
        QCOMPARE(result[u"structuredContent"_s][u"status"_s].toString(), u"running"_s);
        QTRY_COMPARE_WITH_TIMEOUT(
            toolCall(u"crosstalk_status"_s,
                     {{u"session_id"_s, id}})[u"structuredContent"_s][u"status"_s]
                .toString(),
            u"completed"_s, 20000);
    }

    // QUALITY.md R15: beyond the most sessions that may run at once, crosstalk_run is refused
    // and the session stays as it was.
    void maxRunning()
    {
        m_server->setMaxRunning(1);
        m_fake.setTiming({5, 5, 40});
        const QString first = setUp(2);
        const QString second = setUp(1);
        QCOMPARE(
            toolCall(u"crosstalk_run"_s, {{u"session_id"_s, first},
                                          {u"wait"_s, false}})[u"structuredContent"_s][u"status"_s]
                .toString(),
            u"running"_s);
        const QJsonObject refused = toolCall(u"crosstalk_run"_s, {{u"session_id"_s, second}});
        QVERIFY(refused[u"isError"_s].toBool());
        QVERIFY2(refused[u"content"_s][0][u"text"_s].toString().contains(u"run already"_s),
                 qPrintable(refused[u"content"_s][0][u"text"_s].toString()));
        QCOMPARE(m_engine->session(QUuid::fromString(second))->status, SessionStatus::Configured);
        QTRY_COMPARE_WITH_TIMEOUT(m_engine->session(QUuid::fromString(first))->status,
                                  SessionStatus::Completed, 20000);
        m_fake.setTiming({2, 2, 0});
        m_server->setMaxRunning(16);
    }

    // QUALITY.md R15: a batch holds at most 100 calls.
    void batchesAreCapped()
    {
        const auto batchOf = [](int size) -> QByteArray {
            QByteArray batch = "[";
            for (int i = 0; i < size; ++i)
                batch += (i ? "," : "") + request(1000 + i, u"ping"_s);
            batch += "]";
            return batch;
        };
        const QJsonValue full = send(batchOf(100), McpServer::batchVersion());
        QCOMPARE(full.toArray().size(), 100);
        const QJsonValue over = send(batchOf(101), McpServer::batchVersion());
        QCOMPARE(errorCode(over), -32600);
        QVERIFY2(over[u"error"_s][u"message"_s].toString().contains(u"at most 100"_s),
                 qPrintable(over[u"error"_s][u"message"_s].toString()));
    }

    // QUALITY.md R15: each call of a batch is charged to the rate limit, not the batch as one.
    void batchCallsAreCharged()
    {
        QByteArray batch = "[";
        for (int i = 0; i < 11; ++i)
            batch += (i ? "," : "") + request(2000 + i, u"ping"_s);
        batch += "]";
        m_rest->setRateLimits({0.01, 10});
        QCOMPARE(post(batch).status, 429);
        batch = "[";
        for (int i = 0; i < 10; ++i)
            batch += (i ? "," : "") + request(2000 + i, u"ping"_s);
        batch += "]";
        const HttpReply ten = post(batch);
        QCOMPARE(ten.status, 200);
        QCOMPARE(QJsonDocument::fromJson(ten.body).array().size(), 10);
        QCOMPARE(post(request(2100, u"ping"_s)).status, 429);
        m_rest->setRateLimits({});
    }

    // QUALITY.md R15: over HTTP a cancellation belongs to its client — its Mcp-Session-Id, or
    // without one its connection — so one client cannot cancel another's call of the same id.
    void httpCancellationBelongsToItsClient()
    {
        m_fake.setTiming({5, 5, 100});
        const QString id = setUp(2);
        const QByteArray host = "127.0.0.1:" + QByteArray::number(m_rest->port());
        const QByteArray cancel =
            R"({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 31}})"_ba;

        HttpTestClient waiting(m_rest->port());
        QVERIFY(waiting.connect());
        waiting.write(HttpTestClient::request("POST", "/mcp", host, kToken,
                                              call(31, u"crosstalk_run"_s, {{u"session_id"_s, id}}),
                                              {{"Mcp-Session-Id", "client-a"}}));
        QTRY_VERIFY(!m_fake.requests().isEmpty());
        // Another client, on its own connection, with the same request id: not its call.
        QCOMPARE(post(cancel).status, 202);
        QCOMPARE(post(cancel, {{"Mcp-Session-Id", "client-b"}}).status, 202);
        const HttpReply answered = waiting.read(20000);
        QCOMPARE(answered.status, 200);
        QCOMPARE(answered.json()[u"result"_s][u"structuredContent"_s][u"status"_s].toString(),
                 u"completed"_s);

        // The same client, by its Mcp-Session-Id: the wait ends without an answer.
        const QString next = setUp(2);
        HttpTestClient again(m_rest->port());
        QVERIFY(again.connect());
        again.write(HttpTestClient::request("POST", "/mcp", host, kToken,
                                            call(31, u"crosstalk_run"_s, {{u"session_id"_s, next}}),
                                            {{"Mcp-Session-Id", "client-a"}}));
        QTRY_VERIFY(m_engine->session(QUuid::fromString(next))->status == SessionStatus::Running);
        QCOMPARE(post(cancel, {{"Mcp-Session-Id", "client-a"}}).status, 202);
        QCOMPARE(again.read(20000).status, 202);
        QTRY_COMPARE_WITH_TIMEOUT(m_engine->session(QUuid::fromString(next))->status,
                                  SessionStatus::Completed, 20000);
        m_fake.setTiming({2, 2, 0});
    }

    // A cancelled call is never answered; the session runs on.
    void cancellation()
    {
        m_fake.setTiming({300, 300, 0});
        const QString id = setUp(1);
        RecordingChannel channel;
        channel.clientKey = u"client"_s;
        m_server->receive(call(11, u"crosstalk_run"_s, {{u"session_id"_s, id}}), &channel);
        RecordingChannel other;
        other.clientKey = u"another client"_s;
        const QByteArray cancel =
            R"({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 11}})"_ba;
        m_server->receive(cancel, &other);
        m_server->receive(cancel, &channel);
        // Null answers: nothing to send, for the notifications and for the cancelled call.
        QCOMPARE(other.replies, QList<QJsonValue>{QJsonValue::Null});
        QCOMPARE(channel.replies, QList<QJsonValue>(2, QJsonValue::Null));
        QTRY_COMPARE_WITH_TIMEOUT(m_engine->session(QUuid::fromString(id))->status,
                                  SessionStatus::Completed, 20000);
        QCOMPARE(channel.replies.size(), 2);
        m_fake.setTiming({2, 2, 0});
    }

    void deletedWhileWaiting()
    {
        m_fake.setTiming({300, 300, 0});
        const QString id = setUp(1);
        RecordingChannel channel;
        m_server->receive(call(12, u"crosstalk_run"_s, {{u"session_id"_s, id}}), &channel);
        QVERIFY(channel.replies.isEmpty());
        QCOMPARE(toolCall(u"crosstalk_delete"_s, {{u"session_id"_s, id}})[u"isError"_s].toBool(),
                 false);
        QTRY_COMPARE(channel.replies.size(), 1);
        // Deleting stops the session first; the waiting call learns that it was cancelled.
        const QJsonObject result = channel.replies.first()[u"result"_s].toObject();
        QCOMPARE(result[u"structuredContent"_s][u"status"_s].toString(), u"cancelled"_s);
        QVERIFY(result[u"structuredContent"_s][u"reason"_s].toString().contains(u"Stopped"_s));
        m_fake.setTiming({2, 2, 0});
    }

    // crosstalk_setup takes the session's options as REST does, and an empty topic.
    void setupTakesOptionsAndAnEmptyTopic()
    {
        const QJsonObject created =
            toolCall(u"crosstalk_setup"_s,
                     {{u"models"_s, QJsonArray{u"big"_s, u"small"_s}},
                      {u"topic"_s, u""_s},
                      {u"answer_mode"_s, true},
                      {u"options"_s, QJsonObject{{u"budget"_s, QJsonObject{{u"tokens"_s, 900}}}}}});
        QCOMPARE(created[u"isError"_s].toBool(), false);
        const Session *session = m_engine->session(
            QUuid::fromString(created[u"structuredContent"_s][u"session_id"_s].toString()));
        QVERIFY(session);
        QCOMPARE(session->topic, Preset::defaultTopic());
        QVERIFY(session->options.answerMode);
        QCOMPARE(session->options.budgetTokens, 900);

        const QJsonObject refused =
            toolCall(u"crosstalk_setup"_s, {{u"models"_s, QJsonArray{u"big"_s, u"small"_s}},
                                            {u"schedule"_s, u"sideways"_s}});
        QVERIFY(refused[u"isError"_s].toBool());
        QVERIFY2(refused[u"content"_s][0][u"text"_s].toString().contains(u"schedule"_s),
                 qPrintable(refused[u"content"_s][0][u"text"_s].toString()));
    }

    void loadSystemPrompt()
    {
        const QJsonObject loaded = toolCall(
            u"load_system_prompt"_s, {{u"model"_s, u"big"_s}, {u"prompt_file"_s, u"alice.md"_s}});
        QCOMPARE(loaded[u"isError"_s].toBool(), false);
        QCOMPARE(loaded[u"structuredContent"_s][u"enabled"_s].toBool(), true);
        QCOMPARE(*m_store->slotPersona(u"big"_s).value(), u"path:alice.md"_s);
        const QString id = setUp();
        QCOMPARE(m_engine->session(QUuid::fromString(id))->participants.first().persona, kAlice);

        const QJsonObject cleared =
            toolCall(u"load_system_prompt"_s, {{u"model"_s, u"big"_s}, {u"enable"_s, false}});
        QCOMPARE(cleared[u"structuredContent"_s][u"enabled"_s].toBool(), false);
        QVERIFY(!m_store->slotPersona(u"big"_s).value());
    }

    void healthAndModels()
    {
        const QJsonObject health =
            toolCall(u"crosstalk_health"_s)[u"structuredContent"_s].toObject();
        QCOMPARE(health[u"status"_s].toString(), u"ok"_s);
        QVERIFY(health[u"models"_s][u"big"_s].isString());
        QVERIFY(health[u"session_count"_s].toInt() >= 1);
        const QJsonArray models =
            toolCall(u"list_models"_s)[u"structuredContent"_s][u"models"_s].toArray();
        QVERIFY(models.size() >= 3);
        QCOMPARE(models.first()[u"base_url"_s].toString(), m_fake.baseUrl().toString() + u"/v1"_s);
        // The user name of a base URL stays, its password never shows (QUALITY.md R16).
        const QByteArray listed = QJsonDocument(models).toJson();
        QVERIFY2(listed.contains("someone@127.0.0.1"), listed.constData());
        QVERIFY(!listed.contains(kUrlPassword));
    }

    // Streamable HTTP at /mcp on the REST server.
    void httpAnswersJson()
    {
        const HttpReply reply =
            post(request(1, u"initialize"_s, {{u"protocolVersion"_s, u"2025-06-18"_s}}));
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.header("content-type"), "application/json"_ba);
        QCOMPARE(reply.json()[u"result"_s][u"protocolVersion"_s].toString(), u"2025-06-18"_s);
        QCOMPARE(post(R"({"jsonrpc": "2.0", "method": "notifications/initialized"})"_ba).status,
                 202);
    }

    void httpRefuses()
    {
        const HttpReply noToken = post(request(1, u"ping"_s), {}, QByteArray());
        QCOMPARE(noToken.status, 401);
        const HttpReply get = post(QByteArray(), {}, kToken, "GET");
        QCOMPARE(get.status, 405);
        QCOMPARE(get.header("allow"), "POST"_ba);
        const HttpReply version =
            post(request(1, u"ping"_s), {{"MCP-Protocol-Version", "1999-01-01"}});
        QCOMPARE(version.status, 400);
        QCOMPARE(version.json()[u"error"_s][u"code"_s].toInt(), -32600);
    }

    // Without the version header a client speaks 2025-03-26, which has batches.
    void httpBatches()
    {
        const QByteArray batch = "[" + request(1, u"ping"_s) + "," + request(2, u"ping"_s) + "]";
        const HttpReply old = post(batch);
        QCOMPARE(old.status, 200);
        QCOMPARE(QJsonDocument::fromJson(old.body).array().size(), 2);
        const HttpReply current = post(batch, {{"MCP-Protocol-Version", "2025-11-25"}});
        QCOMPARE(current.json()[u"error"_s][u"code"_s].toInt(), -32600);
    }

    // QUALITY.md R15: an MCP call answered later keeps its connection past the idle time.
    void httpCallOutlivesTheIdleTime()
    {
        m_rest->setConnectionTimeouts(
            {std::chrono::milliseconds(150), std::chrono::milliseconds(150)});
        m_fake.setTiming({300, 300, 0}); // each reply slower than the idle time
        const QString id = setUp(1);
        HttpTestClient client(m_rest->port());
        QVERIFY(client.connect());
        client.write(HttpTestClient::request(
            "POST", "/mcp", "127.0.0.1:" + QByteArray::number(m_rest->port()), kToken,
            call(41, u"crosstalk_run"_s, {{u"session_id"_s, id}})));
        const HttpReply answered = client.read();
        m_fake.setTiming({2, 2, 0});
        m_rest->setConnectionTimeouts({});
        QCOMPARE(answered.status, 200);
        QCOMPARE(answered.json()[u"result"_s][u"structuredContent"_s][u"status"_s].toString(),
                 u"completed"_s);
    }

    // Progress goes out as server-sent events before the response, on the POST's stream.
    void httpStreamsProgress()
    {
        const QString id = setUp(1);
        HttpTestClient client(m_rest->port());
        QVERIFY(client.connect());
        client.write(HttpTestClient::request(
            "POST", "/mcp", "127.0.0.1:" + QByteArray::number(m_rest->port()), kToken,
            call(21, u"crosstalk_run"_s, {{u"session_id"_s, id}}, {{u"progressToken"_s, 5}})));
        QByteArray bytes;
        QTRY_VERIFY_WITH_TIMEOUT((bytes += client.socket().readAll()).endsWith("0\r\n\r\n"), 20000);
        QVERIFY(bytes.startsWith("HTTP/1.1 200"));
        QVERIFY(bytes.contains("text/event-stream"));
        QCOMPARE(bytes.count("\"method\":\"notifications/progress\""), 2);
        const qsizetype response = bytes.indexOf("\"id\":21");
        QVERIFY(response > bytes.lastIndexOf("notifications/progress"));
        QVERIFY(bytes.contains("event: message\ndata: {"));
    }
};

QTEST_GUILESS_MAIN(TestMcpServer)
#include "tst_mcpserver.moc"
