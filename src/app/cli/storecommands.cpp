// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/storecommands.h"

#include "cli/commandline.h"
#include "conversation/sessiondocument.h"
#include "export/exporter.h"
#include "storage/progresssteps.h"
#include "storage/sessionstore.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QTextStream>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace Crosstalk::Cli {

namespace {

struct Command
{
    QCommandLineParser parser;
    QString name;

    explicit Command(const QString &commandName, const QString &description)
        : name(commandName)
    {
        parser.setApplicationDescription(description);
        parser.addHelpOption();
    }

    // ExitOk to go on; -1 after printing help; an exit code on bad usage.
    int parse(const QStringList &arguments, int positionals)
    {
        if (!parser.parse(arguments))
            return fail(parser.errorText(), ExitUsage);
        if (parser.isSet(u"help"_s)) {
            QTextStream(stdout) << subcommandHelp(parser, name);
            return -1;
        }
        if (parser.positionalArguments().size() != positionals)
            return fail(positionals == 0 ? u"unexpected argument '%1'"_s.arg(
                                               parser.positionalArguments().value(0))
                                         : u"expected %1 argument(s)"_s.arg(positionals),
                        ExitUsage);
        return ExitOk;
    }

    int fail(const QString &message, int code) const
    {
        QTextStream(stderr) << "crosstalk " << name << ": " << message << '\n';
        if (code == ExitUsage)
            QTextStream(stderr) << "Try 'crosstalk " << name << " --help'.\n";
        return code;
    }
};

// Opens the user's store, or says why not.
bool openStore(SessionStore &store, const Command &command)
{
    std::function<void(double)> progress;
    if (SessionStore::needsUpdate()) {
        QTextStream(stderr) << "crosstalk " << command.name << ": updating the session store for "
                            << "this version (once; a large store takes a minute)\n";
        progress = progressInSteps(10, [&command](int percent) {
            QTextStream(stderr) << "crosstalk " << command.name
                                << ": updating the session store: " << percent << "%\n";
        });
    }
    if (auto opened = store.open(SessionStore::defaultPath(), progress); !opened) {
        command.fail(opened.error().message, ExitFailure);
        return false;
    }
    if (auto recovered = store.recoverAfterCrash(); !recovered)
        command.fail(recovered.error().message, ExitFailure);
    return true;
}

} // namespace

int listCommand(const QStringList &arguments)
{
    Command command(u"list"_s,
                    u"List the stored sessions, the most recently updated first.\n\nExamples:\n"
                    "  crosstalk list --status paused\n"
                    "  crosstalk list --search climate --json"_s);
    const QCommandLineOption search(u"search"_s, u"Only sessions whose title or topic has TEXT."_s,
                                    u"TEXT"_s);
    const QCommandLineOption status(u"status"_s, u"Only sessions with this status."_s, u"status"_s);
    const QCommandLineOption json(u"json"_s, u"One JSON object per session, one per line."_s);
    command.parser.addOptions({search, status, json});
    if (const int code = command.parse(arguments, 0); code != ExitOk)
        return code < 0 ? ExitOk : code;

    SessionFilter filter;
    filter.text = command.parser.value(search);
    if (command.parser.isSet(status)) {
        const auto value = enumFromString<SessionStatus>(command.parser.value(status));
        if (!value)
            return command.fail(u"--status: unknown status '%1' (%2)"_s.arg(
                                    command.parser.value(status),
                                    QStringList(enumNames<SessionStatus>()).join(u", "_s)),
                                ExitUsage);
        filter.statuses = {*value};
    }
    SessionStore store;
    if (!openStore(store, command))
        return ExitFailure;
    const auto list = store.listSessions(filter);
    if (!list)
        return command.fail(list.error().message, ExitFailure);
    QTextStream out(stdout);
    if (command.parser.isSet(json)) {
        for (const SessionSummary &s : list->sessions) {
            const QJsonObject object{
                {u"id"_s, s.id.toString(QUuid::WithoutBraces)},
                {u"title"_s, s.title},
                {u"paradigm"_s, enumToString(s.paradigm)},
                {u"status"_s, enumToString(s.status)},
                {u"rounds"_s, s.rounds},
                {u"completed_rounds"_s, s.completedRounds},
                {u"message_count"_s, s.messageCount},
                {u"updated_at"_s, s.updatedAt.toString(Qt::ISODateWithMs)},
            };
            out << QJsonDocument(object).toJson(QJsonDocument::Compact) << '\n';
        }
        return ExitOk;
    }
    if (list->sessions.isEmpty()) {
        QTextStream(stderr) << "No sessions stored yet.\n";
        return ExitOk;
    }
    for (const SessionSummary &s : list->sessions) {
        out << s.id.toString(QUuid::WithoutBraces) << "  " << qSetFieldWidth(11) << Qt::left
            << enumToString(s.status) << qSetFieldWidth(10) << enumToString(s.paradigm)
            << qSetFieldWidth(0) << u"%1/%2 rounds  "_s.arg(s.completedRounds).arg(s.rounds)
            << s.updatedAt.toLocalTime().toString(u"yyyy-MM-dd HH:mm"_s) << "  " << s.title << '\n';
    }
    QTextStream(stderr) << list->total << " session(s)\n";
    return ExitOk;
}

