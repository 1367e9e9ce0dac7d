// SPDX-License-Identifier: GPL-3.0-or-later
// GET /v1/crosstalk/{id}/events over real HTTP during runs against the fake LLM server: every
// engine event type arrives as a server-sent event, every subscriber gets the same sequence,
// streams end cleanly with the session, and a client that leaves mid-stream costs nothing.
#include "fault.h"
#include "resttestserver.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Crosstalk;
using namespace Crosstalk::Testing;

namespace {

QList<QByteArray> typesOf(const QList<StreamedEvent> &events)
{
    QList<QByteArray> types;
    for (const StreamedEvent &event : events)
        types.append(event.type);
    return types;
}

} // namespace

class TestRestEvents : public QObject
{
    Q_OBJECT

private:
    RestTestServer m_rest;

    QByteArray eventsRequest(const QByteArray &id) const
    {
        return m_rest.request("GET", "/v1/crosstalk/" + id + "/events");
    }

    std::unique_ptr<SseClient> subscribe(const QByteArray &id)
    {
        auto client = std::make_unique<SseClient>(m_rest.server->port());
        if (!client->open(eventsRequest(id)) ||
            !client->waitFor([&] { return client->hasEvent("hello"); }))
            return nullptr;
        return client;
    }

private slots:
    void initTestCase() { QVERIFY(m_rest.start()); }

    void init()
    {
        m_rest.fake.clearFaultRules();
        // Slow enough that every reply arrives in several deltas.
        m_rest.fake.setTiming({5, 10, 400});
        m_rest.server->setKeepAliveInterval(std::chrono::seconds(15));
    }

    // Two subscribers of one session see every type of engine event a session's stream can
    // carry, in the same sequence, and the stream ends when the session is deleted.
    void everyEventTypeToTwoSubscribers()
    {
        QString error;
        // The third request (round 1's first) fails; with no retries the session pauses.
        m_rest.fake.addFaultRule(*Fake::FaultRule::parse(u"500@nth=3"_s, &error));
        const QByteArray id = m_rest.setUp();
        QVERIFY(!id.isEmpty());
        auto first = subscribe(id);
        auto second = subscribe(id);
        QVERIFY(first && second);
        QCOMPARE(first->status(), 200);
        QCOMPARE(first->header("content-type"), "text/event-stream"_ba);
        QCOMPARE(first->header("cache-control"), "no-cache"_ba);
        const QJsonObject hello = first->events().first().data;
        QCOMPARE(hello[u"session_id"_s].toString().toLatin1(), id);
        QCOMPARE(hello[u"status"_s].toString(), u"configured"_s);
        QCOMPARE(hello[u"message_count"_s].toInt(), 0);

        QCOMPARE(m_rest.call("POST", "/v1/crosstalk/" + id + "/run?wait=false").status, 202);
        const auto paused = [](SseClient &c) {
            return [&c] {
                return std::any_of(
                    c.events().cbegin(), c.events().cend(), [](const StreamedEvent &e) {
                        return e.type == "session.status" && e.data[u"new"_s] == u"paused"_s;
                    });
            };
        };
        QVERIFY(first->waitFor(paused(*first)));
        QVERIFY(second->waitFor(paused(*second)));
        // Paused is not the end: the stream stays open for the resume.
        QVERIFY(!first->poll().ended());

        // The window changes a participant's model: session.updated.
        // (Once the round's other reply is in: the engine changes no model while one streams.)
        const QUuid uuid = QUuid::fromString(QString::fromLatin1(id));
        QVERIFY(QTest::qWaitFor(
            [&] { return !m_rest.engine->setParticipantModel(uuid, u"small"_s, u"big"_s); },
            30000));
        // A human message over REST: message.started and message.completed of type human.
        QCOMPARE(m_rest
                     .call("POST", "/v1/crosstalk/" + id + "/messages",
                           R"({"text": "Shorter, please.", "to": ["big"]})")
                     .status,
                 201);
        QCOMPARE(m_rest.call("DELETE", "/v1/crosstalk/" + id).status, 200);
        QVERIFY(first->waitFor([&] { return first->ended(); }));
        QVERIFY(second->waitFor([&] { return second->ended(); }));

        const QList<StreamedEvent> events = first->events();
        QCOMPARE(second->events(), events);
        const QList<QByteArray> types = typesOf(events);
        for (const QByteArray &type :
             {"hello"_ba, "session.status"_ba, "message.started"_ba, "message.delta"_ba,
              "message.completed"_ba, "message.failed"_ba, "session.updated"_ba,
              "session.deleted"_ba, "end"_ba})
            QVERIFY2(types.contains(type), type.constData());
        QCOMPARE(types.last(), "end"_ba);
        QCOMPARE(events.last().data[u"status"_s].toString(), u"deleted"_s);
        QVERIFY(types.count("message.delta") > types.count("message.started"));
        // Ids count up; every event carries the JSON of docs/contracts.md.
        for (qsizetype i = 1; i < events.size() - 1; ++i) {
            QCOMPARE(events[i].id.toULongLong(), events[i - 1].id.toULongLong() + 1);
            QCOMPARE(events[i].data[u"event"_s].toString().toLatin1(), events[i].type);
            QCOMPARE(events[i].data[u"session_id"_s].toString().toLatin1(), id);
            const Parsed<EngineEvent> parsed = EngineEvent::fromJson(events[i].data);
            QVERIFY2(parsed.errors.isEmpty(), events[i].type.constData());
        }
        const auto failed =
            std::find_if(events.cbegin(), events.cend(),
                         [](const StreamedEvent &e) { return e.type == "message.failed"; });
        QVERIFY(!failed->data[u"message"_s][u"error"_s].toString().isEmpty());
        QCOMPARE(failed->data[u"message"_s][u"status"_s].toString(), u"failed"_s);
        // The deltas of a message add up to its completed content.
        const StreamedEvent completed =
            *std::find_if(events.cbegin(), events.cend(),
                          [](const StreamedEvent &e) { return e.type == "message.completed"; });
        const QString messageId = completed.data[u"message"_s][u"id"_s].toString();
        QString streamed;
        for (const StreamedEvent &event : events)
            if (event.type == "message.delta" && event.data[u"message_id"_s] == messageId)
                streamed += event.data[u"text"_s].toString();
        QCOMPARE(streamed, completed.data[u"message"_s][u"content"_s].toString());
        // After `end` the connection stays usable for the next request.
        first->socket().write(m_rest.request("GET", "/healthz"));
        QVERIFY(first->waitFor([&] { return first->afterEnd().startsWith("HTTP/1.1 200"); }));
    }

