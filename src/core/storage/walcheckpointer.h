// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>

class QThread;

namespace Crosstalk {

// Copies a store's write-ahead log into its database file from a thread of its own. SQLite
// would otherwise do it inside whichever commit takes the log past its size limit: on the GUI
// thread, with an fsync, a stall of tens of milliseconds in the middle of a streaming session.
// SessionStore turns that automatic checkpoint off on its connection and runs one of these.
// A PASSIVE checkpoint never waits for readers or writers, and one that finds another
// process's checkpoint running is simply tried again at the next turn.
class WalCheckpointer
{
public:
    static constexpr std::chrono::milliseconds defaultInterval{1000};

    WalCheckpointer();
    ~WalCheckpointer();
    WalCheckpointer(const WalCheckpointer &) = delete;
    WalCheckpointer &operator=(const WalCheckpointer &) = delete;

    // Checkpoints the database at `path` every `interval` until stop().
    void start(const QString &path, std::chrono::milliseconds interval = defaultInterval);
    // Waits for a checkpoint under way to end.
    void stop();

private:
    void run(const QString &path, std::chrono::milliseconds interval);

    std::unique_ptr<QThread> m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
};

} // namespace Crosstalk
