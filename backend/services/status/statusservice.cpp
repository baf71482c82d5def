#include "statusservice.h"

#include "bus/envelope.h"
#include "bus/subjects.h"
#include "core/duration.h"
#include "statushttp.h"

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

// A Mosquitto whose plugin sent no stats (once a second), or a backend whose adapters sent no heartbeat while they
// had sessions open, is gone with its sessions after this long.
constexpr qint64 instanceSilenceMs = 5'000;

qint64 offlineAfterOf(const Metadata &metadata)
{
    const QJsonValue value = metadata.object().value("offline_after"_L1);
    if (value.isUndefined()) return 0;
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
    if (!stored) return std::unexpected(stored.error());
    QHash<QString, ThingStatus> statuses;
    for (auto it = stored->cbegin(); it != stored->cend(); ++it)
        statuses.insert(it.key(), it->status);
    m_tracker.restore(statuses, nowMs());
    for (auto it = stored->cbegin(); it != stored->cend(); ++it)
        remember(it.key(), it->ownership);
    const std::pair<QByteArray, std::function<void(const QByteArray &, const QByteArray &)>> feeds[] = {
        {bus::allChannelsSubject, [this](const QByteArray &, const QByteArray &data) { onMessage(data); }},
        {bus::statusSessionsSubject, [this](const QByteArray &, const QByteArray &data) { onSessionEvent(data); }},
        {bus::allMqttStatsSubject, [this](const QByteArray &subject, const QByteArray &) { onAlive(subject); }},
        {bus::allStatusAliveSubject, [this](const QByteArray &subject, const QByteArray &) { onAlive(subject); }},
        {bus::refusalsSubject, [this](const QByteArray &, const QByteArray &data) { onRefusal(data); }},
    };
    for (const auto &[subject, handler] : feeds) {
        auto subscription =
            m_nats.subscribe(subject, {}, this, [handler](QByteArray s, QByteArray d, QByteArray) { handler(s, d); });
        if (!subscription) return std::unexpected(subscription.error());
        m_subscriptions.push_back(std::move(*subscription));
    }
    // Plugins that were running before this process tell again which things they have connected.
    (void)m_nats.publish(bus::statusResyncSubject, {});
    m_timer.start();
    return {};
}

bool StatusService::track(const QString &thing)
{
    if (m_owners.contains(thing)) return true;
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
    if (!envelope || envelope->publisher.isEmpty() || !track(envelope->publisher)) return;
    if (m_tracker.heard(envelope->publisher, envelope->protocol, nowMs())) flushSoon();
}

void StatusService::flushSoon()
{
    if (!m_flush.isActive()) m_flush.start();
}

// {"event": "connected"|"disconnected", "thing", "client", "instance", "protocol"} from the Mosquitto plugin (MQTT
// connections) and the backends' adapters (adapters/ingest/sessionpresence.h: WebSockets, CoAP observations).
void StatusService::onSessionEvent(const QByteArray &data)
{
    const QJsonObject event = QJsonDocument::fromJson(data).object();
    const QString thing = event.value("thing"_L1).toString();
    const QString instance = event.value("instance"_L1).toString();
    const QString session = instance + u'/' + event.value("client"_L1).toString();
    if (thing.isEmpty() || instance.isEmpty() || !track(thing)) return;
    m_instances.insert(instance, nowMs());
    const QString protocol = event.value("protocol"_L1).toString(u"mqtt"_s);
    const bool flipped = event.value("event"_L1).toString() == "connected"_L1
                             ? m_tracker.opened(thing, session, protocol, nowMs())
                             : m_tracker.closed(thing, session, nowMs());
    if (flipped) flushSoon();
}

// mqtt.stats.<instance> or status.alive.<instance>: the instance (a subject token: it holds no dot) is alive.
void StatusService::onAlive(const QByteArray &subject)
{
    m_instances.insert(QString::fromUtf8(subject.mid(subject.lastIndexOf('.') + 1)), nowMs());
}

void StatusService::onRefusal(const QByteArray &data)
{
    if (m_window.taken >= m_options.refusalsPerSecond) {
        ++m_window.dropped;
        return;
    }
    if (auto refusal = decodeRefusal(data)) {
        ++m_window.taken;
        m_refusals.append(std::move(*refusal));
        flushSoon(); // stored and on the owners' streams within 50 ms: the dashboard's live view shows it as it happens
    }
}

