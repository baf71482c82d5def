#include "loraadapter.h"

#include "adapters/ingest/ingest.h"
#include "api/metrics.h"
#include "bus/subjects.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QMutex>
#include <chrono>
#include <mqtt/async_client.h>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcLora, "mainflux.adapter.lora")

namespace mf::adapters {

namespace {

// Hands Paho callbacks (on Paho threads) to the adapter's thread. The adapter closes the gate in its destructor;
// after that no call is posted, and calls already posted die with the adapter's posted events.
class Gate final
{
public:
    explicit Gate(QObject *target) : m_target(target) {}
    template <typename F>
    void post(F &&call)
    {
        QMutexLocker lock(&m_mutex);
        if (m_target) QMetaObject::invokeMethod(m_target, std::forward<F>(call), Qt::QueuedConnection);
    }
    void close()
    {
        QMutexLocker lock(&m_mutex);
        m_target = nullptr;
    }

private:
    QMutex m_mutex;
    QObject *m_target;
};

class Listener final : public mqtt::iaction_listener
{
public:
    std::function<void()> success;
    std::function<void(QString)> failure;

private:
    void on_success(const mqtt::token &) override { success(); }
    void on_failure(const mqtt::token &token) override
    {
        failure(u"code %1 (reason %2)"_s.arg(token.get_return_code()).arg(int(token.get_reason_code())));
    }
};

std::string pahoUrl(QString url)
{
    if (url.startsWith("mqtt://"_L1))
        url.replace(0, 4, u"tcp"_s);
    else if (url.startsWith("mqtts://"_L1))
        url.replace(0, 5, u"ssl"_s);
    return url.toStdString();
}

} // namespace

struct LoraAdapter::Paho
{
    std::shared_ptr<Gate> gate;
    std::unique_ptr<mqtt::async_client> client;
    mqtt::connect_options options;
    Listener connectListener;
    Listener subscribeListener;
};

LoraAdapter::LoraAdapter(LoraSettings settings, things::MetadataDirectory &directory, things::AccessControl &access,
                         bus::NatsConnection &nats, api::Metrics &metrics, Ingest &ingest, QObject *parent)
    : QObject(parent), m_settings(std::move(settings)), m_directory(directory), m_access(access), m_nats(nats),
      m_metrics(metrics), m_ingest(ingest)
{
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &LoraAdapter::connectToBroker);
}

LoraAdapter::~LoraAdapter()
{
    m_downlinks.reset();
    if (!m_paho) return;
    m_paho->gate->close();
    try {
        m_paho->client->disable_callbacks();
        if (m_paho->client->is_connected()) m_paho->client->disconnect()->wait_for(std::chrono::seconds(2));
    } catch (const mqtt::exception &e) {
        qCDebug(lcLora) << "disconnect:" << e.what();
    }
    m_metrics.setGauge("mf_lora_broker_connected", {}, 0);
}

