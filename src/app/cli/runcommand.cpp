// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/runcommand.h"

#include "cli/commandline.h"
#include "cli/enginehost.h"
#include "cli/signalwatcher.h"
#include "cli/transcriptprinter.h"
#include "conversation/preset.h"
#include "engine/engine.h"
#include "engine/slotpersonas.h"
#include "export/exporter.h"
#include "persona/personalibrary.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QTextStream>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace Crosstalk::Cli {

namespace {

int usageError(const QString &message)
{
    QTextStream(stderr) << "crosstalk run: " << message << "\nTry 'crosstalk run --help'.\n";
    return ExitUsage;
}

// Persona values on the command line and in the environment are the user's own: files may be
// anywhere they can read, relative paths relative to the current folder, then the library.
std::optional<QString> applyPersona(const PersonaLibrary &library, const QString &reference,
                                    Participant &participant, QString *error)
{
    const Parsed<Persona> persona =
        library.resolve(reference, PersonaTrust::Local, QDir::currentPath());
    if (!persona) {
        QStringList problems;
        for (const FieldError &e : persona.errors)
            problems << e.toString();
        *error = problems.join(u"; "_s);
        return std::nullopt;
    }
    participant.persona = persona.value->prompt;
    participant.personaSource = persona.value->source;
    if (!participant.colour.isValid())
        participant.colour = persona.value->colour;
    return participant.persona;
}

// Each paradigm with its description, for --help.
QString paradigmHelp()
{
    QString help = u"Paradigms (--paradigm):\n"_s;
    for (const ParadigmInfo &paradigm : paradigmTable)
        help += u"  %1 %2\n"_s.arg(QString(paradigm.name).leftJustified(11),
                                   paradigm.description.english());
    return help;
}

// Participants named after their model aliases; a repeated alias gets -2, -3…
QList<Participant> participantsFromModels(const QStringList &aliases)
{
    QList<Participant> participants;
    QHash<QString, int> seen;
    for (const QString &alias : aliases) {
        const int n = ++seen[alias];
        participants.append({n == 1 ? alias : u"%1-%2"_s.arg(alias).arg(n), alias, {}, {}, {}, {}});
    }
    return participants;
}

class RunCommand : public QObject
{
public:
    enum class Mode
    {
        Run,
        Resume
    };
    int exec(const QStringList &arguments, Mode mode);

private:
    int parse(const QStringList &arguments, Session &draft);
    // Participants given no persona get their slot's (SlotPersonas), once the store is open.
    int giveSlotPersonas(Session &draft);
    int parseResume(const QStringList &arguments);
    // Where --out writes and in which format (--format, else the file's extension).
    int chooseOutput(const QString &path, const QString &formatName);
    void onEvent(const EngineEvent &event);
    void showProgress();
    void finish();
    void interrupted();
    bool writeOutput();

