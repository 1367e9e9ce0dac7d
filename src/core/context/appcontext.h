// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"

#include <QObject>
#include <QProcessEnvironment>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace Crosstalk {

class ChatClient;
class Engine;
class PersonaLibrary;
class SecretStore;
class SessionStore;
class Settings;

// What a process runs the engine with, set once at start.
struct AppOptions
{
    enum class Secrets
    {
        Keychain, // the desktop's keychain (the window and every command)
        Memory,   // held in memory only (tests)
        None,     // keys from the environment only
    };

    explicit AppOptions(QString processKind)
        : processKind(std::move(processKind))
    {}

    // Names the process in the store's leases and prefixes its warnings: "window",
    // "crosstalk serve"…
    QString processKind;
    // Where the store (crosstalk.sqlite), the settings (crosstalk.conf) and the persona library
    // (personas/) live; empty: the user's locations (AppIdentity).
    QString dataFolder;
    // The store file, when it is not the data folder's (a test's second store).
    QString storePath;
    Secrets secrets = Secrets::Keychain;
    // Where model keys and endpoints are read from, besides the settings.
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    // Where warnings go (a model configured wrongly, a store that cannot be opened); empty:
    // stderr, prefixed with the process kind.
    std::function<void(const QString &)> warn;
};

// The one place that builds the parts of Crosstalk and wires them together: the settings, the
// models they and the environment configure, the HTTP client, the secret store, the persona
// library, the session store and the Engine over them. The window, every command, `serve`,
// `mcp` and the test fixtures start from one; nothing else constructs an Engine.
class AppContext : public QObject
{
    Q_OBJECT

public:
    explicit AppContext(AppOptions options, QObject *parent = nullptr);
    ~AppContext() override;

    const AppOptions &options() const { return m_options; }
    Settings &settings() { return *m_settings; }
    ChatClient *chatClient() const { return m_chatClient; }
    SecretStore *secrets() const { return m_secrets; }
    PersonaLibrary *personaLibrary() const { return m_library.get(); }
    Engine *engine() const { return m_engine.get(); }
    // The open store, or null before openStore() or when it could not be opened.
    SessionStore *store() const { return m_store.get(); }

    QString storePath() const;
    // True when the store exists with an older schema, so openStore() would update it first
    // (which takes a while for a large store: a window runs updateStore() first instead).
    bool storeNeedsUpdate() const;
    // Updates an older store to this version's schema, telling `progress` how far it got (0
    // to 1). It uses a connection of its own, closed when done, so any thread may run it
    // while the window's thread shows the progress. The error when it failed.
    std::optional<Error> updateStore(const std::function<void(double done)> &progress) const;
    // Opens the store (an update it needs is reported in steps through warn()), turns what a
    // process that died left running into interrupted sessions, and keeps every session there
    // from now on. False when it cannot be opened:
    // the engine then works without keeping sessions, and a warning said why.
    bool openStore();
    // Fills an empty persona library with the bundled personas, so that the old tool's
    // examples (path:examples/prompts/alice.txt) work at once.
    void installBundledPersonas();

    void warn(const QString &message) const;

private:
    AppOptions m_options;
    std::unique_ptr<Settings> m_settings;
    ChatClient *m_chatClient;
    SecretStore *m_secrets = nullptr;
    std::unique_ptr<PersonaLibrary> m_library;
    std::unique_ptr<SessionStore> m_store;
    std::unique_ptr<Engine> m_engine;
};

} // namespace Crosstalk
