#pragma once

#include "bus/natsconnection.h"
#include "mosquittoprocess.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSslConfiguration>
#include <QTimer>
#include <memory>
#include <optional>

namespace mf::api {
class Metrics;
}

namespace mf::adapters {

class MqttWsBridge;

// The MQTT adapter as the backend runs it: a supervised mosquitto with mainflux-mosquitto-plugin (authentication,
// ACL, MQTT <-> NATS, see docs/protocols.md "MQTT"), the MQTT-over-WebSocket bridge, and the plugin's counters
// (published on mqtt.stats.<instance> once a second) turned into /metrics.
class MqttAdapter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MqttAdapter)

public:
    // wsPort: 0 = any free port. The WebSocket bridge listens on settings.host.
    // wsTls set: the WebSocket bridge speaks WSS (settings.certFile gives mosquitto its own TLS listener).
    MqttAdapter(MosquittoSettings settings, quint16 wsPort, bus::NatsConnection &nats, api::Metrics &metrics,
                std::optional<QSslConfiguration> wsTls = {}, QObject *parent = nullptr);
    ~MqttAdapter() override;

    Result<void> start();
    // start() in two halves: begin() starts mosquitto without waiting for it, finish() waits and opens the
    // WebSocket bridge. Between them the caller starts other services while mosquitto loads.
    Result<void> begin();
    Result<void> finish();
    quint16 port() const;
    quint16 wsPort() const;
    quint16 tlsPort() const { return m_broker->tlsPort(); } // 0 without MQTT over TLS
    MosquittoProcess &broker() { return *m_broker; }

    // The /health "mqtt" check: true while the plugin's counters keep arriving over NATS. The plugin publishes them
    // once a second, and only while its own NATS connection is up, so their arrival proves what a device relies
    // on: mosquitto runs, the plugin is loaded, and its connection to the bus works (the connection logins and
    // publishes go through). A dead plugin connection, a hung broker or a dead bus all stop them.
    bool isPluginAlive() const;

private:
    void onStats(const QByteArray &data);
    void updateAliveGauge();

    QHostAddress m_host;
    quint16 m_wsPort;
    std::optional<QSslConfiguration> m_wsTls;
    QString m_instance;
    bus::NatsConnection &m_nats;
    api::Metrics &m_metrics;
    std::unique_ptr<MosquittoProcess> m_broker;
    std::unique_ptr<MqttWsBridge> m_bridge;
    bus::Subscription m_statsSub;
    QHash<QByteArray, double> m_lastStats;
    QElapsedTimer m_sinceStats; // restarted by start() and by every stats message
    QTimer m_aliveTimer;        // keeps mf_mqtt_plugin_up current when no stats arrive
};

} // namespace mf::adapters
