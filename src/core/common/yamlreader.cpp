// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/yamlreader.h"

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace Crosstalk {

namespace {

constexpr qsizetype maxNameLength = 64;

} // namespace

QString yamlLocation(const YAML::Mark &mark)
{
    if (mark.is_null()) {
        return {};
    }
    return u" (line "_s + QString::number(mark.line + 1) + u", column "_s +
           QString::number(mark.column + 1) + u')';
}

void YamlReader::fail(const QString &path, const YAML::Node &node, const QString &problem)
{
    m_errors.append({path, problem + yamlLocation(node.Mark())});
}

YamlMapping YamlReader::mapping(const QString &path, const YAML::Node &node,
                                const QStringList &known)
{
    YamlMapping result;
    for (auto it = node.begin(); it != node.end(); ++it) {
        if (!it->first.IsScalar()) {
            fail(path, it->first, u"keys must be plain names"_s);
            continue;
        }
        const QString key = QString::fromStdString(it->first.Scalar());
        const QString keyPath = pathOf(path, key);
        if (result.m_values.contains(key)) {
            fail(keyPath, it->first, u"appears twice"_s);
        } else if (!known.contains(key)) {
            fail(keyPath, it->first, u"is not a known key (known: "_s + known.join(u", "_s) + u')');
        } else {
            result.m_values.insert(key, it->second);
        }
    }
    return result;
}

std::optional<QString> YamlReader::string(const QString &path, const YAML::Node &node,
                                          qsizetype minLength, qsizetype maxLength)
{
    if (node.IsNull()) {
        fail(path, node, u"must not be empty"_s);
        return std::nullopt;
    }
    if (!node.IsScalar()) {
        fail(path, node, u"must be text"_s);
        return std::nullopt;
    }
    const QString text = QString::fromStdString(node.Scalar());
    const qsizetype length = QStringView(text).trimmed().toUcs4().size();
    if (length < minLength || length > maxLength) {
        fail(path, node,
             u"must be "_s + QString::number(minLength) + u" to "_s + QString::number(maxLength) +
                 u" characters long"_s);
        return std::nullopt;
    }
    return text;
}

std::optional<QString> YamlReader::name(const QString &path, const YAML::Node &node)
{
    const std::optional<QString> text = string(path, node, 1, maxNameLength);
    return text ? std::optional(text->trimmed()) : std::nullopt;
}

std::optional<qint64> YamlReader::integer(const QString &path, const YAML::Node &node, qint64 min,
                                          qint64 max)
{
    qint64 value = 0;
    if (!node.IsScalar() || !YAML::convert<qint64>::decode(node, value) || value < min ||
        value > max) {
        fail(path, node,
             max == std::numeric_limits<qint64>::max()
                 ? QString(u"must be a whole number ≥ "_s + QString::number(min))
                 : u"must be a whole number from "_s + QString::number(min) + u" to "_s +
                       QString::number(max));
        return std::nullopt;
    }
    return value;
}

std::optional<double> YamlReader::positiveNumber(const QString &path, const YAML::Node &node)
{
    double value = 0;
    if (!node.IsScalar() || !YAML::convert<double>::decode(node, value) || !std::isfinite(value) ||
        value <= 0) {
        fail(path, node, u"must be a number greater than 0"_s);
        return std::nullopt;
    }
    return value;
}

std::optional<double> YamlReader::number(const QString &path, const YAML::Node &node, double min,
                                         double max)
{
    double value = 0;
    if (!node.IsScalar() || !YAML::convert<double>::decode(node, value) || !std::isfinite(value) ||
        value < min || value > max) {
        fail(path, node, u"must be a number from %1 to %2"_s.arg(min).arg(max));
        return std::nullopt;
    }
    return value;
}

std::optional<bool> YamlReader::boolean(const QString &path, const YAML::Node &node)
{
    bool value = false;
    if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) {
        fail(path, node, u"must be true or false"_s);
        return std::nullopt;
    }
    return value;
}

std::optional<QColor> YamlReader::colour(const QString &path, const YAML::Node &node)
{
    const std::optional<QString> text = string(path, node, 1, maxNameLength);
    if (!text) {
        return std::nullopt;
    }
    const QColor colour = QColor::fromString(text->trimmed());
    if (!colour.isValid()) {
        fail(path, node,
             u'`' + *text + u"` is not a colour (use #rrggbb or a name such as teal)"_s);
        return std::nullopt;
    }
    return colour;
}

} // namespace Crosstalk
