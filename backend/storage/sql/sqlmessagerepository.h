#pragma once

#include "storage/database.h"
#include "storage/repositories.h"

class QSqlQuery;

namespace mf::storage {

// The record columns that `messages` and `latest_values` share, read from result columns 0–11 in this order:
// channel, subtopic, publisher, protocol, name, unit, value, string_value, bool_value, data_value, sum, time.
void readRecordColumns(const QSqlQuery &q, StoredMessage &m);

class SqlMessageRepository final : public MessageRepository
{
public:
    explicit SqlMessageRepository(Database &db) : m_db(db) {}
    Result<qint64> insert(const QList<StoredMessage> &messages) override;
    Result<Page<StoredMessage>> query(const QString &channelId, const MessageQuery &query) override;

private:
    Database &m_db;
};

} // namespace mf::storage
