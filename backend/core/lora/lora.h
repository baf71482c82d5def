#pragma once

#include "core/error.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>
#include <optional>

// LoRa network-server formats. Pure functions, safe on any thread. EUIs are 16 lower-case hex digits everywhere
// inside the platform, whatever form (hex of any case, base64) they arrived in.
namespace mf::lora {

// Which network server speaks on the broker; it decides the downlink topic and body (uplinks of every
// generation are recognised by their shape, whatever this says).
enum class Generation {
    ChirpStackV4, // "v4": application/<app>/device/<eui>/command/down {"devEui","confirmed","fPort","data"}
    ChirpStackV3, // "v3": application/<app>/device/<eui>/command/down {"confirmed","fPort","data"}
    LoraServer,   // "loraserver": application/<app>/device/<eui>/tx {"reference","confirmed","fPort","data"}
};
Result<Generation> generationFromString(const QString &name);

inline constexpr qsizetype MaxUplinkJsonBytes = 64 * 1024; // a real uplink event is ~1-2 KiB
inline constexpr qsizetype MaxFrameBytes = 255;    // largest LoRaWAN FRMPayload (DR-dependent, ≤ 242 in practice)
inline constexpr qsizetype MaxDownlinkBytes = 242; // largest downlink FRMPayload any region allows
inline constexpr int MinFPort = 1;
inline constexpr int MaxFPort = 223; // 224 is the LoRaWAN test port, 225+ reserved

// "0202020202020202", "02:02:...", "0202-..." (any case) or base64 of the 8 bytes ("AgICAgICAgI=") → lower-case
// hex; nullopt when it is neither.
std::optional<QString> normalizeEui(const QString &text);

// Why an uplink is refused; each is one label of the adapter's metrics.
enum class UplinkError {
    Malformed,   // not JSON, no device EUI or application id
    BadData,     // `data` is not base64
    Oversized,   // the event or its frame is larger than any LoRaWAN uplink
    Mismatch,    // the topic names another device or application than the body
    NotAnUplink, // another event (join, status, ...) on a subscribed topic
};
const char *uplinkErrorLabel(UplinkError error);

struct RadioInfo
{
    std::optional<double> rssi;      // dBm, best gateway
    std::optional<double> snr;       // dB, best gateway
    QString gateway;                 // id of the best gateway (hex)
    int gateways = 0;                // how many gateways heard the frame
    std::optional<double> frequency; // Hz
    std::optional<double> dataRate;  // LoRaWAN DR
    std::optional<double> spreadingFactor;
};

struct Uplink
{
    QString devEui;        // normalized hex
    QString applicationId; // as the network server names it (numeric in v3, UUID in v4)
    QString deviceName;
    std::optional<qint64> fCnt;
    std::optional<int> fPort;
    QByteArray data;                  // FRMPayload bytes
    std::optional<QJsonValue> object; // codec output: `object` (legacy, v4) or parsed `objectJSON` (v3 "json")
    RadioInfo radio;
};

struct UplinkFailure
{
    UplinkError error;
    QString message;
    QString id; // the device EUI (or topic) it concerns, for log-once bookkeeping
};

// Parses an uplink event published on `topic` (…/event/up or …/rx). Every generation is recognised by shape:
// v4 nests deviceInfo.{devEui,applicationId}; v3 and LoRa Server use devEUI (hex, or base64 from v3's "json"
// marshaler) and applicationID. When the topic is application/<app>/device/<eui>/…, it must agree with the body.
std::expected<Uplink, UplinkFailure> parseUplink(const QString &topic, const QByteArray &json);

// What goes onto the channel for an uplink: the codec's `object` as JSON (a valid SenML array as SenML),
// otherwise the frame bytes — as SenML when they are a valid SenML JSON pack, else application/octet-stream.
struct ChannelPayload
{
    QString contentType;
    QByteArray payload;
};
ChannelPayload channelPayload(const Uplink &uplink, double nowSeconds);

// The radio metadata as a SenML pack (published beside the payload on subtopic lora/rx): names
// "<dev_eui>:rssi" (dBm), ":snr" (dB), ":f_cnt", ":f_port", ":frequency" (Hz), ":dr", ":sf", ":gateways",
// ":gateway" (vs), all at `timeSeconds`.
QByteArray radioPack(const Uplink &uplink, double timeSeconds);

// A downlink request as published by a thing on a channel's subtopic lora/down.
struct Downlink
{
    QString devEui; // normalized hex
    int fPort = 1;
    QByteArray data;
    bool confirmed = false;
};
// {"dev_eui": "<hex>", "f_port": 1..223, "data": "<base64>", "confirmed": false}; Malformed with a reason fit
// for an HTTP 400 body otherwise.
Result<Downlink> parseDownlink(const QByteArray &json);

struct DownlinkCommand
{
    QString topic;
    QByteArray payload;
};
DownlinkCommand downlinkCommand(Generation generation, const QString &applicationId, const Downlink &downlink);

// The subtopic (bus form) on which things ask for downlinks, and the one carrying radio metadata of uplinks.
inline constexpr char DownlinkSubtopic[] = "lora.down";
inline constexpr char RadioSubtopic[] = "lora.rx";

// LoRa identity in metadata: {"lora":{"dev_eui":"…"}} or Mainflux 0.7's {"type":"lora","devEUI":"…"} for things;
// {"lora":{"app_id":"…"}} or {"type":"lora","appID":"…"} for channels. nullopt when the metadata has none.
std::optional<QString> deviceEuiOf(const QJsonObject &metadata);
std::optional<QString> applicationIdOf(const QJsonObject &metadata);

} // namespace mf::lora
