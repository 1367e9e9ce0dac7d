// SPDX-License-Identifier: GPL-3.0-or-later
// P10: exporting large sessions. 10,000 messages of about 200 words to Markdown (target
// 0.2 s) and to HTML (0.5 s), 1,000 such messages to PDF (5 s), each through
// Exporter::writeFile into a temporary folder, as the window and `crosstalk run --out` write.
//
// One number for three targets: the value is the worst ratio of a time to its target, so
// the benchmark is ok when the value is at most 1; the note gives the three times.
#include "export/exporter.h"

#include <QDir>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace Qt::StringLiterals;
using namespace Crosstalk;

namespace {

constexpr int wordsPerMessage = 200;
constexpr int participantCount = 5;
constexpr int runs = 3;

[[noreturn]] void fail(const QString &what)
{
    QTextStream(stderr) << "bench_export: " << what << Qt::endl;
    std::exit(1);
}

// Replies as models write them: paragraphs with some emphasis, now and then a list, and a
// fenced code block in every twentieth message, so highlighting is part of the cost.
QString reply(QRandomGenerator &random, int index)
{
    static const QStringList words = [] {
        QStringList list;
        const QStringList syllables{u"ka"_s,  u"lo"_s, u"mi"_s,  u"ren"_s, u"tu"_s, u"sa"_s,
                                    u"vel"_s, u"do"_s, u"qui"_s, u"bar"_s, u"ne"_s, u"fos"_s};
        for (int i = 0; i < 2000; ++i) {
            list << syllables[i % 12] + syllables[(i / 12) % 12] + syllables[(i * 7) % 12];
        }
        return list;
    }();
    QString text;
    int written = 0;
    if (index % 20 == 0) {
        text += u"```cpp\n#include <vector>\n\nint total(const std::vector<int> &values)\n{\n"
                "    int sum = 0; // the running total\n    for (int v : values)\n"
                "        sum += v * 2;\n    return sum;\n}\n```\n\n"_s;
        written += 30;
    }
    while (written < wordsPerMessage) {
        if (random.bounded(12) == 0) {
            text += u"\n- "_s;
        }
        const QString &word = words[random.bounded(words.size())];
        text += random.bounded(25) == 0 ? u"**"_s + word + u"**"_s : word;
        ++written;
        text += written % 70 == 0 ? u".\n\n"_s : (written % 12 == 0 ? u". "_s : u" "_s);
    }
    return text + u"The answer is 42."_s;
}

Session session(int messageCount)
{
    QRandomGenerator random(42);
    Session s;
    s.id = QUuid::createUuid();
    s.topic = u"What will be AI's biggest challenges over the next five years?"_s;
    s.title = Session::titleFromTopic(s.topic);
    s.paradigm = Paradigm::Memory;
    s.options.answerMode = true;
    // More rounds than a session may have: the exporter does not care, and the message count
    // is what is measured.
    s.rounds = messageCount / participantCount;
    s.status = SessionStatus::Completed;
    s.createdAt = QDateTime::currentDateTimeUtc();
    s.updatedAt = s.createdAt;
    for (int i = 0; i < participantCount; ++i) {
        s.participants.append(Participant{u"Speaker %1"_s.arg(i + 1),
                                          u"big"_s,
                                          u"Be brief."_s,
                                          QString(),
                                          Participant::defaultColour(i),
                                          {}});
    }
    s.messages.reserve(messageCount);
    for (int i = 0; i < messageCount; ++i) {
        Message m;
        m.id = QUuid::createUuid();
        m.sessionId = s.id;
        m.seq = i;
        m.round = i / participantCount;
        m.speaker = s.participants[i % participantCount].name;
        m.type = m.round == 0 ? MessageType::Opening : MessageType::Exchange;
        m.content = reply(random, i);
        m.answer = u"42"_s;
        m.confidence = 0.8;
        m.model = ModelRef{u"big"_s, u"gpt-4o"_s, ApiKind::OpenAI};
        m.createdAt = s.createdAt.addSecs(i);
        s.messages.append(m);
    }
    return s;
}

// Best of several runs: the machine's noise only ever adds time.
double bestSeconds(const Session &s, ExportFormat format, const QString &path)
{
    double best = 1e9;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer timer;
        timer.start();
        if (const auto error = Exporter::writeFile(s, format, path)) {
            fail(error->message);
        }
        best = std::min(best, timer.nsecsElapsed() / 1e9);
    }
    return best;
}

} // namespace

int main(int argc, char **argv)
{
    // PDF needs fonts and text layout; no display is needed for them.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    QGuiApplication app(argc, argv);
    if (app.arguments().contains(u"--ids"_s)) {
        std::puts("P10");
        return 0;
    }
    QTemporaryDir dir;
    if (!dir.isValid()) {
        fail(u"no temporary folder"_s);
    }
    const Session large = session(10000);
    const Session medium = session(1000);
    // Warm-up: the syntax definitions and fonts load once per process, as in the app.
    if (const auto error =
            Exporter::writeFile(session(20), ExportFormat::Pdf, dir.filePath(u"warm.pdf"_s))) {
        fail(error->message);
    }
    struct Measure
    {
        QString label;
        double seconds;
        double target;
    };
    const QList<Measure> measures{
        {u"md"_s, bestSeconds(large, ExportFormat::Markdown, dir.filePath(u"t.md"_s)), 0.2},
        {u"html"_s, bestSeconds(large, ExportFormat::Html, dir.filePath(u"t.html"_s)), 0.5},
        {u"pdf"_s, bestSeconds(medium, ExportFormat::Pdf, dir.filePath(u"t.pdf"_s)), 5.0},
    };
    double worst = 0;
    QStringList parts;
    for (const Measure &m : measures) {
        worst = std::max(worst, m.seconds / m.target);
        parts << u"%1 %2 s"_s.arg(m.label).arg(m.seconds, 0, 'f', 3);
        QTextStream(stderr) << "bench_export: " << m.label << ' ' << m.seconds << " s (target "
                            << m.target << " s)" << Qt::endl;
    }
    const QJsonObject p10{
        {u"value"_s, std::round(worst * 100) / 100},
        {u"unit"_s, u"worst time/target"_s},
        {u"target"_s, 1.0},
        {u"ok"_s, worst <= 1.0},
        {u"note"_s, u"%1, %2 (10,000 msgs of ~%3 words, targets 0.2 s / 0.5 s), %4 (1,000 msgs, "
                    "target 5 s); best of %5 runs of Exporter::writeFile after a warm-up; value "
                    "= the largest time/target"_s.arg(parts[0], parts[1])
                        .arg(wordsPerMessage)
                        .arg(parts[2])
                        .arg(runs)},
    };
    std::puts(
        QJsonDocument(QJsonObject{{u"P10"_s, p10}}).toJson(QJsonDocument::Compact).constData());
    return 0;
}
