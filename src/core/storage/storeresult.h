// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"

#include <optional>
#include <utility>

namespace Crosstalk {

inline Error storeError(ErrorCode code, const QString &message)
{
    return Error{code, message, {}};
}

// The outcome of a store operation: a value, or the error that prevented it. Store errors
// use the shared codes: not_found for an unknown id, conflict for a clash with what is stored
// (a duplicate id, a lease held by another process), internal for a failing database.
// [[nodiscard]] because an ignored store error is data silently lost.
template<typename T>
class [[nodiscard]] StoreResult
{
public:
    StoreResult(T value)
        : m_value(std::move(value))
    {}
    StoreResult(Error error)
        : m_error(std::move(error))
    {}

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return *m_value; }
    T &&value() && { return std::move(*m_value); }
    const T &operator*() const & { return *m_value; }
    const T *operator->() const { return &*m_value; }

    const Error &error() const { return m_error; }

private:
    std::optional<T> m_value;
    Error m_error;
};

// For operations that return nothing but may fail.
template<>
class [[nodiscard]] StoreResult<void>
{
public:
    StoreResult() = default;
    StoreResult(Error error)
        : m_error(std::move(error))
    {}

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }

    const Error &error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

} // namespace Crosstalk