void StatusService::storeRefusals(qint64 now)
{
    if (now - m_window.start >= 1000) {
        if (m_window.unlogged > 0 || m_window.dropped > 0)
            qCWarning(lcStatus).noquote()
                << u"... and %1 more refused messages in the last second (%2 not kept: too many)"_s
                       .arg(m_window.unlogged + m_window.dropped)
                       .arg(m_window.dropped);
        for (auto it = m_window.unannounced.cbegin(); it != m_window.unannounced.cend(); ++it) {
            const QJsonObject event{{u"owner"_s, it.key()}, {u"refusals"_s, QJsonArray()}, {u"dropped"_s, it.value()}};
            (void)m_nats.publish("events.refusals", QJsonDocument(event).toJson(QJsonDocument::Compact));
        }
        m_window = RefusalWindow();
        m_window.start = now;
    }
    if (m_refusals.isEmpty()) return;
    // Logged here, once for every process's adapters, at most a few lines a second. A wrong key names no thing and
    // no owner: this line (with the client's address) and the adapters' metrics are where it shows.
    constexpr int loggedPerSecond = 10;
    QList<Refusal> kept;
    for (const Refusal &r : std::as_const(m_refusals)) {
        if (m_window.logged < loggedPerSecond) {
            ++m_window.logged;
            const QString what = r.channel.isEmpty() ? u"login"_s : u"message on channel "_s + r.channel;
            const QString from = r.thing.isEmpty() ? r.client : u"%1 (%2)"_s.arg(r.thing, r.client);
            qCWarning(lcStatus).noquote() << u"refused %1 %2 from %3: %4"_s.arg(r.protocol, what, from, r.reason);
        } else {
            ++m_window.unlogged;
        }
        if (!r.channel.isEmpty() || !r.thing.isEmpty()) kept.append(r);
    }
    if (auto saved = m_refusalRepository.save(kept, m_options.refusalsPerChannel, m_options.refusalsTotal); !saved)
        qCWarning(lcStatus).noquote() << "refused messages not stored:" << saved.error().message;
    announceRefusals(kept);
    m_refusals.clear();
}

QString StatusService::ownerOf(const QString &kind, const QString &id)
{
    if (id.isEmpty()) return {};
    if (kind == "thing"_L1 && m_owners.contains(id)) return m_owners.value(id);
    const QString key = kind + u':' + id;
    if (const auto it = m_refusalOwners.constFind(key); it != m_refusalOwners.cend()) return *it;
    QString owner;
    if (kind == "thing"_L1) {
        if (auto ownership = m_repository.ownership(id)) owner = ownership->owner;
    } else if (auto channelOwner = m_refusalRepository.channelOwner(id)) {
        owner = *channelOwner;
    }
    if (m_refusalOwners.size() >= 10'000) // guessed ids must not grow it without bound
        m_refusalOwners.clear();
    m_refusalOwners.insert(key, owner);
    return owner;
}

// Each refusal goes to the channel's owner and to the thing's owner, named as GET .../refusals names them: the
// thing only for the owner of both, another user's channel not at all.
void StatusService::announceRefusals(const QList<Refusal> &refusals)
{
    QHash<QString, QJsonArray> rows;
    QStringList order; // owners in the order of their first refusal
    const auto add = [&](const QString &owner, const Refusal &r) {
        if (owner.isEmpty()) return;
        int &sent = m_window.announced[owner];
        if (sent >= m_options.refusalEventsPerSecond) {
            ++m_window.unannounced[owner]; // a flood: counted, told once when the second ends
            return;
        }
        ++sent;
        if (!rows.contains(owner)) order.append(owner);
        rows[owner].append(refusalJson(r));
    };
    for (const Refusal &r : refusals) {
        const QString channelOwner = ownerOf(u"channel"_s, r.channel);
        const QString thingOwner = ownerOf(u"thing"_s, r.thing);
        Refusal forChannel = r;
        if (thingOwner != channelOwner) forChannel.thing.clear();
        add(channelOwner, forChannel);
        if (thingOwner != channelOwner) {
            Refusal forThing = r;
            forThing.channel.clear();
            add(thingOwner, forThing);
        }
    }
    for (const QString &owner : std::as_const(order)) {
        const QJsonObject event{{u"owner"_s, owner}, {u"refusals"_s, rows.value(owner)}, {u"dropped"_s, 0}};
        (void)m_nats.publish("events.refusals", QJsonDocument(event).toJson(QJsonDocument::Compact));
    }
}

void StatusService::onThingsEvent(const things::ThingsEvent &event)
{
    using Kind = things::ThingsEvent::Kind;
    m_refusalOwners.clear(); // who owns what may have changed; asked again on the next refusal
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
    const qint64 now = nowMs();
    storeRefusals(now);
    for (auto it = m_instances.begin(); it != m_instances.end();) {
        if (now - it.value() < instanceSilenceMs) {
            ++it;
            continue;
        }
        m_tracker.closedAll(it.key() + u'/', now);
        it = m_instances.erase(it);
    }
    m_tracker.expire(now);
    const QList<storage::StatusUpdate> updates = m_tracker.takeUpdates(now);
    if (updates.isEmpty()) return;
    if (auto saved = m_repository.save(updates, m_options.historyPerThing); !saved)
        qCWarning(lcStatus).noquote() << "device status not stored:" << saved.error().message;
    QHash<QString, QList<storage::StatusUpdate>> flipsByOwner;
    for (const storage::StatusUpdate &update : updates)
        if (update.flipped) flipsByOwner[m_owners.value(update.thing)].append(update);
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
