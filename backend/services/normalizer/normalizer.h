#pragma once

#include "bus/natsconnection.h"
#include "core/error.h"

#include <QObject>

namespace mf::api {
class Metrics;
}

namespace mf::normalizer {

// Normalizes every SenML message on the bus for live consumers: each resolved record goes out as one JSON object
// (the reader's message shape) on `senml.<channel>[.<subtopic>]`, so a live view subscribes to one channel without
// seeing all traffic. Replicas share the work through the queue group "normalizers". Storage does not depend on
// it: the writer resolves packs itself from the durable stream.
class Normalizer final : public QObject
{
    Q_OBJECT

public:
    Normalizer(bus::NatsConnection &nats, api::Metrics &metrics, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(Normalizer)

    Result<void> start();

private:
    void onMessage(const QByteArray &subject, const QByteArray &data);

    bus::NatsConnection &m_nats;
    api::Metrics &m_metrics;
    bus::Subscription m_subscription;
};

} // namespace mf::normalizer