    // A run to its end: the stream closes after `end` with the final status, and a late
    // subscriber of the finished session gets its state and the end at once.
    void endsWhenTheSessionCompletes()
    {
        const QByteArray id = m_rest.setUp();
        auto stream = subscribe(id);
        QVERIFY(stream);
        QCOMPARE(m_rest.call("POST", "/v1/crosstalk/" + id + "/run?wait=false").status, 202);
        QVERIFY(stream->waitFor([&] { return stream->ended(); }, 60000));
        const QList<StreamedEvent> &events = stream->events();
        QCOMPARE(events.last().type, "end"_ba);
        QCOMPARE(events.last().data[u"status"_s].toString(), u"completed"_s);
        QCOMPARE(events.at(events.size() - 2).type, "session.status"_ba);
        QCOMPARE(events.at(events.size() - 2).data[u"new"_s].toString(), u"completed"_s);
        QCOMPARE(typesOf(events).count("message.completed"), 4);

        auto late = std::make_unique<SseClient>(m_rest.server->port());
        QVERIFY(late->open(eventsRequest(id)));
        QVERIFY(late->waitFor([&] { return late->ended(); }));
        QCOMPARE(typesOf(late->events()), (QList<QByteArray>{"hello"_ba, "end"_ba}));
        QCOMPARE(late->events().first().data[u"status"_s].toString(), u"completed"_s);
        QCOMPARE(late->events().first().data[u"message_count"_s].toInt(), 4);
        // The connection stays usable for the next request.
        late->socket().write(m_rest.request("GET", "/healthz"));
        QVERIFY(late->waitFor([&] { return late->afterEnd().startsWith("HTTP/1.1 200"); }));
    }

