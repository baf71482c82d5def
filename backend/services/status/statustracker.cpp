#include "statustracker.h"

using namespace Qt::StringLiterals;

namespace mf::status {

StatusTracker::StatusTracker(qint64 defaultOfflineAfterMs, qint64 lastSeenEveryMs)
    : m_defaultOfflineAfterMs(defaultOfflineAfterMs), m_lastSeenEveryMs(lastSeenEveryMs)
{}

void StatusTracker::restore(const QHash<QString, ThingStatus> &stored, qint64 nowMs)
{
    for (auto it = stored.begin(); it != stored.end(); ++it) {
        State &state = m_things[it.key()];
        state.status = it.value();
        state.savedAt = nowMs;
        // Sessions did not survive the restart: an MQTT thing is online again when it reconnects (or its Mosquitto
        // tells again), a silent one goes offline at its time.
        state.status.connectedSince = 0;
    }
}

std::optional<ThingStatus> StatusTracker::statusOf(const QString &thing) const
{
    const auto it = m_things.find(thing);
    return it == m_things.end() ? std::nullopt : std::optional(it->status);
}

bool StatusTracker::setOnline(State &state, bool online, qint64 nowMs, const QString &reason)
{
    state.dirty = true;
    if (state.status.online == online)
        return false;
    state.status.online = online;
    // Two flips between takes (offline and back) still leave one entry with the newest state.
    state.flipped = true;
    state.flippedAt = nowMs;
    state.reason = reason;
    return true;
}

bool StatusTracker::heard(const QString &thing, const QString &protocol, qint64 nowMs)
{
    State &state = m_things[thing];
    state.status.lastSeen = std::max(state.status.lastSeen, nowMs);
    state.status.lastProtocol = protocol;
    return setOnline(state, true, nowMs, u"message"_s);
}

bool StatusTracker::opened(const QString &thing, const QString &session, const QString &protocol, qint64 nowMs)
{
    State &state = m_things[thing];
    if (state.sessions.isEmpty())
        state.status.connectedSince = nowMs;
    state.sessions.insert(session);
    state.status.lastSeen = std::max(state.status.lastSeen, nowMs);
    state.status.lastProtocol = protocol;
    return setOnline(state, true, nowMs, u"connected"_s);
}

bool StatusTracker::closed(const QString &thing, const QString &session, qint64 nowMs)
{
    const auto it = m_things.find(thing);
    if (it == m_things.end() || !it->sessions.remove(session))
        return false;
    it->status.lastSeen = std::max(it->status.lastSeen, nowMs);
    if (!it->sessions.isEmpty()) {
        it->dirty = true;
        return false;
    }
    it->status.connectedSince = 0;
    return setOnline(*it, false, nowMs, u"disconnected"_s);
}

void StatusTracker::closedAll(const QString &prefix, qint64 nowMs)
{
    for (auto it = m_things.begin(); it != m_things.end(); ++it) {
        QStringList gone;
        for (const QString &session : std::as_const(it->sessions))
            if (session.startsWith(prefix))
                gone.append(session);
        for (const QString &session : gone)
            closed(it.key(), session, nowMs);
    }
}

void StatusTracker::setOfflineAfter(const QString &thing, qint64 ms)
{
    if (auto it = m_things.find(thing); it != m_things.end())
        it->offlineAfterMs = ms;
    else if (ms > 0)
        m_things[thing].offlineAfterMs = ms;
}

void StatusTracker::forget(const QString &thing)
{
    m_things.remove(thing);
}

qint64 StatusTracker::offlineAfter(const State &state) const
{
    return state.offlineAfterMs > 0 ? state.offlineAfterMs : m_defaultOfflineAfterMs;
}

void StatusTracker::expire(qint64 nowMs)
{
    for (State &state : m_things)
        if (state.status.online && state.sessions.isEmpty() && nowMs - state.status.lastSeen >= offlineAfter(state))
            setOnline(state, false, nowMs, u"silent"_s);
}

QList<storage::StatusUpdate> StatusTracker::takeUpdates(qint64 nowMs)
{
    QList<storage::StatusUpdate> updates;
    for (auto it = m_things.begin(); it != m_things.end(); ++it) {
        State &state = *it;
        if (!state.dirty || (!state.flipped && nowMs - state.savedAt < m_lastSeenEveryMs))
            continue;
        updates.append({it.key(), state.status, state.flipped, state.flippedAt, state.reason});
        state.dirty = false;
        state.flipped = false;
        state.reason.clear();
        state.savedAt = nowMs;
    }
    return updates;
}

} // namespace mf::status
