#include "sqlmessagerepository.h"

#include "sqlquery.h"
#include "storage/postgres/postgrescopy.h"
#include "storage/sqlerror.h"

#include <QHash>

using namespace Qt::StringLiterals;

namespace mf::storage {

namespace {

const QString messageColumns = u"channel, subtopic, publisher, protocol, name, unit, value, string_value, bool_value, "
                               "data_value, sum, time, update_time, content_type, payload, created, source_seq, "
                               "source_idx"_s;

template <typename T>
QVariant optional(const std::optional<T> &value, QMetaType type)
{
    return value ? QVariant::fromValue(*value) : QVariant(type);
}

StoredMessage messageFrom(const QSqlQuery &q)
{
    StoredMessage m;
    readRecordColumns(q, m);
    m.updateTime = q.value(12).toDouble();
    m.contentType = q.value(13).toString();
    m.payload = q.value(14).toByteArray();
    m.createdNs = q.value(15).toLongLong();
    m.sourceSequence = q.value(16).toULongLong();
    m.sourceIndex = q.value(17).toInt();
    return m;
}

// The newest record of each (channel, publisher, name) in a batch: what latest_values may need to take.
QList<const StoredMessage *> newestPerName(const QList<StoredMessage> &messages)
{
    QHash<QString, const StoredMessage *> newest;
    for (const StoredMessage &m : messages) {
        if (m.name.isEmpty() || m.publisher.isEmpty())
            continue; // raw payloads have no name
        const QString key = m.channel + u'\n' + m.publisher + u'\n' + m.name;
        const StoredMessage *&slot = newest[key];
        if (!slot || m.time >= slot->time)
            slot = &m;
    }
    return newest.values();
}

Result<void> upsertLatest(const QSqlDatabase &db, const QList<StoredMessage> &messages)
{
    QSqlQuery q(db);
    if (!q.prepare(u"INSERT INTO latest_values (channel, publisher, name, subtopic, protocol, unit, value, string_value, "
                   "bool_value, data_value, sum, time, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                   "ON CONFLICT (channel, publisher, name) DO UPDATE SET subtopic = excluded.subtopic, "
                   "protocol = excluded.protocol, unit = excluded.unit, value = excluded.value, "
                   "string_value = excluded.string_value, bool_value = excluded.bool_value, "
                   "data_value = excluded.data_value, sum = excluded.sum, time = excluded.time, "
                   "created = excluded.created WHERE excluded.time >= latest_values.time"_s))
        return sqlFailure(q.lastError(), u"prepare latest value"_s);
    for (const StoredMessage *m : newestPerName(messages)) {
        for (const QVariant &v : QVariantList{m->channel, m->publisher, m->name, text(m->subtopic), text(m->protocol),
                                              text(m->unit), optional(m->value, QMetaType::fromType<double>()),
                                              optional(m->stringValue, QMetaType::fromType<QString>()),
                                              optional(m->boolValue, QMetaType::fromType<bool>()),
                                              optional(m->dataValue, QMetaType::fromType<QString>()),
                                              optional(m->sum, QMetaType::fromType<double>()), m->time, m->createdNs})
            q.addBindValue(v);
        if (!q.exec())
            return sqlFailure(q.lastError(), u"store latest value"_s);
    }
    return {};
}

QString insertStatement()
{
    return u"INSERT INTO messages (%1) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
           "ON CONFLICT (source_seq, source_idx, created) DO NOTHING"_s.arg(messageColumns);
}

void bindMessage(QSqlQuery &q, const StoredMessage &m)
{
    q.addBindValue(m.channel);
    q.addBindValue(text(m.subtopic));
    q.addBindValue(text(m.publisher));
    q.addBindValue(text(m.protocol));
    q.addBindValue(text(m.name));
    q.addBindValue(text(m.unit));
    q.addBindValue(optional(m.value, QMetaType::fromType<double>()));
    q.addBindValue(optional(m.stringValue, QMetaType::fromType<QString>()));
    q.addBindValue(optional(m.boolValue, QMetaType::fromType<bool>()));
    q.addBindValue(optional(m.dataValue, QMetaType::fromType<QString>()));
    q.addBindValue(optional(m.sum, QMetaType::fromType<double>()));
    q.addBindValue(m.time);
    q.addBindValue(m.updateTime);
    q.addBindValue(text(m.contentType));
    q.addBindValue(m.payload.isNull() ? QVariant(QMetaType::fromType<QByteArray>()) : QVariant(m.payload));
    q.addBindValue(m.createdNs);
    q.addBindValue(qint64(m.sourceSequence));
    q.addBindValue(m.sourceIndex);
}

} // namespace

void readRecordColumns(const QSqlQuery &q, StoredMessage &m)
{
    m.channel = q.value(0).toString();
    m.subtopic = q.value(1).toString();
    m.publisher = q.value(2).toString();
    m.protocol = q.value(3).toString();
    m.name = q.value(4).toString();
    m.unit = q.value(5).toString();
    if (!q.isNull(6))
        m.value = q.value(6).toDouble();
    if (!q.isNull(7))
        m.stringValue = q.value(7).toString();
    if (!q.isNull(8))
        m.boolValue = q.value(8).toBool();
    if (!q.isNull(9))
        m.dataValue = q.value(9).toString();
    if (!q.isNull(10))
        m.sum = q.value(10).toDouble();
    m.time = q.value(11).toDouble();
}

Result<qint64> SqlMessageRepository::insert(const QList<StoredMessage> &messages)
{
    if (messages.isEmpty())
        return 0;
    QSqlDatabase db = m_db.connection();
    Transaction tx(db);
    qint64 stored = 0;
    if (m_db.dialect() == Dialect::Postgres) {
        auto copied = copyMessages(db, messageColumns, messages);
        if (!copied)
            return copied;
        stored = *copied;
    } else {
        // One prepared statement per record: QSQLITE's cost per statement grows with the square of its parameters
        // (it looks each one up by position, sqlite3_bind_parameter_name), so multi-row INSERTs were slower here:
        // 32 rows per statement stored 6–10k records/s against 48–51k for this (bench_messagerepository).
        QSqlQuery q(db);
        if (!q.prepare(insertStatement()))
            return sqlFailure(q.lastError(), u"prepare insert message"_s);
        for (const StoredMessage &m : messages) {
            bindMessage(q, m);
            if (!q.exec())
                return sqlFailure(q.lastError(), u"insert message"_s);
            stored += std::max(0, q.numRowsAffected());
        }
    }
    // A redelivered batch changes nothing here either: the same time does not replace a newer value.
    if (auto latest = upsertLatest(db, messages); !latest)
        return std::unexpected(latest.error());
    if (auto committed = tx.commit(); !committed)
        return std::unexpected(committed.error());
    return stored;
}

Result<Page<StoredMessage>> SqlMessageRepository::query(const QString &channelId, const MessageQuery &query)
{
    QString where = u" WHERE channel = ?"_s;
    QVariantList binds{channelId};
    if (query.from) {
        where += u" AND time >= ?"_s;
        binds.append(*query.from);
    }
    if (query.to) {
        where += u" AND time <= ?"_s;
        binds.append(*query.to);
    }
    for (const auto &[column, value] : {std::pair{u"name"_s, query.name}, std::pair{u"publisher"_s, query.publisher},
                                        std::pair{u"subtopic"_s, query.subtopic},
                                        std::pair{u"protocol"_s, query.protocol}}) {
        if (!value.isEmpty()) {
            where += u" AND "_s + column + u" = ?"_s;
            binds.append(value);
        }
    }
    auto total = runQuery(m_db.connection(), u"SELECT COUNT(*) FROM messages"_s + where, binds, u"count messages"_s);
    if (!total)
        return std::unexpected(total.error());
    Page<StoredMessage> page{{}, total->next() ? total->value(0).toLongLong() : 0, query.offset, query.limit};
    binds << query.limit << query.offset;
    auto q = runQuery(m_db.connection(),
                      u"SELECT "_s + messageColumns + u" FROM messages"_s + where +
                          u" ORDER BY time DESC, id DESC LIMIT ? OFFSET ?"_s,
                      binds, u"read messages"_s);
    if (!q)
        return std::unexpected(q.error());
    while (q->next())
        page.items.append(messageFrom(*q));
    return page;
}

} // namespace mf::storage
