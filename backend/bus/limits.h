#pragma once

// Bounds of the bus that every edge enforces before a message reaches NATS. Plain C++ (no Qt): the mosquitto
// plugin includes it too, so that HTTP, WebSocket, CoAP and MQTT refuse the same subtopics.
namespace mf::bus {

// Longest subtopic (NATS tokens joined with '.', UTF-8 bytes) an adapter accepts. nats-server closes a client
// connection whose control line (PUB <subject> <reply> <size>) exceeds 4,096 bytes (max_control_line); with the
// "channel." prefix, a 36-character channel id and a reply inbox, 1,024 bytes keeps every subject far below that.
inline constexpr int maxSubtopicBytes = 1024;

} // namespace mf::bus
