// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The store's SQL plumbing, shared by the parts of SessionStore: statements that always
// finish, write transactions that begin IMMEDIATE, and the bindings of its column types.
// Internal to storage/.

#include "common/error.h"
#include "storage/storeresult.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimeZone>
#include <QUuid>
#include <QVariant>

#include <optional>

namespace Crosstalk::StoreSql {

using namespace Qt::StringLiterals;

inline QString idText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces);
}

inline Error failure(const QString &what, const QString &why)
{
    return storeError(ErrorCode::Internal, u"Session store: %1 failed: %2"_s.arg(what, why));
}

inline Error failure(const QString &what, const QSqlError &error)
{
    return failure(what, error.text());
}

// Columns declared NOT NULL take empty text for a null QString, which Qt SQL binds as NULL.
inline QVariant text(const QString &value)
{
    return value.isNull() ? QVariant(u""_s) : QVariant(value);
}

inline QVariant nullableText(const std::optional<QString> &value)
{
    return value ? text(*value) : QVariant(QMetaType::fromType<QString>());
}

template<typename T>
QVariant nullable(const std::optional<T> &value)
{
    return value ? QVariant::fromValue(*value) : QVariant(QMetaType::fromType<T>());
}

inline QVariant timeValue(const QDateTime &time)
{
    return time.isValid() ? QVariant(time.toMSecsSinceEpoch())
                          : QVariant(QMetaType::fromType<qint64>());
}

inline QDateTime timeFrom(const QVariant &value)
{
    return value.isNull() ? QDateTime()
                          : QDateTime::fromMSecsSinceEpoch(value.toLongLong(), QTimeZone::UTC);
}

inline QString jsonText(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

inline QString jsonText(const QJsonArray &array)
{
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

// A prepared statement that is always finished, so no read snapshot outlives the call that
// took it (an open snapshot would hide every later write by other processes).
class Statement
{
public:
    Statement(const QSqlDatabase &db, const QString &sql)
        : m_query(db)
    {
        m_query.setForwardOnly(true);
        m_prepared = m_query.prepare(sql);
    }
    ~Statement() { m_query.finish(); }
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    Statement &bind(const QString &name, const QVariant &value)
    {
        m_query.bindValue(name, value);
        return *this;
    }
    bool exec() { return m_prepared && m_query.exec(); }
    bool next() { return m_query.next(); }
    QVariant value(int column) const { return m_query.value(column); }
    int rowsAffected() const { return m_query.numRowsAffected(); }
    QSqlError error() const { return m_query.lastError(); }
    void finish() { m_query.finish(); }

private:
    QSqlQuery m_query;
    bool m_prepared = false;
};

inline StoreResult<void> execute(const QSqlDatabase &db, const QString &sql, const QString &what)
{
    Statement statement(db, sql);
    if (!statement.exec()) {
        return failure(what, statement.error());
    }
    return {};
}

// Write transactions begin IMMEDIATE: a deferred BEGIN that later upgrades to a write fails at
// once with SQLITE_BUSY in WAL mode when another process writes, while IMMEDIATE waits on the
// busy timeout. Rolled back unless committed.
class Transaction
{
public:
    enum Kind
    {
        Read,
        Write,
    };
    explicit Transaction(const QSqlDatabase &db)
        : m_db(db)
    {}
    ~Transaction()
    {
        if (m_active) {
            QSqlQuery rollback(m_db);
            rollback.exec(u"ROLLBACK"_s);
        }
    }
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

    // A read transaction makes several statements see one snapshot.
    StoreResult<void> begin(Kind kind)
    {
        auto result = execute(m_db, kind == Write ? u"BEGIN IMMEDIATE"_s : u"BEGIN"_s,
                              u"beginning a transaction"_s);
        m_active = result.ok();
        return result;
    }
    StoreResult<void> commit()
    {
        auto result = execute(m_db, u"COMMIT"_s, u"committing"_s);
        m_active = !result.ok();
        return result;
    }

private:
    QSqlDatabase m_db;
    bool m_active = false;
};

// Runs `body` in a write transaction and commits what it did, or nothing at all.
template<typename Body>
StoreResult<void> inWriteTransaction(const QSqlDatabase &db, Body &&body)
{
    Transaction transaction(db);
    if (auto begun = transaction.begin(Transaction::Write); !begun) {
        return begun;
    }
    if (StoreResult<void> done = body(); !done) {
        return done;
    }
    return transaction.commit();
}

} // namespace Crosstalk::StoreSql
