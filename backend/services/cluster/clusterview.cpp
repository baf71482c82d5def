#include "clusterview.h"

#include "clusteradmission.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <algorithm>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcCluster, "mainflux.cluster")

namespace mf::cluster {

namespace {
constexpr int ForgetAfterMs = 60000;
constexpr int MissedAnnouncements = 3;
} // namespace

ClusterView::ClusterView(bus::NatsConnection &nats, Snapshot self, int intervalMs, QObject *parent)
    : QObject(parent), m_nats(nats), m_self(std::move(self)), m_intervalMs(intervalMs)
{
    const QJsonObject first = m_self();
    m_selfId = first.value("id"_L1).toString();
    m_version = first.value("version"_L1).toString();
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &ClusterView::announce);
}

Result<void> ClusterView::start()
{
    auto subscription = m_nats.subscribe(AnnounceSubject, {}, this,
                                         [this](const QByteArray &, const QByteArray &data, const QByteArray &) {
                                             heard(data);
                                         });
    if (!subscription) return std::unexpected(subscription.error());
    m_subscription = std::move(*subscription);
    // A process about to join asks everyone to announce at once (clusteradmission.h).
    auto probe = m_nats.subscribe(ProbeSubject, {}, this,
                                  [this](const QByteArray &, const QByteArray &, const QByteArray &) { announce(); });
    if (!probe) return std::unexpected(probe.error());
    m_probeSubscription = std::move(*probe);
    announce();
    m_timer.start();
    return {};
}

void ClusterView::announce()
{
    QJsonObject info = m_self();
    info.insert(u"interval_ms"_s, m_intervalMs);
    const QByteArray data = QJsonDocument(info).toJson(QJsonDocument::Compact);
    if (auto sent = m_nats.publish(AnnounceSubject, data); !sent)
        qCDebug(lcCluster).noquote() << "cannot announce:" << sent.error().message;
    heard(data); // this process is in its own view even while the bus is down
    for (auto it = m_processes.begin(); it != m_processes.end();) {
        if (it->seen.hasExpired(ForgetAfterMs))
            it = m_processes.erase(it);
        else
            ++it;
    }
}

void ClusterView::heard(const QByteArray &data)
{
    const QJsonObject info = QJsonDocument::fromJson(data).object();
    const QString id = info.value("id"_L1).toString();
    if (id.isEmpty()) return; // not an announcement of ours: ignore, never crash on what the bus carries
    Entry &entry = m_processes[id];
    if (entry.seen.isValid()) {
        const double seconds = std::max(0.001, double(entry.seen.elapsed()) / 1000.0);
        const auto delta = [&](const char *field) {
            const double before = entry.info.value("messages"_L1).toObject().value(QLatin1StringView(field)).toDouble();
            const double now = info.value("messages"_L1).toObject().value(QLatin1StringView(field)).toDouble();
            return std::max(0.0, now - before) / seconds;
        };
        entry.acceptedPerSecond = delta("accepted");
        entry.storedPerSecond = delta("stored");
    }
    entry.info = info;
    entry.seen.start();
}

QJsonObject ClusterView::view() const
{
    QList<QJsonObject> rows;
    const QJsonObject self = m_processes.value(m_selfId).info;
    for (auto it = m_processes.cbegin(); it != m_processes.cend(); ++it) {
        QJsonObject row = it->info;
        const int interval = std::max(100, row.value("interval_ms"_L1).toInt(m_intervalMs));
        const qint64 age = it->seen.elapsed();
        const bool answering = age <= qint64(interval) * MissedAnnouncements;
        const QString status = row.value("status"_L1).toString(u"pass"_s);
        // A refused process said why once and stopped: it stays "refused" (not "stopped answering") until forgotten.
        row.insert(u"state"_s, status == "refused"_L1 || answering ? status : u"stopped answering"_s);
        // Two processes admitted at the same moment are not refused (each checks only who ran before it): say so.
        if (it.key() != m_selfId && status != "refused"_L1)
            if (const QString why = incompatibility(row, self); !why.isEmpty()) row.insert(u"conflict"_s, why);
        // GET /cluster is public: the fingerprint would let anyone test guesses of a weak secret offline.
        row.remove(u"jwt_fingerprint"_s);
        row.insert(u"last_seen_ms"_s, age);
        row.insert(u"accepted_per_s"_s, qRound(it->acceptedPerSecond * 10) / 10.0);
        row.insert(u"stored_per_s"_s, qRound(it->storedPerSecond * 10) / 10.0);
        if (row.value("version"_L1).toString() != m_version) row.insert(u"version_differs"_s, true);
        rows.append(row);
    }
    std::sort(rows.begin(), rows.end(), [this](const QJsonObject &a, const QJsonObject &b) {
        const bool aSelf = a.value("id"_L1).toString() == m_selfId, bSelf = b.value("id"_L1).toString() == m_selfId;
        if (aSelf != bSelf) return aSelf;
        const QString as = a.value("services"_L1).toVariant().toStringList().join(u','),
                      bs = b.value("services"_L1).toVariant().toStringList().join(u',');
        if (as != bs) return as < bs;
        return a.value("host"_L1).toString() + a.value("id"_L1).toString() <
               b.value("host"_L1).toString() + b.value("id"_L1).toString();
    });
    QJsonArray processes;
    for (const QJsonObject &row : std::as_const(rows))
        processes.append(row);
    return QJsonObject{{u"self"_s, m_selfId}, {u"processes"_s, processes}};
}

} // namespace mf::cluster
