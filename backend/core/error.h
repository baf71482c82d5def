#pragma once

#include <QString>

#include <expected>

namespace mf {

// The small set of failures every layer speaks. The REST server maps them to HTTP status codes in exactly
// one switch (httpStatus() in backend/api/apiresponse.cpp) and the client SDK maps status codes back, so the GUI and the CLI
// show the same message the server produced.
enum class ErrorCode {
    Malformed,            // bad input: syntax, missing or wrongly typed field (400)
    Unauthenticated,      // missing, invalid or expired credentials (401)
    Forbidden,            // authenticated but not allowed (403)
    NotFound,             // unknown, or owned by someone else (404)
    Conflict,             // unique value taken (409)
    TooLarge,             // body over the limit (413)
    UnsupportedMediaType, // wrong content type (415)
    TooManyRequests,      // over a rate limit; try again shortly (429)
    Unavailable,          // a dependency (bus, database) is down (503)
    Internal,             // a bug or an unexpected storage failure (500)
};

struct Error
{
    ErrorCode code = ErrorCode::Internal;
    QString message;
};

template <typename T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(ErrorCode code, const QString &message)
{
    return std::unexpected(Error{code, message});
}

// Short English name of a code, for logs and CLI output.
QString errorCodeName(ErrorCode code);

} // namespace mf
