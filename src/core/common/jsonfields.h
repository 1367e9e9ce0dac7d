// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/enumtraits.h"
#include "common/parsed.h"

#include <QAnyStringView>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QLatin1StringView>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QUuid>

#include <limits>
#include <optional>

namespace Crosstalk {

// Nullable keys may also be left out; every other key must be present.
enum class Presence
{
    Required,
    Nullable,
};

// Reads the fields of one JSON object from untrusted input. Every problem is appended to a
// shared error list with the field's full path, so one pass over a document reports all its
// problems; a getter returns nothing for an absent, null or wrong value. Call
// rejectUnknownKeys() after reading every known key, so that misspelt keys are reported
// rather than silently ignored.
class JsonFields
{
public:
    JsonFields(const QJsonObject &object, const QString &path, QList<FieldError> &errors);

    QString pathOf(QAnyStringView key) const;
    void fail(QAnyStringView key, const QString &problem);

    // Lengths count Unicode code points, as people count characters.
    std::optional<QString> string(QLatin1StringView key, Presence presence = Presence::Required,
                                  qsizetype minLength = 0,
                                  qsizetype maxLength = std::numeric_limits<qsizetype>::max());
    std::optional<qint64> integer(QLatin1StringView key, qint64 min, qint64 max,
                                  Presence presence = Presence::Required);
    std::optional<double> number(QLatin1StringView key, double min, double max,
                                 Presence presence = Presence::Required);
    std::optional<bool> boolean(QLatin1StringView key, Presence presence = Presence::Required);
    std::optional<QJsonObject> object(QLatin1StringView key,
                                      Presence presence = Presence::Required);
    std::optional<QJsonArray> array(QLatin1StringView key, Presence presence = Presence::Required);
    std::optional<QStringList> stringList(QLatin1StringView key,
                                          Presence presence = Presence::Required);
    std::optional<QUuid> uuid(QLatin1StringView key, Presence presence = Presence::Required);
    std::optional<QDateTime> dateTime(QLatin1StringView key,
                                      Presence presence = Presence::Required);

    template<typename E>
    std::optional<E> enumeration(QLatin1StringView key, Presence presence = Presence::Required)
    {
        const std::optional<QJsonValue> found = value(key, presence);
        if (!found) {
            return std::nullopt;
        }
        const std::optional<E> result = enumFromString<E>(found->toString());
        if (!found->isString() || !result) {
            failNotOneOf(key, enumNames<E>());
        }
        return result;
    }

    void rejectUnknownKeys();

private:
    std::optional<QJsonValue> value(QLatin1StringView key, Presence presence);
    void failNotOneOf(QAnyStringView key, const QStringList &names);

    QJsonObject m_object;
    QString m_path;
    QList<FieldError> &m_errors;
    QSet<QString> m_known;
};

// Times in JSON are UTC, ISO-8601 with milliseconds: 2026-11-25T14:03:07.125Z.
QString jsonTime(const QDateTime &time);
// The path of an array element: `messages` and 5 give `messages[5]`.
QString elementPath(const QString &arrayPath, qsizetype index);

// What the JSON forms write for "none": null, never an empty string or a made-up number.
inline QJsonValue nullIfEmpty(const QString &text)
{
    return text.isEmpty() ? QJsonValue() : QJsonValue(text);
}

template<typename T>
QJsonValue nullIfAbsent(const std::optional<T> &value)
{
    return value ? QJsonValue(*value) : QJsonValue();
}

} // namespace Crosstalk
