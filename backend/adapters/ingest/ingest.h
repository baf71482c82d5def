#pragma once

#include "api/tokenbuckets.h"
#include "bus/envelope.h"
#include "core/error.h"
#include "core/refusal.h"
#include "sessionpresence.h"

#include <QObject>
#include <QString>
#include <functional>
#include <memory>

namespace mf::bus {
class NatsConnection;
}
namespace mf::api {
class Metrics;
}
namespace mf::things {
class AccessControl;
}

namespace mf::adapters {

// One message as an adapter received it, after the adapter authenticated the publisher and normalized the
// subtopic.
struct Submission
{
    QString channel;
    QString publisher;   // thing id
    QString protocol;    // "http", "ws", "coap", "lora": the envelope's protocol and the metrics label
    QString subtopic;    // bus form ('.'-separated), empty when none
    QString contentType; // as the publisher named it; empty: the channel's content_type (channel metadata), if any
    QByteArray payload;
    QString client; // the device's address (or client id), shown beside a refusal; never a key
    // false for a companion of a message counted on its own (LoRa radio metadata): not counted in
    // mf_adapter_messages_total, so that metric stays one per device message.
    bool counted = true;
};

// The one ingest path of every adapter inside the backend process (the MQTT plugin, in Mosquitto's process,
// follows the same rules: plugin.cpp). A message that names no content type takes its channel's `content_type`;
// SenML is checked and refused whole, with the reason, before anything reaches the bus; the envelope goes to the
// durable stream; every outcome is counted in mf_adapter_messages_total{protocol, result}.
// Use it on the thread that owns the NatsConnection's handlers' contexts (the adapters' thread).
class Ingest final : public QObject
{
    Q_OBJECT

public:
    Ingest(things::AccessControl &access, bus::NatsConnection &nats, api::Metrics &metrics, QString origin,
           QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(Ingest)

    using Done = std::function<void(Result<void>)>;

    // The envelope to publish, or why the message is refused (Malformed with the SenML reason; Unavailable when
    // the channel's content type could not be learnt). A refusal is counted.
    Result<bus::Envelope> prepare(Submission submission);
    // Publishes to the durable stream; `done` runs on `context`'s thread with the stream's answer (Unavailable
    // when the bus did not take it) and is skipped if `context` is gone. Counted.
    void publish(const bus::Envelope &envelope, QObject *context, Done done, bool counted = true);
    // prepare() then publish(); a refusal reaches `done` before submit() returns.
    void submit(Submission submission, QObject *context, Done done);

    // Counts an adapter's own refusal before ingest (unauthorized, invalid subtopic, too large, ...).
    void count(QStringView protocol, const QByteArray &result);
    // Counts it and tells the status service why (Refusal; kept for the channel's owner and logged there).
    // Give the whole payload as `payloadHead`: its size is noted and its head kept. `at` is set here.
    void refuse(Refusal refusal, const QByteArray &result);
    // Tells the status service without counting a message: a refused connection or subscription (counted by the
    // adapter in its own metric). Same rules as refuse().
    void report(Refusal refusal);

    // Open sessions (WebSocket connections, CoAP observations) of things, for their online status.
    SessionPresence &sessions() { return m_sessions; }

    // MF_THING_RATE: at most this many messages a second per thing (a token bucket holding one second's worth);
    // prepare() refuses more with TooManyRequests, recorded as a refusal "rate limited". 0 = no limit.
    void setThingRate(double messagesPerSecond);

private:
    things::AccessControl &m_access;
    bus::NatsConnection &m_nats;
    api::Metrics &m_metrics;
    QString m_origin;
    std::unique_ptr<api::TokenBuckets> m_thingRate;
    SessionPresence m_sessions;
};

} // namespace mf::adapters
