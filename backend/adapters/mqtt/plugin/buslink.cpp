#include "buslink.h"

#include "bus/subjectnames.h"

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace std::chrono_literals;

namespace mf::mqtt {

namespace {

// Backoff between rebuilds: the first rebuild after a connection that lived a while is immediate; a connection
// that closes again within `stableAfter` (a server that keeps refusing us) is retried after 250 ms, 500 ms, ...
// up to 5 s, so the plugin never hammers nats-server and is back within seconds once NATS is.
constexpr auto minBackoff = 250ms;
constexpr auto maxBackoff = 5s;
constexpr auto stableAfter = 10s;

// stderr, not mosquitto_log_printf: mosquitto_* functions may only be called on the broker thread. The backend
// sends mosquitto's stderr to the broker's log file (<data dir>/mosquitto/mosquitto.log), next to its own lines.
void log(const char *what, const std::string &detail)
{
    std::fprintf(stderr, "mainflux-plugin: %s%s%s\n", what, detail.empty() ? "" : ": ", detail.c_str());
    std::fflush(stderr);
}

} // namespace

BusLink::Connection::~Connection()
{
    // Subscriptions first: they hold references to the connection.
    for (auto &[channel, subs] : channels) {
        natsSubscription_Destroy(subs.first);
        natsSubscription_Destroy(subs.second);
    }
    natsSubscription_Destroy(events);
    natsSubscription_Destroy(resync);
    jsCtx_Destroy(js);
    if (nc) {
        natsConnection_Close(nc); // no-op when NATS closed it already
        natsConnection_Destroy(nc);
    }
}

BusLink::BusLink(std::string url, std::string name, Handlers handlers)
    : m_url(std::move(url)), m_name(std::move(name)), m_handlers(std::move(handlers))
{}

BusLink::~BusLink()
{
    stop();
}

std::shared_ptr<BusLink::Connection> BusLink::connect(std::string &error)
{
    natsOptions *opts = nullptr;
    natsStatus s = natsOptions_Create(&opts);
    // A cluster is a comma-separated list (MF_NATS_URL); natsOptions_SetURL takes one URL only.
    std::vector<std::string> urls;
    for (std::size_t start = 0; start <= m_url.size();) {
        const std::size_t comma = std::min(m_url.find(',', start), m_url.size());
        if (comma > start) urls.push_back(m_url.substr(start, comma - start));
        start = comma + 1;
    }
    std::vector<const char *> servers;
    for (const std::string &u : urls)
        servers.push_back(u.c_str());
    if (s == NATS_OK) s = natsOptions_SetServers(opts, servers.data(), int(servers.size()));
    if (s == NATS_OK) s = natsOptions_SetName(opts, m_name.c_str());
    // Disconnects are cnats' business (it reconnects and buffers); only a close comes back to us.
    if (s == NATS_OK) s = natsOptions_SetMaxReconnect(opts, -1);
    if (s == NATS_OK) s = natsOptions_SetReconnectWait(opts, 250);
    if (s == NATS_OK) s = natsOptions_SetTimeout(opts, 2000);
    if (s == NATS_OK) s = natsOptions_SetReconnectedCB(opts, &BusLink::onReconnected, this);
    if (s == NATS_OK) s = natsOptions_SetClosedCB(opts, &BusLink::onClosed, this);
    // Every subscription's messages on cnats' shared delivery thread (one by default), not a thread per
    // subscription: the plugin subscribes twice per wanted channel. Replies to requests and JetStream acks do not
    // use that thread (cnats subscribes them outside the pool), so an event handler that waits for a reply
    // (Plugin::revalidateAll) delays deliveries for that long but cannot block itself.
    if (s == NATS_OK) s = natsOptions_UseGlobalMessageDelivery(opts, true);
    auto c = std::make_shared<Connection>();
    if (s == NATS_OK) s = natsConnection_Connect(&c->nc, opts);
    natsOptions_Destroy(opts);
    if (s == NATS_OK) s = natsConnection_JetStream(&c->js, c->nc, nullptr);
    if (s == NATS_OK)
        s = natsConnection_Subscribe(&c->events, c->nc, bus::eventsThingsSubject, m_handlers.onEvent,
                                     m_handlers.closure);
    if (s == NATS_OK)
        s = natsConnection_Subscribe(&c->resync, c->nc, bus::statusResyncSubject, m_handlers.onResync,
                                     m_handlers.closure);
    // The subscriptions are registered on the server before anyone is told the bus is back.
    if (s == NATS_OK) s = natsConnection_FlushTimeout(c->nc, 2000);
    if (s != NATS_OK) {
        error = m_url + ": " + natsStatus_GetText(s);
        return nullptr; // its destructor closes what was opened (that close wakes the rebuild thread: harmless)
    }
    return c;
}

natsStatus BusLink::subscribeChannel(Connection &c, const std::string &channel)
{
    if (c.channels.contains(channel)) return NATS_OK;
    const std::string exact = std::string(bus::channelPrefix) + '.' + channel, nested = exact + ".>";
    natsSubscription *a = nullptr, *b = nullptr;
    natsStatus s = natsConnection_Subscribe(&a, c.nc, exact.c_str(), m_handlers.onDelivery, m_handlers.closure);
    if (s == NATS_OK) s = natsConnection_Subscribe(&b, c.nc, nested.c_str(), m_handlers.onDelivery, m_handlers.closure);
    // Deliveries wait in cnats' queue while the broker thread is busy; a slow broker is not a reason to drop them.
    if (s == NATS_OK) s = natsSubscription_SetPendingLimits(a, 1000000, 512 * 1024 * 1024);
    if (s == NATS_OK) s = natsSubscription_SetPendingLimits(b, 1000000, 512 * 1024 * 1024);
    if (s != NATS_OK) {
        natsSubscription_Destroy(a);
        natsSubscription_Destroy(b);
        return s;
    }
    c.channels.emplace(channel, std::make_pair(a, b));
    return NATS_OK;
}

bool BusLink::install(std::shared_ptr<Connection> connection, std::string &error)
{
    std::lock_guard channelsLock(m_channelsMutex);
    natsStatus s = NATS_OK;
    for (const std::string &channel : m_channels)
        if (s == NATS_OK) s = subscribeChannel(*connection, channel);
    if (s == NATS_OK && !m_channels.empty()) s = natsConnection_FlushTimeout(connection->nc, 2000);
    if (s != NATS_OK) {
        error = m_url + ": subscribing to the wanted channels: " + natsStatus_GetText(s);
        return false;
    }
    std::lock_guard lock(m_connectionMutex);
    m_connection = std::move(connection);
    return true;
}

bool BusLink::wantChannel(const std::string &channel, int timeoutMs)
{
    std::lock_guard lock(m_channelsMutex);
    if (!m_channels.insert(channel).second) return false;
    const auto c = get();
    if (!c) return true; // install() subscribes it on the connection being built
    if (const natsStatus s = subscribeChannel(*c, channel); s != NATS_OK) {
        // The connection is closing (a rebuild follows and subscribes every wanted channel) or the subject was
        // refused (channel ids are checked before they get here).
        log("channel not subscribed yet", channel + ": " + natsStatus_GetText(s));
        return true;
    }
    // While cnats reconnects, the subscription is sent when it is back: no point in waiting for it here.
    if (natsConnection_Status(c->nc) == NATS_CONN_STATUS_CONNECTED) natsConnection_FlushTimeout(c->nc, timeoutMs);
    return true;
}

void BusLink::dropChannel(const std::string &channel)
{
    std::lock_guard lock(m_channelsMutex);
    if (!m_channels.erase(channel)) return;
    const auto c = get();
    if (!c) return;
    if (auto it = c->channels.find(channel); it != c->channels.end()) {
        natsSubscription_Unsubscribe(it->second.first);
        natsSubscription_Unsubscribe(it->second.second);
        natsSubscription_Destroy(it->second.first);
        natsSubscription_Destroy(it->second.second);
        c->channels.erase(it);
    }
}

std::size_t BusLink::channelCount() const
{
    std::lock_guard lock(m_channelsMutex);
    return m_channels.size();
}

std::string BusLink::start()
{
    std::string error;
    auto c = connect(error);
    {
        std::lock_guard lock(m_mutex);
        m_lastAttempt = Clock::now();
        m_wanted = c == nullptr;
    }
    if (c && !install(std::move(c), error)) m_wanted = true;
    if (closedBeforeUse()) m_wanted = true; // the thread is not running yet
    m_thread = std::thread(&BusLink::run, this);
    return error;
}

void BusLink::stop()
{
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping) return;
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) m_thread.join();
    std::shared_ptr<Connection> c;
    {
        std::lock_guard lock(m_connectionMutex);
        c.swap(m_connection);
    }
    if (c && natsConnection_Status(c->nc) == NATS_CONN_STATUS_CONNECTED) natsConnection_FlushTimeout(c->nc, 1000);
    while (c && c.use_count() > 1) // a cnats thread still in a request (bounded by its timeout)
        std::this_thread::sleep_for(5ms);
}

