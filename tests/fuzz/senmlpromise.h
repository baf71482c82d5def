#pragma once

// The promise of SenML decoding in either format (the senml_json and senml_cbor targets): either every record
// resolved (named, in chronological order, with a JSON form) or a Malformed error with a reason.

#include "core/senml/senml.h"
#include "fuzzcheck.h"

namespace mf::fuzz {

inline void checkSenml(const uint8_t *data, size_t size, senml::Format format)
{
    constexpr double now = 1.7e9;
    const auto records = senml::normalize(bytes(data, size), format, now);
    if (!records) {
        check(records.error().code == ErrorCode::Malformed, "a refused pack is Malformed");
        check(!records.error().message.isEmpty(), "a refused pack says why");
        return;
    }
    for (qsizetype i = 0; i < records->size(); ++i) {
        const senml::Record &record = records->at(i);
        check(!record.name.isEmpty(), "every record has a name");
        check(i == 0 || records->at(i - 1).time <= record.time, "records are in chronological order");
        check(!senml::toJson(record).isEmpty(), "every record has a JSON form");
    }
}

} // namespace mf::fuzz
