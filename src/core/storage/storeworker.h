// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "storage/storeresult.h"

#include <QObject>
#include <QThread>

#include <functional>
#include <memory>

namespace Crosstalk {

class SessionStore;

// A thread with a connection of its own to the session store, for the writes of a process:
// a write that waits for another process's lock (up to the busy timeout) or for a slow disk
// then never stalls the thread that asked for it. Jobs run one at a time, in the order they
// were posted.
class StoreWorker : public QObject
{
    Q_OBJECT

public:
    explicit StoreWorker(QObject *parent = nullptr);
    // Runs the jobs posted so far, then closes the connection.
    ~StoreWorker() override;

    // Opens the worker's connection alongside `store` (SessionStore::openAlongside) and
    // waits until it is open: once, at start.
    StoreResult<void> open(const SessionStore &store);

    // Runs `job` on the worker's thread after every job posted before it. Without an open
    // connection the job is not run.
    void post(std::function<void(SessionStore &)> job);
    // Runs `job` like post() and waits for it: for the few writes whose outcome the caller
    // needs before it can answer (a lease). Without an open connection the job is not run.
    void call(const std::function<void(SessionStore &)> &job);
    // Waits until every job posted so far has run.
    void drain();

private:
    // On m_thread: `job` on the worker's connection, when it is open.
    void run(const std::function<void(SessionStore &)> &job);

    QThread m_thread;
    QObject *m_executor;                   // lives on m_thread
    std::unique_ptr<SessionStore> m_store; // created, used and closed on m_thread
};

} // namespace Crosstalk
