#pragma once

#include "bus/natsconnection.h"
#include "core/lora/lora.h"
#include "loraroutes.h"
#include "services/things/accesscontrol.h"
#include "services/things/metadatadirectory.h"
#include "services/things/thingsevent.h"

#include <QObject>
#include <QSet>
#include <QTimer>
#include <memory>

namespace mf::api {
class Metrics;
}

namespace mf::adapters {

class Ingest;

struct LoraSettings
{
    QString url; // tcp://host:1883, ssl://host:8883 (mqtt:// and mqtts:// are accepted too)
    QString user;
    QString password;
    QString caFile; // PEM trust store for ssl://; empty = the system's
    QString clientId = QStringLiteral("mainflux-lora");
    QStringList topics{QStringLiteral("application/+/device/+/event/up"), QStringLiteral("application/+/device/+/rx")};
    lora::Generation generation = lora::Generation::ChirpStackV4;
    bool radioMetadata = true; // publish RSSI/SNR/... as SenML on subtopic lora/rx beside every uplink
    int minReconnectDelayMs = 250;
    int maxReconnectDelayMs = 10000;
};

// The LoRa adapter: an MQTT client of the network server's broker (Paho C++). Uplink events become channel
// messages (protocol "lora", publisher = the device's thing) when the thing is connected to the channel of the
// event's application; messages on a channel's subtopic lora/down become downlink commands for the network server.
// Routes are loaded from the things service (MetadataDirectory) at start() and follow ThingsEvents (onEvent)
// afterwards.
//
// Threading: lives on the thread that created it (the backend's). Paho calls back on its own threads; every
// callback only copies its data and posts it here with a queued call, so all state is touched on one thread. The
// destructor disconnects the client and stops its callbacks before any member goes away.
class LoraAdapter final : public QObject
{
    Q_OBJECT

public:
    LoraAdapter(LoraSettings settings, things::MetadataDirectory &directory, things::AccessControl &access,
                bus::NatsConnection &nats, api::Metrics &metrics, Ingest &ingest, QObject *parent = nullptr);
    ~LoraAdapter() override;
    Q_DISABLE_COPY_MOVE(LoraAdapter)

    // Loads the routes, subscribes to downlink requests on the bus and starts connecting to the broker (a broker
    // that is down is retried with backoff; it does not fail start()).
    Result<void> start();
    void onEvent(const mf::things::ThingsEvent &event);

    // The check the HTTP adapter runs on a body published to lora/down: well-formed, the channel names an
    // application, and a thing with that EUI is connected to the channel. Malformed with the reason otherwise.
    Result<void> checkDownlink(const QString &channelId, const QByteArray &body);

    bool isBrokerConnected() const { return m_connected; }
    const LoraRoutes &routes() const { return m_routes; }

Q_SIGNALS:
    void brokerConnectionChanged(bool connected);

private:
    struct Paho;
    Result<void> loadRoutes();
    void connectToBroker();
    void scheduleReconnect();
    void onConnected();
    void onSubscribed();
    void onConnectionLost(const QString &cause);
    void onUplink(const QString &topic, const QByteArray &payload, bool retained);
    void onDownlinkRequest(const QByteArray &data);
    // The (thing, channel) pairs an uplink of this device and application may go to.
    QList<QPair<QString, QString>> connectedPairs(const QStringList &things, const QStringList &channels);
    void publishUplink(const lora::Uplink &uplink, const QString &thingId, const QString &channelId);
    void sendDownlink(const lora::DownlinkCommand &command);
    void countUplink(const QByteArray &result);
    void countDownlink(const QByteArray &result);
    // Logs a problem once per (reason, id) until the routes change, so a chatty device cannot flood the log.
    void logOnce(const QByteArray &reason, const QString &id, const QString &message);

    LoraSettings m_settings;
    things::MetadataDirectory &m_directory;
    things::AccessControl &m_access;
    bus::NatsConnection &m_nats;
    api::Metrics &m_metrics;
    Ingest &m_ingest;
    LoraRoutes m_routes;
    QSet<QString> m_logged;
    std::unique_ptr<Paho> m_paho;
    bus::Subscription m_downlinks;
    QTimer m_reconnectTimer;
    int m_reconnectDelayMs = 0;
    bool m_connected = false;
    bool m_connecting = false;
    QList<lora::DownlinkCommand> m_pendingDownlinks; // while the broker is away, bounded
};

inline constexpr qsizetype MaxPendingDownlinks = 1000;
inline constexpr qsizetype MaxLoggedProblems = 10000;

} // namespace mf::adapters
