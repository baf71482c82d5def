#include "statefiles.h"

#include "topics.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

namespace mf::mqtt {

namespace {

std::string failure(const std::string &what, const std::string &path)
{
    return what + " " + path + ": " + std::strerror(errno);
}

bool isChannelId(const std::string &line)
{
    return !line.empty() && parseSubscription("channels/" + line + "/messages") == line;
}

bool keepable(const std::string &s)
{
    return !s.empty() && s.find_first_of(std::string("\t\n\r\0", 4)) == std::string::npos;
}

constexpr char separator = '\t';

// A client id as plugin-sessions keeps it: '%' and the bytes that would end the id or the line (tab, CR, LF, NUL) as
// %XX, so that any client id MQTT allows can be kept.
std::string escapeClientId(const std::string &id)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(id.size());
    for (const char c : id) {
        if (c == '%' || c == '\t' || c == '\n' || c == '\r' || c == '\0') {
            const auto byte = static_cast<unsigned char>(c);
            out += '%';
            out += hex[byte >> 4];
            out += hex[byte & 0xf];
        } else {
            out += c;
        }
    }
    return out;
}

int hexDigit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::optional<std::string> unescapeClientId(const std::string &kept)
{
    std::string out;
    out.reserve(kept.size());
    for (std::size_t i = 0; i < kept.size(); ++i) {
        if (kept[i] != '%') {
            out += kept[i];
            continue;
        }
        const int high = i + 2 < kept.size() ? hexDigit(kept[i + 1]) : -1;
        const int low = high >= 0 ? hexDigit(kept[i + 2]) : -1;
        if (low < 0) return std::nullopt; // cut short or edited by hand
        out += static_cast<char>(high * 16 + low);
        i += 2;
    }
    return out;
}

bool isSessionLine(const std::string &line)
{
    const auto tab = line.find(separator);
    if (tab == std::string::npos || tab == 0 || !keepable(line.substr(tab + 1))) return false;
    const auto client = unescapeClientId(line.substr(0, tab));
    return client && !client->empty();
}

} // namespace

// ------------------------------------------------------------------------------------------------ LineFile

std::vector<std::string> LineFile::read() const
{
    std::vector<std::string> out;
    std::ifstream in(m_path);
    for (std::string line; std::getline(in, line);)
        if (m_valid(line) && std::find(out.begin(), out.end(), line) == out.end()) out.push_back(line);
    return out;
}

std::vector<std::string> LineFile::load() const
{
    if (m_path.empty()) return {};
    std::lock_guard lock(m_mutex);
    return read();
}

std::string LineFile::add(const std::string &line)
{
    if (m_path.empty()) return {};
    std::lock_guard lock(m_mutex);
    std::FILE *f = std::fopen(m_path.c_str(), "a");
    if (!f) return failure("cannot append to", m_path);
    const bool ok = std::fprintf(f, "%s\n", line.c_str()) > 0;
    return std::fclose(f) == 0 && ok ? std::string() : failure("cannot write", m_path);
}

std::string LineFile::removeIf(const std::function<bool(const std::string &)> &drop)
{
    if (m_path.empty()) return {};
    std::lock_guard lock(m_mutex);
    std::vector<std::string> kept = read();
    std::erase_if(kept, drop);
    const std::string temporary = m_path + ".new";
    std::FILE *f = std::fopen(temporary.c_str(), "w");
    if (!f) return failure("cannot create", temporary);
    bool ok = true;
    for (const std::string &line : kept)
        ok = ok && std::fprintf(f, "%s\n", line.c_str()) > 0;
    if (std::fclose(f) != 0 || !ok) return failure("cannot write", temporary);
    if (std::rename(temporary.c_str(), m_path.c_str()) != 0) return failure("cannot replace", m_path);
    return {};
}

// ------------------------------------------------------------------------------------------------ ChannelStateFile

ChannelStateFile::ChannelStateFile(std::string path) : m_file(std::move(path), isChannelId) {}

std::string ChannelStateFile::remove(const std::string &channel)
{
    return m_file.removeIf([&](const std::string &line) { return line == channel; });
}

// ------------------------------------------------------------------------------------------------ SessionOwners

SessionOwners::SessionOwners(std::string path) : m_file(std::move(path), isSessionLine) {}

void SessionOwners::load()
{
    std::unordered_map<std::string, std::string> owners;
    for (const std::string &line : m_file.load()) {
        const auto tab = line.find(separator);
        // isSessionLine checked that the client id unescapes; a later line for the same client wins.
        owners[unescapeClientId(line.substr(0, tab)).value_or(std::string())] = line.substr(tab + 1);
    }
    std::lock_guard lock(m_mutex);
    m_owners = std::move(owners);
}

std::optional<std::string> SessionOwners::thingOf(const std::string &clientId) const
{
    std::lock_guard lock(m_mutex);
    const auto it = m_owners.find(clientId);
    return it == m_owners.end() ? std::nullopt : std::optional<std::string>(it->second);
}

std::string SessionOwners::set(const std::string &clientId, const std::string &thingId)
{
    {
        std::lock_guard lock(m_mutex);
        std::string &owner = m_owners[clientId];
        if (owner == thingId) return {};
        owner = thingId;
    }
    if (clientId.empty() || !keepable(thingId)) return {}; // in memory only (thing ids are UUIDs: never)
    // Drop the client's old line first so the file holds one line per client.
    if (std::string error = forgetClientLine(clientId); !error.empty()) return error;
    return m_file.add(escapeClientId(clientId) + separator + thingId);
}

std::string SessionOwners::forgetClientLine(const std::string &clientId)
{
    const std::string prefix = escapeClientId(clientId) + separator;
    return m_file.removeIf([&](const std::string &line) { return line.starts_with(prefix); });
}

std::string SessionOwners::forgetClient(const std::string &clientId)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_owners.erase(clientId) == 0) return {};
    }
    return forgetClientLine(clientId);
}

std::string SessionOwners::forgetThing(const std::string &thingId)
{
    {
        std::lock_guard lock(m_mutex);
        const auto before = m_owners.size();
        std::erase_if(m_owners, [&](const auto &o) { return o.second == thingId; });
        if (m_owners.size() == before) return {};
    }
    const std::string suffix = separator + thingId;
    return m_file.removeIf([&](const std::string &line) { return line.ends_with(suffix); });
}

std::size_t SessionOwners::size() const
{
    std::lock_guard lock(m_mutex);
    return m_owners.size();
}

} // namespace mf::mqtt
