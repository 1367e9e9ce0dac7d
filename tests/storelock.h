// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A real fault for the session store (QUALITY.md R14): another connection holds the store's
// write lock, as another process that hangs in a write transaction would, so every write of
// the store under test fails once its busy timeout runs out. The tests run as root, which
// read-only permissions would not stop.
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <QUuid>

class StoreLock
{
public:
    explicit StoreLock(const QString &path)
        : m_connection(QStringLiteral("store-lock-") + QUuid::createUuid().toString())
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        db.open();
    }

    ~StoreLock()
    {
        release();
        {
            QSqlDatabase db = QSqlDatabase::database(m_connection, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_connection);
    }

    // Takes the write lock; false (with the reason in `error`) when it could not.
    bool take(QString *error = nullptr)
    {
        QSqlQuery query(QSqlDatabase::database(m_connection, false));
        m_held = query.exec(QStringLiteral("BEGIN IMMEDIATE"));
        if (!m_held && error)
            *error = query.lastError().text();
        return m_held;
    }

    void release()
    {
        if (!m_held)
            return;
        QSqlQuery query(QSqlDatabase::database(m_connection, false));
        query.exec(QStringLiteral("ROLLBACK"));
        m_held = false;
    }

private:
    QString m_connection;
    bool m_held = false;
};
