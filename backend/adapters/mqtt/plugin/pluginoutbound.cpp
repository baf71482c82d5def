// The plugin: NATS -> MQTT, presence, refusals and statistics.
#include "plugininternal.h"

namespace mf::mqtt {

// ---------------------------------------------------------------------------------------------- NATS -> MQTT

void Plugin::onNatsMessage(natsMsg *msg) // cnats thread
{
    mainflux::RawMessage m;
    const bool ok = m.ParseFromArray(natsMsg_GetData(msg), natsMsg_GetDataLength(msg));
    natsMsg_Destroy(msg);
    if (!ok) {
        ++m_count.badEnvelope;
        return;
    }
    // Loop guard: what this broker published to NATS, it already delivered to its own subscribers.
    if (m.origin() == m_instance) {
        ++m_count.skippedOwn;
        return;
    }
    std::string topic = topicFor(m.channel(), m.subtopic());
    if (!parseTopic(topic)) {
        ++m_count.badEnvelope;
        return;
    }
    bool wasEmpty;
    {
        std::lock_guard lock(m_mutex);
        wasEmpty = m_queue.empty();
        m_queue.push_back({std::move(topic), std::move(*m.mutable_payload()), m.contenttype()});
    }
    if (wasEmpty) wake();
}

void Plugin::wake()
{
    m_wake.wake();
}

int Plugin::onTick() // broker thread
{
    const auto now = std::chrono::steady_clock::now();
    if (m_wakeEnabled && !m_wake.isConnected() && now >= m_nextWakeAttempt) {
        // Listeners are not open yet during plugin_init, so the wake connection starts here.
        if (!m_wake.connect(m_wakeHost, m_port, m_wakeClientId, wakeUser, m_wakeSecret)) m_nextWakeAttempt = now + 1s;
    }
    std::deque<Outgoing> items;
    std::vector<std::string> kicks;
    {
        std::lock_guard lock(m_mutex);
        items.swap(m_queue);
        kicks.swap(m_kicks);
        for (const auto &[client, serial] : m_departed)
            if (auto it = m_clients.find(client); it != m_clients.end() && it->second.serial == serial)
                m_clients.erase(it);
        m_departed.clear();
    }
    for (Outgoing &o : items) {
        mosquitto_property *props = nullptr;
        if (!o.contentType.empty())
            mosquitto_property_add_string(&props, MQTT_PROP_CONTENT_TYPE, o.contentType.c_str());
        void *buf = nullptr;
        if (!o.payload.empty()) {
            buf = mosquitto_malloc(o.payload.size());
            std::memcpy(buf, o.payload.data(), o.payload.size());
        }
        // The broker owns buf and props on success.
        if (mosquitto_broker_publish(nullptr, o.topic.c_str(), int(o.payload.size()), buf, m_qos, false, props) ==
            MOSQ_ERR_SUCCESS)
            ++m_count.delivered;
        else
            mosquitto_property_free_all(&props);
    }
    for (const std::string &clientId : kicks) {
        if (mosquitto_kick_client_by_clientid(clientId.c_str(), false) == MOSQ_ERR_SUCCESS) ++m_count.kicked;
        mosquitto_log_printf(MOSQ_LOG_NOTICE, "mainflux-plugin: disconnected %s: access revoked", clientId.c_str());
    }
    if (now >= m_nextStats) {
        m_nextStats = now + 1s;
        publishStats();
    }
    return MOSQ_ERR_SUCCESS;
}

int Plugin::onDisconnect(mosquitto_evt_disconnect *e)
{
    // Not forgotten at once: mosquitto 2.0.11 raises DISCONNECT before it checks (ACL_CHECK, WRITE) and sends the
    // client's will, which must still be allowed.
    std::lock_guard lock(m_mutex);
    if (auto it = m_clients.find(e->client); it != m_clients.end()) {
        m_departed.emplace_back(e->client, it->second.serial);
        publishPresence("disconnected", it->second);
    }
    return MOSQ_ERR_SUCCESS;
}

void Plugin::publishPresence(const char *event, const ClientInfo &client)
{
    const auto bus = m_bus->get();
    if (!bus) return; // the status service asks again (status.resync) when it starts; a bus back means a resync too
    // The serial tells a client that took over a client id apart from the one it replaced.
    const QJsonObject presence{
        {QLatin1StringView("event"), QLatin1StringView(event)},
        {QLatin1StringView("thing"), QString::fromStdString(client.thingId)},
        {QLatin1StringView("client"), QString::fromStdString(client.clientId + '#' + std::to_string(client.serial))},
        {QLatin1StringView("instance"), QString::fromStdString(m_instance)},
        {QLatin1StringView("protocol"), QLatin1StringView("mqtt")}};
    const QByteArray data = QJsonDocument(presence).toJson(QJsonDocument::Compact);
    // The shape every session holder uses (adapters/ingest/sessionpresence.h); buffered, never blocks.
    natsConnection_Publish(bus->nc, bus::statusSessionsSubject, data.constData(), int(data.size()));
}

void Plugin::publishRefusal(const mosquitto *client, const std::string &thingId, const std::string &channel,
                            const std::string &reason, const void *payload, uint32_t length)
{
    const auto bus = m_bus->get();
    if (!bus) return;
    const char *clientId = mosquitto_client_id(client);
    const char *address = mosquitto_client_address(client);
    Refusal refusal;
    refusal.at = QDateTime::currentMSecsSinceEpoch();
    refusal.channel = QString::fromStdString(channel);
    refusal.thing = QString::fromStdString(thingId);
    refusal.protocol = QStringLiteral("mqtt");
    // "<client id>@<address>": the id the device chose and where it connects from.
    refusal.client = QString::fromUtf8(clientId ? clientId : "") + u'@' + QString::fromUtf8(address ? address : "");
    refusal.reason = QString::fromStdString(reason);
    refusal.payloadSize = length;
    if (payload)
        refusal.payloadHead =
            QByteArray(static_cast<const char *>(payload), int(std::min<uint32_t>(length, refusalPayloadHeadBytes)));
    const QByteArray data = encodeRefusal(refusal);
    natsConnection_Publish(bus->nc, bus::refusalsSubject, data.constData(), int(data.size())); // buffered
}

void Plugin::onResync(natsMsg *msg) // cnats thread
{
    natsMsg_Destroy(msg);
    std::lock_guard lock(m_mutex);
    for (const auto &[ptr, info] : m_clients)
        publishPresence("connected", info);
}

void Plugin::publishStats()
{
    size_t clients;
    {
        std::lock_guard lock(m_mutex);
        clients = m_clients.size();
    }
    const auto n = [](const std::atomic<uint64_t> &c) { return double(c.load()); };
    const QJsonObject stats{{QLatin1StringView("instance"), QString::fromStdString(m_instance)},
                            {QLatin1StringView("clients"), double(clients)},
                            {QLatin1StringView("auth_ok"), n(m_count.authOk)},
                            {QLatin1StringView("auth_failed"), n(m_count.authFailed)},
                            {QLatin1StringView("auth_unavailable"), n(m_count.authUnavailable)},
                            {QLatin1StringView("published"), n(m_count.published)},
                            {QLatin1StringView("publish_failed"), n(m_count.publishFailed)},
                            {QLatin1StringView("invalid_senml"), n(m_count.invalidSenml)},
                            {QLatin1StringView("denied_publish"), n(m_count.deniedPublish)},
                            {QLatin1StringView("denied_subscribe"), n(m_count.deniedSubscribe)},
                            {QLatin1StringView("delivered"), n(m_count.delivered)},
                            {QLatin1StringView("skipped_own"), n(m_count.skippedOwn)},
                            {QLatin1StringView("bad_envelope"), n(m_count.badEnvelope)},
                            {QLatin1StringView("kicked"), n(m_count.kicked)},
                            {QLatin1StringView("lookups"), n(m_count.lookups)},
                            {QLatin1StringView("topic_too_long"), n(m_count.topicTooLong)},
                            {QLatin1StringView("store_timeouts"), n(m_count.storeTimeouts)},
                            {QLatin1StringView("key_failures"), n(m_count.keyFailures)},
                            {QLatin1StringView("key_refused"), n(m_count.keyRefused)},
                            {QLatin1StringView("rate_limited"), n(m_count.rateLimited)},
                            {QLatin1StringView("too_many_clients"), n(m_count.tooManyClients)},
                            {QLatin1StringView("bus_rebuilds"), double(m_bus->rebuilds())},
                            {QLatin1StringView("channels"), double(m_bus->channelCount())},
                            {QLatin1StringView("stored_before"), n(m_count.storedBefore)}};
    // Sent only while connected: the backend reads the arrival of these as the plugin's heartbeat (its /health
    // "mqtt" check), so none may be buffered by cnats during a reconnect and delivered as if fresh.
    const auto bus = m_bus->get();
    if (!bus || natsConnection_Status(bus->nc) != NATS_CONN_STATUS_CONNECTED) return;
    const QByteArray data = QJsonDocument(stats).toJson(QJsonDocument::Compact);
    const std::string subject = bus::mqttStatsPrefix + m_instance;
    natsConnection_Publish(bus->nc, subject.c_str(), data.constData(), int(data.size()));
}

} // namespace mf::mqtt
