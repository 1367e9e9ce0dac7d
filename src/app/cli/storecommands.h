// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace Crosstalk::Cli {

// The session store from the terminal: `crosstalk list`, `show ID`, `export ID`
// and `import FILE`.
int listCommand(const QStringList &arguments);
int showCommand(const QStringList &arguments);
int importCommand(const QStringList &arguments);
int exportCommand(const QStringList &arguments);

} // namespace Crosstalk::Cli
