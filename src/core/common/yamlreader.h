// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/enumtraits.h"
#include "common/parsed.h"

#include <QColor>
#include <QHash>
#include <QString>
#include <QStringList>

#include <yaml-cpp/yaml.h>

#include <optional>

namespace Crosstalk {

// Where a YAML node or error is, for messages: " (line L, column C)", or nothing when unknown.
QString yamlLocation(const YAML::Mark &mark);

// The keys of one YAML mapping, looked up by name; its duplicate and unknown keys are
// reported when it is read.
class YamlMapping
{
public:
    std::optional<YAML::Node> take(const QString &key) const
    {
        const auto it = m_values.constFind(key);
        return it == m_values.cend() ? std::nullopt : std::optional(*it);
    }
    QHash<QString, YAML::Node> m_values;
};

// Reads YAML values from untrusted input, as JsonFields does for JSON: every problem goes to
// a shared list with the key's full path and its line and column, and a getter returns
// nothing for a missing or wrong value.
class YamlReader
{
public:
    explicit YamlReader(QList<FieldError> &errors)
        : m_errors(errors)
    {}

    void fail(const QString &path, const YAML::Node &node, const QString &problem);

    static QString pathOf(const QString &parent, const QString &key)
    {
        return parent.isEmpty() ? key : parent + QLatin1Char('.') + key;
    }

    YamlMapping mapping(const QString &path, const YAML::Node &node, const QStringList &known);
    std::optional<QString> string(const QString &path, const YAML::Node &node, qsizetype minLength,
                                  qsizetype maxLength);
    // A name or model alias: 1 to 64 characters, trimmed.
    std::optional<QString> name(const QString &path, const YAML::Node &node);
    std::optional<qint64> integer(const QString &path, const YAML::Node &node, qint64 min,
                                  qint64 max);
    std::optional<double> positiveNumber(const QString &path, const YAML::Node &node);
    std::optional<double> number(const QString &path, const YAML::Node &node, double min,
                                 double max);
    std::optional<bool> boolean(const QString &path, const YAML::Node &node);
    // #rrggbb or a colour name such as teal.
    std::optional<QColor> colour(const QString &path, const YAML::Node &node);

    template<typename E>
    std::optional<E> enumeration(const QString &path, const YAML::Node &node)
    {
        const std::optional<E> value =
            node.IsScalar() ? enumFromString<E>(QString::fromStdString(node.Scalar()))
                            : std::nullopt;
        if (!value) {
            fail(path, node,
                 QLatin1StringView("must be one of ") +
                     enumNames<E>().join(QLatin1StringView(", ")));
        }
        return value;
    }

private:
    QList<FieldError> &m_errors;
};

} // namespace Crosstalk
