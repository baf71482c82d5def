#pragma once

#include "core/entities.h"
#include "core/error.h"

#include <QHash>
#include <QHttpServerRequest>
#include <QJsonValue>

namespace mf::api {

// A request body as JSON (what ApiRequest::jsonBody() does with the request's Content-Type and body): an object or
// an array, UnsupportedMediaType unless the type is application/json (parameters allowed), Malformed with the
// parser's reason for invalid JSON, an empty body, or a string that is not valid UTF-16 (an unpaired surrogate).
Result<QJsonValue> parseJsonBody(const QByteArray &contentType, const QByteArray &body);

// One request as a handler sees it: the Qt request, the method and the path parameters of the matched route.
class ApiRequest final
{
public:
    ApiRequest(const QHttpServerRequest &request, QHash<QString, QString> params)
        : m_request(request), m_params(std::move(params))
    {
    }

    const QHttpServerRequest &raw() const { return m_request; }
    QString param(const QString &name) const { return m_params.value(name); }
    QByteArray header(const QByteArray &name) const { return m_request.value(name); }
    QString query(const QString &name) const;
    bool hasQuery(const QString &name) const;
    QByteArray body() const { return m_request.body(); }

    // The credential in `Authorization`: "Bearer <t>" and "Thing <t>" lose their scheme; a raw value (Mainflux
    // 0.7) is returned as it is.
    QString authorization() const;
    // The body parsed as JSON. UnsupportedMediaType unless Content-Type is application/json (parameters allowed);
    // Malformed with the parser's reason for invalid JSON or an empty body.
    Result<QJsonValue> jsonBody() const;
    Result<QJsonObject> jsonObjectBody() const;
    // offset/limit/name/order/dir with Mainflux's rules: limit 1..100 (default 10), offset ≥ 0, each at most once.
    Result<PageQuery> pageQuery() const;
    // pageQuery() plus the thing list's own: order=last_seen, status=online|offline, offline_for=<seconds> or a
    // duration such as 90s, 15m, 2h, 1d (nowMs is set for it).
    Result<PageQuery> thingPageQuery() const;

private:
    Result<PageQuery> pageQuery(bool things) const;

    const QHttpServerRequest &m_request;
    QHash<QString, QString> m_params;
};

} // namespace mf::api
