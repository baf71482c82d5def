#include "lora.h"

#include "core/senml/senml.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <cmath>

using namespace Qt::StringLiterals;

namespace mf::lora {

namespace {

std::optional<QByteArray> strictBase64(const QString &text)
{
    auto decoded = QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded) return std::nullopt;
    return *decoded;
}

// A JSON value that may hold a number or a string (application ids are numbers in some payloads).
QString idText(const QJsonValue &value)
{
    if (value.isString()) return value.toString().trimmed();
    if (value.isDouble()) return QString::number(value.toInteger());
    return {};
}

std::optional<double> number(const QJsonValue &value)
{
    if (value.isDouble()) return value.toDouble();
    return std::nullopt;
}

std::unexpected<UplinkFailure> refuse(UplinkError error, const QString &message, const QString &id)
{
    return std::unexpected(UplinkFailure{error, message, id});
}

RadioInfo radioOf(const QJsonObject &o)
{
    RadioInfo radio;
    const QJsonArray rx = o.value("rxInfo"_L1).toArray();
    radio.gateways = int(rx.size());
    for (const QJsonValue &v : rx) {
        const QJsonObject gw = v.toObject();
        const auto rssi = number(gw.value("rssi"_L1));
        if (radio.rssi && (!rssi || *rssi <= *radio.rssi)) continue; // keep the gateway that heard the frame best
        radio.rssi = rssi;
        radio.snr = number(gw.contains("snr"_L1) ? gw.value("snr"_L1) : gw.value("loRaSNR"_L1));
        QString id = gw.value("gatewayId"_L1).toString();
        if (id.isEmpty()) id = gw.value("gatewayID"_L1).toString();
        if (id.isEmpty()) id = gw.value("mac"_L1).toString();
        radio.gateway = normalizeEui(id).value_or(id);
    }
    const QJsonObject tx = o.value("txInfo"_L1).toObject();
    radio.frequency = number(tx.value("frequency"_L1));
    radio.dataRate = number(o.contains("dr"_L1) ? o.value("dr"_L1) : tx.value("dr"_L1));
    // v4: txInfo.modulation.lora.spreadingFactor; v3: txInfo.loRaModulationInfo.spreadingFactor;
    // LoRa Server: txInfo.dataRate.spreadFactor.
    for (const auto &sf : {tx.value("modulation"_L1).toObject().value("lora"_L1).toObject().value("spreadingFactor"_L1),
                           tx.value("loRaModulationInfo"_L1).toObject().value("spreadingFactor"_L1),
                           tx.value("dataRate"_L1).toObject().value("spreadFactor"_L1)})
        if (!radio.spreadingFactor) radio.spreadingFactor = number(sf);
    return radio;
}

bool isSenml(const QByteArray &json, double nowSeconds)
{
    const QByteArray trimmed = json.trimmed();
    return trimmed.startsWith('[') && senml::normalize(trimmed, senml::Format::Json, nowSeconds).has_value();
}

} // namespace

Result<Generation> generationFromString(const QString &name)
{
    const QString n = name.trimmed().toLower();
    if (n == "v4"_L1) return Generation::ChirpStackV4;
    if (n == "v3"_L1) return Generation::ChirpStackV3;
    if (n == "loraserver"_L1) return Generation::LoraServer;
    return fail(ErrorCode::Malformed,
                u"\"%1\" is not a LoRa network server generation (v4, v3 or loraserver)"_s.arg(name));
}

std::optional<QString> normalizeEui(const QString &text)
{
    QString hex;
    for (const QChar c : text.trimmed())
        if (c != u':' && c != u'-') hex.append(c.toLower());
    const auto isHex = [](const QString &s) {
        return std::all_of(s.cbegin(), s.cend(), [](QChar c) { return c.isDigit() || (c >= u'a' && c <= u'f'); });
    };
    if (hex.size() == 16 && isHex(hex)) return hex;
    // base64 of 8 bytes is 12 characters with one '=' (v3 "json" marshaler).
    if (text.trimmed().size() == 12) {
        if (auto bytes = strictBase64(text.trimmed()); bytes && bytes->size() == 8)
            return QString::fromLatin1(bytes->toHex());
    }
    return std::nullopt;
}

