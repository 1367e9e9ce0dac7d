// SPDX-License-Identifier: GPL-3.0-or-later
// The REST API over real HTTP on a loopback port: an in-process RestServer on the engine,
// with the model slots served by the in-process fake LLM server.
#include "apitoken.h"
#include "context/appcontext.h"
#include "engine/engine.h"
#include "fakellmserver.h"
#include "httptestclient.h"
#include "llm/chatclient.h"
#include "persona/personalibrary.h"
#include "ratelimiter.h"
#include "requestgate.h"
#include "restserver.h"
#include "storage/sessionstore.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace Crosstalk;
using namespace Crosstalk::Fake;
using namespace Crosstalk::Testing;

namespace {

const QByteArray kToken = "test-token-0123456789abcdefghijklmnop"_ba;

// The old tool's documented setup request, byte for byte.
const QByteArray kCurlSetup =
    R"({"models": ["big", "small"],
         "system_prompts": {"big": "path:examples/prompts/alice.txt", "small": "path:examples/prompts/bob.txt"},
         "paradigm": "relay", "iterations": 15, "topic": "Explain quantum computing to a child"})"_ba;

const QString kAlice = u"You are Alice, who explains things with everyday objects."_s;
const QString kBob = u"You are Bob, who asks the questions a child would ask."_s;

} // namespace

class TestRestServer : public QObject
{
    Q_OBJECT

private:
    FakeLlmServer m_fake;
    QTemporaryDir m_dir;
    std::unique_ptr<AppContext> m_context;
    Engine *m_engine = nullptr;
    SessionStore *m_store = nullptr;
    PersonaLibrary *m_library = nullptr;
    std::unique_ptr<RestServer> m_server;

    // Writes `bytes` and returns once the server has read them, so that what the test writes
    // next reaches the server as a read of its own. False if the server read nothing.
    bool writeAndAwaitRead(HttpTestClient &client, const QByteArray &bytes)
    {
        const auto *gate = m_server->findChild<RequestGate *>();
        QTcpSocket *serverSide = nullptr;
        if (!gate || !QTest::qWaitFor([&] {
                return (serverSide = gate->connection(QHostAddress(QHostAddress::LocalHost),
                                                      client.socket().localPort()));
            }))
            return false;
        // What the loop still holds for the connection (the gate raises readyRead again when
        // a connection arrives) runs first, so only a read of these bytes counts.
        bool drained = false;
        QTimer::singleShot(0, this, [&drained] { drained = true; });
        if (!QTest::qWaitFor([&] { return drained; }))
            return false;
        QSignalSpy read(serverSide, &QIODevice::readyRead);
        client.write(bytes);
        return read.wait(10000);
    }

    QByteArray host() const { return "127.0.0.1:" + QByteArray::number(m_server->port()); }

    HttpReply call(const QByteArray &method, const QByteArray &target,
                   const QByteArray &body = QByteArray(),
                   const QList<std::pair<QByteArray, QByteArray>> &extra = {})
    {
        HttpTestClient client(m_server->port());
        if (!client.connect())
            return {};
        client.write(HttpTestClient::request(method, target, host(), kToken, body, extra));
        return client.read();
    }

    QString setUp(const QByteArray &body)
    {
        const HttpReply reply = call("POST", "/v1/crosstalk/setup", body);
        if (reply.status != 200)
            qWarning() << reply.status << reply.body;
        return reply.json()[u"session_id"_s].toString();
    }

    static QByteArray models(const QByteArray &list, int iterations = 2)
    {
        return R"({"models": )" + list + R"(, "iterations": )" + QByteArray::number(iterations) +
               R"(, "topic": "T"})";
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(m_fake.listen());
        m_fake.setTiming({2, 2, 0});

        QProcessEnvironment environment;
        environment.insert(u"OPENAI_BASE_URL"_s, m_fake.baseUrl().toString() + u"/v1"_s);
        environment.insert(u"OPENAI_API_KEY"_s, u"sk-test-rest"_s);
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
        QVERIFY(QDir().mkpath(library + u"/examples/prompts"_s));
        for (const auto &[name, text] :
             {std::pair{u"alice.txt"_s, kAlice}, std::pair{u"bob.txt"_s, kBob}}) {
            QFile file(library + u"/examples/prompts/"_s + name);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(text.toUtf8());
        }
        // A secret outside the library, and a link that leads to it.
        QFile secret(m_dir.filePath(u"secret.txt"_s));
        QVERIFY(secret.open(QIODevice::WriteOnly));
        secret.write("You are a secret that must stay outside.");
        secret.close();
        QVERIFY(QFile::link(secret.fileName(), library + u"/leak.txt"_s));

        m_server = std::make_unique<RestServer>(m_engine, m_library);
        m_server->setToken(QString::fromLatin1(kToken));
        QVERIFY(!m_server->listen());
        QVERIFY(m_server->port() > 0);
    }

    void cleanupTestCase()
    {
        m_server.reset();
        m_context.reset();
    }

    void init()
    {
        m_fake.setTiming({2, 2, 0});
        m_server->setRateLimits({});
        m_server->setConnectionTimeouts({});
        m_server->setKeepAliveInterval(std::chrono::seconds(15));
    }