    std::unique_ptr<EngineHost> m_host;
    Engine *m_engine = nullptr; // the host's
    std::unique_ptr<TranscriptPrinter> m_printer;
    QUuid m_id;
    BudgetChange m_budget; // resume's new caps
    QString m_outPath;
    bool m_sayWhereSaved = false; // the old tool's file, which no flag named
    std::optional<ExportFormat> m_format;
    bool m_jsonOnStdout = false;
    bool m_printTranscript = false;
    bool m_progress = false;
    QString m_pauseReason;
    bool m_interrupted = false;
    int m_exitCode = ExitOk;
    QElapsedTimer m_clock;
    QTextStream m_out{stdout};
};

int RunCommand::parse(const QStringList &arguments, Session &draft)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Run a session headless: the transcript streams to stdout, the summary to stderr.\n\n"
        "Exit codes: 0 completed, 2 bad usage or invalid input, 3 a provider failure or a "
        "budget cap left the session paused, 5 the store could not be written (the session "
        "paused; the reason is printed), 130 interrupted by Ctrl-C.\n\n"_s +
        paradigmHelp() +
        u"\nExamples:\n"
        "  crosstalk run --models big,small --paradigm debate --rounds 5 --topic \"Is light "
        "a wave?\"\n"
        "  crosstalk run --participant Alice=big:path:alice.md --participant Bob=small "
        "--answer-mode --topic \"What is 17 * 23?\" --out talk.html\n"
        "  crosstalk run --config preset.yaml --rounds 3 --json > session.json"_s);
    parser.addHelpOption();
    const QCommandLineOption models(u"models"_s,
                                    u"Participants by model alias, named after them (a repeated "
                                    "alias gets -2, -3): e.g. big,small."_s,
                                    u"a,b,c"_s);
    const QCommandLineOption participant(
        u"participant"_s, u"A participant: NAME=MODEL or NAME=MODEL:PERSONA. Repeatable."_s,
        u"spec"_s);
    const QCommandLineOption persona(u"persona"_s,
                                     u"Persona of a participant (by name or model alias): "
                                     "inline text, path:FILE, or a file. Repeatable."_s,
                                     u"who=persona"_s);
    const QCommandLineOption paradigm(
        u"paradigm"_s,
        u"One of the paradigms above (default %1)."_s.arg(enumToString(Preset::defaultParadigm)),
        u"name"_s);
    const QCommandLineOption rounds(
        u"rounds"_s,
        u"Rounds, %1–%2, openings included (default %3)."_s.arg(Session::minRounds)
            .arg(Session::maxRounds)
            .arg(Preset::defaultRounds),
        u"N"_s);
    const QCommandLineOption topic(u"topic"_s, u"What to talk about."_s, u"text"_s);
    const QCommandLineOption schedule(u"schedule"_s, u"parallel (default) or sequential turns."_s,
                                      u"mode"_s);
    const QCommandLineOption contextWindow(
        u"context-window"_s, u"Latest visible messages each request carries (default 10)."_s,
        u"N"_s);
    const QCommandLineOption budgetTokens(u"budget-tokens"_s,
                                          u"Pause when the session has used N tokens."_s, u"N"_s);
    const QCommandLineOption budgetCost(
        u"budget-cost"_s, u"Pause when the session has cost X (US dollars)."_s, u"X"_s);
    const QCommandLineOption answerMode(
        u"answer-mode"_s, u"Participants end with \"The answer is …\"; the session stops when "
                          "they agree and reports the majority answer."_s);
    const QCommandLineOption moderatorModel(
        u"moderator-model"_s,
        u"Model that picks the speaking order in the moderated paradigm (default: the first "
        "participant's)."_s,
        u"alias"_s);
    const QCommandLineOption summarise(
        u"summarise-dropped"_s,
        u"Summarise what the context window drops, as one turn of each request."_s);
    const QCommandLineOption summariserModel(
        u"summariser-model"_s,
        u"Model that writes those summaries (default: each speaker's own; implies "
        "--summarise-dropped)."_s,
        u"alias"_s);
    const QCommandLineOption sampling(
        u"sampling"_s,
        u"A participant's own sampling over its model's, e.g. "
        "big:temperature=0.7,top_p=0.9,max_tokens=1500 (repeatable)."_s,
        u"NAME:VALUES"_s);
    const QCommandLineOption config(
        u"config"_s, u"A preset file (YAML, the old tool's format included); flags override it."_s,
        u"PRESET"_s);
    const QCommandLineOption out(u"out"_s,
                                 u"Write the transcript to FILE when the run ends, in the format "
                                 "its extension names (.md .markdown .html .htm .pdf .txt; .json "
                                 "is the session document)."_s,
                                 u"FILE"_s);
    const QCommandLineOption format(u"format"_s,
                                    u"Format of --out: md, html, pdf, txt, json (the session "
                                    "document) or legacy-json (the old tool's layout)."_s,
                                    u"F"_s);
    const QCommandLineOption json(u"json"_s, u"Print the session document on stdout instead of the "
                                             "transcript."_s);
    const QCommandLineOption quiet(u"quiet"_s, u"Print no transcript and no summary."_s);
    // Added for the old tool's flags: its quick run saved crosstalk_{paradigm}_{time}.json.
    QCommandLineOption oldToolFile(u"old-tool-file"_s,
                                   u"Also save the old tool's JSON file in the working folder."_s);
    oldToolFile.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOptions(
        {models,    participant,     persona,      paradigm,   rounds,     topic,
         schedule,  contextWindow,   budgetTokens, budgetCost, answerMode, moderatorModel,
         summarise, summariserModel, config,       sampling,   out,        format,
         json,      quiet,           oldToolFile});

    if (!parser.parse(arguments))
        return usageError(parser.errorText());
    if (parser.isSet(u"help"_s)) {
        m_out << subcommandHelp(parser, u"run"_s);
        return -1;
    }
    if (!parser.positionalArguments().isEmpty())
        return usageError(u"unexpected argument '%1'"_s.arg(parser.positionalArguments().first()));
    if (parser.isSet(models) && parser.isSet(participant))
        return usageError(u"give the participants with either --models or --participant"_s);

    // The old tool's quick-run defaults, then the preset, then the flags.
    draft.paradigm = Preset::defaultParadigm;
    draft.rounds = Preset::defaultRounds;
    draft.topic = Preset::defaultTopic();
    if (parser.isSet(config)) {
        const Parsed<Preset> preset =
            Preset::load(parser.value(config), m_host->library(), m_engine->registry().aliases());
        if (!preset) {
            QStringList problems;
            for (const FieldError &e : preset.errors)
                problems << u"  "_s + e.toString();
            return usageError(
                u"preset %1 is not valid:\n%2"_s.arg(parser.value(config), problems.join(u'\n')));
        }
        for (const QString &warning : preset.value->warnings)
            QTextStream(stderr) << "crosstalk run: warning: " << warning << '\n';
        preset.value->applyTo(draft);
    }
    if (!parser.isSet(models) && !parser.isSet(participant) && draft.participants.isEmpty())
        return usageError(
            u"give the participants with --models, --participant or a --config preset"_s);

    if (parser.isSet(models)) {
        draft.participants = participantsFromModels(parser.value(models).split(u','));
    } else if (parser.isSet(participant)) {
        draft.participants.clear();
        for (const QString &spec : parser.values(participant)) {
            const qsizetype eq = spec.indexOf(u'=');
            if (eq <= 0)
                return usageError(u"--participant '%1': expected NAME=MODEL[:PERSONA]"_s.arg(spec));
            const QString rest = spec.mid(eq + 1);
            const qsizetype colon = rest.indexOf(u':');
            Participant p{spec.left(eq), colon < 0 ? rest : rest.left(colon), {}, {}, {}, {}};
            QString error;
            if (colon >= 0 && !applyPersona(m_host->library(), rest.mid(colon + 1), p, &error))
                return usageError(u"--participant %1: %2"_s.arg(p.name, error));
            draft.participants.append(p);
        }
    }

    for (const QString &value : parser.values(persona)) {
        const qsizetype eq = value.indexOf(u'=');
        if (eq <= 0)
            return usageError(u"--persona '%1': expected NAME=PERSONA"_s.arg(value));
        const QString who = value.left(eq);
        bool matched = false;
        for (Participant &p : draft.participants) {
            if (p.name != who && p.modelAlias != who)
                continue;
            QString error;
            if (!applyPersona(m_host->library(), value.mid(eq + 1), p, &error))
                return usageError(u"--persona %1: %2"_s.arg(who, error));
            matched = true;
        }
        if (!matched)
            return usageError(u"--persona %1: no participant or model of that name"_s.arg(who));
    }

    const auto integer = [&](const QCommandLineOption &option, int &target) {
        if (!parser.isSet(option))
            return true;
        bool ok = false;
        target = parser.value(option).toInt(&ok);
        return ok;
    };
    if (parser.isSet(paradigm)) {
        const auto value = enumFromString<Paradigm>(parser.value(paradigm));
        if (!value)
            return usageError(u"--paradigm: unknown paradigm '%1' (%2)"_s.arg(
                parser.value(paradigm), enumNames<Paradigm>().join(u", "_s)));
        draft.paradigm = *value;
    }
    if (!integer(rounds, draft.rounds))
        return usageError(u"--rounds: '%1' is not a whole number"_s.arg(parser.value(rounds)));
    if (parser.isSet(topic)) {
        draft.topic = parser.value(topic);
        draft.title = Session::titleFromTopic(draft.topic);
    }
    if (parser.isSet(schedule)) {
        const auto value = enumFromString<Schedule>(parser.value(schedule));
        if (!value)
            return usageError(u"--schedule: must be parallel or sequential"_s);
        draft.options.schedule = *value;
    }
    if (!integer(contextWindow, draft.options.contextWindow))
        return usageError(
            u"--context-window: '%1' is not a whole number"_s.arg(parser.value(contextWindow)));
    if (parser.isSet(budgetTokens)) {
        bool ok = false;
        draft.options.budgetTokens = parser.value(budgetTokens).toLongLong(&ok);
        if (!ok || *draft.options.budgetTokens <= 0)
            return usageError(u"--budget-tokens: must be a whole number above 0"_s);
    }
    if (parser.isSet(budgetCost)) {
        bool ok = false;
        draft.options.budgetCost = parser.value(budgetCost).toDouble(&ok);
        if (!ok || *draft.options.budgetCost <= 0)
            return usageError(u"--budget-cost: must be a number above 0"_s);
    }
    draft.options.answerMode = draft.options.answerMode || parser.isSet(answerMode);
    draft.options.summariseDropped =
        draft.options.summariseDropped || parser.isSet(summarise) || parser.isSet(summariserModel);
    if (parser.isSet(summariserModel))
        draft.options.summariserModel = parser.value(summariserModel);
    if (parser.isSet(moderatorModel))
        draft.options.moderatorModel = parser.value(moderatorModel);
    for (const QString &given : parser.values(sampling)) {
        const qsizetype colon = given.indexOf(u':');
        const QString name = given.left(colon);
        const auto p = std::find_if(draft.participants.begin(), draft.participants.end(),
                                    [&](const Participant &x) { return x.name == name; });
        if (colon < 0 || p == draft.participants.end())
            return usageError(
                u"--sampling: '%1' names no participant; give NAME:VALUES"_s.arg(name.left(64)));
        QString problem;
        const std::optional<Sampling> values = Sampling::fromText(given.mid(colon + 1), &problem);
        if (!values)
            return usageError(u"--sampling %1: %2"_s.arg(name, problem));
        p->sampling = *values;
    }
    if (const int code = chooseOutput(parser.value(out), parser.value(format)); code != ExitOk)
        return code;
    if (parser.isSet(oldToolFile) && m_outPath.isEmpty()) {
        m_outPath = u"crosstalk_%1_%2.json"_s.arg(
            enumToString(draft.paradigm),
            QDateTime::currentDateTime().toString(u"yyyyMMdd_HHmmss"_s));
        m_format = ExportFormat::LegacyJson;
        m_sayWhereSaved = true;
    }
    m_jsonOnStdout = parser.isSet(json);
    m_printTranscript = !parser.isSet(quiet) && !m_jsonOnStdout;
    return ExitOk;
}

