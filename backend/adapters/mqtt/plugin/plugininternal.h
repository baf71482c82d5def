#pragma once

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
//
// One Plugin object per broker; its member functions live in one file per concern:
//   plugin.cpp          options, start and stop, the entry points Mosquitto calls
//   pluginaccess.cpp    logins (BASIC_AUTH) and access checks (ACL_CHECK), persistent sessions' owners
//   plugininbound.cpp   MQTT -> NATS: SenML check, envelope, QoS 0 publish, QoS 1/2 stored before the PUBACK
//   pluginoutbound.cpp  NATS -> MQTT deliveries on the broker's tick, presence, refusals, statistics
//   pluginevents.cpp    events.things: cache invalidation, kicks when access goes, a removed channel's subscription
#include "accesscache.h"
#include "api/failurelimiter.h"
#include "api/tokenbuckets.h"
#include "bus/limits.h"
#include "bus/subjectnames.h"
#include "buslink.h"
#include "core/refusal.h"
#include "core/senml/senml.h"
#include "message.pb.h"
#include "refusedpublishes.h"
#include "statefiles.h"
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

using namespace std::chrono_literals;

namespace mf::mqtt {

// Client ids and usernames starting with this are the plugin's own; no device may use them.
inline constexpr std::string_view reservedPrefix = "$mf-";
inline constexpr char wakeUser[] = "$mf-wake";

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

std::string randomHex(size_t bytes);
// The key limits count a client address under, as the Qt adapters do (api/clientaddress.h): IPv4 also when it
// arrives IPv4-mapped, IPv6 by its /64 prefix.
std::string addressKey(const char *address);
std::string jsonString(const QJsonObject &o, const char *name);

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
    std::string m_idPrefix; // <instance>-<random>-: unique per broker process, also across restarts
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
            kicked{0}, lookups{0}, topicTooLong{0}, storeTimeouts{0}, keyFailures{0}, keyRefused{0}, rateLimited{0},
            tooManyClients{0}, storedBefore{0};
    } m_count;
};

} // namespace mf::mqtt
