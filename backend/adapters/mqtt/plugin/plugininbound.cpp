// The plugin: MQTT -> NATS.
#include "plugininternal.h"

namespace mf::mqtt {

// ---------------------------------------------------------------------------------------------- MQTT -> NATS

int Plugin::onMessage(mosquitto_evt_message *e)
{
    std::string thingId;
    {
        std::lock_guard lock(m_mutex);
        const ClientInfo *info = client(e->client);
        if (!info) return MOSQ_ERR_ACL_DENIED;
        thingId = info->thingId;
    }
    auto topic = parseTopic(e->topic);
    if (!topic) return MOSQ_ERR_ACL_DENIED; // ACL_CHECK already refused it; defensive

    if (m_thingRate && m_thingRate->take(thingId, mf::api::FailureLimiter::nowMs()) > 0) {
        ++m_count.rateLimited;
        char reason[96];
        std::snprintf(reason, sizeof reason, "rate limited: more than %g messages a second from this thing",
                      m_thingRate->rate());
        publishRefusal(e->client, thingId, topic->channel, reason, e->payload, e->payloadlen);
        // QoS 0 promises at most once: dropped (and recorded), the client stays connected. QoS 1/2 must not be
        // acknowledged: MQTT 5 gets PUBACK/PUBREC 0x87, MQTT 3.1.1 is disconnected (refusePublish).
        return e->qos == 0 ? MOSQ_ERR_ACL_DENIED : refusePublish(e->client, e->qos);
    }

    // SenML is validated here, not in ACL_CHECK: mosquitto 2.0.11 passes no MQTT 5 properties (so no content type)
    // to ACL_CHECK.
    // A publish without an MQTT 5 content type (every MQTT 3.1.1 publish) takes the one its channel's metadata names
    // (raw JSON devices), else the plugin's default (SenML JSON). The ACL check just cached the channel's answer.
    std::string contentType = contentTypeOf(e->properties);
    if (contentType.empty()) {
        std::string channelType;
        if (channelAccess(topic->channel, thingId, &channelType) == Verdict::Allow && !channelType.empty())
            contentType = std::move(channelType);
        else
            contentType = m_defaultContentType;
    }
    std::string reason;
    if (!senmlValid(contentType, e->payload, e->payloadlen, reason)) {
        ++m_count.invalidSenml;
        const char *id = mosquitto_client_id(e->client);
        mosquitto_log_printf(MOSQ_LOG_NOTICE, "mainflux-plugin: invalid SenML from %s on %s: %s", id ? id : "?",
                             e->topic, reason.c_str());
        publishRefusal(e->client, thingId, topic->channel, "invalid SenML: " + reason, e->payload, e->payloadlen);
        return refusePublish(e->client, e->qos);
    }

    mainflux::RawMessage m;
    m.set_channel(topic->channel);
    m.set_publisher(thingId);
    m.set_protocol("mqtt");
    m.set_contenttype(contentType);
    m.set_payload(static_cast<const char *>(e->payload), e->payloadlen);
    m.set_subtopic(topic->subtopic);
    m.set_created(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
    m.set_origin(m_instance);
    std::string bytes;
    m.SerializeToString(&bytes);
    const std::string subject = subjectFor(*topic);
    if (e->qos == 0) {
        // Fire and forget, as QoS 0 promises: a core publish (cnats buffers it during a reconnect).
        const auto bus = m_bus->get();
        const natsStatus s = bus ? natsConnection_Publish(bus->nc, subject.c_str(), bytes.data(), int(bytes.size()))
                                 : NATS_CONNECTION_CLOSED;
        if (s != NATS_OK) {
            ++m_count.publishFailed;
            mosquitto_log_printf(MOSQ_LOG_WARNING, "mainflux-plugin: cannot publish to NATS: %s",
                                 natsStatus_GetText(s));
            return MOSQ_ERR_UNKNOWN; // the connection closes: the refusal is not silent
        }
        ++m_count.published;
        return MOSQ_ERR_SUCCESS;
    }
    const char *clientIdOrNull = mosquitto_client_id(e->client);
    const std::string_view clientId = clientIdOrNull ? clientIdOrNull : "",
                           payload(static_cast<const char *>(e->payload), e->payloadlen);
    std::string msgId = m_refused.idOf(clientId, e->topic, payload);
    if (msgId.empty()) msgId = m_idPrefix + std::to_string(++m_lastId);
    std::string why;
    const Stored stored = store(subject, bytes, msgId, why);
    if (stored != Stored::Yes) {
        // Not acknowledged: MQTT 5 gets PUBACK/PUBREC 0x87, MQTT 3.1.1 a closed connection (its client sends the
        // message again after reconnecting). Either way the device was not told it was delivered.
        if (stored == Stored::NoAnswer) m_refused.refused(clientId, e->topic, payload, msgId);
        ++m_count.publishFailed;
        mosquitto_log_printf(MOSQ_LOG_WARNING, "mainflux-plugin: QoS %d publish from %s not acknowledged: %s",
                             int(e->qos), clientIdOrNull ? clientIdOrNull : "?", why.c_str());
        return refusePublish(e->client, e->qos);
    }
    m_refused.stored(clientId, e->topic, payload);
    ++m_count.published;
    return MOSQ_ERR_SUCCESS;
}

// QoS 1/2 (broker thread): mosquitto 2.0 sends PUBACK/PUBREC as soon as the MESSAGE callback returns and has no way
// to defer it, so the callback returns only once the MESSAGES stream (created by the backend on channel.>) stored
// the message: a synchronous JetStream publish, bounded by store_timeout_ms. The broker thread waits for that one
// round trip; see docs/BENCHMARKS.md ("MQTT adapter") for what it costs.
Plugin::Stored Plugin::store(const std::string &subject, const std::string &bytes, const std::string &msgId,
                             std::string &why)
{
    const auto now = std::chrono::steady_clock::now();
    if (now < m_storeRefusedUntil) {
        why = "the message stream did not answer in time a moment ago";
        return Stored::NotSent;
    }
    const auto bus = m_bus->get();
    // Not connected (cnats reconnecting): refused at once. cnats would buffer the publish and the broker would wait
    // the whole timeout for an answer that cannot come before the reconnect.
    if (!bus || !bus->js || natsConnection_Status(bus->nc) != NATS_CONN_STATUS_CONNECTED) {
        why = "message bus unavailable";
        return Stored::NotSent;
    }
    jsPubOptions po;
    jsPubOptions_Init(&po);
    po.MaxWait = m_storeTimeoutMs;
    po.ExpectStream = "MESSAGES"; // an ack from any other stream on these subjects is not the one we rely on
    po.MsgId = msgId.c_str();
    jsPubAck *ack = nullptr;
    jsErrCode code = jsErrCode(0);
    const natsStatus s = js_Publish(&ack, bus->js, subject.c_str(), bytes.data(), int(bytes.size()), &po, &code);
    if (s == NATS_OK && ack && ack->Duplicate) ++m_count.storedBefore; // a refused copy had been stored late
    jsPubAck_Destroy(ack);
    if (s == NATS_OK) return Stored::Yes;
    if (s == NATS_TIMEOUT) {
        ++m_count.storeTimeouts;
        m_storeRefusedUntil = now + 1s;
    }
    why = std::string("the message stream did not store it: ") + natsStatus_GetText(s);
    if (code != 0) why += " (JetStream error " + std::to_string(int(code)) + ")";
    // Without an answer the stream may still have it (a timeout, or a connection lost after the send).
    return s == NATS_TIMEOUT || s == NATS_CONNECTION_CLOSED || s == NATS_CONNECTION_DISCONNECTED ? Stored::NoAnswer
                                                                                                 : Stored::NotSent;
}

int Plugin::refusePublish(const mosquitto *client, int qos) const
{
    // An MQTT 5 QoS 1/2 publish gets a PUBACK/PUBREC with a reason code (0x87, the only one a plugin can give) and
    // the client stays connected. MQTT 3.1.1 and QoS 0 have no negative acknowledgement: the connection is closed
    // instead (the broker does that for any error other than ACL_DENIED), so the refusal is never silent.
    if (mosquitto_client_protocol_version(client) == 5 && qos > 0) return MOSQ_ERR_ACL_DENIED;
    return MOSQ_ERR_UNKNOWN;
}

} // namespace mf::mqtt
