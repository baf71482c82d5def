#pragma once

#include <QLatin1StringView>
#include <QStringView>
#include <span>

// The SenML fields of RFC 8428 Table 1 and their JSON/CBOR labels (Tables 2 and 4). Internal to mf_senml.
namespace mf::senml::detail {

enum class Label {
    BaseName,
    BaseTime,
    BaseUnit,
    BaseValue,
    BaseSum,
    BaseVersion,
    Name,
    Unit,
    Value,
    StringValue,
    BoolValue,
    Sum,
    Time,
    UpdateTime,
    DataValue,
};
inline constexpr int LabelCount = int(Label::DataValue) + 1;

// What a field holds, which decides the accepted JSON/CBOR types.
enum class Kind {
    Text,    // JSON string, CBOR text string
    Number,  // JSON number, CBOR integer, float or decimal fraction (tag 4); finite
    Boolean, // JSON true/false, CBOR simple true/false
    Data,    // JSON base64url string, CBOR byte string
    Version, // positive integer
};

struct LabelInfo
{
    Label label;
    QLatin1StringView text; // JSON label, also accepted as a CBOR text key
    int cborKey;            // RFC 8428 Table 4
    Kind kind;
};

const LabelInfo *labelForText(QStringView text);
const LabelInfo *labelForCborKey(qint64 key);
// Every label, for decoders that look each one up.
std::span<const LabelInfo> allLabels();

// RFC 8428 §4.4: an unknown label ending in '_' must be understood, so the pack is rejected.
inline bool isMustUnderstand(QStringView label)
{
    return label.endsWith(u'_');
}

} // namespace mf::senml::detail
