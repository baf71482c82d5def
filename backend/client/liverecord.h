#pragma once

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QVariant>

namespace mf::client {

// One row of the live view: one SenML record of a message, or a whole non-SenML message (then `name` is empty and
// `value` holds the payload as text). Copyable value: crosses queued connections.
struct LiveRecord
{
    QString channel;
    QString publisher;
    QString protocol;
    QString subtopic;
    QString name;
    QString unit;
    QVariant value;  // double, QString, bool, or QString (data_value / payload)
    double time = 0; // Unix seconds (fractions allowed)
    // Why the backend refused it, for a refused message (GET /channels/{id}/refusals: `value` holds the payload's
    // head); empty for everything it accepted.
    QString refusal;

    bool isNumeric() const { return value.typeId() == QMetaType::Double; }
    friend bool operator==(const LiveRecord &, const LiveRecord &) = default;
};

// A frame of the WebSocket stream: {"channel","publisher",...,"records":[{"name","unit","value",...}]}.
QList<LiveRecord> recordsFromStreamFrame(const QJsonObject &frame);
// The "messages" array of GET /channels/{id}/messages: one stored record per element.
QList<LiveRecord> recordsFromReaderPage(const QJsonObject &page);
// One element of either shape (a stored message is a flat record).
LiveRecord recordFromJson(const QJsonObject &record, const QJsonObject &envelope);

} // namespace mf::client

Q_DECLARE_METATYPE(mf::client::LiveRecord)
