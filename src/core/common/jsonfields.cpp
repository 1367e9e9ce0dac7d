// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/jsonfields.h"

#include <QRegularExpression>

#include <cmath>

using namespace Qt::StringLiterals;

namespace Crosstalk {

namespace {

template<typename N>
QString rangeText(N min, N max)
{
    // An upper limit that only keeps a count inside an int is technical, not a rule a person
    // needs to be told.
    if (max >= N(std::numeric_limits<int>::max())) {
        return u"≥ "_s + QString::number(min);
    }
    return u"from "_s + QString::number(min) + u" to "_s + QString::number(max);
}

} // namespace

JsonFields::JsonFields(const QJsonObject &object, const QString &path, QList<FieldError> &errors)
    : m_object(object)
    , m_path(path)
    , m_errors(errors)
{}

QString JsonFields::pathOf(QAnyStringView key) const
{
    return m_path.isEmpty() ? key.toString() : m_path + u'.' + key.toString();
}

void JsonFields::fail(QAnyStringView key, const QString &problem)
{
    m_errors.append({pathOf(key), problem});
}

void JsonFields::failNotOneOf(QAnyStringView key, const QStringList &names)
{
    fail(key, u"must be one of "_s + names.join(u", "_s));
}

std::optional<QJsonValue> JsonFields::value(QLatin1StringView key, Presence presence)
{
    m_known.insert(key);
    const QJsonValue found = m_object.value(key);
    if (found.isUndefined() || found.isNull()) {
        if (presence == Presence::Required) {
            fail(key, found.isNull() ? u"must not be null"_s : u"is required"_s);
        }
        return std::nullopt;
    }
    return found;
}

std::optional<QString> JsonFields::string(QLatin1StringView key, Presence presence,
                                          qsizetype minLength, qsizetype maxLength)
{
    const std::optional<QJsonValue> found = value(key, presence);
    if (!found) {
        return std::nullopt;
    }
    if (!found->isString()) {
        fail(key, u"must be a string"_s);
        return std::nullopt;
    }
    const QString text = found->toString();
    const qsizetype length = QStringView(text).toUcs4().size();
    if (length < minLength || length > maxLength) {
        if (maxLength != std::numeric_limits<qsizetype>::max()) {
            fail(key, u"must be "_s + QString::number(minLength) + u" to "_s +
                          QString::number(maxLength) + u" characters long"_s);
        } else if (minLength <= 1) {
            fail(key, u"must not be empty"_s);
        } else {
            fail(key, u"must be at least "_s + QString::number(minLength) + u" characters long"_s);
        }
        return std::nullopt;
    }
    return text;
}

std::optional<qint64> JsonFields::integer(QLatin1StringView key, qint64 min, qint64 max,
                                          Presence presence)
{
    const std::optional<QJsonValue> found = value(key, presence);
    if (!found) {
        return std::nullopt;
    }
    const double number = found->toDouble();
    if (!found->isDouble() || std::trunc(number) != number || number < double(min) ||
        number > double(max)) {
        fail(key, u"must be an integer "_s + rangeText(min, max));
        return std::nullopt;
    }
    return qint64(number);
}

std::optional<double> JsonFields::number(QLatin1StringView key, double min, double max,
                                         Presence presence)
{
    const std::optional<QJsonValue> found = value(key, presence);
    if (!found) {
        return std::nullopt;
    }
    const double number = found->toDouble();
    if (!found->isDouble() || number < min || number > max) {
        fail(key, u"must be a number "_s + rangeText(min, max));
        return std::nullopt;
    }
    return number;
}

std::optional<bool> JsonFields::boolean(QLatin1StringView key, Presence presence)
{
    const std::optional<QJsonValue> found = value(key, presence);
    if (!found) {
        return std::nullopt;
    }
    if (!found->isBool()) {
        fail(key, u"must be true or false"_s);
        return std::nullopt;
    }
    return found->toBool();
}

std::optional<QJsonObject> JsonFields::object(QLatin1StringView key, Presence presence)
{
    const std::optional<QJsonValue> found = value(key, presence);
    if (!found) {
        return std::nullopt;
    }
    if (!found->isObject()) {
        fail(key, u"must be an object"_s);
        return std::nullopt;
    }
    return found->toObject();
}

std::optional<QJsonArray> JsonFields::array(QLatin1StringView key, Presence presence)
{
    const std::optional<QJsonValue> found = value(key, presence);
    if (!found) {
        return std::nullopt;
    }
    if (!found->isArray()) {
        fail(key, u"must be an array"_s);
        return std::nullopt;
    }
    return found->toArray();
}

std::optional<QStringList> JsonFields::stringList(QLatin1StringView key, Presence presence)
{
    const std::optional<QJsonArray> items = array(key, presence);
    if (!items) {
        return std::nullopt;
    }
    QStringList result;
    bool allStrings = true;
    for (qsizetype i = 0; i < items->size(); ++i) {
        if (!items->at(i).isString()) {
            m_errors.append({elementPath(pathOf(key), i), u"must be a string"_s});
            allStrings = false;
        }
        result.append(items->at(i).toString());
    }
    return allStrings ? std::optional(result) : std::nullopt;
}

std::optional<QUuid> JsonFields::uuid(QLatin1StringView key, Presence presence)
{
    static const QRegularExpression lowerCaseUuid(
        u"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"_s);
    const std::optional<QJsonValue> found = value(key, presence);
    if (!found) {
        return std::nullopt;
    }
    const QString text = found->toString();
    if (!found->isString() || !lowerCaseUuid.match(text).hasMatch()) {
        fail(key, u"must be a lower-case UUID with hyphens"_s);
        return std::nullopt;
    }
    return QUuid::fromString(text);
}

std::optional<QDateTime> JsonFields::dateTime(QLatin1StringView key, Presence presence)
{
    // Strict on purpose: the writer always gives this form, and a time without a zone or
    // milliseconds would read back as something else than was meant.
    static const QRegularExpression isoUtcWithMs(
        u"^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$"_s);
    const std::optional<QJsonValue> found = value(key, presence);
    if (!found) {
        return std::nullopt;
    }
    const QString text = found->toString();
    const QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!found->isString() || !isoUtcWithMs.match(text).hasMatch() || !time.isValid()) {
        fail(key, u"must be a UTC time like 2026-11-25T14:03:07.125Z"_s);
        return std::nullopt;
    }
    return time;
}

void JsonFields::rejectUnknownKeys()
{
    for (const QString &key : m_object.keys()) {
        if (!m_known.contains(key)) {
            fail(key, u"is not a known field"_s);
        }
    }
}

QString jsonTime(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

QString elementPath(const QString &arrayPath, qsizetype index)
{
    return arrayPath + u'[' + QString::number(index) + u']';
}

} // namespace Crosstalk
