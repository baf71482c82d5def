#include "thingsrpc.h"

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

ThingsRpcServer::ThingsRpcServer(AccessControl &access, bus::NatsConnection &nats, QObject *parent)
    : QObject(parent), m_access(access), m_nats(nats)
{
}

Result<void> ThingsRpcServer::start()
{
    for (const char *subject : {IdentifySubject, AccessSubject, AccessByIdSubject}) {
        auto subscription = m_nats.subscribe(
            subject, "things", this, [this](const QByteArray &subj, const QByteArray &data, const QByteArray &replyTo) {
                if (!replyTo.isEmpty())
                    m_nats.respond(replyTo, answer(subj, data));
            });
        if (!subscription)
            return std::unexpected(subscription.error());
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
    if (subject == IdentifySubject) {
        auto id = m_access.identify(key);
        return id ? encode(QJsonObject{{u"thing_id"_s, *id}}) : errorReply(id.error());
    }
    if (subject == AccessSubject) {
        auto id = m_access.canAccess(channel, key);
        return id ? encode(QJsonObject{{u"thing_id"_s, *id}}) : errorReply(id.error());
    }
    auto ok = m_access.canAccessById(channel, body.value("thing_id"_L1).toString());
    return ok ? encode(QJsonObject{}) : errorReply(ok.error());
}

void ThingsRpcServer::publishEvent(const ThingsEvent &event)
{
    if (auto published = m_nats.publish(EventsSubject, encode(thingsEventToJson(event))); !published)
        qCWarning(lcThingsRpc).noquote() << "cannot publish things event:" << published.error().message;
}

ThingsEventListener::ThingsEventListener(bus::NatsConnection &nats, QObject *parent) : QObject(parent), m_nats(nats)
{
}

Result<void> ThingsEventListener::start()
{
    auto subscription = m_nats.subscribe(EventsSubject, {}, this,
                                         [this](const QByteArray &, const QByteArray &data, const QByteArray &) {
                                             auto event = thingsEventFromJson(data);
                                             if (event)
                                                 Q_EMIT received(*event);
                                             else
                                                 qCWarning(lcThingsRpc).noquote() << event.error().message;
                                         });
    if (!subscription)
        return std::unexpected(subscription.error());
    m_subscription = std::move(*subscription);
    return {};
}

} // namespace mf::things
