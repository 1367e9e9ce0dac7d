// SPDX-License-Identifier: GPL-3.0-or-later
// Transcript export in every format, against golden files of one fixed session.
//
// The golden files are tests/data/export/session.*. After an intended change of a format,
// regenerate them with CROSSTALK_UPDATE_GOLDEN=1 build/dev/bin/tst_export and review the diff.
#include "conversation/sessiondocument.h"
#include "export/exporter.h"
#include "export/markdownhtml.h"

#include "pdftext.h"

#include <QBuffer>
#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace Crosstalk;

namespace {

// Only a request record holds this, so it shows where requests leak.
const auto requestMarker = u"REQUEST-ONLY-d41d8cd9"_s;

QDateTime at(int seconds)
{
    return QDateTime(QDate(2026, 11, 25), QTime(14, 3, 7, 125), QTimeZone::UTC).addSecs(seconds);
}

QUuid uuid(int n)
{
    return QUuid::fromString(u"6f1c2a4e-8b0d-4c3e-9a57-%1"_s.arg(n, 12, 10, QChar(u'0')));
}

// Everything a transcript can hold: Unicode (emoji, joined emoji, Hebrew and Arabic), Markdown
// with a fenced code block, a link and an image, raw HTML, a human and a moderator message, a
// failed and a partial reply (cut inside a code block), answer mode, and the demo model.
Session fixedSession()
{
    Session s;
    s.id = uuid(1);
    s.title = u"The answer 🦜"_s;
    s.topic =
        u"Is 6 × 7 = 42? 🤔\nשלום — مرحبا — 👩‍👩‍👧 families welcome"_s;
    s.paradigm = Paradigm::Debate;
    s.rounds = 3;
    s.status = SessionStatus::Completed;
    s.options.answerMode = true;
    s.options.schedule = Schedule::Sequential;
    s.participants = {
        Participant{u"Ada"_s, u"big"_s, u"You are Ada."_s, u"path:ada.md"_s, QColor(0x3daee9), {}},
        Participant{u"נועה"_s, u"demo"_s, u"أنت ناقد 🧐"_s, QString(), QColor(0xda4453), {}},
        Participant{u"Judge 🧑‍⚖️"_s,
                    u"small"_s,
                    u"Weigh both sides."_s,
                    QString(),
                    QColor(0x27ae60),
                    {}},
    };
    const ModelRef big{u"big"_s, u"gpt-4o"_s, ApiKind::OpenAI};
    const ModelRef demo{u"demo"_s, u"demo"_s, ApiKind::Demo};
    const ModelRef small{u"small"_s, u"gpt-4o-mini"_s, ApiKind::OpenAI};

    const auto add = [&s](int round, const QString &speaker, MessageType type,
                          const QString &content, std::optional<ModelRef> model) -> Message & {
        Message m;
        m.seq = int(s.messages.size());
        m.id = uuid(100 + m.seq);
        m.sessionId = s.id;
        m.round = round;
        m.speaker = speaker;
        m.type = type;
        m.content = content;
        m.model = model;
        m.createdAt = at(m.seq);
        for (const Participant &p : s.participants) {
            if (p.name != speaker) {
                m.recipients.append(p.name);
            }
        }
        if (model) {
            m.usage = Usage{100 + m.seq, 20 + m.seq, false, 0.001};
            m.ttftMs = 150;
            m.durationMs = 800;
            m.request = QJsonObject{
                {u"model"_s, model->modelId},
                {u"messages"_s,
                 QJsonArray{QJsonObject{{u"role"_s, u"system"_s}, {u"content"_s, requestMarker}}}},
            };
        }
        s.messages.append(m);
        return s.messages.last();
    };

    Message &opening =
        add(0, u"Ada"_s, MessageType::Opening,
            u"Yes: **6 × 7 = 42**. ✅ See [the reference](https://en.cppreference.com)"
            " and ![a chart](https://example.com/chart.png), not "
            "[this](javascript:alert(1)).\n\n```cpp\n"
            "int main() { return 6 * 7; } // \"42\" & <more>\n```\n\n"
            "The answer is 42."_s,
            big);
    opening.answer = u"42"_s;
    Message &edited =
        add(0, u"נועה"_s, MessageType::Opening, u"כן, זה 42. نعم.\n\nThe answer is 42."_s, demo);
    edited.answer = u"42"_s;
    // A person replaced the model's text: exports say so and name the model only as its
    // first author.
    edited.originalContent = u"כן. The answer is 41."_s;
    edited.editedAt = at(40);
    add(0, u"Judge 🧑‍⚖️"_s, MessageType::Opening,
        u"Let us see. <script>alert('x')</script> The answer is 41."_s, small)
        .answer = u"41"_s;
    add(1, QString(Message::humanSpeaker), MessageType::Human, u"Show your work 🙏"_s,
        std::nullopt);
    add(1, QString(Message::moderatorSpeaker), MessageType::Moderator, u"נועה"_s, big);
    Message &partial = add(1, u"נועה"_s, MessageType::Exchange,
                           u"7+7+7+7+7+7 = 42\n\n```python\nprint(6 *"_s, demo);
    partial.status = MessageStatus::Partial;
    partial.error = u"connection reset by peer"_s;
    Message &failed = add(1, u"Ada"_s, MessageType::Exchange, QString(), big);
    failed.status = MessageStatus::Failed;
    failed.error = u"HTTP 503: upstream overloaded"_s;
    Message &verdict =
        add(2, u"Judge 🧑‍⚖️"_s, MessageType::Verdict, u"The answer is **42**."_s, small);
    verdict.answer = u"42"_s;
    verdict.confidence = 0.5;

    s.result = Result{u"42"_s, 2};
    s.usage = Usage{828, 188, false, 0.007};
    s.createdAt = at(0);
    s.updatedAt = at(60);
    return s;
}

QByteArray exported(const Session &session, ExportFormat format)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    const auto error = Exporter::write(session, format, buffer);
    if (error) {
        qWarning() << error->message;
        return {};
    }
    return buffer.data();
}

