// LoRa network-server events as the LoRa adapter receives them from the network server's broker (any generation),
// and downlink requests as things publish them. Input: the MQTT topic, a newline, then the JSON body.
// Promise: a refused event has a reason; what an accepted uplink puts on the channel as SenML, and its radio
// metadata pack, are SenML the normalizer accepts; a downlink request is refused with a reason or yields commands.

#include "core/lora/lora.h"
#include "core/senml/senml.h"
#include "fuzzcheck.h"

#include <QJsonDocument>
#include <QJsonObject>

using mf::fuzz::check;
using namespace Qt::StringLiterals;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    constexpr double now = 1.7e9;
    const QByteArray input = mf::fuzz::bytes(data, size);
    const qsizetype newline = input.indexOf('\n');
    const QString topic = QString::fromUtf8(newline < 0 ? QByteArray() : input.left(newline));
    const QByteArray json = newline < 0 ? input : input.mid(newline + 1);

    const auto uplink = mf::lora::parseUplink(topic, json);
    if (!uplink) {
        check(!uplink.error().message.isEmpty(), "a refused uplink says why");
        check(mf::lora::uplinkErrorLabel(uplink.error().error) != nullptr, "every refusal has a metric label");
    } else {
        check(uplink->devEui.size() == 16, "the device EUI is normalized to 16 hex digits");
        check(uplink->data.size() <= mf::lora::MaxFrameBytes, "no frame larger than LoRaWAN allows");
        const auto payload = mf::lora::channelPayload(*uplink, now);
        if (payload.contentType == "application/senml+json"_L1)
            check(mf::senml::normalize(payload.payload, mf::senml::Format::Json, now).has_value(),
                  "a payload labelled SenML is valid SenML");
        check(mf::senml::normalize(mf::lora::radioPack(*uplink, now), mf::senml::Format::Json, now).has_value(),
              "the radio metadata pack is valid SenML");
    }

    const auto downlink = mf::lora::parseDownlink(json);
    if (!downlink) {
        check(!downlink.error().message.isEmpty(), "a refused downlink says why");
    } else {
        check(downlink->data.size() <= mf::lora::MaxDownlinkBytes, "no downlink larger than LoRaWAN allows");
        for (auto generation :
             {mf::lora::Generation::ChirpStackV4, mf::lora::Generation::ChirpStackV3, mf::lora::Generation::LoraServer})
            check(!mf::lora::downlinkCommand(generation, u"app"_s, *downlink).topic.isEmpty(),
                  "every generation gets a downlink topic");
    }

    if (const QJsonDocument doc = QJsonDocument::fromJson(json); doc.isObject()) {
        if (const auto eui = mf::lora::deviceEuiOf(doc.object()))
            check(eui->size() == 16, "a device EUI in metadata is normalized");
        (void)mf::lora::applicationIdOf(doc.object());
    }
    return 0;
}
