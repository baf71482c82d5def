#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace mf::mqtt {

// What the plugin must know again after a broker restart, kept beside Mosquitto's persistence
// (plugin_opt_state_dir). Mosquitto restores persistent sessions (clean session off) and their subscriptions at a
// restart without asking the plugin; these files let the restarted plugin serve them:
//   plugin-channels  the channels its clients subscribed to (the bus is subscribed to them again), and
//   plugin-sessions  which thing each persistent session belongs to (its messages are queued while it is away).
// Plain C++, any thread.

// A file of distinct lines: appended to when a line is new, rewritten (to a temporary name, then renamed over it)
// when lines go. Lines that `valid` rejects (a write cut short by a kill, an edit by hand) are skipped on load.
class LineFile final
{
public:
    using Valid = std::function<bool(const std::string &)>;
    LineFile(std::string path, Valid valid) : m_path(std::move(path)), m_valid(std::move(valid)) {} // "" = no file

    std::vector<std::string> load() const;
    // Both return "" or why the file could not be written (what the plugin does in memory holds either way).
    std::string add(const std::string &line);
    std::string removeIf(const std::function<bool(const std::string &)> &drop);

private:
    std::vector<std::string> read() const; // m_mutex held
    const std::string m_path;
    const Valid m_valid;
    mutable std::mutex m_mutex;
};

// plugin-channels: one channel id per line.
class ChannelStateFile final
{
public:
    explicit ChannelStateFile(std::string path = {});
    std::vector<std::string> load() const { return m_file.load(); }
    std::string add(const std::string &channel) { return m_file.add(channel); }
    std::string remove(const std::string &channel);

private:
    LineFile m_file;
};

// plugin-sessions: "<client id>\t<thing id>" per persistent session; in the client id '%', tab, CR, LF and NUL are
// written as %XX (%25, %09, %0D, %0A, %00), so every client id is kept.
class SessionOwners final
{
public:
    explicit SessionOwners(std::string path = {});
    void load(); // replaces what is in memory with the file's content

    std::optional<std::string> thingOf(const std::string &clientId) const;
    // Records (or changes) the owner; "" or the file error.
    std::string set(const std::string &clientId, const std::string &thingId);
    std::string forgetClient(const std::string &clientId);
    std::string forgetThing(const std::string &thingId); // a removed thing's sessions
    std::size_t size() const;

private:
    std::string forgetClientLine(const std::string &clientId);
    LineFile m_file;
    mutable std::mutex m_mutex;
    std::unordered_map<std::string, std::string> m_owners; // client id -> thing id, one per persistent session
};

} // namespace mf::mqtt
