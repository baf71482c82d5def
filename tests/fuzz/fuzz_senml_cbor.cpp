// SenML CBOR packs (RFC 8428) as the HTTP, WebSocket, MQTT and CoAP adapters receive them from devices.
#include "senmlpromise.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mf::fuzz::checkSenml(data, size, mf::senml::Format::Cbor);
    return 0;
}
