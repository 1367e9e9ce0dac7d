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

void WalCheckpointer::start(const QString &path, std::chrono::milliseconds interval)
{
    stop();
    m_stopping = false;
    m_thread.reset(QThread::create([this, path, interval] { run(path, interval); }));
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

void WalCheckpointer::run(const QString &path, std::chrono::milliseconds interval)
{
    // A connection of this thread's own: Qt SQL connections stay in the thread that made them.
    const QString name =
        u"crosstalk-checkpoint-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(path);
        db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=1000"_s);
        if (db.open()) {
            std::unique_lock lock(m_mutex);
            while (!m_wake.wait_for(lock, interval, [this] { return m_stopping; })) {
                lock.unlock();
                QSqlQuery(u"PRAGMA wal_checkpoint(PASSIVE)"_s, db).finish();
                lock.lock();
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

} // namespace Crosstalk
