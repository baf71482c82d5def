#include "channelstatefile.h"

#include "topics.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

namespace mf::mqtt {

namespace {

bool isChannelId(const std::string &line)
{
    return !line.empty() && parseSubscription("channels/" + line + "/messages") == line;
}

std::string failure(const std::string &what, const std::string &path)
{
    return what + " " + path + ": " + std::strerror(errno);
}

} // namespace

std::vector<std::string> ChannelStateFile::read() const
{
    std::vector<std::string> out;
    std::ifstream in(m_path);
    for (std::string line; std::getline(in, line);)
        if (isChannelId(line) && std::find(out.begin(), out.end(), line) == out.end()) out.push_back(line);
    return out;
}

std::vector<std::string> ChannelStateFile::load() const
{
    if (m_path.empty()) return {};
    std::lock_guard lock(m_mutex);
    return read();
}

std::string ChannelStateFile::add(const std::string &channel)
{
    if (m_path.empty()) return {};
    std::lock_guard lock(m_mutex);
    std::FILE *f = std::fopen(m_path.c_str(), "a");
    if (!f) return failure("cannot append to", m_path);
    const bool ok = std::fprintf(f, "%s\n", channel.c_str()) > 0;
    return std::fclose(f) == 0 && ok ? std::string() : failure("cannot write", m_path);
}

std::string ChannelStateFile::remove(const std::string &channel)
{
    if (m_path.empty()) return {};
    std::lock_guard lock(m_mutex);
    std::vector<std::string> kept = read();
    std::erase(kept, channel);
    const std::string temporary = m_path + ".new";
    std::FILE *f = std::fopen(temporary.c_str(), "w");
    if (!f) return failure("cannot create", temporary);
    bool ok = true;
    for (const std::string &c : kept)
        ok = ok && std::fprintf(f, "%s\n", c.c_str()) > 0;
    if (std::fclose(f) != 0 || !ok) return failure("cannot write", temporary);
    if (std::rename(temporary.c_str(), m_path.c_str()) != 0) return failure("cannot replace", m_path);
    return {};
}

} // namespace mf::mqtt
