// mainflux-mosquitto-plugin: makes a stock Mosquitto 2.0 broker the Mainflux MQTT adapter (plugin API v5).
//
// Threads: every mosquitto_* call and every callback registered with mosquitto runs on the broker thread. cnats
// delivers NATS messages on its own threads; those only touch the mutex-protected queues and the access cache,
// then wake the broker loop through WakeConnection. BusLink's rebuild thread re-creates the NATS connection after
// a close (never the broker thread, which only takes the current connection for one call at a time). There is no Qt
// event loop here: Qt Core is used only for JSON and for SenML validation (mf_senml), neither of which needs a
// QCoreApplication.
//
// See docs/protocols.md, section "MQTT", for the rules this implements.
#include "accesscache.h"
#include "api/failurelimiter.h"
#include "api/tokenbuckets.h"
#include "bus/limits.h"
#include "bus/subjects.h"
#include "buslink.h"
#include "refusedpublishes.h"
#include "statefiles.h"
#include "core/refusal.h"
#include "core/senml/senml.h"
#include "message.pb.h"
#include "topics.h"
#include "wakeconnection.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

extern "C" {
#include <mosquitto.h>
#include <mosquitto_broker.h>
#include <mosquitto_plugin.h>
#include <mqtt_protocol.h>
#include <nats/nats.h>
}

#define MF_PLUGIN_EXPORT extern "C" __attribute__((visibility("default")))

using namespace std::chrono_literals;

namespace mf::mqtt {
namespace {

// Client ids and usernames starting with this are the plugin's own; no device may use them.
constexpr std::string_view reservedPrefix = "$mf-";
constexpr char wakeUser[] = "$mf-wake";

enum class Verdict { Allow, Deny, Unavailable };

struct Outgoing
{
    std::string topic;
    std::string payload;
    std::string contentType;
};

struct ClientInfo
{
    std::string clientId;
    std::string thingId;
    std::set<std::string> channels; // channels it subscribed or published to (to kick on lost access)
    uint64_t serial = 0;            // tells a reused `struct mosquitto *` apart
};

std::string randomHex(size_t bytes)
{
    std::random_device rd;
    std::string out;
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < bytes; ++i) {
        const unsigned v = rd() & 0xff;
        out += hex[v >> 4];
        out += hex[v & 15];
    }
    return out;
}

// The key limits count a client address under, as the Qt adapters do (api/clientaddress.h): IPv4 also when it
// arrives IPv4-mapped, IPv6 by its /64 prefix.
std::string addressKey(const char *address)
{
    const std::string text = address ? address : "";
    in6_addr v6{};
    if (inet_pton(AF_INET6, text.c_str(), &v6) != 1) return text;
    if (IN6_IS_ADDR_V4MAPPED(&v6)) return text.substr(text.rfind(':') + 1);
    std::fill(v6.s6_addr + 8, v6.s6_addr + 16, uint8_t(0));
    char out[INET6_ADDRSTRLEN] = {};
    inet_ntop(AF_INET6, &v6, out, sizeof out);
    return std::string(out) + "/64";
}

std::string jsonString(const QJsonObject &o, const char *name)
{
    return o.value(QLatin1StringView(name)).toString().toStdString();
}

class Plugin final
{
public:
    explicit Plugin(mosquitto_plugin_id_t *id) : m_id(id), m_cache(10min, 10s) {}

    int init(mosquitto_opt *options, int count);
    void cleanup();

    int onBasicAuth(mosquitto_evt_basic_auth *e);
    int onAclCheck(mosquitto_evt_acl_check *e);
    int onMessage(mosquitto_evt_message *e);
    int onTick();
    int onDisconnect(mosquitto_evt_disconnect *e);

    void onNatsMessage(natsMsg *msg);
    void onEvent(natsMsg *msg);
    void onResync(natsMsg *msg);
    void onBusReset();

private:
    Verdict identify(const std::string &key, std::string &thingId);
    // `contentType`, when given, receives what the channel names for messages that name none ("" when none).
    Verdict channelAccess(const std::string &channel, const std::string &thingId, std::string *contentType = nullptr);
    Verdict request(const char *subject, const QJsonObject &body, QJsonObject &reply);
    const ClientInfo *client(const mosquitto *c) const; // m_mutex held
    std::string contentTypeOf(const mosquitto_property *properties) const;
    bool senmlValid(const std::string &contentType, const void *payload, uint32_t length, std::string &reason) const;
    void kickWhere(const std::string &thingId, const std::string &channel); // "" = any
    void revalidateAll();
    void publishStats();
    // Tells the status service (services/status) that a thing's connection opened or ended.
    void publishPresence(const char *event, const ClientInfo &client);
    // Tells the status service why a publish was refused (bus/refusal.h), for the channel's owner.
    void publishRefusal(const mosquitto *client, const std::string &thingId, const std::string &channel,
                        const std::string &reason, const void *payload, uint32_t length);
    int refusePublish(const mosquitto *client, int qos) const;
    enum class Stored { Yes, NotSent, NoAnswer }; // NoAnswer: sent, but the stream may store it late
    Stored store(const std::string &subject, const std::string &bytes, const std::string &msgId, std::string &why);
    void wake();

