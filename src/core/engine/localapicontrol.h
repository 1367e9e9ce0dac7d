// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>
#include <QUrl>

namespace Crosstalk {

// Switches the local REST API on a process's Engine on and off. The server library implements
// it (LocalApi); the window drives it from Settings through this interface, so the widgets
// never link the server.
class LocalApiControl : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    struct Options
    {
        int port = 0;
        // Sessions that may run at once over the API.
        int maxRunning = 0;
        // Requests per second per client in the long run, and at once; zero turns it off.
        double ratePerSecond = 0;
        double rateBurst = 0;
    };

    // Listens on 127.0.0.1:`options.port`. Answers through started() or failed(); a running
    // server is stopped first.
    virtual void start(const Options &options) = 0;
    virtual void stop() = 0;

    virtual bool isRunning() const = 0;
    virtual QUrl url() const = 0;
    virtual QString token() const = 0;
    // Where the token came from, for people: "CROSSTALK_API_TOKEN", "the keychain", a path.
    virtual QString tokenSource() const = 0;

Q_SIGNALS:
    void started(const QUrl &url);
    void failed(const QString &message);
    void stopped();
};

} // namespace Crosstalk
