#pragma once

#include "client/liverecord.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QSet>
#include <QTimer>
#include <deque>

namespace mf::ui {

// The live view's table: newest record on top (by record time), at most capacity() rows (oldest fall off). Records
// handed to append() wait in a bounded queue and reach the view in one batch per flush interval (250 ms by default),
// so thousands of messages per second cost a few model updates per second. Pausing stops the batches, not the
// intake: on resume the view shows what arrived meanwhile, up to capacity().
//
// A record is held once: append() drops records already held or queued (same identity: channel, publisher, protocol,
// subtopic, name, unit, time, value), so history loaded again over what the stream delivered merges instead of
// repeating. Records older than the top row (history) are merged into time order.
//
// Nothing leaves silently: droppedCount() and trimmedCount() say how many records the bound cost (the live view
// shows both beside its receive rate).
//
// Publishers are shown by thing name once setPublisherNames() knows it (the id is the tooltip and PublisherIdRole).
//
// A refused message (LiveRecord::refusal set) is a red row: "refused: <reason>" as its name, the payload's head as
// its value, the reason on hover.
class LiveMessagesModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        TimeColumn,
        PublisherColumn,
        ProtocolColumn,
        SubtopicColumn,
        NameColumn,
        ValueColumn,
        UnitColumn,
        ColumnCount
    };
    enum Role { RecordRole = Qt::UserRole + 1, TimeRole, PublisherIdRole };

    explicit LiveMessagesModel(int capacity = 10000, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(LiveMessagesModel)

    int capacity() const { return m_capacity; }
    void setFlushInterval(int ms) { m_timer.setInterval(ms); }
    int flushInterval() const { return m_timer.interval(); }
    bool isPaused() const { return m_paused; }
    // Records handed to append() (duplicates included): the view's receive rate is this per second.
    qint64 receivedCount() const { return m_received; }
    // Records that never reached the table: the queue overflowed (paused, or more than capacity() in one interval).
    qint64 droppedCount() const { return m_dropped; }
    // Rows that left the bottom of the full table to make room for newer ones (the reader still has them).
    qint64 trimmedCount() const { return m_trimmed; }
    // A smaller capacity trims the oldest rows at once.
    void setCapacity(int capacity);
    qsizetype pendingCount() const { return qsizetype(m_pending.size()); }
    // Names of publishers and records seen (for the filters of the live view).
    QStringList names() const;
    QList<client::LiveRecord> records() const; // newest first
    // Thing names by id (the publishers); ids not in it are shown as they are.
    void setPublisherNames(const QHash<QString, QString> &names);
    QString publisherName(const QString &id) const { return m_publisherNames.value(id); }
    const QHash<QString, QString> &publisherNames() const { return m_publisherNames; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

public Q_SLOTS:
    void append(const QList<mf::client::LiveRecord> &records); // oldest first
    void setPaused(bool paused);
    void clear();
    void flush(); // applies the queue now (also what the timer calls)

Q_SIGNALS:
    // One batch reached the table (oldest first): the chart follows this.
    void batchApplied(const QList<mf::client::LiveRecord> &records);
    // A publisher id without a known name reached the table.
    void unknownPublisher(const QString &id);

private:
    void forget(const client::LiveRecord &record);

    int m_capacity;
    bool m_paused = false;
    qint64 m_received = 0;
    qint64 m_dropped = 0;
    qint64 m_trimmed = 0;
    std::deque<client::LiveRecord> m_rows;    // newest first
    std::deque<client::LiveRecord> m_pending; // oldest first
    QSet<size_t> m_held; // hashes (64-bit) of the identities of m_rows and m_pending
    QHash<QString, QString> m_publisherNames;
    QTimer m_timer;
};

// What makes two records the same message record (the stream and the reader describe a record alike).
QString recordIdentity(const client::LiveRecord &record);
// A value as published: numbers in the shortest form that reads back to the same double (70.1, not
// 70.099999999999994), booleans as true/false, text as it is.
QString valueAsPublished(const QVariant &value);

// CSV of records (RFC 4180 quoting, header line, ISO times in UTC, values as published); `names` gives the
// publisher_name column beside the publisher id.
QByteArray recordsToCsv(const QList<client::LiveRecord> &records, const QHash<QString, QString> &names = {});
// The same as a JSON array of objects (numbers as JSON numbers, shortest round-trip form).
QByteArray recordsToJson(const QList<client::LiveRecord> &records, const QHash<QString, QString> &names = {});

} // namespace mf::ui