    mosquitto_plugin_id_t *m_id;
    std::string m_natsUrl, m_instance, m_wakeHost = "127.0.0.1", m_defaultContentType = "application/senml+json";
    int m_port = 1883, m_timeoutMs = 100, m_qos = 2, m_storeTimeoutMs = 1000;
    // After a store timeout, QoS 1/2 publishes are refused at once until then: a stream that does not answer stalls
    // the broker thread (every client) for one timeout per second at most, not one per message.
    std::chrono::steady_clock::time_point m_storeRefusedUntil{};
    bool m_wakeEnabled = true; // false: NATS->MQTT waits for mosquitto's own tick (benchmark baseline)
    std::string m_wakeSecret = randomHex(16);
    std::string m_wakeClientId;

    std::unique_ptr<BusLink> m_bus;
    // plugin_opt_state_dir: what a restarted broker needs for the persistent sessions Mosquitto restores.
    std::unique_ptr<ChannelStateFile> m_channelFile;
    std::unique_ptr<SessionOwners> m_owners;
    // QoS 1/2 messages go to the stream with a Nats-Msg-Id, and one refused for want of an answer (a stream leader
    // that died, a frozen server) is sent again under its first id when the device repeats it. The id costs
    // nothing measurable here: each QoS 1/2 publish waits for its own stream round trip anyway.
    std::string m_idPrefix;          // <instance>-<random>-: unique per broker process, also across restarts
    std::atomic<uint64_t> m_lastId{0};
    RefusedPublishes m_refused{20s, 1000}; // 20 s: the stream's duplicate window (bus/natsconnection.cpp)
    AccessCache m_cache;
    // Wrong keys per client address (plugin_opt_key_failures within plugin_opt_key_window_ms; MF_KEY_FAILURES):
    // past the limit every login from the address is refused (CONNACK "not authorised") until the window ends.
    std::unique_ptr<mf::api::FailureLimiter> m_keyFailures;
    // Publishes per thing a second (plugin_opt_thing_rate; MF_THING_RATE), null = no limit.
    std::unique_ptr<mf::api::TokenBuckets> m_thingRate;
    // Most things connected at once (plugin_opt_max_connections; MF_MQTT_MAX_CONNECTIONS), 0 = no limit. Counted
    // here, not with Mosquitto's max_connections: 2.0.11 miscounts it (a refused login lowers the count twice).
    size_t m_maxClients = 0;
    WakeConnection m_wake;
    std::chrono::steady_clock::time_point m_nextWakeAttempt{}, m_nextStats{};

    mutable std::mutex m_mutex; // guards m_clients, m_departed, m_nextSerial, m_queue, m_kicks
    std::unordered_map<const mosquitto *, ClientInfo> m_clients;
    std::vector<std::pair<const mosquitto *, uint64_t>> m_departed; // forgotten on the next TICK
    uint64_t m_nextSerial = 0;
    std::deque<Outgoing> m_queue;
    std::vector<std::string> m_kicks;

