#include "tokenbuckets.h"

#include <algorithm>
#include <cmath>

namespace mf::api {

TokenBuckets::TokenBuckets(double ratePerSecond, double burst, size_t maxKeys)
    : m_rate(std::max(0.0, ratePerSecond)), m_burst(std::max(1.0, burst)), m_maxKeys(std::max<size_t>(1, maxKeys))
{}

void TokenBuckets::makeRoom(int64_t nowMs)
{
    for (auto it = m_buckets.begin(); it != m_buckets.end();) {
        if (it->second.tokens + double(nowMs - it->second.lastMs) * m_rate / 1000.0 >= m_burst)
            it = m_buckets.erase(it);
        else
            ++it;
    }
    if (m_buckets.size() >= m_maxKeys) m_buckets.erase(m_buckets.begin());
}

int64_t TokenBuckets::take(const std::string &key, int64_t nowMs)
{
    if (!enabled()) return 0;
    std::lock_guard lock(m_mutex);
    auto it = m_buckets.find(key);
    if (it == m_buckets.end()) {
        if (m_buckets.size() >= m_maxKeys) makeRoom(nowMs);
        it = m_buckets.emplace(key, Bucket{m_burst, nowMs}).first;
    }
    Bucket &b = it->second;
    b.tokens = std::min(m_burst, b.tokens + double(std::max<int64_t>(0, nowMs - b.lastMs)) * m_rate / 1000.0);
    b.lastMs = nowMs;
    if (b.tokens >= 1.0) {
        b.tokens -= 1.0;
        return 0;
    }
    return std::max<int64_t>(1, int64_t(std::ceil((1.0 - b.tokens) * 1000.0 / m_rate)));
}

size_t TokenBuckets::size() const
{
    std::lock_guard lock(m_mutex);
    return m_buckets.size();
}

} // namespace mf::api
