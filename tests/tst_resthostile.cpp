// SPDX-License-Identifier: GPL-3.0-or-later
// QUALITY.md R6: 10,000 random and hostile requests against the REST server. Well-formed
// requests get a 4xx answer with a JSON error, malformed HTTP gets the connection closed,
// nothing crashes (the asan pass runs this too), and the server keeps serving.
#include "engine/engine.h"
#include "fakellmserver.h"
#include "httptestclient.h"
#include "llm/chatclient.h"
#include "persona/personalibrary.h"
#include "restserver.h"

#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Crosstalk;
using namespace Crosstalk::Testing;

namespace {

const QByteArray kToken = "hostile-test-token-0123456789abcdefghij";

struct Attack
{
    QByteArray bytes;
    bool wellFormed = true; // false: malformed HTTP, the connection must close
    QByteArray what;
};

class Generator
{
public:
    // `session`: a configured session the new routes are attacked on.
    Generator(quint32 seed, quint16 port, const QByteArray &session)
        : m_random(seed)
        , m_host("127.0.0.1:" + QByteArray::number(port))
        , m_session(session)
    {}

    Attack next()
    {
        switch (m_random.bounded(15)) {
        case 0:
            return post("/v1/crosstalk/setup", randomBytes(m_random.bounded(1, 400)), "bad json");
        case 1:
            return post("/v1/crosstalk/setup", pick(kWrongTypes), "wrong types");
        case 2:
            return post("/v1/crosstalk/setup", nested(int(m_random.bounded(17, 2000))),
                        "deep nesting");
        case 3: {
            Attack a{"POST /v1/crosstalk/setup HTTP/1.1\r\nHost: " + m_host +
                         "\r\nAuthorization: Bearer " + kToken +
                         "\r\nContent-Type: application/json\r\nContent-Length: " +
                         QByteArray::number(m_random.bounded(1 << 20, 1 << 30)) + "\r\n\r\n",
                     true, "huge body"};
            return a;
        }
        case 4:
            return get("/v1/crosstalk/" + QUuid::createUuid().toByteArray(QUuid::WithoutBraces) +
                           pick({"/status", "/run", "/delete", ""}),
                       "unknown id");
        case 5:
            return get(pick({"/v1/crosstalk/../../etc/passwd/status", "/v1/%2e%2e/%2e%2e/etc",
                             "/v1/crosstalk/%00/status", "/v1/crosstalk//status",
                             "/v1/crosstalk/" + QByteArray(3000, 'a') + "/status", "/.git/config",
                             "/v1/crosstalk/setup?x=" + randomBytes(20).toHex()}),
                       "path tricks");
        case 6:
            return post("/v1/crosstalk/setup",
                        R"({"models": ["big", "small"], "system_prompts": {"big": ")" +
                            pick({"path:../../etc/passwd", "path:/etc/passwd", "path:~/.ssh/id",
                                  "path:examples/../../../secret"}) +
                            R"("}})",
                        "persona path tricks");
        case 7: {
            const QByteArray token = pick({QByteArray(), "wrong", kToken + "x", "Bearer"});
            return {"GET /v1/crosstalk/list HTTP/1.1\r\nHost: " + m_host +
                        (token.isNull() ? QByteArray() : "\r\nAuthorization: Bearer " + token) +
                        "\r\n\r\n",
                    true, "no or wrong token"};
        }
        case 8:
            return {"GET /v1/crosstalk/list HTTP/1.1\r\nHost: " +
                        pick({"evil.example", "127.0.0.1.evil.example", "localhost.attacker",
                              "10.0.0.1"}) +
                        "\r\nAuthorization: Bearer " + kToken + "\r\n\r\n",
                    true, "foreign host"};
        case 9:
            return {pick({"GARBAGE\r\n\r\n", "GET /\r\n\r\n", "GET / HTTP/9.9\r\n\r\n",
                          "POST /v1/crosstalk/setup HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
                          "POST /v1/crosstalk/setup HTTP/1.1\r\nContent-Length: 5\r\n"
                          "Content-Length: 7\r\n\r\n12345",
                          "POST /v1/crosstalk/setup HTTP/1.1\r\nTransfer-Encoding: chunked\r\n"
                          "Content-Length: 3\r\n\r\nabc",
                          "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n"}) +
                        randomBytes(m_random.bounded(0, 50)),
                    false, "malformed http"};
        case 10:
            return {pick({"DELETE", "PUT", "PATCH", "OPTIONS", "TRACE"}) + " /v1/crosstalk/" +
                        pick({"setup", "list", "x/status"}) + " HTTP/1.1\r\nHost: " + m_host +
                        "\r\nAuthorization: Bearer " + kToken + "\r\nOrigin: " +
                        pick({"https://evil.example", "null", "http://localhost.evil.example"}) +
                        "\r\nContent-Length: 0\r\n\r\n",
                    true, "methods and origins"};
        case 12: {
            // Crosstalk's own routes on sessions that do not exist.
            const QByteArray id = pick({QUuid::createUuid().toByteArray(QUuid::WithoutBraces), "x",
                                        "%2e%2e", QByteArray(300, 'f'), "00000000-0000"});
            const QByteArray route = pick({"events", "transcript", "transcript?format=pdf", "pause",
                                           "resume", "stop", "messages"});
            const QByteArray method =
                route.startsWith("events") || route.startsWith("transcript") ? "GET" : "POST";
            if (m_random.bounded(4) == 0)
                return get("/v1/sessions/" + id, "unknown id, new routes");
            return {
                HttpTestClient::request(method, "/v1/crosstalk/" + id + '/' + route, m_host, kToken,
                                        method == "POST" ? R"({"text": "hi"})"_ba : QByteArray()),
                true, "unknown id, new routes"};
        }
        case 13: {
            const QByteArray body =
                m_random.bounded(5) == 0 ? randomBytes(m_random.bounded(1, 400))
                : m_random.bounded(5) == 0
                    ? nested(int(m_random.bounded(17, 2000)))
                    : pick({R"({"text": 5})", R"({"text": ""})", R"({"text": "  
"})",
                            R"({"to": ["big"]})", R"({"text": "a", "to": "big"})",
                            R"({"text": "a", "to": [1, null]})",
                            R"({"text": "a", "to": ["nobody"]})",
                            R"({"text": "a", "to": [{"name": "big"}]})", R"({"text": "a", "x": 1})",
                            "{\"text\": \"" + QByteArray(100001, 'x') + "\"}", "[]", "null",
                            R"("text")"});
            return post("/v1/crosstalk/" + m_session + "/messages", body, "bad human messages");
        }
        case 14:
            // Wrong states and wrong formats on a session that exists.
            return m_random.bounded(2) == 0
                       ? post("/v1/crosstalk/" + m_session + '/' + pick({"pause", "resume"}),
                              QByteArray(), "wrong state or format")
                       : get("/v1/crosstalk/" + m_session + "/transcript?format=" +
                                 pick({"docx", "pdff", "MARKDOWN", "md%00", "../../x",
                                       randomBytes(8).toHex()}),
                             "wrong state or format");
        default:
            return post("/v1/crosstalk/setup",
                        R"({"models": ["big", "small"], "iterations": )" +
                            pick({"0", "101", "-1", "1e9", "2.5", "null", "\"20\""}) +
                            R"(, "paradigm": ")" + pick({"chaos", "", "RELAY", "memory "}) +
                            R"(", "topic": ")" + QByteArray(m_random.bounded(0, 5000), 'x') +
                            R"("})",
                        "out of range");
        }
    }

