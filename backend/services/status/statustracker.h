#pragma once

#include "core/entities.h"
#include "storage/statusrepositories.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>

#include <optional>

namespace mf::status {

// Which things are online, from what the bus tells (no clock of its own: every call gets the time, so tests drive
// it). A thing is online while it has an open session (an MQTT connection) or was heard from within its
// offline-after time; it goes offline when its last session ends or when it stays silent that long (expire()).
// Changes are collected until takeUpdates(): each changed thing once, with its newest status; an online/offline
// flip is marked, with its reason, and is taken at the next call, while a mere newer last_seen of a thing that
// stays online waits `lastSeenEveryMs` (fewer writes for a chatty fleet).
class StatusTracker final
{
public:
    StatusTracker(qint64 defaultOfflineAfterMs, qint64 lastSeenEveryMs);

    void restore(const QHash<QString, ThingStatus> &stored, qint64 nowMs);
    bool knows(const QString &thing) const { return m_things.contains(thing); }
    std::optional<ThingStatus> statusOf(const QString &thing) const;

    // A message of the thing was accepted (any protocol). These three return whether online/offline flipped.
    bool heard(const QString &thing, const QString &protocol, qint64 nowMs);
    // A session (an MQTT connection) opened or ended; `session` names it uniquely ("<plugin instance>/<client id>").
    bool opened(const QString &thing, const QString &session, const QString &protocol, qint64 nowMs);
    bool closed(const QString &thing, const QString &session, qint64 nowMs);
    // Every session whose name starts with `prefix` ended (a Mosquitto that stopped answering).
    void closedAll(const QString &prefix, qint64 nowMs);

    // 0: the default.
    void setOfflineAfter(const QString &thing, qint64 ms);
    void forget(const QString &thing);
    // Things silent longer than their offline-after and without sessions go offline.
    void expire(qint64 nowMs);

    QList<storage::StatusUpdate> takeUpdates(qint64 nowMs);

private:
    struct State
    {
        ThingStatus status;
        QSet<QString> sessions;
        qint64 offlineAfterMs = 0; // 0: the default
        bool dirty = false;
        bool flipped = false;
        qint64 flippedAt = 0;
        QString reason;
        qint64 savedAt = 0;
    };
    bool setOnline(State &state, bool online, qint64 nowMs, const QString &reason); // true when it flipped
    qint64 offlineAfter(const State &state) const;

    qint64 m_defaultOfflineAfterMs;
    qint64 m_lastSeenEveryMs;
    QHash<QString, State> m_things;
};

} // namespace mf::status
