// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/initcommand.h"

#include "cli/commandline.h"
#include "cli/runcommand.h"
#include "config/settings.h"
#include "conversation/preset.h"
#include "llm/modelregistry.h"
#include "persona/personalibrary.h"

#include <QCommandLineParser>
#include <QDir>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace Crosstalk::Cli {

namespace {

class Wizard
{
public:
    // The answer, or `fallback` for an empty line or the end of the input.
    QString ask(const QString &question, const QString &fallback)
    {
        m_err << question;
        if (!fallback.isEmpty())
            m_err << " [" << fallback << ']';
        m_err << ": " << Qt::flush;
        QString line;
        if (!m_in.readLineInto(&line)) {
            m_err << '\n';
            return fallback;
        }
        line = line.trimmed();
        return line.isEmpty() ? fallback : line;
    }

    bool confirm(const QString &question, bool fallback)
    {
        for (;;) {
            const QString answer = ask(question, fallback ? u"Y/n"_s : u"y/N"_s).toLower();
            if (answer == u"y/n"_s)
                return fallback;
            if (answer == u"y"_s || answer == u"yes"_s)
                return true;
            if (answer == u"n"_s || answer == u"no"_s)
                return false;
            m_err << "Please answer y or n.\n";
        }
    }

    QTextStream &err() { return m_err; }

private:
    QTextStream m_in{stdin};
    QTextStream m_err{stderr};
};

} // namespace

int initCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Set up a session by answering questions (or by piping the answers on stdin, one per "
        "line; an empty line takes the suggestion). Shows a summary, can save a preset, and "
        "runs the session.\n\nExample:\n  printf 'big,small\\ndebate\\n3\\nIs light a wave?\\n"
        "\\n\\nn\\ndebate.yaml\\ny\\n' | crosstalk init"_s);
    parser.addHelpOption();
    if (!parser.parse(arguments)) {
        QTextStream(stderr) << "crosstalk init: " << parser.errorText() << '\n';
        return ExitUsage;
    }
    if (parser.isSet(u"help"_s)) {
        QTextStream(stdout) << subcommandHelp(parser, u"init"_s);
        return ExitOk;
    }

    Settings settings;
    const ModelRegistry registry =
        ModelRegistry::load(QProcessEnvironment::systemEnvironment(), &settings);
    const PersonaLibrary library;
    Wizard wizard;
    QTextStream &err = wizard.err();
    err << "Set up a Crosstalk session. Models configured: " << registry.aliases().join(u", "_s)
        << ".\n";

    QStringList models;
    for (;;) {
        models = wizard.ask(u"Models, separated by commas"_s, u"big,small"_s)
                     .split(u',', Qt::SkipEmptyParts);
        for (QString &m : models)
            m = m.trimmed();
        QStringList unknown;
        for (const QString &m : std::as_const(models))
            if (!registry.model(m))
                unknown << m;
        if (models.size() >= 2 && models.size() <= 8 && unknown.isEmpty())
            break;
        err << (unknown.isEmpty() ? u"Give 2 to 8 models."_s
                                  : u"Unknown model(s): %1."_s.arg(unknown.join(u", "_s)))
            << '\n';
        if (wizard.ask(u"Try again? (empty line to stop)"_s, QString()).isEmpty() &&
            !models.isEmpty() && !unknown.isEmpty())
            return ExitUsage;
    }
    Paradigm paradigm = Preset::defaultParadigm;
    for (;;) {
        const QString name = wizard.ask(u"Paradigm (%1)"_s.arg(enumNames<Paradigm>().join(u", "_s)),
                                        enumToString(Preset::defaultParadigm));
        if (const auto value = enumFromString<Paradigm>(name)) {
            paradigm = *value;
            break;
        }
        err << "Unknown paradigm '" << name << "'.\n";
    }
    int rounds = 0;
    for (;;) {
        bool ok = false;
        rounds =
            wizard
                .ask(u"Rounds (1-100, openings included)"_s, QString::number(Preset::defaultRounds))
                .toInt(&ok);
        if (ok && rounds >= 1 && rounds <= 100)
            break;
        err << "Give a whole number from 1 to 100.\n";
    }
    const QString topic = wizard.ask(u"Topic"_s, Preset::defaultTopic());

    Preset preset;
    preset.paradigm = paradigm;
    preset.rounds = rounds;
    preset.topic = topic;
    QHash<QString, int> seen;
    for (const QString &alias : std::as_const(models)) {
        const int n = ++seen[alias];
        Participant p{n == 1 ? alias : u"%1-%2"_s.arg(alias).arg(n), alias, {}, {}, {}, {}};
        for (;;) {
            const QString reference = wizard.ask(
                u"Persona of %1: text, path:FILE or a library name (empty for the default)"_s.arg(
                    p.name),
                QString());
            if (reference.isEmpty())
                break;
            const Parsed<Persona> persona =
                library.resolve(reference, PersonaTrust::Local, QDir::currentPath());
            if (persona) {
                p.persona = persona.value->prompt;
                p.personaSource = persona.value->source;
                break;
            }
            err << persona.errors.first().toString() << '\n';
        }
        preset.participants.append(p);
    }
    preset.options.answerMode =
        wizard.confirm(u"Answer mode (participants end with \"The answer is …\")"_s, false);

    err << "\nSession: " << models.join(u", "_s) << " · " << enumToString(paradigm) << " · "
        << rounds << " rounds" << (preset.options.answerMode ? " · answer mode" : "") << '\n'
        << "Topic: " << topic << "\n\n";

    const QString presetPath = wizard.ask(u"Save as a preset file (empty to skip)"_s, QString());
    if (!presetPath.isEmpty()) {
        if (const auto error = preset.save(presetPath)) {
            err << "crosstalk init: cannot save the preset: " << error->toString() << '\n';
            return ExitFailure;
        }
        err << "Saved " << presetPath << "; run it again with 'crosstalk run --config "
            << presetPath << "'.\n";
    }
    if (!wizard.confirm(u"Run it now"_s, true))
        return ExitOk;

    QStringList run{arguments.first(),       u"--models"_s,          models.join(u','),
                    u"--paradigm"_s,         enumToString(paradigm), u"--rounds"_s,
                    QString::number(rounds), u"--topic"_s,           topic};
    for (const Participant &p : std::as_const(preset.participants))
        if (!p.persona.isEmpty())
            run << u"--persona"_s << p.name + u'=' + p.persona;
    if (preset.options.answerMode)
        run << u"--answer-mode"_s;
    return runCommand(run);
}

} // namespace Crosstalk::Cli