std::shared_ptr<BusLink::Connection> BusLink::get() const
{
    std::lock_guard lock(m_connectionMutex);
    return m_connection;
}

bool BusLink::closedBeforeUse() const
{
    const auto c = get();
    return c && natsConnection_Status(c->nc) == NATS_CONN_STATUS_CLOSED;
}

bool BusLink::isUp() const
{
    const auto c = get();
    return c && natsConnection_Status(c->nc) == NATS_CONN_STATUS_CONNECTED;
}

void BusLink::run()
{
    auto backoff = std::chrono::milliseconds(minBackoff);
    std::unique_lock lock(m_mutex);
    while (true) {
        m_wake.wait(lock, [this] { return m_stopping || m_wanted; });
        if (m_stopping) return;
        if (Clock::now() - m_lastAttempt < stableAfter) {
            if (m_wake.wait_for(lock, backoff, [this] { return m_stopping; })) return;
            backoff = std::min<std::chrono::milliseconds>(backoff * 2, maxBackoff);
        } else {
            backoff = minBackoff;
        }
        m_wanted = false; // a close from here on asks again
        m_lastAttempt = Clock::now();
        lock.unlock();

        // Out of reach for new callers first; then destroyed once the last caller let go (a call on a closed
        // connection returns at once, so this wait is short).
        std::shared_ptr<Connection> old;
        {
            std::lock_guard guard(m_connectionMutex);
            old.swap(m_connection);
        }
        while (old && old.use_count() > 1)
            std::this_thread::sleep_for(5ms);
        old.reset();

        std::string error;
        auto fresh = connect(error);
        const bool connected = fresh != nullptr && install(std::move(fresh), error);
        if (connected) {
            ++m_rebuilds;
            log("NATS connection rebuilt", m_url);
            if (m_handlers.onReset) m_handlers.onReset();
        } else {
            log("NATS connection not rebuilt yet", error);
        }
        const bool closed = closedBeforeUse();
        lock.lock();
        if (!connected || closed) m_wanted = true;
    }
}

void BusLink::onClosed(natsConnection *nc, void *closure) // cnats thread
{
    auto *self = static_cast<BusLink *>(closure);
    // Only the connection in use matters: closes of failed attempts and of replaced connections (whose callback
    // may run late) must not tear down a good one. A close racing with install() is caught by closedBeforeUse().
    if (const auto current = self->get(); !current || current->nc != nc) return;
    {
        std::lock_guard lock(self->m_mutex);
        if (self->m_stopping) return;
        self->m_wanted = true;
    }
    const char *text = nullptr;
    natsConnection_GetLastError(nc, &text);
    log("NATS closed the connection; rebuilding it", text ? text : "");
    self->m_wake.notify_all();
}

void BusLink::onReconnected(natsConnection *, void *closure) // cnats thread
{
    auto *self = static_cast<BusLink *>(closure);
    log("reconnected to NATS", {});
    if (self->m_handlers.onReset) self->m_handlers.onReset();
}

} // namespace mf::mqtt
