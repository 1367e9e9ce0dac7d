// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace Crosstalk::Cli {

// `crosstalk serve --port P --bind ADDR --token T`: the REST API without a window, on this
// process's engine and the shared session store. Runs until Ctrl-C or SIGTERM, which pause the
// running sessions (resumable) and end it with 0. Exit code 2 for bad usage or an address that
// cannot be used (a port in use), 1 when no token could be had.
int serveCommand(const QStringList &arguments);

} // namespace Crosstalk::Cli
