#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QString>

#include <optional>

namespace mf {

// One stored message: a resolved SenML record (name, unit, one value or a sum), or a raw payload of another
// content type (contentType + payload, no name). Times are seconds since the epoch as in SenML.
struct StoredMessage
{
    QString channel;
    QString subtopic; // dotted form, as on the bus ("room1.temp")
    QString publisher; // thing id
    QString protocol;  // "http", "ws", "mqtt", "coap", "lora"
    QString name;
    QString unit;
    std::optional<double> value;
    std::optional<QString> stringValue;
    std::optional<bool> boolValue;
    std::optional<QString> dataValue;
    std::optional<double> sum;
    double time = 0;
    double updateTime = 0;
    QString contentType; // raw messages only
    QByteArray payload;  // raw messages only
    qint64 createdNs = 0; // when the adapter accepted it
    // Where it came from on the bus, so a redelivered message is stored once: (stream sequence, record index,
    // createdNs) — the accepted time tells apart messages of a recreated stream that reuse sequence numbers.
    quint64 sourceSequence = 0;
    int sourceIndex = 0;
};

struct MessageQuery
{
    qint64 offset = 0;
    qint64 limit = 10;
    std::optional<double> from; // time >= from
    std::optional<double> to;   // time <= to
    QString name;
    QString publisher;
    QString subtopic;
    QString protocol;
};

inline constexpr qint64 MaxMessagePageLimit = 1000;

} // namespace mf

Q_DECLARE_METATYPE(mf::StoredMessage)
