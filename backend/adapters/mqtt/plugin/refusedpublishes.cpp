#include "refusedpublishes.h"

#include <algorithm>
#include <utility>

namespace mf::mqtt {

RefusedPublishes::RefusedPublishes(Clock::duration lifetime, std::size_t capacity, Now now)
    : m_lifetime(lifetime), m_capacity(std::max<std::size_t>(1, capacity)), m_now(std::move(now))
{}

std::string RefusedPublishes::keyOf(std::string_view clientId, std::string_view topic, std::string_view payload)
{
    // Client id and topic in full (neither holds a NUL), the payload by its hash: two different payloads of one
    // client on one topic within the lifetime would have to collide in 64 bits.
    std::string key;
    key.reserve(clientId.size() + topic.size() + 2 + 20);
    key.append(clientId).append(1, '\0').append(topic).append(1, '\0');
    key += std::to_string(std::hash<std::string_view>{}(payload));
    return key;
}

void RefusedPublishes::dropExpired(Clock::time_point now)
{
    std::erase_if(m_entries, [now](const auto &e) { return e.second.expires <= now; });
}

std::string RefusedPublishes::idOf(std::string_view clientId, std::string_view topic, std::string_view payload)
{
    std::lock_guard lock(m_mutex);
    if (m_entries.empty()) return {};
    const auto it = m_entries.find(keyOf(clientId, topic, payload));
    if (it == m_entries.end() || it->second.expires <= m_now()) return {};
    return it->second.id;
}

void RefusedPublishes::refused(std::string_view clientId, std::string_view topic, std::string_view payload,
                               std::string id)
{
    std::lock_guard lock(m_mutex);
    const auto now = m_now();
    dropExpired(now);
    while (m_entries.size() >= m_capacity) {
        const auto oldest = std::min_element(m_entries.begin(), m_entries.end(), [](const auto &a, const auto &b) {
            return a.second.expires < b.second.expires;
        });
        m_entries.erase(oldest);
    }
    m_entries[keyOf(clientId, topic, payload)] = {std::move(id), now + m_lifetime};
}

void RefusedPublishes::stored(std::string_view clientId, std::string_view topic, std::string_view payload)
{
    std::lock_guard lock(m_mutex);
    if (!m_entries.empty()) m_entries.erase(keyOf(clientId, topic, payload));
}

std::size_t RefusedPublishes::size() const
{
    std::lock_guard lock(m_mutex);
    return m_entries.size();
}

} // namespace mf::mqtt
