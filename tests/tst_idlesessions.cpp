// SPDX-License-Identifier: GPL-3.0-or-later
// QUALITY.md R15: a long-running server lets go of what it no longer needs. An idle session
// goes from memory and answers as before when asked for again; one that runs, awaits a reply
// or holds what the store lacks stays; and sessions created, run and deleted by the hundred
// leave nothing behind in the engine, the persister or the REST server.
#include "engine/sessionpersister.h"
#include "resttestserver.h"
#include "storelock.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>

using namespace Qt::StringLiterals;
using namespace Crosstalk;
using namespace Crosstalk::Testing;

class TestIdleSessions : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<RestTestServer> m_rest;
    QNetworkAccessManager m_network;
    QDateTime m_now;

    Engine &engine() { return *m_rest->engine; }

    // A request waited for on its signal: hundreds of them take seconds, not minutes.
    HttpReply send(const QByteArray &method, const QByteArray &target, const QByteArray &body = {})
    {
        QNetworkRequest request(m_rest->server->url().resolved(QUrl(QString::fromLatin1(target))));
        request.setRawHeader("Authorization", "Bearer " + RestTestServer::token);
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
        const std::unique_ptr<QNetworkReply> reply(
            m_network.sendCustomRequest(request, method, body));
        QSignalSpy finished(reply.get(), &QNetworkReply::finished);
        HttpReply answer;
        if (!reply->isFinished() && !finished.wait(20000))
            return answer;
        answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        answer.body = reply->readAll();
        return answer;
    }

    QUuid uuid(const QByteArray &id) { return QUuid::fromString(QString::fromLatin1(id)); }

    // The injected clock moves past the idle time; then the engine looks for idle sessions.
    void idleFor(std::chrono::milliseconds duration)
    {
        m_now = m_now.addMSecs(duration.count());
        engine().unloadIdle();
    }

    bool loaded(const QByteArray &id) { return engine().sessionIds().contains(uuid(id)); }

    bool streaming(const QByteArray &id)
    {
        const Session *session = engine().session(uuid(id));
        return session && std::any_of(session->messages.cbegin(), session->messages.cend(),
                                      [](const Message &m) {
                                          return m.status == MessageStatus::Streaming &&
                                                 !m.content.isEmpty();
                                      });
    }

    // Every session the engine, its persister and the server keep anything of.
    QList<qsizetype> held()
    {
        return {engine().sessionIds().size(), engine().persister()->sessionsHeld(),
                m_rest->server->sessionsHeld()};
    }

    static constexpr std::chrono::minutes kIdle{5};

