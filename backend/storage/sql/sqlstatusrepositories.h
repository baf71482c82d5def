#pragma once

#include "storage/database.h"
#include "storage/statusrepositories.h"

namespace mf::storage {

class SqlThingStatusRepository final : public ThingStatusRepository
{
public:
    explicit SqlThingStatusRepository(Database &db) : m_db(db) {}
    Result<void> save(const QList<StatusUpdate> &updates, int historyPerThing) override;
    Result<QHash<QString, StoredThingStatus>> loadAll() override;
    Result<ThingOwnership> ownership(const QString &thingId) override;
    Result<QList<StatusHistoryEntry>> history(const QString &owner, const QString &thingId, int limit) override;

private:
    Database &m_db;
};

class SqlLatestValueRepository final : public LatestValueRepository
{
public:
    explicit SqlLatestValueRepository(Database &db) : m_db(db) {}
    Result<QList<StoredMessage>> ofChannel(const QString &owner, const QString &channelId) override;
    Result<QList<StoredMessage>> ofThing(const QString &owner, const QString &thingId) override;

private:
    Database &m_db;
};

class SqlRefusalRepository final : public RefusalRepository
{
public:
    explicit SqlRefusalRepository(Database &db) : m_db(db) {}
    Result<void> save(const QList<Refusal> &refusals, int perChannel, int total) override;
    Result<QList<Refusal>> ofChannel(const QString &owner, const QString &channelId, int limit) override;
    Result<QList<Refusal>> ofThing(const QString &owner, const QString &thingId, int limit) override;
    Result<QString> channelOwner(const QString &channelId) override;

private:
    Database &m_db;
};

} // namespace mf::storage
