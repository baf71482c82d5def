#include "error.h"

using namespace Qt::StringLiterals;

namespace mf {

QString errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Malformed: return u"malformed"_s;
    case ErrorCode::Unauthenticated: return u"unauthenticated"_s;
    case ErrorCode::Forbidden: return u"forbidden"_s;
    case ErrorCode::NotFound: return u"not found"_s;
    case ErrorCode::Conflict: return u"conflict"_s;
    case ErrorCode::TooLarge: return u"too large"_s;
    case ErrorCode::UnsupportedMediaType: return u"unsupported media type"_s;
    case ErrorCode::TooManyRequests: return u"too many requests"_s;
    case ErrorCode::Unavailable: return u"unavailable"_s;
    case ErrorCode::Internal: return u"internal error"_s;
    }
    return u"internal error"_s;
}

} // namespace mf
