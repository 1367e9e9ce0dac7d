// SPDX-License-Identifier: GPL-3.0-or-later
// What the window's flow tests share: locations of their own, and the window on an Engine whose
// models m0 and m1 talk to the fake LLM server.
#pragma once

#include "config/appidentity.h"
#include "config/secretstore.h"
#include "config/settings.h"
#include "engine/engine.h"
#include "fakellmserver.h"
#include "llm/chatclient.h"
#include "localapi.h"
#include "mainwindow.h"
#include "storage/sessionstore.h"

#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace Crosstalk::Test {

// Points every location Crosstalk uses (settings, personas, store, token file) at `dir`, so a
// test neither reads nor changes the user's files or another test's, and clears the variables
// that would configure models or the token from outside.
inline void sandboxLocations(const QTemporaryDir &dir)
{
    for (const char *variable :
         {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"})
        qputenv(variable, (dir.path() + u'/' + QString::fromLatin1(variable)).toLocal8Bit());
    for (const char *variable : {"OPENAI_API_KEY", "ANTHROPIC_API_KEY", "CROSSTALK_API_TOKEN",
                                 "BIG_MODEL", "OPENAI_BASE_URL"})
        qunsetenv(variable);
    AppIdentity::apply();
}

// The window over an Engine with a store, models m0 and m1 on the fake server (settings file in
// the sandbox), secrets in memory and, as the app gives it, a local REST API.
struct WindowFixture
{
    std::unique_ptr<MemorySecretStore> secrets = std::make_unique<MemorySecretStore>();
    std::unique_ptr<ChatClient> client = std::make_unique<ChatClient>();
    std::unique_ptr<Engine> engine;
    std::unique_ptr<SessionStore> store = std::make_unique<SessionStore>();
    std::unique_ptr<MainWindow> window;

    bool open(const Fake::FakeLlmServer &server, const QString &storePath)
    {
        Settings settings;
        for (int i = 0; i < 2; ++i)
            settings.setModelAttributes(
                QStringLiteral("m%1").arg(i),
                {{QStringLiteral("base_url"), QString(server.baseUrl().toString() + u"/v1")},
                 {QStringLiteral("model_id"), QStringLiteral("model-%1").arg(i)},
                 {QStringLiteral("max_output_tokens"), 200}});
        settings.sync();
        CallTiming timing;
        timing.inactivityTimeout = std::chrono::seconds(10);
        timing.retry.maxRetries = 0;
        client->setTiming(timing);
        engine = std::make_unique<Engine>(ModelRegistry::load({}, &settings), client.get(),
                                          secrets.get());
        if (!store->open(storePath))
            return false;
        engine->setStore(store.get(), QStringLiteral("window"));
        window = std::make_unique<MainWindow>(engine.get());
        window->setLocalApi(new LocalApi(engine.get(), window->personaLibrary(), window.get()));
        window->show();
        return QTest::qWaitForWindowExposed(window.get());
    }

    ~WindowFixture()
    {
        window.reset();
        store.reset();
        engine.reset();
    }
};

} // namespace Crosstalk::Test
