#include "accesscache.h"

#include <utility>

#include <iterator>

namespace mf::mqtt {

AccessCache::AccessCache(Clock::duration positiveTtl, Clock::duration negativeTtl, Now now)
    : m_positiveTtl(positiveTtl), m_negativeTtl(negativeTtl), m_now(std::move(now))
{}

uint64_t AccessCache::generation() const
{
    std::lock_guard lock(m_mutex);
    return m_generation;
}

std::string AccessCache::pair(const std::string &channel, const std::string &thingId)
{
    std::string p;
    p.reserve(channel.size() + thingId.size() + 1);
    p += channel;
    p += '\n';
    p += thingId;
    return p;
}

std::optional<std::string> AccessCache::thingForKey(const std::string &key)
{
    std::lock_guard lock(m_mutex);
    const auto it = m_keys.find(key);
    if (it == m_keys.end()) return std::nullopt;
    if (it->second.expires < m_now()) {
        m_keys.erase(it);
        return std::nullopt;
    }
    return it->second.thingId;
}

void AccessCache::putKey(uint64_t generation, const std::string &key, const std::string &thingId)
{
    std::lock_guard lock(m_mutex);
    if (generation != m_generation) return;
    m_keys[key] = {thingId, m_now() + (thingId.empty() ? m_negativeTtl : m_positiveTtl)};
}

std::optional<bool> AccessCache::access(const std::string &channel, const std::string &thingId,
                                        std::string *contentType)
{
    const std::string p = pair(channel, thingId);
    std::lock_guard lock(m_mutex);
    const auto it = m_access.find(p);
    if (it == m_access.end()) return std::nullopt;
    if (it->second.expires < m_now()) {
        m_access.erase(it);
        return std::nullopt;
    }
    if (contentType) *contentType = it->second.contentType;
    return it->second.allowed;
}

void AccessCache::putAccess(uint64_t generation, const std::string &channel, const std::string &thingId, bool allowed,
                            const std::string &contentType)
{
    const std::string p = pair(channel, thingId);
    std::lock_guard lock(m_mutex);
    if (generation != m_generation) return;
    m_access[p] = {allowed, contentType, m_now() + (allowed ? m_positiveTtl : m_negativeTtl)};
}

void AccessCache::forgetThing(const std::string &thingId)
{
    const std::string suffix = '\n' + thingId;
    std::lock_guard lock(m_mutex);
    ++m_generation;
    std::erase_if(m_keys, [&](const auto &kv) { return kv.second.thingId == thingId; });
    std::erase_if(m_access, [&](const auto &kv) { return kv.first.ends_with(suffix); });
}

void AccessCache::forgetChannel(const std::string &channel)
{
    const std::string prefix = channel + '\n';
    std::lock_guard lock(m_mutex);
    ++m_generation;
    std::erase_if(m_access, [&](const auto &kv) { return kv.first.starts_with(prefix); });
}

void AccessCache::forgetAccess(const std::string &channel, const std::string &thingId)
{
    const std::string p = pair(channel, thingId);
    std::lock_guard lock(m_mutex);
    ++m_generation;
    m_access.erase(p);
}

void AccessCache::forgetBadKeys()
{
    std::lock_guard lock(m_mutex);
    ++m_generation;
    std::erase_if(m_keys, [](const auto &kv) { return kv.second.thingId.empty(); });
}

void AccessCache::clear()
{
    std::lock_guard lock(m_mutex);
    ++m_generation;
    m_keys.clear();
    m_access.clear();
}

size_t AccessCache::size() const
{
    std::lock_guard lock(m_mutex);
    return m_keys.size() + m_access.size();
}

} // namespace mf::mqtt
