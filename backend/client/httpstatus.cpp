#include "httpstatus.h"

namespace mf::client {

ErrorCode errorCodeForStatus(int status)
{
    switch (status) {
    case 400:
        return ErrorCode::Malformed;
    case 401:
        return ErrorCode::Unauthenticated;
    case 403:
        return ErrorCode::Forbidden;
    case 404:
        return ErrorCode::NotFound;
    case 409:
        return ErrorCode::Conflict;
    case 413:
        return ErrorCode::TooLarge;
    case 415:
        return ErrorCode::UnsupportedMediaType;
    case 422:
        return ErrorCode::Conflict; // Mainflux 0.10+ reports duplicates as 422
    case 429:
        return ErrorCode::TooManyRequests;
    case 500:
        return ErrorCode::Internal;
    case 502:
    case 503:
    case 504:
        return ErrorCode::Unavailable;
    }
    if (status >= 400 && status < 500) return ErrorCode::Malformed; // e.g. 405: the request itself is wrong
    return ErrorCode::Internal;
}

} // namespace mf::client