// Colours on a terminal, unless NO_COLOR asks for none (https://no-color.org).
bool useColours()
{
    return isatty(STDOUT_FILENO) && qEnvironmentVariableIsEmpty("NO_COLOR");
}

int RunCommand::chooseOutput(const QString &path, const QString &formatName)
{
    m_outPath = path;
    const QString formats = enumNames<ExportFormat>().join(u", "_s);
    if (!formatName.isEmpty()) {
        m_format = Exporter::formatFromName(formatName);
        if (!m_format)
            return usageError(u"--format: unknown format '%1' (%2)"_s.arg(formatName, formats));
        if (m_outPath.isEmpty())
            return usageError(u"--format: give the file to write with --out"_s);
    } else if (!m_outPath.isEmpty()) {
        m_format = Exporter::formatFromPath(m_outPath);
        if (!m_format)
            return usageError(u"--out: cannot tell the format of '%1' from its extension; give "
                              "--format (%2)"_s.arg(m_outPath, formats));
    }
    return ExitOk;
}

int RunCommand::parseResume(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Continue a paused, stopped or interrupted session headless, as 'crosstalk run' does; "
        "the turns a stop or a crash cut off are asked again.\n\n"
        "Exit codes: 0 completed, 2 bad usage, 3 paused again, 4 no such session, 5 the store "
        "could not be written (the session paused), 130 interrupted by Ctrl-C."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"id"_s, u"The session's id (crosstalk list shows them)."_s);
    const QCommandLineOption out(u"out"_s,
                                 u"Write the transcript to FILE when the run ends, in the format "
                                 "its extension names (.json is the session document)."_s,
                                 u"FILE"_s);
    const QCommandLineOption format(
        u"format"_s, u"Format of --out: md, html, pdf, txt, json or legacy-json."_s, u"F"_s);
    const QCommandLineOption json(u"json"_s, u"Print the session document on stdout instead of the "
                                             "transcript."_s);
    const QCommandLineOption quiet(u"quiet"_s, u"Print no transcript and no summary."_s);
    const QCommandLineOption budgetTokens(
        u"budget-tokens"_s,
        u"A new token cap: pause when the session has used N tokens in all, or 'none'."_s,
        u"N|none"_s);
    const QCommandLineOption budgetCost(
        u"budget-cost"_s,
        u"A new cost cap: pause when the session has cost X US dollars in all, or 'none'."_s,
        u"X|none"_s);
    parser.addOptions({out, format, json, quiet, budgetTokens, budgetCost});
    if (!parser.parse(arguments))
        return usageError(parser.errorText());
    if (parser.isSet(u"help"_s)) {
        m_out << subcommandHelp(parser, u"resume"_s);
        return -1;
    }
    if (parser.positionalArguments().size() != 1)
        return usageError(u"give exactly one session id"_s);
    m_id = QUuid::fromString(parser.positionalArguments().first());
    if (m_id.isNull())
        return usageError(u"'%1' is not a session id"_s.arg(parser.positionalArguments().first()));
    if (const int code = chooseOutput(parser.value(out), parser.value(format)); code != ExitOk)
        return code;
    m_jsonOnStdout = parser.isSet(json);
    m_printTranscript = !parser.isSet(quiet) && !m_jsonOnStdout;
    if (parser.isSet(budgetTokens)) {
        m_budget.tokens = BudgetChange::tokensFromText(parser.value(budgetTokens));
        if (!m_budget.tokens)
            return usageError(u"--budget-tokens: must be a whole number above 0, or none"_s);
    }
    if (parser.isSet(budgetCost)) {
        m_budget.cost = BudgetChange::costFromText(parser.value(budgetCost));
        if (!m_budget.cost)
            return usageError(u"--budget-cost: must be a number of US dollars, or none"_s);
    }
    return ExitOk;
}

