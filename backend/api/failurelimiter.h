#pragma once

#include <cstddef>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

namespace mf::api {

// Counts failures (wrong passwords, wrong thing keys) per key (an e-mail, a client address) in a fixed window that
// opens at the key's first failure. Once a key has `maxFailures` in its window it is blocked until the window ends;
// then it starts again from nothing. Plain C++ and thread-safe: the Qt adapters and the Mosquitto plugin (no Qt,
// broker thread) both use it.
//
// Memory is bounded: at most `maxKeys` keys are tracked. Windows that ended are dropped first; when every tracked
// window is still open, the one that opened first is dropped (a flood of distinct keys can make the limiter forget
// old ones early, never grow without bound). Keys are kept as given: callers pass addresses and e-mails, never
// secrets.
class FailureLimiter final
{
public:
    struct Policy
    {
        int maxFailures = 0;       // failures in one window that block the key; 0 = the limit is off
        int64_t windowMs = 300'000;
        size_t maxKeys = 100'000;
    };

    explicit FailureLimiter(Policy policy);
    FailureLimiter(const FailureLimiter &) = delete;
    FailureLimiter &operator=(const FailureLimiter &) = delete;

    bool enabled() const { return m_policy.maxFailures > 0; }
    const Policy &policy() const { return m_policy; }

    // Milliseconds until `key` may try again; 0 = it may now.
    int64_t blockedForMs(const std::string &key, int64_t nowMs);
    // Counts one failure of `key`; returns blockedForMs() after it (non-zero when this one reached the limit).
    int64_t addFailure(const std::string &key, int64_t nowMs);
    // Forgets the key's failures (a successful sign-in).
    void reset(const std::string &key);
    size_t size() const;
    // No key tracked: callers on a hot path skip building a key (lock-free).
    bool empty() const { return m_tracked.load(std::memory_order_relaxed) == 0; }

    // A monotonic clock in milliseconds, what callers pass as nowMs.
    static int64_t nowMs();
    // Whole seconds a client should wait (Retry-After, CoAP Max-Age): at least 1.
    static int64_t retryAfterSeconds(int64_t blockedMs) { return blockedMs <= 0 ? 1 : (blockedMs + 999) / 1000; }

private:
    using Order = std::multimap<int64_t, std::string>; // window start → key: oldest first
    struct Entry
    {
        int failures = 0;
        Order::iterator start;
    };
    void dropEnded(int64_t nowMs);
    void erase(std::unordered_map<std::string, Entry>::iterator it);

    Policy m_policy;
    mutable std::mutex m_mutex;
    std::unordered_map<std::string, Entry> m_entries;
    Order m_order;
    std::atomic<size_t> m_tracked{0}; // m_entries.size(), readable without the mutex
};

} // namespace mf::api
