#pragma once

#include "core/error.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringView>
#include <optional>

// SenML (RFC 8428) decoding and resolution. Pure functions, safe to call from any thread.
namespace mf::senml {

enum class Format { Json, Cbor };

// "application/senml+json" -> Json, "application/senml+cbor" -> Cbor (case-insensitive, parameters after ';'
// ignored); anything else -> nullopt, meaning "not SenML, pass the payload through untouched".
std::optional<Format> formatForContentType(QStringView contentType);

// One resolved record (RFC 8428 §4.6): no base fields, no relative time.
struct Record
{
    QString name;                       // bn + n, non-empty, validated (§4.5.1)
    QString unit;                       // u, else bu; may be empty
    std::optional<double> value;        // bv + v
    std::optional<QString> stringValue; // vs
    std::optional<bool> boolValue;      // vb
    std::optional<QString> dataValue;   // vd as base64url text without padding (CBOR bytes are encoded so)
    std::optional<double> sum;          // bs + s; present when either is
    double time = 0;                    // seconds since the epoch: bt + t, plus `now` when below 2^28
    double updateTime = 0;              // ut, 0 when absent
    int version = 10;                   // bver of the pack (defaults to 10)

    friend bool operator==(const Record &, const Record &) = default;
};

// Decodes and resolves a whole pack against `nowSeconds` (the receive time, used for relative times).
// Either every record is returned, in chronological order (stable for equal times, so the input order is kept
// where the pack already is chronological), or an Error with ErrorCode::Malformed naming the first problem and,
// where there is one, the zero-based record index: "record 2: name contains '!'".
mf::Result<QList<Record>> normalize(const QByteArray &payload, Format format, double nowSeconds);

// The record as the reader API and the WebSocket stream show it:
// {"name", "unit"?, "value"|"string_value"|"bool_value"|"data_value"?, "sum"?, "time", "update_time"?}.
// `unit` is left out when empty and `update_time` when 0 (both mean "not given" in SenML).
QJsonObject toJson(const Record &record);

} // namespace mf::senml
