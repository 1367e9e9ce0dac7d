// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace Crosstalk::Cli {

// `crosstalk init`: a terminal wizard that asks for the setup of a session one question at a
// time (answers may be piped on stdin), shows a summary, can save it as a preset, and runs it.
int initCommand(const QStringList &arguments);

} // namespace Crosstalk::Cli
