// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QStringList>

namespace Crosstalk::Cli {

// `crosstalk mcp`: the MCP server on stdio (docs/mcp.md), on this process's engine and the
// shared session store. Newline-delimited JSON-RPC messages on stdin, one per line on stdout;
// anything else the process says goes to stderr. At the end of stdin the running sessions are
// paused (resumable) and the process ends with 0.
int mcpCommand(const QStringList &arguments);

} // namespace Crosstalk::Cli
