#include "topics.h"

#include "bus/limits.h"
#include "bus/subjectnames.h"

#include <vector>

namespace mf::mqtt {

namespace {

constexpr std::string_view prefix = "channels/";
constexpr std::string_view messages = "/messages";

bool badChar(unsigned char c)
{
    return c <= 0x20 || c == 0x7f || c == '.' || c == '*' || c == '>';
}

bool validId(std::string_view id)
{
    if (id.empty()) return false;
    for (unsigned char c : id)
        if (badChar(c) || c == '+' || c == '#' || c == '/') return false;
    return true;
}

// Splits "<id>/messages[/rest]" after "channels/". Returns false when the shape is wrong.
bool split(std::string_view topic, std::string_view &channel, std::string_view &rest, bool &hasRest)
{
    if (!topic.starts_with(prefix)) return false;
    topic.remove_prefix(prefix.size());
    const size_t slash = topic.find('/');
    if (slash == std::string_view::npos) return false;
    channel = topic.substr(0, slash);
    topic.remove_prefix(slash);
    if (!topic.starts_with(messages)) return false;
    topic.remove_prefix(messages.size());
    if (topic.empty()) {
        hasRest = false;
        return true;
    }
    if (topic.front() != '/') return false;
    rest = topic.substr(1);
    hasRest = true;
    return true;
}

bool tooLong(std::string_view channel, std::string_view rest)
{
    return channel.size() > size_t(bus::maxSubtopicBytes) || rest.size() > size_t(bus::maxSubtopicBytes);
}

std::vector<std::string_view> tokens(std::string_view s)
{
    std::vector<std::string_view> out;
    size_t start = 0;
    while (true) {
        const size_t slash = s.find('/', start);
        out.push_back(s.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    return out;
}

} // namespace

std::optional<ChannelTopic> parseTopic(std::string_view topic)
{
    std::string_view channel, rest;
    bool hasRest = false;
    if (!split(topic, channel, rest, hasRest) || tooLong(channel, rest) || !validId(channel)) return std::nullopt;
    ChannelTopic out{std::string(channel), {}};
    if (!hasRest) return out;
    for (std::string_view token : tokens(rest)) {
        if (token.empty()) return std::nullopt;
        for (unsigned char c : token)
            if (badChar(c) || c == '+' || c == '#') return std::nullopt;
        if (!out.subtopic.empty()) out.subtopic += '.';
        out.subtopic += token;
    }
    return out;
}

std::optional<std::string> parseSubscription(std::string_view filter)
{
    std::string_view channel, rest;
    bool hasRest = false;
    if (!split(filter, channel, rest, hasRest) || tooLong(channel, rest) || !validId(channel)) return std::nullopt;
    if (!hasRest) return std::string(channel);
    const auto parts = tokens(rest);
    for (size_t i = 0; i < parts.size(); ++i) {
        const std::string_view token = parts[i];
        if (token == "+") continue;
        if (token == "#") {
            if (i + 1 != parts.size()) return std::nullopt;
            continue;
        }
        if (token.empty()) return std::nullopt;
        for (unsigned char c : token)
            if (badChar(c) || c == '+' || c == '#') return std::nullopt;
    }
    return std::string(channel);
}

bool exceedsLengthBound(std::string_view topicOrFilter)
{
    std::string_view channel, rest;
    bool hasRest = false;
    return split(topicOrFilter, channel, rest, hasRest) && tooLong(channel, rest);
}

std::string subjectFor(const ChannelTopic &topic)
{
    std::string s = bus::channelPrefix;
    s += '.';
    s += topic.channel;
    if (!topic.subtopic.empty()) {
        s += '.';
        s += topic.subtopic;
    }
    return s;
}

std::string topicFor(std::string_view channel, std::string_view subtopic)
{
    std::string t(prefix);
    t += channel;
    t += messages;
    if (!subtopic.empty()) {
        t += '/';
        for (char c : subtopic)
            t += c == '.' ? '/' : c;
    }
    return t;
}

} // namespace mf::mqtt
