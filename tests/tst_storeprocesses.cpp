// SPDX-License-Identifier: GPL-3.0-or-later
// Several processes on one store: storetool (tests/storetool.cpp) is the other process.
#include "storage/sessionstore.h"
#include "storage/storewatcher.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QSet>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Crosstalk;

namespace {

QString integrityCheck(const QString &path)
{
    const QString name = QUuid::createUuid().toString();
    QString result;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery query(db);
            if (query.exec(u"PRAGMA integrity_check"_s) && query.next()) {
                result = query.value(0).toString();
            }
        }
    }
    QSqlDatabase::removeDatabase(name);
    return result;
}

std::unique_ptr<QProcess> startTool(const QStringList &arguments)
{
    auto process = std::make_unique<QProcess>();
    process->setProcessChannelMode(QProcess::SeparateChannels);
    process->start(QStringLiteral(CROSSTALK_STORETOOL), arguments);
    return process;
}

} // namespace

class TestStoreProcesses : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_files = 0;

    QString freshPath() { return m_dir.filePath(u"store%1.sqlite"_s.arg(++m_files)); }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void watcherSeesAnotherProcess()
    {
        const QString path = freshPath();
        SessionStore store;
        QVERIFY(store.open(path));
        StoreWatcher watcher;
        QVERIFY(watcher.start(path, std::chrono::milliseconds(20)));
        QSignalSpy changed(&watcher, &StoreWatcher::changed);
        const auto tool = startTool({u"persona"_s, path, u"middle"_s, u"path:carol.md"_s});
        QVERIFY(tool->waitForFinished(10000));
        QCOMPARE(tool->exitCode(), 0);
        QTRY_VERIFY(changed.count() >= 1);
        QCOMPARE(store.slotPersona(u"middle"_s).value(),
                 std::optional<QString>(u"path:carol.md"_s));
    }

    // BEGIN IMMEDIATE and the busy timeout serialise the writers: none fails with
    // SQLITE_BUSY, none loses a write.
    void concurrentWriters()
    {
        const QString path = freshPath();
        {
            SessionStore store;
            QVERIFY(store.open(path));
        }
        constexpr int perProcess = 300;
        const auto first = startTool({u"append"_s, path, QString::number(perProcess)});
        const auto second = startTool({u"append"_s, path, QString::number(perProcess)});
        for (QProcess *tool : {first.get(), second.get()}) {
            QVERIFY(tool->waitForFinished(60000));
            QVERIFY2(tool->exitCode() == 0, tool->readAllStandardError().constData());
        }
        SessionStore store;
        QVERIFY(store.open(path));
        const auto list = store.listSessions();
        QVERIFY(list);
        QCOMPARE(list->total, 2);
        for (const SessionSummary &summary : list->sessions) {
            QCOMPARE(summary.messageCount, perProcess);
            const auto messages = store.loadMessages(summary.id);
            QCOMPARE(messages->size(), perProcess);
            QCOMPARE(messages->last().content, u"message %1"_s.arg(perProcess - 1));
        }
        QCOMPARE(integrityCheck(path), u"ok"_s);
    }

    // On this host, the lease of a process that is gone is stale at once.
    void leaseOfDeadProcess()
    {
        const QString path = freshPath();
        Session session;
        session.id = QUuid::createUuid();
        session.topic = u"t"_s;
        session.status = SessionStatus::Running;
        SessionStore store;
        QVERIFY(store.open(path));
        QVERIFY(store.saveSession(session));
        const auto tool = startTool({u"lease"_s, path, session.id.toString(QUuid::WithoutBraces)});
        QVERIFY(tool->waitForFinished(10000));
        QCOMPARE(tool->exitCode(), 0);
        QVERIFY(!store.leaseHolder(session.id).value().has_value());
        QCOMPARE(store.recoverAfterCrash()->interruptedSessions, QList<QUuid>{session.id});
        QVERIFY(store.acquireLease(session.id, u"window"_s));
    }

    // QUALITY.md R5 with a child writer: killed at 20 random points while it streams,
    // every message it reported committed survives, the database is intact, and recovery
    // marks the session interrupted and the message caught streaming partial.
    void killedWriterLosesNothingCommitted()
    {
        const QString path = freshPath();
        const quint32 seed = QRandomGenerator::global()->generate();
        qInfo("seed %u", seed);
        QRandomGenerator random(seed);
        QSet<QString> committed;
        for (int run = 0; run < 20; ++run) {
            const auto tool = startTool({u"stream"_s, path});
            QString sessionId;
            int committedThisRun = 0;
            const int killAfter = random.bounded(1, 6);
            QByteArray pending;
            auto readLines = [&] {
                pending += tool->readAllStandardOutput();
                qsizetype newline;
                while ((newline = pending.indexOf('\n')) >= 0) {
                    const QString line = QString::fromUtf8(pending.left(newline));
                    pending.remove(0, newline + 1);
                    if (line.startsWith(u"session "_s)) {
                        sessionId = line.mid(8);
                    } else if (line.startsWith(u"committed "_s)) {
                        committed.insert(line.mid(10));
                        ++committedThisRun;
                    }
                }
            };
            QTimer killer;
            killer.setSingleShot(true);
            connect(&killer, &QTimer::timeout, tool.get(), &QProcess::kill);
            connect(tool.get(), &QProcess::readyReadStandardOutput, this, [&] {
                readLines();
                if (committedThisRun >= killAfter && !killer.isActive()) {
                    // A random moment in the next message's stream of checkpoints.
                    killer.start(random.bounded(0, 8));
                }
            });
            QVERIFY2(tool->waitForStarted(10000), qPrintable(tool->errorString()));
            QTRY_VERIFY2_WITH_TIMEOUT(tool->state() == QProcess::NotRunning,
                                      tool->readAllStandardError().constData(), 10000);
            readLines();
            QCOMPARE(tool->exitStatus(), QProcess::CrashExit);
            QVERIFY(!sessionId.isEmpty());

            QCOMPARE(integrityCheck(path), u"ok"_s);
            SessionStore store;
            QVERIFY(store.open(path));
            const auto recovery = store.recoverAfterCrash();
            QVERIFY(recovery);
            QCOMPARE(recovery->interruptedSessions, QList<QUuid>{QUuid(sessionId)});
            QVERIFY(recovery->partialMessages.size() <= 1);

            const Session session = store.loadSession(QUuid(sessionId)).value();
            QCOMPARE(session.status, SessionStatus::Interrupted);
            for (const Message &message : session.messages) {
                QVERIFY(message.status == MessageStatus::Complete ||
                        message.status == MessageStatus::Partial);
                if (message.status == MessageStatus::Partial) {
                    QVERIFY(recovery->partialMessages.contains(message.id));
                    QVERIFY(u"word0 word1 word2 word3 word4 "_s.startsWith(message.content));
                } else {
                    QVERIFY(message.content.endsWith(u"done"_s));
                }
            }
            QVERIFY(store.acquireLease(session.id, u"window"_s));
        }
        SessionStore store;
        QVERIFY(store.open(path));
        QSet<QString> stored;
        const SessionList list = store.listSessions().value();
        QCOMPARE(list.total, 20);
        for (const SessionSummary &summary : list.sessions) {
            const QList<Message> messages = store.loadMessages(summary.id).value();
            for (const Message &message : messages) {
                if (message.status == MessageStatus::Complete) {
                    stored.insert(message.id.toString(QUuid::WithoutBraces));
                }
            }
        }
        QVERIFY(committed.size() >= 20);
        const QSet<QString> lost = committed - stored;
        QVERIFY2(lost.isEmpty(), qPrintable(QStringList(lost.cbegin(), lost.cend()).join(u' ')));
    }
};

QTEST_GUILESS_MAIN(TestStoreProcesses)
#include "tst_storeprocesses.moc"
