// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/enumtraits.h"
#include "common/parsed.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <array>

namespace Crosstalk {

// The error codes shared by the command line, the REST API and MCP.
enum class ErrorCode
{
    InvalidArgument,
    NotFound,
    // The request clashes with the current state: already running, leased by another process.
    Conflict,
    ProviderError,
    Timeout,
    Unauthorized,
    PayloadTooLarge,
    RateLimited,
    // The store could not be written (disk full, read-only, corrupt, a lease lost); the
    // session pauses until it can be.
    StorageError,
    Internal,
};

template<>
struct EnumTraits<ErrorCode>
{
    static constexpr std::array<EnumName<ErrorCode>, 10> names{{
        {ErrorCode::InvalidArgument, QLatin1StringView("invalid_argument")},
        {ErrorCode::NotFound, QLatin1StringView("not_found")},
        {ErrorCode::Conflict, QLatin1StringView("conflict")},
        {ErrorCode::ProviderError, QLatin1StringView("provider_error")},
        {ErrorCode::Timeout, QLatin1StringView("timeout")},
        {ErrorCode::Unauthorized, QLatin1StringView("unauthorized")},
        {ErrorCode::PayloadTooLarge, QLatin1StringView("payload_too_large")},
        {ErrorCode::RateLimited, QLatin1StringView("rate_limited")},
        {ErrorCode::StorageError, QLatin1StringView("storage_error")},
        {ErrorCode::Internal, QLatin1StringView("internal")},
    }};
};

struct Error
{
    ErrorCode code = ErrorCode::Internal;
    // For people; never holds a key.
    QString message;
    // For programs: e.g. the fields that were wrong.
    QJsonObject details;

    // An invalid_argument error listing every field problem, in `details.fields` as
    // `{"field", "problem"}` objects.
    static Error invalidInput(const QList<FieldError> &errors);

    // `{"error": {"code", "message", "details"}}`.
    QJsonObject toJson() const;

    bool operator==(const Error &) const = default;
};

} // namespace Crosstalk
