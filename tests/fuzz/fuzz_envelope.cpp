// The bus envelope (protobuf RawMessage) as the normalizer, the writer and every adapter's fan-out decode it from
// NATS, where any process (or a Mainflux 0.7 publisher) may have put it.
// Promise: Malformed with a reason, or an envelope that encodes and decodes back to itself.

#include "bus/envelope.h"
#include "fuzzcheck.h"

using mf::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const auto envelope = mf::bus::Envelope::decode(mf::fuzz::bytes(data, size));
    if (!envelope) {
        check(envelope.error().code == mf::ErrorCode::Malformed, "a refused envelope is Malformed");
        check(!envelope.error().message.isEmpty(), "a refused envelope says why");
        return 0;
    }
    const auto again = mf::bus::Envelope::decode(envelope->encode());
    check(again.has_value(), "an encoded envelope decodes");
    check(*again == *envelope, "decode(encode(e)) == e");
    return 0;
}