int showCommand(const QStringList &arguments)
{
    Command command(u"show"_s, u"Show a stored session: its setup and transcript.\n\nExample:\n"
                               "  crosstalk show 1b4e28ba-2fa1-11d2-883f-0016d3cca427 --json"_s);
    command.parser.addPositionalArgument(u"id"_s, u"The session's id (see crosstalk list)."_s);
    const QCommandLineOption json(u"json"_s, u"Print the session document (JSON)."_s);
    command.parser.addOption(json);
    if (const int code = command.parse(arguments, 1); code != ExitOk)
        return code < 0 ? ExitOk : code;
    const QUuid id = QUuid::fromString(command.parser.positionalArguments().first());
    if (id.isNull())
        return command.fail(
            u"'%1' is not a session id"_s.arg(command.parser.positionalArguments().first()),
            ExitUsage);
    SessionStore store;
    if (!openStore(store, command))
        return ExitFailure;
    const auto session = store.loadSession(id);
    if (!session)
        return command.fail(session.error().message, session.error().code == ErrorCode::NotFound
                                                         ? ExitNotFound
                                                         : ExitFailure);
    QTextStream out(stdout);
    if (command.parser.isSet(json)) {
        out << QJsonDocument(SessionDocument::toJson(*session)).toJson();
        return ExitOk;
    }
    const Session &s = *session;
    out << s.title << '\n'
        << u"%1 · %2 · %3 of %4 rounds · %5 tokens"_s
               .arg(enumToString(s.paradigm), enumToString(s.status))
               .arg(s.completedRounds())
               .arg(s.rounds)
               .arg(QLocale().toString(s.usage.tokensIn + s.usage.tokensOut))
        << '\n';
    for (const Participant &p : s.participants)
        out << "  " << p.name << " (" << p.modelAlias << ")\n";
    out << "Topic: " << s.topic << '\n';
    int round = -1;
    for (const Message &m : s.messages) {
        if (m.round != round) {
            round = m.round;
            out << u"\n── Round %1 of %2 ──\n"_s.arg(round + 1).arg(s.rounds);
        }
        out << '\n' << m.speaker;
        if (m.model)
            out << " · " << m.model->label();
        if (m.type != MessageType::Opening && m.type != MessageType::Exchange)
            out << " · " << enumToString(m.type);
        out << '\n' << m.content << '\n';
        if (m.status == MessageStatus::Failed || m.status == MessageStatus::Partial)
            out << '[' << enumToString(m.status) << ": " << m.error << "]\n";
        if (m.answer)
            out << "Answer: " << *m.answer
                << (m.confidence ? u" (confidence %1)"_s.arg(*m.confidence, 0, 'g', 2) : QString())
                << '\n';
    }
    if (s.result)
        out << "\nResult: " << s.result->answer << " (" << s.result->votes << " votes)\n";
    return ExitOk;
}

