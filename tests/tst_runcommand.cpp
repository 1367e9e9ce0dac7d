// SPDX-License-Identifier: GPL-3.0-or-later
// `crosstalk run` as a user runs it from a terminal, against the fake LLM server.
#include "fakellmserver.h"
#include "pdftext.h"
#include "storage/sessionstore.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;
using namespace Crosstalk::Fake;

class TestRunCommand : public QObject
{
    Q_OBJECT

private:
    FakeLlmServer m_server;
    QTemporaryDir m_dir;

    struct Run
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };

    void configure(QProcess &process, const QHash<QString, QString> &extraEnv,
                   const QStringList &unsetEnv = {})
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"OPENAI_BASE_URL"_s, m_server.baseUrl().toString() + u"/v1"_s);
        env.insert(u"OPENAI_API_KEY"_s, u"sk-test-run"_s);
        env.insert(u"XDG_CONFIG_HOME"_s, m_dir.filePath(u"config"_s));
        env.insert(u"XDG_DATA_HOME"_s, m_dir.filePath(u"data"_s));
        env.remove(u"ANTHROPIC_API_KEY"_s);
        for (auto it = extraEnv.cbegin(); it != extraEnv.cend(); ++it)
            env.insert(it.key(), it.value());
        for (const QString &name : unsetEnv)
            env.remove(name);
        process.setProcessEnvironment(env);
        process.setWorkingDirectory(m_dir.path());
    }

    // The test's own event loop keeps serving the fake server while crosstalk runs.
    Run run(const QStringList &arguments, const QHash<QString, QString> &extraEnv = {},
            const QStringList &unsetEnv = {})
    {
        return command(QStringList{u"run"_s} + arguments, extraEnv, unsetEnv);
    }

    Run command(const QStringList &arguments, const QHash<QString, QString> &extraEnv = {},
                const QStringList &unsetEnv = {})
    {
        QProcess process;
        configure(process, extraEnv, unsetEnv);
        process.start(QStringLiteral(CROSSTALK_EXECUTABLE), arguments);
        if (!QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, 30000))
            return {};
        return {process.exitCode(), process.readAllStandardOutput(),
                process.readAllStandardError()};
    }

    QJsonObject document(const QString &name)
    {
        QFile file(m_dir.filePath(name));
        if (!file.open(QIODevice::ReadOnly))
            return {};
        return QJsonDocument::fromJson(file.readAll()).object();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_server.listen());
        m_server.setTiming({5, 5, 0});
    }

    void init()
    {
        m_server.clearFaultRules();
        m_server.clearRequests();
    }

    // QUALITY.md R14 for the command line: another process takes the session over mid-run
    // (to its clock the lease is stale). crosstalk run prints why, sends no more requests and
    // exits 5; once the other lets go, crosstalk resume goes on to the end.
    void lostStoreExitsFive()
    {
        m_server.setTiming({5, 5, 40});
        const QHash<QString, QString> env{{u"XDG_DATA_HOME"_s, m_dir.filePath(u"data-r14"_s)}};
        QProcess process;
        configure(process, env);
        process.start(QStringLiteral(CROSSTALK_EXECUTABLE),
                      {u"run"_s, u"--models"_s, u"big,small"_s, u"--rounds"_s, u"40"_s,
                       u"--topic"_s, u"Leases"_s});
        QTRY_VERIFY_WITH_TIMEOUT(m_server.requests().size() >= 2, 20000);

        Crosstalk::SessionStore other;
        QVERIFY(other.open(m_dir.filePath(u"data-r14/crosstalk/crosstalk.sqlite"_s)));
        const auto listed = other.listSessions();
        QVERIFY(listed && listed->sessions.size() == 1);
        const QUuid id = listed->sessions.first().id;
        other.setClock([] { return QDateTime::currentDateTimeUtc().addSecs(3600); });
        QVERIFY(other.acquireLease(id, u"crosstalk serve"_s));

        // The heartbeat finds the lease gone within a few seconds.
        QVERIFY(QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, 30000));
        QCOMPARE(process.exitCode(), 5);
        const QByteArray err = process.readAllStandardError();
        QVERIFY2(err.contains("cannot be saved") && err.contains("lease"), err.constData());
        QVERIFY2(err.contains(QByteArray("crosstalk resume " +
                                         id.toString(QUuid::WithoutBraces).toLatin1())),
                 err.constData());
        const qsizetype requests = m_server.requests().size();
        QVERIFY(requests < 80);

        QVERIFY(other.releaseLease(id));
        m_server.setTiming({5, 5, 0});
        QProcess resume;
        configure(resume, env);
        resume.start(QStringLiteral(CROSSTALK_EXECUTABLE),
                     {u"resume"_s, id.toString(QUuid::WithoutBraces)});
        QVERIFY(QTest::qWaitFor([&] { return resume.state() == QProcess::NotRunning; }, 30000));
        QVERIFY2(resume.exitCode() == 0, resume.readAllStandardError().constData());
        const auto stored = other.loadSession(id);
        QVERIFY(stored);
        QCOMPARE(stored->status, Crosstalk::SessionStatus::Completed);
        // Every turn is complete; the replies cut short by the stop are kept as partial, and
        // their turns were asked again.
        QCOMPARE(std::count_if(stored->messages.cbegin(), stored->messages.cend(),
                               [](const Crosstalk::Message &m) {
                                   return m.status == Crosstalk::MessageStatus::Complete;
                               }),
                 80);
    }

    void writesTheSessionDocument_data()
    {
        QTest::addColumn<QString>("paradigm");
        // Recipients of each slot's messages: the topology with big, middle, small in order.
        QTest::addColumn<QStringList>("recipients");
        QTest::newRow("memory") << u"memory"_s
                                << QStringList{u"middle,small"_s, u"big,small"_s, u"big,middle"_s};
        QTest::newRow("report") << u"report"_s
                                << QStringList{u"middle,small"_s, u"big"_s, u"big"_s};
        QTest::newRow("relay") << u"relay"_s << QStringList{u"middle"_s, u"small"_s, u"big"_s};
        QTest::newRow("debate") << u"debate"_s
                                << QStringList{u"middle,small"_s, u"big,small"_s, QString()};
    }

    void writesTheSessionDocument()
    {
        QFETCH(QString, paradigm);
        QFETCH(QStringList, recipients);
        const Run r = run({u"--models"_s, u"big,middle,small"_s, u"--paradigm"_s, paradigm,
                           u"--rounds"_s, u"2"_s, u"--topic"_s, u"T"_s, u"--out"_s, u"x.json"_s});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(r.out.contains("── Round 2 of 2 ──"));
        const QJsonObject doc = document(u"x.json"_s);
        QCOMPARE(doc[u"format_version"_s].toInt(), 2);
        QCOMPARE(doc[u"status"_s].toString(), u"completed"_s);
        QCOMPARE(doc[u"paradigm"_s].toString(), paradigm);
        const QJsonArray messages = doc[u"messages"_s].toArray();
        QCOMPARE(messages.size(), 6);
        const QStringList speakers = {u"big"_s, u"middle"_s, u"small"_s};
        for (const QJsonValue &value : messages) {
            const QJsonObject m = value.toObject();
            QStringList got;
            for (const QJsonValue &name : m[u"recipients"_s].toArray())
                got << name.toString();
            got.sort();
            QCOMPARE(got.join(u','), recipients.at(speakers.indexOf(m[u"speaker"_s].toString())));
            QCOMPARE(m[u"status"_s].toString(), u"complete"_s);
        }
        if (paradigm == u"debate"_s)
            QCOMPARE(messages.last()[u"type"_s].toString(), u"verdict"_s);
        QVERIFY2(!r.out.contains("sk-test-run") && !r.err.contains("sk-test-run"),
                 "the key never appears in output");
        QVERIFY(!QJsonDocument(doc).toJson().contains("sk-test-run"));
    }

    // A persona chosen for a slot with MCP load_system_prompt (kept in the store) is used by
    // crosstalk run too, before the environment's.
    void usesTheSlotPersonaChosenOverMcp()
    {
        const QString dataHome = m_dir.filePath(u"data-slots"_s);
        QDir().mkpath(dataHome + u"/crosstalk/personas"_s);
        QFile persona(dataHome + u"/crosstalk/personas/critic.md"_s);
        QVERIFY(persona.open(QIODevice::WriteOnly));
        persona.write("You are a careful critic of every claim.\n");
        persona.close();
        {
            Crosstalk::SessionStore store;
            QVERIFY(store.open(dataHome + u"/crosstalk/crosstalk.sqlite"_s));
            QVERIFY(store.setSlotPersona(u"big"_s, u"path:critic.md"_s));
        }
        const Run r = run({u"--models"_s, u"big,small"_s, u"--rounds"_s, u"1"_s, u"--json"_s},
                          {{u"XDG_DATA_HOME"_s, dataHome},
                           {u"ENABLE_CUSTOM_SMALL_PROMPT"_s, u"true"_s},
                           {u"ENABLE_CUSTOM_BIG_PROMPT"_s, u"true"_s},
                           {u"SMALL_SYSTEM_PROMPT"_s, u"You are small, from the environment."_s},
                           {u"BIG_SYSTEM_PROMPT"_s, u"You are big, from the environment."_s}});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonArray participants =
            QJsonDocument::fromJson(r.out).object()[u"participants"_s].toArray();
        QCOMPARE(participants[0][u"persona"_s].toString(),
                 u"You are a careful critic of every claim."_s);
        QCOMPARE(participants[0][u"persona_source"_s].toString(), u"path:critic.md"_s);
        QCOMPARE(participants[1][u"persona"_s].toString(),
                 u"You are small, from the environment."_s);
    }

    // --summariser-model names the model that writes the summaries, and switches them on.
    void summariserModelFlag()
    {
        const Run r = run({u"--models"_s, u"big,small"_s, u"--rounds"_s, u"1"_s,
                           u"--summariser-model"_s, u"small"_s, u"--json"_s});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject options =
            QJsonDocument::fromJson(r.out).object()[u"options"_s].toObject();
        QCOMPARE(options[u"summariser_model"_s].toString(), u"small"_s);
        QCOMPARE(options[u"summarise_dropped"_s].toBool(), true);
        const Run unknown =
            run({u"--models"_s, u"big,small"_s, u"--summariser-model"_s, u"nope"_s, u"--json"_s});
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY2(unknown.err.contains("summariser_model"), unknown.err.constData());
    }

    void jsonGoesToStdoutAlone()
    {
        const Run r = run({u"--models"_s, u"big,big"_s, u"--rounds"_s, u"1"_s, u"--json"_s});
        QCOMPARE(r.exitCode, 0);
        QJsonParseError error;
        const QJsonObject doc = QJsonDocument::fromJson(r.out, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(doc[u"participants"_s].toArray()[1][u"name"_s].toString(), u"big-2"_s);
        QCOMPARE(doc[u"paradigm"_s].toString(), u"relay"_s); // the old tool's default
    }

    void badUsageExitsWithTwo_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("no participants")
            << QStringList{} << u"--models, --participant or a --config"_s;
        QTest::newRow("unknown paradigm")
            << QStringList{u"--models"_s, u"big,small"_s, u"--paradigm"_s, u"chaos"_s}
            << u"unknown paradigm 'chaos'"_s;
        QTest::newRow("unknown model") << QStringList{u"--models"_s, u"big,nope"_s}
                                       << u"participants[1].model: unknown model 'nope'"_s;
        QTest::newRow("rounds out of range")
            << QStringList{u"--models"_s, u"big,small"_s, u"--rounds"_s, u"0"_s} << u"rounds"_s;
        QTest::newRow("missing persona file")
            << QStringList{u"--models"_s, u"big,small"_s, u"--persona"_s,
                           u"big=path:/nonexistent/alice.md"_s}
            << u"file not found: /nonexistent/alice.md"_s;
        QTest::newRow("unknown option") << QStringList{u"--frobnicate"_s} << u"frobnicate"_s;
        QTest::newRow("unknown format")
            << QStringList{u"--models"_s, u"big,small"_s, u"--format"_s,
                           u"docx"_s,     u"--out"_s,     u"t.docx"_s}
            << u"--format: unknown format 'docx' (md, html, pdf, txt, json, legacy-json)"_s;
        QTest::newRow("unknown extension")
            << QStringList{u"--models"_s, u"big,small"_s, u"--out"_s, u"t.docx"_s}
            << u"--out: cannot tell the format of 't.docx'"_s;
        QTest::newRow("format without a file")
            << QStringList{u"--models"_s, u"big,small"_s, u"--format"_s, u"md"_s}
            << u"--format: give the file to write with --out"_s;
    }

    void badUsageExitsWithTwo()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const Run r = run(arguments);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
        QVERIFY(m_server.requests().isEmpty());
    }

    void writesEveryFormat_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("file");
        // How the written file must begin.
        QTest::addColumn<QByteArray>("start");
        const QStringList none;
        QTest::newRow("md") << none << u"t.md"_s << "# Export check"_ba;
        QTest::newRow("markdown") << none << u"t.markdown"_s << "# Export check"_ba;
        QTest::newRow("html") << none << u"t.html"_s << "<!DOCTYPE html>"_ba;
        QTest::newRow("htm") << none << u"t.htm"_s << "<!DOCTYPE html>"_ba;
        QTest::newRow("pdf") << none << u"t.pdf"_s << "%PDF-"_ba;
        QTest::newRow("txt") << none << u"t.txt"_s << "Export check"_ba;
        QTest::newRow("json is the session document")
            << none << u"t.json"_s << "{\n    \"created_at\""_ba;
        QTest::newRow("legacy-json by name") << QStringList{u"--format"_s, u"legacy-json"_s}
                                             << u"legacy.json"_s << "{\n    \"conversation\""_ba;
        QTest::newRow("--format over the extension")
            << QStringList{u"--format"_s, u"html"_s} << u"t.out"_s << "<!DOCTYPE html>"_ba;
    }

    // The issue's "done when": a headless run, with no display at all, writes every format,
    // and the PDF's text holds the topic and every speaker.
    void writesEveryFormat()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, file);
        QFETCH(QByteArray, start);
        const bool pdf = file.endsWith(u".pdf"_s);
        if (pdf && Crosstalk::Test::pdftotext().isEmpty())
            QSKIP("pdftotext (poppler-utils) is not installed");
        const QString topic = u"Export check: is every format complete?"_s;
        const Run r =
            run(QStringList{u"--participant"_s, u"Alice=big"_s, u"--participant"_s, u"Bob=small"_s,
                            u"--participant"_s, u"Carol=middle"_s, u"--rounds"_s, u"2"_s,
                            u"--topic"_s, topic, u"--quiet"_s, u"--out"_s, file} +
                    arguments,
                {}, {u"QT_QPA_PLATFORM"_s, u"DISPLAY"_s, u"WAYLAND_DISPLAY"_s});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QFile written(m_dir.filePath(file));
        QVERIFY(written.open(QIODevice::ReadOnly));
        const QByteArray bytes = written.readAll();
        QVERIFY2(bytes.startsWith(start), bytes.left(100).constData());
        const QString text =
            pdf ? Crosstalk::Test::pdfText(written.fileName()) : QString::fromUtf8(bytes);
        for (const QString &expected : {topic, u"Alice"_s, u"Bob"_s, u"Carol"_s}) {
            QVERIFY2(text.contains(expected), qPrintable(expected + u" missing from:\n"_s + text));
        }
    }

    void providerFailurePausesWithThree()
    {
        m_server.addFaultRule(*FaultRule::parse(u"503"_s, nullptr));
        const Run r = run(
            {u"--models"_s, u"big,small"_s, u"--rounds"_s, u"2"_s, u"--out"_s, u"paused.json"_s},
            {{u"MAX_RETRIES"_s, u"1"_s}});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains("Paused:"), r.err.constData());
        QCOMPARE(m_server.requests().size(), 4); // two participants, one retry each
        const QJsonObject doc = document(u"paused.json"_s);
        QCOMPARE(doc[u"status"_s].toString(), u"paused"_s);
        QCOMPARE(doc[u"messages"_s].toArray().first()[u"status"_s].toString(), u"failed"_s);
    }

    // A cap pauses the run (exit 3) and says how to go on; resuming under the same cap asks
    // nothing and stays paused; resume --budget-tokens none runs it to the end. A cost cap that
    // cannot count a model (no known price) is refused before anything is asked.
    void resumeUnderNewCaps()
    {
        const QString data = m_dir.filePath(u"data-budget"_s);
        const QHash<QString, QString> env{{u"XDG_DATA_HOME"_s, data}};
        const Run capped = run({u"--models"_s, u"big,small"_s, u"--rounds"_s, u"2"_s,
                                u"--budget-tokens"_s, u"1"_s, u"--topic"_s, u"Caps"_s},
                               env);
        QCOMPARE(capped.exitCode, 3);
        QVERIFY2(capped.err.contains("token budget of 1 is reached") &&
                     capped.err.contains("--budget-tokens N|none"),
                 capped.err.constData());
        Crosstalk::SessionStore store;
        QVERIFY(store.open(data + u"/crosstalk/crosstalk.sqlite"_s));
        const auto listed = store.listSessions();
        QVERIFY(listed && listed->sessions.size() == 1);
        const QUuid uuid = listed->sessions.first().id;
        const QString id = uuid.toString(QUuid::WithoutBraces);
        const qsizetype requests = m_server.requests().size();

        const Run same = command({u"resume"_s, id, u"--quiet"_s}, env);
        QCOMPARE(same.exitCode, 3);
        QVERIFY2(same.err.contains("token budget of 1 is reached"), same.err.constData());
        QCOMPARE(m_server.requests().size(), requests);
        const Run bad = command({u"resume"_s, id, u"--budget-tokens"_s, u"lots"_s}, env);
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("--budget-tokens"), bad.err.constData());

        const Run resumed =
            command({u"resume"_s, id, u"--budget-tokens"_s, u"none"_s, u"--quiet"_s}, env);
        QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
        const auto stored = store.loadSession(uuid);
        QVERIFY(stored);
        QCOMPARE(stored->status, Crosstalk::SessionStatus::Completed);
        QCOMPARE(stored->options.budgetTokens, std::nullopt);

        const Run unpriced = run(
            {u"--models"_s, u"big,small"_s, u"--budget-cost"_s, u"1"_s, u"--topic"_s, u"Caps"_s},
            {{u"XDG_DATA_HOME"_s, data}, {u"OPENAI_BASE_URL"_s, u"http://llm.invalid/v1"_s}});
        QCOMPARE(unpriced.exitCode, 2);
        QVERIFY2(unpriced.err.contains("big (model gpt-4o at llm.invalid)"),
                 unpriced.err.constData());
    }

    // --sampling gives one participant its own sampling; the other keeps its model's.
    void samplingFlag()
    {
        const Run r = run({u"--models"_s, u"big,small"_s, u"--rounds"_s, u"1"_s, u"--sampling"_s,
                           u"big:temperature=0.25,max_tokens=321"_s, u"--quiet"_s});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(m_server.requests().size(), 2);
        for (const RecordedRequest &request : m_server.requests()) {
            const bool big = request.json[u"model"_s].toString() == u"gpt-4o"_s;
            QCOMPARE(request.json.contains(u"temperature"_s), big);
            if (big) {
                QCOMPARE(request.json[u"temperature"_s].toDouble(), 0.25);
                QCOMPARE(request.json[u"max_tokens"_s].toInt(), 321);
            }
        }
        for (const QString &bad :
             {u"nobody:temperature=1"_s, u"big:temperature=5"_s, u"big:warmth=1"_s, u"big"_s}) {
            const Run refused = run({u"--models"_s, u"big,small"_s, u"--sampling"_s, bad});
            QCOMPARE(refused.exitCode, 2);
            QVERIFY2(refused.err.contains("--sampling"), refused.err.constData());
        }
    }

    // The old tool's quick run: its flags, its defaults.
    void oldFlagsRunLikeTheOldTool()
    {
        QFile alice(m_dir.filePath(u"alice.txt"_s));
        QVERIFY(alice.open(QIODevice::WriteOnly));
        alice.write("You are Alice, a careful debater.");
        alice.close();
        QProcess process;
        configure(process, {});
        process.start(QStringLiteral(CROSSTALK_EXECUTABLE),
                      {u"--crosstalk"_s, u"big,small"_s, u"--crosstalk-paradigm"_s, u"debate"_s,
                       u"--crosstalk-iterations"_s, u"2"_s, u"--crosstalk-topic=T"_s,
                       u"--system-prompt-big"_s, u"path:alice.txt"_s});
        QTRY_COMPARE_WITH_TIMEOUT(process.state(), QProcess::NotRunning, 30000);
        QCOMPARE(process.exitCode(), 0);
        const QByteArray out = process.readAllStandardOutput();
        QVERIFY(out.contains("── Round 2 of 2 ──"));
        const QList<RecordedRequest> requests = m_server.requests();
        QCOMPARE(requests.size(), 4);
        QCOMPARE(requests.first().json[u"messages"_s].toArray().first()[u"content"_s].toString(),
                 u"You are Alice, a careful debater."_s);

        // Like the old tool, it saved crosstalk_{paradigm}_{YYYYmmdd_HHMMSS}.json here, in
        // the old layout, and said where.
        const QStringList saved =
            QDir(m_dir.path()).entryList({u"crosstalk_debate_*.json"_s}, QDir::Files);
        QCOMPARE(saved.size(), 1);
        static const QRegularExpression name(u"^crosstalk_debate_\\d{8}_\\d{6}\\.json$"_s);
        QVERIFY2(name.match(saved.first()).hasMatch(), qPrintable(saved.first()));
        const QByteArray where =
            QByteArray("Saved the conversation to ") + m_dir.filePath(saved.first()).toUtf8();
        QVERIFY(process.readAllStandardError().contains(where));
        QFile file(m_dir.filePath(saved.first()));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject legacy = QJsonDocument::fromJson(file.readAll()).object();
        QCOMPARE(legacy[u"paradigm"_s].toString(), u"debate"_s);
        QCOMPARE(legacy[u"conversation"_s].toArray().size(), 4);
        QVERIFY(legacy.contains(u"duration_seconds"_s));
        file.remove();
    }

    // The old tool's --crosstalk-init runs the wizard, with or without a display.
    void oldInitFlagRunsTheWizard()
    {
        QProcess process;
        configure(process, {});
        process.start(QStringLiteral(CROSSTALK_EXECUTABLE), {u"--crosstalk-init"_s});
        process.write("big,small\nmemory\n1\nInit topic\n\n\nn\ninit.yaml\ny\n");
        process.closeWriteChannel();
        QTRY_COMPARE_WITH_TIMEOUT(process.state(), QProcess::NotRunning, 30000);
        const QByteArray err = process.readAllStandardError();
        QVERIFY2(process.exitCode() == 0, err.constData());
        QCOMPARE(m_server.requests().size(), 2);
        QVERIFY(QFile::exists(m_dir.filePath(u"init.yaml"_s)));
    }

    void presetFileLoadsForReal()
    {
        QFile bob(m_dir.filePath(u"bob.md"_s));
        QVERIFY(bob.open(QIODevice::WriteOnly));
        bob.write("You are Bob, who doubts everything.");
        bob.close();
        QFile preset(m_dir.filePath(u"preset.yaml"_s));
        QVERIFY(preset.open(QIODevice::WriteOnly));
        preset.write("models: [big, small]\n"
                     "system_prompts: {small: \"path:bob.md\"}\n"
                     "paradigm: relay\n"
                     "iterations: 2\n"
                     "topic: \"What will be AI's biggest challenges?\"\n");
        preset.close();
        const Run r = run({u"--config"_s, u"preset.yaml"_s, u"--json"_s});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject doc = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(doc[u"rounds"_s].toInt(), 2);
        QCOMPARE(doc[u"topic"_s].toString(), u"What will be AI's biggest challenges?"_s);
        QCOMPARE(doc[u"participants"_s].toArray()[1][u"persona"_s].toString(),
                 u"You are Bob, who doubts everything."_s);

        // The old tool's documented (and never built) flag loads it too.
        QProcess old;
        configure(old, {});
        old.start(QStringLiteral(CROSSTALK_EXECUTABLE),
                  {u"--crosstalk-config"_s, u"preset.yaml"_s, u"--json"_s});
        QTRY_COMPARE_WITH_TIMEOUT(old.state(), QProcess::NotRunning, 30000);
        QCOMPARE(old.exitCode(), 0);
        QCOMPARE(QJsonDocument::fromJson(old.readAllStandardOutput()).object()[u"topic"_s],
                 doc[u"topic"_s]);

        // Flags override the preset.
        const Run overridden =
            run({u"--config"_s, u"preset.yaml"_s, u"--rounds"_s, u"1"_s, u"--json"_s});
        QCOMPARE(QJsonDocument::fromJson(overridden.out).object()[u"rounds"_s].toInt(), 1);

        QVERIFY(preset.open(QIODevice::WriteOnly | QIODevice::Truncate));
        preset.write("models: [big, small]\nrounds: 2\niterations: 3\n");
        preset.close();
        const Run bad = run({u"--config"_s, u"preset.yaml"_s});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("iterations"), bad.err.constData());
    }

    // A store of an older schema is updated at the first command that opens it, which says so.
    void updatesAnOlderStoreAndSaysSo()
    {
        const QString dataHome = m_dir.filePath(u"older-data"_s);
        QVERIFY(QDir().mkpath(dataHome + u"/crosstalk"_s));
        const QString path = dataHome + u"/crosstalk/crosstalk.sqlite"_s;
        QFile::remove(path);
        QVERIFY(QFile::copy(QStringLiteral(CROSSTALK_TEST_DATA_DIR "/store-v1.sqlite"), path));
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
        const auto list = [&] {
            QProcess process;
            configure(process, {{u"XDG_DATA_HOME"_s, dataHome}});
            process.start(QStringLiteral(CROSSTALK_EXECUTABLE), {u"list"_s});
            process.waitForFinished(30000);
            return Run{process.exitCode(), process.readAllStandardOutput(),
                       process.readAllStandardError()};
        };
        const Run first = list();
        QCOMPARE(first.exitCode, 0);
        QVERIFY2(first.err.contains("updating the session store"), first.err.constData());
        // The two sessions of the fixture (tests/data/store-v1.json).
        QVERIFY2(first.out.contains("d8bb7189-34ea-4d5b-9c74-5bcbdcb3b922") &&
                     first.out.contains("2fcbe416-7d77-43bb-b680-f59e69606e8f"),
                 first.out.constData());
        const Run second = list();
        QCOMPARE(second.exitCode, 0);
        QVERIFY2(!second.err.contains("updating"), second.err.constData());
        QCOMPARE(second.out, first.out);
    }

    void listShowImport()
    {
        const Run r = run({u"--models"_s, u"big,small"_s, u"--rounds"_s, u"1"_s, u"--topic"_s,
                           u"Stored topic"_s, u"--out"_s, u"stored.json"_s});
        QCOMPARE(r.exitCode, 0);
        const QString id = document(u"stored.json"_s)[u"id"_s].toString();
        const auto command = [&](const QStringList &arguments) {
            QProcess process;
            configure(process, {});
            process.start(QStringLiteral(CROSSTALK_EXECUTABLE), arguments);
            process.waitForFinished(30000);
            return Run{process.exitCode(), process.readAllStandardOutput(),
                       process.readAllStandardError()};
        };
        const Run list = command({u"list"_s});
        QCOMPARE(list.exitCode, 0);
        QVERIFY(list.out.contains(id.toUtf8()));
        QVERIFY(list.out.contains("Stored topic"));
        const Run show = command({u"show"_s, id});
        QCOMPARE(show.exitCode, 0);
        QVERIFY(show.out.contains("Topic: Stored topic"));
        const Run json = command({u"show"_s, id, u"--json"_s});
        QCOMPARE(QJsonDocument::fromJson(json.out).object(), document(u"stored.json"_s));
        QCOMPARE(command({u"show"_s, QUuid::createUuid().toString(QUuid::WithoutBraces)}).exitCode,
                 4);
        QCOMPARE(command({u"import"_s, u"stored.json"_s}).exitCode, 2); // already there
        QCOMPARE(command({u"export"_s, id, u"--out"_s, u"stored.md"_s}).exitCode, 0);
        QFile markdown(m_dir.filePath(u"stored.md"_s));
        QVERIFY(markdown.open(QIODevice::ReadOnly));
        QVERIFY(markdown.readAll().contains("Stored topic"));
        QCOMPARE(command({u"export"_s, id, u"--out"_s, u"x.doc"_s}).exitCode, 2);

        // A document from elsewhere imports, and shows the same.
        QJsonObject doc = document(u"stored.json"_s);
        const QString newId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        doc[u"id"_s] = newId;
        QJsonArray messages = doc[u"messages"_s].toArray();
        for (qsizetype i = 0; i < messages.size(); ++i) {
            QJsonObject m = messages[i].toObject();
            m[u"session_id"_s] = newId;
            m[u"id"_s] = QUuid::createUuid().toString(QUuid::WithoutBraces);
            messages[i] = m;
        }
        doc[u"messages"_s] = messages;
        QFile file(m_dir.filePath(u"other.json"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QJsonDocument(doc).toJson());
        file.close();
        const Run imported = command({u"import"_s, u"other.json"_s});
        QCOMPARE(imported.exitCode, 0);
        QCOMPARE(imported.out.trimmed(), newId.toUtf8());
        QCOMPARE(QJsonDocument::fromJson(command({u"show"_s, newId, u"--json"_s}).out).object(),
                 doc);

        QFile broken(m_dir.filePath(u"broken.json"_s));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write(R"({"format_version": 1, "topic": 5})");
        broken.close();
        const Run refused = command({u"import"_s, u"broken.json"_s});
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.err.contains("topic"), refused.err.constData());
    }

    void wizardThroughStdin()
    {
        QProcess process;
        configure(process, {});
        process.start(QStringLiteral(CROSSTALK_EXECUTABLE), {u"init"_s});
        // Models, an unknown paradigm then a known one, a bad round count then a good one,
        // the topic, two default personas, no answer mode, a preset file, run now.
        process.write("big,small\nchaos\nmemory\n0\n2\nWizard topic\n\n\nn\nwizard.yaml\ny\n");
        process.closeWriteChannel();
        QTRY_COMPARE_WITH_TIMEOUT(process.state(), QProcess::NotRunning, 30000);
        const QByteArray err = process.readAllStandardError();
        QVERIFY2(process.exitCode() == 0, err.constData());
        QVERIFY(err.contains("Unknown paradigm 'chaos'"));
        QVERIFY(err.contains("from 1 to 100"));
        QVERIFY(process.readAllStandardOutput().contains("── Round 2 of 2 ──"));
        QCOMPARE(m_server.requests().size(), 4);

        // The saved preset runs the same session again.
        m_server.clearRequests();
        const Run again = run({u"--config"_s, u"wizard.yaml"_s, u"--json"_s});
        QCOMPARE(again.exitCode, 0);
        const QJsonObject doc = QJsonDocument::fromJson(again.out).object();
        QCOMPARE(doc[u"paradigm"_s].toString(), u"memory"_s);
        QCOMPARE(doc[u"topic"_s].toString(), u"Wizard topic"_s);
        QCOMPARE(m_server.requests().size(), 4);
    }

    void interruptKeepsWhatWasSaid()
    {
        m_server.setTiming({5, 5, 20}); // slow enough to interrupt mid-reply
        QProcess process;
        configure(process, {});
        process.start(QStringLiteral(CROSSTALK_EXECUTABLE),
                      {u"run"_s, u"--models"_s, u"big,small"_s, u"--rounds"_s, u"5"_s, u"--out"_s,
                       u"stopped.json"_s});
        const auto replying = [this] {
            const QList<RecordedRequest> requests = m_server.requests();
            return std::any_of(requests.cbegin(), requests.cend(),
                               [](const RecordedRequest &r) { return r.firstTokenMs >= 0; });
        };
        QTRY_VERIFY_WITH_TIMEOUT(replying(), 10000);
        QVERIFY(process.processId() > 0); // kill(0) would signal the test's own group
        ::kill(pid_t(process.processId()), SIGINT);
        QTRY_COMPARE_WITH_TIMEOUT(process.state(), QProcess::NotRunning, 10000);
        m_server.setTiming({5, 5, 0});
        QCOMPARE(process.exitCode(), 130);
        const QJsonObject doc = document(u"stopped.json"_s);
        QCOMPARE(doc[u"status"_s].toString(), u"cancelled"_s);
        QVERIFY(!doc[u"messages"_s].toArray().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestRunCommand)
#include "tst_runcommand.moc"
