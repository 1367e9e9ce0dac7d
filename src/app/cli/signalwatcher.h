// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

namespace Crosstalk::Cli {

// Ctrl-C and SIGTERM as a Qt signal. A Unix signal handler may do almost nothing, so it only
// writes a byte to a socket pair; the event loop reads it and emits `received`. The pair is the
// process's: make one watcher at a time.
class SignalWatcher : public QObject
{
    Q_OBJECT

public:
    // Handles SIGINT and SIGTERM from now on, unless the socket pair cannot be made: then the
    // signals keep their default action, ending the process.
    explicit SignalWatcher(QObject *parent);

Q_SIGNALS:
    void received();
};

} // namespace Crosstalk::Cli
