// The plugin: logins (BASIC_AUTH) and access checks (ACL_CHECK).
#include "plugininternal.h"

namespace mf::mqtt {

// ---------------------------------------------------------------------------------------------- access

Verdict Plugin::request(const char *subject, const QJsonObject &body, QJsonObject &reply)
{
    ++m_count.lookups;
    // No connection, or cnats is reconnecting: answer at once rather than after the request timeout.
    const auto bus = m_bus->get();
    if (!bus || natsConnection_Status(bus->nc) != NATS_CONN_STATUS_CONNECTED) return Verdict::Unavailable;
    const QByteArray data = QJsonDocument(body).toJson(QJsonDocument::Compact);
    natsMsg *answer = nullptr;
    const natsStatus s =
        natsConnection_Request(&answer, bus->nc, subject, data.constData(), int(data.size()), m_timeoutMs);
    if (s != NATS_OK) {
        // stderr, not mosquitto_log_printf: this also runs on the cnats events thread.
        std::fprintf(stderr, "mainflux-plugin: request %s failed: %s\n", subject, natsStatus_GetText(s));
        return Verdict::Unavailable;
    }
    reply = QJsonDocument::fromJson(QByteArray(natsMsg_GetData(answer), natsMsg_GetDataLength(answer))).object();
    natsMsg_Destroy(answer);
    const int code = reply.value(QLatin1StringView("code")).toInt();
    if (!reply.contains(QLatin1StringView("error"))) return Verdict::Allow;
    return code >= 400 && code < 500 ? Verdict::Deny : Verdict::Unavailable;
}

Verdict Plugin::identify(const std::string &key, std::string &thingId)
{
    if (auto known = m_cache.thingForKey(key)) {
        thingId = *known;
        return thingId.empty() ? Verdict::Deny : Verdict::Allow;
    }
    const uint64_t generation = m_cache.generation();
    QJsonObject reply;
    const Verdict v =
        request(bus::thingsIdentifySubject, {{QLatin1StringView("key"), QString::fromStdString(key)}}, reply);
    if (v == Verdict::Allow) thingId = jsonString(reply, "thing_id");
    if (v == Verdict::Allow && thingId.empty()) return Verdict::Unavailable;
    if (v != Verdict::Unavailable) m_cache.putKey(generation, key, v == Verdict::Allow ? thingId : std::string());
    return v;
}

Verdict Plugin::channelAccess(const std::string &channel, const std::string &thingId, std::string *contentType)
{
    if (auto known = m_cache.access(channel, thingId, contentType)) return *known ? Verdict::Allow : Verdict::Deny;
    const uint64_t generation = m_cache.generation();
    QJsonObject reply;
    const Verdict v = request(bus::thingsAccessByIdSubject,
                              {{QLatin1StringView("thing_id"), QString::fromStdString(thingId)},
                               {QLatin1StringView("channel"), QString::fromStdString(channel)}},
                              reply);
    const std::string channelType = v == Verdict::Allow ? jsonString(reply, "content_type") : std::string();
    if (contentType) *contentType = channelType;
    if (v != Verdict::Unavailable) m_cache.putAccess(generation, channel, thingId, v == Verdict::Allow, channelType);
    return v;
}

const ClientInfo *Plugin::client(const mosquitto *c) const
{
    const auto it = m_clients.find(c);
    return it == m_clients.end() ? nullptr : &it->second;
}

int Plugin::onBasicAuth(mosquitto_evt_basic_auth *e)
{
    const char *id = mosquitto_client_id(e->client);
    const std::string clientId = id ? id : "";
    const std::string username = e->username ? e->username : "";
    if (username == wakeUser)
        return clientId == m_wakeClientId && e->password && m_wakeSecret == e->password ? MOSQ_ERR_SUCCESS
                                                                                        : MOSQ_ERR_AUTH;
    if (clientId.starts_with(reservedPrefix) || username.starts_with(reservedPrefix) || !e->password || !*e->password) {
        ++m_count.authFailed;
        return MOSQ_ERR_AUTH;
    }
    if (!m_bus->isUp()) {
        // Even a key known from the cache: the client could not publish anyway. No CONNACK, so it retries.
        ++m_count.authUnavailable;
        mosquitto_log_printf(MOSQ_LOG_NOTICE, "mainflux-plugin: login of %s refused: message bus unavailable",
                             clientId.c_str());
        return MOSQ_ERR_UNKNOWN;
    }
    if (m_maxClients > 0) {
        std::lock_guard lock(m_mutex);
        if (m_clients.size() - std::min(m_clients.size(), m_departed.size()) >= m_maxClients) {
            // Closed without CONNACK (a plugin cannot send "server busy"): the client retries later, as when the
            // bus is down, instead of concluding that its key is wrong.
            ++m_count.tooManyClients;
            mosquitto_log_printf(MOSQ_LOG_NOTICE, "mainflux-plugin: login of %s refused: %zu clients connected",
                                 clientId.c_str(), m_maxClients);
            return MOSQ_ERR_UNKNOWN;
        }
    }
    const std::string address = addressKey(mosquitto_client_address(e->client));
    if (m_keyFailures->blockedForMs(address, mf::api::FailureLimiter::nowMs()) > 0) {
        // Before the key is looked at: a right key from a locked-out address is refused too. MQTT has no
        // Retry-After; the client retries on its own schedule and is let in once the window ends.
        ++m_count.keyRefused;
        return MOSQ_ERR_AUTH;
    }
    std::string thingId;
    const Verdict v = identify(e->password, thingId);
    if (v == Verdict::Unavailable) {
        // Not "not authorised": the key may be fine. Closing without CONNACK makes clients retry later.
        ++m_count.authUnavailable;
        return MOSQ_ERR_UNKNOWN;
    }
    // The username, when given, must be the thing id (Mainflux 0.11+); an empty one is accepted (Mainflux 0.7).
    if (v == Verdict::Deny || (!username.empty() && username != thingId)) {
        ++m_count.authFailed;
        // Kept for the owner of the thing the username names (a device still using a rotated key shows up on its
        // thing's page); with no username nobody owns it: the status service logs it with the address.
        publishRefusal(e->client, username, {},
                       v == Verdict::Deny ? "login refused: unknown thing key"
                                          : "login refused: the key is not this thing's key (username = thing id)",
                       nullptr, 0);
        if (m_keyFailures->enabled()) {
            ++m_count.keyFailures;
            m_keyFailures->addFailure(address, mf::api::FailureLimiter::nowMs());
        }
        return MOSQ_ERR_AUTH;
    }
    if (!mosquitto_client_clean_session(e->client)) {
        // A persistent session is its thing's: another thing resuming it would be handed what was queued for the
        // first one. A clean login ends the old session (Mosquitto discards it) and so frees the client id.
        if (const auto owner = m_owners->thingOf(clientId); owner && *owner != thingId) {
            ++m_count.authFailed;
            mosquitto_log_printf(MOSQ_LOG_NOTICE,
                                 "mainflux-plugin: login of %s refused: its persistent session belongs to another "
                                 "thing (connect with a clean session to end it)",
                                 clientId.c_str());
            return MOSQ_ERR_AUTH;
        }
        if (const std::string error = m_owners->set(clientId, thingId); !error.empty())
            mosquitto_log_printf(MOSQ_LOG_WARNING,
                                 "mainflux-plugin: %s (after a broker restart, messages for %s "
                                 "are not queued while it is away)",
                                 error.c_str(), clientId.c_str());
    } else if (const std::string error = m_owners->forgetClient(clientId); !error.empty()) {
        mosquitto_log_printf(MOSQ_LOG_WARNING, "mainflux-plugin: %s", error.c_str());
    }
    ++m_count.authOk;
    std::lock_guard lock(m_mutex);
    const ClientInfo &info = m_clients[e->client] = ClientInfo{clientId, thingId, {}, ++m_nextSerial};
    publishPresence("connected", info);
    return MOSQ_ERR_SUCCESS;
}

std::string Plugin::contentTypeOf(const mosquitto_property *properties) const
{
    char *value = nullptr;
    if (properties && mosquitto_property_read_string(properties, MQTT_PROP_CONTENT_TYPE, &value, false) && value) {
        std::string ct(value);
        mosquitto_free(value);
        return ct;
    }
    return {};
}

bool Plugin::senmlValid(const std::string &contentType, const void *payload, uint32_t length, std::string &reason) const
{
    const auto format = senml::formatForContentType(QString::fromStdString(contentType));
    if (!format) return true; // not SenML: passes through untouched
    const QByteArray bytes = QByteArray::fromRawData(static_cast<const char *>(payload), qsizetype(length));
    const double now = double(std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count()) /
                       1000.0;
    auto records = senml::normalize(bytes, *format, now);
    if (records) return true;
    reason = records.error().message.toStdString();
    return false;
}

int Plugin::onAclCheck(mosquitto_evt_acl_check *e)
{
    if (e->access == MOSQ_ACL_UNSUBSCRIBE) return MOSQ_ERR_SUCCESS;
    std::string thingId;
    {
        std::lock_guard lock(m_mutex);
        if (const ClientInfo *info = client(e->client)) thingId = info->thingId;
    }
    if (thingId.empty()) {
        // Not logged in: the wake connection, someone we did not authenticate, or a persistent session whose device
        // is away. Messages are queued for the last if its thing may read the channel (checked below).
        const char *id = mosquitto_client_id(e->client);
        const auto owner = e->access == MOSQ_ACL_READ && id ? m_owners->thingOf(id) : std::nullopt;
        if (!owner) return MOSQ_ERR_ACL_DENIED;
        thingId = *owner;
    }
    if (exceedsLengthBound(e->topic)) {
        // A delivery with such a topic can only be a retained message from before this bound: not delivered.
        if (e->access == MOSQ_ACL_READ) return MOSQ_ERR_ACL_DENIED;
        // Refused as a bad request, before anything reaches NATS: nats-server would close the plugin's connection
        // over a subject this long.
        const char *id = mosquitto_client_id(e->client);
        mosquitto_log_printf(MOSQ_LOG_NOTICE,
                             "mainflux-plugin: %s from %s refused: topic of %zu bytes, at most %d "
                             "for the channel id and for the subtopic",
                             e->access == MOSQ_ACL_SUBSCRIBE ? "SUBSCRIBE" : "PUBLISH", id ? id : "?",
                             std::strlen(e->topic), bus::maxSubtopicBytes);
        if (e->access == MOSQ_ACL_SUBSCRIBE) {
            ++m_count.deniedSubscribe;
            return MOSQ_ERR_ACL_DENIED; // SUBACK 0x80 (3.1.1) / 0x87 (5)
        }
        ++m_count.topicTooLong;
        return refusePublish(e->client, e->qos);
    }
    std::string channel;
    if (e->access == MOSQ_ACL_SUBSCRIBE) {
        auto parsed = parseSubscription(e->topic);
        if (!parsed) {
            ++m_count.deniedSubscribe;
            return MOSQ_ERR_ACL_DENIED;
        }
        channel = std::move(*parsed);
    } else {
        auto parsed = parseTopic(e->topic);
        if (!parsed) {
            if (e->access == MOSQ_ACL_WRITE) ++m_count.deniedPublish;
            return MOSQ_ERR_ACL_DENIED;
        }
        channel = std::move(parsed->channel);
    }
    const Verdict v = channelAccess(channel, thingId);
    if (v != Verdict::Allow) {
        if (e->access == MOSQ_ACL_SUBSCRIBE) ++m_count.deniedSubscribe;
        if (e->access == MOSQ_ACL_WRITE) {
            ++m_count.deniedPublish;
            if (v == Verdict::Deny)
                publishRefusal(e->client, thingId, channel, "the thing is not connected to the channel", e->payload,
                               e->payloadlen);
        }
        return MOSQ_ERR_ACL_DENIED;
    }
    if (e->access != MOSQ_ACL_READ) {
        std::lock_guard lock(m_mutex);
        if (auto it = m_clients.find(e->client); it != m_clients.end()) it->second.channels.insert(channel);
    }
    // The first subscription to a channel on this broker subscribes the bus to it, before the SUBACK.
    if (e->access == MOSQ_ACL_SUBSCRIBE && m_bus->wantChannel(channel, m_timeoutMs))
        if (const std::string error = m_channelFile->add(channel); !error.empty())
            mosquitto_log_printf(MOSQ_LOG_WARNING,
                                 "mainflux-plugin: %s (a restarted broker may not deliver this "
                                 "channel to restored sessions)",
                                 error.c_str());
    return MOSQ_ERR_SUCCESS;
}

} // namespace mf::mqtt
