#pragma once

// The "kind" of a ThingsEvent on the bus (events.things, thingsEventToJson), in plain C++: the things service writes
// these names (eventKindName) and the Mosquitto plugin, which links no Qt Network or services, reads them.
namespace mf::things::eventnames {

inline constexpr char thingCreated[] = "thing.create";
inline constexpr char thingUpdated[] = "thing.update";
inline constexpr char thingRemoved[] = "thing.remove";
inline constexpr char thingKeyChanged[] = "thing.key";
inline constexpr char channelCreated[] = "channel.create";
inline constexpr char channelUpdated[] = "channel.update";
inline constexpr char channelRemoved[] = "channel.remove";
inline constexpr char connected[] = "thing.connect";
inline constexpr char disconnected[] = "thing.disconnect";
inline constexpr char ownerRemoved[] = "user.remove";

} // namespace mf::things::eventnames
