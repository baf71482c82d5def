#include "sqlstatusrepositories.h"

#include "sqlmessagerepository.h"
#include "sqlquery.h"
#include "storage/sqlerror.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace mf::storage {

Result<void> SqlThingStatusRepository::save(const QList<StatusUpdate> &updates, int historyPerThing)
{
    if (updates.isEmpty())
        return {};
    QSqlDatabase db = m_db.connection();
    Transaction tx(db);
    // A thing removed since it was heard from has no row to refer to: its update is skipped, not an error.
    QSqlQuery upsert(db), flip(db), prune(db);
    if (!upsert.prepare(u"INSERT INTO thing_status (thing, online, last_seen, last_protocol, connected_since) "
                        "SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM things WHERE id = ?) "
                        "ON CONFLICT (thing) DO UPDATE SET online = excluded.online, last_seen = excluded.last_seen, "
                        "last_protocol = excluded.last_protocol, connected_since = excluded.connected_since"_s) ||
        !flip.prepare(u"INSERT INTO thing_status_history (thing, at, online, protocol, reason) "
                      "SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM things WHERE id = ?)"_s) ||
        !prune.prepare(u"DELETE FROM thing_status_history WHERE thing = ? AND at < (SELECT at FROM "
                       "thing_status_history WHERE thing = ? ORDER BY at DESC LIMIT 1 OFFSET ?)"_s))
        return sqlFailure(upsert.lastError().isValid() ? upsert.lastError() : flip.lastError(),
                          u"prepare status"_s);
    for (const StatusUpdate &u : updates) {
        for (const QVariant &v : QVariantList{u.thing, u.status.online, u.status.lastSeen, text(u.status.lastProtocol),
                                              u.status.connectedSince, u.thing})
            upsert.addBindValue(v);
        if (!upsert.exec())
            return sqlFailure(upsert.lastError(), u"store status"_s);
        if (!u.flipped)
            continue;
        for (const QVariant &v :
             QVariantList{u.thing, u.at, u.status.online, text(u.status.lastProtocol), text(u.reason), u.thing})
            flip.addBindValue(v);
        if (!flip.exec())
            return sqlFailure(flip.lastError(), u"store status history"_s);
        for (const QVariant &v : QVariantList{u.thing, u.thing, historyPerThing - 1})
            prune.addBindValue(v);
        if (!prune.exec())
            return sqlFailure(prune.lastError(), u"prune status history"_s);
    }
    return tx.commit();
}

Result<QHash<QString, StoredThingStatus>> SqlThingStatusRepository::loadAll()
{
    auto q = runQuery(m_db.connection(),
                      u"SELECT s.thing, s.online, s.last_seen, s.last_protocol, s.connected_since, t.owner, t.metadata "
                      "FROM thing_status s JOIN things t ON t.id = s.thing"_s,
                      {}, u"read statuses"_s);
    if (!q)
        return std::unexpected(q.error());
    QHash<QString, StoredThingStatus> all;
    while (q->next())
        all.insert(q->value(0).toString(),
                   StoredThingStatus{ThingStatus{q->value(1).toBool(), q->value(2).toLongLong(), q->value(3).toString(),
                                                 q->value(4).toLongLong()},
                                     ThingOwnership{q->value(5).toString(), metadataFrom(q->value(6))}});
    return all;
}

Result<ThingOwnership> SqlThingStatusRepository::ownership(const QString &thingId)
{
    auto q = runQuery(m_db.connection(), u"SELECT owner, metadata FROM things WHERE id = ?"_s, {thingId},
                      u"read thing owner"_s);
    if (!q)
        return std::unexpected(q.error());
    if (!q->next())
        return fail(ErrorCode::NotFound, u"thing not found"_s);
    return ThingOwnership{q->value(0).toString(), metadataFrom(q->value(1))};
}

