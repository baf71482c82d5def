#pragma once

#include "core/error.h"

#include <QByteArray>
#include <QMetaType>
#include <QString>

namespace mf::bus {

// One raw message as it travels on channel.<id>[.<subtopic>] (adapter -> normalizer/writer/fan-out).
// A plain copyable value: it crosses threads freely. The wire form is the protobuf in message.proto,
// wire-compatible with Mainflux 0.7 RawMessage (fields 1-5) plus additive fields 6-8; the protobuf
// types stay inside envelope.cpp.
struct Envelope
{
    QString channel;      // channel id (0.7 field 1)
    QString publisher;    // thing id (0.7 field 2)
    QString protocol;     // "http", "ws", "mqtt", "coap", "lora" (0.7 field 3)
    QString contentType;  // e.g. "application/senml+json" (0.7 field 4)
    QString subtopic;     // normalized '.'-separated tokens, empty when none (field 6)
    QString origin;       // instance id of the process that published it, to avoid bridge loops (field 8)
    QByteArray payload;   // opaque body (0.7 field 5)
    qint64 createdNs = 0; // unix time in ns when accepted at the edge; 0 = unknown (e.g. from 0.7) (field 7)

    QByteArray encode() const;
    // Malformed when the bytes are not a RawMessage (bad wire format or a string field that is not UTF-8).
    static Result<Envelope> decode(const QByteArray &bytes);

    friend bool operator==(const Envelope &, const Envelope &) = default;
};

} // namespace mf::bus

Q_DECLARE_METATYPE(mf::bus::Envelope)