    struct Counters
    {
        std::atomic<uint64_t> authOk{0}, authFailed{0}, authUnavailable{0}, published{0}, publishFailed{0},
            invalidSenml{0}, deniedPublish{0}, deniedSubscribe{0}, delivered{0}, skippedOwn{0}, badEnvelope{0},
            kicked{0}, lookups{0}, topicTooLong{0}, storeTimeouts{0}, keyFailures{0}, keyRefused{0}, rateLimited{0}, tooManyClients{0}, storedBefore{0};
    } m_count;
};

// ---------------------------------------------------------------------------------------------- trampolines

int basicAuthCb(int, void *e, void *p)
{
    return static_cast<Plugin *>(p)->onBasicAuth(static_cast<mosquitto_evt_basic_auth *>(e));
}
int aclCheckCb(int, void *e, void *p)
{
    return static_cast<Plugin *>(p)->onAclCheck(static_cast<mosquitto_evt_acl_check *>(e));
}
int messageCb(int, void *e, void *p)
{
    return static_cast<Plugin *>(p)->onMessage(static_cast<mosquitto_evt_message *>(e));
}
int tickCb(int, void *, void *p)
{
    return static_cast<Plugin *>(p)->onTick();
}
int disconnectCb(int, void *e, void *p)
{
    return static_cast<Plugin *>(p)->onDisconnect(static_cast<mosquitto_evt_disconnect *>(e));
}
void natsMessageCb(natsConnection *, natsSubscription *, natsMsg *msg, void *p)
{
    static_cast<Plugin *>(p)->onNatsMessage(msg);
}
void natsEventCb(natsConnection *, natsSubscription *, natsMsg *msg, void *p)
{
    static_cast<Plugin *>(p)->onEvent(msg);
}
void natsResyncCb(natsConnection *, natsSubscription *, natsMsg *msg, void *p)
{
    static_cast<Plugin *>(p)->onResync(msg);
}

// ---------------------------------------------------------------------------------------------- lifecycle

int Plugin::init(mosquitto_opt *options, int count)
{
    mf::api::FailureLimiter::Policy keyPolicy{1000, 60'000};
    std::string stateDir; // "" = keep nothing across restarts
    for (int i = 0; i < count; ++i) {
        const std::string key = options[i].key, value = options[i].value ? options[i].value : "";
        if (key == "nats_url")
            m_natsUrl = value;
        else if (key == "instance")
            m_instance = value;
        else if (key == "port")
            m_port = std::atoi(value.c_str());
        else if (key == "wake_host")
            m_wakeHost = value;
        else if (key == "auth_timeout_ms")
            m_timeoutMs = std::max(1, std::atoi(value.c_str()));
        else if (key == "store_timeout_ms")
            m_storeTimeoutMs = std::max(1, std::atoi(value.c_str()));
        else if (key == "default_content_type")
            m_defaultContentType = value;
        else if (key == "delivery_qos")
            m_qos = std::clamp(std::atoi(value.c_str()), 0, 2);
        else if (key == "wake")
            m_wakeEnabled = value != "false" && value != "off" && value != "0";
        else if (key == "key_failures")
            keyPolicy.maxFailures = std::max(0, std::atoi(value.c_str()));
        else if (key == "key_window_ms")
            keyPolicy.windowMs = std::max<int64_t>(1000, std::atoll(value.c_str()));
        else if (key == "max_connections")
            m_maxClients = size_t(std::max(0, std::atoi(value.c_str())));
        else if (key == "state_dir")
            stateDir = value;
        else if (key == "thing_rate" && std::atof(value.c_str()) > 0)
            m_thingRate = std::make_unique<mf::api::TokenBuckets>(std::atof(value.c_str()), std::atof(value.c_str()));
    }
    m_keyFailures = std::make_unique<mf::api::FailureLimiter>(keyPolicy);
    m_channelFile = std::make_unique<ChannelStateFile>(stateDir.empty() ? "" : stateDir + "/plugin-channels");
    m_owners = std::make_unique<SessionOwners>(stateDir.empty() ? "" : stateDir + "/plugin-sessions");
    m_owners->load();
    if (m_natsUrl.empty()) {
        mosquitto_log_printf(MOSQ_LOG_ERR, "mainflux-plugin: plugin_opt_nats_url is required");
        return MOSQ_ERR_INVAL;
    }
    if (m_instance.empty()) m_instance = "mqtt-" + randomHex(8);
    m_wakeClientId = std::string(reservedPrefix) + "wake-" + m_instance;
    m_idPrefix = m_instance + "-" + randomHex(6) + "-";

    // A bus that is not there yet is no reason to refuse to start: BusLink keeps trying, and until it succeeds
    // logins are refused at once (clients retry) instead of waiting for requests that cannot be answered.
    m_bus = std::make_unique<BusLink>(m_natsUrl, "mainflux-mosquitto-plugin " + m_instance,
                                      BusLink::Handlers{natsMessageCb, natsEventCb, natsResyncCb, this, [this] { onBusReset(); }});
    // The channels that sessions restored from Mosquitto's persistence may be waiting for.
    const std::vector<std::string> restored = m_channelFile->load();
    for (const std::string &channel : restored)
        m_bus->wantChannel(channel, 0);
    if (const std::string error = m_bus->start(); !error.empty())
        mosquitto_log_printf(MOSQ_LOG_WARNING, "mainflux-plugin: NATS not reachable yet (%s); retrying", error.c_str());

    mosquitto_callback_register(m_id, MOSQ_EVT_BASIC_AUTH, basicAuthCb, nullptr, this);
    mosquitto_callback_register(m_id, MOSQ_EVT_ACL_CHECK, aclCheckCb, nullptr, this);
    mosquitto_callback_register(m_id, MOSQ_EVT_MESSAGE, messageCb, nullptr, this);
    mosquitto_callback_register(m_id, MOSQ_EVT_TICK, tickCb, nullptr, this);
    mosquitto_callback_register(m_id, MOSQ_EVT_DISCONNECT, disconnectCb, nullptr, this);
    mosquitto_log_printf(MOSQ_LOG_NOTICE,
                         "mainflux-plugin: instance %s, NATS %s, auth timeout %d ms, store timeout %d ms, "
                         "%zu channels and %zu persistent sessions known from before",
                         m_instance.c_str(), m_natsUrl.c_str(), m_timeoutMs, m_storeTimeoutMs, restored.size(),
                         m_owners->size());
    return MOSQ_ERR_SUCCESS;
}

void Plugin::cleanup()
{
    mosquitto_callback_unregister(m_id, MOSQ_EVT_BASIC_AUTH, basicAuthCb, nullptr);
    mosquitto_callback_unregister(m_id, MOSQ_EVT_ACL_CHECK, aclCheckCb, nullptr);
    mosquitto_callback_unregister(m_id, MOSQ_EVT_MESSAGE, messageCb, nullptr);
    mosquitto_callback_unregister(m_id, MOSQ_EVT_TICK, tickCb, nullptr);
    mosquitto_callback_unregister(m_id, MOSQ_EVT_DISCONNECT, disconnectCb, nullptr);
    if (m_bus) m_bus->stop();
    m_wake.close();
}

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
    const Verdict v = request("things.identify", {{QLatin1StringView("key"), QString::fromStdString(key)}}, reply);
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
    const Verdict v = request("things.access_by_id",
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
            mosquitto_log_printf(MOSQ_LOG_WARNING, "mainflux-plugin: %s (after a broker restart, messages for %s "
                                 "are not queued while it is away)", error.c_str(), clientId.c_str());
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
            mosquitto_log_printf(MOSQ_LOG_WARNING, "mainflux-plugin: %s (a restarted broker may not deliver this "
                                 "channel to restored sessions)", error.c_str());
    return MOSQ_ERR_SUCCESS;
}

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
    const QJsonObject presence{{QLatin1StringView("event"), QLatin1StringView(event)},
                               {QLatin1StringView("thing"), QString::fromStdString(client.thingId)},
                               {QLatin1StringView("client"),
                                QString::fromStdString(client.clientId + '#' + std::to_string(client.serial))},
                               {QLatin1StringView("instance"), QString::fromStdString(m_instance)}};
    const QByteArray data = QJsonDocument(presence).toJson(QJsonDocument::Compact);
    natsConnection_Publish(bus->nc, "status.mqtt", data.constData(), int(data.size())); // buffered, never blocks
}

void Plugin::publishRefusal(const mosquitto *client, const std::string &thingId, const std::string &channel,
                            const std::string &reason, const void *payload, uint32_t length)
{
    const auto bus = m_bus->get();
    if (!bus) return;
    const char *clientId = mosquitto_client_id(client);
    Refusal refusal;
    refusal.at = QDateTime::currentMSecsSinceEpoch();
    refusal.channel = QString::fromStdString(channel);
    refusal.thing = QString::fromStdString(thingId);
    refusal.protocol = QStringLiteral("mqtt");
    refusal.client = QString::fromUtf8(clientId ? clientId : "");
    refusal.reason = QString::fromStdString(reason);
    refusal.payloadSize = length;
    refusal.payloadHead = QByteArray(static_cast<const char *>(payload), int(std::min<uint32_t>(
                                                                                 length, refusalPayloadHeadBytes)));
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
    const std::string subject = "mqtt.stats." + m_instance;
    natsConnection_Publish(bus->nc, subject.c_str(), data.constData(), int(data.size()));
}

// ---------------------------------------------------------------------------------------------- events

void Plugin::kickWhere(const std::string &thingId, const std::string &channel)
{
    bool any = false;
    {
        std::lock_guard lock(m_mutex);
        for (const auto &[ptr, info] : m_clients) {
            if (!thingId.empty() && info.thingId != thingId) continue;
            if (!channel.empty() && !info.channels.contains(channel)) continue;
            m_kicks.push_back(info.clientId);
            any = true;
        }
    }
    if (any) wake();
}

void Plugin::revalidateAll() // events thread: may block on requests
{
    std::vector<std::pair<std::string, std::string>> pairs; // (thing, channel)
    {
        std::lock_guard lock(m_mutex);
        for (const auto &[ptr, info] : m_clients)
            for (const std::string &c : info.channels)
                pairs.emplace_back(info.thingId, c);
    }
    std::set<std::string> lost;
    for (const auto &[thing, channel] : pairs) {
        QJsonObject reply;
        const Verdict v = request("things.access_by_id",
                                  {{QLatin1StringView("thing_id"), QString::fromStdString(thing)},
                                   {QLatin1StringView("channel"), QString::fromStdString(channel)}},
                                  reply);
        if (v == Verdict::Deny) lost.insert(thing);
    }
    for (const std::string &thing : lost)
        kickWhere(thing, {});
}

void Plugin::onEvent(natsMsg *msg) // cnats thread
{
    const QJsonObject e =
        QJsonDocument::fromJson(QByteArray(natsMsg_GetData(msg), natsMsg_GetDataLength(msg))).object();
    natsMsg_Destroy(msg);
    const std::string kind = jsonString(e, "kind"), thing = jsonString(e, "thing_id"),
                      channel = jsonString(e, "channel_id");
    if (kind == "thing.create") {
        m_cache.forgetBadKeys();
    } else if (kind == "thing.connect") {
        m_cache.forgetAccess(channel, thing);
    } else if (kind == "thing.disconnect") {
        m_cache.forgetAccess(channel, thing);
        kickWhere(thing, channel);
    } else if (kind == "thing.key" || kind == "thing.remove") {
        m_cache.forgetThing(thing);
        m_cache.forgetBadKeys();
        kickWhere(thing, {});
        if (kind == "thing.remove")
            if (const std::string error = m_owners->forgetThing(thing); !error.empty())
                std::fprintf(stderr, "mainflux-plugin: %s\n", error.c_str()); // not the broker thread
    } else if (kind == "channel.update" || kind == "channel.create") {
        m_cache.forgetChannel(channel); // its content_type may have changed: ask again on the next publish
    } else if (kind == "channel.remove") {
        m_cache.forgetChannel(channel);
        kickWhere({}, channel);
        m_bus->dropChannel(channel);
        if (const std::string error = m_channelFile->remove(channel); !error.empty())
            std::fprintf(stderr, "mainflux-plugin: %s\n", error.c_str()); // not the broker thread: no mosquitto_log
    } else if (kind == "user.remove") {
        m_cache.clear();
        revalidateAll();
    }
}

void Plugin::onBusReset() // cnats thread or BusLink's rebuild thread
{
    // Events may have been missed while disconnected: forget everything learnt before.
    m_cache.clear();
    std::fprintf(stderr, "mainflux-plugin: access cache cleared after a NATS reconnect\n");
}

} // namespace
} // namespace mf::mqtt

