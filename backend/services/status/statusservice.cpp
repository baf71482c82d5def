#include "statusservice.h"

#include "bus/envelope.h"
#include "bus/subjects.h"
#include "core/duration.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcStatus, "mainflux.status")

namespace mf::status {

namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// A Mosquitto whose plugin sent no stats (once a second) for this long is gone with its connections.
constexpr qint64 mosquittoSilenceMs = 5'000;

qint64 offlineAfterOf(const Metadata &metadata)
{
    const QJsonValue value = metadata.object().value("offline_after"_L1);
    if (value.isUndefined())
        return 0;
    auto ms = durationFromJson(value);
    return ms ? *ms : 0; // checked when the thing is saved (thingsservice.cpp); older rows fall back to the default
}

} // namespace

StatusService::StatusService(bus::NatsConnection &nats, storage::ThingStatusRepository &repository,
                             storage::RefusalRepository &refusals, StatusOptions options, QObject *parent)
    : QObject(parent), m_nats(nats), m_repository(repository), m_refusalRepository(refusals), m_options(options),
      m_tracker(options.offlineAfterMs, options.lastSeenEveryMs)
{
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, &StatusService::tick);
    m_flush.setSingleShot(true);
    m_flush.setInterval(50); // changes arriving together (a gateway's things) still go out as one batch
    connect(&m_flush, &QTimer::timeout, this, &StatusService::tick);
}

Result<void> StatusService::start()
{
    auto stored = m_repository.loadAll();
    if (!stored)
        return std::unexpected(stored.error());
    QHash<QString, ThingStatus> statuses;
    for (auto it = stored->cbegin(); it != stored->cend(); ++it)
        statuses.insert(it.key(), it->status);
    m_tracker.restore(statuses, nowMs());
    for (auto it = stored->cbegin(); it != stored->cend(); ++it)
        remember(it.key(), it->ownership);
    const std::pair<QByteArray, std::function<void(const QByteArray &, const QByteArray &)>> feeds[] = {
        {bus::allChannelsSubject, [this](const QByteArray &, const QByteArray &data) { onMessage(data); }},
        {"status.mqtt", [this](const QByteArray &, const QByteArray &data) { onMqttEvent(data); }},
        {"mqtt.stats.*", [this](const QByteArray &subject, const QByteArray &) { onMqttStats(subject); }},
        {bus::refusalsSubject, [this](const QByteArray &, const QByteArray &data) { onRefusal(data); }},
    };
    for (const auto &[subject, handler] : feeds) {
        auto subscription = m_nats.subscribe(subject, {}, this, [handler](QByteArray s, QByteArray d, QByteArray) {
            handler(s, d);
        });
        if (!subscription)
            return std::unexpected(subscription.error());
        m_subscriptions.push_back(std::move(*subscription));
    }
    // Plugins that were running before this process tell again which things they have connected.
    (void)m_nats.publish("status.resync", {});
    m_timer.start();
    return {};
}

bool StatusService::track(const QString &thing)
{
    if (m_owners.contains(thing))
        return true;
    auto ownership = m_repository.ownership(thing);
    if (!ownership) {
        if (ownership.error().code != ErrorCode::NotFound)
            qCWarning(lcStatus).noquote() << "status of" << thing << "not tracked:" << ownership.error().message;
        m_tracker.forget(thing);
        return false;
    }
    remember(thing, *ownership);
    return true;
}

void StatusService::remember(const QString &thing, const storage::ThingOwnership &ownership)
{
    m_owners.insert(thing, ownership.owner);
    m_tracker.setOfflineAfter(thing, offlineAfterOf(ownership.metadata));
}

void StatusService::onMessage(const QByteArray &data)
{
    auto envelope = bus::Envelope::decode(data);
    if (!envelope || envelope->publisher.isEmpty() || !track(envelope->publisher))
        return;
    if (m_tracker.heard(envelope->publisher, envelope->protocol, nowMs()))
        flushSoon();
}

void StatusService::flushSoon()
{
    if (!m_flush.isActive())
        m_flush.start();
}

// {"event": "connected"|"disconnected", "thing", "client", "instance"} from the Mosquitto plugin.
void StatusService::onMqttEvent(const QByteArray &data)
{
    const QJsonObject event = QJsonDocument::fromJson(data).object();
    const QString thing = event.value("thing"_L1).toString();
    const QString instance = event.value("instance"_L1).toString();
    const QString session = instance + u'/' + event.value("client"_L1).toString();
    if (thing.isEmpty() || instance.isEmpty() || !track(thing))
        return;
    m_mosquittos.insert(instance, nowMs());
    const bool flipped = event.value("event"_L1).toString() == "connected"_L1
                             ? m_tracker.opened(thing, session, u"mqtt"_s, nowMs())
                             : m_tracker.closed(thing, session, nowMs());
    if (flipped)
        flushSoon();
}

