// SPDX-License-Identifier: GPL-3.0-or-later
// `crosstalk serve` as a user starts it, driven over HTTP the way the old tool's curl examples
// drive it, against the fake LLM server.
#include "fakellmserver.h"
#include "httptestclient.h"

#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;
using namespace Crosstalk::Fake;
using namespace Crosstalk::Testing;

class TestServeCommand : public QObject
{
    Q_OBJECT

private:
    FakeLlmServer m_fake;
    QTemporaryDir m_dir;

    void configure(QProcess &process, const QHash<QString, QString> &extraEnv = {})
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"OPENAI_BASE_URL"_s, m_fake.baseUrl().toString() + u"/v1"_s);
        env.insert(u"OPENAI_API_KEY"_s, u"sk-test-serve"_s);
        env.insert(u"XDG_CONFIG_HOME"_s, m_dir.filePath(u"config"_s));
        env.insert(u"XDG_DATA_HOME"_s, m_dir.filePath(u"data"_s));
        // No secret service: the keychain fails at once instead of being asked.
        env.insert(u"DBUS_SESSION_BUS_ADDRESS"_s, u"unix:path=/nonexistent"_s);
        env.remove(u"CROSSTALK_API_TOKEN"_s);
        env.remove(u"ANTHROPIC_API_KEY"_s);
        for (auto it = extraEnv.cbegin(); it != extraEnv.cend(); ++it)
            env.insert(it.key(), it.value());
        process.setProcessEnvironment(env);
        process.setWorkingDirectory(m_dir.path());
    }

    // Starts `crosstalk serve` on a free port; returns the port, 0 when it did not come up.
    quint16 startServe(QProcess &process, const QStringList &arguments,
                       const QHash<QString, QString> &extraEnv = {})
    {
        configure(process, extraEnv);
        process.start(QStringLiteral(CROSSTALK_EXECUTABLE),
                      QStringList{u"serve"_s, u"--port"_s, u"0"_s} + arguments);
        static const QRegularExpression listening(u"listening on http://127\\.0\\.0\\.1:(\\d+)"_s);
        QByteArray out;
        QRegularExpressionMatch match;
        const bool up = QTest::qWaitFor(
            [&] {
                out += process.readAllStandardOutput();
                match = listening.match(QString::fromUtf8(out));
                return match.hasMatch() || process.state() == QProcess::NotRunning;
            },
            20000);
        return up ? quint16(match.captured(1).toUInt()) : 0;
    }

    static HttpReply call(quint16 port, const QByteArray &method, const QByteArray &target,
                          const QByteArray &token, const QByteArray &body = QByteArray())
    {
        HttpTestClient client(port);
        if (!client.connect())
            return {};
        client.write(HttpTestClient::request(method, target,
                                             "localhost:" + QByteArray::number(port), token, body));
        return client.read(30000);
    }

    static int stop(QProcess &process)
    {
        ::kill(pid_t(process.processId()), SIGTERM);
        if (!QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, 15000))
            return -1;
        return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(m_fake.listen());
        m_fake.setTiming({2, 2, 0});
    }

    // The issue's "done when": the appendix's curl examples, with the token, against serve.
    void answersTheOldToolsCurlExamples()
    {
        QProcess serve;
        const quint16 port = startServe(serve, {u"--token"_s, u"T0ken"_s});
        QByteArray err;
        QVERIFY2(port > 0, (err += serve.readAllStandardError()).constData());
        QTRY_VERIFY2(
            (err += serve.readAllStandardError()).contains("REST API at http://127.0.0.1:"),
            err.constData());

        // The bundled examples were installed in the new persona library.
        const HttpReply setup = call(port, "POST", "/v1/crosstalk/setup", "T0ken",
                                     R"({"models": ["big", "small"],
                "system_prompts": {"big": "path:examples/prompts/alice.txt", "small": "path:examples/prompts/bob.txt"},
                "paradigm": "relay", "iterations": 15, "topic": "Explain quantum computing to a child"})");
        QCOMPARE(setup.status, 200);
        const QByteArray id = setup.json()[u"session_id"_s].toString().toLatin1();
        QCOMPARE(setup.json()[u"status"_s].toString(), u"configured"_s);

        const HttpReply run = call(port, "POST", "/v1/crosstalk/" + id + "/run", "T0ken");
        QCOMPARE(run.status, 200);
        QCOMPARE(run.json()[u"status"_s].toString(), u"completed"_s);
        QCOMPARE(run.json()[u"conversation"_s].toArray().size(), 30);

        const HttpReply status = call(port, "GET", "/v1/crosstalk/" + id + "/status", "T0ken");
        QCOMPARE(status.json()[u"current_iteration"_s].toInt(), 15);
        QCOMPARE(call(port, "GET", "/v1/crosstalk/list", "T0ken").json()[u"total"_s].toInt(), 1);

        // The refusals of PRODUCT.md §6.
        QCOMPARE(call(port, "GET", "/v1/crosstalk/list", QByteArray()).status, 401);
        QCOMPARE(call(port, "GET", "/v1/crosstalk/list", "wrong").status, 401);
        HttpTestClient foreign(port);
        QVERIFY(foreign.connect());
        foreign.write(
            HttpTestClient::request("GET", "/v1/crosstalk/list", "evil.example", "T0ken"));
        QCOMPARE(foreign.read().status, 421);
        HttpTestClient huge(port);
        QVERIFY(huge.connect());
        huge.write("POST /v1/crosstalk/setup HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                   "T0ken\r\nContent-Length: 2097152\r\n\r\n");
        QCOMPARE(huge.read().status, 413);
        QCOMPARE(call(port, "POST", "/v1/crosstalk/setup", "T0ken", R"({"models": [1]})").status,
                 422);
        QCOMPARE(call(port, "GET", "/healthz", QByteArray()).status, 200);

        QCOMPARE(call(port, "DELETE", "/v1/crosstalk/" + id + "/delete", "T0ken").status, 200);
        QCOMPARE(call(port, "GET", "/v1/crosstalk/" + id + "/status", "T0ken").status, 404);
        QCOMPARE(stop(serve), 0);
        err += serve.readAllStandardError();
        QVERIFY(!err.contains("sk-test-serve") && !err.contains("T0ken"));
    }

    void sigtermPausesRunningSessions()
    {
        m_fake.setTiming({5, 5, 20});
        QProcess serve;
        const quint16 port = startServe(serve, {u"--token"_s, u"T"_s});
        QVERIFY(port > 0);
        const HttpReply setup = call(port, "POST", "/v1/crosstalk/setup", "T",
                                     R"({"models": ["big", "small"], "iterations": 50})");
        const QByteArray id = setup.json()[u"session_id"_s].toString().toLatin1();
        QCOMPARE(call(port, "POST", "/v1/crosstalk/" + id + "/run?wait=false", "T").status, 202);
        QTRY_VERIFY_WITH_TIMEOUT(m_fake.requests().size() > 2, 10000);
        QCOMPARE(stop(serve), 0);
        m_fake.setTiming({2, 2, 0});

        // The next serve finds it paused, and can run it on.
        QProcess next;
        const quint16 nextPort = startServe(next, {u"--token"_s, u"T"_s});
        QVERIFY(nextPort > 0);
        const HttpReply status = call(nextPort, "GET", "/v1/crosstalk/" + id + "/status", "T");
        QCOMPARE(status.json()[u"status"_s].toString(), u"paused"_s);
        QCOMPARE(stop(next), 0);
    }

    void tokenFromTheEnvironmentOrAFile()
    {
        {
            QProcess serve;
            const quint16 port = startServe(serve, {}, {{u"CROSSTALK_API_TOKEN"_s, u"E"_s}});
            QVERIFY(port > 0);
            QCOMPARE(call(port, "GET", "/v1/crosstalk/list", "E").status, 200);
            QCOMPARE(stop(serve), 0);
        }
        // Without a keychain, a token is made once and kept in an owner-only file.
        QStringList printed;
        for (int i = 0; i < 2; ++i) {
            QProcess print;
            configure(print);
            print.start(QStringLiteral(CROSSTALK_EXECUTABLE), {u"serve"_s, u"--print-token"_s});
            QVERIFY(print.waitForFinished(20000));
            QCOMPARE(print.exitCode(), 0);
            printed << QString::fromLatin1(print.readAllStandardOutput()).trimmed();
        }
        QCOMPARE(printed[0].size(), 43);
        QCOMPARE(printed[1], printed[0]);
        const QString file = m_dir.filePath(u"config/crosstalk/api-token"_s);
        QCOMPARE(QFile::permissions(file) & ~(QFile::ReadUser | QFile::WriteUser),
                 QFile::ReadOwner | QFile::WriteOwner);
        QProcess serve;
        const quint16 port = startServe(serve, {});
        QVERIFY(port > 0);
        QCOMPARE(call(port, "GET", "/v1/crosstalk/list", printed[0].toLatin1()).status, 200);
        QCOMPARE(stop(serve), 0);
    }

    void portInUse()
    {
        QTcpServer taken;
        QVERIFY(taken.listen(QHostAddress::LocalHost));
        QProcess serve;
        configure(serve);
        serve.start(
            QStringLiteral(CROSSTALK_EXECUTABLE),
            {u"serve"_s, u"--port"_s, QString::number(taken.serverPort()), u"--token"_s, u"T"_s});
        QVERIFY(serve.waitForFinished(20000));
        QCOMPARE(serve.exitCode(), 2);
        QVERIFY2(serve.readAllStandardError().contains("in use"), "names the reason");
    }

    void badUsage_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("port") << QStringList{u"--port"_s, u"http"_s};
        QTest::newRow("bind") << QStringList{u"--bind"_s, u"nowhere"_s};
        QTest::newRow("empty token") << QStringList{u"--token"_s, u""_s};
        QTest::newRow("rate") << QStringList{u"--rate-limit"_s, u"-1"_s};
    }

    void badUsage()
    {
        QFETCH(QStringList, arguments);
        QProcess serve;
        configure(serve);
        serve.start(QStringLiteral(CROSSTALK_EXECUTABLE), QStringList{u"serve"_s} + arguments);
        QVERIFY(serve.waitForFinished(20000));
        QCOMPARE(serve.exitCode(), 2);
    }
};

QTEST_GUILESS_MAIN(TestServeCommand)
#include "tst_servecommand.moc"
