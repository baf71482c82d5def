#include "failurelimiter.h"

#include <chrono>

namespace mf::api {

FailureLimiter::FailureLimiter(Policy policy) : m_policy(policy)
{
    if (m_policy.maxKeys == 0) m_policy.maxKeys = 1;
}

int64_t FailureLimiter::nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

void FailureLimiter::erase(std::unordered_map<std::string, Entry>::iterator it)
{
    m_order.erase(it->second.start);
    m_entries.erase(it);
    m_tracked.store(m_entries.size(), std::memory_order_relaxed);
}

void FailureLimiter::dropEnded(int64_t nowMs)
{
    while (!m_order.empty() && m_order.begin()->first + m_policy.windowMs <= nowMs)
        erase(m_entries.find(m_order.begin()->second));
}

int64_t FailureLimiter::blockedForMs(const std::string &key, int64_t nowMs)
{
    if (!enabled() || empty()) return 0;
    std::lock_guard lock(m_mutex);
    const auto it = m_entries.find(key);
    if (it == m_entries.end()) return 0;
    const int64_t ends = it->second.start->first + m_policy.windowMs;
    if (ends <= nowMs) {
        erase(it);
        return 0;
    }
    return it->second.failures >= m_policy.maxFailures ? ends - nowMs : 0;
}

int64_t FailureLimiter::addFailure(const std::string &key, int64_t nowMs)
{
    if (!enabled()) return 0;
    std::lock_guard lock(m_mutex);
    auto it = m_entries.find(key);
    if (it != m_entries.end() && it->second.start->first + m_policy.windowMs <= nowMs) {
        erase(it);
        it = m_entries.end();
    }
    if (it == m_entries.end()) {
        dropEnded(nowMs);
        while (m_entries.size() >= m_policy.maxKeys) // every window still open: forget the oldest
            erase(m_entries.find(m_order.begin()->second));
        it = m_entries.emplace(key, Entry{0, m_order.emplace(nowMs, key)}).first;
        m_tracked.store(m_entries.size(), std::memory_order_relaxed);
    }
    Entry &entry = it->second;
    if (entry.failures < m_policy.maxFailures) ++entry.failures;
    return entry.failures >= m_policy.maxFailures ? entry.start->first + m_policy.windowMs - nowMs : 0;
}

void FailureLimiter::reset(const std::string &key)
{
    std::lock_guard lock(m_mutex);
    if (const auto it = m_entries.find(key); it != m_entries.end()) erase(it);
}

size_t FailureLimiter::size() const
{
    std::lock_guard lock(m_mutex);
    return m_entries.size();
}

} // namespace mf::api
