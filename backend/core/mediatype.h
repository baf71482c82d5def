#pragma once

#include "error.h"

#include <QJsonObject>
#include <QString>

namespace mf {

// Whether `text` is a media type as RFC 6838 §4.2 and RFC 9110 §8.3.1 write it: type "/" subtype, each a
// restricted name (a letter or digit, then letters, digits and !#$&-^_.+, at most 127), then optional
// `; name=value` parameters (value a token or a quoted string). Malformed with the reason otherwise.
// Hand-written: Qt 6.4 has no media type parser (QMimeDatabase knows only registered names, and a device's own
// type such as "application/vnd.acme+json" must be accepted).
Result<void> checkMediaType(QStringView text);

// The channel metadata key that names the content type of messages that name none (raw JSON devices over MQTT
// 3.1.1, CoAP without Content-Format, ...).
inline constexpr QLatin1StringView ContentTypeKey{"content_type"};

// The content type a channel's metadata names for messages that name none; empty when it names none.
QString channelContentType(const QJsonObject &metadata);
// Malformed unless the metadata's content_type, when present, is a string holding a media type.
Result<void> checkChannelContentType(const QJsonObject &metadata);

} // namespace mf
