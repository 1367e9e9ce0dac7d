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
//
// SQLite starts the log over only when a write finds all of it copied, which a checkpoint
// running beside steady writes never achieves: under bench_serve's load the log of
// `crosstalk serve` grew by half a megabyte per session, and its index in memory with it
// (QUALITY.md R15). So once the log holds `restartFrames` pages, a TRUNCATE checkpoint copies
// what was written since the PASSIVE one and empties it. Writers wait for it meanwhile: for
// that copy, and for readers still in the log, at most busyTimeout.
class WalCheckpointer
{
public:
    static constexpr std::chrono::milliseconds defaultInterval{1000};
    static constexpr int defaultRestartFrames = 4096;
    static constexpr std::chrono::milliseconds busyTimeout{100};

    WalCheckpointer();
    ~WalCheckpointer();
    WalCheckpointer(const WalCheckpointer &) = delete;
    WalCheckpointer &operator=(const WalCheckpointer &) = delete;

    // Checkpoints the database at `path` every `interval` until stop(), and empties the log
    // once it holds `restartFrames` pages.
    void start(const QString &path, std::chrono::milliseconds interval = defaultInterval,
               int restartFrames = defaultRestartFrames);
    // Waits for a checkpoint under way to end.
    void stop();

private:
    void run(const QString &path, std::chrono::milliseconds interval, int restartFrames);

    std::unique_ptr<QThread> m_thread;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
};

} // namespace Crosstalk
