// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "context/appcontext.h"

#include <chrono>

namespace Crosstalk {
class PersonaLibrary;
} // namespace Crosstalk

namespace Crosstalk::Cli {

// The application context of a headless command: the user's locations and keychain, with
// `command` ("crosstalk serve") prefixing warnings on stderr and naming the process in the
// store's leases. Without a store a command still works, but its sessions are not kept.
class EngineHost : public AppContext
{
    Q_OBJECT

public:
    explicit EngineHost(const QString &command, QObject *parent = nullptr);

    // How long a long-running command (serve, mcp) keeps a session in memory unused.
    static constexpr std::chrono::minutes unloadIdleAfter{5};

    PersonaLibrary &library() { return *personaLibrary(); }

    // Pauses the running sessions (resumable later) and ends the event loop with `code` once
    // the replies in flight are in — or after a while, so that a stalled one does not hold
    // the exit.
    void pauseAllAndExit(int code);

private:
    bool replyInFlight() const;
};

} // namespace Crosstalk::Cli
