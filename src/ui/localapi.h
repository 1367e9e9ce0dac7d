// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QProcessEnvironment>
#include <QUrl>

#include <memory>

namespace Crosstalk {

class Engine;
class PersonaLibrary;
class RestServer;

// The window's local REST API: a RestServer on the window's own Engine, so sessions created
// over HTTP appear live in the window and the window's sessions are visible over HTTP. It is
// switched on and off from Settings; the token comes from ApiToken (environment, keychain or
// a file only the owner can read).
class LocalApi : public QObject
{
    Q_OBJECT

public:
    LocalApi(Engine *engine, const PersonaLibrary *library, QObject *parent = nullptr);
    ~LocalApi() override;

    // Obtains the token (asynchronously), then listens on 127.0.0.1:`port`, letting at most
    // `maxRunning` sessions run at once over it. Answers through started() or failed(); a
    // running server is stopped first.
    void start(int port, int maxRunning);
    void stop();

    bool isRunning() const { return m_server != nullptr; }
    QUrl url() const;
    QString token() const { return m_token; }
    // Where the token came from, for people: "CROSSTALK_API_TOKEN", "the keychain", a path.
    QString tokenSource() const { return m_tokenSource; }

    void setEnvironment(const QProcessEnvironment &environment) { m_environment = environment; }

Q_SIGNALS:
    void started(const QUrl &url);
    void failed(const QString &message);
    void stopped();

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