Result<QList<StatusHistoryEntry>> SqlThingStatusRepository::history(const QString &owner, const QString &thingId,
                                                                    int limit)
{
    auto known = runQuery(m_db.connection(), u"SELECT 1 FROM things WHERE id = ? AND owner = ?"_s, {thingId, owner},
                          u"read thing"_s);
    if (!known)
        return std::unexpected(known.error());
    if (!known->next())
        return fail(ErrorCode::NotFound, u"thing not found"_s);
    auto q = runQuery(m_db.connection(),
                      u"SELECT at, online, protocol, reason FROM thing_status_history WHERE thing = ? "
                      "ORDER BY at DESC LIMIT ?"_s,
                      {thingId, limit}, u"read status history"_s);
    if (!q)
        return std::unexpected(q.error());
    QList<StatusHistoryEntry> entries;
    while (q->next())
        entries.append({q->value(0).toLongLong(), q->value(1).toBool(), q->value(2).toString(), q->value(3).toString()});
    return entries;
}

namespace {

const QString latestColumns = u"l.channel, l.subtopic, l.publisher, l.protocol, l.name, l.unit, l.value, "
                              "l.string_value, l.bool_value, l.data_value, l.sum, l.time, l.created"_s;

StoredMessage latestFrom(const QSqlQuery &q)
{
    StoredMessage m;
    readRecordColumns(q, m);
    m.createdNs = q.value(12).toLongLong();
    return m;
}

// NotFound unless `sql` (one row when the entity is the owner's) finds it; then the latest values `rows` selects.
Result<QList<StoredMessage>> ownedLatest(Database &db, const QString &ownedSql, const QString &rowsSql,
                                         const QString &id, const QString &owner, const QString &what)
{
    auto known = runQuery(db.connection(), ownedSql, {id, owner}, u"read "_s + what);
    if (!known)
        return std::unexpected(known.error());
    if (!known->next())
        return fail(ErrorCode::NotFound, what + u" not found"_s);
    auto q = runQuery(db.connection(), rowsSql, {id, owner}, u"read latest values"_s);
    if (!q)
        return std::unexpected(q.error());
    QList<StoredMessage> values;
    while (q->next())
        values.append(latestFrom(*q));
    return values;
}

} // namespace

// Only values of things that are still the owner's: a removed thing's last values are not shown.
Result<QList<StoredMessage>> SqlLatestValueRepository::ofChannel(const QString &owner, const QString &channelId)
{
    return ownedLatest(m_db, u"SELECT 1 FROM channels WHERE id = ? AND owner = ?"_s,
                       u"SELECT %1 FROM latest_values l JOIN things t ON t.id = l.publisher "
                       "WHERE l.channel = ? AND t.owner = ? ORDER BY l.publisher, l.name"_s.arg(latestColumns),
                       channelId, owner, u"channel"_s);
}

Result<QList<StoredMessage>> SqlLatestValueRepository::ofThing(const QString &owner, const QString &thingId)
{
    return ownedLatest(m_db, u"SELECT 1 FROM things WHERE id = ? AND owner = ?"_s,
                       u"SELECT %1 FROM latest_values l JOIN channels c ON c.id = l.channel "
                       "WHERE l.publisher = ? AND c.owner = ? ORDER BY l.channel, l.name"_s.arg(latestColumns),
                       thingId, owner, u"thing"_s);
}

Result<void> SqlRefusalRepository::save(const QList<Refusal> &refusals, int perChannel, int total)
{
    if (refusals.isEmpty())
        return {};
    QSqlDatabase db = m_db.connection();
    Transaction tx(db);
    QSqlQuery insert(db), prune(db);
    if (!insert.prepare(u"INSERT INTO refusals (at, channel, thing, protocol, client, reason, payload_head, "
                        "payload_size) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"_s) ||
        !prune.prepare(u"DELETE FROM refusals WHERE channel = ? AND id <= (SELECT id FROM refusals WHERE channel = ? "
                       "ORDER BY id DESC LIMIT 1 OFFSET ?)"_s))
        return sqlFailure(insert.lastError().isValid() ? insert.lastError() : prune.lastError(),
                          u"prepare refusals"_s);
    QSet<QString> channels;
    for (const Refusal &r : refusals) {
        for (const QVariant &v : QVariantList{r.at, text(r.channel), text(r.thing), text(r.protocol), text(r.client),
                                              r.reason, r.payloadHead, r.payloadSize})
            insert.addBindValue(v);
        if (!insert.exec())
            return sqlFailure(insert.lastError(), u"store refusal"_s);
        channels.insert(text(r.channel)); // '' for refusals of no channel (MQTT logins): kept like one channel
    }
    for (const QString &channel : std::as_const(channels)) {
        for (const QVariant &v : QVariantList{channel, channel, perChannel})
            prune.addBindValue(v);
        if (!prune.exec())
            return sqlFailure(prune.lastError(), u"prune refusals"_s);
    }
    // Refusals naming many channels (a device guessing ids) stay bounded too.
    auto bounded = runQuery(db, u"DELETE FROM refusals WHERE id <= (SELECT MAX(id) FROM refusals) - ?"_s, {total},
                            u"prune refusals"_s);
    if (!bounded)
        return std::unexpected(bounded.error());
    return tx.commit();
}

