// SPDX-License-Identifier: GPL-3.0-or-later
#include "persona/persona.h"
#include "persona/placeholders.h"

#include <KSyntaxHighlighting/AbstractHighlighter>
#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Format>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/State>
#include <KSyntaxHighlighting/Theme>

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Crosstalk;

namespace {

// Records the format of every character of the lines it highlights.
class FormatRecorder : public KSyntaxHighlighting::AbstractHighlighter
{
public:
    QList<QString> formatNames;
    QList<QColor> colours;

    void highlight(const QString &line)
    {
        formatNames = QList<QString>(line.size());
        colours = QList<QColor>(line.size());
        m_state = highlightLine(line, m_state);
    }

protected:
    void applyFormat(int offset, int length, const KSyntaxHighlighting::Format &format) override
    {
        for (int i = offset; i < offset + length; ++i) {
            formatNames[i] = format.name();
            colours[i] = format.textColor(theme());
        }
    }

private:
    KSyntaxHighlighting::State m_state;
};

QString repeated(const QString &unit, qsizetype count)
{
    return unit.repeated(count);
}

} // namespace

class TestPersona : public QObject
{
    Q_OBJECT

private slots:
    void parse_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("prompt");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("colour");
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("description");
        QTest::addColumn<int>("warnings");

        QTest::newRow("front matter")
            << QByteArray("---\nname: Alice\ncolour: \"#e07a5f\"\nmodel: big\n"
                          "description: Brainstormer\n---\n\nYou are {{name}}.\n")
            << u"You are {{name}}."_s << u"Alice"_s << u"#e07a5f"_s << u"big"_s << u"Brainstormer"_s
            << 0;
        QTest::newRow("no front matter")
            << QByteArray("You are a careful analyst.\n") << u"You are a careful analyst."_s
            << QString() << QString() << QString() << QString() << 0;
        QTest::newRow("colour name")
            << QByteArray("---\ncolour: teal\n---\nHello there") << u"Hello there"_s << QString()
            << u"#008080"_s << QString() << QString() << 0;
        QTest::newRow("empty front matter")
            << QByteArray("---\n---\nHello there") << u"Hello there"_s << QString() << QString()
            << QString() << QString() << 0;
        QTest::newRow("unknown key is a warning")
            << QByteArray("---\nname: Bob\ntags: [a, b]\n---\nHello there") << u"Hello there"_s
            << u"Bob"_s << QString() << QString() << QString() << 1;
        QTest::newRow("dashes later are text")
            << QByteArray("Intro\n---\nname: x\n---\n") << u"Intro\n---\nname: x\n---"_s
            << QString() << QString() << QString() << QString() << 0;
        QTest::newRow("BOM and CRLF")
            << QByteArray("\xEF\xBB\xBF---\r\nname: Ann\r\n---\r\nLine one\r\nLine two\r\n")
            << u"Line one\nLine two"_s << u"Ann"_s << QString() << QString() << QString() << 0;
        QTest::newRow("UTF-8 text")
            << QByteArray("Tu es Zoë, très précise. 🙂") << u"Tu es Zoë, très précise. 🙂"_s
            << QString() << QString() << QString() << QString() << 0;
    }

    void parse()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, prompt);
        QFETCH(QString, name);
        QFETCH(QString, colour);
        QFETCH(QString, model);
        QFETCH(QString, description);
        QFETCH(int, warnings);

        const Parsed<Persona> parsed = Persona::fromFileBytes(bytes, u"p.md"_s);
        QVERIFY2(parsed.value, qPrintable(parsed.errors.value(0).toString()));
        QCOMPARE(parsed.value->prompt, prompt);
        QCOMPARE(parsed.value->name, name);
        QCOMPARE(parsed.value->colour.isValid() ? parsed.value->colour.name() : QString(), colour);
        QCOMPARE(parsed.value->model, model);
        QCOMPARE(parsed.value->description, description);
        QCOMPARE(parsed.value->warnings.size(), warnings);
        if (warnings > 0) {
            QVERIFY2(parsed.value->warnings.constFirst().contains(u"`tags`"_s),
                     qPrintable(parsed.value->warnings.constFirst()));
        }
    }

    void refuse_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QStringList>("expected");

        QTest::newRow("bad YAML") << QByteArray("---\nname: Alice\nmodel: [big\n---\nHello there")
                                  << QStringList{u"not valid YAML"_s, u"line "_s};
        QTest::newRow("bad YAML names its line")
            << QByteArray("---\nname: Alice\nmodel: big: small\n---\nHello there")
            << QStringList{u"not valid YAML"_s, u"line 3"_s};
        QTest::newRow("not a mapping") << QByteArray("---\n- a\n- b\n---\nHello there")
                                       << QStringList{u"line 2"_s, u"must be a mapping"_s};
        QTest::newRow("not closed") << QByteArray("---\nname: Alice\nHello there")
                                    << QStringList{u"line 1"_s, u"not closed"_s};
        QTest::newRow("name not text") << QByteArray("---\nname: [a, b]\n---\nHello there")
                                       << QStringList{u"line 2"_s, u"`name`"_s, u"must be text"_s};
        QTest::newRow("duplicate key") << QByteArray("---\nname: A\nname: B\n---\nHello there")
                                       << QStringList{u"line 3"_s, u"`name`"_s, u"appears twice"_s};
        QTest::newRow("bad colour") << QByteArray("---\ncolour: blurple\n---\nHello there")
                                    << QStringList{u"`colour`"_s, u"not a colour"_s, u"blurple"_s};
        QTest::newRow("not UTF-8") << QByteArray("Hello \xFF world")
                                   << QStringList{u"not UTF-8"_s, u"0xFF"_s, u"byte offset 6"_s};
        QTest::newRow("overlong UTF-8")
            << QByteArray("abc\xC0\xAF") << QStringList{u"not UTF-8"_s, u"byte offset 3"_s};
        QTest::newRow("UTF-8 surrogate")
            << QByteArray("ab\xED\xA0\x80") << QStringList{u"not UTF-8"_s, u"byte offset 2"_s};
        QTest::newRow("truncated UTF-8")
            << QByteArray("abcd\xE2\x82") << QStringList{u"not UTF-8"_s, u"byte offset 4"_s};
        QTest::newRow("too short") << QByteArray("Hi") << QStringList{u"too short"_s, u"2 "_s};
        QTest::newRow("too short after front matter")
            << QByteArray("---\nname: Alice\n---\n  \n") << QStringList{u"too short"_s};
        QTest::newRow("too long") << repeated(u"a"_s, Persona::maxLength + 1).toUtf8()
                                  << QStringList{u"too long"_s, u"50001"_s, u"at most 50000"_s};
    }

    void refuse()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QStringList, expected);
        const Parsed<Persona> parsed = Persona::fromFileBytes(bytes, u"people/p.md"_s);
        QVERIFY(!parsed.value);
        QVERIFY(!parsed.errors.isEmpty());
        const QString message = parsed.errors.constFirst().toString();
        QVERIFY2(message.startsWith(u"people/p.md: "_s), qPrintable(message));
        for (const QString &part : expected) {
            QVERIFY2(message.contains(part), qPrintable(message + u" lacks "_s + part));
        }
    }

    void lengthCountsCharactersNotBytes()
    {
        // 50,000 emoji are 200,000 bytes and 100,000 UTF-16 units, yet 50,000 characters.
        const QString emoji = repeated(u"🙂"_s, Persona::maxLength);
        QVERIFY(Persona::fromFileBytes(emoji.toUtf8(), u"e.md"_s).value);
        QVERIFY(!Persona::fromFileBytes((emoji + u"🙂"_s).toUtf8(), u"e.md"_s).value);
        QVERIFY(Persona::fromFileBytes("abc", u"x"_s).value);
    }

    void inlineTextIsLiteral()
    {
        const Parsed<Persona> parsed =
            Persona::fromInlineText(u"---\nname: x\n---\nBe brief."_s, u"inline"_s);
        QVERIFY(parsed.value);
        QVERIFY(parsed.value->name.isEmpty());
        QVERIFY(parsed.value->prompt.startsWith(u"---"_s));
    }

    void fileTextRoundTrip_data()
    {
        QTest::addColumn<bool>("frontMatter");
        QTest::newRow("with front matter") << true;
        QTest::newRow("prompt only") << false;
    }

    void fileTextRoundTrip()
    {
        QFETCH(bool, frontMatter);
        Persona persona;
        persona.prompt = u"You are {{name}}: careful, \"precise\" and brief.\n\n# Rules\n- one"_s;
        if (frontMatter) {
            persona.name = u"Dr. Rivera: expert"_s;
            persona.colour = QColor(u"#2a9d8f"_s);
            persona.model = u"big"_s;
            persona.description = u"# not a comment, \"quoted\""_s;
        }
        const Parsed<Persona> back = Persona::fromFileBytes(persona.toFileText().toUtf8(), u"x"_s);
        QVERIFY2(back.value, qPrintable(back.errors.value(0).toString()));
        QCOMPARE(*back.value, persona);
    }

    void fillPlaceholders_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("all") << u"{{name}}|{{topic}}|{{participants}}|{{paradigm}}|{{round}}"_s
                             << u"Alice|Tea or coffee?|Alice, Bob, Judge|debate|3"_s;
        QTest::newRow("spaces inside braces") << u"I am {{ name }}."_s << u"I am Alice."_s;
        QTest::newRow("unknown stays")
            << u"{{name}} {{mood}} {{ topci }}"_s << u"Alice {{mood}} {{ topci }}"_s;
        QTest::newRow("not placeholders")
            << u"{name} {{}} {{ two words }} {{1x}}"_s << u"{name} {{}} {{ two words }} {{1x}}"_s;
        QTest::newRow("repeated") << u"{{round}}{{round}}"_s << u"33"_s;
        QTest::newRow("no text") << QString() << QString();
    }

    void fillPlaceholders()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        PlaceholderValues values;
        values.name = u"Alice"_s;
        values.topic = u"Tea or coffee?"_s;
        values.participants = {u"Alice"_s, u"Bob"_s, u"Judge"_s};
        values.paradigm = u"debate"_s;
        values.roundIndex = 2;
        QCOMPARE(Crosstalk::fillPlaceholders(text, values), expected);
    }

    void valuesAreNotFilledAgain()
    {
        PlaceholderValues values;
        values.name = u"Alice"_s;
        values.topic = u"Say {{name}} twice"_s;
        QCOMPARE(Crosstalk::fillPlaceholders(u"{{topic}} / {{name}}"_s, values),
                 u"Say {{name}} twice / Alice"_s);
    }

    void findUnknownPlaceholders()
    {
        QCOMPARE(Crosstalk::findUnknownPlaceholders(
                     u"{{name}} {{mood}} {{ topci }} {{mood}} {{round}}"_s),
                 (QStringList{u"mood"_s, u"topci"_s}));
        QVERIFY(Crosstalk::findUnknownPlaceholders(u"{{name}} on {{topic}}"_s).isEmpty());
    }

    void syntaxAddonHighlightsPlaceholders()
    {
        KSyntaxHighlighting::Repository repository;
        const KSyntaxHighlighting::Definition definition =
            repository.definitionForName(u"Crosstalk Persona"_s);
        QVERIFY2(definition.isValid(), "the addon is not in the resources");
        QVERIFY(
            definition.includedDefinitions().contains(repository.definitionForName(u"Markdown"_s)));

        FormatRecorder recorder;
        recorder.setDefinition(definition);
        recorder.setTheme(repository.defaultTheme(KSyntaxHighlighting::Repository::LightTheme));
        const auto formatAt = [&recorder](const QString &line, const QString &part) {
            return recorder.formatNames.at(line.indexOf(part));
        };

        recorder.highlight(u"---"_s);
        const QString key = u"name: Alice"_s;
        recorder.highlight(key);
        QCOMPARE(recorder.formatNames.at(0), u"Front Matter Key"_s);
        recorder.highlight(u"---"_s);

        const QString heading = u"# About {{name}}"_s;
        recorder.highlight(heading);
        QCOMPARE(formatAt(heading, u"About"_s), u"Heading"_s);
        QCOMPARE(formatAt(heading, u"{{name}}"_s), u"Placeholder"_s);

        const QString line = u"Talk about {{topic}} and {{topci}} now, **firmly**."_s;
        recorder.highlight(line);
        const qsizetype known = line.indexOf(u"{{topic}}"_s);
        for (qsizetype i = known; i < known + 9; ++i) {
            QCOMPARE(recorder.formatNames.at(i), u"Placeholder"_s);
        }
        QCOMPARE(formatAt(line, u"{{topci}}"_s), u"Unknown Placeholder"_s);
        QCOMPARE(recorder.formatNames.at(0), u"Normal Text"_s);
        QVERIFY(recorder.colours.at(known) != recorder.colours.at(0));
        // The rest is Markdown's: strong text is not plain text.
        QVERIFY2(formatAt(line, u"firmly"_s) != u"Normal Text"_s,
                 qPrintable(formatAt(line, u"firmly"_s)));

        const QString item = u"- Ask {{participants}} a question"_s;
        recorder.highlight(item);
        QCOMPARE(recorder.formatNames.at(0), u"List"_s);
        QCOMPARE(formatAt(item, u"{{participants}}"_s), u"Placeholder"_s);
    }
};

QTEST_GUILESS_MAIN(TestPersona)
#include "tst_persona.moc"
