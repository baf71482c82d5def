#pragma once

#include "sqlquery.h"
#include "storage/database.h"
#include "storage/repositories.h"

namespace mf::storage {

// The SQL repositories, shared by SQLite and PostgreSQL. They use the Database's connection and must be used
// on the thread that opened it.
class SqlUserRepository final : public UserRepository
{
public:
    explicit SqlUserRepository(Database &db) : m_db(db) {}
    Result<void> insert(const User &user) override;
    Result<User> byId(const QString &id) override;
    Result<User> byEmail(const QString &email) override;
    Result<Page<User>> list(const PageQuery &query) override;
    Result<qint64> count() override;
    Result<void> update(const User &user) override;
    Result<bool> remove(const QString &id) override;

private:
    Result<User> one(const QString &where, const QString &value);
    Database &m_db;
};

class SqlThingRepository final : public ThingRepository
{
public:
    explicit SqlThingRepository(Database &db) : m_db(db) {}
    Result<void> insert(const QList<Thing> &things) override;
    Result<Thing> byId(const QString &owner, const QString &id) override;
    Result<Thing> byKey(const QString &key) override;
    Result<QString> keyOf(const QString &thingId) override;
    Result<Page<Thing>> list(const QString &owner, const PageQuery &query) override;
    Result<Page<Thing>> listByChannel(const QString &owner, const QString &channelId, const PageQuery &query) override;
    Result<void> update(const Thing &thing) override;
    Result<void> updateKey(const QString &owner, const QString &id, const QString &key) override;
    Result<bool> remove(const QString &owner, const QString &id) override;
    Result<QStringList> channelIdsOf(const QString &thingId) override;
    Result<QList<Thing>> withMetadataMentioning(const QString &word) override;

private:
    // `kept`: the list is all of an owner's things (pagedQuery reads its total; status filters count instead)
    Result<Page<Thing>> page(const QString &from, const QString &where, QVariantList binds, const PageQuery &query,
                             std::optional<KeptTotal> kept = std::nullopt);
    Database &m_db;
};

class SqlChannelRepository final : public ChannelRepository
{
public:
    explicit SqlChannelRepository(Database &db) : m_db(db) {}
    Result<void> insert(const QList<Channel> &channels) override;
    Result<Channel> byId(const QString &owner, const QString &id) override;
    Result<Page<Channel>> list(const QString &owner, const PageQuery &query) override;
    Result<Page<Channel>> listByThing(const QString &owner, const QString &thingId, const PageQuery &query) override;
    Result<void> update(const Channel &channel) override;
    Result<bool> remove(const QString &owner, const QString &id) override;
    Result<void> connect(const QString &owner, const QStringList &channelIds, const QStringList &thingIds) override;
    Result<void> disconnect(const QString &owner, const QStringList &channelIds, const QStringList &thingIds) override;
    Result<bool> isConnected(const QString &channelId, const QString &thingId) override;
    Result<Metadata> metadataOf(const QString &channelId) override;
    Result<qint64> countConnections(const QString &owner) override;
    Result<QStringList> allIds() override;
    Result<QList<Channel>> withMetadataMentioning(const QString &word) override;

private:
    Result<Page<Channel>> page(const QString &from, const QString &where, QVariantList binds, const PageQuery &query,
                               const std::optional<KeptTotal> &kept = std::nullopt);
    Database &m_db;
};

} // namespace mf::storage
