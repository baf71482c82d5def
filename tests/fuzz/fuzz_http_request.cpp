// Raw HTTP requests as a client sends them to the REST port or the HTTP adapter: the gate's head check (what
// QHttpServer 6.4 would read without limit or ambiguously), then, for a head it lets through, the router with the
// product's route table, the HTTP adapter's subtopic and the JSON body as the handlers read it.
// Promise: a refused head gets a 4xx/5xx with a message and a metric label; a complete one is measured inside the
// input; every path resolves to one route, a 405 with the allowed methods, or a 404; bodies are refused with a reason.

#include "api/apirequest.h"
#include "api/requesthead.h"
#include "api/router.h"
#include "bus/subjects.h"
#include "core/metadata.h"
#include "fuzzcheck.h"

#include <QJsonObject>

using mf::fuzz::check;
using Method = mf::api::Router::Method;
using namespace Qt::StringLiterals;

namespace {

// Every route the backend registers (services/users, services/things, services/reader, adapters/http, app/backend),
// with the HTTP adapter's routes under both prefixes it is served at.
const mf::api::Router &productRoutes()
{
    static const mf::api::Router router = [] {
        mf::api::Router r;
        const auto none = [](const mf::api::ApiRequest &) { return mf::api::ApiResponse{}; };
        const std::pair<Method, const char16_t *> routes[] = {
            {Method::Post, u"/users"},
            {Method::Get, u"/users"},
            {Method::Get, u"/users/me"},
            {Method::Get, u"/users/{id}"},
            {Method::Patch, u"/users/{id}"},
            {Method::Delete, u"/users/{id}"},
            {Method::Put, u"/users/{id}/password"},
            {Method::Patch, u"/password"},
            {Method::Post, u"/tokens"},
            {Method::Post, u"/things"},
            {Method::Get, u"/things"},
            {Method::Post, u"/things/bulk"},
            {Method::Get, u"/things/{id}"},
            {Method::Put, u"/things/{id}"},
            {Method::Delete, u"/things/{id}"},
            {Method::Patch, u"/things/{id}/key"},
            {Method::Get, u"/things/{id}/channels"},
            {Method::Post, u"/channels"},
            {Method::Get, u"/channels"},
            {Method::Post, u"/channels/bulk"},
            {Method::Get, u"/channels/{id}"},
            {Method::Put, u"/channels/{id}"},
            {Method::Delete, u"/channels/{id}"},
            {Method::Get, u"/channels/{id}/things"},
            {Method::Put, u"/channels/{chanId}/things/{thingId}"},
            {Method::Delete, u"/channels/{chanId}/things/{thingId}"},
            {Method::Get, u"/channels/{id}/messages"},
            {Method::Post, u"/channels/{id}/messages"},
            {Method::Post, u"/channels/{id}/messages/{subtopic...}"},
            {Method::Post, u"/http/channels/{id}/messages"},
            {Method::Post, u"/http/channels/{id}/messages/{subtopic...}"},
            {Method::Get, u"/stats"},
            {Method::Get, u"/version"},
            {Method::Get, u"/health"},
            {Method::Get, u"/metrics"},
        };
        for (const auto &[method, pattern] : routes)
            r.add(method, QString::fromUtf16(pattern), none);
        return r;
    }();
    return router;
}

Method methodOf(QByteArrayView name)
{
    static const std::pair<const char *, Method> methods[] = {
        {"GET", Method::Get},     {"PUT", Method::Put},     {"DELETE", Method::Delete},
        {"POST", Method::Post},   {"HEAD", Method::Head},   {"OPTIONS", Method::Options},
        {"PATCH", Method::Patch}, {"TRACE", Method::Trace}, {"CONNECT", Method::Connect}};
    for (const auto &[text, method] : methods)
        if (name == text) return method;
    return Method::Unknown;
}

QByteArray headerValue(const QList<QByteArray> &lines, QByteArrayView name)
{
    for (const QByteArray &line : lines) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && QByteArrayView(line).first(colon).compare(name, Qt::CaseInsensitive) == 0)
            return line.mid(colon + 1).trimmed();
    }
    return {};
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input = mf::fuzz::bytes(data, size);
    const mf::api::HeadCheck head = mf::api::checkRequestHead(input, mf::api::HttpLimits{});
    if (head.state == mf::api::HeadCheck::State::Refused) {
        check(head.status >= 400 && head.status < 600, "a refused head gets a 4xx or 5xx");
        check(!head.message.isEmpty() && !head.reason.isEmpty(), "a refused head says why and is counted");
        check(mf::api::errorAnswer(head.status, head.message).startsWith("HTTP/1.1 "), "the refusal is HTTP");
        return 0;
    }
    if (head.state == mf::api::HeadCheck::State::Incomplete) return 0;
    check(head.headLength > 0 && head.headLength <= input.size(), "a complete head lies inside the input");
    check(head.contentLength >= 0, "the content length is not negative");

    QList<QByteArray> lines = input.first(head.headLength).trimmed().replace("\r\n", "\n").split('\n');
    const QList<QByteArray> requestLine = lines.takeFirst().split(' ');
    if (requestLine.size() < 2) return 0;
    const QByteArray target = requestLine[1];
    const QString path = QString::fromLatin1(target.left(target.indexOf('?')));
    const auto resolution = productRoutes().resolve(methodOf(requestLine[0]), path);
    if (resolution.route < 0) {
        check(resolution.pattern.isEmpty() && resolution.params.isEmpty(), "no route, no parameters");
        return 0;
    }
    check(!resolution.pattern.isEmpty(), "a matched route has its pattern");
    if (resolution.pattern.endsWith(u"{subtopic...}"_s)) {
        const auto subtopic = mf::bus::normalizeSubtopic(resolution.params.value(u"subtopic"_s));
        if (subtopic)
            check(!subtopic->contains(u'*') && !subtopic->contains(u'>'), "a publish subtopic has no wildcard");
        else
            check(!subtopic.error().message.isEmpty(), "a refused subtopic says why");
    }

    const QByteArray body = input.mid(head.headLength, qsizetype(qMin<qint64>(head.contentLength, input.size())));
    const auto json = mf::api::parseJsonBody(headerValue(lines, "content-type"), body);
    if (!json) {
        check(!json.error().message.isEmpty(), "a refused body says why");
    } else if (json->isObject()) {
        const auto metadata = mf::Metadata::fromJson(json->toObject().value(u"metadata"_s));
        check(metadata || !metadata.error().message.isEmpty(), "refused metadata says why");
    }
    return 0;
}
