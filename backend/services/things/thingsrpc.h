#pragma once

#include "accesscontrol.h"
#include "bus/natsconnection.h"
#include "bus/subjectnames.h"
#include "thingsevent.h"

#include <QJsonObject>
#include <QObject>
#include <QStringList>
#include <functional>
#include <vector>

namespace mf::things {

// The things service on the bus, for processes that do not share its memory (the Mosquitto plugin, adapters in
// other processes). Request/reply with JSON bodies, queue group "things":
//   things.identify      {"key"}               → {"thing_id"} | {"error", "code": 401}
//   things.access        {"key", "channel"}    → {"thing_id"} | {"error", "code": 401|403}
//   things.access_by_id  {"thing_id", "channel"} → {"content_type"} | {"error", "code": 403}
//   things.content_type  {"channel"}           → {"content_type"} ("" when the channel names none)
//   things.channel_ids   {}                    → {"ids": [...]} (every channel, for adapters with a resource each)
//   things.key           {"thing_id"}          → {"key"} | {"error", "code": 401} (DTLS PSK; the bus is trusted: it
//                                               carries keys in identify/access questions already)
// and every change as a ThingsEvent on `events.things` (see thingsEventToJson), so remote caches can drop what no
// longer holds. The subject names are in bus/subjectnames.h, which the plugin shares.

QJsonObject thingsEventToJson(const ThingsEvent &event);
Result<ThingsEvent> thingsEventFromJson(const QByteArray &json);

class ThingsRpcServer final : public QObject
{
    Q_OBJECT

public:
    using ChannelLister = std::function<Result<QStringList>()>;
    ThingsRpcServer(AccessControl &access, ChannelLister channels, bus::NatsConnection &nats,
                    QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ThingsRpcServer)

    Result<void> start();
    // Publishes a change on the events subject (connected to ThingsService::changed).
    void publishEvent(const mf::things::ThingsEvent &event);

private:
    QByteArray answer(const QByteArray &subject, const QByteArray &request);

    AccessControl &m_access;
    ChannelLister m_channels;
    bus::NatsConnection &m_nats;
    std::vector<bus::Subscription> m_subscriptions;
};

// The things service as seen from a process that does not run it (an edge with MF_SERVICES=http,mqtt,ws): every
// question goes to ThingsRpcServer over the bus. Synchronous like the AccessControl interface, so a question blocks
// the calling thread up to `timeoutMs`; wrap it in a CachedAccessControl (fed by ThingsEventListener) so that only
// the first question about a key or connection waits. No answer in time is Unavailable (a 503, never a 401).
class ThingsRpcClient final : public AccessControl
{
public:
    ThingsRpcClient(bus::NatsConnection &nats, int timeoutMs);

    Result<QString> identify(const QString &key) override;
    Result<QString> canAccess(const QString &channelId, const QString &key) override;
    Result<void> canAccessById(const QString &channelId, const QString &thingId) override;
    Result<QString> keyOf(const QString &thingId) override;
    Result<QString> contentTypeOf(const QString &channelId) override;
    Result<QStringList> channelIds();

private:
    Result<QJsonObject> ask(const char *subject, const QJsonObject &request);

    bus::NatsConnection &m_nats;
    int m_timeoutMs;
};

// Feeds the events other processes publish into a local handler (e.g. CachedAccessControl::onEvent), so a key
// rotated through another process's API stops working here too.
class ThingsEventListener final : public QObject
{
    Q_OBJECT

public:
    explicit ThingsEventListener(bus::NatsConnection &nats, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ThingsEventListener)

    Result<void> start();

Q_SIGNALS:
    void received(const mf::things::ThingsEvent &event);

private:
    bus::NatsConnection &m_nats;
    bus::Subscription m_subscription;
};

} // namespace mf::things