QString goldenPath(ExportFormat format)
{
    const QString name = format == ExportFormat::LegacyJson
                             ? u"session.legacy.json"_s
                             : u"session."_s + Exporter::fileExtension(format);
    return QStringLiteral(CROSSTALK_TEST_DATA_DIR) + u"/export/"_s + name;
}

// The first line that differs, for a readable failure.
QString firstDifference(const QByteArray &actual, const QByteArray &expected)
{
    const QList<QByteArray> a = actual.split('\n');
    const QList<QByteArray> e = expected.split('\n');
    for (qsizetype i = 0; i < std::max(a.size(), e.size()); ++i) {
        if (a.value(i) != e.value(i)) {
            return u"line %1:\n  actual:   %2\n  expected: %3"_s.arg(i + 1).arg(
                QString::fromUtf8(a.value(i)), QString::fromUtf8(e.value(i)));
        }
    }
    return QString();
}

} // namespace

class TestExport : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    // The text a reader gets from each format, PDF included.
    QString readableText(ExportFormat format)
    {
        const Session session = fixedSession();
        if (format != ExportFormat::Pdf) {
            return QString::fromUtf8(exported(session, format));
        }
        const QString path = m_dir.filePath(u"readable.pdf"_s);
        if (const auto error = Exporter::writeFile(session, format, path)) {
            return error->message;
        }
        return Test::comparable(Test::pdfText(path));
    }