namespace {

Refusal refusalFrom(const QSqlQuery &q)
{
    return Refusal{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(), q.value(3).toString(),
                   q.value(4).toString(),   q.value(5).toString(), q.value(6).toByteArray(), q.value(7).toLongLong()};
}

Result<QList<Refusal>> ownedRefusals(Database &db, const QString &ownedSql, const QString &rowsSql, const QString &id,
                                     const QString &owner, int limit, const QString &what)
{
    auto known = runQuery(db.connection(), ownedSql, {id, owner}, u"read "_s + what);
    if (!known)
        return std::unexpected(known.error());
    if (!known->next())
        return fail(ErrorCode::NotFound, what + u" not found"_s);
    auto q = runQuery(db.connection(), rowsSql, {owner, id, limit}, u"read refusals"_s);
    if (!q)
        return std::unexpected(q.error());
    QList<Refusal> refusals;
    while (q->next())
        refusals.append(refusalFrom(*q));
    return refusals;
}

// The publisher is named only when it is the owner's thing: another user's thing refused on this channel stays
// anonymous (its address is still shown). The first bind is the owner.
const QString refusalColumns = u"r.at, r.channel, CASE WHEN EXISTS (SELECT 1 FROM things t WHERE t.id = r.thing AND "
                               "t.owner = ?) THEN r.thing ELSE '' END, r.protocol, r.client, r.reason, "
                               "r.payload_head, r.payload_size"_s;

} // namespace

Result<QList<Refusal>> SqlRefusalRepository::ofChannel(const QString &owner, const QString &channelId, int limit)
{
    return ownedRefusals(m_db, u"SELECT 1 FROM channels WHERE id = ? AND owner = ?"_s,
                         u"SELECT %1 FROM refusals r WHERE r.channel = ? ORDER BY r.id DESC LIMIT ?"_s.arg(refusalColumns),
                         channelId, owner, limit, u"channel"_s);
}

// Every refusal of the thing; a channel that is not the owner's (the device used a wrong id) is not named.
Result<QList<Refusal>> SqlRefusalRepository::ofThing(const QString &owner, const QString &thingId, int limit)
{
    return ownedRefusals(m_db, u"SELECT 1 FROM things WHERE id = ? AND owner = ?"_s,
                         u"SELECT r.at, CASE WHEN EXISTS (SELECT 1 FROM channels c WHERE c.id = r.channel AND "
                         "c.owner = ?) THEN r.channel ELSE '' END, r.thing, r.protocol, r.client, r.reason, "
                         "r.payload_head, r.payload_size FROM refusals r WHERE r.thing = ? ORDER BY r.id DESC LIMIT ?"_s,
                         thingId, owner, limit, u"thing"_s);
}

Result<QString> SqlRefusalRepository::channelOwner(const QString &channelId)
{
    auto q =
        runQuery(m_db.connection(), u"SELECT owner FROM channels WHERE id = ?"_s, {channelId}, u"read channel owner"_s);
    if (!q) return std::unexpected(q.error());
    if (!q->next()) return fail(ErrorCode::NotFound, u"channel not found"_s);
    return q->value(0).toString();
}

} // namespace mf::storage
