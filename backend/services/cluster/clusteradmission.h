#pragma once

#include "bus/natsconnection.h"

#include <QJsonObject>

namespace mf::cluster {

// Who may join a cluster. A process that is about to start its services on a shared bus first asks every running
// process to announce itself at once (ProbeSubject) and listens for a moment; it refuses to start when one of them
// runs an incompatible version or signs user tokens with another JWT secret (a token from one would be refused by
// the other). The refusal is announced (status "refused" and the reason), so every other process shows it in its
// cluster view; the running processes are never stopped by a newcomer.
inline constexpr char ProbeSubject[] = "cluster.probe";

// Versions that may run side by side: the same major version, and for 0.x the same minor one (semantic versioning).
bool compatibleVersions(const QString &a, const QString &b);

// What an announcement carries instead of the secret: an HMAC of a fixed text keyed with it (no more than any
// signed token already reveals), so processes can compare secrets without sending them.
QString secretFingerprint(const QByteArray &secret);

// Why `joining` may not run beside `member` (both announcements), or an empty string when it may. A process without
// a JWT secret (an edge or a pipeline: no users service) is not compared on it.
QString incompatibility(const QJsonObject &joining, const QJsonObject &member);

// Probes the cluster and listens for `waitMs` on the caller's thread (it runs a local event loop). Conflict with a
// message naming the process and the reason when refused; success when nobody objects (or nobody answers).
Result<void> admit(bus::NatsConnection &nats, QJsonObject self, int waitMs);

} // namespace mf::cluster
