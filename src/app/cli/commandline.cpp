// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/commandline.h"

#include "cli/initcommand.h"
#include "cli/mcpcommand.h"
#include "cli/runcommand.h"
#include "cli/servecommand.h"
#include "cli/storecommands.h"
#include "config/appidentity.h"

#include <QCommandLineParser>
#include <QTextStream>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace Crosstalk::Cli {

namespace {

const QStringList kHelpAndVersion = {u"-h"_s, u"--help"_s, u"--help-all"_s, u"-v"_s,
                                     u"--version"_s};

void configure(QCommandLineParser &parser)
{
    parser.setApplicationDescription(
        u"Crosstalk: several language models, each with its own persona, talk to each other "
        "about a topic.\n\nWithout a command, crosstalk opens the window."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    parser.setApplicationDescription(parser.applicationDescription() +
                                     u"\n\nThe old tool's flags still work: --crosstalk MODELS, "
                                     "--crosstalk-paradigm, --crosstalk-iterations, "
                                     "--crosstalk-topic, --crosstalk-config, "
                                     "--system-prompt-big|middle|small (see 'crosstalk run "
                                     "--help'); like the old tool, such a run also saves "
                                     "crosstalk_PARADIGM_YYYYmmdd_HHMMSS.json (its layout) in "
                                     "the working folder. --crosstalk-init runs 'crosstalk "
                                     "init'."_s);
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    parser.addPositionalArgument(u"command"_s,
                                 u"What to do headless:\n"
                                 "  run     run a session; 'crosstalk run --help' for its flags\n"
                                 "  resume  continue a paused, stopped or interrupted session\n"
                                 "  init    set up a session step by step, then run it\n"
                                 "  list    list the stored sessions\n"
                                 "  show    show a stored session\n"
                                 "  export  write a stored session as md, html, pdf, txt or json\n"
                                 "  import  import a session document\n"
                                 "  serve   the REST API without a window; 'crosstalk serve "
                                 "--help'\n"
                                 "  mcp     the MCP server on stdio, for AI assistants"_s,
                                 u"[command] [options]"_s);
}

// The old tool's flags and the `run` flags they stand for; `--system-prompt-SLOT VALUE`
// becomes `--persona SLOT=VALUE`.
const QHash<QString, QString> kLegacyFlags = {
    {u"--crosstalk"_s, u"--models"_s},        {u"--crosstalk-iterations"_s, u"--rounds"_s},
    {u"--crosstalk-topic"_s, u"--topic"_s},   {u"--crosstalk-paradigm"_s, u"--paradigm"_s},
    {u"--crosstalk-config"_s, u"--config"_s},
};

// The old tool's wizard.
const QString kLegacyInit = u"--crosstalk-init"_s;

bool isLegacy(const QString &argument)
{
    const QString flag = argument.section(u'=', 0, 0);
    return kLegacyFlags.contains(flag) || flag.startsWith(u"--system-prompt-"_s) ||
           flag == kLegacyInit;
}

} // namespace

QStringList translateLegacyFlags(const QStringList &arguments)
{
    if (std::none_of(arguments.cbegin() + std::min<qsizetype>(1, arguments.size()),
                     arguments.cend(), isLegacy))
        return arguments;
    if (arguments.contains(kLegacyInit)) {
        QStringList init = arguments;
        init.removeAll(kLegacyInit);
        init.insert(1, u"init"_s);
        return init;
    }
    // The old quick run also saved the conversation in the working folder, in its layout.
    QStringList translated{arguments.value(0), u"run"_s, u"--old-tool-file"_s};
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        if (!isLegacy(argument)) {
            translated << argument;
            continue;
        }
        const qsizetype eq = argument.indexOf(u'=');
        const QString flag = eq < 0 ? argument : argument.left(eq);
        QString value;
        if (eq >= 0)
            value = argument.mid(eq + 1);
        else if (i + 1 < arguments.size())
            value = arguments.at(++i);
        if (flag.startsWith(u"--system-prompt-"_s))
            translated << u"--persona"_s << flag.mid(16) + u'=' + value;
        else
            translated << kLegacyFlags.value(flag) << value;
    }
    return translated;
}

QString subcommandHelp(const QCommandLineParser &parser, const QString &subcommand)
{
    QString help = parser.helpText();
    // "Usage: /path/to/crosstalk [options]": only the first line, so examples stay as written.
    const qsizetype lineEnd = help.indexOf(u'\n');
    const qsizetype options = help.lastIndexOf(u" [options]"_s, lineEnd);
    if (options > 0)
        help.insert(options, u' ' + subcommand);
    return help;
}

bool isHeadless(const QStringList &arguments)
{
    if (arguments.size() < 2)
        return false;
    if (std::any_of(arguments.cbegin() + 1, arguments.cend(), isLegacy))
        return true; // the old tool's quick run
    const QString first = arguments.at(1);
    if (!first.startsWith(u'-'))
        return true; // a subcommand
    for (const QString &argument : arguments)
        if (kHelpAndVersion.contains(argument))
            return true;
    return false;
}

int run(const QStringList &givenArguments)
{
    const QStringList arguments = translateLegacyFlags(givenArguments);
    QCommandLineParser parser;
    configure(parser);
    if (!parser.parse(arguments)) {
        QTextStream(stderr) << "crosstalk: " << parser.errorText() << '\n'
                            << "Try 'crosstalk --help'.\n";
        return ExitUsage;
    }
    if (parser.isSet(u"version"_s))
        parser.showVersion(); // exits
    if (parser.isSet(u"help"_s))
        parser.showHelp(ExitOk); // exits

    const QStringList positional = parser.positionalArguments();
    if (positional.value(0) == u"run"_s)
        return runCommand(QStringList{arguments.first() + u" run"_s} + positional.mid(1));
    if (positional.value(0) == u"resume"_s)
        return resumeCommand(QStringList{arguments.first() + u" resume"_s} + positional.mid(1));
    const QString command = positional.value(0);
    const QStringList rest = QStringList{arguments.first() + u' ' + command} + positional.mid(1);
    if (command == u"init"_s)
        return initCommand(rest);
    if (command == u"list"_s)
        return listCommand(rest);
    if (command == u"show"_s)
        return showCommand(rest);
    if (command == u"import"_s)
        return importCommand(rest);
    if (command == u"export"_s)
        return exportCommand(rest);
    if (command == u"serve"_s)
        return serveCommand(rest);
    if (command == u"mcp"_s)
        return mcpCommand(rest);
    QTextStream(stderr) << "crosstalk: unknown command '" << positional.value(0) << "'\n"
                        << "Try 'crosstalk --help'.\n";
    return ExitUsage;
}

} // namespace Crosstalk::Cli
