// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "persona/personalibrary.h"

#include <QObject>

#include <chrono>
#include <memory>

namespace Crosstalk {
class Engine;
class KeychainSecretStore;
class SessionStore;
} // namespace Crosstalk

namespace Crosstalk::Cli {

// What every headless command runs the engine with: the models from the environment and the
// settings, the one HTTP client, the keychain, the persona library and the user's session
// store. `command` ("crosstalk serve") prefixes warnings on stderr and names the process in
// the store's leases.
class EngineHost : public QObject
{
    Q_OBJECT

public:
    explicit EngineHost(const QString &command, QObject *parent = nullptr);
    ~EngineHost() override;

    // How long a long-running command (serve, mcp) keeps a session in memory unused.
    static constexpr std::chrono::minutes unloadIdleAfter{5};

    Engine *engine() const { return m_engine.get(); }
    KeychainSecretStore *secrets() const { return m_secrets; }
    PersonaLibrary &library() { return m_library; }

    // Opens the store and recovers what a process that died left running. Without a store
    // the command still works, but its sessions are not kept: a warning says so.
    void openStore();
    // Fills an empty persona library with the bundled personas, so that the old tool's
    // examples (path:examples/prompts/alice.txt) work at once.
    void installBundledPersonas();

    // Pauses the running sessions (resumable later) and ends the event loop with `code` once
    // the replies in flight are in — or after a while, so that a stalled one does not hold
    // the exit.
    void pauseAllAndExit(int code);

    void warn(const QString &message) const;

private:
    bool replyInFlight() const;

    QString m_command;
    KeychainSecretStore *m_secrets;
    PersonaLibrary m_library;
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<SessionStore> m_store; // declared after the engine: destroyed before it
};

} // namespace Crosstalk::Cli
