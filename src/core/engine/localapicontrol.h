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

    // Listens on 127.0.0.1:`port`, letting at most `maxRunning` sessions run at once over it.
    // Answers through started() or failed(); a running server is stopped first.
    virtual void start(int port, int maxRunning) = 0;
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
