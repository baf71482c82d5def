#include "messagejson.h"

#include <QJsonArray>
#include <QStringDecoder>

using namespace Qt::StringLiterals;

namespace mf::json {

QJsonObject toJson(const StoredMessage &m)
{
    QJsonObject o{{u"channel"_s, m.channel}, {u"publisher"_s, m.publisher}, {u"protocol"_s, m.protocol},
                  {u"time"_s, m.time}};
    if (!m.subtopic.isEmpty())
        o.insert(u"subtopic"_s, m.subtopic);
    if (!m.name.isEmpty())
        o.insert(u"name"_s, m.name);
    if (!m.unit.isEmpty())
        o.insert(u"unit"_s, m.unit);
    if (m.value)
        o.insert(u"value"_s, *m.value);
    if (m.stringValue)
        o.insert(u"string_value"_s, *m.stringValue);
    if (m.boolValue)
        o.insert(u"bool_value"_s, *m.boolValue);
    if (m.dataValue)
        o.insert(u"data_value"_s, *m.dataValue);
    if (m.sum)
        o.insert(u"sum"_s, *m.sum);
    if (m.updateTime != 0)
        o.insert(u"update_time"_s, m.updateTime);
    if (!m.contentType.isEmpty()) {
        o.insert(u"content_type"_s, m.contentType);
        QStringDecoder utf8(QStringDecoder::Utf8);
        const QString text = utf8(m.payload);
        if (utf8.hasError())
            o.insert(u"payload_base64"_s, QString::fromLatin1(m.payload.toBase64()));
        else
            o.insert(u"payload"_s, text);
    }
    return o;
}

StoredMessage messageFromJson(const QJsonObject &o)
{
    StoredMessage m;
    m.channel = o.value("channel"_L1).toString();
    m.publisher = o.value("publisher"_L1).toString();
    m.protocol = o.value("protocol"_L1).toString();
    m.subtopic = o.value("subtopic"_L1).toString();
    m.name = o.value("name"_L1).toString();
    m.unit = o.value("unit"_L1).toString();
    if (o.contains("value"_L1))
        m.value = o.value("value"_L1).toDouble();
    if (o.contains("string_value"_L1))
        m.stringValue = o.value("string_value"_L1).toString();
    if (o.contains("bool_value"_L1))
        m.boolValue = o.value("bool_value"_L1).toBool();
    if (o.contains("data_value"_L1))
        m.dataValue = o.value("data_value"_L1).toString();
    if (o.contains("sum"_L1))
        m.sum = o.value("sum"_L1).toDouble();
    m.time = o.value("time"_L1).toDouble();
    m.updateTime = o.value("update_time"_L1).toDouble();
    m.contentType = o.value("content_type"_L1).toString();
    if (o.contains("payload_base64"_L1))
        m.payload = QByteArray::fromBase64(o.value("payload_base64"_L1).toString().toLatin1());
    else
        m.payload = o.value("payload"_L1).toString().toUtf8();
    return m;
}

QJsonObject messagePageToJson(const Page<StoredMessage> &page)
{
    QJsonArray items;
    for (const StoredMessage &m : page.items)
        items.append(toJson(m));
    return QJsonObject{{u"total"_s, page.total},
                       {u"offset"_s, page.offset},
                       {u"limit"_s, page.limit},
                       {u"messages"_s, items}};
}

} // namespace mf::json
