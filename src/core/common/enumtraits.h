// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLatin1StringView>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

namespace Crosstalk {

template<typename E>
struct EnumName
{
    E value;
    QLatin1StringView name;
};

// Each enum of the contracts specialises this with a `names` array listing every value with
// its wire name, so that writing, reading and error messages share one table.
template<typename E>
struct EnumTraits;

template<typename E>
QString enumToString(E value)
{
    for (const auto &entry : EnumTraits<E>::names) {
        if (entry.value == value) {
            return entry.name;
        }
    }
    Q_UNREACHABLE_RETURN(QString());
}

template<typename E>
std::optional<E> enumFromString(QStringView name)
{
    for (const auto &entry : EnumTraits<E>::names) {
        if (name == entry.name) {
            return entry.value;
        }
    }
    return std::nullopt;
}

template<typename E>
QStringList enumNames()
{
    QStringList result;
    for (const auto &entry : EnumTraits<E>::names) {
        result.append(entry.name);
    }
    return result;
}

} // namespace Crosstalk
