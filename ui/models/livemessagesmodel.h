#pragma once

#include "client/liverecord.h"

#include <QAbstractTableModel>
#include <QTimer>
#include <deque>

namespace mf::ui {

// The live view's table: newest record on top, at most capacity() rows (oldest fall off). Records handed to
// append() wait in a bounded queue and reach the view in one batch per flush interval (250 ms by default), so
// thousands of messages per second cost a few model updates per second. Pausing stops the batches, not the intake:
// on resume the view shows what arrived meanwhile, up to capacity().
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
    enum Role { RecordRole = Qt::UserRole + 1, TimeRole };

    explicit LiveMessagesModel(int capacity = 10000, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(LiveMessagesModel)

    int capacity() const { return m_capacity; }
    void setFlushInterval(int ms) { m_timer.setInterval(ms); }
    int flushInterval() const { return m_timer.interval(); }
    bool isPaused() const { return m_paused; }
    qint64 receivedCount() const { return m_received; }
    qsizetype pendingCount() const { return qsizetype(m_pending.size()); }
    // Names of publishers and records seen (for the filters of the live view).
    QStringList names() const;
    QList<client::LiveRecord> records() const; // newest first

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

private:
    int m_capacity;
    bool m_paused = false;
    qint64 m_received = 0;
    std::deque<client::LiveRecord> m_rows;    // newest first
    std::deque<client::LiveRecord> m_pending; // oldest first
    QTimer m_timer;
};

// CSV of records (RFC 4180 quoting, header line, ISO times in UTC).
QByteArray recordsToCsv(const QList<client::LiveRecord> &records);

} // namespace mf::ui