private:
    static inline const QList<QByteArray> kWrongTypes = {
        R"({"models": 5})",
        R"({"models": ["big", 3]})",
        R"({"models": [{"model": 7}]})",
        R"({"models": ["big", "small"], "iterations": "x"})",
        R"({"models": ["big", "small"], "system_prompts": []})",
        R"({"models": ["big", "small"], "topic": {"a": 1}})",
        R"([1, 2, 3])",
        R"("just a string")",
        R"(null)",
        R"({"models": ["nope", "never"]})",
        R"({"models": ["big", "big", "big", "big", "big", "big", "big", "big", "big"]})",
    };

    QByteArray pick(const QList<QByteArray> &choices)
    {
        return choices.at(qsizetype(m_random.bounded(quint32(choices.size()))));
    }

    QByteArray randomBytes(int size)
    {
        QByteArray bytes(size, Qt::Uninitialized);
        for (char &c : bytes)
            c = char(m_random.bounded(256));
        return bytes;
    }

    static QByteArray nested(int depth) { return QByteArray(depth, '[') + QByteArray(depth, ']'); }

    Attack post(const QByteArray &path, const QByteArray &body, const QByteArray &what)
    {
        return {HttpTestClient::request("POST", path, m_host, kToken, body), true, what};
    }

    Attack get(const QByteArray &path, const QByteArray &what)
    {
        return {HttpTestClient::request("GET", path, m_host, kToken), true, what};
    }

    QRandomGenerator m_random;
    QByteArray m_host;
    QByteArray m_session;
};

} // namespace