    // Setup, run, status, list and delete exactly as the old tool's curl examples send them.
    void theOldToolsFlow()
    {
        m_fake.clearRequests();
        const HttpReply setup = call("POST", "/v1/crosstalk/setup", kCurlSetup);
        QCOMPARE(setup.status, 200);
        QCOMPARE(setup.header("content-type"), "application/json"_ba);
        const QJsonObject configured = setup.json();
        const QString id = configured[u"session_id"_s].toString();
        QVERIFY(!QUuid::fromString(id).isNull());
        QCOMPARE(configured[u"status"_s].toString(), u"configured"_s);
        QCOMPARE(configured[u"models"_s].toArray(), QJsonArray({u"big"_s, u"small"_s}));
        QCOMPARE(configured[u"paradigm"_s].toString(), u"relay"_s);
        QCOMPARE(configured[u"iterations"_s].toInt(), 15);

        // curl -X POST …/run: no body, no Content-Type.
        HttpTestClient client(m_server->port());
        QVERIFY(client.connect());
        client.write("POST /v1/crosstalk/" + id.toLatin1() + "/run HTTP/1.1\r\nHost: localhost:" +
                     QByteArray::number(m_server->port()) + "\r\nAuthorization: Bearer " + kToken +
                     "\r\nUser-Agent: curl/8.5.0\r\nAccept: text/plain\r\n\r\n");
        const HttpReply run = client.read();
        QCOMPARE(run.status, 200);
        const QJsonObject result = run.json();
        QCOMPARE(result[u"session_id"_s].toString(), id);
        QCOMPARE(result[u"status"_s].toString(), u"completed"_s);
        QVERIFY(result[u"duration_seconds"_s].isDouble());
        const QJsonArray conversation = result[u"conversation"_s].toArray();
        QCOMPARE(conversation.size(), 30);
        for (const QJsonValue &value : conversation) {
            const QJsonObject message = value.toObject();
            QCOMPARE(QStringList(message.keys()),
                     (QStringList{u"confidence"_s, u"content"_s, u"iteration"_s, u"listener"_s,
                                  u"message_type"_s, u"speaker"_s, u"timestamp"_s}));
            QVERIFY(message[u"timestamp"_s].isDouble());
        }
        QCOMPARE(conversation.first()[u"speaker"_s].toString(), u"big"_s);
        QCOMPARE(conversation.last()[u"iteration"_s].toInt(), 14);
        // The personas came from the library files the request named.
        const QList<RecordedRequest> requests = m_fake.requests();
        QCOMPARE(requests.size(), 30);
        const auto systemPrompt = [](const RecordedRequest &r) {
            return r.json[u"messages"_s].toArray().first()[u"content"_s].toString();
        };
        QVERIFY(std::all_of(requests.cbegin(), requests.cend(), [&](const RecordedRequest &r) {
            return systemPrompt(r) == kAlice || systemPrompt(r) == kBob;
        }));

        const HttpReply status = call("GET", "/v1/crosstalk/" + id.toLatin1() + "/status");
        QCOMPARE(status.status, 200);
        const QJsonObject s = status.json();
        QCOMPARE(QStringList(s.keys()),
                 (QStringList{u"created_at"_s, u"current_iteration"_s, u"iterations"_s,
                              u"message_count"_s, u"models"_s, u"paradigm"_s, u"session_id"_s,
                              u"status"_s}));
        QCOMPARE(s[u"status"_s].toString(), u"completed"_s);
        QCOMPARE(s[u"current_iteration"_s].toInt(), 15);
        QCOMPARE(s[u"message_count"_s].toInt(), 30);
        QVERIFY(std::abs(s[u"created_at"_s].toDouble() -
                         QDateTime::currentMSecsSinceEpoch() / 1000.0) < 120);

        const HttpReply list = call("GET", "/v1/crosstalk/list");
        QCOMPARE(list.status, 200);
        const QJsonArray sessions = list.json()[u"sessions"_s].toArray();
        QCOMPARE(list.json()[u"total"_s].toInt(), sessions.size());
        QVERIFY(std::any_of(sessions.begin(), sessions.end(), [&](const QJsonValue &v) {
            return v[u"session_id"_s].toString() == id &&
                   v[u"status"_s].toString() == u"completed"_s &&
                   v[u"models"_s].toArray() == QJsonArray({u"big"_s, u"small"_s});
        }));

        const HttpReply deleted = call("DELETE", "/v1/crosstalk/" + id.toLatin1() + "/delete");
        QCOMPARE(deleted.status, 200);
        QCOMPARE(deleted.json(), (QJsonObject{{u"success"_s, true},
                                              {u"message"_s, u"Session deleted successfully"_s}}));
        QCOMPARE(call("GET", "/v1/crosstalk/" + id.toLatin1() + "/status").status, 404);
        QCOMPARE(call("DELETE", "/v1/crosstalk/" + id.toLatin1() + "/delete").status, 404);
        QTRY_VERIFY(!m_store->loadSession(QUuid::fromString(id)));
    }

    void plainDeleteAndStoredSessions()
    {
        const QString id = setUp(models(R"(["big", "small"])"));
        QVERIFY(!id.isEmpty());
        // A session another process wrote shows in the list and its status.
        Session other = *m_engine->session(QUuid::fromString(id));
        other.id = QUuid::createUuid();
        other.participants[1].modelAlias = u"middle"_s;
        QVERIFY(m_store->saveSession(other));
        const HttpReply list = call("GET", "/v1/crosstalk/list");
        const QJsonArray sessions = list.json()[u"sessions"_s].toArray();
        QVERIFY(std::any_of(sessions.begin(), sessions.end(), [&](const QJsonValue &v) {
            return v[u"session_id"_s].toString() == other.id.toString(QUuid::WithoutBraces) &&
                   v[u"models"_s].toArray() == QJsonArray({u"big"_s, u"middle"_s});
        }));
        const QByteArray otherId = other.id.toString(QUuid::WithoutBraces).toLatin1();
        QCOMPARE(call("GET", "/v1/crosstalk/" + otherId + "/status").json()[u"status"_s],
                 u"configured"_s);
        QCOMPARE(call("DELETE", "/v1/crosstalk/" + otherId).status, 200);
        QCOMPARE(call("DELETE", "/v1/crosstalk/" + id.toLatin1()).status, 200);
        QCOMPARE(call("GET", "/v1/crosstalk/" + id.toLatin1() + "/status").status, 404);
    }

