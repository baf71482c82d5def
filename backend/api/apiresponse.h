#pragma once

#include "core/error.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QPair>

namespace mf::api {

// A complete HTTP response as a value: handlers return one, the server writes it.
struct ApiResponse
{
    int status = 200;
    QByteArray body;
    QByteArray contentType; // empty = no Content-Type
    QList<QPair<QByteArray, QByteArray>> headers;

    static ApiResponse json(const QJsonObject &object, int status = 200);
    static ApiResponse json(const QJsonArray &array, int status = 200);
    static ApiResponse empty(int status);
    static ApiResponse error(const Error &error);
    static ApiResponse error(ErrorCode code, const QString &message) { return error(Error{code, message}); }
    // 429 with Retry-After (whole seconds) and {"error": message}: a limit was reached (api/failurelimiter.h).
    static ApiResponse tooManyRequests(const QString &message, qint64 retryAfterSeconds);
    ApiResponse &withHeader(const QByteArray &name, const QByteArray &value)
    {
        headers.append({name, value});
        return *this;
    }
};

// The one mapping from error codes to HTTP status codes (the client SDK holds the inverse).
int httpStatus(ErrorCode code);

} // namespace mf::api
