#pragma once

#include "bus/natsconnection.h"
#include "services/things/thingsevent.h"
#include "statustracker.h"
#include "storage/statusrepositories.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <vector>

namespace mf::status {

struct StatusOptions
{
    qint64 offlineAfterMs = 300'000; // MF_OFFLINE_AFTER; a thing's metadata `offline_after` overrides it
    qint64 lastSeenEveryMs = 5'000;  // how often a still-online thing's newer last_seen is written
    int historyPerThing = 100;
    int refusalsPerChannel = 200;  // newest refusals kept per channel
    int refusalsTotal = 100'000;   // and in all
    int refusalsPerSecond = 1'000; // taken from the bus per second; more are counted and dropped (a flood)
    int refusalEventsPerSecond = 50; // refusals sent on one owner's event stream per second; more are only counted
};

// Device status (DESIGN.md §3 fleet operations): hears every accepted message on the bus (`channel.>`, any protocol
// and any process), open sessions — MQTT connections from the Mosquitto plugins, WebSockets and CoAP observations
// from the backends' adapters (`status.sessions`, one shape) — and expires silent things once a second. Changes are
// stored (thing_status, read with every thing) and published on `events.status` as one JSON event per owner and second:
// {"owner", "changes": [{"thing", "online", "last_seen", "last_protocol", "reason"}]}, so a gateway going down is one
// event, not a flood. It also keeps what adapters refused (`refusals`, core/refusal.h): stored per channel, bounded,
// logged at warning level, and published on `events.refusals` for the owners of the channel and of the thing ({"owner",
// "refusals": [...as GET /channels/{id}/refusals], "dropped": n}; another user's thing or channel is not named, as in
// REST), within 50 ms, at most refusalEventsPerSecond rows per owner. Runs beside the things service (it needs the
// database).
class StatusService final : public QObject
{
    Q_OBJECT

public:
    StatusService(bus::NatsConnection &nats, storage::ThingStatusRepository &repository,
                  storage::RefusalRepository &refusals, StatusOptions options, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(StatusService)

    Result<void> start();
    // Expires silent things, stores and publishes what changed; the timer calls it every second.
    void tick();

public Q_SLOTS:
    void onThingsEvent(const mf::things::ThingsEvent &event);

Q_SIGNALS:
    // The same batch that went to the bus, for in-process listeners.
    void changed(const QString &owner, const QList<mf::storage::StatusUpdate> &changes);

private:
    bool track(const QString &thing); // false for a thing that does not exist
    void remember(const QString &thing, const storage::ThingOwnership &ownership);
    void onMessage(const QByteArray &data);
    void onSessionEvent(const QByteArray &data);
    void onAlive(const QByteArray &subject);
    void onRefusal(const QByteArray &data);
    void storeRefusals(qint64 now);
    void announceRefusals(const QList<Refusal> &refusals);
    QString ownerOf(const QString &kind, const QString &id); // "" when unknown
    void flushSoon();

    bus::NatsConnection &m_nats;
    storage::ThingStatusRepository &m_repository;
    storage::RefusalRepository &m_refusalRepository;
    QList<Refusal> m_refusals; // until the next tick
    struct RefusalWindow       // the current second: what the bounds count
    {
        qint64 start = 0;
        int taken = 0;
        qint64 dropped = 0;
        int logged = 0;
        qint64 unlogged = 0;
        QHash<QString, int> announced;      // owner → rows sent on its stream
        QHash<QString, qint64> unannounced; // owner → rows over the bound: one {"dropped": n} event when it ends
    } m_window;
    QHash<QString, QString> m_refusalOwners; // "thing:<id>" / "channel:<id>" → owner ("" unknown); cleared by events
    StatusOptions m_options;
    StatusTracker m_tracker;
    QHash<QString, QString> m_owners;            // thing → owner, of things heard from
    QHash<QString, qint64> m_instances;          // session holder (plugin, backend's adapters) → last heard (ms)
    std::vector<bus::Subscription> m_subscriptions;
    QTimer m_timer;
    QTimer m_flush; // a flip is stored and announced within 50 ms, not at the next second

};

} // namespace mf::status
