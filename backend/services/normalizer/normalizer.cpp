#include "normalizer.h"

#include "api/metrics.h"
#include "bus/envelope.h"
#include "bus/subjects.h"
#include "core/messagejson.h"
#include "core/senml/senml.h"
#include "services/writer/storedmessages.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcNormalizer, "mainflux.normalizer")

namespace mf::normalizer {

Normalizer::Normalizer(bus::NatsConnection &nats, api::Metrics &metrics, QObject *parent)
    : QObject(parent), m_nats(nats), m_metrics(metrics)
{
}

Result<void> Normalizer::start()
{
    auto subscription = m_nats.subscribe(bus::allChannelsSubject, "normalizers", this,
                                         [this](const QByteArray &subject, const QByteArray &data, const QByteArray &) {
                                             onMessage(subject, data);
                                         });
    if (!subscription)
        return std::unexpected(subscription.error());
    m_subscription = std::move(*subscription);
    return {};
}

void Normalizer::onMessage(const QByteArray &subject, const QByteArray &data)
{
    auto envelope = bus::Envelope::decode(data);
    if (!envelope) {
        m_metrics.increment("mf_normalizer_rejected_total", "reason=\"bad envelope\"");
        qCDebug(lcNormalizer) << "undecodable message on" << subject;
        return;
    }
    if (!senml::formatForContentType(envelope->contentType))
        return; // not SenML: live consumers get it from channel.* as it is
    auto records = writer::toStoredMessages(*envelope, 0, double(QDateTime::currentMSecsSinceEpoch()) / 1000.0);
    if (!records) {
        m_metrics.increment("mf_normalizer_rejected_total", "reason=\"invalid senml\"");
        qCWarning(lcNormalizer).noquote() << "invalid SenML on" << subject << ":" << records.error().message;
        return;
    }
    const QByteArray out = bus::senmlSubject(envelope->channel, envelope->subtopic);
    for (const StoredMessage &record : *records)
        m_nats.publish(out, QJsonDocument(json::toJson(record)).toJson(QJsonDocument::Compact));
    m_metrics.increment("mf_normalizer_records_total", {}, double(records->size()));
}

} // namespace mf::normalizer