int exportCommand(const QStringList &arguments)
{
    Command command(u"export"_s,
                    u"Write a stored session to a file: Markdown, HTML, PDF, plain "
                    "text, the session document or the old tool's JSON layout.\n\nExamples:\n"
                    "  crosstalk export ID --out talk.pdf\n"
                    "  crosstalk export ID --format legacy-json --out old.json"_s);
    command.parser.addPositionalArgument(u"id"_s, u"The session's id (see crosstalk list)."_s);
    const QCommandLineOption format(u"format"_s,
                                    u"md, html, pdf, txt, json (the session document) or "
                                    "legacy-json; by default from the extension of --out."_s,
                                    u"F"_s);
    const QCommandLineOption out(u"out"_s, u"The file to write."_s, u"FILE"_s);
    command.parser.addOptions({format, out});
    if (const int code = command.parse(arguments, 1); code != ExitOk)
        return code < 0 ? ExitOk : code;
    const QUuid id = QUuid::fromString(command.parser.positionalArguments().first());
    if (id.isNull())
        return command.fail(
            u"'%1' is not a session id"_s.arg(command.parser.positionalArguments().first()),
            ExitUsage);
    const QString path = command.parser.value(out);
    if (path.isEmpty())
        return command.fail(u"give the file to write with --out"_s, ExitUsage);
    const auto chosen = command.parser.isSet(format)
                            ? Exporter::formatFromName(command.parser.value(format))
                            : Exporter::formatFromPath(path);
    if (!chosen)
        return command.fail(u"unknown format; give --format as one of %1"_s.arg(
                                enumNames<ExportFormat>().join(u", "_s)),
                            ExitUsage);
    SessionStore store;
    if (!openStore(store, command))
        return ExitFailure;
    const auto session = store.loadSession(id);
    if (!session)
        return command.fail(session.error().message, session.error().code == ErrorCode::NotFound
                                                         ? ExitNotFound
                                                         : ExitFailure);
    if (const auto error = Exporter::writeFile(*session, *chosen, path))
        return command.fail(error->message, ExitFailure);
    return ExitOk;
}

int importCommand(const QStringList &arguments)
{
    Command command(u"import"_s,
                    u"Import a session document (JSON, any format_version) into the store; "
                    "prints its id.\n\nExample:\n  crosstalk import talk.json"_s);
    command.parser.addPositionalArgument(u"file"_s, u"The session document."_s);
    if (const int code = command.parse(arguments, 1); code != ExitOk)
        return code < 0 ? ExitOk : code;
    const QString path = command.parser.positionalArguments().first();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return command.fail(u"cannot read %1: %2"_s.arg(path, file.errorString()), ExitNotFound);
    const Parsed<Session> parsed = SessionDocument::read(file.readAll());
    if (!parsed) {
        QStringList problems;
        for (const FieldError &e : parsed.errors)
            problems << u"  "_s + e.toString();
        return command.fail(
            u"%1 is not a valid session document:\n%2"_s.arg(path, problems.join(u'\n')),
            ExitUsage);
    }
    SessionStore store;
    if (!openStore(store, command))
        return ExitFailure;
    const auto imported = store.importSession(*parsed.value);
    if (!imported)
        return command.fail(imported.error().message, ExitFailure);
    if (*imported == SessionStore::Imported::AlreadyStored)
        return command.fail(u"session %1 is already in the store"_s.arg(
                                parsed.value->id.toString(QUuid::WithoutBraces)),
                            ExitUsage);
    const Session &session = *parsed.value;
    QTextStream(stdout) << session.id.toString(QUuid::WithoutBraces) << '\n';
    QTextStream(stderr) << "Imported \"" << session.title << "\" (" << session.messages.size()
                        << " messages).\n";
    return ExitOk;
}

} // namespace Crosstalk::Cli