class TestRestHostile : public QObject
{
    Q_OBJECT

private slots:
    void tenThousandHostileRequests()
    {
        Fake::FakeLlmServer fake;
        QVERIFY(fake.listen());
        QTemporaryDir dir;
        QProcessEnvironment environment;
        environment.insert(u"OPENAI_BASE_URL"_s, fake.baseUrl().toString() + u"/v1"_s);
        ChatClient client;
        Engine engine(ModelRegistry::load(environment, nullptr), &client, nullptr);
        PersonaLibrary library(dir.filePath(u"personas"_s));
        RestServer server(&engine, &library);
        server.setToken(QString::fromLatin1(kToken));
        server.setRateLimits({0, 0}); // off for the run, as QUALITY.md says
        QCOMPARE(server.listen(), std::nullopt);

        const quint32 seed = QRandomGenerator::global()->generate();
        qInfo("seed: %u", seed);
        // One session for the routes that need one; it stays configured throughout.
        Session draft;
        draft.topic = u"Hostile"_s;
        draft.rounds = 1;
        draft.participants = {Participant{u"big"_s, u"big"_s, u"You are big."_s, {}, {}, {}},
                              Participant{u"small"_s, u"small"_s, u"You are small."_s, {}, {}, {}}};
        const Parsed<QUuid> session = engine.createSession(draft);
        QVERIFY(session);
        Generator generator(seed, server.port(), session.value->toByteArray(QUuid::WithoutBraces));
        QHash<QByteArray, int> seen;
        // Fifty at a time, on fifty connections: the answers are awaited together.
        constexpr int total = 10000, batch = 50;
        for (int done = 0; done < total; done += batch) {
            QList<Attack> attacks;
            std::vector<std::unique_ptr<HttpTestClient>> clients;
            for (int i = 0; i < batch; ++i) {
                attacks.append(generator.next());
                ++seen[attacks.last().what];
                clients.push_back(std::make_unique<HttpTestClient>(server.port()));
                QVERIFY(clients.back()->connect());
                clients.back()->write(attacks.last().bytes);
            }
            for (int i = 0; i < batch; ++i) {
                const Attack &attack = attacks.at(i);
                HttpTestClient &http = *clients.at(size_t(i));
                const HttpReply reply = http.read(attack.wellFormed ? 10000 : 3000);
                if (attack.wellFormed) {
                    QVERIFY2(reply.status >= 400 && reply.status < 500,
                             qPrintable(u"%1: status %2 for %3"_s.arg(
                                 QString::fromLatin1(attack.what), QString::number(reply.status),
                                 QString::fromLatin1(attack.bytes.left(200).toPercentEncoding()))));
                    // Preflight answers may carry no body; every other refusal is JSON.
                    if (!attack.bytes.startsWith("OPTIONS"))
                        QVERIFY2(!reply.errorCode().isEmpty(),
                                 qPrintable(QString::fromLatin1(attack.what + ": " + reply.body)));
                } else {
                    QTRY_VERIFY2_WITH_TIMEOUT(
                        http.socket().state() == QAbstractSocket::UnconnectedState ||
                            reply.status == 400,
                        qPrintable(QString::fromLatin1(attack.bytes.left(80))), 3000);
                }
            }
            // The server still serves.
            HttpTestClient health(server.port());
            QVERIFY(health.connect());
            health.write(HttpTestClient::request(
                "GET", "/healthz", "127.0.0.1:" + QByteArray::number(server.port()), QByteArray()));
            QCOMPARE(health.read().status, 200);
        }
        // Not one hostile setup or message got through.
        QCOMPARE(engine.sessionIds(), QList<QUuid>{*session.value});
        QCOMPARE(engine.session(*session.value)->messages.size(), 0);
        QCOMPARE(engine.session(*session.value)->status, SessionStatus::Configured);
        QCOMPARE(seen.size(), 15);
    }
};

QTEST_GUILESS_MAIN(TestRestHostile)
#include "tst_resthostile.moc"
