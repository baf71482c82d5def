// mainflux-mosquitto-plugin: options, start and stop, and the entry points Mosquitto calls (see plugininternal.h).
#include "plugininternal.h"

#define MF_PLUGIN_EXPORT extern "C" __attribute__((visibility("default")))

namespace mf::mqtt {

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

namespace {

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

} // namespace

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
    m_bus = std::make_unique<BusLink>(
        m_natsUrl, "mainflux-mosquitto-plugin " + m_instance,
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
