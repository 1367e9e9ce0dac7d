// SPDX-License-Identifier: GPL-3.0-or-later
// Crosstalk's own REST routes over real HTTP (the old tool's are in tst_restserver): the
// transcript in every format, run control, human messages, the session document, models and
// paradigms, each with its errors.
#include "conversation/session.h"
#include "resttestserver.h"
#include "storelock.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Crosstalk;
using namespace Crosstalk::Testing;

class TestRestRoutes : public QObject
{
    Q_OBJECT

private:
    RestTestServer m_rest;
    QByteArray m_completed; // a session run to its end

    HttpReply post(const QByteArray &id, const QByteArray &action,
                   const QByteArray &body = QByteArray())
    {
        return m_rest.call("POST", "/v1/crosstalk/" + id + "/" + action, body);
    }

    QString statusOf(const QByteArray &id)
    {
        return m_rest.call("GET", "/v1/sessions/" + id).json()[u"status"_s].toString();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_rest.start());
        m_completed = m_rest.setUp();
        QCOMPARE(m_rest.call("POST", "/v1/crosstalk/" + m_completed + "/run").status, 200);
    }

    void init() { m_rest.fake.setTiming({2, 2, 0}); }

    void transcript_data()
    {
        QTest::addColumn<QByteArray>("query");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("start");
        QTest::newRow("default") << QByteArray() << "text/markdown; charset=utf-8"_ba << "# "_ba;
        QTest::newRow("md") << "?format=md"_ba << "text/markdown; charset=utf-8"_ba << "# "_ba;
        QTest::newRow("html") << "?format=html"_ba << "text/html; charset=utf-8"_ba
                              << "<!DOCTYPE html>"_ba;
        QTest::newRow("txt") << "?format=txt"_ba << "text/plain; charset=utf-8"_ba
                             << "Why is the sky blue?"_ba;
        QTest::newRow("pdf") << "?format=pdf"_ba << "application/pdf"_ba << "%PDF-"_ba;
        QTest::newRow("json") << "?format=json"_ba << "application/json"_ba << "{"_ba;
        QTest::newRow("legacy-json") << "?format=legacy-json"_ba << "application/json"_ba << "{"_ba;
    }

    void transcript()
    {
        QFETCH(QByteArray, query);
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, start);
        const HttpReply reply =
            m_rest.call("GET", "/v1/crosstalk/" + m_completed + "/transcript" + query);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.header("content-type"), contentType);
        QVERIFY2(reply.body.startsWith(start), reply.body.left(80).constData());
        if (query == "?format=json") {
            QCOMPARE(reply.json()[u"format_version"_s].toInt(), 2);
            QCOMPARE(reply.json()[u"messages"_s].toArray().size(), 4);
        } else if (query == "?format=legacy-json") {
            QCOMPARE(reply.json()[u"conversation"_s].toArray().size(), 4);
        }
    }

    void transcriptErrors()
    {
        HttpReply reply =
            m_rest.call("GET", "/v1/crosstalk/" + m_completed + "/transcript?format=docx");
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.errorCode(), u"invalid_argument"_s);
        QCOMPARE(reply.errorFields(), QStringList{u"format"_s});
        const QByteArray unknown = QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
        reply = m_rest.call("GET", "/v1/crosstalk/" + unknown + "/transcript");
        QCOMPARE(reply.status, 404);
        QCOMPARE(reply.errorCode(), u"not_found"_s);
        reply = m_rest.call("POST", "/v1/crosstalk/" + m_completed + "/transcript");
        QCOMPARE(reply.status, 405);
        QCOMPARE(reply.header("allow"), "GET"_ba);
    }

    // pause → resume → stop, and each refused where the state does not allow it.
    void runControl()
    {
        m_rest.fake.setTiming({5, 10, 400}); // replies take a while
        const QByteArray id = m_rest.setUp(R"(["big", "small"])", 5);
        HttpReply reply = post(id, "pause");
        QCOMPARE(reply.status, 409);
        QCOMPARE(reply.errorCode(), u"conflict"_s);
        reply = post(id, "resume");
        QCOMPARE(reply.status, 409);
        QVERIFY(reply.json()[u"error"_s][u"message"_s].toString().contains(u"run it"_s));

        QCOMPARE(post(id, "run?wait=false").status, 202);
        reply = post(id, "pause");
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json(), (QJsonObject{{u"session_id"_s, QString::fromLatin1(id)},
                                            {u"status"_s, u"paused"_s}}));
        QCOMPARE(post(id, "pause").status, 409);
        // Resuming waits for the paused round's replies; then it runs again.
        QVERIFY(QTest::qWaitFor([&] { return post(id, "resume").status == 200; }, 30000));
        QCOMPARE(statusOf(id), u"running"_s);
        reply = post(id, "stop");
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json()[u"status"_s].toString(), u"cancelled"_s);
        QCOMPARE(post(id, "stop").status, 409);
        // A stopped session goes on when resumed (PRODUCT.md §3).
        QCOMPARE(post(id, "resume").status, 200);
        QCOMPARE(statusOf(id), u"running"_s);
        QCOMPARE(post(id, "stop").status, 200);
        QCOMPARE(post(m_completed, "resume").status, 409);

        const QByteArray unknown = QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
        for (const QByteArray &action : {"pause"_ba, "resume"_ba, "stop"_ba}) {
            QCOMPARE(post(unknown, action).status, 404);
            QCOMPARE(m_rest.call("GET", "/v1/crosstalk/" + id + "/" + action).status, 405);
        }
        QCOMPARE(post("not-an-id", "pause").status, 404);
    }

    void humanMessage()
    {
        const QByteArray id = m_rest.setUp();
        HttpReply reply =
            post(id, "messages", R"({"text": "Mind the children.", "to": ["small"]})");
        QCOMPARE(reply.status, 201);
        const QJsonObject message = reply.json()[u"message"_s].toObject();
        QCOMPARE(message[u"type"_s].toString(), u"human"_s);
        QCOMPARE(message[u"content"_s].toString(), u"Mind the children."_s);
        QCOMPARE(message[u"recipients"_s].toArray(), QJsonArray{u"small"_s});
        reply = post(id, "messages", R"({"text": "To everyone."})");
        QCOMPARE(reply.status, 201);
        QCOMPARE(reply.json()[u"message"_s][u"recipients"_s].toArray(),
                 (QJsonArray{u"big"_s, u"small"_s}));
        const QJsonArray stored =
            m_rest.call("GET", "/v1/sessions/" + id).json()[u"messages"_s].toArray();
        QCOMPARE(stored.size(), 2);
        QCOMPARE(stored.first()[u"id"_s], message[u"id"_s]);
    }

    void humanMessageErrors_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QStringList>("fields");
        QTest::newRow("not json") << "{text"_ba << QStringList{u"body"_s};
        QTest::newRow("array") << "[]"_ba << QStringList{u"body"_s};
        QTest::newRow("deep") << QByteArray(40, '[') + QByteArray(40, ']')
                              << QStringList{u"body"_s};
        QTest::newRow("no text") << "{}"_ba << QStringList{u"text"_s};
        QTest::newRow("empty text") << R"({"text": "  "})"_ba << QStringList{u"text"_s};
        QTest::newRow("number text") << R"({"text": 5})"_ba << QStringList{u"text"_s};
        QTest::newRow("long text")
            << "{\"text\": \"" + QByteArray(100001, 'x') + "\"}" << QStringList{u"text"_s};
        QTest::newRow("to not a list")
            << R"({"text": "hi", "to": "big"})"_ba << QStringList{u"to"_s};
        QTest::newRow("to with a number")
            << R"({"text": "hi", "to": ["big", 3]})"_ba << QStringList{u"to[1]"_s};
        QTest::newRow("unknown participant")
            << R"({"text": "hi", "to": ["nobody"]})"_ba << QStringList{u"to"_s};
        QTest::newRow("unknown field")
            << R"({"text": "hi", "from": "me"})"_ba << QStringList{u"from"_s};
    }

    void humanMessageErrors()
    {
        QFETCH(QByteArray, body);
        QFETCH(QStringList, fields);
        const HttpReply reply = post(m_completed, "messages", body);
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.errorCode(), u"invalid_argument"_s);
        QCOMPARE(reply.errorFields(), fields);
    }

    void humanMessageUnknownSession()
    {
        const QByteArray unknown = QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
        QCOMPARE(post(unknown, "messages", R"({"text": "hi"})").status, 404);
    }

    void sessionDocument()
    {
        const HttpReply reply = m_rest.call("GET", "/v1/sessions/" + m_completed);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.header("content-type"), "application/json"_ba);
        const QJsonObject document = reply.json();
        QCOMPARE(
            QStringList(document.keys()),
            (QStringList{u"created_at"_s, u"format_version"_s, u"id"_s, u"messages"_s, u"options"_s,
                         u"paradigm"_s, u"participants"_s, u"result"_s, u"rounds"_s, u"status"_s,
                         u"title"_s, u"topic"_s, u"updated_at"_s, u"usage"_s}));
        QCOMPARE(document[u"status"_s].toString(), u"completed"_s);
        QVERIFY(!reply.body.contains(RestTestServer::apiKey.toLatin1()));
        const QByteArray unknown = QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
        QCOMPARE(m_rest.call("GET", "/v1/sessions/" + unknown).status, 404);
        QCOMPARE(m_rest.call("GET", "/v1/sessions/x").status, 404);
        QCOMPARE(m_rest.call("DELETE", "/v1/sessions/" + m_completed).status, 405);
    }

    // QUALITY.md R14 over REST: while the store cannot be written (another connection holds
    // its write lock), a run that was going pauses and its reply says why with
    // error.code storage_error; calls that would store answer 503 storage_error; once the
    // lock is gone, resume goes on to the end.
    void storageFailure()
    {
        QVERIFY(m_rest.store->setBusyTimeout(std::chrono::milliseconds(50)));
        m_rest.fake.setTiming({5, 5, 40});
        const QByteArray id = m_rest.setUp(R"(["big", "small"])", 4);
        QVERIFY(!id.isEmpty());
        HttpTestClient run(m_rest.server->port());
        QVERIFY(run.connect());
        const qsizetype before = m_rest.fake.requests().size();
        run.write(m_rest.request("POST", "/v1/crosstalk/" + id + "/run"));
        QTRY_VERIFY(m_rest.fake.requests().size() > before);

        StoreLock lock(m_rest.context->storePath());
        QVERIFY(lock.take());
        const HttpReply paused = run.read(30000);
        QCOMPARE(paused.status, 200);
        QCOMPARE(paused.json()[u"status"_s].toString(), u"paused"_s);
        QCOMPARE(paused.json()[u"error"_s][u"code"_s].toString(), u"storage_error"_s);
        QVERIFY2(paused.json()[u"error"_s][u"message"_s].toString().contains(u"cannot be saved"_s),
                 paused.body.constData());

        const HttpReply setup = m_rest.call("POST", "/v1/crosstalk/setup",
                                            R"({"models": ["big", "small"], "iterations": 2})");
        QCOMPARE(setup.status, 503);
        QCOMPARE(setup.errorCode(), u"storage_error"_s);
        const HttpReply stillLocked = post(id, "resume");
        QCOMPARE(stillLocked.status, 503);
        QCOMPARE(stillLocked.errorCode(), u"storage_error"_s);
        QCOMPARE(statusOf(id), u"paused"_s);

        lock.release();
        QCOMPARE(post(id, "resume").status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(id), u"completed"_s, 30000);
        QVERIFY(m_rest.store->setBusyTimeout(std::chrono::seconds(10)));
    }

    void models()
    {
        const HttpReply reply = m_rest.call("GET", "/v1/models");
        QCOMPARE(reply.status, 200);
        const QJsonArray models = reply.json()[u"models"_s].toArray();
        QStringList aliases;
        for (const QJsonValue &model : models) {
            aliases.append(model[u"alias"_s].toString());
            QCOMPARE(model.toObject().keys(),
                     (QStringList{u"alias"_s, u"base_url"_s, u"display_name"_s, u"kind"_s,
                                  u"model_id"_s, u"price"_s}));
            // What a cost cap counts, and why: the fake server is on this machine.
            const QJsonObject price = model[u"price"_s].toObject();
            QVERIFY2(price[u"note"_s].toString().size() > 10,
                     qPrintable(price[u"note"_s].toString()));
            if (model[u"alias"_s].toString() == u"small"_s) {
                QCOMPARE(price[u"origin"_s].toString(), u"free"_s);
                QCOMPARE(price[u"input_per_million"_s].toDouble(-1), 0.0);
            }
        }
        QVERIFY(aliases.contains(u"big"_s) && aliases.contains(u"small"_s));
        QVERIFY(!reply.body.contains(RestTestServer::apiKey.toLatin1()));
        QVERIFY(!reply.body.contains("sk-"));
        // The user name of a base URL stays, its password never shows (QUALITY.md R16).
        QVERIFY2(reply.body.contains("someone@127.0.0.1"), reply.body.constData());
        QVERIFY(!reply.body.contains(RestTestServer::urlPassword.toLatin1()));
        QCOMPARE(m_rest.call("POST", "/v1/models", "{}").status, 405);
    }

    void paradigms()
    {
        const HttpReply reply = m_rest.call("GET", "/v1/paradigms");
        QCOMPARE(reply.status, 200);
        const QJsonArray list = reply.json()[u"paradigms"_s].toArray();
        QCOMPARE(list.size(), qsizetype(EnumTraits<Paradigm>::names.size()));
        for (qsizetype i = 0; i < list.size(); ++i) {
            QCOMPARE(list[i][u"name"_s].toString(),
                     QString(EnumTraits<Paradigm>::names[size_t(i)].name));
            QVERIFY(!list[i][u"topology"_s].toString().isEmpty());
            QVERIFY(list[i][u"description"_s].toString().size() > 20);
        }
        QCOMPARE(list[2][u"topology"_s].toString(), u"ring"_s);
    }

    void openApiNeedsTheToken()
    {
        HttpTestClient http(m_rest.server->port());
        QVERIFY(http.connect());
        http.write(HttpTestClient::request("GET", "/openapi.json", m_rest.host(), QByteArray()));
        QCOMPARE(http.read().status, 401);
        const HttpReply reply = m_rest.call("GET", "/openapi.json");
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.header("content-type"), "application/json"_ba);
        QCOMPARE(reply.json()[u"openapi"_s].toString(), u"3.1.0"_s);
    }
};

QTEST_MAIN(TestRestRoutes)
#include "tst_restroutes.moc"
