#include "readerhttp.h"

#include "core/messagejson.h"

#include <QUrlQuery>

using namespace Qt::StringLiterals;
using mf::api::ApiRequest;
using mf::api::ApiResponse;

namespace mf::reader {

namespace {

Result<MessageQuery> messageQuery(const ApiRequest &req)
{
    const QUrlQuery q = req.raw().query();
    MessageQuery query;
    for (const QString &name : {u"offset"_s, u"limit"_s, u"from"_s, u"to"_s, u"name"_s, u"publisher"_s,
                                u"subtopic"_s, u"protocol"_s})
        if (q.allQueryItemValues(name).size() > 1)
            return fail(ErrorCode::Malformed, name + u": given more than once"_s);
    bool ok = true;
    if (q.hasQueryItem(u"offset"_s)) {
        query.offset = q.queryItemValue(u"offset"_s).toLongLong(&ok);
        if (!ok || query.offset < 0)
            return fail(ErrorCode::Malformed, u"offset: must be an integer ≥ 0"_s);
    }
    if (q.hasQueryItem(u"limit"_s)) {
        query.limit = q.queryItemValue(u"limit"_s).toLongLong(&ok);
        if (!ok || query.limit < 1 || query.limit > MaxMessagePageLimit)
            return fail(ErrorCode::Malformed, u"limit: must be an integer from 1 to %1"_s.arg(MaxMessagePageLimit));
    }
    for (const auto &[name, target] : {std::pair{u"from"_s, &query.from}, std::pair{u"to"_s, &query.to}}) {
        if (!q.hasQueryItem(name))
            continue;
        const double value = q.queryItemValue(name).toDouble(&ok);
        if (!ok || !std::isfinite(value))
            return fail(ErrorCode::Malformed, name + u": must be a time in seconds since the epoch"_s);
        *target = value;
    }
    query.name = q.queryItemValue(u"name"_s, QUrl::FullyDecoded);
    query.publisher = q.queryItemValue(u"publisher"_s, QUrl::FullyDecoded);
    query.protocol = q.queryItemValue(u"protocol"_s, QUrl::FullyDecoded);
    // Subtopics are stored in their bus form; accept the URL form too ("room1/temp" = "room1.temp").
    query.subtopic = q.queryItemValue(u"subtopic"_s, QUrl::FullyDecoded).replace(u'/', u'.');
    return query;
}

} // namespace

void addReaderRoutes(api::Router &router, storage::MessageRepository &messages, things::AccessControl &access,
                     ChannelOwnerCheck ownerCheck)
{
    router.add(api::Router::Method::Get, u"/channels/{id}/messages"_s,
               [&messages, &access, ownerCheck](const ApiRequest &req) {
                   const QString channelId = req.param(u"id"_s);
                   auto owner = ownerCheck(req, channelId);
                   if (!owner) {
                       if (owner.error().code != ErrorCode::Unauthenticated)
                           return ApiResponse::error(owner.error());
                       // Not a user token: a connected thing's key may read the channel too (Mainflux 0.7).
                       auto thing = access.canAccess(channelId, req.authorization());
                       if (!thing)
                           return ApiResponse::error(thing.error().code == ErrorCode::Unauthenticated
                                                         ? Error{ErrorCode::Unauthenticated,
                                                                 u"missing or invalid user token or thing key"_s}
                                                         : thing.error());
                   }
                   auto query = messageQuery(req);
                   if (!query)
                       return ApiResponse::error(query.error());
                   auto page = messages.query(channelId, *query);
                   return page ? ApiResponse::json(json::messagePageToJson(*page)) : ApiResponse::error(page.error());
               });
}

} // namespace mf::reader