Result<void> LoraAdapter::start()
{
    if (auto loaded = loadRoutes(); !loaded) return loaded;
    auto subscription = m_nats.subscribe(
        bus::channelSubject(u"*", QString::fromLatin1(lora::DownlinkSubtopic)), "lora", this,
        [this](const QByteArray &, const QByteArray &data, const QByteArray &) { onDownlinkRequest(data); });
    if (!subscription) return std::unexpected(subscription.error());
    m_downlinks = std::move(*subscription);

    m_paho = std::make_unique<Paho>();
    m_paho->gate = std::make_shared<Gate>(this);
    try {
        m_paho->client =
            std::make_unique<mqtt::async_client>(pahoUrl(m_settings.url), m_settings.clientId.toStdString());
    } catch (const mqtt::exception &e) {
        return fail(ErrorCode::Malformed,
                    u"MF_LORA_MQTT_URL \"%1\": %2"_s.arg(m_settings.url, QString::fromUtf8(e.what())));
    }
    auto builder = mqtt::connect_options_builder()
                       .clean_session(false) // the broker keeps QoS 1 uplinks for us while we restart
                       .keep_alive_interval(std::chrono::seconds(20))
                       .connect_timeout(std::chrono::seconds(5))
                       .automatic_reconnect(false); // our own backoff, which also covers a failed first connect
    if (!m_settings.user.isEmpty())
        builder.user_name(m_settings.user.toStdString()).password(m_settings.password.toStdString());
    if (m_settings.url.startsWith("ssl://"_L1) || m_settings.url.startsWith("mqtts://"_L1)) {
        auto ssl = mqtt::ssl_options_builder();
        if (!m_settings.caFile.isEmpty()) ssl.trust_store(m_settings.caFile.toStdString());
        builder.ssl(ssl.finalize());
    }
    m_paho->options = builder.finalize();

    std::shared_ptr<Gate> gate = m_paho->gate;
    m_paho->connectListener.success = [gate, this] { gate->post([this] { onConnected(); }); };
    m_paho->connectListener.failure = [gate, this](QString reason) {
        gate->post([this, reason] {
            m_connecting = false;
            logOnce("connect failed", m_settings.url,
                    u"cannot connect to the LoRa broker %1: %2; retrying with backoff"_s.arg(m_settings.url, reason));
            scheduleReconnect();
        });
    };
    m_paho->subscribeListener.success = [gate, this] { gate->post([this] { onSubscribed(); }); };
    m_paho->subscribeListener.failure = [gate, this](QString reason) {
        gate->post(
            [this, reason] { qCWarning(lcLora).noquote() << "the LoRa broker refused the subscriptions:" << reason; });
    };
    m_paho->client->set_connection_lost_handler([gate, this](const std::string &cause) {
        gate->post([this, cause = QString::fromStdString(cause)] { onConnectionLost(cause); });
    });
    m_paho->client->set_message_callback([gate, this](mqtt::const_message_ptr message) {
        const mqtt::binary_ref &payload = message->get_payload_ref();
        gate->post([this, topic = QString::fromStdString(message->get_topic()),
                    bytes = QByteArray(payload.data(), qsizetype(payload.size())),
                    retained = message->is_retained()] { onUplink(topic, bytes, retained); });
    });
    m_metrics.setGauge("mf_lora_broker_connected", {}, 0);
    connectToBroker();
    return {};
}

Result<void> LoraAdapter::loadRoutes()
{
    auto things = m_directory.thingsMentioning(u"lora"_s);
    if (!things) return std::unexpected(things.error());
    auto channels = m_directory.channelsMentioning(u"lora"_s);
    if (!channels) return std::unexpected(channels.error());
    m_routes.clear();
    m_logged.clear();
    for (const Thing &t : *things)
        m_routes.setThing(t.id, lora::deviceEuiOf(t.metadata.object()));
    for (const Channel &c : *channels)
        m_routes.setChannel(c.id, lora::applicationIdOf(c.metadata.object()));
    qCInfo(lcLora) << "routes:" << m_routes.deviceCount() << "devices," << m_routes.applicationCount()
                   << "applications";
    return {};
}

void LoraAdapter::onEvent(const things::ThingsEvent &event)
{
    using Kind = things::ThingsEvent::Kind;
    switch (event.kind) {
    case Kind::ThingCreated:
    case Kind::ThingUpdated:
        m_routes.setThing(event.thingId, lora::deviceEuiOf(event.metadata));
        break;
    case Kind::ThingRemoved:
        m_routes.setThing(event.thingId, std::nullopt);
        break;
    case Kind::ChannelCreated:
    case Kind::ChannelUpdated:
        m_routes.setChannel(event.channelId, lora::applicationIdOf(event.metadata));
        break;
    case Kind::ChannelRemoved:
        m_routes.setChannel(event.channelId, std::nullopt);
        break;
    case Kind::OwnerRemoved:
        if (auto loaded = loadRoutes(); !loaded)
            qCWarning(lcLora).noquote() << "cannot reload routes:" << loaded.error().message;
        break;
    case Kind::Connected:
    case Kind::Disconnected:
    case Kind::ThingKeyChanged:
        break; // connections are AccessControl's (its cache follows the same events)
    }
    m_logged.clear(); // a problem that comes back after a change is worth one more line
}

void LoraAdapter::connectToBroker()
{
    if (!m_paho || m_connected || m_connecting) return;
    m_connecting = true;
    try {
        m_paho->client->connect(m_paho->options, nullptr, m_paho->connectListener);
    } catch (const mqtt::exception &e) {
        m_connecting = false;
        logOnce("connect failed", m_settings.url,
                u"cannot connect to the LoRa broker %1: %2"_s.arg(m_settings.url, QString::fromUtf8(e.what())));
        scheduleReconnect();
    }
}

