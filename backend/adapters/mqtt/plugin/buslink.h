#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>

extern "C" {
#include <nats/nats.h>
}

namespace mf::mqtt {

// The plugin's NATS connection with its subscriptions (the channels this broker's clients subscribed to, for
// deliveries; events.things for cache invalidation; status.resync for the status service's "who is connected?"),
// rebuilt after any close the plugin did not ask for.
//
// Channels are subscribed on demand (wantChannel), not as channel.>: an edge whose clients only publish, or watch a
// few channels, is not sent every message of the cluster (that cost the split deployment a third of its CPU, see
// docs/BENCHMARKS.md, cluster). A wanted channel stays subscribed on every rebuilt connection until dropChannel.
//
// Why: cnats reconnects by itself after a *disconnect*, but it *closes* the connection for good when nats-server
// sends an -ERR it does not know (e.g. "maximum control line exceeded", see cnats conn.c _processErr) or when
// reconnect attempts run out. A closed connection used to leave the broker without a bus until it was restarted:
// no login (things.identify) and no publish worked again (issue 20).
//
// Threads: the closed callback runs on a cnats thread and only wakes the rebuild thread, which owns every
// connect and destroy after start(); the broker thread never waits for NATS here. Callers take the current
// connection with get() and hold the shared pointer only for the one call they make: a closed connection is
// destroyed (on the rebuild thread) once no caller holds it any more.
class BusLink final
{
public:
    struct Connection
    {
        natsConnection *nc = nullptr;
        jsCtx *js = nullptr; // stream publishes of QoS 1/2 messages (acknowledged once stored)
        natsSubscription *events = nullptr, *resync = nullptr;
        // channel id -> its subscriptions (channel.<id> and channel.<id>.>); guarded by BusLink::m_channelsMutex
        std::map<std::string, std::pair<natsSubscription *, natsSubscription *>> channels;
        ~Connection();
    };

    struct Handlers
    {
        natsMsgHandler onDelivery = nullptr; // a wanted channel's messages, on a cnats thread
        natsMsgHandler onEvent = nullptr;    // events.things, on a cnats thread
        natsMsgHandler onResync = nullptr;   // status.resync, on a cnats thread
        void *closure = nullptr;             // passed to each
        // After cnats reconnected, or after a rebuilt connection is in place (events may have been missed
        // meanwhile); on a cnats thread or the rebuild thread.
        std::function<void()> onReset;
    };

    BusLink(std::string url, std::string name, Handlers handlers);
    ~BusLink();
    BusLink(const BusLink &) = delete;
    BusLink &operator=(const BusLink &) = delete;

    // Connects once in the calling thread, so that a broker whose bus is up serves its first client at once, then
    // starts the rebuild thread (which keeps trying when this attempt failed). Returns "" or the error.
    std::string start();
    // Stops the rebuild thread and closes the connection; no callback runs for this close.
    void stop();

    // Subscribes to the channel's messages (channel.<id> and channel.<id>.>) unless it is subscribed already, and
    // keeps it on every rebuilt connection. The first time, waits up to timeoutMs for the server to confirm the
    // subscription, so that a client told "subscribed" (SUBACK) gets what is published from then on; when the bus
    // is down the subscription is made as soon as it is back. Returns true when the channel was not wanted before.
    bool wantChannel(const std::string &channel, int timeoutMs);
    void dropChannel(const std::string &channel); // a removed channel
    std::size_t channelCount() const;             // wanted channels

    std::shared_ptr<Connection> get() const; // null while there is no connection
    bool isUp() const;                       // a connection exists and cnats reports it connected
    uint64_t rebuilds() const { return m_rebuilds.load(); }

private:
    using Clock = std::chrono::steady_clock;

    std::shared_ptr<Connection> connect(std::string &error);
    // Subscribes the fresh connection to every wanted channel, then makes it the current one (one step under
    // m_channelsMutex, so that no channel wanted meanwhile is missed). False when the subscriptions failed.
    bool install(std::shared_ptr<Connection> connection, std::string &error);
    natsStatus subscribeChannel(Connection &c, const std::string &channel); // m_channelsMutex held
    bool closedBeforeUse() const; // the installed connection closed before its callback could see it installed
    void run();
    static void onClosed(natsConnection *nc, void *closure);
    static void onReconnected(natsConnection *nc, void *closure);

    const std::string m_url, m_name;
    const Handlers m_handlers;

    mutable std::mutex m_connectionMutex; // guards m_connection only (held for a pointer copy, never for I/O)
    std::shared_ptr<Connection> m_connection;

    mutable std::mutex
        m_channelsMutex; // guards m_channels and every Connection::channels; taken before m_connectionMutex
    std::set<std::string> m_channels;

    std::mutex m_mutex; // guards the rebuild state below
    std::condition_variable m_wake;
    bool m_wanted = false, m_stopping = false;
    Clock::time_point m_lastAttempt{};
    std::thread m_thread;
    std::atomic<uint64_t> m_rebuilds{0};
};

} // namespace mf::mqtt