void StatusService::onMqttStats(const QByteArray &subject)
{
    m_mosquittos.insert(QString::fromUtf8(subject.mid(int(sizeof("mqtt.stats.")) - 1)), nowMs());
}

void StatusService::onRefusal(const QByteArray &data)
{
    if (m_refusals.size() >= m_options.refusalsPerSecond) {
        ++m_refusalsDropped;
        return;
    }
    if (auto refusal = decodeRefusal(data))
        m_refusals.append(std::move(*refusal));
}

void StatusService::storeRefusals()
{
    if (m_refusals.isEmpty())
        return;
    // Logged here, once for every process's adapters, at most a few lines a second.
    constexpr int loggedPerSecond = 10;
    for (qsizetype i = 0; i < std::min<qsizetype>(m_refusals.size(), loggedPerSecond); ++i) {
        const Refusal &r = m_refusals.at(i);
        qCWarning(lcStatus).noquote() << u"refused %1 message on channel %2 from %3: %4"_s.arg(
            r.protocol, r.channel, r.thing.isEmpty() ? r.client : r.thing, r.reason);
    }
    if (m_refusals.size() > loggedPerSecond || m_refusalsDropped > 0)
        qCWarning(lcStatus).noquote() << u"... and %1 more refused messages this second (%2 not kept: too many)"_s.arg(
            std::max<qsizetype>(0, m_refusals.size() - loggedPerSecond) + m_refusalsDropped).arg(m_refusalsDropped);
    if (auto saved = m_refusalRepository.save(m_refusals, m_options.refusalsPerChannel, m_options.refusalsTotal);
        !saved)
        qCWarning(lcStatus).noquote() << "refused messages not stored:" << saved.error().message;
    m_refusals.clear();
    m_refusalsDropped = 0;
}

void StatusService::onThingsEvent(const things::ThingsEvent &event)
{
    using Kind = things::ThingsEvent::Kind;
    if (event.kind == Kind::ThingRemoved) {
        m_owners.remove(event.thingId);
        m_tracker.forget(event.thingId);
    } else if (event.kind == Kind::ThingUpdated && m_owners.contains(event.thingId)) {
        m_tracker.setOfflineAfter(event.thingId, offlineAfterOf(Metadata(event.metadata)));
    } else if (event.kind == Kind::OwnerRemoved) {
        for (auto it = m_owners.begin(); it != m_owners.end();) {
            if (it.value() == event.owner) {
                m_tracker.forget(it.key());
                it = m_owners.erase(it);
            } else {
                ++it;
            }
        }
    }
}

void StatusService::tick()
{
    storeRefusals();
    const qint64 now = nowMs();
    for (auto it = m_mosquittos.begin(); it != m_mosquittos.end();) {
        if (now - it.value() < mosquittoSilenceMs) {
            ++it;
            continue;
        }
        m_tracker.closedAll(it.key() + u'/', now);
        it = m_mosquittos.erase(it);
    }
    m_tracker.expire(now);
    const QList<storage::StatusUpdate> updates = m_tracker.takeUpdates(now);
    if (updates.isEmpty())
        return;
    if (auto saved = m_repository.save(updates, m_options.historyPerThing); !saved)
        qCWarning(lcStatus).noquote() << "device status not stored:" << saved.error().message;
    QHash<QString, QList<storage::StatusUpdate>> flipsByOwner;
    for (const storage::StatusUpdate &update : updates)
        if (update.flipped)
            flipsByOwner[m_owners.value(update.thing)].append(update);
    for (auto it = flipsByOwner.begin(); it != flipsByOwner.end(); ++it) {
        QJsonArray changes;
        for (const storage::StatusUpdate &u : std::as_const(it.value()))
            changes.append(QJsonObject{{u"thing"_s, u.thing},
                                       {u"online"_s, u.status.online},
                                       {u"last_seen"_s, u.status.lastSeen},
                                       {u"last_protocol"_s, u.status.lastProtocol},
                                       {u"reason"_s, u.reason}});
        const QJsonObject event{{u"owner"_s, it.key()}, {u"changes"_s, changes}};
        (void)m_nats.publish("events.status", QJsonDocument(event).toJson(QJsonDocument::Compact));
        Q_EMIT changed(it.key(), it.value());
    }
}

} // namespace mf::status
