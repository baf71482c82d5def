#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace mf::mqtt {

// QoS 1/2 publishes the plugin refused because the stream did not answer in time, remembered with the
// Nats-Msg-Id they were sent under.
//
// Why: such a message may still be stored (a new stream leader takes over seconds after the old one died), and the
// device, never told it was delivered, sends it again after reconnecting. Sent again under the same id, the stream
// stores it once (JetStream drops a copy with a known id within its duplicate window and acks it as stored), so
// the device's one acknowledged message is stored once. A message is "the same" when the same client id publishes
// the same payload on the same topic; a device that meant a second, identical message after a refusal has still
// been told of one delivery, which is what is stored.
//
// Plain C++, thread-safe. Entries live `lifetime` (the stream's duplicate window; after it the stream would store a
// second copy anyway) and at most `capacity` are kept (the oldest go first).
class RefusedPublishes final
{
public:
    using Clock = std::chrono::steady_clock;
    using Now = std::function<Clock::time_point()>;

    RefusedPublishes(Clock::duration lifetime, std::size_t capacity, Now now = &Clock::now);

    // The id a refused copy of this message was sent under, "" when there is none.
    std::string idOf(std::string_view clientId, std::string_view topic, std::string_view payload);
    void refused(std::string_view clientId, std::string_view topic, std::string_view payload, std::string id);
    void stored(std::string_view clientId, std::string_view topic, std::string_view payload); // forget it
    std::size_t size() const;

private:
    struct Entry
    {
        std::string id;
        Clock::time_point expires;
    };
    static std::string keyOf(std::string_view clientId, std::string_view topic, std::string_view payload);
    void dropExpired(Clock::time_point now); // m_mutex held

    const Clock::duration m_lifetime;
    const std::size_t m_capacity;
    const Now m_now;
    mutable std::mutex m_mutex;
    std::unordered_map<std::string, Entry> m_entries;
};

} // namespace mf::mqtt
