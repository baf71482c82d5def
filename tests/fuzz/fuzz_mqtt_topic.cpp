// MQTT topics and SUBSCRIBE filters as the Mosquitto plugin checks them on the broker thread (plain C++, no Qt).
// Promise: an accepted topic maps to exactly one NATS subject and back to the same topic; a concrete accepted topic
// is also an accepted filter for the same channel; nothing accepted is longer than the bus allows.

#include "fuzzcheck.h"
#include "topics.h"

#include <string_view>

using mf::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string_view input(reinterpret_cast<const char *>(data), size);
    const bool tooLong = mf::mqtt::exceedsLengthBound(input);
    const auto filterChannel = mf::mqtt::parseSubscription(input);
    check(!(tooLong && filterChannel), "a filter over the length bound is refused");
    const auto topic = mf::mqtt::parseTopic(input);
    if (!topic) return 0;
    check(!tooLong, "a topic over the length bound is refused");
    check(!topic->channel.empty(), "an accepted topic names a channel");
    check(filterChannel && *filterChannel == topic->channel, "a concrete topic is a filter for its channel");
    const std::string subject = mf::mqtt::subjectFor(*topic);
    check(subject.find_first_of("*> \t\r\n") == std::string::npos, "the NATS subject has no wildcard or space");
    check(subject.find("..") == std::string::npos && subject.back() != '.', "the NATS subject has no empty token");
    check(mf::mqtt::topicFor(topic->channel, topic->subtopic) == input, "topicFor(parseTopic(t)) == t");
    return 0;
}
