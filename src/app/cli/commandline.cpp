// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli/commandline.h"

#include "cli/runcommand.h"
#include "cli/servecommand.h"
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
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    parser.addPositionalArgument(u"command"_s,
                                 u"What to do headless:\n"
                                 "  run     run a session; 'crosstalk run --help' for its flags\n"
                                 "  resume  continue a paused or interrupted session\n"
                                 "  serve   the REST API without a window; 'crosstalk serve "
                                 "--help'"_s,
                                 u"[command] [options]"_s);
}

} // namespace

bool isHeadless(const QStringList &arguments)
{
    if (arguments.size() < 2)
        return false;
    const QString first = arguments.at(1);
    if (!first.startsWith(u'-'))
        return true; // a subcommand
    for (const QString &argument : arguments)
        if (kHelpAndVersion.contains(argument))
            return true;
    return false;
}

int run(const QStringList &arguments)
{
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
    if (positional.value(0) == u"serve"_s)
        return serveCommand(QStringList{arguments.first() + u" serve"_s} + positional.mid(1));
    QTextStream(stderr) << "crosstalk: unknown command '" << positional.value(0) << "'\n"
                        << "Try 'crosstalk --help'.\n";
    return ExitUsage;
}

} // namespace Crosstalk::Cli
