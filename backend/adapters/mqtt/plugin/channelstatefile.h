#pragma once

#include <mutex>
#include <string>
#include <vector>

namespace mf::mqtt {

// The channels this broker's clients subscribed to, kept in a file beside Mosquitto's persistence
// (plugin_opt_state_file). Mosquitto restores the subscriptions of persistent sessions (clean session off) at a
// restart without asking the plugin, so a restarted plugin subscribes again to every channel in this file: a
// device that was offline still gets what was published meanwhile on another edge or over another protocol.
//
// One channel id per line. A channel is appended when it is first subscribed and removed (the file rewritten to a
// temporary name, then renamed over it) when the channel is deleted. A line that is not a channel id (a write cut
// short by a kill) is skipped on load. Plain C++, any thread.
class ChannelStateFile final
{
public:
    explicit ChannelStateFile(std::string path = {}) : m_path(std::move(path)) {} // "" = keep nothing

    std::vector<std::string> load() const;
    // Both return "" or why the file could not be written (the subscription itself is made either way).
    std::string add(const std::string &channel);
    std::string remove(const std::string &channel);

private:
    std::vector<std::string> read() const; // m_mutex held
    const std::string m_path;
    mutable std::mutex m_mutex;
};

} // namespace mf::mqtt