int RunCommand::giveSlotPersonas(Session &draft)
{
    std::optional<SlotPersonas::Stored> stored; // read when a participant needs it
    for (Participant &p : draft.participants) {
        if (!p.persona.isEmpty())
            continue;
        if (!stored)
            stored = SlotPersonas::read(m_engine->reader());
        const SlotPersonas::Choice choice =
            SlotPersonas::resolve(p.modelAlias, *stored, m_engine->registry(), m_host->library());
        if (!choice.persona)
            return usageError(choice.persona.errors.first().toString());
        p.persona = choice.persona.value->prompt;
        p.personaSource = choice.persona.value->source;
    }
    return ExitOk;
}

int RunCommand::exec(const QStringList &arguments, Mode mode)
{
    m_host = std::make_unique<EngineHost>(
        mode == Mode::Resume ? u"crosstalk resume"_s : u"crosstalk run"_s, this);
    m_engine = m_host->engine();

    if (mode == Mode::Resume) {
        if (const int code = parseResume(arguments); code != ExitOk)
            return code < 0 ? ExitOk : code;
        m_host->openStore();
        std::optional<Error> error;
        const Session *session = m_engine->load(m_id, &error);
        if (!session) {
            QTextStream(stderr) << "crosstalk resume: "
                                << (error ? error->message
                                          : u"no session %1"_s.arg(
                                                m_id.toString(QUuid::WithoutBraces)))
                                << '\n';
            return error ? ExitFailure : ExitNotFound;
        }
        if (session->status == SessionStatus::Completed) {
            QTextStream(stderr) << "crosstalk resume: the session is already completed.\n";
            return writeOutput() ? ExitOk : ExitFailure;
        }
        if (!m_budget.isEmpty()) {
            if (const std::optional<Error> refused = m_engine->setBudget(m_id, m_budget)) {
                QTextStream(stderr) << "crosstalk resume: " << refused->message << '\n';
                return refused->code == ErrorCode::InvalidArgument ? ExitUsage : ExitFailure;
            }
        }
        QTextStream(stderr) << "Resuming \"" << session->title << "\" after "
                            << session->completedRounds() << " of " << session->rounds
                            << " rounds.\n";
    } else {
        Session draft;
        if (const int code = parse(arguments, draft); code != ExitOk)
            return code < 0 ? ExitOk : code;
        m_host->openStore();
        if (const int code = giveSlotPersonas(draft); code != ExitOk)
            return code;
        const Parsed<QUuid> created = m_engine->createSession(draft);
        if (!created) {
            QTextStream err(stderr);
            err << "crosstalk run: the session is not valid:\n";
            for (const FieldError &e : created.errors)
                err << "  " << e.toString() << '\n';
            return ExitUsage;
        }
        m_id = *created.value;
    }
    if (m_printTranscript)
        m_printer = std::make_unique<TranscriptPrinter>(m_engine, m_id, m_out, useColours());
    m_progress = isatty(STDERR_FILENO) && (!m_printTranscript || !isatty(STDOUT_FILENO));
    connect(m_engine, &Engine::event, this, [this](const EngineEvent &e) { onEvent(e); });

    // Ctrl-C stops the session: what was said is kept, the session is cancelled.
    connect(new SignalWatcher(this), &SignalWatcher::received, this, [this] { interrupted(); });

    m_clock.start();
    if (const auto error = m_engine->start(m_id)) {
        QTextStream(stderr) << "crosstalk: " << error->message << '\n';
        // A cap still reached leaves the session paused, as a run that reached it does.
        if (const Session *session = m_engine->session(m_id);
            session && !budgetReached(*session).isEmpty()) {
            QTextStream(stderr) << "To go on: crosstalk resume "
                                << m_id.toString(QUuid::WithoutBraces)
                                << " --budget-tokens N|none --budget-cost X|none\n";
            return ExitPaused;
        }
        if (error->code == ErrorCode::StorageError)
            return ExitStorage;
        return error->code == ErrorCode::Conflict ? ExitUsage : ExitFailure;
    }
    return QCoreApplication::exec();
}

