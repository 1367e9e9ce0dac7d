// SPDX-License-Identifier: GPL-3.0-or-later
#include "httperror.h"

namespace Crosstalk::HttpError {

using Status = QHttpServerResponder::StatusCode;

Status statusCode(ErrorCode code, Dialect dialect)
{
    switch (code) {
    case ErrorCode::InvalidArgument:
        return dialect == Dialect::Legacy ? Status::UnprocessableEntity : Status::BadRequest;
    case ErrorCode::NotFound:
        return Status::NotFound;
    case ErrorCode::Conflict:
        return Status::Conflict;
    // The server stands between the client and the model provider, like a gateway.
    case ErrorCode::ProviderError:
        return Status::BadGateway;
    case ErrorCode::Timeout:
        return Status::GatewayTimeout;
    case ErrorCode::Unauthorized:
        return Status::Unauthorized;
    case ErrorCode::PayloadTooLarge:
        return Status::PayloadTooLarge;
    case ErrorCode::RateLimited:
        return Status::TooManyRequests;
    case ErrorCode::StorageError:
        return Status::ServiceUnavailable;
    case ErrorCode::Internal:
        return Status::InternalServerError;
    }
    Q_UNREACHABLE_RETURN(Status::InternalServerError);
}

QHttpServerResponse response(const Error &error, Dialect dialect)
{
    return QHttpServerResponse(error.toJson(), statusCode(error.code, dialect));
}

} // namespace Crosstalk::HttpError
