// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace Crosstalk {

// One thing wrong with an input: where (a path such as `participants[2].name`) and what.
struct FieldError
{
    QString path;
    QString problem;

    QString toString() const
    {
        return path.isEmpty() ? problem : path + QLatin1StringView(": ") + problem;
    }
    bool operator==(const FieldError &) const = default;
};

// The outcome of reading untrusted input: a value, or every problem found in it. Readers
// report all problems at once so that a user fixes a file in one go.
template<typename T>
struct Parsed
{
    std::optional<T> value;
    QList<FieldError> errors;

    explicit operator bool() const { return value.has_value(); }
};

} // namespace Crosstalk
