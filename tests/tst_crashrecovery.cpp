// SPDX-License-Identifier: GPL-3.0-or-later
// QUALITY.md R5: `crosstalk run` killed with SIGKILL while streaming, at 20 random points. On
// reopening, every message the run had completed is in the store unchanged, the database is
// intact, the session is interrupted, and `crosstalk resume` finishes it.
#include "fakellmserver.h"
#include "storage/sessionstore.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
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
    quint32 m_seed = 0;
    int m_compared = 0; // finished messages compared with the store, over every row

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
        m_server.setTiming({5, 5, 200});
        // CROSSTALK_TEST_SEED=N replays the kill points of a run that failed.
        bool given = false;
        m_seed = qEnvironmentVariableIntValue("CROSSTALK_TEST_SEED", &given);
        if (!given)
            m_seed = QRandomGenerator::global()->generate();
        qInfo("kill points seed: %u (replay with CROSSTALK_TEST_SEED=%u)", m_seed, m_seed);
    }

    void cleanup()
    {
        if (QTest::currentTestFailed())
            qWarning("failed with kill points seed %u: replay with CROSSTALK_TEST_SEED=%u", m_seed,
                     m_seed);
    }

    void cleanupTestCase()
    {
        QVERIFY2(m_compared > 0, "no kill point left a finished message to compare");
    }

    // A kill point is a token of a reply, counted on the fake server: the run is killed right
    // after the server wrote the `token`-th token of the `request`-th request it received
    // (or the reply's last token, if it has fewer). Every point lies inside a stream, after
    // the session was stored and before the run could end.
    void killAtRandomPoints_data()
    {
        QTest::addColumn<int>("request");
        QTest::addColumn<int>("token");
        QRandomGenerator random(m_seed);
        for (int i = 0; i < 20; ++i) {
            const int request = int(random.bounded(1, kParticipants * kRounds + 1));
            const int token = int(random.bounded(1, 40));
            QTest::addRow("kill %d: request %d, token %d", i, request, token) << request << token;
        }
    }

    void killAtRandomPoints()
    {
        QFETCH(int, request);
        QFETCH(int, token);
        QTemporaryDir dir;
        QHash<int, int> ordinal; // the server's request id → its place in this run
        qint64 pid = 0;
        bool killed = false;
        QObject row;
        connect(&m_server, &FakeLlmServer::requestReceived, &row,
                [&](int id) { ordinal.insert(id, int(ordinal.size()) + 1); });
        connect(&m_server, &FakeLlmServer::tokenWritten, &row, [&](int id, int index, int count) {
            if (killed || ordinal.value(id) != request || (index != token && index != count))
                return;
            killed = pid > 0 && ::kill(pid_t(pid), SIGKILL) == 0;
        });
        QProcess *run = crosstalk(dir, {u"run"_s, u"--models"_s, u"big,small"_s, u"--rounds"_s,
                                        QString::number(kRounds), u"--topic"_s, u"Crash"_s});
        QVERIFY(run->waitForStarted());
        pid = run->processId();
        QTRY_VERIFY_WITH_TIMEOUT(run->state() == QProcess::NotRunning, 60000);
        QVERIFY2(killed, "the run ended before its kill point");
        QCOMPARE(run->exitStatus(), QProcess::CrashExit);
        const QStringList finished =
            finishedMessages(QString::fromUtf8(run->readAllStandardOutput()));

        const QString path = dir.filePath(u"data/crosstalk/crosstalk.sqlite"_s);
        QVERIFY(integrityOk(path));
        QUuid id;
        QSet<QUuid> cut; // replies the kill cut short
        {
            SessionStore store;
            QVERIFY(store.open(path).ok());
            QVERIFY(store.recoverAfterCrash().ok());
            const auto list = store.listSessions();
            QVERIFY(list.ok());
            QCOMPARE(list->sessions.size(), 1);
            id = list->sessions.first().id;
            const auto session = store.loadSession(id);
            QVERIFY(session.ok());
            QCOMPARE(session->status, SessionStatus::Interrupted);
            QVERIFY(session->messages.size() >= finished.size());
            for (int i = 0; i < finished.size(); ++i) {
                QCOMPARE(session->messages.at(i).status, MessageStatus::Complete);
                QCOMPARE(session->messages.at(i).content.trimmed(), finished.at(i));
            }
            m_compared += int(finished.size());
            for (const Message &m : session->messages) {
                QVERIFY(m.status != MessageStatus::Streaming);
                if (m.status == MessageStatus::Partial)
                    cut.insert(m.id);
            }
        }

        QProcess *resume = crosstalk(dir, {u"resume"_s, id.toString(QUuid::WithoutBraces)});
        QTRY_COMPARE_WITH_TIMEOUT(resume->state(), QProcess::NotRunning, 30000);
        QCOMPARE(resume->exitCode(), 0);
        SessionStore store;
        QVERIFY(store.open(path).ok());
        const auto session = store.loadSession(id);
        QVERIFY(session.ok());
        QCOMPARE(session->status, SessionStatus::Completed);
        for (int i = 0; i < finished.size(); ++i)
            QCOMPARE(session->messages.at(i).content.trimmed(), finished.at(i));
        // The replies the kill cut stay partial, and their turns were asked again: every turn
        // is complete (PRODUCT.md §3).
        int turns = 0;
        for (const Message &m : session->messages) {
            QCOMPARE(m.status == MessageStatus::Partial, cut.contains(m.id));
            turns += m.status == MessageStatus::Complete;
        }
        QCOMPARE(turns, kParticipants * kRounds);
        QVERIFY(integrityOk(path));
    }
};

QTEST_GUILESS_MAIN(TestCrashRecovery)
#include "tst_crashrecovery.moc"