void LoraAdapter::scheduleReconnect()
{
    m_reconnectDelayMs = m_reconnectDelayMs == 0 ? m_settings.minReconnectDelayMs
                                                 : std::min(2 * m_reconnectDelayMs, m_settings.maxReconnectDelayMs);
    m_reconnectTimer.start(m_reconnectDelayMs);
}

void LoraAdapter::onConnected()
{
    m_connecting = false;
    m_reconnectDelayMs = 0;
    m_logged.remove(u"connect failed|"_s + m_settings.url);
    try {
        std::vector<std::string> topics;
        for (const QString &t : m_settings.topics)
            topics.push_back(t.toStdString());
        // Ready (gauge 1) only once the broker granted the subscriptions: from then on no uplink is missed.
        m_paho->client->subscribe(mqtt::string_collection::create(topics),
                                  mqtt::iasync_client::qos_collection(topics.size(), 1), nullptr,
                                  m_paho->subscribeListener);
    } catch (const mqtt::exception &e) {
        qCWarning(lcLora) << "subscribe:" << e.what();
    }
}

void LoraAdapter::onSubscribed()
{
    if (m_connected) return;
    m_connected = true;
    m_metrics.setGauge("mf_lora_broker_connected", {}, 1);
    qCInfo(lcLora).noquote() << "connected to the LoRa broker" << m_settings.url << "topics"
                             << m_settings.topics.join(u", "_s);
    const QList<lora::DownlinkCommand> pending = std::exchange(m_pendingDownlinks, {});
    for (const lora::DownlinkCommand &command : pending)
        sendDownlink(command);
    Q_EMIT brokerConnectionChanged(true);
}

void LoraAdapter::onConnectionLost(const QString &cause)
{
    m_connected = false;
    m_connecting = false;
    m_metrics.setGauge("mf_lora_broker_connected", {}, 0);
    m_metrics.increment("mf_lora_broker_disconnects_total");
    qCWarning(lcLora).noquote() << "lost the LoRa broker" << m_settings.url << (cause.isEmpty() ? QString() : cause)
                                << "; reconnecting with backoff";
    Q_EMIT brokerConnectionChanged(false);
    scheduleReconnect();
}

void LoraAdapter::countUplink(const QByteArray &result)
{
    m_ingest.count(u"lora", result);
}

void LoraAdapter::countDownlink(const QByteArray &result)
{
    m_metrics.increment("mf_lora_downlinks_total", "result=\"" + result + '"');
}

void LoraAdapter::logOnce(const QByteArray &reason, const QString &id, const QString &message)
{
    const QString key = QString::fromLatin1(reason) + u'|' + id;
    if (m_logged.contains(key)) return;
    if (m_logged.size() >= MaxLoggedProblems) m_logged.clear();
    m_logged.insert(key);
    qCWarning(lcLora).noquote() << message << "(logged once per" << reason << "and id)";
}

QList<QPair<QString, QString>> LoraAdapter::connectedPairs(const QStringList &things, const QStringList &channels)
{
    QList<QPair<QString, QString>> pairs;
    for (const QString &thing : things)
        for (const QString &channel : channels)
            if (m_access.canAccessById(channel, thing)) pairs.append({thing, channel});
    return pairs;
}

void LoraAdapter::onUplink(const QString &topic, const QByteArray &payload, bool retained)
{
    if (retained) {
        // Network servers never retain uplinks; a retained one would come back on every reconnect.
        countUplink("retained");
        logOnce("retained", topic, u"ignored a retained message on %1"_s.arg(topic));
        return;
    }
    auto uplink = lora::parseUplink(topic, payload);
    if (!uplink) {
        const QByteArray label = lora::uplinkErrorLabel(uplink.error().error);
        countUplink(label);
        logOnce(label, uplink.error().id, u"uplink on %1 refused: %2"_s.arg(topic, uplink.error().message));
        return;
    }
    const QStringList things = m_routes.thingsOf(uplink->devEui);
    if (things.isEmpty()) {
        countUplink("unknown device");
        logOnce("unknown device", uplink->devEui,
                u"uplink from device %1 dropped: no thing has metadata {\"lora\":{\"dev_eui\":\"%1\"}}"_s.arg(
                    uplink->devEui));
        return;
    }
    const QStringList channels = m_routes.channelsOf(uplink->applicationId);
    if (channels.isEmpty()) {
        countUplink("unknown application");
        logOnce("unknown application", uplink->applicationId,
                u"uplink of application %1 dropped: no channel has metadata {\"lora\":{\"app_id\":\"%1\"}}"_s.arg(
                    uplink->applicationId));
        return;
    }
    const auto pairs = connectedPairs(things, channels);
    if (pairs.isEmpty()) {
        countUplink("not connected");
        logOnce("not connected", uplink->devEui + u'/' + uplink->applicationId,
                u"uplink from device %1 dropped: its thing is not connected to a channel of application %2"_s.arg(
                    uplink->devEui, uplink->applicationId));
        return;
    }
    for (const auto &[thing, channel] : pairs)
        publishUplink(*uplink, thing, channel);
}

