#include "thingshttp.h"

#include "core/entitiesjson.h"

using namespace Qt::StringLiterals;
using mf::api::ApiRequest;
using mf::api::ApiResponse;
using Method = mf::api::Router::Method;

namespace mf::things {

namespace {

Result<std::optional<QString>> optionalString(const QJsonObject &body, QLatin1StringView field)
{
    const QJsonValue value = body.value(field);
    if (value.isUndefined() || value.isNull())
        return std::optional<QString>();
    if (!value.isString())
        return fail(ErrorCode::Malformed, field + u": must be a string"_s);
    return std::optional<QString>(value.toString());
}

// A draft from JSON; absent fields keep the values of `base` (so PUT with only a name keeps type and metadata).
Result<ThingDraft> thingDraft(const QJsonObject &body, const ThingDraft &base, bool allowKey)
{
    ThingDraft draft = base;
    auto type = optionalString(body, "type"_L1);
    if (!type)
        return std::unexpected(type.error());
    if (*type)
        draft.type = (*type)->toLower();
    auto name = optionalString(body, "name"_L1);
    if (!name)
        return std::unexpected(name.error());
    if (*name)
        draft.name = **name;
    if (body.contains("metadata"_L1)) {
        auto metadata = Metadata::fromJson(body.value("metadata"_L1));
        if (!metadata)
            return std::unexpected(metadata.error());
        draft.metadata = *metadata;
    }
    if (allowKey) {
        auto key = optionalString(body, "key"_L1);
        if (!key)
            return std::unexpected(key.error());
        draft.key = *key;
    }
    return draft;
}

Result<ChannelDraft> channelDraft(const QJsonObject &body, const ChannelDraft &base)
{
    ChannelDraft draft = base;
    auto name = optionalString(body, "name"_L1);
    if (!name)
        return std::unexpected(name.error());
    if (*name)
        draft.name = **name;
    if (body.contains("metadata"_L1)) {
        auto metadata = Metadata::fromJson(body.value("metadata"_L1));
        if (!metadata)
            return std::unexpected(metadata.error());
        draft.metadata = *metadata;
    }
    return draft;
}

Result<QJsonArray> arrayBody(const ApiRequest &req)
{
    auto body = req.jsonBody();
    if (!body)
        return std::unexpected(body.error());
    if (!body->isArray())
        return fail(ErrorCode::Malformed, u"request body must be a JSON array"_s);
    return body->toArray();
}

Result<QStringList> idList(const QJsonObject &body, QLatin1StringView field)
{
    const QJsonValue value = body.value(field);
    if (!value.isArray())
        return fail(ErrorCode::Malformed, field + u": missing or not an array of ids"_s);
    QStringList ids;
    for (const QJsonValue &id : value.toArray()) {
        if (!id.isString() || id.toString().isEmpty())
            return fail(ErrorCode::Malformed, field + u": every id must be a non-empty string"_s);
        ids.append(id.toString());
    }
    if (ids.isEmpty())
        return fail(ErrorCode::Malformed, field + u": must not be empty"_s);
    return ids;
}

template <typename T>
ApiResponse respond(const Result<T> &result, const std::function<ApiResponse(const T &)> &ok)
{
    return result ? ok(*result) : ApiResponse::error(result.error());
}

} // namespace

std::function<ApiResponse(const ApiRequest &)> withUser(Authenticator authenticate, UserHandler handler)
{
    return [authenticate = std::move(authenticate), handler = std::move(handler)](const ApiRequest &req) {
        auto user = authenticate(req);
        return user ? handler(req, *user) : ApiResponse::error(user.error());
    };
}

void addThingsRoutes(api::Router &router, ThingsService &service, Authenticator authenticate)
{
    // Every handler authenticates first (withUser).
    const auto withUser = [authenticate](UserHandler handler) { return things::withUser(authenticate, handler); };

    // Things
    router.add(Method::Post, u"/things"_s, withUser([&service](const ApiRequest &req, const User &user) {
        auto body = req.jsonObjectBody();
        if (!body)
            return ApiResponse::error(body.error());
        auto draft = thingDraft(*body, ThingDraft{}, true);
        if (!draft)
            return ApiResponse::error(draft.error());
        auto created = service.createThings(user.id, {*draft});
        if (!created)
            return ApiResponse::error(created.error());
        const Thing &thing = created->first();
        return ApiResponse::json(json::toJson(thing), 201).withHeader("Location", "/things/" + thing.id.toLatin1());
    }));
    router.add(Method::Post, u"/things/bulk"_s, withUser([&service](const ApiRequest &req, const User &user) {
        auto body = arrayBody(req);
        if (!body)
            return ApiResponse::error(body.error());
        QList<ThingDraft> drafts;
        for (qsizetype i = 0; i < body->size(); ++i) {
            if (!body->at(i).isObject())
                return ApiResponse::error(ErrorCode::Malformed, u"thing %1: must be an object"_s.arg(i));
            auto draft = thingDraft(body->at(i).toObject(), ThingDraft{}, true);
            if (!draft)
                return ApiResponse::error(ErrorCode::Malformed, u"thing %1: "_s.arg(i) + draft.error().message);
            drafts.append(*draft);
        }
        auto created = service.createThings(user.id, drafts);
        if (!created)
            return ApiResponse::error(created.error());
        QJsonArray things;
        for (const Thing &t : *created)
            things.append(json::toJson(t));
        return ApiResponse::json(QJsonObject{{u"things"_s, things}}, 201);
    }));
    router.add(Method::Get, u"/things"_s, withUser([&service](const ApiRequest &req, const User &user) {
        auto query = req.thingPageQuery();
        if (!query)
            return ApiResponse::error(query.error());
        return respond<Page<Thing>>(service.listThings(user.id, *query), [](const Page<Thing> &page) {
            return ApiResponse::json(json::pageToJson(page, u"things"_s));
        });
    }));
    router.add(Method::Get, u"/things/{id}"_s, withUser([&service](const ApiRequest &req, const User &user) {
        return respond<Thing>(service.viewThing(user.id, req.param(u"id"_s)),
                              [](const Thing &t) { return ApiResponse::json(json::toJson(t)); });
    }));
    router.add(Method::Put, u"/things/{id}"_s, withUser([&service](const ApiRequest &req, const User &user) {
        auto body = req.jsonObjectBody();
        if (!body)
            return ApiResponse::error(body.error());
        auto current = service.viewThing(user.id, req.param(u"id"_s));
        if (!current)
            return ApiResponse::error(current.error());
        auto draft = thingDraft(*body, ThingDraft{current->type, current->name, current->metadata, {}}, false);
        if (!draft)
            return ApiResponse::error(draft.error());
        return respond<Thing>(service.updateThing(user.id, current->id, *draft),
                              [](const Thing &t) { return ApiResponse::json(json::toJson(t)); });
    }));
    router.add(Method::Delete, u"/things/{id}"_s, withUser([&service](const ApiRequest &req, const User &user) {
        auto removed = service.removeThing(user.id, req.param(u"id"_s));
        return removed ? ApiResponse::empty(204) : ApiResponse::error(removed.error());
    }));
    router.add(Method::Patch, u"/things/{id}/key"_s, withUser([&service](const ApiRequest &req, const User &user) {
        std::optional<QString> key;
        if (!req.body().trimmed().isEmpty()) {
            auto body = req.jsonObjectBody();
            if (!body)
                return ApiResponse::error(body.error());
            auto given = optionalString(*body, "key"_L1);
            if (!given)
                return ApiResponse::error(given.error());
            key = *given;
        }
        return respond<Thing>(service.rotateKey(user.id, req.param(u"id"_s), key), [](const Thing &t) {
            return ApiResponse::json(QJsonObject{{u"id"_s, t.id}, {u"key"_s, t.key}});
        });
    }));
    router.add(Method::Get, u"/things/{id}/channels"_s, withUser([&service](const ApiRequest &req, const User &user) {
        auto query = req.pageQuery();
        if (!query)
            return ApiResponse::error(query.error());
        return respond<Page<Channel>>(service.listChannelsOfThing(user.id, req.param(u"id"_s), *query),
                                      [](const Page<Channel> &page) {
                                          return ApiResponse::json(json::pageToJson(page, u"channels"_s));
                                      });
    }));

    // Channels
    router.add(Method::Post, u"/channels"_s, withUser([&service](const ApiRequest &req, const User &user) {
        auto body = req.jsonObjectBody();
        if (!body)
            return ApiResponse::error(body.error());
        auto draft = channelDraft(*body, ChannelDraft{});
        if (!draft)
            return ApiResponse::error(draft.error());
        auto created = service.createChannels(user.id, {*draft});
        if (!created)
            return ApiResponse::error(created.error());
        const Channel &channel = created->first();
        return ApiResponse::json(json::toJson(channel), 201)
            .withHeader("Location", "/channels/" + channel.id.toLatin1());
    }));
    router.add(Method::Post, u"/channels/bulk"_s, withUser([&service](const ApiRequest &req, const User &user) {
        auto body = arrayBody(req);
        if (!body)
            return ApiResponse::error(body.error());
        QList<ChannelDraft> drafts;
        for (qsizetype i = 0; i < body->size(); ++i) {
            if (!body->at(i).isObject())
                return ApiResponse::error(ErrorCode::Malformed, u"channel %1: must be an object"_s.arg(i));
            auto draft = channelDraft(body->at(i).toObject(), ChannelDraft{});
            if (!draft)
                return ApiResponse::error(ErrorCode::Malformed, u"channel %1: "_s.arg(i) + draft.error().message);
            drafts.append(*draft);
        }
        auto created = service.createChannels(user.id, drafts);
        if (!created)
            return ApiResponse::error(created.error());
        QJsonArray channels;
        for (const Channel &c : *created)
            channels.append(json::toJson(c));
        return ApiResponse::json(QJsonObject{{u"channels"_s, channels}}, 201);
    }));
    router.add(Method::Get, u"/channels"_s, withUser([&service](const ApiRequest &req, const User &user) {
        auto query = req.pageQuery();
        if (!query)
            return ApiResponse::error(query.error());
        return respond<Page<Channel>>(service.listChannels(user.id, *query), [](const Page<Channel> &page) {
            return ApiResponse::json(json::pageToJson(page, u"channels"_s));
        });
    }));
    router.add(Method::Get, u"/channels/{id}"_s, withUser([&service](const ApiRequest &req, const User &user) {
        return respond<Channel>(service.viewChannel(user.id, req.param(u"id"_s)),
                                [](const Channel &c) { return ApiResponse::json(json::toJson(c)); });
    }));
    router.add(Method::Put, u"/channels/{id}"_s, withUser([&service](const ApiRequest &req, const User &user) {
        auto body = req.jsonObjectBody();
        if (!body)
            return ApiResponse::error(body.error());
        auto current = service.viewChannel(user.id, req.param(u"id"_s));
        if (!current)
            return ApiResponse::error(current.error());
        auto draft = channelDraft(*body, ChannelDraft{current->name, current->metadata});
        if (!draft)
            return ApiResponse::error(draft.error());
        return respond<Channel>(service.updateChannel(user.id, current->id, *draft),
                                [](const Channel &c) { return ApiResponse::json(json::toJson(c)); });
    }));
    router.add(Method::Delete, u"/channels/{id}"_s, withUser([&service](const ApiRequest &req, const User &user) {
        auto removed = service.removeChannel(user.id, req.param(u"id"_s));
        return removed ? ApiResponse::empty(204) : ApiResponse::error(removed.error());
    }));
    router.add(Method::Get, u"/channels/{id}/things"_s, withUser([&service](const ApiRequest &req, const User &user) {
        auto query = req.thingPageQuery();
        if (!query)
            return ApiResponse::error(query.error());
        return respond<Page<Thing>>(service.listThingsOfChannel(user.id, req.param(u"id"_s), *query),
                                    [](const Page<Thing> &page) {
                                        return ApiResponse::json(json::pageToJson(page, u"things"_s));
                                    });
    }));

    // What the dashboard's overview counts.
    router.add(Method::Get, u"/stats"_s, withUser([&service](const ApiRequest &, const User &user) {
        auto counts = service.counts(user.id);
        return counts ? ApiResponse::json(QJsonObject{{u"things"_s, counts->things},
                                                      {u"channels"_s, counts->channels},
                                                      {u"connections"_s, counts->connections}})
                      : ApiResponse::error(counts.error());
    }));

    // Connections
    router.add(Method::Put, u"/channels/{chanId}/things/{thingId}"_s,
               withUser([&service](const ApiRequest &req, const User &user) {
                   auto ok = service.connect(user.id, {req.param(u"chanId"_s)}, {req.param(u"thingId"_s)});
                   return ok ? ApiResponse::empty(200) : ApiResponse::error(ok.error());
               }));
    router.add(Method::Delete, u"/channels/{chanId}/things/{thingId}"_s,
               withUser([&service](const ApiRequest &req, const User &user) {
                   auto ok = service.disconnect(user.id, {req.param(u"chanId"_s)}, {req.param(u"thingId"_s)});
                   return ok ? ApiResponse::empty(204) : ApiResponse::error(ok.error());
               }));
    for (const bool connecting : {true, false}) {
        router.add(Method::Post, connecting ? u"/connect"_s : u"/disconnect"_s,
                   withUser([&service, connecting](const ApiRequest &req, const User &user) {
                       auto body = req.jsonObjectBody();
                       if (!body)
                           return ApiResponse::error(body.error());
                       auto channels = idList(*body, "channel_ids"_L1);
                       if (!channels)
                           return ApiResponse::error(channels.error());
                       auto things = idList(*body, "thing_ids"_L1);
                       if (!things)
                           return ApiResponse::error(things.error());
                       auto ok = connecting ? service.connect(user.id, *channels, *things)
                                            : service.disconnect(user.id, *channels, *things);
                       return ok ? ApiResponse::empty(connecting ? 200 : 204) : ApiResponse::error(ok.error());
                   }));
    }
}

} // namespace mf::things
