// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace Crosstalk::Cli {

// `crosstalk run [flags]`: builds a session from the flags, runs it headless with the
// transcript streamed to stdout, and returns the exit code of PRODUCT.md §4. Needs a running
// QCoreApplication event loop, which it starts itself.
int runCommand(const QStringList &arguments);

// `crosstalk resume ID`: continues a paused or interrupted session from the store, the same way.
int resumeCommand(const QStringList &arguments);

} // namespace Crosstalk::Cli