void RunCommand::showProgress()
{
    const Session *session = m_engine->session(m_id);
    qint64 done = 0;
    for (const Message &m : session->messages)
        done += m.status != MessageStatus::Streaming;
    QTextStream(stderr) << "\r\x1b[K" << "Round "
                        << std::min(session->completedRounds() + 1, session->rounds) << " of "
                        << session->rounds << " · " << done << " messages · "
                        << QLocale().toString(session->usage.tokensIn + session->usage.tokensOut)
                        << " tokens · " << m_clock.elapsed() / 1000 << " s" << Qt::flush;
}

void RunCommand::onEvent(const EngineEvent &event)
{
    if (m_printer)
        m_printer->onEvent(event);
    // A progress line where it does not mix with the transcript: stderr on a terminal while
    // the transcript goes elsewhere or nowhere.
    if (m_progress && event.type != EngineEventType::MessageDelta)
        showProgress();
    if (event.type != EngineEventType::SessionStatus)
        return;
    switch (event.newStatus) {
    case SessionStatus::Completed:
        m_exitCode = ExitOk;
        break;
    case SessionStatus::Paused:
        m_exitCode = ExitPaused;
        m_pauseReason = event.reason;
        break;
    case SessionStatus::Cancelled:
        m_exitCode = m_interrupted ? ExitInterrupted : ExitFailure;
        break;
    default:
        return;
    }
    if (const std::optional<Error> unsaved = m_engine->storageFault(m_id)) {
        m_exitCode = ExitStorage;
        m_pauseReason = unsaved->message;
    }
    // Replies still in flight (a paused round, a stop) settle before the run ends.
    QMetaObject::invokeMethod(this, [this] { finish(); }, Qt::QueuedConnection);
}

