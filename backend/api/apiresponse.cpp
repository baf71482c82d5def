#include "apiresponse.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace mf::api {

int httpStatus(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Malformed: return 400;
    case ErrorCode::Unauthenticated: return 401;
    case ErrorCode::Forbidden: return 403;
    case ErrorCode::NotFound: return 404;
    case ErrorCode::Conflict: return 409;
    case ErrorCode::TooLarge: return 413;
    case ErrorCode::UnsupportedMediaType: return 415;
    case ErrorCode::TooManyRequests: return 429;
    case ErrorCode::Unavailable: return 503;
    case ErrorCode::Internal: return 500;
    }
    return 500;
}

ApiResponse ApiResponse::json(const QJsonObject &object, int status)
{
    return ApiResponse{status, QJsonDocument(object).toJson(QJsonDocument::Compact), "application/json", {}};
}

ApiResponse ApiResponse::json(const QJsonArray &array, int status)
{
    return ApiResponse{status, QJsonDocument(array).toJson(QJsonDocument::Compact), "application/json", {}};
}

ApiResponse ApiResponse::empty(int status)
{
    return ApiResponse{status, {}, {}, {}};
}

ApiResponse ApiResponse::error(const Error &error)
{
    return json(QJsonObject{{u"error"_s, error.message}}, httpStatus(error.code));
}

ApiResponse ApiResponse::tooManyRequests(const QString &message, qint64 retryAfterSeconds)
{
    return json(QJsonObject{{u"error"_s, message}}, 429)
        .withHeader("Retry-After", QByteArray::number(qMax<qint64>(1, retryAfterSeconds)));
}

} // namespace mf::api