const char *uplinkErrorLabel(UplinkError error)
{
    switch (error) {
    case UplinkError::Malformed:
        return "malformed";
    case UplinkError::BadData:
        return "bad data";
    case UplinkError::Oversized:
        return "oversized";
    case UplinkError::Mismatch:
        return "topic mismatch";
    case UplinkError::NotAnUplink:
        return "not an uplink";
    }
    return "malformed";
}

std::expected<Uplink, UplinkFailure> parseUplink(const QString &topic, const QByteArray &json)
{
    if (json.size() > MaxUplinkJsonBytes)
        return refuse(UplinkError::Oversized,
                      u"event of %1 bytes (at most %2)"_s.arg(json.size()).arg(MaxUplinkJsonBytes), topic);
    // application/<app>/device|node/<eui>/<event...>
    const QStringList parts = topic.split(u'/');
    const bool structured =
        parts.size() >= 5 && parts[0] == "application"_L1 && (parts[2] == "device"_L1 || parts[2] == "node"_L1);
    if (structured) {
        const QString event = parts.mid(4).join(u'/');
        if (event != "event/up"_L1 && event != "rx"_L1)
            return refuse(UplinkError::NotAnUplink, u"\"%1\" events are not uplinks"_s.arg(event), topic);
    }

    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return refuse(UplinkError::Malformed,
                      error.error != QJsonParseError::NoError
                          ? u"not JSON: %1 at offset %2"_s.arg(error.errorString()).arg(error.offset)
                          : u"not a JSON object"_s,
                      topic);
    const QJsonObject o = doc.object();

    Uplink up;
    QString eui, app;
    if (o.value("deviceInfo"_L1).isObject()) { // ChirpStack v4
        const QJsonObject info = o.value("deviceInfo"_L1).toObject();
        eui = info.value("devEui"_L1).toString();
        app = idText(info.value("applicationId"_L1));
        up.deviceName = info.value("deviceName"_L1).toString();
    } else { // ChirpStack v3 (json_v3 or json marshaler), LoRa Server
        eui = o.value("devEUI"_L1).toString();
        app = idText(o.value("applicationID"_L1));
        up.deviceName = o.value("deviceName"_L1).toString();
    }
    if (eui.isEmpty()) return refuse(UplinkError::Malformed, u"no device EUI (deviceInfo.devEui or devEUI)"_s, topic);
    const auto normalized = normalizeEui(eui);
    if (!normalized)
        return refuse(UplinkError::Malformed,
                      u"device EUI \"%1\" is neither 16 hex digits nor base64 of 8 bytes"_s.arg(eui), topic);
    up.devEui = *normalized;
    if (app.isEmpty())
        return refuse(UplinkError::Malformed, u"no application id (deviceInfo.applicationId or applicationID)"_s,
                      up.devEui);
    up.applicationId = app;
    if (structured && (parts[1] != app || normalizeEui(parts[3]) != up.devEui))
        return refuse(UplinkError::Mismatch,
                      u"topic names application %1 device %2, the body application %3 device %4"_s.arg(
                          parts[1], parts[3], app, up.devEui),
                      up.devEui);

    if (const QJsonValue d = o.value("data"_L1); d.isString()) {
        auto bytes = strictBase64(d.toString());
        if (!bytes) return refuse(UplinkError::BadData, u"data is not base64"_s, up.devEui);
        if (bytes->size() > MaxFrameBytes)
            return refuse(UplinkError::Oversized,
                          u"frame of %1 bytes (LoRaWAN carries at most %2)"_s.arg(bytes->size()).arg(MaxFrameBytes),
                          up.devEui);
        up.data = *bytes;
    } else if (!d.isUndefined() && !d.isNull()) {
        return refuse(UplinkError::Malformed, u"data is not a string"_s, up.devEui);
    }
    if (const QJsonValue object = o.value("object"_L1); object.isObject() || object.isArray()) {
        up.object = object;
    } else if (const QString text = o.value("objectJSON"_L1).toString(); !text.isEmpty()) {
        const QJsonDocument decoded = QJsonDocument::fromJson(text.toUtf8(), &error);
        if (error.error != QJsonParseError::NoError)
            return refuse(UplinkError::Malformed, u"objectJSON is not JSON: %1"_s.arg(error.errorString()), up.devEui);
        up.object = decoded.isArray() ? QJsonValue(decoded.array()) : QJsonValue(decoded.object());
    }
    if (o.contains("fCnt"_L1)) up.fCnt = o.value("fCnt"_L1).toInteger();
    if (o.contains("fPort"_L1)) up.fPort = o.value("fPort"_L1).toInt();
    up.radio = radioOf(o);
    return up;
}