void RunCommand::interrupted()
{
    if (m_interrupted)
        return;
    m_interrupted = true;
    QTextStream(stderr) << "\ncrosstalk: interrupted; keeping what was said.\n";
    if (m_engine->stop(m_id))
        finish();
}

void RunCommand::finish()
{
    const Session *session = m_engine->session(m_id);
    const bool settled =
        std::none_of(session->messages.cbegin(), session->messages.cend(),
                     [](const Message &m) { return m.status == MessageStatus::Streaming; });
    if (!settled) {
        QMetaObject::invokeMethod(this, [this] { finish(); }, Qt::QueuedConnection);
        return;
    }
    if (!writeOutput())
        m_exitCode = ExitFailure;
    QTextStream err(stderr);
    if (m_progress)
        err << "\r\x1b[K";
    const QString id = session->id.toString(QUuid::WithoutBraces);
    const QString figures =
        u"%1 messages, %2 tokens%3, %4 s"_s.arg(session->messages.size())
            .arg(QLocale().toString(session->usage.tokensIn + session->usage.tokensOut))
            .arg(session->usage.estimated ? u" (estimated)"_s : QString())
            .arg(m_clock.elapsed() / 1000.0, 0, 'f', 1);
    if (m_exitCode == ExitOk && !m_jsonOnStdout && m_printer) {
        err << "\nCompleted: " << figures << ". Session " << id << ".\n";
        if (session->result)
            err << "Result: " << session->result->answer << " (" << session->result->votes << " of "
                << session->participants.size() << " votes)\n";
    } else if (m_exitCode == ExitPaused) {
        err << "\nPaused: " << m_pauseReason << "\n"
            << figures << ". Session " << id << " is kept paused.\n";
        if (!budgetReached(*session).isEmpty())
            err << "To go on under new caps: crosstalk resume " << id
                << " --budget-tokens N|none --budget-cost X|none\n";
    } else if (m_exitCode == ExitStorage) {
        err << "\nPaused: " << m_pauseReason << "\n"
            << figures << ". Once the store can be written again, 'crosstalk resume " << id
            << "' continues from what was saved.\n";
    }
    QCoreApplication::exit(m_exitCode);
}

bool RunCommand::writeOutput()
{
    const Session &session = *m_engine->session(m_id);
    if (m_jsonOnStdout) {
        m_out.flush();
        QFile out;
        if (!out.open(stdout, QIODevice::WriteOnly) ||
            Exporter::write(session, ExportFormat::SessionDocument, out))
            return false;
    }
    if (m_outPath.isEmpty())
        return true;
    if (const auto error = Exporter::writeFile(session, *m_format, m_outPath)) {
        QTextStream(stderr) << "crosstalk run: " << error->message << '\n';
        return false;
    }
    if (m_sayWhereSaved)
        QTextStream(stderr) << "Saved the conversation to "
                            << QDir::current().absoluteFilePath(m_outPath) << '\n';
    return true;
}

} // namespace

int runCommand(const QStringList &arguments)
{
    RunCommand command;
    return command.exec(arguments, RunCommand::Mode::Run);
}

int resumeCommand(const QStringList &arguments)
{
    RunCommand command;
    return command.exec(arguments, RunCommand::Mode::Resume);
}

} // namespace Crosstalk::Cli