private slots:
    void formatByName_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<std::optional<ExportFormat>>("format");
        QTest::newRow("md") << u"md"_s << std::optional(ExportFormat::Markdown);
        QTest::newRow("html") << u"html"_s << std::optional(ExportFormat::Html);
        QTest::newRow("pdf") << u"pdf"_s << std::optional(ExportFormat::Pdf);
        QTest::newRow("txt") << u"txt"_s << std::optional(ExportFormat::Text);
        QTest::newRow("json") << u"json"_s << std::optional(ExportFormat::SessionDocument);
        QTest::newRow("legacy-json") << u"legacy-json"_s << std::optional(ExportFormat::LegacyJson);
        QTest::newRow("markdown is an extension, not a name")
            << u"markdown"_s << std::optional<ExportFormat>();
        QTest::newRow("case matters") << u"PDF"_s << std::optional<ExportFormat>();
        QTest::newRow("empty") << QString() << std::optional<ExportFormat>();
    }

    void formatByName()
    {
        QFETCH(QString, name);
        QFETCH(std::optional<ExportFormat>, format);
        QCOMPARE(Exporter::formatFromName(name), format);
        if (format) {
            QCOMPARE(enumToString(*format), name);
        }
    }

    void formatByPath_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<std::optional<ExportFormat>>("format");
        QTest::newRow(".md") << u"out/t.md"_s << std::optional(ExportFormat::Markdown);
        QTest::newRow(".markdown") << u"t.markdown"_s << std::optional(ExportFormat::Markdown);
        QTest::newRow(".html") << u"t.html"_s << std::optional(ExportFormat::Html);
        QTest::newRow(".htm") << u"t.HTM"_s << std::optional(ExportFormat::Html);
        QTest::newRow(".pdf") << u"/tmp/a.b/t.pdf"_s << std::optional(ExportFormat::Pdf);
        QTest::newRow(".txt") << u"t.txt"_s << std::optional(ExportFormat::Text);
        QTest::newRow(".json is the session document")
            << u"t.JSON"_s << std::optional(ExportFormat::SessionDocument);
        QTest::newRow("unknown") << u"t.docx"_s << std::optional<ExportFormat>();
        QTest::newRow("no extension") << u"transcript"_s << std::optional<ExportFormat>();
        QTest::newRow("a dot in the folder only")
            << u"a.md/transcript"_s << std::optional<ExportFormat>();
    }

    void formatByPath()
    {
        QFETCH(QString, path);
        QFETCH(std::optional<ExportFormat>, format);
        QCOMPARE(Exporter::formatFromPath(path), format);
    }

    void matchesTheGoldenFile_data()
    {
        QTest::addColumn<ExportFormat>("format");
        for (const auto &entry : EnumTraits<ExportFormat>::names) {
            // PDF bytes carry the creation time and font subsets; its text is checked below.
            if (entry.value != ExportFormat::Pdf) {
                QTest::newRow(entry.name.data()) << entry.value;
            }
        }
    }

    void matchesTheGoldenFile()
    {
        QFETCH(ExportFormat, format);
        const QByteArray actual = exported(fixedSession(), format);
        QVERIFY(!actual.isEmpty());
        QFile golden(goldenPath(format));
        if (qEnvironmentVariableIsSet("CROSSTALK_UPDATE_GOLDEN")) {
            QVERIFY(golden.open(QIODevice::WriteOnly | QIODevice::Truncate));
            golden.write(actual);
            QSKIP("golden file written");
        }
        QVERIFY2(golden.open(QIODevice::ReadOnly), qPrintable(golden.fileName()));
        const QByteArray expected = golden.readAll();
        QVERIFY2(actual == expected, qPrintable(firstDifference(actual, expected)));
    }

    void carriesTheWholeTranscript_data()
    {
        QTest::addColumn<ExportFormat>("format");
        QTest::newRow("md") << ExportFormat::Markdown;
        QTest::newRow("html") << ExportFormat::Html;
        QTest::newRow("pdf") << ExportFormat::Pdf;
        QTest::newRow("txt") << ExportFormat::Text;
    }

    void carriesTheWholeTranscript()
    {
        QFETCH(ExportFormat, format);
        if (format == ExportFormat::Pdf && Test::pdftotext().isEmpty()) {
            QSKIP("pdftotext (poppler-utils) is not installed");
        }
        const QString text = readableText(format);
        const QStringList expected{
            u"Is 6 × 7 = 42?"_s,
            u"Paradigm"_s,
            u"debate"_s,
            u"Ada"_s,
            u"נועה"_s,
            u"Judge"_s,
            u"Human"_s,
            u"Moderator"_s,
            u"big (gpt-4o)"_s,
            u"Demo (offline, scripted)"_s,
            u"small (gpt-4o-mini)"_s,
            u"2026-11-25 14:03:07 UTC"_s,
            u"Round 1 of 3"_s,
            u"Round 2 of 3"_s,
            u"Round 3 of 3"_s,
            u"14:03:14"_s,
            u"answer: 42"_s,
            u"confidence 50%"_s,
            u"42 (2 votes)"_s,
            u"failed: HTTP 503: upstream overloaded"_s,
            u"partial: connection reset by peer"_s,
            u"verdict"_s,
            u"first written by Demo (offline, scripted)"_s,
            u"edited 2026-11-25 14:03:47 UTC"_s,
        };
        for (const QString &piece : expected) {
            QVERIFY2(text.contains(piece), qPrintable(piece + u" missing from:\n"_s + text));
        }
    }

    void pdfHasEverySpeakerAndTheTopic()
    {
        if (Test::pdftotext().isEmpty()) {
            QSKIP("pdftotext (poppler-utils) is not installed");
        }
        const QString text = readableText(ExportFormat::Pdf);
        const Session session = fixedSession();
        // Bidirectional text comes out in the order pdftotext picks, so the topic is checked
        // word by word (its left-to-right first line whole).
        const QString firstLine =
            Test::printableWords(session.topic.section(u'\n', 0, 0)).join(u' ');
        QVERIFY2(text.contains(firstLine), qPrintable(firstLine + u" missing from:\n"_s + text));
        QStringList words = Test::printableWords(QString(session.topic).replace(u'\n', u' '));
        for (const Participant &p : session.participants) {
            words += Test::printableWords(p.name);
        }
        for (const QString &word : std::as_const(words)) {
            QVERIFY2(text.contains(word), qPrintable(word + u" missing from:\n"_s + text));
        }
        QVERIFY2(text.contains(u"int main() { return 6 * 7; }"_s), qPrintable(text));
    }

    void pdfLinksOnlyToTheWeb()
    {
        QBuffer pdf;
        pdf.open(QIODevice::WriteOnly);
        QCOMPARE(Exporter::write(fixedSession(), ExportFormat::Pdf, pdf), std::nullopt);
        QVERIFY(pdf.data().startsWith("%PDF-"));
        QVERIFY(pdf.data().contains("/URI (https://en.cppreference.com)"));
        QVERIFY(!pdf.data().contains("javascript:"));
    }

    void onlyTheSessionDocumentCarriesRequests_data()
    {
        QTest::addColumn<ExportFormat>("format");
        for (const auto &entry : EnumTraits<ExportFormat>::names) {
            QTest::newRow(entry.name.data()) << entry.value;
        }
    }

    void onlyTheSessionDocumentCarriesRequests()
    {
        QFETCH(ExportFormat, format);
        if (format == ExportFormat::Pdf && Test::pdftotext().isEmpty()) {
            QSKIP("pdftotext (poppler-utils) is not installed");
        }
        const QString text = readableText(format);
        QVERIFY2(text.contains(u"Ada"_s), qPrintable(text)); // the export worked
        QCOMPARE(text.contains(requestMarker), format == ExportFormat::SessionDocument);
    }

    void sessionDocumentRoundTrips()
    {
        const Session session = fixedSession();
        const Parsed<Session> read =
            SessionDocument::read(exported(session, ExportFormat::SessionDocument));
        QVERIFY2(read, read.errors.isEmpty() ? "" : qPrintable(read.errors.first().toString()));
        QCOMPARE(*read.value, session);
    }

    void htmlIsSelfContained()
    {
        const QString html = QString::fromUtf8(exported(fixedSession(), ExportFormat::Html));
        // Nothing is loaded from anywhere: no external style sheets, scripts, fonts or images.
        for (const auto *pattern :
             {"<link\\b", "<script\\b", "<iframe\\b", "<object\\b", "<img\\b",
              "\\bsrc\\s*=", "@import", "url\\s*\\(", "<(?!a\\s)[a-z]+\\b[^>]*\\bhref\\s*="}) {
            const QRegularExpression re(QString::fromLatin1(pattern),
                                        QRegularExpression::CaseInsensitiveOption);
            QVERIFY2(!html.contains(re), pattern);
        }
        // Links a participant wrote stay clickable, but only to web and mail addresses.
        const QRegularExpression href(u"<a [^>]*href=\"([^\"]*)\""_s);
        QStringList targets;
        for (const auto &match : href.globalMatch(html)) {
            targets << match.captured(1);
        }
        QCOMPARE(targets, (QStringList{u"https://en.cppreference.com"_s,
                                       u"https://example.com/chart.png"_s}));
        QVERIFY(html.contains(u"<a>this</a>"_s));
        // Should anything get past the escaping, the browser is told to run and load nothing.
        QVERIFY(html.contains(
            u"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">"_s));
    }

    void htmlEscapesWhatUsersAndModelsWrote()
    {
        Session session = fixedSession();
        session.title = u"<b>bold</b> & \"quoted\""_s;
        session.participants[0].name = u"<i>Ada</i>"_s;
        session.messages[0].speaker = session.participants[0].name;
        session.messages[0].error = u"<img src=x onerror=alert(1)>"_s;
        session.messages[0].status = MessageStatus::Partial;
        const QString html = QString::fromUtf8(exported(session, ExportFormat::Html));
        QVERIFY(html.contains(u"&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;"_s));
        QVERIFY(html.contains(u"&lt;i&gt;Ada&lt;/i&gt;"_s));
        QVERIFY(!html.contains(u"<i>Ada"_s));
        QVERIFY(html.contains(u"&lt;img src=x onerror=alert(1)&gt;"_s));
        // Raw HTML in a message is shown, not run.
        QVERIFY(html.contains(u"&lt;script&gt;alert('x')&lt;/script&gt;"_s));
    }

    void htmlHighlightsCode()
    {
        const QString html = QString::fromUtf8(exported(fixedSession(), ExportFormat::Html));
        const qsizetype start = html.indexOf(u"<pre><code class=\"language-cpp\">"_s);
        QVERIFY(start >= 0);
        const QString block = html.sliced(start, html.indexOf(u"</pre>"_s, start) - start);
        QVERIFY2(block.contains(u"<span class=\"hl-datatype\">int</span>"_s), qPrintable(block));
        QVERIFY2(block.contains(u"<span class=\"hl-comment\">// &quot;42&quot; &amp; "
                                "&lt;more&gt;</span>"_s),
                 qPrintable(block));
        // The classes are coloured for both light and dark readers.
        QVERIFY(html.contains(u".hl-comment{color:"_s));
        QVERIFY(html.contains(u"@media (prefers-color-scheme: dark)"_s));
    }

    void htmlWithoutCodeSkipsTheHighlightingStyles()
    {
        Session session = fixedSession();
        session.messages[0].content = u"No code."_s;
        session.messages[5].content = u"None here either."_s;
        const QString html = QString::fromUtf8(exported(session, ExportFormat::Html));
        QVERIFY(!html.contains(u".hl-"_s));
        QVERIFY(html.contains(u"@media (prefers-color-scheme: dark)"_s));
    }

    void markdownClosesACodeBlockCutShort()
    {
        const QByteArray markdown = exported(fixedSession(), ExportFormat::Markdown);
        QByteArray html;
        MarkdownHtml::render(QString::fromUtf8(markdown), html);
        // The partial reply stopped inside a ```python block; what follows must not be code.
        QVERIFY2(html.contains("<em>(partial: connection reset by peer)</em>"), html.constData());
        QVERIFY(html.contains("<h2>Round 3 of 3</h2>"));
    }

    void writeFileReplacesAtomically()
    {
        const QString path = m_dir.filePath(u"t.md"_s);
        QFile old(path);
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write("old content");
        old.close();
        QCOMPARE(Exporter::writeFile(fixedSession(), ExportFormat::Markdown, path), std::nullopt);
        QFile written(path);
        QVERIFY(written.open(QIODevice::ReadOnly));
        QCOMPARE(written.readAll(), exported(fixedSession(), ExportFormat::Markdown));
    }

    void writeFileNamesThePathOnFailure()
    {
        const QString path = m_dir.filePath(u"no/such/folder/t.md"_s);
        const auto error = Exporter::writeFile(fixedSession(), ExportFormat::Markdown, path);
        QVERIFY(error);
        QVERIFY2(error->message.contains(path), qPrintable(error->message));
        QVERIFY(!QFile::exists(path));
    }
};

QTEST_MAIN(TestExport)
#include "tst_export.moc"
