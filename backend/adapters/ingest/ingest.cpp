#include "ingest.h"

#include "api/failurelimiter.h"
#include "api/metrics.h"
#include "bus/natsconnection.h"
#include "bus/subjects.h"
#include "core/senml/senml.h"
#include "services/things/accesscontrol.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace mf::adapters {

Ingest::Ingest(things::AccessControl &access, bus::NatsConnection &nats, api::Metrics &metrics, QString origin,
               QObject *parent)
    : QObject(parent), m_access(access), m_nats(nats), m_metrics(metrics), m_origin(std::move(origin)),
      m_sessions(nats, u"adapters-"_s + m_origin, this) // a child: it follows Ingest to its thread
{}

void Ingest::count(QStringView protocol, const QByteArray &result)
{
    m_metrics.increment("mf_adapter_messages_total",
                        "protocol=\"" + protocol.toLatin1() + "\",result=\"" + result + '"');
}

void Ingest::refuse(Refusal refusal, const QByteArray &result)
{
    count(refusal.protocol, result);
    report(std::move(refusal));
}

void Ingest::report(Refusal refusal)
{
    refusal.at = QDateTime::currentMSecsSinceEpoch();
    refusal.payloadSize = refusal.payloadHead.size();
    refusal.payloadHead.truncate(refusalPayloadHeadBytes);
    (void)m_nats.publish(bus::refusalsSubject, encodeRefusal(refusal)); // fire and forget, like a metric
}

void Ingest::setThingRate(double messagesPerSecond)
{
    m_thingRate = messagesPerSecond > 0 ? std::make_unique<api::TokenBuckets>(messagesPerSecond, messagesPerSecond)
                                        : nullptr;
}

Result<bus::Envelope> Ingest::prepare(Submission submission)
{
    const bool counted = submission.counted;
    // A companion of a counted message (LoRa radio metadata) is not a message of its own: it takes no token.
    if (m_thingRate && counted &&
        m_thingRate->take(submission.publisher.toStdString(), api::FailureLimiter::nowMs()) > 0) {
        const QString reason = u"rate limited: more than %1 messages a second from this thing"_s.arg(m_thingRate->rate());
        refuse({0, submission.channel, submission.publisher, submission.protocol, submission.client, reason,
                submission.payload, 0},
               "rate limited");
        return fail(ErrorCode::TooManyRequests, reason);
    }
    if (submission.contentType.isEmpty()) {
        auto channelType = m_access.contentTypeOf(submission.channel);
        if (!channelType) {
            if (counted) count(submission.protocol, "unavailable");
            return std::unexpected(channelType.error());
        }
        submission.contentType = *channelType;
    }
    bus::Envelope envelope;
    envelope.channel = std::move(submission.channel);
    envelope.publisher = std::move(submission.publisher);
    envelope.protocol = std::move(submission.protocol);
    envelope.contentType = std::move(submission.contentType);
    envelope.subtopic = std::move(submission.subtopic);
    envelope.origin = m_origin;
    envelope.payload = std::move(submission.payload);
    envelope.createdNs = QDateTime::currentMSecsSinceEpoch() * 1'000'000;
    if (const auto format = senml::formatForContentType(envelope.contentType)) {
        auto records = senml::normalize(envelope.payload, *format, double(envelope.createdNs) / 1e9);
        if (!records) {
            const QString reason = u"invalid SenML: "_s + records.error().message;
            if (counted)
                refuse({0, envelope.channel, envelope.publisher, envelope.protocol, submission.client, reason,
                        envelope.payload, 0},
                       "invalid senml");
            return fail(ErrorCode::Malformed, reason);
        }
    }
    return envelope;
}

void Ingest::publish(const bus::Envelope &envelope, QObject *context, Done done, bool counted)
{
    m_nats.publishDurable(
        bus::channelSubject(envelope.channel, envelope.subtopic), envelope.encode(), context,
        [this, counted, protocol = envelope.protocol, done = std::move(done)](Result<void> stored) {
            if (!stored) {
                if (counted) count(protocol, "unavailable");
                done(fail(ErrorCode::Unavailable, u"message bus unavailable: "_s + stored.error().message));
                return;
            }
            if (counted) count(protocol, "accepted");
            done({});
        });
}

void Ingest::submit(Submission submission, QObject *context, Done done)
{
    const bool counted = submission.counted;
    auto envelope = prepare(std::move(submission));
    if (!envelope) {
        done(std::unexpected(envelope.error()));
        return;
    }
    publish(*envelope, context, std::move(done), counted);
}

} // namespace mf::adapters
