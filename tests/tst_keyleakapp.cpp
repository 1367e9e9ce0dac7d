// SPDX-License-Identifier: GPL-3.0-or-later
// QUALITY.md R9 and R12 for the whole application: a recognisable key used by real
// `crosstalk` processes — successful runs, a provider that echoes the key in its error, whole
// or in pieces, across the cut of a long message, exports, the store commands — appears in no
// file of the data and config folders (the SQLite -wal file included), no export and no output
// of any process: not even 8 characters of it.
#include "fakellmserver.h"

#include <QDirIterator>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Crosstalk::Fake;

namespace {
// No word of ordinary output ("crosstalk", a path) shares 8 characters with it.
const QByteArray kKey = "sk-proj-LEAKCHECK-7f3a9c2e51d84b06";

// The first piece of 8 characters of the key in `bytes`, or an empty array.
QByteArray keyPieceIn(const QByteArray &bytes)
{
    for (qsizetype i = 0; i + 8 <= kKey.size(); ++i) {
        if (bytes.contains(kKey.sliced(i, 8)))
            return kKey.sliced(i, 8);
    }
    return {};
}
} // namespace

class TestKeyLeakApp : public QObject
{
    Q_OBJECT

private:
    FakeLlmServer m_server;
    QTemporaryDir m_dir;
    QByteArray m_output; // everything every process printed

    int crosstalk(const QStringList &arguments)
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"OPENAI_BASE_URL"_s, m_server.baseUrl().toString() + u"/v1"_s);
        env.insert(u"OPENAI_API_KEY"_s, QString::fromLatin1(kKey));
        env.insert(u"MAX_RETRIES"_s, u"0"_s);
        env.insert(u"XDG_CONFIG_HOME"_s, m_dir.filePath(u"config"_s));
        env.insert(u"XDG_DATA_HOME"_s, m_dir.filePath(u"data"_s));
        env.insert(u"XDG_CACHE_HOME"_s, m_dir.filePath(u"cache"_s));
        env.remove(u"ANTHROPIC_API_KEY"_s);
        process.setProcessEnvironment(env);
        process.setWorkingDirectory(m_dir.filePath(u"work"_s));
        process.start(QStringLiteral(CROSSTALK_EXECUTABLE), arguments);
        if (!QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, 60000))
            return -1;
        m_output += process.readAllStandardOutput() + process.readAllStandardError();
        return process.exitCode();
    }

private slots:
    void keyAppearsNowhere()
    {
        QVERIFY(m_server.listen());
        QVERIFY(QDir(m_dir.path()).mkpath(u"work"_s));

        // A session that completes, exported to every format.
        QCOMPARE(crosstalk({u"run"_s, u"--models"_s, u"big,small"_s, u"--rounds"_s, u"2"_s,
                            u"--topic"_s, u"Keys"_s, u"--out"_s, u"done.json"_s}),
                 0);
        QCOMPARE(m_server.requests().size(), 4);
        QVERIFY(m_server.requests().first().headers.value("authorization").contains(kKey));
        for (const QString &format : {u"md"_s, u"html"_s, u"pdf"_s, u"txt"_s, u"legacy-json"_s})
            QCOMPARE(crosstalk({u"run"_s, u"--models"_s, u"big,small"_s, u"--rounds"_s, u"1"_s,
                                u"--out"_s, u"export." + format, u"--format"_s, format}),
                     0);

        // A provider that answers 401 with the key in its message: the session pauses.
        m_server.addFaultRule(*FaultRule::parse(u"401"_s, nullptr));
        QCOMPARE(crosstalk({u"run"_s, u"--models"_s, u"big,small"_s, u"--rounds"_s, u"2"_s,
                            u"--out"_s, u"failed.json"_s}),
                 3);
        QVERIFY(m_server.requests().last().reply.contains(QString::fromLatin1(kKey)) ||
                m_output.contains("Incorrect API key"));
        m_server.clearFaultRules();

        // QUALITY.md R12: messages longer than the client's cut of 500 characters, the key or
        // a piece of it placed across the cut (448 dots then the key left all but its last
        // characters in every output), in the middle, or abbreviated.
        const QStringList echoes = {u"key-echo:448"_s, u"key-echo:480"_s, u"key-echo:496:10:12"_s,
                                    u"key-echo:40:5:9"_s, u"key-echo:0:0:8"_s};
        for (qsizetype i = 0; i < echoes.size(); ++i) {
            m_server.addFaultRule(*FaultRule::parse(echoes.at(i), nullptr));
            const qsizetype printedBefore = m_output.size();
            QCOMPARE(crosstalk({u"run"_s, u"--models"_s, u"big,small"_s, u"--rounds"_s, u"1"_s,
                                u"--out"_s, u"echo%1.json"_s.arg(i)}),
                     3);
            const QByteArray printed = m_output.sliced(printedBefore);
            QVERIFY2(keyPieceIn(printed).isEmpty(),
                     qPrintable(echoes.at(i) + u" printed "_s +
                                QString::fromLatin1(keyPieceIn(printed))));
            // The marker, or its start where the message was cut inside it.
            QVERIFY2(printed.contains("[key"), printed.constData());
            m_server.clearFaultRules();
        }

        // The store from the terminal.
        QCOMPARE(crosstalk({u"list"_s, u"--json"_s}), 0);

        QVERIFY2(keyPieceIn(m_output).isEmpty(),
                 QByteArray("a process printed a piece of the key: " + keyPieceIn(m_output))
                     .constData());
        int files = 0;
        QDirIterator it(m_dir.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            QFile file(path);
            QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
            const QByteArray piece = keyPieceIn(file.readAll());
            QVERIFY2(piece.isEmpty(), qPrintable(u"the key's piece %1 is in %2"_s.arg(
                                          QString::fromLatin1(piece), path)));
            ++files;
        }
        // The store, its WAL, the settings folder and the exports were all looked at.
        QVERIFY(QFile::exists(m_dir.filePath(u"data/crosstalk/crosstalk.sqlite"_s)));
        QVERIFY(files >= 8);
    }
};

QTEST_GUILESS_MAIN(TestKeyLeakApp)
#include "tst_keyleakapp.moc"
