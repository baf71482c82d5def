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
//
// Length: the channel id and the subtopic (everything after "messages/") may each be at most
// mf::bus::maxSubtopicBytes (bus/limits.h, the bound HTTP, WebSocket and CoAP share). nats-server closes a
// connection whose control line exceeds 4 KB, so a longer topic must never reach NATS: it would cut the whole
// broker off the bus.
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

// True when a topic or SUBSCRIBE filter has the channel shape but its channel id or subtopic is longer than the
// bound above (parseTopic and parseSubscription refuse it too). Lets the plugin count it and answer it as what it
// is, a client error, rather than as a missing permission.
bool exceedsLengthBound(std::string_view topicOrFilter);

// channel.<id>[.<subtopic>]
std::string subjectFor(const ChannelTopic &topic);
// channels/<id>/messages[/<subtopic tokens with '/'>]
std::string topicFor(std::string_view channel, std::string_view subtopic);

} // namespace mf::mqtt