    // A subscriber that joins while a reply streams learns its text so far from `hello`.
    void lateSubscriberSeesStreamingReplies()
    {
        m_rest.fake.setTiming({5, 10, 40});
        const QByteArray id = m_rest.setUp();
        auto early = subscribe(id);
        QVERIFY(early);
        QCOMPARE(m_rest.call("POST", "/v1/crosstalk/" + id + "/run?wait=false").status, 202);
        QVERIFY(early->waitFor([&] { return early->hasEvent("message.delta"); }));
        auto late = subscribe(id);
        QVERIFY(late);
        const StreamedEvent hello = late->events().first();
        QCOMPARE(hello.data[u"status"_s].toString(), u"running"_s);
        const QJsonArray streaming = hello.data[u"streaming"_s].toArray();
        QVERIFY(!streaming.isEmpty());
        QVERIFY(hello.id.toULongLong() > 0);
        // Everything after hello is what the early subscriber got after the same id.
        QCOMPARE(m_rest.call("POST", "/v1/crosstalk/" + id + "/stop").status, 200);
        QVERIFY(late->waitFor([&] { return late->ended(); }, 60000));
        QVERIFY(early->waitFor([&] { return early->ended(); }, 60000));
        QList<StreamedEvent> after;
        for (const StreamedEvent &event : early->events())
            if (event.type != "hello" && event.id.toULongLong() > hello.id.toULongLong())
                after.append(event);
        QCOMPARE(late->events().mid(1), after);
        QCOMPARE(late->events().last().data[u"status"_s].toString(), u"cancelled"_s);
    }

    // One client leaves mid-stream: the run goes on, the other subscriber gets the end, and
    // the server keeps serving.
    void clientLeavesMidStream()
    {
        const QByteArray id = m_rest.setUp(R"(["big", "small"])", 3);
        auto leaving = subscribe(id);
        auto staying = subscribe(id);
        QVERIFY(leaving && staying);
        QCOMPARE(m_rest.call("POST", "/v1/crosstalk/" + id + "/run?wait=false").status, 202);
        QVERIFY(leaving->waitFor([&] { return leaving->hasEvent("message.delta"); }));
        leaving->socket().abort();
        leaving.reset();
        // More clients come and go while it runs.
        for (int i = 0; i < 5; ++i) {
            auto brief = subscribe(id);
            QVERIFY(brief);
            brief->socket().disconnectFromHost();
        }
        QVERIFY(staying->waitFor([&] { return staying->ended(); }, 60000));
        QCOMPARE(staying->events().last().data[u"status"_s].toString(), u"completed"_s);
        QCOMPARE(typesOf(staying->events()).count("message.completed"), 6);
        QCOMPARE(m_rest.call("GET", "/healthz").status, 200);
        QCOMPARE(
            m_rest.call("GET", "/v1/crosstalk/" + id + "/status").json()[u"status"_s].toString(),
            u"completed"_s);
    }

    void keepAliveComments()
    {
        m_rest.server->setKeepAliveInterval(std::chrono::milliseconds(50));
        const QByteArray id = m_rest.setUp();
        auto stream = subscribe(id);
        QVERIFY(stream);
        QVERIFY(stream->waitFor([&] { return stream->comments() >= 2; }));
        QVERIFY(!stream->ended());
        QCOMPARE(m_rest.call("DELETE", "/v1/crosstalk/" + id).status, 200);
        QVERIFY(stream->waitFor([&] { return stream->ended(); }));
    }

    void refusals()
    {
        const QByteArray unknown = QUuid::createUuid().toByteArray(QUuid::WithoutBraces);
        HttpReply reply = m_rest.call("GET", "/v1/crosstalk/" + unknown + "/events");
        QCOMPARE(reply.status, 404);
        QCOMPARE(reply.errorCode(), u"not_found"_s);
        QCOMPARE(m_rest.call("GET", "/v1/crosstalk/nonsense/events").status, 404);
        QCOMPARE(m_rest.call("POST", "/v1/crosstalk/" + unknown + "/events").status, 405);
        HttpTestClient http(m_rest.server->port());
        QVERIFY(http.connect());
        http.write(HttpTestClient::request("GET", "/v1/crosstalk/" + unknown + "/events",
                                           m_rest.host(), QByteArray()));
        QCOMPARE(http.read().status, 401);
    }
};

QTEST_GUILESS_MAIN(TestRestEvents)
#include "tst_restevents.moc"
