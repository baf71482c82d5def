#pragma once

#include <optional>
#include <string>
#include <string_view>

// Topic rules of the MQTT adapter. Plain C++ (no Qt): used inside the mosquitto plugin on the broker thread.
//
//   channels/<channel id>/messages[/<subtopic token>...]   <->   NATS channel.<channel id>[.<token>...]
//
// A subtopic token may not be empty and may not contain '.', '*', '>', whitespace or control characters, so that
// every accepted MQTT topic maps to exactly one NATS subject and back (HTTP maps '/' and '.' both to '.', MQTT
// keeps them apart, so '.' is refused rather than silently merged). The channel id must be concrete: wildcard
// subscriptions across channels are refused, wildcards inside one channel's subtopic tree are allowed.
namespace mf::mqtt {

struct ChannelTopic
{
    std::string channel;
    std::string subtopic; // NATS tokens joined with '.', empty when none
};

// A concrete topic as used by PUBLISH (and by deliveries checked for READ access). nullopt when it is not a
// channel topic or breaks a token rule.
std::optional<ChannelTopic> parseTopic(std::string_view topic);

// A SUBSCRIBE filter: like parseTopic, but subtopic tokens may be exactly "+" or "#" ("#" last), and
// "channels/<id>/messages/#" is allowed. Returns the channel id, nullopt when the filter is refused.
std::optional<std::string> parseSubscription(std::string_view filter);

// channel.<id>[.<subtopic>]
std::string subjectFor(const ChannelTopic &topic);
// channels/<id>/messages[/<subtopic tokens with '/'>]
std::string topicFor(std::string_view channel, std::string_view subtopic);

} // namespace mf::mqtt
