// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/storewatcher.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace Crosstalk {

StoreWatcher::StoreWatcher(QObject *parent)
    : QObject(parent)
    , m_connectionName(u"crosstalk-watcher-"_s + QUuid::createUuid().toString(QUuid::WithoutBraces))
{
    connect(&m_timer, &QTimer::timeout, this, &StoreWatcher::poll);
}

StoreWatcher::~StoreWatcher()
{
    stop();
}

bool StoreWatcher::start(const QString &path, std::chrono::milliseconds interval)
{
    stop();
    m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connectionName);
    m_db.setDatabaseName(path);
    // Read-only, so watching never creates a database or takes a write lock.
    m_db.setConnectOptions(u"QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=1000"_s);
    if (!m_db.open()) {
        m_error = u"Cannot watch the session store %1: %2"_s.arg(path, m_db.lastError().text());
        stop();
        return false;
    }
    if (!readVersion(&m_version)) {
        stop();
        return false;
    }
    m_timer.start(interval);
    return true;
}

void StoreWatcher::stop()
{
    m_timer.stop();
    if (m_db.isValid()) {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connectionName);
    }
}

QString StoreWatcher::errorString() const
{
    return m_error;
}

bool StoreWatcher::readVersion(qint64 *version)
{
    QSqlQuery query(m_db);
    if (!query.exec(u"PRAGMA data_version"_s) || !query.next()) {
        m_error = u"Cannot read the data version of the session store: %1"_s.arg(
            query.lastError().text());
        return false;
    }
    *version = query.value(0).toLongLong();
    // An unfinished statement would pin a read snapshot, and the version would never move.
    query.finish();
    return true;
}

void StoreWatcher::poll()
{
    qint64 version = 0;
    // A failed poll (the database briefly locked) is retried at the next tick.
    if (readVersion(&version) && version != m_version) {
        m_version = version;
        Q_EMIT changed();
    }
}

} // namespace Crosstalk
