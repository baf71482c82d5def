// SenML CBOR packs (RFC 8428) as the HTTP, WebSocket, MQTT and CoAP adapters receive them from devices.
// Promise: either every record resolved (named, in chronological order) or a Malformed error with a reason.

#include "core/senml/senml.h"
#include "fuzzcheck.h"

using mf::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    constexpr double now = 1.7e9;
    const auto records = mf::senml::normalize(mf::fuzz::bytes(data, size), mf::senml::Format::Cbor, now);
    if (!records) {
        check(records.error().code == mf::ErrorCode::Malformed, "a refused pack is Malformed");
        check(!records.error().message.isEmpty(), "a refused pack says why");
        return 0;
    }
    for (qsizetype i = 0; i < records->size(); ++i) {
        const mf::senml::Record &record = records->at(i);
        check(!record.name.isEmpty(), "every record has a name");
        check(i == 0 || records->at(i - 1).time <= record.time, "records are in chronological order");
        check(!mf::senml::toJson(record).isEmpty(), "every record has a JSON form");
    }
    return 0;
}