// ---------------------------------------------------------------------------------------------- entry points

MF_PLUGIN_EXPORT int mosquitto_plugin_version(int count, const int *versions)
{
    for (int i = 0; i < count; ++i)
        if (versions[i] == 5) return 5;
    return -1;
}

MF_PLUGIN_EXPORT int mosquitto_plugin_init(mosquitto_plugin_id_t *id, void **userdata, struct mosquitto_opt *options,
                                           int count)
{
    auto *plugin = new mf::mqtt::Plugin(id);
    const int rc = plugin->init(options, count);
    if (rc != MOSQ_ERR_SUCCESS) {
        delete plugin;
        return rc;
    }
    *userdata = plugin;
    return MOSQ_ERR_SUCCESS;
}

MF_PLUGIN_EXPORT int mosquitto_plugin_cleanup(void *userdata, struct mosquitto_opt *, int)
{
    auto *plugin = static_cast<mf::mqtt::Plugin *>(userdata);
    if (plugin) plugin->cleanup();
    // Before the plugin is deleted: cnats runs callbacks (closed, messages) on its own threads with the plugin as
    // closure; waiting for those threads to end means none runs on a deleted object.
    nats_CloseAndWait(2000);
    delete plugin;
    return MOSQ_ERR_SUCCESS;
}
