#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

#include <optional>

// A message an adapter refused, as it travels on the bus (bus/subjects.h refusalsSubject) to the status service
// (services/status), which keeps the
// newest ones per channel and thing for their owner. Header-only and Qt Core only: the Mosquitto plugin sends the
// same JSON. Never carries a key or token: `reason` is the refusal's message (they name no secrets), `client` an
// address or MQTT client id.
namespace mf {

inline constexpr int refusalPayloadHeadBytes = 64; // what of the payload is kept: enough to recognize it

struct Refusal
{
    qint64 at = 0; // ms since the epoch
    QString channel; // empty for a refused MQTT login (no channel named yet)
    QString thing;   // empty when the publisher is not known (a wrong key); a login's claimed thing id (MQTT username)
    QString protocol;
    QString client;
    QString reason;
    QByteArray payloadHead;
    qint64 payloadSize = 0;
};

inline QByteArray encodeRefusal(const Refusal &r)
{
    const QJsonObject o{{QLatin1StringView("at"), r.at},
                        {QLatin1StringView("channel"), r.channel},
                        {QLatin1StringView("thing"), r.thing},
                        {QLatin1StringView("protocol"), r.protocol},
                        {QLatin1StringView("client"), r.client},
                        {QLatin1StringView("reason"), r.reason},
                        {QLatin1StringView("payload_head"),
                         QString::fromLatin1(r.payloadHead.left(refusalPayloadHeadBytes).toBase64())},
                        {QLatin1StringView("payload_size"), r.payloadSize}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// nullopt for anything that is not a refusal with a reason. Channel and thing may both be empty (an MQTT login with
// an unknown key): such a refusal is only logged and counted, there is nobody to show it to.
inline std::optional<Refusal> decodeRefusal(const QByteArray &json)
{
    const QJsonObject o = QJsonDocument::fromJson(json).object();
    Refusal r;
    r.at = o.value(QLatin1StringView("at")).toInteger();
    r.channel = o.value(QLatin1StringView("channel")).toString();
    r.thing = o.value(QLatin1StringView("thing")).toString();
    r.protocol = o.value(QLatin1StringView("protocol")).toString();
    r.client = o.value(QLatin1StringView("client")).toString();
    r.reason = o.value(QLatin1StringView("reason")).toString();
    r.payloadHead = QByteArray::fromBase64(o.value(QLatin1StringView("payload_head")).toString().toLatin1())
                        .left(refusalPayloadHeadBytes);
    r.payloadSize = o.value(QLatin1StringView("payload_size")).toInteger();
    if (r.reason.isEmpty() || r.at <= 0) return std::nullopt;
    return r;
}

} // namespace mf
