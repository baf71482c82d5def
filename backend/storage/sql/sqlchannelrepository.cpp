#include "core/ids.h"
#include "sqlquery.h"
#include "sqlrepositories.h"
#include "storage/sqlerror.h"

using namespace Qt::StringLiterals;

namespace mf::storage {

namespace {

const QString channelColumns = u"h.id, h.owner, h.name, h.metadata, h.created_at, h.updated_at"_s;

Channel channelFrom(const QSqlQuery &q)
{
    return Channel{q.value(0).toString(),    q.value(1).toString(),   q.value(2).toString(),
                   metadataFrom(q.value(3)), q.value(4).toLongLong(), q.value(5).toLongLong()};
}

QString jsonParam(const Database &db)
{
    return db.dialect() == Dialect::Postgres ? u"CAST(? AS JSONB)"_s : u"?"_s;
}

// True when every id in `ids` is a row of `table` owned by `owner`.
Result<bool> allOwned(const QSqlDatabase &db, const QString &table, const QString &owner, const QStringList &ids)
{
    QStringList marks(ids.size(), u"?"_s);
    QVariantList binds{owner};
    for (const QString &id : ids)
        binds.append(id);
    auto q = runQuery(db, u"SELECT COUNT(*) FROM %1 WHERE owner = ? AND id IN (%2)"_s.arg(table, marks.join(u',')),
                      binds, u"check ownership"_s);
    if (!q) return std::unexpected(q.error());
    return q->next() && q->value(0).toLongLong() == ids.size();
}

} // namespace

Result<void> SqlChannelRepository::insert(const QList<Channel> &channels)
{
    QSqlDatabase db = m_db.connection();
    Transaction tx(db);
    QSqlQuery q(db);
    if (!q.prepare(u"INSERT INTO channels (id, owner, name, metadata, created_at, updated_at) "
                   "VALUES (?, ?, ?, %1, ?, ?)"_s.arg(jsonParam(m_db))))
        return sqlFailure(q.lastError(), u"prepare insert channel"_s);
    for (const Channel &c : channels) {
        for (const QVariant &v :
             QVariantList{c.id, c.owner, text(c.name), metadataText(c.metadata), c.createdAt, c.updatedAt})
            q.addBindValue(v);
        if (!q.exec()) return sqlFailure(q.lastError(), u"insert channel"_s);
    }
    return tx.commit();
}

Result<Channel> SqlChannelRepository::byId(const QString &owner, const QString &id)
{
    auto q =
        runQuery(m_db.connection(), u"SELECT %1 FROM channels h WHERE h.id = ? AND h.owner = ?"_s.arg(channelColumns),
                 {id, owner}, u"read channel"_s);
    if (!q) return std::unexpected(q.error());
    if (!q->next()) return fail(ErrorCode::NotFound, u"channel not found"_s);
    return channelFrom(*q);
}

Result<Page<Channel>> SqlChannelRepository::page(const QString &from, const QString &where, QVariantList binds,
                                                 const PageQuery &query, const std::optional<KeptTotal> &kept)
{
    return pagedQuery<Channel>(m_db.connection(), channelColumns, u"h"_s, u"channels_name_fts"_s, from, where,
                               std::move(binds), query, channelFrom, kept);
}

Result<Page<Channel>> SqlChannelRepository::list(const QString &owner, const PageQuery &query)
{
    return page(u"channels h"_s, u" WHERE h.owner = ?"_s, {owner}, query, KeptTotal{owner, u"channels"_s});
}

Result<Page<Channel>> SqlChannelRepository::listByThing(const QString &owner, const QString &thingId,
                                                        const PageQuery &query)
{
    return page(u"channels h JOIN connections c ON c.channel_id = h.id"_s, u" WHERE h.owner = ? AND c.thing_id = ?"_s,
                {owner, thingId}, query);
}

Result<void> SqlChannelRepository::update(const Channel &c)
{
    auto q = runQuery(m_db.connection(),
                      u"UPDATE channels SET name = ?, metadata = %1, updated_at = ? WHERE id = ? AND owner = ?"_s.arg(
                          jsonParam(m_db)),
                      {text(c.name), metadataText(c.metadata), c.updatedAt, c.id, c.owner}, u"update channel"_s);
    if (!q) return std::unexpected(q.error());
    if (q->numRowsAffected() == 0) return fail(ErrorCode::NotFound, u"channel not found"_s);
    return {};
}

Result<bool> SqlChannelRepository::remove(const QString &owner, const QString &id)
{
    auto q = runQuery(m_db.connection(), u"DELETE FROM channels WHERE id = ? AND owner = ?"_s, {id, owner},
                      u"delete channel"_s);
    if (!q) return std::unexpected(q.error());
    return q->numRowsAffected() > 0;
}

Result<void> SqlChannelRepository::connect(const QString &owner, const QStringList &channelIds,
                                           const QStringList &thingIds)
{
    QStringList channels = channelIds, things = thingIds;
    channels.removeDuplicates();
    things.removeDuplicates();
    QSqlDatabase db = m_db.connection();
    Transaction tx(db);
    for (const auto &[table, ids] : {std::pair{u"channels"_s, channels}, std::pair{u"things"_s, things}}) {
        auto owned = allOwned(db, table, owner, ids);
        if (!owned) return std::unexpected(owned.error());
        if (!*owned)
            return fail(ErrorCode::NotFound, table == "channels"_L1 ? u"channel not found"_s : u"thing not found"_s);
    }
    QSqlQuery q(db);
    if (!q.prepare(u"INSERT INTO connections (channel_id, thing_id, created_at) VALUES (?, ?, ?) "
                   "ON CONFLICT DO NOTHING"_s))
        return sqlFailure(q.lastError(), u"prepare connect"_s);
    const qint64 now = nowMs();
    for (const QString &channel : channels) {
        for (const QString &thing : things) {
            q.addBindValue(channel);
            q.addBindValue(thing);
            q.addBindValue(now);
            if (!q.exec()) return sqlFailure(q.lastError(), u"connect"_s);
        }
    }
    return tx.commit();
}

Result<void> SqlChannelRepository::disconnect(const QString &owner, const QStringList &channelIds,
                                              const QStringList &thingIds)
{
    QStringList channels = channelIds, things = thingIds;
    channels.removeDuplicates();
    things.removeDuplicates();
    QSqlDatabase db = m_db.connection();
    Transaction tx(db);
    QSqlQuery q(db);
    // The channel's owner check makes another user's connection look exactly like a missing one.
    if (!q.prepare(u"DELETE FROM connections WHERE channel_id = ? AND thing_id = ? AND EXISTS "
                   "(SELECT 1 FROM channels h WHERE h.id = connections.channel_id AND h.owner = ?)"_s))
        return sqlFailure(q.lastError(), u"prepare disconnect"_s);
    for (const QString &channel : channels) {
        for (const QString &thing : things) {
            q.addBindValue(channel);
            q.addBindValue(thing);
            q.addBindValue(owner);
            if (!q.exec()) return sqlFailure(q.lastError(), u"disconnect"_s);
            if (q.numRowsAffected() == 0)
                return fail(ErrorCode::NotFound, u"thing %1 is not connected to channel %2"_s.arg(thing, channel));
        }
    }
    return tx.commit();
}

Result<qint64> SqlChannelRepository::countConnections(const QString &owner)
{
    auto q = runQuery(m_db.connection(),
                      u"SELECT COUNT(*) FROM connections c JOIN channels h ON h.id = c.channel_id WHERE h.owner = ?"_s,
                      {owner}, u"count connections"_s);
    if (!q) return std::unexpected(q.error());
    return q->next() ? q->value(0).toLongLong() : 0;
}

Result<bool> SqlChannelRepository::isConnected(const QString &channelId, const QString &thingId)
{
    auto q = runQuery(m_db.connection(), u"SELECT 1 FROM connections WHERE channel_id = ? AND thing_id = ?"_s,
                      {channelId, thingId}, u"check connection"_s);
    if (!q) return std::unexpected(q.error());
    return q->next();
}

Result<Metadata> SqlChannelRepository::metadataOf(const QString &channelId)
{
    auto q = runQuery(m_db.connection(), u"SELECT metadata FROM channels WHERE id = ?"_s, {channelId},
                      u"channel metadata"_s);
    if (!q) return std::unexpected(q.error());
    if (!q->next()) return fail(ErrorCode::NotFound, u"channel not found"_s);
    return metadataFrom(q->value(0));
}

Result<QStringList> SqlChannelRepository::allIds()
{
    auto q = runQuery(m_db.connection(), u"SELECT id FROM channels ORDER BY id"_s, {}, u"list channel ids"_s);
    if (!q) return std::unexpected(q.error());
    QStringList ids;
    while (q->next())
        ids.append(q->value(0).toString());
    return ids;
}

Result<QList<Channel>> SqlChannelRepository::withMetadataMentioning(const QString &word)
{
    auto q = runQuery(m_db.connection(),
                      u"SELECT %1 FROM channels h WHERE LOWER(CAST(h.metadata AS TEXT)) LIKE ? ESCAPE '!' "
                      "ORDER BY h.created_at, h.id"_s.arg(channelColumns),
                      {likePattern(word)}, u"channels by metadata"_s);
    if (!q) return std::unexpected(q.error());
    QList<Channel> channels;
    while (q->next())
        channels.append(channelFrom(*q));
    return channels;
}

} // namespace mf::storage
