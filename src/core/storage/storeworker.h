// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "storage/storeresult.h"

#include <QObject>
#include <QPointer>
#include <QThread>

#include <functional>
#include <memory>
#include <optional>
#include <type_traits>

namespace Crosstalk {

class SessionStore;

// A thread with a connection of its own to the session store: a write that waits for another
// process's lock (up to the busy timeout), a long read or a slow disk then never stalls the
// thread that asked for it. Jobs run one at a time, in the order they were posted. A process
// has two: the engine's persister writes through one, and reads go through the other, so a
// write waiting for a lock never delays what a window shows.
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

    // Runs `job` (returning a StoreResult) like call() and returns its result: for a caller
    // that must answer before it returns (a server's request, a command line). Without an open
    // connection, the store's error.
    template<typename Job>
    auto fetch(Job job) -> std::invoke_result_t<Job &, SessionStore &>
    {
        using Result = std::invoke_result_t<Job &, SessionStore &>;
        std::optional<Result> result;
        call([&](SessionStore &store) { result.emplace(job(store)); });
        return result ? std::move(*result) : Result(notOpenError());
    }

    // Runs `job` (returning a StoreResult) on the worker's thread like post(), then `done` with
    // its result on this worker's thread, unless `context` is gone by then: the way a window
    // reads, or takes a lease, without waiting. Without an open connection `done` gets the
    // store's error.
    template<typename Job, typename Done>
    void submit(QObject *context, Job job, Done done)
    {
        using Result = std::invoke_result_t<Job &, SessionStore &>;
        QPointer<QObject> receiver(context);
        ++m_submitted;
        auto answer = [this, receiver, done = std::move(done)](Result result) mutable {
            QMetaObject::invokeMethod(
                this,
                [this, receiver, result = std::move(result), done = std::move(done)]() mutable {
                    if (receiver)
                        done(std::move(result));
                    if (--m_submitted == 0)
                        Q_EMIT allAnswered();
                },
                Qt::QueuedConnection);
        };
        if (!m_open) {
            answer(Result(notOpenError()));
            return;
        }
        post([job = std::move(job), answer = std::move(answer)](SessionStore &store) mutable {
            answer(job(store));
        });
    }
    // Whether a submit() has not answered yet.
    bool hasPending() const { return m_submitted > 0; }

Q_SIGNALS:
    // The last submit() in flight has answered.
    void allAnswered();

private:
    // On m_thread: `job` on the worker's connection, when it is open.
    void run(const std::function<void(SessionStore &)> &job);
    static Error notOpenError();

    QThread m_thread;
    QObject *m_executor;                   // lives on m_thread
    std::unique_ptr<SessionStore> m_store; // created, used and closed on m_thread
    bool m_open = false;                   // whether open() succeeded; read on this thread
    int m_submitted = 0;                   // on this thread
};

} // namespace Crosstalk
