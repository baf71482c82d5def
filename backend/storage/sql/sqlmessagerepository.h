#pragma once

#include "storage/database.h"
#include "storage/repositories.h"

namespace mf::storage {

class SqlMessageRepository final : public MessageRepository
{
public:
    explicit SqlMessageRepository(Database &db) : m_db(db) {}
    Result<void> insert(const QList<StoredMessage> &messages) override;
    Result<Page<StoredMessage>> query(const QString &channelId, const MessageQuery &query) override;

private:
    Database &m_db;
};

} // namespace mf::storage