void LoraAdapter::publishUplink(const lora::Uplink &uplink, const QString &thingId, const QString &channelId)
{
    const double now = double(QDateTime::currentMSecsSinceEpoch()) / 1e3; // one time for the uplink and its radio
    const lora::ChannelPayload body = lora::channelPayload(uplink, now);
    const QString id = uplink.devEui;
    const auto logLoss = [this, id](Result<void> accepted) {
        if (!accepted) logOnce("lost", id, u"uplink from device %1 lost: %2"_s.arg(id, accepted.error().message));
    };
    m_ingest.submit({channelId, thingId, u"lora"_s, {}, body.contentType, body.payload}, this, logLoss);
    if (!m_settings.radioMetadata) return;
    m_ingest.submit({channelId, thingId, u"lora"_s, QString::fromLatin1(lora::RadioSubtopic),
                     u"application/senml+json"_s, lora::radioPack(uplink, now), {}, false},
                    this, [this, logLoss](Result<void> accepted) {
                        m_metrics.increment("mf_lora_radio_messages_total",
                                            accepted ? "result=\"accepted\"" : "result=\"refused\"");
                        logLoss(std::move(accepted));
                    });
}

Result<void> LoraAdapter::checkDownlink(const QString &channelId, const QByteArray &body)
{
    auto request = lora::parseDownlink(body);
    if (!request) {
        countDownlink("malformed");
        return std::unexpected(request.error());
    }
    const auto application = m_routes.applicationOf(channelId);
    if (!application) {
        countDownlink("no application");
        return fail(ErrorCode::Malformed, u"LoRa downlink: this channel has no {\"lora\":{\"app_id\"}} metadata"_s);
    }
    const QStringList things = m_routes.thingsOf(request->devEui);
    if (things.isEmpty()) {
        countDownlink("unknown device");
        return fail(ErrorCode::Malformed, u"LoRa downlink: no thing has dev_eui %1"_s.arg(request->devEui));
    }
    if (connectedPairs(things, {channelId}).isEmpty()) {
        countDownlink("not connected");
        return fail(
            ErrorCode::Malformed,
            u"LoRa downlink: the thing with dev_eui %1 is not connected to this channel"_s.arg(request->devEui));
    }
    return {};
}

void LoraAdapter::onDownlinkRequest(const QByteArray &data)
{
    auto envelope = bus::Envelope::decode(data);
    if (!envelope) {
        countDownlink("malformed");
        return;
    }
    // Requests that came through HTTP in this process were checked already; others (MQTT, WS, CoAP, other
    // processes) are checked here, counted, and logged once per channel.
    if (auto ok = checkDownlink(envelope->channel, envelope->payload); !ok) {
        logOnce("downlink refused", envelope->channel,
                u"downlink request on channel %1 refused: %2"_s.arg(envelope->channel, ok.error().message));
        return;
    }
    const auto request = lora::parseDownlink(envelope->payload);
    sendDownlink(lora::downlinkCommand(m_settings.generation, *m_routes.applicationOf(envelope->channel), *request));
}

void LoraAdapter::sendDownlink(const lora::DownlinkCommand &command)
{
    if (m_connected) {
        try {
            m_paho->client->publish(command.topic.toStdString(), command.payload.constData(),
                                    size_t(command.payload.size()), 1, false);
            countDownlink("sent");
            return;
        } catch (const mqtt::exception &e) {
            qCDebug(lcLora) << "downlink publish:" << e.what();
        }
    }
    if (m_pendingDownlinks.size() >= MaxPendingDownlinks) {
        countDownlink("dropped");
        logOnce("downlink dropped", m_settings.url,
                u"LoRa broker unreachable and %1 downlinks waiting: dropping new ones"_s.arg(MaxPendingDownlinks));
        return;
    }
    countDownlink("queued");
    m_pendingDownlinks.append(command);
}

} // namespace mf::adapters
