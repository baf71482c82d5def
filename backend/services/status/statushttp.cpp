#include "statushttp.h"

#include "core/messagejson.h"

#include <QJsonArray>
#include <QStringDecoder>

using namespace Qt::StringLiterals;
using mf::api::ApiRequest;
using mf::api::ApiResponse;
using Method = mf::api::Router::Method;

namespace mf::status {

namespace {

constexpr int historyPageLimit = 100;

ApiResponse valuesResponse(const Result<QList<StoredMessage>> &values)
{
    if (!values)
        return ApiResponse::error(values.error());
    QJsonArray array;
    for (const StoredMessage &value : *values)
        array.append(json::toJson(value));
    return ApiResponse::json(QJsonObject{{u"total"_s, array.size()}, {u"values"_s, array}});
}

constexpr int refusalsPageLimit = 200;

} // namespace

// The payload's head as text when it is UTF-8 (cut at a character boundary), else base64.
QJsonObject refusalJson(const Refusal &r)
{
    QJsonObject o{{u"at"_s, r.at},         {u"channel"_s, r.channel}, {u"thing"_s, r.thing},
                  {u"protocol"_s, r.protocol}, {u"client"_s, r.client}, {u"reason"_s, r.reason},
                  {u"payload_size"_s, r.payloadSize}};
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = utf8.decode(r.payloadHead);
    if (!utf8.hasError())
        o.insert(u"payload"_s, text);
    else
        o.insert(u"payload_base64"_s, QString::fromLatin1(r.payloadHead.toBase64()));
    return o;
}

namespace {

ApiResponse refusalsResponse(const Result<QList<Refusal>> &refusals)
{
    if (!refusals)
        return ApiResponse::error(refusals.error());
    QJsonArray array;
    for (const Refusal &r : *refusals)
        array.append(refusalJson(r));
    return ApiResponse::json(QJsonObject{{u"total"_s, array.size()}, {u"refusals"_s, array}});
}

} // namespace

void addStatusRoutes(api::Router &router, things::ThingsService &things, storage::ThingStatusRepository &statuses,
                     storage::LatestValueRepository &latest, storage::RefusalRepository &refusals,
                     things::Authenticator authenticate)
{
    const auto withUser = [authenticate](things::UserHandler handler) {
        return things::withUser(authenticate, std::move(handler));
    };
    router.add(Method::Get, u"/things/{id}/status"_s,
               withUser([&things, &statuses](const ApiRequest &req, const User &user) {
                   auto thing = things.viewThing(user.id, req.param(u"id"_s));
                   if (!thing)
                       return ApiResponse::error(thing.error());
                   auto history = statuses.history(user.id, thing->id, historyPageLimit);
                   if (!history)
                       return ApiResponse::error(history.error());
                   QJsonArray entries;
                   for (const storage::StatusHistoryEntry &e : *history)
                       entries.append(QJsonObject{{u"at"_s, e.at},
                                                  {u"online"_s, e.online},
                                                  {u"protocol"_s, e.protocol},
                                                  {u"reason"_s, e.reason}});
                   QJsonObject body{{u"thing"_s, thing->id}, {u"online"_s, thing->status.online},
                                    {u"history"_s, entries}};
                   if (thing->status.lastSeen > 0) {
                       body.insert(u"last_seen"_s, thing->status.lastSeen);
                       body.insert(u"last_protocol"_s, thing->status.lastProtocol);
                   }
                   if (thing->status.connectedSince > 0)
                       body.insert(u"connected_since"_s, thing->status.connectedSince);
                   return ApiResponse::json(body);
               }));
    router.add(Method::Get, u"/things/{id}/latest"_s, withUser([&latest](const ApiRequest &req, const User &user) {
                   return valuesResponse(latest.ofThing(user.id, req.param(u"id"_s)));
               }));
    router.add(Method::Get, u"/channels/{id}/latest"_s,
               withUser([&latest](const ApiRequest &req, const User &user) {
                   return valuesResponse(latest.ofChannel(user.id, req.param(u"id"_s)));
               }));
    router.add(Method::Get, u"/things/{id}/refusals"_s,
               withUser([&refusals](const ApiRequest &req, const User &user) {
                   return refusalsResponse(refusals.ofThing(user.id, req.param(u"id"_s), refusalsPageLimit));
               }));
    router.add(Method::Get, u"/channels/{id}/refusals"_s,
               withUser([&refusals](const ApiRequest &req, const User &user) {
                   return refusalsResponse(refusals.ofChannel(user.id, req.param(u"id"_s), refusalsPageLimit));
               }));
}

} // namespace mf::status