ChannelPayload channelPayload(const Uplink &uplink, double nowSeconds)
{
    if (uplink.object) {
        const QByteArray json = uplink.object->isArray()
                                    ? QJsonDocument(uplink.object->toArray()).toJson(QJsonDocument::Compact)
                                    : QJsonDocument(uplink.object->toObject()).toJson(QJsonDocument::Compact);
        if (uplink.object->isArray() && isSenml(json, nowSeconds)) return {u"application/senml+json"_s, json};
        return {u"application/json"_s, json};
    }
    if (isSenml(uplink.data, nowSeconds)) return {u"application/senml+json"_s, uplink.data};
    return {u"application/octet-stream"_s, uplink.data};
}

QByteArray radioPack(const Uplink &uplink, double timeSeconds)
{
    QJsonArray pack;
    const auto add = [&pack](const QString &name, const QJsonValue &value, const QString &unit = {}) {
        QJsonObject record{{u"n"_s, name}};
        record.insert(value.isString() ? u"vs"_s : u"v"_s, value);
        if (!unit.isEmpty()) record.insert(u"u"_s, unit);
        pack.append(record);
    };
    const RadioInfo &r = uplink.radio;
    if (r.rssi) add(u"rssi"_s, *r.rssi, u"dBm"_s);
    if (r.snr) add(u"snr"_s, *r.snr, u"dB"_s);
    if (uplink.fCnt) add(u"f_cnt"_s, double(*uplink.fCnt));
    if (uplink.fPort) add(u"f_port"_s, *uplink.fPort);
    if (r.frequency) add(u"frequency"_s, *r.frequency, u"Hz"_s);
    if (r.dataRate) add(u"dr"_s, *r.dataRate);
    if (r.spreadingFactor) add(u"sf"_s, *r.spreadingFactor);
    add(u"gateways"_s, r.gateways);
    if (!r.gateway.isEmpty()) add(u"gateway"_s, r.gateway);
    QJsonObject first = pack.at(0).toObject();
    first.insert(u"bn"_s, QString(uplink.devEui + u':'));
    first.insert(u"bt"_s, timeSeconds);
    pack.replace(0, first);
    return QJsonDocument(pack).toJson(QJsonDocument::Compact);
}

