#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace mf::bus {

// Sends what cnats has buffered now, for a publisher that is alone in flight.
//
// cnats (buffered mode, the default) writes a publish to the socket from its flusher thread, which first waits
// 1 ms for more to coalesce. That is what makes a busy connection cheap (one write for many publishes), but it
// also pins every request that waits for one JetStream ack to at least 1 ms: HTTP publishing at c=1 ran at
// ~970 req/s with p50 exactly 1.00 ms (docs/BENCHMARKS.md, "What dominates"). cnats has no public call that only
// writes the buffer; natsConnection_FlushTimeout() writes it in place (with a PING) and then waits for the PONG,
// so it runs here, on a thread of its own, never on the caller's. Kicks that arrive while a flush is on its way
// are folded into one more flush. NatsConnection kicks only when few acks are outstanding: under load the 1 ms
// coalescing stays, and so does its throughput (sendAsap, one write per publish, cost a third of it at c=64).
class FlushKicker final
{
public:
    explicit FlushKicker(std::function<void()> flush);
    ~FlushKicker(); // waits for a flush on its way (bounded by the flush's own timeout)
    FlushKicker(const FlushKicker &) = delete;
    FlushKicker &operator=(const FlushKicker &) = delete;

    // Thread-safe, never blocks.
    void kick();

private:
    void run();

    std::function<void()> m_flush;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_wanted = false;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace mf::bus
