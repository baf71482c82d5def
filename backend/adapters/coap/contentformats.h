#pragma once

#include <QString>
#include <QStringView>
#include <optional>

namespace mf::adapters::coap {

// CoAP Content-Format numbers (IANA "CoAP Content-Formats") ↔ the media types the rest of the platform uses.
// A request without the option becomes an empty content type (stored raw, like HTTP without Content-Type);
// a number not in the table becomes application/octet-stream.
QString contentTypeFor(std::optional<unsigned> contentFormat);
// The number for a media type (parameters after ';' ignored, case-insensitive); nullopt when it has none,
// and then a notification carries no Content-Format option.
std::optional<unsigned> contentFormatFor(QStringView contentType);

} // namespace mf::adapters::coap