Result<Downlink> parseDownlink(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        return fail(ErrorCode::Malformed,
                    u"LoRa downlink: not JSON: %1 at offset %2"_s.arg(error.errorString()).arg(error.offset));
    if (!doc.isObject())
        return fail(ErrorCode::Malformed, u"LoRa downlink: expected an object {\"dev_eui\", \"f_port\", \"data\", "
                                          "\"confirmed\"}"_s);
    const QJsonObject o = doc.object();
    for (auto it = o.constBegin(); it != o.constEnd(); ++it)
        if (!QStringList{u"dev_eui"_s, u"f_port"_s, u"data"_s, u"confirmed"_s}.contains(it.key()))
            return fail(ErrorCode::Malformed, u"LoRa downlink: unknown field \"%1\" (dev_eui, f_port, data, "
                                              "confirmed)"_s.arg(it.key()));
    Downlink d;
    const auto eui = normalizeEui(o.value("dev_eui"_L1).toString());
    if (!eui) return fail(ErrorCode::Malformed, u"LoRa downlink: dev_eui must be 16 hex digits"_s);
    d.devEui = *eui;
    const QJsonValue port = o.value("f_port"_L1);
    const double p = port.toDouble(-1);
    // Range first: converting a double beyond qint64 to an integer is undefined (found by fuzz_lora_uplink).
    if (!port.isDouble() || p < MinFPort || p > MaxFPort || p != std::trunc(p))
        return fail(ErrorCode::Malformed,
                    u"LoRa downlink: f_port must be an integer from %1 to %2"_s.arg(MinFPort).arg(MaxFPort));
    d.fPort = int(p);
    if (!o.value("data"_L1).isString())
        return fail(ErrorCode::Malformed, u"LoRa downlink: data must be a base64 string"_s);
    auto bytes = strictBase64(o.value("data"_L1).toString());
    if (!bytes) return fail(ErrorCode::Malformed, u"LoRa downlink: data is not valid base64"_s);
    if (bytes->size() > MaxDownlinkBytes)
        return fail(ErrorCode::Malformed,
                    u"LoRa downlink: %1 bytes of data (at most %2)"_s.arg(bytes->size()).arg(MaxDownlinkBytes));
    d.data = *bytes;
    const QJsonValue confirmed = o.value("confirmed"_L1);
    if (!confirmed.isUndefined() && !confirmed.isBool())
        return fail(ErrorCode::Malformed, u"LoRa downlink: confirmed must be true or false"_s);
    d.confirmed = confirmed.toBool(false);
    return d;
}

DownlinkCommand downlinkCommand(Generation generation, const QString &applicationId, const Downlink &downlink)
{
    QJsonObject body{{u"confirmed"_s, downlink.confirmed},
                     {u"fPort"_s, downlink.fPort},
                     {u"data"_s, QString::fromLatin1(downlink.data.toBase64())}};
    const QString prefix = u"application/%1/device/%2/"_s.arg(applicationId, downlink.devEui);
    switch (generation) {
    case Generation::ChirpStackV4:
        body.insert(u"devEui"_s, downlink.devEui);
        return {prefix + u"command/down"_s, QJsonDocument(body).toJson(QJsonDocument::Compact)};
    case Generation::ChirpStackV3:
        return {prefix + u"command/down"_s, QJsonDocument(body).toJson(QJsonDocument::Compact)};
    case Generation::LoraServer:
        body.insert(u"reference"_s, u"mainflux"_s);
        return {prefix + u"tx"_s, QJsonDocument(body).toJson(QJsonDocument::Compact)};
    }
    return {};
}

std::optional<QString> deviceEuiOf(const QJsonObject &metadata)
{
    QString text = metadata.value("lora"_L1).toObject().value("dev_eui"_L1).toString();
    if (text.isEmpty() && metadata.value("type"_L1).toString() == "lora"_L1)
        text = metadata.value("devEUI"_L1).toString();
    if (text.isEmpty()) return std::nullopt;
    return normalizeEui(text);
}

std::optional<QString> applicationIdOf(const QJsonObject &metadata)
{
    QString text = idText(metadata.value("lora"_L1).toObject().value("app_id"_L1));
    if (text.isEmpty() && metadata.value("type"_L1).toString() == "lora"_L1) text = idText(metadata.value("appID"_L1));
    if (text.isEmpty()) return std::nullopt;
    return text;
}

} // namespace mf::lora
