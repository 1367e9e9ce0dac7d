// SPDX-License-Identifier: GPL-3.0-or-later
// What the window's flow tests share: locations of their own, and the window on an Engine whose
// models m0 and m1 talk to the fake LLM server.
#pragma once

#include "config/appidentity.h"
#include "config/secretstore.h"
#include "config/settings.h"
#include "context/appcontext.h"
#include "engine/engine.h"
#include "fakellmserver.h"
#include "llm/chatclient.h"
#include "localapi.h"
#include "mainwindow.h"

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

// The window over an application context with a store, models m0 and m1 on the fake server
// (settings file in the sandbox), secrets in memory and, as the app gives it, a local REST API.
struct WindowFixture
{
    std::unique_ptr<AppContext> context;
    Engine *engine = nullptr;
    std::unique_ptr<MainWindow> window;

    // The context over the sandbox's settings, secrets in memory and the store at `storePath`.
    void createContext(const QString &storePath)
    {
        AppOptions options(QStringLiteral("window"));
        options.secrets = AppOptions::Secrets::Memory;
        options.environment = QProcessEnvironment();
        options.storePath = storePath;
        context = std::make_unique<AppContext>(options);
        engine = context->engine();
    }

    // The window as the app shows it, with its local API.
    bool showWindow()
    {
        window = std::make_unique<MainWindow>(context.get());
        // Nothing listening on this machine's ports is probed unless a test says where.
        window->setLocalServerCandidates({});
        window->setLocalApi(new LocalApi(engine, context->personaLibrary(), window.get()));
        window->show();
        return QTest::qWaitForWindowExposed(window.get());
    }

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
        createContext(storePath);
        CallTiming timing;
        timing.inactivityTimeout = std::chrono::seconds(10);
        timing.retry.maxRetries = 0;
        context->chatClient()->setTiming(timing);
        return context->openStore() && showWindow();
    }

    ~WindowFixture() { window.reset(); }
};

} // namespace Crosstalk::Test
