// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/storeworker.h"

#include "storage/sessionstore.h"

namespace Crosstalk {

StoreWorker::StoreWorker(QObject *parent)
    : QObject(parent)
    , m_executor(new QObject)
{
    m_thread.setObjectName(QStringLiteral("crosstalk-store"));
    m_executor->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_executor, &QObject::deleteLater);
    m_thread.start();
}

StoreWorker::~StoreWorker()
{
    QMetaObject::invokeMethod(
        m_executor, [this] { m_store.reset(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

StoreResult<void> StoreWorker::open(const SessionStore &store)
{
    StoreResult<void> opened;
    QMetaObject::invokeMethod(
        m_executor,
        [this, &store, &opened] {
            auto connection = std::make_unique<SessionStore>();
            opened = connection->openAlongside(store);
            if (opened)
                m_store = std::move(connection);
        },
        Qt::BlockingQueuedConnection);
    m_open = opened.ok();
    return opened;
}

Error StoreWorker::notOpenError()
{
    return storeError(ErrorCode::StorageError, tr("The session store is not open."));
}

void StoreWorker::run(const std::function<void(SessionStore &)> &job)
{
    if (!m_store)
        return;
    // A busy timeout changed on the other connection applies here too; should the pragma
    // fail, the job's own statements report the store's trouble.
    (void)m_store->followBusyTimeout();
    job(*m_store);
}

void StoreWorker::post(std::function<void(SessionStore &)> job)
{
    QMetaObject::invokeMethod(
        m_executor, [this, job = std::move(job)] { run(job); }, Qt::QueuedConnection);
}

void StoreWorker::call(const std::function<void(SessionStore &)> &job)
{
    QMetaObject::invokeMethod(m_executor, [this, &job] { run(job); }, Qt::BlockingQueuedConnection);
}

void StoreWorker::drain()
{
    QMetaObject::invokeMethod(m_executor, [] {}, Qt::BlockingQueuedConnection);
}

} // namespace Crosstalk
