#pragma once

#include "bus/natsconnection.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QTimer>
#include <functional>

namespace mf::cluster {

// Who is in the cluster. Every process announces itself on `cluster.announce` (id, host, pid, services, version,
// ports, health, message totals) every interval, and keeps what it hears from the others, so any process can answer
// GET /cluster. A process not heard for three intervals is "stopped answering"; after a minute it is forgotten.
// Lives on the thread of its NatsConnection's owner (the main thread).
class ClusterView final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ClusterView)

public:
    static constexpr char AnnounceSubject[] = "cluster.announce";
    // This process's announcement, built fresh each interval: must include "id" and "version".
    using Snapshot = std::function<QJsonObject()>;

    ClusterView(bus::NatsConnection &nats, Snapshot self, int intervalMs = 2000, QObject *parent = nullptr);

    Result<void> start();
    // {"self": id, "processes": [ {announcement + "state", "last_seen_ms", "accepted_per_s", "stored_per_s",
    //  "version_differs", "conflict"} ... ]} sorted by services then host; this process first. "state" is the
    // process's own status ("pass", "warn", "refused" with its "reason"), or "stopped answering".
    QJsonObject view() const;

private:
    struct Entry
    {
        QJsonObject info;
        QElapsedTimer seen;
        double acceptedPerSecond = 0, storedPerSecond = 0;
    };
    void announce();
    void heard(const QByteArray &data);

    bus::NatsConnection &m_nats;
    Snapshot m_self;
    int m_intervalMs;
    QString m_selfId, m_version;
    QTimer m_timer;
    bus::Subscription m_subscription;
    bus::Subscription m_probeSubscription;
    QHash<QString, Entry> m_processes;
};

} // namespace mf::cluster
