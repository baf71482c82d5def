#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace mf::api {

// A token bucket per key (a thing id): `ratePerSecond` tokens a second, holding at most `burst`; each message takes
// one. Plain C++ and thread-safe, for the Qt ingest path and the Mosquitto plugin alike (MF_THING_RATE).
// Memory is bounded: past `maxKeys`, buckets that have refilled completely (idle keys) are dropped, and if none
// has, an arbitrary one (it starts full again: lenient, never unbounded).
class TokenBuckets final
{
public:
    TokenBuckets(double ratePerSecond, double burst, size_t maxKeys = 100'000);
    TokenBuckets(const TokenBuckets &) = delete;
    TokenBuckets &operator=(const TokenBuckets &) = delete;

    bool enabled() const { return m_rate > 0; }
    double rate() const { return m_rate; }
    // Takes a token of `key`: 0 when it had one (the message may go), else the milliseconds until it has one.
    int64_t take(const std::string &key, int64_t nowMs);
    size_t size() const;

private:
    struct Bucket
    {
        double tokens;
        int64_t lastMs;
    };
    void makeRoom(int64_t nowMs);

    double m_rate;
    double m_burst;
    size_t m_maxKeys;
    mutable std::mutex m_mutex;
    std::unordered_map<std::string, Bucket> m_buckets;
};

} // namespace mf::api
