#include "thingsrpc.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcThingsRpc, "mainflux.things.rpc")

namespace mf::things {

namespace {

const QList<QPair<ThingsEvent::Kind, QString>> &kindNames()
{
    using K = ThingsEvent::Kind;
    static const QList<QPair<K, QString>> names{
        {K::ThingCreated, eventKindName(K::ThingCreated)},     {K::ThingUpdated, eventKindName(K::ThingUpdated)},
        {K::ThingRemoved, eventKindName(K::ThingRemoved)},     {K::ThingKeyChanged, eventKindName(K::ThingKeyChanged)},
        {K::ChannelCreated, eventKindName(K::ChannelCreated)}, {K::ChannelUpdated, eventKindName(K::ChannelUpdated)},
        {K::ChannelRemoved, eventKindName(K::ChannelRemoved)}, {K::Connected, eventKindName(K::Connected)},
        {K::Disconnected, eventKindName(K::Disconnected)},     {K::OwnerRemoved, eventKindName(K::OwnerRemoved)},
    };
    return names;
}

QByteArray encode(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray errorReply(const Error &error)
{
    const int code = error.code == ErrorCode::Unauthenticated ? 401
                     : error.code == ErrorCode::Forbidden     ? 403
                     : error.code == ErrorCode::Malformed     ? 400
                                                              : 503;
    return encode(QJsonObject{{u"error"_s, error.message}, {u"code"_s, code}});
}

} // namespace

QJsonObject thingsEventToJson(const ThingsEvent &event)
{
    return QJsonObject{{u"kind"_s, eventKindName(event.kind)},
                       {u"owner"_s, event.owner},
                       {u"thing_id"_s, event.thingId},
                       {u"channel_id"_s, event.channelId},
                       {u"metadata"_s, event.metadata}};
}

Result<ThingsEvent> thingsEventFromJson(const QByteArray &json)
{
    const QJsonObject o = QJsonDocument::fromJson(json).object();
    const QString kind = o.value("kind"_L1).toString();
    for (const auto &[value, name] : kindNames()) {
        if (name == kind)
            return ThingsEvent{value, o.value("owner"_L1).toString(), o.value("thing_id"_L1).toString(),
                               o.value("channel_id"_L1).toString(), o.value("metadata"_L1).toObject()};
    }
    return fail(ErrorCode::Malformed, u"unknown things event kind \"%1\""_s.arg(kind));
}

ThingsRpcServer::ThingsRpcServer(AccessControl &access, ChannelLister channels, bus::NatsConnection &nats,
                                 QObject *parent)
    : QObject(parent), m_access(access), m_channels(std::move(channels)), m_nats(nats)
{}

Result<void> ThingsRpcServer::start()
{
    for (const char *subject : {bus::thingsIdentifySubject, bus::thingsAccessSubject, bus::thingsAccessByIdSubject,
                                bus::thingsChannelIdsSubject, bus::thingsContentTypeSubject, bus::thingsKeySubject}) {
        auto subscription = m_nats.subscribe(
            subject, "things", this, [this](const QByteArray &subj, const QByteArray &data, const QByteArray &replyTo) {
                if (!replyTo.isEmpty()) m_nats.respond(replyTo, answer(subj, data));
            });
        if (!subscription) return std::unexpected(subscription.error());
        m_subscriptions.push_back(std::move(*subscription));
    }
    return {};
}

QByteArray ThingsRpcServer::answer(const QByteArray &subject, const QByteArray &request)
{
    QJsonParseError parseError;
    const QJsonObject body = QJsonDocument::fromJson(request, &parseError).object();
    if (parseError.error != QJsonParseError::NoError)
        return errorReply(Error{ErrorCode::Malformed, u"request is not a JSON object"_s});
    const QString key = body.value("key"_L1).toString();
    const QString channel = body.value("channel"_L1).toString();
    if (subject == bus::thingsIdentifySubject) {
        auto id = m_access.identify(key);
        return id ? encode(QJsonObject{{u"thing_id"_s, *id}}) : errorReply(id.error());
    }
    if (subject == bus::thingsAccessSubject) {
        auto id = m_access.canAccess(channel, key);
        return id ? encode(QJsonObject{{u"thing_id"_s, *id}}) : errorReply(id.error());
    }
    if (subject == bus::thingsChannelIdsSubject) {
        auto ids = m_channels();
        return ids ? encode(QJsonObject{{u"ids"_s, QJsonArray::fromStringList(*ids)}}) : errorReply(ids.error());
    }
    if (subject == bus::thingsKeySubject) {
        auto thingKey = m_access.keyOf(body.value("thing_id"_L1).toString());
        return thingKey ? encode(QJsonObject{{u"key"_s, *thingKey}}) : errorReply(thingKey.error());
    }
    if (subject == bus::thingsContentTypeSubject) {
        auto type = m_access.contentTypeOf(channel);
        return type ? encode(QJsonObject{{u"content_type"_s, *type}}) : errorReply(type.error());
    }
    // access_by_id: the answer carries the channel's content type, so the Mosquitto plugin learns with one question
    // both whether the thing may publish and how to read what it publishes.
    if (auto ok = m_access.canAccessById(channel, body.value("thing_id"_L1).toString()); !ok)
        return errorReply(ok.error());
    auto type = m_access.contentTypeOf(channel);
    return type ? encode(QJsonObject{{u"content_type"_s, *type}}) : errorReply(type.error());
}

void ThingsRpcServer::publishEvent(const ThingsEvent &event)
{
    if (auto published = m_nats.publish(bus::eventsThingsSubject, encode(thingsEventToJson(event))); !published)
        qCWarning(lcThingsRpc).noquote() << "cannot publish things event:" << published.error().message;
}

ThingsEventListener::ThingsEventListener(bus::NatsConnection &nats, QObject *parent) : QObject(parent), m_nats(nats) {}

Result<void> ThingsEventListener::start()
{
    auto subscription = m_nats.subscribe(bus::eventsThingsSubject, {}, this,
                                         [this](const QByteArray &, const QByteArray &data, const QByteArray &) {
                                             auto event = thingsEventFromJson(data);
                                             if (event)
                                                 Q_EMIT received(*event);
                                             else
                                                 qCWarning(lcThingsRpc).noquote() << event.error().message;
                                         });
    if (!subscription) return std::unexpected(subscription.error());
    m_subscription = std::move(*subscription);
    return {};
}

ThingsRpcClient::ThingsRpcClient(bus::NatsConnection &nats, int timeoutMs) : m_nats(nats), m_timeoutMs(timeoutMs) {}

Result<QJsonObject> ThingsRpcClient::ask(const char *subject, const QJsonObject &request)
{
    auto reply = m_nats.requestBlocking(subject, encode(request), m_timeoutMs);
    if (!reply)
        return fail(ErrorCode::Unavailable, u"the things service did not answer: %1"_s.arg(reply.error().message));
    const QJsonObject body = QJsonDocument::fromJson(*reply).object();
    if (!body.contains("error"_L1)) return body;
    const int code = body.value("code"_L1).toInt();
    const ErrorCode error = code == 401   ? ErrorCode::Unauthenticated
                            : code == 403 ? ErrorCode::Forbidden
                            : code == 400 ? ErrorCode::Malformed
                                          : ErrorCode::Unavailable;
    return fail(error, body.value("error"_L1).toString());
}

Result<QString> ThingsRpcClient::identify(const QString &key)
{
    auto body = ask(bus::thingsIdentifySubject, {{u"key"_s, key}});
    if (!body) return std::unexpected(body.error());
    return body->value("thing_id"_L1).toString();
}

Result<QString> ThingsRpcClient::canAccess(const QString &channelId, const QString &key)
{
    auto body = ask(bus::thingsAccessSubject, {{u"key"_s, key}, {u"channel"_s, channelId}});
    if (!body) return std::unexpected(body.error());
    return body->value("thing_id"_L1).toString();
}

Result<void> ThingsRpcClient::canAccessById(const QString &channelId, const QString &thingId)
{
    auto body = ask(bus::thingsAccessByIdSubject, {{u"thing_id"_s, thingId}, {u"channel"_s, channelId}});
    if (!body) return std::unexpected(body.error());
    return {};
}

Result<QString> ThingsRpcClient::keyOf(const QString &thingId)
{
    auto body = ask(bus::thingsKeySubject, {{u"thing_id"_s, thingId}});
    if (!body) return std::unexpected(body.error());
    return body->value("key"_L1).toString();
}

Result<QString> ThingsRpcClient::contentTypeOf(const QString &channelId)
{
    auto body = ask(bus::thingsContentTypeSubject, {{u"channel"_s, channelId}});
    if (!body) return std::unexpected(body.error());
    return body->value("content_type"_L1).toString();
}

Result<QStringList> ThingsRpcClient::channelIds()
{
    auto body = ask(bus::thingsChannelIdsSubject, {});
    if (!body) return std::unexpected(body.error());
    QStringList ids;
    for (const QJsonValue &id : body->value("ids"_L1).toArray())
        ids.append(id.toString());
    return ids;
}

} // namespace mf::things
