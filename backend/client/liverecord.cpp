#include "liverecord.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace mf::client {

LiveRecord recordFromJson(const QJsonObject &record, const QJsonObject &envelope)
{
    auto field = [&](QLatin1StringView key) {
        const QJsonValue own = record.value(key);
        return own.isUndefined() ? envelope.value(key) : own;
    };
    LiveRecord r;
    r.channel = field("channel"_L1).toString();
    r.publisher = field("publisher"_L1).toString();
    r.protocol = field("protocol"_L1).toString();
    r.subtopic = field("subtopic"_L1).toString();
    r.name = record.value("name"_L1).toString();
    r.unit = record.value("unit"_L1).toString();
    r.time = field("time"_L1).toDouble();
    if (record.contains("value"_L1))
        r.value = record.value("value"_L1).toDouble();
    else if (record.contains("string_value"_L1))
        r.value = record.value("string_value"_L1).toString();
    else if (record.contains("bool_value"_L1))
        r.value = record.value("bool_value"_L1).toBool();
    else if (record.contains("data_value"_L1))
        r.value = record.value("data_value"_L1).toString();
    else if (record.contains("sum"_L1))
        r.value = record.value("sum"_L1).toDouble();
    else if (field("payload"_L1).isString())
        r.value = field("payload"_L1).toString();
    else if (field("payload_base64"_L1).isString())
        r.value = QString::fromUtf8(QByteArray::fromBase64(field("payload_base64"_L1).toString().toLatin1()));
    return r;
}

QList<LiveRecord> recordsFromStreamFrame(const QJsonObject &frame)
{
    QList<LiveRecord> out;
    const QJsonArray records = frame.value("records"_L1).toArray();
    if (records.isEmpty()) {
        out.append(recordFromJson({}, frame));
        return out;
    }
    out.reserve(records.size());
    for (const QJsonValue &record : records)
        out.append(recordFromJson(record.toObject(), frame));
    return out;
}

QList<LiveRecord> recordsFromReaderPage(const QJsonObject &page)
{
    QList<LiveRecord> out;
    const QJsonArray messages = page.value("messages"_L1).toArray();
    out.reserve(messages.size());
    for (const QJsonValue &message : messages)
        out.append(recordFromJson(message.toObject(), {}));
    return out;
}

} // namespace mf::client
