#include "apirequest.h"

#include "core/duration.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace mf::api {

QString ApiRequest::query(const QString &name) const
{
    return m_request.query().queryItemValue(name, QUrl::FullyDecoded);
}

bool ApiRequest::hasQuery(const QString &name) const
{
    return m_request.query().hasQueryItem(name);
}

QString ApiRequest::authorization() const
{
    const QString value = QString::fromLatin1(m_request.value("authorization")).trimmed();
    for (const auto scheme : {"bearer "_L1, "thing "_L1}) {
        if (value.startsWith(scheme, Qt::CaseInsensitive))
            return value.mid(scheme.size()).trimmed();
    }
    return value;
}

namespace {

// The first string (key or value) in `value` that is not valid UTF-16: JSON's "\ud800" escapes decode to a lone
// surrogate that has no UTF-8 form (it would be stored as the invalid bytes ED A0 80).
bool hasInvalidString(const QJsonValue &value)
{
    if (value.isString())
        return !QStringView(value.toString()).isValidUtf16();
    if (value.isArray()) {
        for (const QJsonValue &item : value.toArray())
            if (hasInvalidString(item))
                return true;
    } else if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            if (!QStringView(it.key()).isValidUtf16() || hasInvalidString(it.value()))
                return true;
    }
    return false;
}

} // namespace

Result<QJsonValue> ApiRequest::jsonBody() const
{
    return parseJsonBody(m_request.value("content-type"), m_request.body());
}

Result<QJsonValue> parseJsonBody(const QByteArray &contentType, const QByteArray &body)
{
    const QByteArray type = contentType.split(';').first().trimmed().toLower();
    if (type != "application/json")
        return fail(ErrorCode::UnsupportedMediaType, u"Content-Type must be application/json"_s);
    if (body.trimmed().isEmpty())
        return fail(ErrorCode::Malformed, u"request body is empty"_s);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return fail(ErrorCode::Malformed, u"invalid JSON at offset %1: %2"_s.arg(error.offset).arg(error.errorString()));
    const QJsonValue value = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
    if (hasInvalidString(value))
        return fail(ErrorCode::Malformed, u"invalid JSON: a string holds an unpaired surrogate escape (\\ud800-\\udfff)"_s);
    return value;
}

Result<QJsonObject> ApiRequest::jsonObjectBody() const
{
    auto value = jsonBody();
    if (!value)
        return std::unexpected(value.error());
    if (!value->isObject())
        return fail(ErrorCode::Malformed, u"request body must be a JSON object"_s);
    return value->toObject();
}

namespace {

Result<qint64> integerParam(const QUrlQuery &query, const QString &name, qint64 fallback, qint64 min, qint64 max)
{
    const QStringList values = query.allQueryItemValues(name);
    if (values.isEmpty())
        return fallback;
    if (values.size() > 1)
        return fail(ErrorCode::Malformed, name + u": given more than once"_s);
    bool ok = false;
    const qint64 value = values.first().toLongLong(&ok);
    if (!ok || value < min || value > max)
        return fail(ErrorCode::Malformed, u"%1: must be an integer from %2 to %3"_s.arg(name).arg(min).arg(max));
    return value;
}

} // namespace

Result<PageQuery> ApiRequest::pageQuery() const
{
    return pageQuery(false);
}

Result<PageQuery> ApiRequest::thingPageQuery() const
{
    return pageQuery(true);
}

Result<PageQuery> ApiRequest::pageQuery(bool things) const
{
    const QUrlQuery q = m_request.query();
    PageQuery page;
    for (const QString &name : {u"name"_s, u"order"_s, u"dir"_s, u"email"_s, u"status"_s, u"offline_for"_s})
        if (q.allQueryItemValues(name).size() > 1)
            return fail(ErrorCode::Malformed, name + u": given more than once"_s);
    auto offset = integerParam(q, u"offset"_s, 0, 0, std::numeric_limits<int>::max());
    if (!offset)
        return std::unexpected(offset.error());
    auto limit = integerParam(q, u"limit"_s, 10, 1, MaxPageLimit);
    if (!limit)
        return std::unexpected(limit.error());
    page.offset = *offset;
    page.limit = *limit;
    page.name = q.queryItemValue(u"name"_s, QUrl::FullyDecoded);
    if (page.name.size() > MaxNameLength)
        return fail(ErrorCode::Malformed, u"name: too long"_s);
    const QString order = q.queryItemValue(u"order"_s);
    if (!order.isEmpty()) {
        const bool known = order == "name"_L1 || order == "created"_L1 || (things && order == "last_seen"_L1);
        if (!known)
            return fail(ErrorCode::Malformed, things ? u"order: must be \"name\", \"created\" or \"last_seen\""_s
                                                     : u"order: must be \"name\" or \"created\""_s);
        page.order = order;
    }
    const QString dir = q.queryItemValue(u"dir"_s);
    if (!dir.isEmpty()) {
        if (dir != "asc"_L1 && dir != "desc"_L1)
            return fail(ErrorCode::Malformed, u"dir: must be \"asc\" or \"desc\""_s);
        page.descending = dir == "desc"_L1;
    }
    if (!things)
        return page;
    page.status = q.queryItemValue(u"status"_s);
    if (!page.status.isEmpty() && page.status != "online"_L1 && page.status != "offline"_L1)
        return fail(ErrorCode::Malformed, u"status: must be \"online\" or \"offline\""_s);
    if (const QString offlineFor = q.queryItemValue(u"offline_for"_s); !offlineFor.isEmpty()) {
        auto ms = parseDuration(offlineFor);
        if (!ms)
            return fail(ErrorCode::Malformed, u"offline_for: "_s + ms.error().message);
        page.offlineForMs = *ms;
    }
    page.nowMs = QDateTime::currentMSecsSinceEpoch();
    return page;
}

} // namespace mf::api
