#pragma once

#include "core/error.h"
#include "subjectnames.h"

#include <QByteArray>
#include <QString>
#include <QStringView>

namespace mf::bus {

// NATS subject layout of the bus (DESIGN.md §3-§4): the names are in subjectnames.h (shared with the Mosquitto
// plugin, which links no Qt); the functions below build the per-channel subjects.

// Subscribe allows a token that is exactly "*" (one token) or ">" (the rest, last token only), the
// Mainflux 0.8+ rule; Publish allows no wildcard at all, since a publish subject must be concrete.
enum class SubtopicUse { Publish, Subscribe };

// Turns a subtopic as it arrives at the edge (HTTP path tail, MQTT topic tail, CoAP path) into NATS
// tokens: percent-decodes it (a malformed escape or non-UTF-8 result is rejected), maps '/' to '.',
// drops empty tokens, and rejects a subtopic longer than maxSubtopicBytes (limits.h), '/'-separated parts that
// are only dots ("." or ".."), tokens with whitespace or control characters and tokens that contain
// '*' or '>' (see SubtopicUse). Returns "" for an empty or all-separator subtopic. The error is Malformed
// and its message says which token is wrong and why, fit for an HTTP 400 body.
Result<QString> normalizeSubtopic(QStringView raw, SubtopicUse use = SubtopicUse::Publish);

// channel.<id>[.<subtopic>]; subtopic must already be normalized.
QByteArray channelSubject(QStringView channelId, QStringView subtopic = {});
// senml.<id>[.<subtopic>]; subtopic must already be normalized.
QByteArray senmlSubject(QStringView channelId, QStringView subtopic = {});

} // namespace mf::bus
