// SPDX-License-Identifier: GPL-3.0-or-later
// QUALITY.md R14 for the engine: the store cannot be written mid-run — another connection
// holds its write lock, or another process takes the session's lease. The session pauses at
// once (no new provider request, replies in flight cancelled and kept in memory), nothing
// stored before is lost, and once the cause is gone Retry (Engine::start) saves what is held
// and goes on.
#include "config/settings.h"
#include "engine/engine.h"
#include "engine/sessionpersister.h"
#include "fakellmserver.h"
#include "llm/chatclient.h"
#include "storage/sessionstore.h"
#include "storelock.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Crosstalk;
using namespace Crosstalk::Fake;

class TestStorageFault : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    FakeLlmServer m_server;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<ChatClient> m_client;
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<SessionStore> m_store;
    QString m_path;

    QUuid create(int rounds)
    {
        Session s;
        s.topic = u"Tea or coffee?"_s;
        s.paradigm = Paradigm::Memory;
        s.rounds = rounds;
        for (int i = 0; i < 2; ++i)
            s.participants.append(
                {u"P%1"_s.arg(i + 1), u"m%1"_s.arg(i), u"You are P%1."_s.arg(i + 1), {}, {}, {}});
        const Parsed<QUuid> created = m_engine->createSession(s);
        return created ? *created.value : QUuid();
    }

    const Session &session(const QUuid &id) { return *m_engine->session(id); }

    int count(const QUuid &id, MessageStatus status)
    {
        const QList<Message> &messages = session(id).messages;
        return int(std::count_if(messages.cbegin(), messages.cend(),
                                 [&](const Message &m) { return m.status == status; }));
    }

    bool settled(const QUuid &id)
    {
        return session(id).status != SessionStatus::Running &&
               count(id, MessageStatus::Streaming) == 0;
    }

    // Round 0 is in and stored, and the replies of round 1 are streaming.
    bool streamingRoundOne(const QUuid &id)
    {
        const QList<Message> &messages = session(id).messages;
        return count(id, MessageStatus::Complete) == 2 &&
               std::any_of(messages.cbegin(), messages.cend(), [](const Message &m) {
                   return m.round == 1 && m.status == MessageStatus::Streaming &&
                          !m.content.isEmpty();
               });
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_server.listen());
        m_settings = std::make_unique<Settings>(m_dir.filePath(u"crosstalk.conf"_s));
        for (int i = 0; i < 2; ++i)
            m_settings->setModelAttributes(
                u"m%1"_s.arg(i),
                {{u"base_url"_s, QString(m_server.baseUrl().toString() + u"/v1"_s)},
                 {u"model_id"_s, u"model-%1"_s.arg(i)}});
    }

    void init()
    {
        m_server.clearRequests();
        // Replies stream for a second or so: long enough to be caught in flight.
        m_server.setTiming({5, 5, 40});
        m_client = std::make_unique<ChatClient>();
        CallTiming timing;
        timing.inactivityTimeout = std::chrono::seconds(10);
        timing.retry.maxRetries = 0;
        m_client->setTiming(timing);
        m_engine = std::make_unique<Engine>(ModelRegistry::load({}, m_settings.get()),
                                            m_client.get(), nullptr);
        m_path =
            m_dir.filePath(u"%1.sqlite"_s.arg(QString::fromLatin1(QTest::currentTestFunction())));
        m_store = std::make_unique<SessionStore>();
        QVERIFY(m_store->open(m_path));
        // A write waits 50 ms for the lock, not ten seconds.
        QVERIFY(m_store->setBusyTimeout(std::chrono::milliseconds(50)));
        m_engine->setStore(m_store.get(), u"test"_s);
    }

    void cleanup()
    {
        m_engine.reset();
        m_store.reset();
    }

    void lockedStorePausesAtOnce()
    {
        SessionStore reader; // opened first: opening migrates, which needs the write lock
        QVERIFY(reader.open(m_path));
        const QUuid id = create(4);
        QSignalSpy failed(m_engine.get(), &Engine::storageFailed);
        QVERIFY(!m_engine->start(id));
        QTRY_VERIFY_WITH_TIMEOUT(streamingRoundOne(id), 20000);

        StoreLock lock(m_path);
        QString why;
        QVERIFY2(lock.take(&why), qPrintable(why));
        QTRY_COMPARE_WITH_TIMEOUT(session(id).status, SessionStatus::Paused, 10000);
        QTRY_VERIFY(settled(id));
        QCOMPARE(failed.size(), 1);
        const std::optional<Error> fault = m_engine->storageFault(id);
        QVERIFY(fault);
        QCOMPARE(fault->code, ErrorCode::StorageError);
        QVERIFY2(fault->message.contains(u"cannot be saved"_s) &&
                     fault->message.contains(u"locked"_s),
                 qPrintable(fault->message));
        // No request beyond the messages held, the replies of round 1 cut short and kept.
        QCOMPARE(m_server.requests().size(), session(id).messages.size());
        QCOMPARE(count(id, MessageStatus::Complete), 2);
        QVERIFY2(std::any_of(session(id).messages.cbegin(), session(id).messages.cend(),
                             [](const Message &m) {
                                 return m.round == 1 && m.status == MessageStatus::Partial &&
                                        !m.content.isEmpty();
                             }),
                 "a reply cut short is kept in memory");

        // Retry while the store still fails: still paused, nothing asked of the provider.
        const std::optional<Error> refused = m_engine->start(id);
        QVERIFY(refused);
        QCOMPARE(refused->code, ErrorCode::StorageError);
        QCOMPARE(session(id).status, SessionStatus::Paused);
        QCOMPARE(m_server.requests().size(), session(id).messages.size());

        // What was stored before the fault is there.
        StoreResult<Session> before = reader.loadSession(id);
        QVERIFY(before);
        QCOMPARE(
            std::count_if(before->messages.cbegin(), before->messages.cend(),
                          [](const Message &m) { return m.status == MessageStatus::Complete; }),
            2);

        // The cause gone, Retry saves what is held and goes on to the end.
        lock.release();
        QVERIFY(!m_engine->start(id));
        QVERIFY(!m_engine->storageFault(id));
        QTRY_COMPARE_WITH_TIMEOUT(session(id).status, SessionStatus::Completed, 30000);
        // The writes go to the store's thread: what the engine holds is there once they are in.
        m_engine->persister()->finishWrites();
        StoreResult<Session> after = reader.loadSession(id);
        QVERIFY(after);
        QCOMPARE(after->status, SessionStatus::Completed);
        QCOMPARE(after->messages.size(), session(id).messages.size());
        for (qsizetype i = 0; i < after->messages.size(); ++i) {
            QCOMPARE(after->messages[i].status, session(id).messages[i].status);
            QCOMPARE(after->messages[i].content, session(id).messages[i].content);
        }
        // The replies cut short are kept as partial (QUALITY.md R2) and their turns asked
        // again: every turn is complete.
        QCOMPARE(count(id, MessageStatus::Complete), 8);
    }

    void lostLeaseStopsTheRun()
    {
        const QUuid id = create(4);
        QVERIFY(!m_engine->start(id));
        QTRY_VERIFY_WITH_TIMEOUT(streamingRoundOne(id), 20000);

        // Another process finds the lease stale (its clock is an hour on) and takes it over.
        SessionStore other;
        QVERIFY(other.open(m_path));
        other.setClock([] { return QDateTime::currentDateTimeUtc().addSecs(3600); });
        QVERIFY(other.acquireLease(id, u"crosstalk serve"_s));
        m_engine->persister()->heartbeat();
        QTRY_COMPARE_WITH_TIMEOUT(session(id).status, SessionStatus::Paused, 10000);
        QTRY_VERIFY(settled(id));
        const std::optional<Error> fault = m_engine->storageFault(id);
        QVERIFY(fault);
        QCOMPARE(fault->code, ErrorCode::StorageError);
        QVERIFY2(fault->message.contains(u"lease"_s), qPrintable(fault->message));
        QCOMPARE(m_server.requests().size(), session(id).messages.size());

        // While the other process holds it, this one does not go on.
        const std::optional<Error> refused = m_engine->start(id);
        QVERIFY(refused);
        QCOMPARE(refused->code, ErrorCode::Conflict);
        QCOMPARE(session(id).status, SessionStatus::Paused);

        // Once it lets go, this one goes on from what the store holds.
        QVERIFY(other.releaseLease(id));
        QVERIFY(!m_engine->start(id));
        QTRY_COMPARE_WITH_TIMEOUT(session(id).status, SessionStatus::Completed, 30000);
        QVERIFY(!m_engine->storageFault(id));
    }
};

QTEST_GUILESS_MAIN(TestStorageFault)
#include "tst_storagefault.moc"
