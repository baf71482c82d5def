#include "entitiesjson.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace mf::json {

QJsonObject toJson(const Thing &thing)
{
    QJsonObject object{{u"id"_s, thing.id},
                       {u"type"_s, thing.type},
                       {u"name"_s, thing.name},
                       {u"key"_s, thing.key},
                       {u"created_at"_s, thing.createdAt},
                       {u"updated_at"_s, thing.updatedAt}};
    if (thing.metadata.form() != Metadata::Form::None) object.insert(u"metadata"_s, thing.metadata.toJson());
    // Device status (additive; a 0.7 client ignores it): last_* only once heard from.
    object.insert(u"online"_s, thing.status.online);
    if (thing.status.lastSeen > 0) {
        object.insert(u"last_seen"_s, thing.status.lastSeen);
        object.insert(u"last_protocol"_s, thing.status.lastProtocol);
    }
    if (thing.status.connectedSince > 0) object.insert(u"connected_since"_s, thing.status.connectedSince);
    return object;
}

QJsonObject toJson(const Channel &channel)
{
    QJsonObject object{{u"id"_s, channel.id},
                       {u"name"_s, channel.name},
                       {u"created_at"_s, channel.createdAt},
                       {u"updated_at"_s, channel.updatedAt}};
    if (channel.metadata.form() != Metadata::Form::None) object.insert(u"metadata"_s, channel.metadata.toJson());
    return object;
}

QJsonObject toJson(const User &user)
{
    return QJsonObject{{u"id"_s, user.id},
                       {u"email"_s, user.email},
                       {u"admin"_s, user.admin},
                       {u"enabled"_s, user.enabled},
                       {u"created_at"_s, user.createdAt}};
}

namespace {

Result<QString> requiredString(const QJsonObject &object, QLatin1StringView field)
{
    const QJsonValue value = object.value(field);
    if (!value.isString())
        return fail(ErrorCode::Malformed, field + u": missing or not a string"_s);
    return value.toString();
}

} // namespace

Result<Thing> thingFromJson(const QJsonObject &object)
{
    Thing thing;
    auto id = requiredString(object, "id"_L1);
    if (!id)
        return std::unexpected(id.error());
    thing.id = *id;
    thing.type = object.value("type"_L1).toString();
    thing.name = object.value("name"_L1).toString();
    thing.key = object.value("key"_L1).toString();
    auto metadata = Metadata::fromJson(object.value("metadata"_L1));
    if (!metadata)
        return std::unexpected(metadata.error());
    thing.metadata = *metadata;
    thing.createdAt = object.value("created_at"_L1).toInteger();
    thing.updatedAt = object.value("updated_at"_L1).toInteger();
    thing.status = ThingStatus{object.value("online"_L1).toBool(), object.value("last_seen"_L1).toInteger(),
                               object.value("last_protocol"_L1).toString(),
                               object.value("connected_since"_L1).toInteger()};
    return thing;
}

Result<Channel> channelFromJson(const QJsonObject &object)
{
    Channel channel;
    auto id = requiredString(object, "id"_L1);
    if (!id)
        return std::unexpected(id.error());
    channel.id = *id;
    channel.name = object.value("name"_L1).toString();
    auto metadata = Metadata::fromJson(object.value("metadata"_L1));
    if (!metadata)
        return std::unexpected(metadata.error());
    channel.metadata = *metadata;
    channel.createdAt = object.value("created_at"_L1).toInteger();
    channel.updatedAt = object.value("updated_at"_L1).toInteger();
    return channel;
}

Result<User> userFromJson(const QJsonObject &object)
{
    User user;
    auto id = requiredString(object, "id"_L1);
    if (!id)
        return std::unexpected(id.error());
    user.id = *id;
    user.email = object.value("email"_L1).toString();
    user.admin = object.value("admin"_L1).toBool();
    user.enabled = object.value("enabled"_L1).toBool(true);
    user.createdAt = object.value("created_at"_L1).toInteger();
    return user;
}

} // namespace mf::json
