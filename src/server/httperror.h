// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/error.h"

#include <QHttpServerResponder>
#include <QHttpServerResponse>

namespace Crosstalk {

// How the REST API answers with an error: the HTTP status fitting its code and the JSON body
// `{"error": {"code", "message", "details"}}`.
namespace HttpError {

// The old tool's endpoints answered invalid input with 422 (FastAPI's validation status); its
// clients may test for that, so those endpoints keep it while every newer one says 400.
enum class Dialect
{
    Crosstalk,
    Legacy,
};

QHttpServerResponder::StatusCode statusCode(ErrorCode code, Dialect dialect = Dialect::Crosstalk);
QHttpServerResponse response(const Error &error, Dialect dialect = Dialect::Crosstalk);

} // namespace HttpError
} // namespace Crosstalk
