// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/walcheckpointer.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QThread>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace Crosstalk {

WalCheckpointer::WalCheckpointer() = default;

WalCheckpointer::~WalCheckpointer()
{
    stop();
}

void WalCheckpointer::start(const QString &path, std::chrono::milliseconds interval,
                            int restartFrames)
{
    stop();
    m_stopping = false;
    m_thread.reset(QThread::create(
        [this, path, interval, restartFrames] { run(path, interval, restartFrames); }));
    m_thread->setObjectName(u"WalCheckpointer"_s);
    m_thread->start(QThread::LowPriority);
}

void WalCheckpointer::stop()
{
    if (!m_thread)
        return;
    {
        const std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_thread->wait();
    m_thread.reset();
}

void WalCheckpointer::run(const QString &path, std::chrono::milliseconds interval,
                          int restartFrames)
{
    // A connection of this thread's own: Qt SQL connections stay in the thread that made them.
    const QString name =
        u"crosstalk-checkpoint-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(path);
        // Only TRUNCATE waits, and writers wait for it meanwhile.
        db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=%1"_s.arg(busyTimeout.count()));
        if (db.open()) {
            // A reader that keeps the log in use (another process's long query) makes TRUNCATE
            // wait in vain: it is tried again once the log has grown as much again.
            int truncateAt = restartFrames;
            std::unique_lock lock(m_mutex);
            while (!m_wake.wait_for(lock, interval, [this] { return m_stopping; })) {
                lock.unlock();
                // Each answers a row: busy, the pages in the log, the pages copied.
                QSqlQuery passive(u"PRAGMA wal_checkpoint(PASSIVE)"_s, db);
                const int logFrames = passive.next() ? passive.value(1).toInt() : 0;
                passive.finish();
                if (logFrames >= truncateAt) {
                    QSqlQuery truncate(u"PRAGMA wal_checkpoint(TRUNCATE)"_s, db);
                    const bool emptied = truncate.next() && truncate.value(0).toInt() == 0;
                    truncate.finish();
                    truncateAt = emptied ? restartFrames : logFrames + restartFrames;
                }
                lock.lock();
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

} // namespace Crosstalk
