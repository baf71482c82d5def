#include "sqlquery.h"
#include "sqlrepositories.h"
#include "storage/sqlerror.h"

using namespace Qt::StringLiterals;

namespace mf::storage {

namespace {

// Every read takes the thing's status along (thing_status, written by services/status; no row: never heard from).
const QString thingColumns = u"t.id, t.owner, t.type, t.name, t.key, t.metadata, t.created_at, t.updated_at, "
                             "s.online, s.last_seen, s.last_protocol, s.connected_since"_s;
const QString withStatus = u" LEFT JOIN thing_status s ON s.thing = t.id"_s;

Thing thingFrom(const QSqlQuery &q)
{
    Thing thing{q.value(0).toString(), q.value(1).toString(),    q.value(2).toString(),   q.value(3).toString(),
                q.value(4).toString(), metadataFrom(q.value(5)), q.value(6).toLongLong(), q.value(7).toLongLong()};
    if (!q.isNull(8))
        thing.status = ThingStatus{q.value(8).toBool(), q.value(9).toLongLong(), q.value(10).toString(),
                                   q.value(11).toLongLong()};
    return thing;
}

QString jsonParam(const Database &db)
{
    return db.dialect() == Dialect::Postgres ? u"CAST(? AS JSONB)"_s : u"?"_s;
}

} // namespace

Result<void> SqlThingRepository::insert(const QList<Thing> &things)
{
    QSqlDatabase db = m_db.connection();
    Transaction tx(db);
    QSqlQuery q(db);
    if (!q.prepare(u"INSERT INTO things (id, owner, type, name, key, metadata, created_at, updated_at) "
                   "VALUES (?, ?, ?, ?, ?, %1, ?, ?)"_s.arg(jsonParam(m_db))))
        return sqlFailure(q.lastError(), u"prepare insert thing"_s);
    for (const Thing &t : things) {
        for (const QVariant &v : QVariantList{t.id, t.owner, t.type, text(t.name), t.key, metadataText(t.metadata),
                                              t.createdAt, t.updatedAt})
            q.addBindValue(v);
        if (!q.exec()) return sqlFailure(q.lastError(), u"insert thing"_s);
    }
    return tx.commit();
}

Result<Thing> SqlThingRepository::byId(const QString &owner, const QString &id)
{
    auto q = runQuery(m_db.connection(), u"SELECT %1 FROM things t%2 WHERE t.id = ? AND t.owner = ?"_s.arg(thingColumns, withStatus),
                      {id, owner}, u"read thing"_s);
    if (!q) return std::unexpected(q.error());
    if (!q->next()) return fail(ErrorCode::NotFound, u"thing not found"_s);
    return thingFrom(*q);
}

Result<Thing> SqlThingRepository::byKey(const QString &key)
{
    auto q = runQuery(m_db.connection(), u"SELECT %1 FROM things t%2 WHERE t.key = ?"_s.arg(thingColumns, withStatus), {key},
                      u"read thing by key"_s);
    if (!q) return std::unexpected(q.error());
    if (!q->next()) return fail(ErrorCode::NotFound, u"thing not found"_s);
    return thingFrom(*q);
}

Result<QString> SqlThingRepository::keyOf(const QString &thingId)
{
    auto q = runQuery(m_db.connection(), u"SELECT key FROM things WHERE id = ?"_s, {thingId}, u"read thing key"_s);
    if (!q) return std::unexpected(q.error());
    if (!q->next()) return fail(ErrorCode::NotFound, u"thing not found"_s);
    return q->value(0).toString();
}

Result<Page<Thing>> SqlThingRepository::page(const QString &from, const QString &where, QVariantList binds,
                                             const PageQuery &query, std::optional<KeptTotal> kept)
{
    if (!query.status.isEmpty() || query.offlineForMs > 0)
        kept.reset(); // a status filter selects some of the owner's things
    QString filtered = where;
    if (query.status == "online"_L1) {
        filtered += u" AND s.online = ?"_s;
        binds.append(true);
    } else if (query.status == "offline"_L1) {
        filtered += u" AND (s.online IS NULL OR s.online = ?)"_s;
        binds.append(false);
    }
    if (query.offlineForMs > 0) {
        filtered += u" AND (s.online IS NULL OR (s.online = ? AND s.last_seen <= ?))"_s;
        binds << false << query.nowMs - query.offlineForMs;
    }
    return pagedQuery<Thing>(m_db.connection(), thingColumns, u"t"_s, u"things_name_fts"_s, from + withStatus, filtered,
                             std::move(binds), query, thingFrom, kept);
}

Result<Page<Thing>> SqlThingRepository::list(const QString &owner, const PageQuery &query)
{
    return page(u"things t"_s, u" WHERE t.owner = ?"_s, {owner}, query, KeptTotal{owner, u"things"_s});
}

Result<Page<Thing>> SqlThingRepository::listByChannel(const QString &owner, const QString &channelId,
                                                      const PageQuery &query)
{
    return page(u"things t JOIN connections c ON c.thing_id = t.id"_s, u" WHERE t.owner = ? AND c.channel_id = ?"_s,
                {owner, channelId}, query);
}

Result<void> SqlThingRepository::update(const Thing &t)
{
    auto q = runQuery(
        m_db.connection(),
        u"UPDATE things SET type = ?, name = ?, metadata = %1, updated_at = ? WHERE id = ? AND owner = ?"_s.arg(
            jsonParam(m_db)),
        {t.type, text(t.name), metadataText(t.metadata), t.updatedAt, t.id, t.owner}, u"update thing"_s);
    if (!q) return std::unexpected(q.error());
    if (q->numRowsAffected() == 0) return fail(ErrorCode::NotFound, u"thing not found"_s);
    return {};
}

Result<void> SqlThingRepository::updateKey(const QString &owner, const QString &id, const QString &key)
{
    auto q = runQuery(m_db.connection(), u"UPDATE things SET key = ? WHERE id = ? AND owner = ?"_s, {key, id, owner},
                      u"update thing key"_s);
    if (!q) return std::unexpected(q.error());
    if (q->numRowsAffected() == 0) return fail(ErrorCode::NotFound, u"thing not found"_s);
    return {};
}

Result<bool> SqlThingRepository::remove(const QString &owner, const QString &id)
{
    auto q =
        runQuery(m_db.connection(), u"DELETE FROM things WHERE id = ? AND owner = ?"_s, {id, owner}, u"delete thing"_s);
    if (!q) return std::unexpected(q.error());
    return q->numRowsAffected() > 0;
}

Result<QStringList> SqlThingRepository::channelIdsOf(const QString &thingId)
{
    auto q = runQuery(m_db.connection(), u"SELECT channel_id FROM connections WHERE thing_id = ?"_s, {thingId},
                      u"channels of thing"_s);
    if (!q) return std::unexpected(q.error());
    QStringList ids;
    while (q->next())
        ids.append(q->value(0).toString());
    return ids;
}

Result<QList<Thing>> SqlThingRepository::withMetadataMentioning(const QString &word)
{
    auto q = runQuery(m_db.connection(),
                      u"SELECT %1 FROM things t%2 WHERE LOWER(CAST(t.metadata AS TEXT)) LIKE ? ESCAPE '!' "
                      "ORDER BY t.created_at, t.id"_s.arg(thingColumns, withStatus),
                      {likePattern(word)}, u"things by metadata"_s);
    if (!q) return std::unexpected(q.error());
    QList<Thing> things;
    while (q->next())
        things.append(thingFrom(*q));
    return things;
}

} // namespace mf::storage
