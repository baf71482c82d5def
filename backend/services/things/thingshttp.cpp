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

// The fields things and channels share; absent ones keep the draft's values (so PUT with only a name keeps the rest).
template <typename Draft>
Result<void> readNameAndMetadata(const QJsonObject &body, Draft &draft)
{
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
    return {};
}

// A draft from JSON; absent fields keep the values of `base`. allowKey: a key may be given (creating, not PUT).
Result<ThingDraft> thingDraft(const QJsonObject &body, const ThingDraft &base, bool allowKey)
{
    ThingDraft draft = base;
    auto type = optionalString(body, "type"_L1);
    if (!type)
        return std::unexpected(type.error());
    if (*type)
        draft.type = (*type)->toLower();
    if (auto read = readNameAndMetadata(body, draft); !read)
        return std::unexpected(read.error());
    if (allowKey) {
        auto key = optionalString(body, "key"_L1);
        if (!key)
            return std::unexpected(key.error());
        draft.key = *key;
    }
    return draft;
}

// The same for a channel, which has no key (the flag keeps one shape for EntityShape::draft).
Result<ChannelDraft> channelDraft(const QJsonObject &body, const ChannelDraft &base, bool /*allowKey*/)
{
    ChannelDraft draft = base;
    if (auto read = readNameAndMetadata(body, draft); !read)
        return std::unexpected(read.error());
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

// One page of a list as {"<key>": [...], "total": ..., "offset": ..., "limit": ...}.
template <typename T>
ApiResponse pageAnswer(const Result<PageQuery> &query, const std::function<Result<Page<T>>(const PageQuery &)> &list,
                       const QString &key)
{
    if (!query)
        return ApiResponse::error(query.error());
    return respond<Page<T>>(list(*query),
                            [&key](const Page<T> &page) { return ApiResponse::json(json::pageToJson(page, key)); });
}

// What differs between things and channels in their create, bulk create, list, view, update and remove routes
// (addEntityRoutes); the routes only one of them has are written out in addThingsRoutes.
template <typename Entity, typename Draft>
struct EntityShape
{
    QString collection; // "things": the path, the JSON key of lists and bulk answers, the Location header
    QString singular;   // "thing": names the element of a bulk request in its errors
    Result<PageQuery> (ApiRequest::*pageQuery)() const;
    // A draft from a JSON object; absent fields keep the values of base. allowKey: creating (POST), not PUT.
    Result<Draft> (*draft)(const QJsonObject &body, const Draft &base, bool allowKey);
    Draft (*draftOf)(const Entity &current); // the base a PUT starts from
    Result<QList<Entity>> (ThingsService::*create)(const QString &owner, const QList<Draft> &drafts);
    Result<Entity> (ThingsService::*view)(const QString &owner, const QString &id);
    Result<Page<Entity>> (ThingsService::*list)(const QString &owner, const PageQuery &query);
    Result<Entity> (ThingsService::*update)(const QString &owner, const QString &id, const Draft &draft);
    Result<void> (ThingsService::*remove)(const QString &owner, const QString &id);
};

const EntityShape<Thing, ThingDraft> thingShape{
    u"things"_s,
    u"thing"_s,
    &ApiRequest::thingPageQuery,
    thingDraft,
    [](const Thing &t) { return ThingDraft{t.type, t.name, t.metadata, {}}; }, // the key changes only by PATCH
    &ThingsService::createThings,
    &ThingsService::viewThing,
    &ThingsService::listThings,
    &ThingsService::updateThing,
    &ThingsService::removeThing,
};

const EntityShape<Channel, ChannelDraft> channelShape{
    u"channels"_s,
    u"channel"_s,
    &ApiRequest::pageQuery,
    channelDraft,
    [](const Channel &c) { return ChannelDraft{c.name, c.metadata}; },
    &ThingsService::createChannels,
    &ThingsService::viewChannel,
    &ThingsService::listChannels,
    &ThingsService::updateChannel,
    &ThingsService::removeChannel,
};

// POST /<collection>, POST /<collection>/bulk, GET /<collection>, GET, PUT and DELETE /<collection>/{id}.
template <typename Entity, typename Draft>
void addEntityRoutes(api::Router &router, ThingsService &service, const Authenticator &authenticate,
                     const EntityShape<Entity, Draft> &shape)
{
    const auto withUser = [&authenticate](UserHandler handler) { return things::withUser(authenticate, handler); };
    const auto toJson = [](const Entity &e) { return ApiResponse::json(json::toJson(e)); };
    const QString root = u'/' + shape.collection;
    const QString one = root + u"/{id}"_s;

    router.add(Method::Post, root, withUser([&service, shape](const ApiRequest &req, const User &user) {
        auto body = req.jsonObjectBody();
        if (!body)
            return ApiResponse::error(body.error());
        auto draft = shape.draft(*body, Draft{}, true);
        if (!draft)
            return ApiResponse::error(draft.error());
        auto created = (service.*shape.create)(user.id, {*draft});
        if (!created)
            return ApiResponse::error(created.error());
        const Entity &entity = created->first();
        return ApiResponse::json(json::toJson(entity), 201)
            .withHeader("Location", QString(u'/' + shape.collection + u'/' + entity.id).toLatin1());
    }));
    router.add(Method::Post, root + u"/bulk"_s, withUser([&service, shape](const ApiRequest &req, const User &user) {
        auto body = arrayBody(req);
        if (!body)
            return ApiResponse::error(body.error());
        QList<Draft> drafts;
        for (qsizetype i = 0; i < body->size(); ++i) {
            const QString element = u"%1 %2: "_s.arg(shape.singular, QString::number(i));
            if (!body->at(i).isObject())
                return ApiResponse::error(ErrorCode::Malformed, element + u"must be an object"_s);
            auto draft = shape.draft(body->at(i).toObject(), Draft{}, true);
            if (!draft)
                return ApiResponse::error(ErrorCode::Malformed, element + draft.error().message);
            drafts.append(*draft);
        }
        auto created = (service.*shape.create)(user.id, drafts);
        if (!created)
            return ApiResponse::error(created.error());
        QJsonArray entities;
        for (const Entity &e : *created)
            entities.append(json::toJson(e));
        return ApiResponse::json(QJsonObject{{shape.collection, entities}}, 201);
    }));
    router.add(Method::Get, root, withUser([&service, shape](const ApiRequest &req, const User &user) {
        return pageAnswer<Entity>(
            (req.*shape.pageQuery)(), [&](const PageQuery &q) { return (service.*shape.list)(user.id, q); },
            shape.collection);
    }));
    router.add(Method::Get, one, withUser([&service, shape, toJson](const ApiRequest &req, const User &user) {
        return respond<Entity>((service.*shape.view)(user.id, req.param(u"id"_s)), toJson);
    }));
    router.add(Method::Put, one, withUser([&service, shape, toJson](const ApiRequest &req, const User &user) {
        auto body = req.jsonObjectBody();
        if (!body)
            return ApiResponse::error(body.error());
        auto current = (service.*shape.view)(user.id, req.param(u"id"_s));
        if (!current)
            return ApiResponse::error(current.error());
        auto draft = shape.draft(*body, shape.draftOf(*current), false);
        if (!draft)
            return ApiResponse::error(draft.error());
        return respond<Entity>((service.*shape.update)(user.id, current->id, *draft), toJson);
    }));
    router.add(Method::Delete, one, withUser([&service, shape](const ApiRequest &req, const User &user) {
        auto removed = (service.*shape.remove)(user.id, req.param(u"id"_s));
        return removed ? ApiResponse::empty(204) : ApiResponse::error(removed.error());
    }));
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

    // Things: the shared shape, then key rotation and the channels a thing is connected to.
    addEntityRoutes(router, service, authenticate, thingShape);
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
        return pageAnswer<Channel>(
            req.pageQuery(),
            [&](const PageQuery &q) { return service.listChannelsOfThing(user.id, req.param(u"id"_s), q); },
            u"channels"_s);
    }));

    // Channels: the shared shape, then the things connected to one.
    addEntityRoutes(router, service, authenticate, channelShape);
    router.add(Method::Get, u"/channels/{id}/things"_s, withUser([&service](const ApiRequest &req, const User &user) {
        return pageAnswer<Thing>(
            req.thingPageQuery(),
            [&](const PageQuery &q) { return service.listThingsOfChannel(user.id, req.param(u"id"_s), q); },
            u"things"_s);
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
