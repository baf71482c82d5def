#pragma once

// Every NATS subject that more than one process speaks, in one place: the Qt services and adapters (through
// subjects.h) and the Mosquitto plugin, whose rules library links no Qt, include this plain-C++ header. A subject
// renamed here is renamed on both sides of the bus.

namespace mf::bus {

// Raw messages (Envelope), adapters -> normalizer/writer/fan-out: channel.<chanID>[.<subtopic tokens>].
inline constexpr char channelPrefix[] = "channel";
inline constexpr char allChannelsSubject[] = "channel.>";
// Normalized SenML records, normalizer -> writer/live views: senml.<chanID>[.<subtopic tokens>].
inline constexpr char senmlPrefix[] = "senml";
inline constexpr char allSenmlSubject[] = "senml.>";

// The things service (request/reply, JSON bodies; the shapes are described in services/things/thingsrpc.h).
inline constexpr char thingsIdentifySubject[] = "things.identify";
inline constexpr char thingsAccessSubject[] = "things.access";
inline constexpr char thingsAccessByIdSubject[] = "things.access_by_id";
inline constexpr char thingsChannelIdsSubject[] = "things.channel_ids";
inline constexpr char thingsContentTypeSubject[] = "things.content_type";
inline constexpr char thingsKeySubject[] = "things.key";
// Things and channels lifecycle events (ThingsEvent as JSON).
inline constexpr char eventsThingsSubject[] = "events.things";

// What adapters refused and why (core/refusal.h), -> status service.
inline constexpr char refusalsSubject[] = "refusals";
// Session presence ({"event": "connected"|"disconnected", ...}), adapters and the plugin -> status service.
inline constexpr char statusSessionsSubject[] = "status.sessions";
// The status service asks every adapter to announce its open sessions again (sent when it starts).
inline constexpr char statusResyncSubject[] = "status.resync";
// Heartbeats: status.alive.<instance> from a backend's adapters, mqtt.stats.<instance> (with the plugin's
// counters) from a Mosquitto plugin. The prefixes end with the dot; the instance is one subject token.
inline constexpr char statusAlivePrefix[] = "status.alive.";
inline constexpr char allStatusAliveSubject[] = "status.alive.*";
inline constexpr char mqttStatsPrefix[] = "mqtt.stats.";
inline constexpr char allMqttStatsSubject[] = "mqtt.stats.*";

} // namespace mf::bus
