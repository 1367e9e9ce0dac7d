// SPDX-License-Identifier: GPL-3.0-or-later
#include "conversation/preset.h"
#include "persona/personalibrary.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Crosstalk;

namespace {

void writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    file.write(bytes);
}

// PRODUCT.md §4, as written there.
const QByteArray oldFormat =
    "models: [big, small]\n"
    "system_prompts: {big: \"path:alice.md\", small: \"path:bob.md\"}\n"
    "paradigm: debate\n"
    "iterations: 20\n"
    "topic: \"What will be AI's biggest challenges over the next five years?\"\n";

const QByteArray aliceFile = "---\nname: Alice\ncolour: \"#e07a5f\"\nmodel: middle\n---\n"
                             "You are {{name}}, an optimistic brainstormer.\n";
const QByteArray bobFile = "You are Bob, a methodical analyst.\n";

// `big-2` is a configured alias too, so that generated names can collide with it.
const QStringList knownModels{u"big"_s, u"middle"_s, u"small"_s, u"demo"_s, u"big-2"_s};

} // namespace

class TestPreset : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_presets;
    std::unique_ptr<PersonaLibrary> m_library;

    Parsed<Preset> parse(const QByteArray &yaml) const
    {
        return Preset::parse(yaml, m_presets, *m_library, knownModels);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_presets = m_dir.filePath(u"presets"_s);
        writeFile(m_presets + u"/alice.md"_s, aliceFile);
        writeFile(m_presets + u"/bob.md"_s, bobFile);
        writeFile(m_presets + u"/old-format.yaml"_s, oldFormat);
        writeFile(m_dir.filePath(u"library/judge.md"_s), "You are the judge. Weigh it all.");
        m_library = std::make_unique<PersonaLibrary>(m_dir.filePath(u"library"_s));
    }

    void oldFormatLoadsAsWritten()
    {
        const Parsed<Preset> preset =
            Preset::load(m_presets + u"/old-format.yaml"_s, *m_library, knownModels);
        QVERIFY2(preset.value, qPrintable(preset.errors.value(0).toString()));
        QCOMPARE(preset.value->participants.size(), 2);
        const Participant &big = preset.value->participants.at(0);
        QCOMPARE(big.name, u"big"_s);
        QCOMPARE(big.modelAlias, u"big"_s);
        QCOMPARE(big.persona, u"You are {{name}}, an optimistic brainstormer."_s);
        QCOMPARE(big.personaSource, u"path:alice.md"_s);
        QCOMPARE(big.colour, QColor(u"#e07a5f"_s));
        const Participant &small = preset.value->participants.at(1);
        QCOMPARE(small.name, u"small"_s);
        QCOMPARE(small.modelAlias, u"small"_s);
        QCOMPARE(small.persona, u"You are Bob, a methodical analyst."_s);
        QCOMPARE(small.personaSource, u"path:bob.md"_s);
        QCOMPARE(preset.value->paradigm, Paradigm::Debate);
        QCOMPARE(preset.value->rounds, 20);
        QCOMPARE(preset.value->topic,
                 u"What will be AI's biggest challenges over the next five years?"_s);
        QCOMPARE(preset.value->options, SessionOptions());
        QCOMPARE(preset.value->baseFolder, QFileInfo(m_presets).absoluteFilePath());

        Session session;
        preset.value->applyTo(session);
        QCOMPARE(session.participants, preset.value->participants);
        QCOMPARE(session.paradigm, Paradigm::Debate);
        QCOMPARE(session.rounds, 20);
        QCOMPARE(session.title, Session::titleFromTopic(preset.value->topic));
    }

    void quickRunDefaultsFillWhatIsLeftOut()
    {
        QCOMPARE(Preset::defaultParadigm, Paradigm::Relay);
        QCOMPARE(Preset::defaultRounds, 20);
        QCOMPARE(Preset::defaultTopic(), u"Hello, let's talk"_s);
        const Parsed<Preset> preset = parse("models: [big, small]\n");
        QVERIFY(preset.value);
        QCOMPARE(preset.value->paradigm, Paradigm::Relay);
        QCOMPARE(preset.value->rounds, 20);
        QCOMPARE(preset.value->topic, u"Hello, let's talk"_s);
        QVERIFY(preset.value->participants.at(0).persona.isEmpty());

        // A preset may leave the participants to the command line.
        const Parsed<Preset> partial = parse("topic: Tabs or spaces?\nrounds: 3\n");
        QVERIFY(partial.value);
        QVERIFY(partial.value->participants.isEmpty());
        Session session;
        session.participants = {Participant{u"a"_s, u"big"_s, {}, {}, {}, {}},
                                Participant{u"b"_s, u"small"_s, {}, {}, {}, {}}};
        partial.value->applyTo(session);
        QCOMPARE(session.participants.size(), 2);
        QCOMPARE(session.rounds, 3);
    }

    void repeatedAliasesAreNumbered()
    {
        const Parsed<Preset> preset =
            parse("models: [big, small, big, big]\nsystem_prompts: {small: \"Be concise.\"}\n");
        QVERIFY2(preset.value, qPrintable(preset.errors.value(0).toString()));
        QStringList names;
        for (const Participant &participant : preset.value->participants) {
            names.append(participant.name);
        }
        QCOMPARE(names, (QStringList{u"big"_s, u"small"_s, u"big-2"_s, u"big-3"_s}));
        QCOMPARE(preset.value->participants.at(1).persona, u"Be concise."_s);
        QVERIFY(preset.value->participants.at(1).personaSource.isEmpty());
    }

    void participantsFormAndExtraKeys()
    {
        const Parsed<Preset> preset = parse(
            "participants:\n"
            "  - persona: \"path:alice.md\"\n"
            "  - {name: Bob, model: small, persona: bob.md, colour: teal}\n"
            "  - {model: big, persona: judge, temperature: 0.2, top_p: 0.9, max_tokens: 800}\n"
            "  - model: big\n"
            "    persona: |\n"
            "      You are {{name}}, a careful note-taker.\n"
            "rounds: 5\n"
            "paradigm: moderated\n"
            "answer_mode: on\n"
            "schedule: sequential\n"
            "context_window: 6\n"
            "summarise_dropped: yes\n"
            "summariser_model: small\n"
            "moderator_model: big\n"
            "budget: {tokens: 200000, cost: 2.5}\n");
        QVERIFY2(preset.value, qPrintable(preset.errors.value(0).toString()));
        const QList<Participant> &participants = preset.value->participants;
        QCOMPARE(participants.size(), 4);
        // Front matter fills what the entry leaves out.
        QCOMPARE(participants.at(0).name, u"Alice"_s);
        QCOMPARE(participants.at(0).modelAlias, u"middle"_s);
        QCOMPARE(participants.at(0).colour, QColor(u"#e07a5f"_s));
        QCOMPARE(participants.at(1).name, u"Bob"_s);
        QCOMPARE(participants.at(1).colour, QColor(u"teal"_s));
        QCOMPARE(participants.at(1).personaSource, u"bob.md"_s);
        QCOMPARE(participants.at(2).name, u"big"_s);
        QCOMPARE(participants.at(2).persona, u"You are the judge. Weigh it all."_s);
        QCOMPARE(participants.at(2).personaSource, u"judge.md"_s);
        QCOMPARE(participants.at(2).sampling, (Sampling{0.2, 0.9, 800}));
        QVERIFY(participants.at(1).sampling.isEmpty());
        QCOMPARE(participants.at(3).name, u"big-2"_s);
        QCOMPARE(participants.at(3).persona, u"You are {{name}}, a careful note-taker."_s);
        QCOMPARE(preset.value->rounds, 5);
        QCOMPARE(preset.value->paradigm, Paradigm::Moderated);
        const SessionOptions &options = preset.value->options;
        QVERIFY(options.answerMode);
        QCOMPARE(options.schedule, Schedule::Sequential);
        QCOMPARE(options.contextWindow, 6);
        QVERIFY(options.summariseDropped);
        QCOMPARE(options.summariserModel, u"small"_s);
        QCOMPARE(options.moderatorModel, u"big"_s);
        QCOMPARE(options.budgetTokens, 200000);
        QCOMPARE(options.budgetCost, 2.5);
    }

    // examples/every-option.yaml loads as shipped, sets every option to something other than
    // its default, and names every key a preset may have but the old tool's spellings.
    void theExamplePresetHasEveryOption()
    {
        const QString path = QStringLiteral(CROSSTALK_SOURCE_DIR "/examples/every-option.yaml");
        QTemporaryDir libraryDir;
        PersonaLibrary bundled(libraryDir.path());
        QVERIFY(bundled.installBundledIfEmpty());
        const Parsed<Preset> preset = Preset::load(path, bundled, {u"demo"_s});
        QVERIFY2(preset.value, qPrintable(preset.errors.value(0).toString()));
        QVERIFY2(preset.value->warnings.isEmpty(), qPrintable(preset.value->warnings.join(u'\n')));

        const QList<Participant> &participants = preset.value->participants;
        QCOMPARE(participants.size(), 3);
        QCOMPARE(participants.at(0).name, u"Alice"_s);
        QVERIFY(participants.at(0).persona.contains(u"{{topic}}"_s));
        QCOMPARE(participants.at(0).colour, QColor(u"#e07a5f"_s));
        QCOMPARE(participants.at(1).personaSource, u"sceptic.md"_s);
        QCOMPARE(participants.at(2).personaSource, u"path:judge.md"_s);
        for (const Participant &participant : participants) {
            QCOMPARE(participant.modelAlias, u"demo"_s);
            QVERIFY(!participant.persona.isEmpty());
        }
        QVERIFY(preset.value->topic != Preset::defaultTopic());
        QVERIFY(preset.value->paradigm != Preset::defaultParadigm);
        QVERIFY(preset.value->rounds != Preset::defaultRounds);
        const SessionOptions &options = preset.value->options;
        const SessionOptions defaults;
        QVERIFY(options.answerMode != defaults.answerMode);
        QVERIFY(options.schedule != defaults.schedule);
        QVERIFY(options.contextWindow != defaults.contextWindow);
        QVERIFY(options.summariseDropped != defaults.summariseDropped);
        QVERIFY(options.summariserModel != defaults.summariserModel);
        QVERIFY(options.moderatorModel != defaults.moderatorModel);
        QVERIFY(options.budgetTokens != defaults.budgetTokens);
        QVERIFY(options.budgetCost != defaults.budgetCost);

        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(file.readAll());
        const QStringList oldSpellings{u"models"_s, u"system_prompts"_s, u"iterations"_s};
        for (const QString &key : Preset::keys()) {
            if (!oldSpellings.contains(key))
                QVERIFY2(text.contains(u'\n' + key + u':'), qPrintable(key));
        }
    }

    void refusals_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("problem");
        QTest::addColumn<int>("line");

        const QByteArray two = "models: [big, small]\n";
        QTest::newRow("rounds and iterations") << two + "iterations: 4\nrounds: 5\n"
                                               << u"rounds"_s << u"not both"_s << 3;
        QTest::newRow("unknown key") << two + "paradigme: debate\n"
                                     << u"paradigme"_s << u"is not a known key"_s << 2;
        QTest::newRow("duplicate key") << two + "topic: a\ntopic: b\n"
                                       << u"topic"_s << u"appears twice"_s << 3;
        QTest::newRow("unknown paradigm")
            << two + "paradigm: chaos\n"
            << u"paradigm"_s << u"must be one of memory, report, relay"_s << 2;
        QTest::newRow("paradigm not text") << two + "paradigm: [debate]\n"
                                           << u"paradigm"_s << u"must be one of"_s << 2;
        QTest::newRow("iterations zero") << two + "iterations: 0\n"
                                         << u"iterations"_s << u"from 1 to 100"_s << 2;
        QTest::newRow("rounds too many") << two + "rounds: 101\n"
                                         << u"rounds"_s << u"from 1 to 100"_s << 2;
        QTest::newRow("rounds not a number") << two + "rounds: many\n"
                                             << u"rounds"_s << u"whole number"_s << 2;
        QTest::newRow("rounds fractional") << two + "rounds: 2.5\n"
                                           << u"rounds"_s << u"whole number"_s << 2;
        QTest::newRow("topic empty") << two + "topic: \"\"\n"
                                     << u"topic"_s << u"1 to 4000 characters"_s << 2;
        QTest::newRow("topic null") << two + "topic:\n"
                                    << u"topic"_s << u"must not be empty"_s << 0;
        QTest::newRow("topic too long") << two + "topic: " + QByteArray(4001, 'x') + "\n"
                                        << u"topic"_s << u"1 to 4000 characters"_s << 2;
        QTest::newRow("models not a list")
            << QByteArray("models: big\n") << u"models"_s << u"must be a list"_s << 1;
        QTest::newRow("one model")
            << QByteArray("models: [big]\n") << u"models"_s << u"2 to 8"_s << 1;
        QTest::newRow("nine models") << QByteArray("models: [big, big, big, big, big, big, big, "
                                                   "big, big]\n")
                                     << u"models"_s << u"2 to 8"_s << 1;
        QTest::newRow("unconfigured model") << QByteArray("models: [big, gpt9]\n") << u"models[1]"_s
                                            << u"`gpt9` is not configured"_s << 1;
        QTest::newRow("model not text")
            << QByteArray("models: [big, {a: b}]\n") << u"models[1]"_s << u"must be text"_s << 1;
        QTest::newRow("numbered name collides")
            << QByteArray("models: [big, big, big-2]\n") << u"models[2]"_s
            << u"`big-2` is already taken by models[1]"_s << 1;
        QTest::newRow("prompt for a model not listed")
            << two + "system_prompts: {middle: \"Be brief.\"}\n"
            << u"system_prompts.middle"_s << u"`middle` is not one of the models"_s << 2;
        QTest::newRow("prompt for a repeated alias")
            << QByteArray("models: [big, big]\nsystem_prompts: {big: \"Be brief.\"}\n")
            << u"system_prompts.big"_s << u"ambiguous"_s << 2;
        QTest::newRow("prompt file missing")
            << two + "system_prompts:\n  big: \"path:carol.md\"\n"
            << u"system_prompts.big"_s << u"path:carol.md: file not found"_s << 3;
        QTest::newRow("prompt too short") << two + "system_prompts: {big: \"Hi\"}\n"
                                          << u"system_prompts.big"_s << u"too short"_s << 2;
        QTest::newRow("prompts not a mapping") << two + "system_prompts: [a, b]\n"
                                               << u"system_prompts"_s << u"must map"_s << 2;
        QTest::newRow("prompts without models") << QByteArray("system_prompts: {big: x.md}\n")
                                                << u"system_prompts"_s << u"needs `models`"_s << 1;
        QTest::newRow("participants and models")
            << two + "participants: [{model: big}, {model: small}]\n"
            << u"participants"_s << u"not both"_s << 2;
        QTest::newRow("participants not a list") << QByteArray("participants: {model: big}\n")
                                                 << u"participants"_s << u"must be a list"_s << 1;
        QTest::newRow("participant not a mapping")
            << QByteArray("participants: [big, {model: small}]\n") << u"participants[0]"_s
            << u"must be a mapping"_s << 1;
        QTest::newRow("participant unknown key")
            << QByteArray("participants:\n  - {model: big, color: red}\n  - {model: small}\n")
            << u"participants[0].color"_s << u"is not a known key"_s << 2;
        QTest::newRow("participant without model")
            << QByteArray("participants:\n  - {name: A}\n  - {model: small}\n")
            << u"participants[0].model"_s << u"is required"_s << 2;
        QTest::newRow("duplicate participant names")
            << QByteArray("participants:\n  - {name: Ann, model: big}\n"
                          "  - {name: Ann, model: small}\n")
            << u"participants[1].name"_s << u"`Ann` is already taken by participants[0].name"_s
            << 3;
        QTest::newRow("participant name empty")
            << QByteArray("participants:\n  - {name: \" \", model: big}\n  - {model: small}\n")
            << u"participants[0].name"_s << u"1 to 64 characters"_s << 2;
        QTest::newRow("participant bad colour")
            << QByteArray("participants:\n  - {model: big, colour: blurple}\n  - {model: small}\n")
            << u"participants[0].colour"_s << u"`blurple` is not a colour"_s << 2;
        QTest::newRow("participant persona outside")
            << QByteArray("participants:\n  - {model: big, persona: \"path:nope/x.md\"}\n"
                          "  - {model: small}\n")
            << u"participants[0].persona"_s << u"file not found"_s << 2;
        QTest::newRow("one participant") << QByteArray("participants: [{model: big}]\n")
                                         << u"participants"_s << u"2 to 8"_s << 1;
        QTest::newRow("answer mode not boolean") << two + "answer_mode: maybe\n"
                                                 << u"answer_mode"_s << u"true or false"_s << 2;
        QTest::newRow("unknown schedule")
            << two + "schedule: sometimes\n"
            << u"schedule"_s << u"must be one of parallel, sequential"_s << 2;
        QTest::newRow("context window zero") << two + "context_window: 0\n"
                                             << u"context_window"_s << u"from 1 to 1000"_s << 2;
        QTest::newRow("summarise not boolean") << two + "summarise_dropped: often\n"
                                               << u"summarise_dropped"_s << u"true or false"_s << 2;
        QTest::newRow("unconfigured moderator") << two + "moderator_model: oracle\n"
                                                << u"moderator_model"_s << u"not configured"_s << 2;
        QTest::newRow("budget not a mapping") << two + "budget: 5\n"
                                              << u"budget"_s << u"must be a mapping"_s << 2;
        QTest::newRow("budget tokens negative") << two + "budget:\n  tokens: -1\n"
                                                << u"budget.tokens"_s << u"whole number ≥ 1"_s << 3;
        QTest::newRow("budget cost zero") << two + "budget: {cost: 0}\n"
                                          << u"budget.cost"_s << u"greater than 0"_s << 2;
        QTest::newRow("budget cost infinite") << two + "budget: {cost: .inf}\n"
                                              << u"budget.cost"_s << u"greater than 0"_s << 2;
        QTest::newRow("budget unknown key") << two + "budget: {dollars: 3}\n"
                                            << u"budget.dollars"_s << u"is not a known key"_s << 2;
        QTest::newRow("not YAML") << QByteArray("models: [big, small\n") << QString()
                                  << u"not valid YAML"_s << 0;
        QTest::newRow("not a mapping")
            << QByteArray("- big\n- small\n") << QString() << u"must be a mapping"_s << 1;
        QTest::newRow("empty") << QByteArray("\n") << QString() << u"the preset is empty"_s << 0;
        QTest::newRow("not UTF-8") << QByteArray("topic: caf\xE9\n") << QString()
                                   << u"not UTF-8 text: invalid byte at byte offset 10"_s << 0;
    }

    void refusals()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, key);
        QFETCH(QString, problem);
        QFETCH(int, line);
        const Parsed<Preset> preset = parse(yaml);
        QVERIFY(!preset.value);
        QStringList messages;
        for (const FieldError &error : preset.errors) {
            messages.append(error.toString());
        }
        const auto matching = std::find_if(
            preset.errors.cbegin(), preset.errors.cend(), [&](const FieldError &error) {
                return error.path == key && error.problem.contains(problem);
            });
        QVERIFY2(matching != preset.errors.cend(), qPrintable(messages.join(u" | "_s)));
        if (line > 0) {
            const QString where = u"(line "_s + QString::number(line) + u", column "_s;
            QVERIFY2(matching->problem.contains(where), qPrintable(matching->toString()));
        }
    }

    void loadNamesTheFile()
    {
        const QString missing = m_presets + u"/missing.yaml"_s;
        const Parsed<Preset> preset = Preset::load(missing, *m_library);
        QVERIFY(!preset.value);
        QCOMPARE(preset.errors.value(0).path, missing);
        QVERIFY(preset.errors.value(0).problem.contains(u"not found"_s));
    }

    void saveLoadRoundTrip()
    {
        Preset preset =
            *parse("participants:\n"
                   "  - {name: Alice, model: big, persona: \"path:alice.md\"}\n"
                   "  - {name: Bob, model: small, persona: bob.md, colour: \"#3d5a80\"}\n"
                   "  - {name: \"Judge: final\", model: big, persona: judge}\n"
                   "  - model: small\n"
                   "    persona: \"You are {{name}}.\\nSay \\\"why\\\" – and mean it: #1.\"\n"
                   "paradigm: debate\n"
                   "rounds: 7\n"
                   "topic: \"Line one: with a colon\\nline two # not a comment\"\n"
                   "answer_mode: true\n"
                   "schedule: sequential\n"
                   "context_window: 4\n"
                   "summarise_dropped: true\n"
                   "summariser_model: middle\n"
                   "moderator_model: big\n"
                   "budget: {tokens: 123456, cost: 0.75}\n")
                 .value;
        const QString path = m_presets + u"/saved.yaml"_s;
        QCOMPARE(preset.save(path), std::nullopt);
        const Parsed<Preset> back = Preset::load(path, *m_library, knownModels);
        QVERIFY2(back.value, qPrintable(back.errors.value(0).toString()));
        QCOMPARE(*back.value, preset);

        // Saved elsewhere, a file next to the old preset is still found.
        const QString elsewhere = m_dir.filePath(u"elsewhere/deeper/saved.yaml"_s);
        QVERIFY(QDir().mkpath(QFileInfo(elsewhere).absolutePath()));
        QCOMPARE(preset.save(elsewhere), std::nullopt);
        const Parsed<Preset> moved = Preset::load(elsewhere, *m_library, knownModels);
        QVERIFY2(moved.value, qPrintable(moved.errors.value(0).toString()));
        QCOMPARE(moved.value->participants.at(0).persona, preset.participants.at(0).persona);
        QCOMPARE(moved.value->participants.at(0).personaSource, u"path:../../presets/alice.md"_s);
        QCOMPARE(moved.value->participants.at(1).personaSource, u"path:../../presets/bob.md"_s);
        QCOMPARE(moved.value->participants.at(2).personaSource, u"judge.md"_s);
    }

    void oldFormatSavesAndLoadsBackEqual()
    {
        const Parsed<Preset> preset =
            Preset::load(m_presets + u"/old-format.yaml"_s, *m_library, knownModels);
        QVERIFY(preset.value);
        const QString path = m_presets + u"/old-format-saved.yaml"_s;
        QCOMPARE(preset.value->save(path), std::nullopt);
        const Parsed<Preset> back = Preset::load(path, *m_library, knownModels);
        QVERIFY2(back.value, qPrintable(back.errors.value(0).toString()));
        QCOMPARE(*back.value, *preset.value);
    }
};

QTEST_GUILESS_MAIN(TestPreset)
#include "tst_preset.moc"
