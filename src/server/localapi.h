// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "engine/localapicontrol.h"

#include <QProcessEnvironment>

#include <memory>

namespace Crosstalk {

class Engine;
class PersonaLibrary;
class RestServer;

// The window's local REST API: a RestServer on the window's own Engine, so sessions created
// over HTTP appear live in the window and the window's sessions are visible over HTTP. It is
// switched on and off from Settings; the token comes from ApiToken (environment, keychain or
// a file only the owner can read).
class LocalApi : public LocalApiControl
{
    Q_OBJECT

public:
    LocalApi(Engine *engine, const PersonaLibrary *library, QObject *parent = nullptr);
    ~LocalApi() override;

    // Obtains the token (asynchronously), then listens.
    void start(const Options &options) override;
    void stop() override;

    bool isRunning() const override { return m_server != nullptr; }
    QUrl url() const override;
    QString token() const override { return m_token; }
    QString tokenSource() const override { return m_tokenSource; }

    void setEnvironment(const QProcessEnvironment &environment) { m_environment = environment; }

private:
    Engine *m_engine;
    const PersonaLibrary *m_library;
    QProcessEnvironment m_environment = QProcessEnvironment::systemEnvironment();
    std::unique_ptr<RestServer> m_server;
    QString m_token;
    QString m_tokenSource;
    // Counts start() calls, so a token that arrives after a newer start() or stop() is dropped.
    int m_generation = 0;
};

} // namespace Crosstalk
