#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace mf::mqtt {

// What the plugin knows about thing keys and connections, so BASIC_AUTH and ACL_CHECK answer from memory.
// Plain C++, thread-safe: the broker thread reads and fills it, the cnats events thread invalidates it.
//
// Entries expire (positive answers after `positiveTtl`, negative ones after `negativeTtl`) as a safety net for
// events lost while NATS was reconnecting; the normal path is explicit invalidation from events.things.
// A fill carries the generation read before its NATS request started: if any invalidation happened meanwhile,
// the possibly stale answer is not stored (it is still used for the one decision that asked for it).
class AccessCache final
{
public:
    using Clock = std::chrono::steady_clock;
    using Now = std::function<Clock::time_point()>; // tests pass their own clock

    AccessCache(Clock::duration positiveTtl, Clock::duration negativeTtl, Now now = &Clock::now);

    uint64_t generation() const;

    // Thing id for a key: a value when known good, "" when known bad, nullopt when unknown.
    std::optional<std::string> thingForKey(const std::string &key);
    void putKey(uint64_t generation, const std::string &key, const std::string &thingId); // thingId "" = bad key

    // Whether the thing may use the channel: nullopt when unknown. `contentType`, when given, receives the content
    // type the channel names for messages that name none ("" when none) that came with an allowing answer.
    std::optional<bool> access(const std::string &channel, const std::string &thingId,
                               std::string *contentType = nullptr);
    void putAccess(uint64_t generation, const std::string &channel, const std::string &thingId, bool allowed,
                   const std::string &contentType = {});

    void forgetThing(const std::string &thingId); // its keys and connections
    void forgetChannel(const std::string &channel);
    void forgetAccess(const std::string &channel, const std::string &thingId);
    void forgetBadKeys(); // a new or rotated key may now be valid
    void clear();

    size_t size() const;

private:
    struct KeyEntry
    {
        std::string thingId;
        Clock::time_point expires;
    };
    struct AccessEntry
    {
        bool allowed;
        std::string contentType;
        Clock::time_point expires;
    };
    static std::string pair(const std::string &channel, const std::string &thingId);

    const Clock::duration m_positiveTtl, m_negativeTtl;
    const Now m_now;
    mutable std::mutex m_mutex;
    uint64_t m_generation = 0;
    std::unordered_map<std::string, KeyEntry> m_keys;
    std::unordered_map<std::string, AccessEntry> m_access; // "<channel>\n<thing>"
};

} // namespace mf::mqtt
