#pragma once

#include "failurelimiter.h"

#include <QByteArray>
#include <QHostAddress>
#include <QString>

namespace mf::api {

class Metrics;

// Failed thing-key attempts per client address (IPv6: per /64), shared by the adapters of one process (HTTP,
// WebSocket, CoAP): MF_KEY_FAILURES within MF_KEY_WINDOW. Past the limit an address is refused on every protocol
// until the window ends, even with a right key (a guesser must not learn which guess was right); each protocol
// answers in its own way (HTTP and WebSocket 429 with Retry-After, CoAP 4.29 with Max-Age). The MQTT plugin counts
// in Mosquitto's process with the same FailureLimiter. Counts mf_key_failures_total{protocol} and
// mf_key_refused_total{protocol}. Thread-safe.
class KeyFailureLimits final
{
public:
    KeyFailureLimits(FailureLimiter::Policy policy, Metrics &metrics);

    // Whole seconds the address must wait before trying again (counted as a refusal), or 0 when it may try now.
    qint64 retryAfter(const QHostAddress &address, const QByteArray &protocol);
    // A wrong key from the address.
    void failed(const QHostAddress &address, const QByteArray &protocol);
    // The refusal's text, for the 429 body, the CoAP diagnostic, the log.
    QString message(qint64 retryAfterSeconds) const;

private:
    FailureLimiter m_limiter;
    Metrics &m_metrics;
};

} // namespace mf::api
