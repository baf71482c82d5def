#include "mqttadapter.h"

#include "api/metrics.h"
#include "bus/subjectnames.h"
#include "mqttwsbridge.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;

Q_DECLARE_LOGGING_CATEGORY(lcMosquitto)

namespace mf::adapters {

namespace {

// Plugin counter -> (metric, labels). Counters are cumulative in the plugin; the adapter adds the increase.
struct CounterMap
{
    const char *field;
    const char *metric;
    const char *labels;
};
constexpr CounterMap counterMap[] = {
    {"published", "mf_adapter_messages_total", "protocol=\"mqtt\",result=\"accepted\""},
    {"publish_failed", "mf_adapter_messages_total", "protocol=\"mqtt\",result=\"unavailable\""},
    {"invalid_senml", "mf_adapter_messages_total", "protocol=\"mqtt\",result=\"invalid senml\""},
    {"denied_publish", "mf_adapter_messages_total", "protocol=\"mqtt\",result=\"forbidden\""},
    {"denied_subscribe", "mf_mqtt_subscriptions_denied_total", ""},
    {"delivered", "mf_mqtt_delivered_from_bus_total", ""},
    {"skipped_own", "mf_mqtt_loop_guard_skipped_total", ""},
    {"bad_envelope", "mf_mqtt_bad_envelopes_total", ""},
    {"auth_ok", "mf_mqtt_connects_total", "result=\"accepted\""},
    {"auth_failed", "mf_mqtt_connects_total", "result=\"unauthorized\""},
    {"auth_unavailable", "mf_mqtt_connects_total", "result=\"unavailable\""},
    {"key_failures", "mf_key_failures_total", "protocol=\"mqtt\""},
    {"key_refused", "mf_key_refused_total", "protocol=\"mqtt\""},
    {"too_many_clients", "mf_mqtt_connects_total", "result=\"too many clients\""},
    {"rate_limited", "mf_adapter_messages_total", "protocol=\"mqtt\",result=\"rate limited\""},
    {"kicked", "mf_mqtt_clients_kicked_total", ""},
    {"lookups", "mf_mqtt_access_lookups_total", ""},
    {"topic_too_long", "mf_adapter_messages_total", "protocol=\"mqtt\",result=\"invalid subtopic\""},
    {"bus_rebuilds", "mf_mqtt_bus_rebuilds_total", ""},
    {"store_timeouts", "mf_mqtt_store_timeouts_total", ""},
};

// Stats come once a second; three missed in a row mean the plugin is cut off (not a slow tick on a busy machine).
// Also the grace after start(), before the first stats can have arrived.
constexpr qint64 pluginSilentAfterMs = 3500;

} // namespace

MqttAdapter::MqttAdapter(MosquittoSettings settings, quint16 wsPort, bus::NatsConnection &nats, api::Metrics &metrics,
                         std::optional<QSslConfiguration> wsTls, QObject *parent)
    : QObject(parent), m_host(settings.host), m_wsPort(wsPort), m_wsTls(std::move(wsTls)),
      m_instance(settings.instance), m_nats(nats), m_metrics(metrics),
      m_broker(std::make_unique<MosquittoProcess>(std::move(settings)))
{}

MqttAdapter::~MqttAdapter()
{
    m_bridge.reset();
    m_statsSub.reset();
    m_broker.reset();
}

Result<void> MqttAdapter::start()
{
    if (auto begun = begin(); !begun) return begun;
    return finish();
}

Result<void> MqttAdapter::begin()
{
    auto stats = m_nats.subscribe(bus::mqttStatsPrefix + m_instance.toUtf8(), {}, this,
                                  [this](QByteArray, QByteArray data, QByteArray) { onStats(data); });
    if (!stats) return std::unexpected(stats.error());
    m_statsSub = std::move(*stats);
    return m_broker->begin();
}

Result<void> MqttAdapter::finish()
{
    if (auto started = m_broker->finishStart(); !started) return started;
    m_sinceStats.start();
    m_aliveTimer.setInterval(1000);
    connect(&m_aliveTimer, &QTimer::timeout, this, &MqttAdapter::updateAliveGauge);
    m_aliveTimer.start();
    connect(m_broker.get(), &MosquittoProcess::failed, this,
            [](const QString &reason) { qCWarning(lcMosquitto).noquote() << reason; });
    m_bridge = std::make_unique<MqttWsBridge>(m_broker->connectHost(), m_broker->port(), m_wsTls);
    auto ws = m_bridge->listen(m_host, m_wsPort);
    if (!ws) return std::unexpected(ws.error());
    m_wsPort = *ws;
    if (m_broker->tlsPort())
        qCInfo(lcMosquitto).noquote() << "MQTT over TLS on"
                                      << u"%1:%2"_s.arg(m_host.toString()).arg(m_broker->tlsPort());
    qCInfo(lcMosquitto).noquote()
        << "MQTT on" << u"%1:%2"_s.arg(m_broker->connectHost().toString()).arg(m_broker->port())
        << "and MQTT over WebSocket on"
        << u"%1://%2:%3/mqtt"_s.arg(m_wsTls ? u"wss"_s : u"ws"_s, m_host.toString()).arg(m_wsPort);
    return {};
}

quint16 MqttAdapter::port() const
{
    return m_broker->port();
}

quint16 MqttAdapter::wsPort() const
{
    return m_wsPort;
}

bool MqttAdapter::isPluginAlive() const
{
    return m_sinceStats.isValid() && !m_sinceStats.hasExpired(pluginSilentAfterMs);
}

void MqttAdapter::updateAliveGauge()
{
    m_metrics.setGauge("mf_mqtt_plugin_up", {}, isPluginAlive() ? 1 : 0);
}

void MqttAdapter::onStats(const QByteArray &data)
{
    m_sinceStats.restart();
    updateAliveGauge();
    const QJsonObject stats = QJsonDocument::fromJson(data).object();
    for (const CounterMap &c : counterMap) {
        const double now = stats.value(QLatin1StringView(c.field)).toDouble();
        const QByteArray key(c.field);
        const double before = m_lastStats.value(key);
        // A restarted mosquitto starts counting from 0 again.
        const double delta = now >= before ? now - before : now;
        m_lastStats.insert(key, now);
        if (delta > 0) m_metrics.increment(c.metric, c.labels, delta);
    }
    m_metrics.setGauge("mf_mqtt_connected_clients", {}, stats.value("clients"_L1).toDouble());
    m_metrics.setGauge("mf_mqtt_ws_connections", {}, m_bridge ? m_bridge->connections() : 0);
}

} // namespace mf::adapters
