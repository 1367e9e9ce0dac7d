// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

class QCommandLineParser;

namespace Crosstalk::Cli {

// Exit codes shared by every subcommand (PRODUCT.md §4).
enum ExitCode
{
    ExitOk = 0,
    ExitFailure = 1,
    ExitUsage = 2,
    ExitPaused = 3, // a provider failure or a budget cap left the session paused
    ExitNotFound = 4,
    ExitStorage = 5, // the store could not be written: the session paused (QUALITY.md R14)
    ExitInterrupted = 130,
};

// True when the arguments ask for something that needs no window: a subcommand, --help or
// --version. Decided before any application object exists, so these work without a display.
bool isHeadless(const QStringList &arguments);

// The old tool's flags (`--crosstalk big,small --crosstalk-iterations 2 …`) as the `run`
// command they stand for; other arguments are returned unchanged.
QStringList translateLegacyFlags(const QStringList &arguments);

// A subcommand's --help text: the usage line names the subcommand after the program.
QString subcommandHelp(const QCommandLineParser &parser, const QString &subcommand);

// Runs a headless request on an existing QCoreApplication; returns the process exit code.
int run(const QStringList &arguments);

} // namespace Crosstalk::Cli