    void participantObjects()
    {
        const HttpReply reply = call(
            "POST", "/v1/crosstalk/setup",
            R"({"models": [{"name": "Alice", "model": "big", "persona": "path:examples/prompts/alice.txt"},
                           {"name": "Bob", "model": "big", "persona": "You are Bob, curious.",
                            "temperature": 0.4, "top_p": null, "max_tokens": 900},
                           {"model": "small"}],
                "rounds": 1, "paradigm": "memory", "topic": "T"})");
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json()[u"models"_s].toArray(), QJsonArray({u"big"_s, u"big"_s, u"small"_s}));
        const Session *session =
            m_engine->session(QUuid::fromString(reply.json()[u"session_id"_s].toString()));
        QCOMPARE(session->participants[0].persona, kAlice);
        QCOMPARE(session->participants[1].name, u"Bob"_s);
        QCOMPARE(session->participants[1].sampling, (Sampling{0.4, std::nullopt, 900}));
        QVERIFY(session->participants[0].sampling.isEmpty());
        QCOMPARE(session->participants[2].name, u"small"_s);
        QCOMPARE(session->rounds, 1);
    }

    void authentication_data()
    {
        QTest::addColumn<QByteArray>("authorization");
        QTest::addColumn<int>("status");
        QTest::newRow("none") << QByteArray() << 401;
        QTest::newRow("wrong token") << "Bearer nope"_ba << 401;
        QTest::newRow("token with a suffix") << "Bearer " + kToken + "x" << 401;
        QTest::newRow("token's prefix") << "Bearer " + kToken.left(10) << 401;
        QTest::newRow("basic") << "Basic " + kToken.toBase64() << 401;
        QTest::newRow("empty bearer") << "Bearer "_ba << 401;
        QTest::newRow("right token") << "Bearer " + kToken << 200;
        QTest::newRow("scheme in lower case") << "bearer " + kToken << 200;
    }

    void authentication()
    {
        QFETCH(QByteArray, authorization);
        QFETCH(int, status);
        HttpTestClient client(m_server->port());
        QVERIFY(client.connect());
        QByteArray request = "GET /v1/crosstalk/list HTTP/1.1\r\nHost: " + host() + "\r\n";
        if (!authorization.isNull())
            request += "Authorization: " + authorization + "\r\n";
        client.write(request + "\r\n");
        const HttpReply reply = client.read();
        QCOMPARE(reply.status, status);
        if (status == 401) {
            QCOMPARE(reply.errorCode(), u"unauthorized"_s);
            QCOMPARE(reply.header("www-authenticate"), "Bearer"_ba);
            QVERIFY(!reply.body.contains(kToken));
        }
    }

    void healthNeedsNoToken()
    {
        HttpTestClient client(m_server->port());
        QVERIFY(client.connect());
        client.write("GET /healthz HTTP/1.1\r\nHost: localhost:" +
                     QByteArray::number(m_server->port()) + "\r\n\r\n");
        const HttpReply reply = client.read();
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json()[u"status"_s].toString(), u"ok"_s);
    }

    void hostMustBeLoopback_data()
    {
        QTest::addColumn<QByteArray>("hostHeader"); // PORT stands for the server's port
        QTest::addColumn<int>("status");
        QTest::newRow("127.0.0.1") << "127.0.0.1:PORT"_ba << 200;
        QTest::newRow("localhost") << "localhost:PORT"_ba << 200;
        QTest::newRow("LOCALHOST") << "LOCALHOST:PORT"_ba << 200;
        QTest::newRow("[::1]") << "[::1]:PORT"_ba << 200;
        QTest::newRow("no port") << "localhost"_ba << 200;
        QTest::newRow("rebound name") << "evil.example:PORT"_ba << 421;
        QTest::newRow("look-alike") << "localhost.evil.example:PORT"_ba << 421;
        QTest::newRow("other port") << "localhost:1"_ba << 421;
        QTest::newRow("LAN address") << "192.168.1.10:PORT"_ba << 421;
        QTest::newRow("missing") << QByteArray() << 421;
    }

    void hostMustBeLoopback()
    {
        QFETCH(QByteArray, hostHeader);
        QFETCH(int, status);
        HttpTestClient client(m_server->port());
        QVERIFY(client.connect());
        hostHeader.replace("PORT", QByteArray::number(m_server->port()));
        // Even /healthz: a rebinding page must learn nothing.
        for (const QByteArray &target : {"/v1/crosstalk/list"_ba, "/healthz"_ba}) {
            client.write(HttpTestClient::request("GET", target, hostHeader, kToken));
            const HttpReply reply = client.read();
            QCOMPARE(reply.status, status);
            if (status != 200)
                QCOMPARE(reply.errorCode(), u"invalid_argument"_s);
        }
    }

    void noCrossSiteCalls()
    {
        const HttpReply foreign =
            call("GET", "/v1/crosstalk/list", {}, {{"Origin", "https://evil.example"}});
        QCOMPARE(foreign.status, 403);
        QCOMPARE(foreign.errorCode(), u"unauthorized"_s);
        const HttpReply preflight =
            call("OPTIONS", "/v1/crosstalk/setup", {},
                 {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}});
        QCOMPARE(preflight.status, 403);
        QVERIFY(preflight.header("access-control-allow-origin").isEmpty());
        const HttpReply local =
            call("OPTIONS", "/v1/crosstalk/setup", {},
                 {{"Origin", "http://localhost:3000"}, {"Access-Control-Request-Method", "POST"}});
        QCOMPARE(local.status, 200);
        QCOMPARE(local.header("access-control-allow-origin"), "http://localhost:3000"_ba);
        const HttpReply plain = call("GET", "/v1/crosstalk/list");
        QCOMPARE(plain.status, 200);
        QVERIFY(plain.header("access-control-allow-origin").isEmpty());
    }

    // 413 arrives while the client still holds the body back, and the connection closes.
    void oversizeBodyRefusedUnread()
    {
        HttpTestClient client(m_server->port());
        QVERIFY(client.connect());
        client.write("POST /v1/crosstalk/setup HTTP/1.1\r\nHost: " + host() +
                     "\r\nAuthorization: Bearer " + kToken +
                     "\r\nContent-Type: application/json\r\nContent-Length: 2097152\r\n\r\n");
        const HttpReply reply = client.read();
        QCOMPARE(reply.status, 413);
        QCOMPARE(reply.errorCode(), u"payload_too_large"_s);
        QCOMPARE(reply.header("connection").toLower(), "close"_ba);
        QVERIFY(client.waitForClose());
        QCOMPARE(call("GET", "/healthz").status, 200);
    }

    void oversizeBodyOnAKeptAliveConnection()
    {
        HttpTestClient client(m_server->port());
        QVERIFY(client.connect());
        client.write(HttpTestClient::request("GET", "/v1/crosstalk/list", host(), kToken));
        QCOMPARE(client.read().status, 200);
        // The next head arrives in two pieces, the second after a pause.
        const QByteArray head = "POST /v1/crosstalk/setup HTTP/1.1\r\nHost: " + host() +
                                "\r\nAuthorization: Bearer " + kToken +
                                "\r\nContent-Length: 1048577\r\n\r\n";
        QVERIFY(writeAndAwaitRead(client, head.left(20)));
        client.write(head.mid(20));
        const HttpReply reply = client.read();
        QCOMPARE(reply.status, 413);
        QVERIFY(client.waitForClose());
    }

    void splitHeadsAndBodiesOnAKeptAliveConnection()
    {
        HttpTestClient client(m_server->port());
        QVERIFY(client.connect());
        const QByteArray body = models(R"(["big", "small"])");
        for (int i = 0; i < 3; ++i) {
            const QByteArray request =
                HttpTestClient::request("POST", "/v1/crosstalk/setup", host(), kToken, body);
            // Byte by byte for the first request's head, then in halves.
            const qsizetype cut = i == 0 ? 1 : request.size() / 2;
            QVERIFY(writeAndAwaitRead(client, request.left(cut)));
            client.write(request.mid(cut));
            const HttpReply reply = client.read();
            QCOMPARE(reply.status, 200);
            QCOMPARE(reply.json()[u"status"_s].toString(), u"configured"_s);
        }
    }

    void chunkedBodies()
    {
        HttpTestClient client(m_server->port());
        QVERIFY(client.connect());
        const QByteArray body = models(R"(["big", "small"])");
        const QByteArray head = "POST /v1/crosstalk/setup HTTP/1.1\r\nHost: " + host() +
                                "\r\nAuthorization: Bearer " + kToken +
                                "\r\nTransfer-Encoding: chunked\r\n\r\n";
        const QByteArray half = body.left(body.size() / 2);
        const QByteArray rest = body.mid(body.size() / 2);
        QVERIFY(writeAndAwaitRead(client, head + QByteArray::number(half.size(), 16) + "\r\n" +
                                              half + "\r\n"));
        client.write(QByteArray::number(rest.size(), 16) + "\r\n" + rest + "\r\n0\r\n\r\n");
        QCOMPARE(client.read().status, 200);

        // A chunked body that grows past the limit is cut off as it grows.
        client.write(head);
        const QByteArray chunk(64 * 1024, 'x');
        HttpReply refused;
        for (int i = 0; i < 40 && refused.status == 0; ++i) {
            client.write(QByteArray::number(chunk.size(), 16) + "\r\n" + chunk + "\r\n");
            refused = client.read(100);
        }
        QCOMPARE(refused.status, 413);
        QVERIFY(client.waitForClose());
    }

    void oversizeHead()
    {
        HttpTestClient client(m_server->port());
        QVERIFY(client.connect());
        client.write("GET /healthz HTTP/1.1\r\nHost: " + host() + "\r\nX-Filler: " +
                     QByteArray(RequestGate::maxHeadBytes + 10, 'a') + "\r\n\r\n");
        QCOMPARE(client.read().status, 431);
        QVERIFY(client.waitForClose());
    }

    void malformedHttpClosesTheConnection_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("garbage") << "GARBAGE\r\n\r\n"_ba;
        QTest::newRow("bad length") << "POST /v1/crosstalk/setup HTTP/1.1\r\nHost: localhost\r\n"
                                       "Content-Length: 12abc\r\n\r\n"_ba;
        QTest::newRow("two lengths") << "POST /v1/crosstalk/setup HTTP/1.1\r\nHost: localhost\r\n"
                                        "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}"_ba;
        QTest::newRow("length and chunked")
            << "POST /v1/crosstalk/setup HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n"
               "Transfer-Encoding: chunked\r\n\r\n{}"_ba;
        QTest::newRow("bad chunk size")
            << "POST /v1/crosstalk/setup HTTP/1.1\r\nHost: localhost\r\n"
               "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n"_ba;
        QTest::newRow("header without colon")
            << "GET /healthz HTTP/1.1\r\nHost localhost\r\n\r\n"_ba;
    }

    // QUALITY.md R15: a head that does not arrive in time is answered 408, however slowly its
    // bytes keep coming; a connection that sends nothing, or nothing more, is closed.
    void slowHeadsAndIdleConnectionsAreClosed()
    {
        m_server->setConnectionTimeouts(
            {std::chrono::milliseconds(200), std::chrono::milliseconds(300)});
        HttpTestClient trickle(m_server->port());
        QVERIFY(trickle.connect());
        const QByteArray head = HttpTestClient::request("GET", "/healthz", host(), kToken);
        qsizetype sent = 0;
        QTimer drip;
        connect(&drip, &QTimer::timeout, this, [&] {
            if (sent < head.size() - 1 &&
                trickle.socket().state() == QAbstractSocket::ConnectedState)
                trickle.write(head.mid(sent++, 1));
        });
        drip.start(20);
        const HttpReply timedOut = trickle.read();
        drip.stop();
        QCOMPARE(timedOut.status, 408);
        QCOMPARE(timedOut.errorCode(), u"timeout"_s);
        QVERIFY(trickle.waitForClose());

        HttpTestClient silent(m_server->port());
        QVERIFY(silent.connect());
        QVERIFY(silent.waitForClose());

        HttpTestClient kept(m_server->port());
        QVERIFY(kept.connect());
        for (int i = 0; i < 2; ++i) {
            kept.write(HttpTestClient::request("GET", "/healthz", host(), kToken));
            QCOMPARE(kept.read().status, 200);
        }
        QVERIFY(kept.waitForClose());
    }

    // A run waiting for its answer, and an event stream, outlive the idle time.
    void answersWrittenLaterKeepTheirConnection()
    {
        m_server->setConnectionTimeouts(
            {std::chrono::milliseconds(150), std::chrono::milliseconds(150)});
        m_server->setKeepAliveInterval(std::chrono::milliseconds(40));
        const QString streamed = setUp(models(R"(["big", "small"])", 1));
        HttpTestClient stream(m_server->port());
        QVERIFY(stream.connect());
        stream.write(HttpTestClient::request(
            "GET", "/v1/crosstalk/" + streamed.toLatin1() + "/events", host(), kToken));
        QByteArray events;
        QVERIFY(QTest::qWaitFor([&] {
            events += stream.socket().readAll();
            return events.count(": keep-alive") >= 10 ||
                   stream.socket().state() != QAbstractSocket::ConnectedState;
        }));
        QCOMPARE(stream.socket().state(), QAbstractSocket::ConnectedState);

        m_fake.setTiming({300, 300, 0}); // two replies, each slower than the idle time
        const QString id = setUp(models(R"(["big", "small"])", 1));
        HttpTestClient waiting(m_server->port());
        QVERIFY(waiting.connect());
        waiting.write(HttpTestClient::request("POST", "/v1/crosstalk/" + id.toLatin1() + "/run",
                                              host(), kToken));
        const HttpReply answered = waiting.read();
        QCOMPARE(answered.status, 200);
        QCOMPARE(answered.json()[u"status"_s].toString(), u"completed"_s);
        // Answered, the connection is idle again.
        QVERIFY(waiting.waitForClose());
    }

    void malformedHttpClosesTheConnection()
    {
        QFETCH(QByteArray, bytes);
        HttpTestClient client(m_server->port());
        QVERIFY(client.connect());
        client.write(bytes);
        QVERIFY(client.waitForClose());
        QCOMPARE(call("GET", "/healthz").status, 200);
    }

    void invalidSetup_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("field");
        QTest::newRow("not JSON") << "{\"models\": ["_ba << u"body"_s;
        QTest::newRow("empty body") << ""_ba << u"body"_s;
        QTest::newRow("an array") << "[1, 2]"_ba << u"body"_s;
        QTest::newRow("too deep") << QByteArray(R"({"models": ["big", "small"], "x": )") +
                                         QByteArray(40, '[') + QByteArray(40, ']') + "}"
                                  << u"body"_s;
        QTest::newRow("no models") << R"({"topic": "T"})"_ba << u"models"_s;
        QTest::newRow("models a string") << R"({"models": "big,small"})"_ba << u"models"_s;
        QTest::newRow("one model") << R"({"models": ["big"]})"_ba << u"models"_s;
        QTest::newRow("nine models")
            << R"({"models": ["big","big","big","big","big","big","big","big","big"]})"_ba
            << u"models"_s;
        QTest::newRow("a number in models") << R"({"models": ["big", 7]})"_ba << u"models[1]"_s;
        QTest::newRow("unknown model") << R"({"models": ["big", "huge"]})"_ba << u"models[1]"_s;
        QTest::newRow("unknown model in an object")
            << R"({"models": ["big", {"name": "X", "model": "huge"}]})"_ba << u"models[1].model"_s;
        QTest::newRow("object without model")
            << R"({"models": ["big", {"name": "X"}]})"_ba << u"models[1].model"_s;
        QTest::newRow("unknown participant field")
            << R"({"models": ["big", {"model": "small", "mood": "sad"}]})"_ba
            << u"models[1].mood"_s;
        QTest::newRow("duplicate names")
            << R"({"models": [{"name": "A", "model": "big"}, {"name": "A", "model": "small"}]})"_ba
            << u"models[1].name"_s;
        QTest::newRow("unknown paradigm")
            << R"({"models": ["big", "small"], "paradigm": "chaos"})"_ba << u"paradigm"_s;
        QTest::newRow("paradigm a number")
            << R"({"models": ["big", "small"], "paradigm": 3})"_ba << u"paradigm"_s;
        QTest::newRow("iterations a string")
            << R"({"models": ["big", "small"], "iterations": "15"})"_ba << u"iterations"_s;
        QTest::newRow("iterations 0")
            << R"({"models": ["big", "small"], "iterations": 0})"_ba << u"iterations"_s;
        QTest::newRow("iterations 101")
            << R"({"models": ["big", "small"], "iterations": 101})"_ba << u"iterations"_s;
        QTest::newRow("iterations 1.5")
            << R"({"models": ["big", "small"], "iterations": 1.5})"_ba << u"iterations"_s;
        QTest::newRow("iterations and rounds")
            << R"({"models": ["big", "small"], "iterations": 2, "rounds": 2})"_ba << u"rounds"_s;
        QTest::newRow("topic a number")
            << R"({"models": ["big", "small"], "topic": 5})"_ba << u"topic"_s;
        QTest::newRow("topic too long")
            << "{\"models\": [\"big\", \"small\"], \"topic\": \"" + QByteArray(4001, 'x') + "\"}"
            << u"topic"_s;
        QTest::newRow("system_prompts a list")
            << R"({"models": ["big", "small"], "system_prompts": ["x"]})"_ba << u"system_prompts"_s;
        QTest::newRow("prompt for an absent model")
            << R"({"models": ["big", "small"], "system_prompts": {"middle": "You are M."}})"_ba
            << u"system_prompts.middle"_s;
        QTest::newRow("ambiguous prompt")
            << R"({"models": ["big", "big"], "system_prompts": {"big": "You are B."}})"_ba
            << u"system_prompts.big"_s;
        QTest::newRow("parent folders")
            << R"({"models": ["big", "small"], "system_prompts": {"big": "path:../../etc/passwd"}})"_ba
            << u"system_prompts.big"_s;
        QTest::newRow("absolute path")
            << R"({"models": ["big", "small"], "system_prompts": {"big": "path:/etc/passwd"}})"_ba
            << u"system_prompts.big"_s;
        QTest::newRow("home folder")
            << R"({"models": ["big", "small"], "system_prompts": {"big": "path:~/.bashrc"}})"_ba
            << u"system_prompts.big"_s;
        QTest::newRow("symlink out of the library")
            << R"({"models": ["big", "small"], "system_prompts": {"big": "path:leak.txt"}})"_ba
            << u"system_prompts.big"_s;
        QTest::newRow("path in a participant")
            << R"({"models": ["big", {"model": "small", "persona": "path:../secret.txt"}]})"_ba
            << u"models[1].persona"_s;
        QTest::newRow("missing persona file")
            << R"({"models": ["big", "small"], "system_prompts": {"big": "path:nobody.md"}})"_ba
            << u"system_prompts.big"_s;
        QTest::newRow("answer_mode a string")
            << R"({"models": ["big", "small"], "answer_mode": "yes"})"_ba << u"answer_mode"_s;
        QTest::newRow("unknown schedule")
            << R"({"models": ["big", "small"], "schedule": "random"})"_ba << u"schedule"_s;
        QTest::newRow("context window 0")
            << R"({"models": ["big", "small"], "context_window": 0})"_ba << u"context_window"_s;
        QTest::newRow("nested context window 0")
            << R"({"models": ["big", "small"], "options": {"context_window": 0}})"_ba
            << u"options.context_window"_s;
        QTest::newRow("participant temperature out of range")
            << R"({"models": [{"model": "big", "temperature": 3}, "small"]})"_ba
            << u"models[0].temperature"_s;
        QTest::newRow("budget tokens 0")
            << R"({"models": ["big", "small"], "budget": {"tokens": 0}})"_ba << u"budget.tokens"_s;
        QTest::newRow("unknown budget key")
            << R"({"models": ["big", "small"], "budget": {"dollars": 1}})"_ba
            << u"budget.dollars"_s;
        QTest::newRow("unknown summariser model")
            << R"({"models": ["big", "small"], "summariser_model": "huge"})"_ba
            << u"summariser_model"_s;
        QTest::newRow("unknown moderator model in options")
            << R"({"models": ["big", "small"], "options": {"moderator_model": "huge"}})"_ba
            << u"options.moderator_model"_s;
        QTest::newRow("unknown key in options")
            << R"({"models": ["big", "small"], "options": {"mood": "calm"}})"_ba
            << u"options.mood"_s;
        QTest::newRow("options not an object")
            << R"({"models": ["big", "small"], "options": true})"_ba << u"options"_s;
        QTest::newRow("an option twice")
            << R"({"models": ["big", "small"], "answer_mode": true, "options": {"answer_mode": true}})"_ba
            << u"answer_mode"_s;
    }

    // Every option of the session document, at the top level or in `options`.
    void setupTakesTheOptions()
    {
        const HttpReply top =
            call("POST", "/v1/crosstalk/setup",
                 R"({"models": ["big", "small"], "answer_mode": true, "schedule": "sequential",
                "context_window": 4, "summarise_dropped": true, "summariser_model": "small",
                "moderator_model": "big", "budget": {"tokens": 5000, "cost": 0.25}})"_ba);
        QCOMPARE(top.status, 200);
        const SessionOptions &options =
            m_engine->session(QUuid::fromString(top.json()[u"session_id"_s].toString()))->options;
        QVERIFY(options.answerMode);
        QCOMPARE(options.schedule, Schedule::Sequential);
        QCOMPARE(options.contextWindow, 4);
        QVERIFY(options.summariseDropped);
        QCOMPARE(options.summariserModel, u"small"_s);
        QCOMPARE(options.moderatorModel, u"big"_s);
        QCOMPARE(options.budgetTokens, 5000);
        QCOMPARE(options.budgetCost, 0.25);

        const HttpReply nested =
            call("POST", "/v1/crosstalk/setup",
                 R"({"models": ["big", "small"], "options": {"context_window": 3,
                     "budget": {"tokens": null, "cost": 1}}, "answer_mode": true})"_ba);
        QCOMPARE(nested.status, 200);
        const SessionOptions &mixed =
            m_engine->session(QUuid::fromString(nested.json()[u"session_id"_s].toString()))
                ->options;
        QCOMPARE(mixed.contextWindow, 3);
        QVERIFY(mixed.answerMode);
        QCOMPARE(mixed.budgetTokens, std::nullopt);
        QCOMPARE(mixed.budgetCost, 1.0);
        QCOMPARE(mixed.schedule, Schedule::Parallel); // not given: the default
    }

    void invalidSetup()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, field);
        const qsizetype sessionsBefore = m_engine->sessionIds().size();
        const HttpReply reply = call("POST", "/v1/crosstalk/setup", body);
        QCOMPARE(reply.status, 422);
        QCOMPARE(reply.errorCode(), u"invalid_argument"_s);
        QVERIFY2(reply.errorFields().contains(field), reply.body.constData());
        QVERIFY(!reply.body.contains("must stay outside"));
        QCOMPARE(m_engine->sessionIds().size(), sessionsBefore);
    }

    void unknownIdsAndRoutes_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<int>("status");
        const QByteArray unknown = QUuid::createUuid().toString(QUuid::WithoutBraces).toLatin1();
        QTest::newRow("status") << "GET"_ba << "/v1/crosstalk/" + unknown + "/status" << 404;
        QTest::newRow("run") << "POST"_ba << "/v1/crosstalk/" + unknown + "/run" << 404;
        QTest::newRow("delete") << "DELETE"_ba << "/v1/crosstalk/" + unknown + "/delete" << 404;
        QTest::newRow("plain delete") << "DELETE"_ba << "/v1/crosstalk/" + unknown << 404;
        QTest::newRow("not an id") << "GET"_ba << "/v1/crosstalk/nope/status"_ba << 404;
        QTest::newRow("unknown route") << "GET"_ba << "/v1/nothing"_ba << 404;
        QTest::newRow("wrong method") << "GET"_ba << "/v1/crosstalk/setup"_ba << 405;
        QTest::newRow("wrong method on status")
            << "POST"_ba << "/v1/crosstalk/" + unknown + "/status" << 405;
    }

    void unknownIdsAndRoutes()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, target);
        QFETCH(int, status);
        const HttpReply reply = call(method, target);
        QCOMPARE(reply.status, status);
        QCOMPARE(reply.errorCode(), status == 404 ? u"not_found"_s : u"invalid_argument"_s);
    }

    void waitFalseThenPoll()
    {
        m_fake.setTiming({30, 30, 0});
        const QString id = setUp(models(R"(["big", "small"])", 3));
        const QByteArray base = "/v1/crosstalk/" + id.toLatin1();
        const HttpReply accepted = call("POST", base + "/run?wait=false");
        QCOMPARE(accepted.status, 202);
        QCOMPARE(accepted.json()[u"status"_s].toString(), u"running"_s);
        // Running a running session is a conflict.
        const HttpReply again = call("POST", base + "/run");
        QCOMPARE(again.status, 409);
        QCOMPARE(again.errorCode(), u"conflict"_s);
        QTRY_COMPARE_WITH_TIMEOUT(call("GET", base + "/status").json()[u"status"_s].toString(),
                                  u"completed"_s, 20000);
        const HttpReply status = call("GET", base + "/status");
        QCOMPARE(status.json()[u"current_iteration"_s].toInt(), 3);
        // Running a completed session returns it unchanged.
        m_fake.clearRequests();
        const HttpReply rerun = call("POST", base + "/run");
        QCOMPARE(rerun.status, 200);
        QCOMPARE(rerun.json()[u"status"_s].toString(), u"completed"_s);
        QCOMPARE(rerun.json()[u"conversation"_s].toArray().size(), 6);
        QVERIFY(m_fake.requests().isEmpty());
        QCOMPARE(call("POST", base + "/run?wait=maybe").status, 422);
    }

    // PRODUCT.md §1: a provider failure or time-out pauses the session; the run answers 200
    // with `status: paused` and `error: {code, message}`.
    void providerFailureAnswersPaused_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::addColumn<QString>("code");
        QTest::newRow("an error status") << u"503"_s << u"provider_error"_s;
        QTest::newRow("silence") << u"stall"_s << u"timeout"_s;
    }

    void providerFailureAnswersPaused()
    {
        QFETCH(QString, fault);
        QFETCH(QString, code);
        CallTiming timing;
        timing.inactivityTimeout = std::chrono::milliseconds(300);
        timing.retry.maxRetries = 0;
        m_context->chatClient()->setTiming(timing);
        m_fake.addFaultRule(*FaultRule::parse(fault, nullptr));
        const QString id = setUp(models(R"(["big", "small"])"));
        const HttpReply run = call("POST", "/v1/crosstalk/" + id.toLatin1() + "/run");
        m_fake.clearFaultRules();
        timing.inactivityTimeout = std::chrono::seconds(5);
        m_context->chatClient()->setTiming(timing);
        QCOMPARE(run.status, 200);
        QCOMPARE(run.json()[u"status"_s].toString(), u"paused"_s);
        const QString reason = run.json()[u"reason"_s].toString();
        QVERIFY(!reason.isEmpty());
        const QJsonObject error = run.json()[u"error"_s].toObject();
        QCOMPARE(error[u"code"_s].toString(), code);
        QCOMPARE(error[u"message"_s].toString(), reason);
        QVERIFY(!run.body.contains("sk-test-rest"));
    }

    // A budget cap pauses too, but is no error.
    void budgetPauseHasNoError()
    {
        Session draft =
            *m_engine->session(QUuid::fromString(setUp(models(R"(["big", "small"])", 3))));
        draft.options.budgetTokens = 1;
        const Parsed<QUuid> created = m_engine->createSession(draft);
        QVERIFY(created);
        const QString id = created.value->toString(QUuid::WithoutBraces);
        const HttpReply run = call("POST", "/v1/crosstalk/" + id.toLatin1() + "/run");
        QCOMPARE(run.status, 200);
        QCOMPARE(run.json()[u"status"_s].toString(), u"paused"_s);
        QVERIFY(run.json()[u"reason"_s].toString().contains(u"budget"_s));
        QVERIFY(!run.json().contains(u"error"_s));
    }

    // A session a cap paused resumes only under new caps given in the body.
    void resumeUnderNewCaps()
    {
        Session draft =
            *m_engine->session(QUuid::fromString(setUp(models(R"(["big", "small"])", 2))));
        draft.options.budgetTokens = 1;
        draft.options.budgetCost = 5.0;
        const Parsed<QUuid> created = m_engine->createSession(draft);
        QVERIFY(created);
        const QByteArray path =
            "/v1/crosstalk/" + created.value->toString(QUuid::WithoutBraces).toLatin1();
        QCOMPARE(call("POST", path + "/run").json()[u"status"_s].toString(), u"paused"_s);
        const qsizetype requests = m_fake.requests().size();

        const HttpReply same = call("POST", path + "/resume");
        QCOMPARE(same.status, 409);
        QVERIFY2(same.json()[u"error"_s][u"message"_s].toString().contains(u"token budget"_s),
                 same.body.constData());
        for (const QByteArray &body :
             {R"({"budget": {"tokens": 0}})"_ba, R"({"budget": {"dollars": 1}})"_ba,
              R"({"caps": {}})"_ba, R"({"budget": 5})"_ba, "[]"_ba}) {
            const HttpReply bad = call("POST", path + "/resume", body);
            QVERIFY2(bad.status == 400, body.constData());
            QCOMPARE(bad.json()[u"error"_s][u"code"_s].toString(), u"invalid_argument"_s);
        }
        QCOMPARE(m_fake.requests().size(), requests);
        QCOMPARE(m_engine->session(*created.value)->status, SessionStatus::Paused);

        // The token cap goes; the cost cap, left out, stays.
        const HttpReply resumed = call("POST", path + "/resume", R"({"budget": {"tokens": null}})");
        QCOMPARE(resumed.status, 200);
        QCOMPARE(resumed.json()[u"status"_s].toString(), u"running"_s);
        QTRY_COMPARE_WITH_TIMEOUT(m_engine->session(*created.value)->status,
                                  SessionStatus::Completed, 20000);
        QCOMPARE(m_engine->session(*created.value)->options.budgetTokens, std::nullopt);
        QCOMPARE(m_engine->session(*created.value)->options.budgetCost, 5.0);
    }

    void concurrentClients()
    {
        m_fake.setTiming({20, 10, 0});
        constexpr int n = 8;
        std::vector<std::unique_ptr<HttpTestClient>> clients;
        QStringList ids;
        for (int i = 0; i < n; ++i)
            ids << setUp(models(R"(["big", "middle", "small"])", 2));
        for (int i = 0; i < n; ++i) {
            clients.push_back(std::make_unique<HttpTestClient>(m_server->port()));
            QVERIFY(clients.back()->connect());
            clients.back()->write(HttpTestClient::request(
                "POST", "/v1/crosstalk/" + ids[i].toLatin1() + "/run", host(), kToken));
        }
        // Other clients are answered while the runs wait.
        const HttpReply status = call("GET", "/v1/crosstalk/" + ids[0].toLatin1() + "/status");
        QCOMPARE(status.status, 200);
        QCOMPARE(call("GET", "/v1/crosstalk/list").status, 200);
        for (int i = 0; i < n; ++i) {
            const HttpReply reply = clients[i]->read();
            QCOMPARE(reply.status, 200);
            QCOMPARE(reply.json()[u"session_id"_s].toString(), ids[i]);
            QCOMPARE(reply.json()[u"status"_s].toString(), u"completed"_s);
            QCOMPARE(reply.json()[u"conversation"_s].toArray().size(), 6);
        }
    }

    void clientLeavingARunIsForgotten()
    {
        m_fake.setTiming({20, 20, 200}); // replies stream for a while
        m_fake.clearRequests();
        const QString id = setUp(models(R"(["big", "small"])", 2));
        {
            HttpTestClient client(m_server->port());
            QVERIFY(client.connect());
            client.write(HttpTestClient::request("POST", "/v1/crosstalk/" + id.toLatin1() + "/run",
                                                 host(), kToken));
            QTRY_VERIFY(!m_fake.requests().isEmpty());
            client.socket().abort();
        }
        QTRY_COMPARE_WITH_TIMEOUT(m_engine->session(QUuid::fromString(id))->status,
                                  SessionStatus::Completed, 60000);
        QCOMPARE(call("GET", "/healthz").status, 200);
    }

    void rateLimit()
    {
        m_server->setRateLimits({0.01, 3});
        for (int i = 0; i < 3; ++i)
            QCOMPARE(call("GET", "/healthz").status, 200);
        const HttpReply refused = call("GET", "/v1/crosstalk/list");
        QCOMPARE(refused.status, 429);
        QCOMPARE(refused.errorCode(), u"rate_limited"_s);
        QVERIFY(refused.header("retry-after").toInt() >= 1);
        m_server->setRateLimits({});
        QCOMPARE(call("GET", "/healthz").status, 200);
    }

    // QUALITY.md R15: at most setMaxRunning() sessions run at once; a run or resume beyond
    // it answers 429 rate_limited and the session stays as it was.
    void maxRunning()
    {
        m_server->setMaxRunning(1);
        m_fake.setTiming({5, 5, 40});
        const QString first = setUp(R"({"models": ["big", "small"], "iterations": 2})");
        const QString second = setUp(R"({"models": ["big", "small"], "iterations": 1})");
        QCOMPARE(call("POST", "/v1/crosstalk/" + first.toLatin1() + "/run?wait=false").status, 202);
        const HttpReply refused = call("POST", "/v1/crosstalk/" + second.toLatin1() + "/run");
        QCOMPARE(refused.status, 429);
        QCOMPARE(refused.errorCode(), u"rate_limited"_s);
        QCOMPARE(m_engine->session(QUuid::fromString(second))->status, SessionStatus::Configured);
        QTRY_COMPARE_WITH_TIMEOUT(m_engine->session(QUuid::fromString(first))->status,
                                  SessionStatus::Completed, 20000);
        m_fake.setTiming({2, 2, 0});
        QCOMPARE(call("POST", "/v1/crosstalk/" + second.toLatin1() + "/run").status, 200);
        m_server->setMaxRunning(16);
    }

    // QUALITY.md R15: requests refused for their Host, Origin or token are not charged, so a
    // web page's flood of refused requests cannot starve the real client.
    void refusalsAreNotCharged()
    {
        m_server->setRateLimits({0.01, 3});
        for (int i = 0; i < 10; ++i) {
            HttpTestClient client(m_server->port());
            QVERIFY(client.connect());
            switch (i % 3) {
            case 0:
                client.write(
                    HttpTestClient::request("GET", "/v1/crosstalk/list", host(), "wrong-token"));
                QCOMPARE(client.read().status, 401);
                break;
            case 1:
                client.write(
                    HttpTestClient::request("GET", "/v1/crosstalk/list", "evil.example", kToken));
                QCOMPARE(client.read().status, 421);
                break;
            default:
                client.write(HttpTestClient::request("GET", "/v1/crosstalk/list", host(), kToken,
                                                     {}, {{"Origin", "https://evil.example"}}));
                QCOMPARE(client.read().status, 403);
            }
        }
        for (int i = 0; i < 3; ++i)
            QCOMPARE(call("GET", "/v1/crosstalk/list").status, 200);
        QCOMPARE(call("GET", "/v1/crosstalk/list").status, 429);
        m_server->setRateLimits({});
    }

    void tokenBucket()
    {
        RateLimiter limiter({10, 5});
        auto now = std::chrono::steady_clock::now();
        limiter.setClock([&now] { return now; });
        const QHostAddress a(u"127.0.0.1"_s);
        const QHostAddress b(u"127.0.0.2"_s);
        for (int i = 0; i < 5; ++i)
            QVERIFY(limiter.allow(a));
        std::chrono::milliseconds retry{0};
        QVERIFY(!limiter.allow(a, &retry));
        QCOMPARE(retry, std::chrono::milliseconds(100));
        QVERIFY(limiter.allow(b)); // buckets are per client
        now += std::chrono::milliseconds(100);
        QVERIFY(limiter.allow(a));
        QVERIFY(!limiter.allow(a));
        now += std::chrono::seconds(10); // refills up to the burst, no further
        for (int i = 0; i < 5; ++i)
            QVERIFY(limiter.allow(a));
        QVERIFY(!limiter.allow(a));
        limiter.setLimits({0, 0});
        QVERIFY(limiter.allow(a));
    }

    void tokens()
    {
        const QString token = ApiToken::generate();
        QCOMPARE(token.size(), 43); // 32 bytes, base64url without padding
        QVERIFY(QRegularExpression(u"^[A-Za-z0-9_-]+$"_s).match(token).hasMatch());
        QVERIFY(ApiToken::generate() != token);
        QVERIFY(ApiToken::matches(token.toLatin1(), token.toLatin1()));
        QVERIFY(!ApiToken::matches(token.toLatin1().chopped(1), token.toLatin1()));
        QVERIFY(!ApiToken::matches({}, {}));

        // Without a keychain the token goes to an owner-only file and is reused from there.
        const QString path = m_dir.filePath(u"config/api-token"_s);
        ApiToken::Obtained first;
        ApiToken::obtain({}, nullptr, path, this, [&](const auto &o) { first = o; });
        QVERIFY(first.error.isEmpty());
        QCOMPARE(first.source, path);
        QCOMPARE(QFile::permissions(path) & ~(QFile::ReadUser | QFile::WriteUser),
                 QFile::ReadOwner | QFile::WriteOwner);
        ApiToken::Obtained second;
        ApiToken::obtain({}, nullptr, path, this, [&](const auto &o) { second = o; });
        QCOMPARE(second.token, first.token);
        QProcessEnvironment environment;
        const QString fromEnvironment = u"from-the-environment-0123456789a"_s;
        environment.insert(u"CROSSTALK_API_TOKEN"_s, fromEnvironment);
        ApiToken::Obtained overridden;
        ApiToken::obtain(environment, nullptr, path, this, [&](const auto &o) { overridden = o; });
        QCOMPARE(overridden.token, fromEnvironment);

        QCOMPARE(fromEnvironment.size(), ApiToken::minimumLength);
        // One character short: refused, saying how to get a good one (QUALITY.md R16).
        environment.insert(u"CROSSTALK_API_TOKEN"_s, fromEnvironment.chopped(1));
        ApiToken::Obtained refused;
        ApiToken::obtain(environment, nullptr, path, this, [&](const auto &o) { refused = o; });
        QVERIFY(refused.token.isEmpty());
        QVERIFY2(refused.error.contains(u"at least 32"_s) &&
                     refused.error.contains(u"CROSSTALK_API_TOKEN"_s),
                 qPrintable(refused.error));
    }
};

QTEST_GUILESS_MAIN(TestRestServer)
#include "tst_restserver.moc"
