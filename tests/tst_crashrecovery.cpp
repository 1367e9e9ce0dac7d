// SPDX-License-Identifier: GPL-3.0-or-later
// QUALITY.md R5: `crosstalk run` killed with SIGKILL while streaming, at 20 random points. On
// reopening, every message the run had completed is in the store unchanged, the database is
// intact, the session is interrupted, and `crosstalk resume` finishes it.
#include "fakellmserver.h"
#include "storage/sessionstore.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;
using namespace Crosstalk;
using namespace Crosstalk::Fake;

namespace {

constexpr int kParticipants = 2;
constexpr int kRounds = 3;

// The messages a transcript on stdout shows as finished: the printer moves to the next
// message only once one has ended, so every message but the last one shown is finished.
QStringList finishedMessages(const QString &transcript)
{
    static const QRegularExpression header(u"^(big|small) · "_s);
    QStringList messages;
    QString current;
    bool inMessage = false;
    for (const QString &line : transcript.split(u'\n')) {
        if (header.match(line).hasMatch() || line.startsWith(u"── Round"_s)) {
            if (inMessage)
                messages << current.trimmed();
            current.clear();
            inMessage = header.match(line).hasMatch();
            continue;
        }
        current += line + u'\n';
    }
    return messages; // the last message shown may be cut short: left out
}

bool integrityOk(const QString &path)
{
    const QString name = u"integrity-check"_s;
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery query(db);
            ok = query.exec(u"PRAGMA integrity_check"_s) && query.next() &&
                 query.value(0).toString() == u"ok"_s;
        }
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

} // namespace

class TestCrashRecovery : public QObject
{
    Q_OBJECT

private:
    FakeLlmServer m_server;

    QProcess *crosstalk(const QTemporaryDir &dir, const QStringList &arguments)
    {
        auto *process = new QProcess(this);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"OPENAI_BASE_URL"_s, m_server.baseUrl().toString() + u"/v1"_s);
        env.insert(u"XDG_CONFIG_HOME"_s, dir.filePath(u"config"_s));
        env.insert(u"XDG_DATA_HOME"_s, dir.filePath(u"data"_s));
        env.remove(u"ANTHROPIC_API_KEY"_s);
        process->setProcessEnvironment(env);
        process->start(QStringLiteral(CROSSTALK_EXECUTABLE), arguments);
        return process;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_server.listen());
        m_server.setTiming({5, 5, 80}); // about half a second a reply
    }

    void killAtRandomPoints_data()
    {
        QTest::addColumn<int>("killAfterMs");
        // The seed is printed so that a failure can be replayed.
        const quint32 seed = QRandomGenerator::global()->generate();
        qInfo("kill points seed: %u", seed);
        QRandomGenerator random(seed);
        for (int i = 0; i < 20; ++i)
            QTest::addRow("kill %d", i) << int(random.bounded(100, 1300));
    }

    void killAtRandomPoints()
    {
        QFETCH(int, killAfterMs);
        QTemporaryDir dir;
        QProcess *run = crosstalk(dir, {u"run"_s, u"--models"_s, u"big,small"_s, u"--rounds"_s,
                                        QString::number(kRounds), u"--topic"_s, u"Crash"_s});
        QVERIFY(run->waitForStarted());
        // The kill points are counted from the first round's header, which follows the
        // session's creation: how long a process takes to start (much longer under the
        // sanitizers) must not decide whether there is a session to recover.
        QTRY_VERIFY_WITH_TIMEOUT(run->bytesAvailable() > 0, 30000);
        QTest::qWait(killAfterMs); // the random point; the server keeps streaming meanwhile
        const qint64 pid = run->processId();
        if (pid <= 0) // already done; and kill(0) would signal the test itself
            QSKIP("the run ended before the kill point");
        ::kill(pid_t(pid), SIGKILL);
        QTRY_COMPARE(run->state(), QProcess::NotRunning);
        const QStringList finished =
            finishedMessages(QString::fromUtf8(run->readAllStandardOutput()));

        const QString path = dir.filePath(u"data/crosstalk/crosstalk.sqlite"_s);
        QVERIFY(integrityOk(path));
        QUuid id;
        {
            SessionStore store;
            QVERIFY(store.open(path).ok());
            QVERIFY(store.recoverAfterCrash().ok());
            const auto list = store.listSessions();
            QVERIFY(list.ok());
            if (list->sessions.isEmpty() && finished.isEmpty())
                QSKIP("killed before the session was created"); // nothing was said yet
            QCOMPARE(list->sessions.size(), 1);
            id = list->sessions.first().id;
            const auto session = store.loadSession(id);
            QVERIFY(session.ok());
            if (session->status == SessionStatus::Completed)
                QSKIP("the run completed before the kill point");
            QCOMPARE(session->status, SessionStatus::Interrupted);
            QVERIFY(session->messages.size() >= finished.size());
            for (int i = 0; i < finished.size(); ++i) {
                QCOMPARE(session->messages.at(i).status, MessageStatus::Complete);
                QCOMPARE(session->messages.at(i).content.trimmed(), finished.at(i));
            }
            for (const Message &m : session->messages)
                QVERIFY(m.status != MessageStatus::Streaming);
        }

        QProcess *resume = crosstalk(dir, {u"resume"_s, id.toString(QUuid::WithoutBraces)});
        QTRY_COMPARE_WITH_TIMEOUT(resume->state(), QProcess::NotRunning, 20000);
        QCOMPARE(resume->exitCode(), 0);
        SessionStore store;
        QVERIFY(store.open(path).ok());
        const auto session = store.loadSession(id);
        QCOMPARE(session->status, SessionStatus::Completed);
        QCOMPARE(
            session->completedRounds(), 0 + [&] {
                // Rounds whose replies were cut by the kill stay partial; the others complete.
                int complete = 0;
                for (int round = 0; round < kRounds; ++round) {
                    bool all = true;
                    for (const Message &m : session->messages)
                        all = all && (m.round != round || m.status == MessageStatus::Complete);
                    complete += all;
                    if (!all)
                        break;
                }
                return complete;
            }());
        for (int i = 0; i < finished.size(); ++i)
            QCOMPARE(session->messages.at(i).content.trimmed(), finished.at(i));
        int turns = 0;
        for (const Message &m : session->messages)
            turns += m.status == MessageStatus::Complete || m.status == MessageStatus::Partial;
        QCOMPARE(turns, kParticipants * kRounds);
        QVERIFY(integrityOk(path));
    }
};

QTEST_GUILESS_MAIN(TestCrashRecovery)
#include "tst_crashrecovery.moc"
