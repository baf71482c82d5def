#include "storedmessages.h"

#include "core/senml/senml.h"

namespace mf::writer {

Result<QList<StoredMessage>> toStoredMessages(const bus::Envelope &envelope, quint64 sourceSequence,
                                              double nowSeconds)
{
    StoredMessage base;
    base.channel = envelope.channel;
    base.subtopic = envelope.subtopic;
    base.publisher = envelope.publisher;
    base.protocol = envelope.protocol;
    // Messages from publishers that do not set it (Mainflux 0.7) get the time they are stored: a redelivery of such
    // a message may then be stored twice, but a new message is never mistaken for an old one.
    base.createdNs = envelope.createdNs > 0 ? envelope.createdNs : qint64(nowSeconds * 1e9);
    base.sourceSequence = sourceSequence;
    const double accepted = envelope.createdNs > 0 ? double(envelope.createdNs) / 1e9 : nowSeconds;

    const auto format = senml::formatForContentType(envelope.contentType);
    if (!format) {
        StoredMessage raw = base;
        raw.contentType = envelope.contentType.isEmpty() ? QStringLiteral("application/octet-stream")
                                                         : envelope.contentType;
        raw.payload = envelope.payload;
        raw.time = accepted;
        return QList<StoredMessage>{raw};
    }
    // Relative SenML times count from when the adapter accepted the message, not from when it is stored.
    auto records = senml::normalize(envelope.payload, *format, accepted);
    if (!records)
        return std::unexpected(records.error());
    QList<StoredMessage> out;
    out.reserve(records->size());
    int index = 0;
    for (const senml::Record &r : *records) {
        StoredMessage m = base;
        m.name = r.name;
        m.unit = r.unit;
        m.value = r.value;
        m.stringValue = r.stringValue;
        m.boolValue = r.boolValue;
        m.dataValue = r.dataValue;
        m.sum = r.sum;
        m.time = r.time;
        m.updateTime = r.updateTime;
        m.sourceIndex = index++;
        out.append(std::move(m));
    }
    return out;
}

} // namespace mf::writer
