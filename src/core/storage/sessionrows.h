// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// How sessions and messages map to the store's rows and JSON columns, shared by the parts of
// SessionStore. Internal to storage/.

#include "conversation/session.h"
#include "storage/sqlstatement.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QStringList>

#include <optional>

namespace Crosstalk::StoreRows {

using namespace Qt::StringLiterals;

// The columns sessionFrom() and messageFrom() read, in their order.
extern const QString sessionColumns;
extern const QString messageColumns;

template<typename E>
std::optional<E> enumFrom(const QVariant &value, const QString &what, QStringList &problems)
{
    const auto result = enumFromString<E>(value.toString());
    if (!result) {
        problems.append(u"%1 has the unknown value '%2'"_s.arg(what, value.toString()));
    }
    return result;
}

// The setup's JSON columns, in SetupJson's form. The readers also take the form the store wrote
// before that (a colour as `#aarrggbb` or "", a flat `budget_tokens` and `budget_cost`).
QString participantsText(const QList<Participant> &participants);
QList<Participant> participantsFrom(const QJsonArray &array, const QString &what,
                                    QStringList &problems);
QString optionsText(const SessionOptions &options);
SessionOptions optionsFrom(const QJsonObject &object, const QString &what, QStringList &problems);
std::optional<QJsonDocument> parseJson(const QVariant &value, const QString &what,
                                       QStringList &problems);
// A row of sessionColumns; what cannot be read is added to `problems`.
Session sessionFrom(const StoreSql::Statement &row, QStringList &problems);
// A row of messageColumns; what cannot be read is added to `problems`.
Message messageFrom(const StoreSql::Statement &row, QStringList &problems);
Error unreadable(const QString &what, const QStringList &problems);
// Whether readMessages() reads each message's stored request, its largest column by far.
enum class Requests
{
    Read,
    Skip,
};
StoreResult<QList<Message>> readMessages(const QSqlDatabase &db, const QUuid &sessionId, int offset,
                                         int limit, Requests requests = Requests::Read);
bool sessionExists(const QSqlDatabase &db, const QUuid &sessionId, QSqlError *error);
Error sessionNotFound(const QUuid &sessionId);

} // namespace Crosstalk::StoreRows
