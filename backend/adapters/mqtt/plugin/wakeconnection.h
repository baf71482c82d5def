#pragma once

#include <atomic>
#include <string>

namespace mf::mqtt {

// The plugin's own MQTT connection to its broker, used only to wake the broker loop (reference:
// platform-probes-2.md §3, "selfconn"). mosquitto 2.0 runs plugin TICK callbacks only once per main-loop pass,
// and an idle loop sleeps up to 100 ms in epoll_wait. Writing a 2-byte PINGREQ on this socket makes the broker's
// side readable, the loop runs, and TICK drains the queue of messages from NATS. Level-triggered, so no wake-up
// is lost.
//
// Threading: connect() and isConnected() on the broker thread (TICK); wake() from any thread (cnats callbacks).
class WakeConnection final
{
public:
    WakeConnection() = default;
    ~WakeConnection();
    WakeConnection(const WakeConnection &) = delete;
    WakeConnection &operator=(const WakeConnection &) = delete;

    // Blocking TCP connect to the broker's own listener (the kernel completes it from the backlog, so this does
    // not wait for the broker loop), sends CONNECT {clean, keepalive 0, clientId, username, password}, then
    // switches the socket to non-blocking. The broker answers (CONNACK) on a later loop pass.
    bool connect(const std::string &host, int port, const std::string &clientId, const std::string &username,
                 const std::string &password);
    bool isConnected() const { return m_fd.load() >= 0; }
    // Sends PINGREQ (after discarding whatever the broker sent: CONNACK, PINGRESPs). On a broken socket it closes
    // it; the next TICK reconnects.
    void wake();
    void close();

private:
    std::atomic<int> m_fd{-1};
};

} // namespace mf::mqtt
