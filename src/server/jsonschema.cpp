// SPDX-License-Identifier: GPL-3.0-or-later
#include "jsonschema.h"

#include <QJsonArray>
#include <QStringList>

#include <cmath>

using namespace Qt::StringLiterals;

namespace Crosstalk::JsonSchema {

namespace {

bool hasType(const QJsonValue &value, const QString &type)
{
    if (type == u"string"_s)
        return value.isString();
    if (type == u"boolean"_s)
        return value.isBool();
    if (type == u"object"_s)
        return value.isObject();
    if (type == u"array"_s)
        return value.isArray();
    if (type == u"null"_s)
        return value.isNull();
    if (type == u"number"_s)
        return value.isDouble();
    const double number = value.toDouble();
    return value.isDouble() && std::isfinite(number) && std::floor(number) == number; // integer
}

QString describe(const QJsonObject &schema)
{
    const QString type = schema.value(u"type"_s).toString();
    return type == u"integer"_s                        ? u"an integer"_s
           : type == u"object"_s || type == u"array"_s ? u"an %1"_s.arg(type)
                                                       : u"a %1"_s.arg(type);
}

void check(const QJsonValue &value, const QJsonObject &schema, const QString &path,
           QList<FieldError> &errors)
{
    if (const QJsonArray anyOf = schema.value(u"anyOf"_s).toArray(); !anyOf.isEmpty()) {
        QStringList kinds;
        for (const QJsonValue &branch : anyOf) {
            QList<FieldError> branchErrors;
            check(value, branch.toObject(), path, branchErrors);
            if (branchErrors.isEmpty())
                return;
            kinds.append(describe(branch.toObject()));
        }
        errors.append({path, u"must be %1"_s.arg(kinds.join(u" or "_s))});
        return;
    }
    const QString type = schema.value(u"type"_s).toString();
    if (!type.isEmpty() && !hasType(value, type)) {
        errors.append({path, u"must be %1"_s.arg(describe(schema))});
        return;
    }
    if (const QJsonArray allowed = schema.value(u"enum"_s).toArray();
        !allowed.isEmpty() && !allowed.contains(value)) {
        QStringList names;
        for (const QJsonValue &name : allowed)
            names.append(name.toString());
        errors.append({path, u"must be one of %1"_s.arg(names.join(u", "_s))});
        return;
    }
    if (value.isString()) {
        const qsizetype length = value.toString().size();
        if (length < schema.value(u"minLength"_s).toInt(0))
            errors.append({path, u"must not be empty"_s});
        else if (schema.contains(u"maxLength"_s) && length > schema[u"maxLength"_s].toInt())
            errors.append({path, u"must be at most %1 characters long"_s.arg(
                                     schema[u"maxLength"_s].toInt())});
    } else if (value.isDouble()) {
        const double number = value.toDouble();
        if ((schema.contains(u"minimum"_s) && number < schema[u"minimum"_s].toDouble()) ||
            (schema.contains(u"maximum"_s) && number > schema[u"maximum"_s].toDouble()))
            errors.append({path, u"must be from %1 to %2"_s.arg(schema[u"minimum"_s].toDouble())
                                     .arg(schema[u"maximum"_s].toDouble())});
    } else if (value.isArray()) {
        const QJsonArray array = value.toArray();
        if (array.size() < schema.value(u"minItems"_s).toInt(0) ||
            (schema.contains(u"maxItems"_s) && array.size() > schema[u"maxItems"_s].toInt())) {
            errors.append(
                {path, u"must have from %1 to %2 items"_s.arg(schema[u"minItems"_s].toInt())
                           .arg(schema[u"maxItems"_s].toInt())});
            return;
        }
        const QJsonObject items = schema.value(u"items"_s).toObject();
        for (qsizetype i = 0; i < array.size(); ++i)
            check(array.at(i), items, u"%1[%2]"_s.arg(path).arg(i), errors);
    } else if (value.isObject()) {
        const QJsonObject object = value.toObject();
        const QString prefix = path.isEmpty() ? QString() : path + u'.';
        for (const QJsonValue &name : schema.value(u"required"_s).toArray())
            if (!object.contains(name.toString()))
                errors.append({prefix + name.toString(), u"is required"_s});
        const QJsonObject properties = schema.value(u"properties"_s).toObject();
        const QJsonObject others = schema.value(u"additionalProperties"_s).toObject();
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            if (properties.contains(it.key()))
                check(*it, properties[it.key()].toObject(), prefix + it.key(), errors);
            else if (!others.isEmpty())
                check(*it, others, prefix + it.key(), errors);
        }
    }
}

} // namespace

QList<FieldError> check(const QJsonValue &value, const QJsonObject &schema)
{
    QList<FieldError> errors;
    check(value, schema, QString(), errors);
    return errors;
}

} // namespace Crosstalk::JsonSchema