private slots:
    void init()
    {
        m_rest = std::make_unique<RestTestServer>();
        QVERIFY(m_rest->start());
        m_now = QDateTime::currentDateTimeUtc();
        engine().setClock([this] { return m_now; });
        engine().setUnloadIdleAfter(kIdle);
    }

    void cleanup() { m_rest.reset(); }

    // A completed session goes once idle for the time, and not before; asked for again, it
    // answers the same, and its events' ids go on above those given before.
    void idleSessionGoesAndComesBack()
    {
        const QByteArray id = m_rest->setUp();
        QVERIFY(!id.isEmpty());
        QCOMPARE(m_rest->call("POST", "/v1/crosstalk/" + id + "/run").json()[u"status"_s],
                 u"completed"_s);
        const HttpReply document = m_rest->call("GET", "/v1/sessions/" + id);
        const HttpReply status = m_rest->call("GET", "/v1/crosstalk/" + id + "/status");
        QCOMPARE(document.status, 200);
        SseClient before(m_rest->server->port());
        QVERIFY(before.open(m_rest->request("GET", "/v1/crosstalk/" + id + "/events")));
        QVERIFY(before.waitFor([&] { return before.ended(); }));
        const quint64 lastId = before.events().last().id.toULongLong();
        QVERIFY(lastId > 0);

        QSignalSpy unloaded(&engine(), &Engine::sessionUnloaded);
        idleFor(kIdle - std::chrono::seconds(1));
        QVERIFY(loaded(id));
        idleFor(std::chrono::seconds(1));
        QVERIFY(!loaded(id));
        QCOMPARE(unloaded.size(), 1);
        QCOMPARE(unloaded.first().first().toUuid(), uuid(id));
        QCOMPARE(held(), (QList<qsizetype>{0, 0, 0}));

        // Read from the store as it was kept: the same answers.
        const HttpReply again = m_rest->call("GET", "/v1/sessions/" + id);
        QCOMPARE(again.status, 200);
        QCOMPARE(again.json(), document.json());
        QCOMPARE(m_rest->call("GET", "/v1/crosstalk/" + id + "/status").json(), status.json());
        const QJsonArray listed =
            m_rest->call("GET", "/v1/crosstalk/list").json()[u"sessions"_s].toArray();
        QCOMPARE(listed.size(), 1);
        QCOMPARE(listed.first().toObject(), status.json());

        // Loaded on demand: a message reaches it, and its events' ids never go back.
        SseClient after(m_rest->server->port());
        QVERIFY(after.open(m_rest->request("GET", "/v1/crosstalk/" + id + "/events")));
        QVERIFY(after.waitFor([&] { return after.ended(); }));
        QVERIFY(loaded(id));
        QVERIFY(after.events().first().id.toULongLong() >= lastId);
        const HttpReply posted = m_rest->call("POST", "/v1/crosstalk/" + id + "/messages",
                                              R"({"text": "Thank you both."})");
        QCOMPARE(posted.status, 201);
        const Session *session = engine().session(uuid(id));
        QVERIFY(session);
        QCOMPARE(session->messages.size(), document.json()[u"messages"_s].toArray().size() + 1);
    }

    // Nobody waits: the engine's own timer lets go of idle sessions.
    void timerLetsGo()
    {
        engine().setClock([] { return QDateTime::currentDateTimeUtc(); });
        engine().setUnloadIdleAfter(std::chrono::milliseconds(50));
        QSignalSpy unloaded(&engine(), &Engine::sessionUnloaded);
        const QByteArray id = m_rest->setUp();
        QVERIFY(!id.isEmpty());
        QVERIFY(unloaded.size() > 0 || unloaded.wait(5000));
        QCOMPARE(unloaded.first().first().toUuid(), uuid(id));
        QVERIFY(!loaded(id));
    }

    // Running, or paused with a reply still in flight: it stays, however long untouched. Once
    // its replies are in, it may go.
    void busySessionStays()
    {
        QString error;
        // The head and two tokens, then nothing: the reply stays in flight.
        m_rest->fake.addFaultRule(*Fake::FaultRule::parse(u"stall:2"_s, &error));
        const QByteArray id = m_rest->setUp();
        QCOMPARE(m_rest->call("POST", "/v1/crosstalk/" + id + "/run?wait=false").status, 202);
        QTRY_VERIFY_WITH_TIMEOUT(streaming(id), 10000);
        // What streamed so far is in the store: only the run itself holds the session.
        engine().persister()->flush();
        idleFor(kIdle * 2);
        QVERIFY(loaded(id));

        QCOMPARE(m_rest->call("POST", "/v1/crosstalk/" + id + "/pause").json()[u"status"_s],
                 u"paused"_s);
        QVERIFY(streaming(id));
        engine().persister()->flush();
        idleFor(kIdle * 2);
        QVERIFY(loaded(id));

        QCOMPARE(m_rest->call("POST", "/v1/crosstalk/" + id + "/stop").status, 200);
        QVERIFY(!streaming(id));
        idleFor(kIdle);
        QVERIFY(!loaded(id));
        QCOMPARE(m_rest->call("GET", "/v1/crosstalk/" + id + "/status").json()[u"status"_s],
                 u"cancelled"_s);
    }

    // A session the store could not keep (QUALITY.md R14) is the only copy of itself: it
    // stays until it is saved, then it may go, and comes back as it was held.
    void faultedSessionStays()
    {
        QVERIFY(m_rest->store->setBusyTimeout(std::chrono::milliseconds(50)));
        const QByteArray id = m_rest->setUp();
        QVERIFY(!id.isEmpty());
        {
            StoreLock lock(m_rest->store->path());
            QString why;
            QVERIFY2(lock.take(&why), qPrintable(why));
            QSignalSpy failed(&engine(), &Engine::storageFailed);
            QVERIFY(!engine().rename(uuid(id), u"Kept in memory only"_s));
            QVERIFY(failed.wait()); // the write fails on the store's thread
            idleFor(kIdle * 2);
            QVERIFY(loaded(id));
            QVERIFY(engine().storageFault(uuid(id)));
        }
        idleFor(kIdle * 2);
        QVERIFY(loaded(id)); // the cause is gone, but what is held is not saved yet

        QVERIFY(!engine().persister()->saveHeld(uuid(id)));
        idleFor(kIdle);
        QVERIFY(!loaded(id));
        const HttpReply document = m_rest->call("GET", "/v1/sessions/" + id);
        QCOMPARE(document.json()[u"title"_s].toString(), u"Kept in memory only"_s);
    }

    // Hundreds of sessions set up, run to the end on the fake server and deleted, and some
    // deleted while they run or while a paused one's reply is still in flight: the engine,
    // its persister and the server are left with what they held before.
    void createRunDeleteLeavesNothing()
    {
        const QList<qsizetype> before = held();
        for (int i = 0; i < 300; ++i) {
            const QByteArray id =
                send("POST", "/v1/crosstalk/setup",
                     R"({"models": ["big", "small"], "iterations": 2, "topic": "Why?"})")
                    .json()[u"session_id"_s]
                    .toString()
                    .toLatin1();
            QVERIFY(!id.isEmpty());
            QCOMPARE(send("POST", "/v1/crosstalk/" + id + "/run").json()[u"status"_s],
                     u"completed"_s);
            QCOMPARE(send("DELETE", "/v1/crosstalk/" + id).status, 200);
            if (i % 100 == 0)
                m_rest->fake.clearRequests();
        }
        QTRY_COMPARE(held(), before); // the last deletion is written on the store's thread

        QString error;
        m_rest->fake.addFaultRule(*Fake::FaultRule::parse(u"stall:2"_s, &error));
        for (int i = 0; i < 20; ++i) {
            const QByteArray id = m_rest->setUp();
            QCOMPARE(m_rest->call("POST", "/v1/crosstalk/" + id + "/run?wait=false").status, 202);
            QTRY_VERIFY_WITH_TIMEOUT(streaming(id), 10000);
            if (i % 2 == 0)
                QCOMPARE(m_rest->call("POST", "/v1/crosstalk/" + id + "/pause").status, 200);
            QCOMPARE(m_rest->call("DELETE", "/v1/crosstalk/" + id).status, 200);
        }
        QCOMPARE(held(), before);
    }
};

QTEST_MAIN(TestIdleSessions)
#include "tst_idlesessions.moc"
