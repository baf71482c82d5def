#pragma once

#include "client/liverecord.h"

#include <QAbstractItemModel>
#include <QHash>
#include <memory>
#include <vector>

namespace mf::ui {

// The subtopics seen on a channel as a tree (like MQTT Explorer's topic tree): one top row for the whole channel,
// below it one node per subtopic segment ("room1.boiler" is room1 → boiler; '.' and '/' both separate). Each node
// counts the records seen at it or below and shows the last record that arrived exactly there (name, value, unit).
// Fed by the live table's batches (add()); counts are of what the view received, not of what the store holds.
// Selecting a node filters the live table and chart to its subtopic and everything below (LiveFilterModel).
class SubtopicTreeModel final : public QAbstractItemModel
{
    Q_OBJECT

public:
    enum Column { SubtopicColumn, CountColumn, LastValueColumn, ColumnCount };
    enum Role { PathRole = Qt::UserRole + 1 }; // "room1.boiler"; empty for the channel row

    explicit SubtopicTreeModel(QObject *parent = nullptr);
    ~SubtopicTreeModel() override;
    Q_DISABLE_COPY_MOVE(SubtopicTreeModel)

    // The index of a path ("room1.boiler" or "room1/boiler"; empty: the channel row); invalid when not seen.
    QModelIndex indexOf(const QString &path) const;
    qint64 count(const QString &path) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

public Q_SLOTS:
    void add(const QList<mf::client::LiveRecord> &records);
    void clear();

private:
    struct Node;
    Node *nodeOf(const QModelIndex &index) const;
    QModelIndex indexOfNode(const Node *node, int column = 0) const;
    Node *child(Node *parent, const QString &segment);

    std::unique_ptr<Node> m_root; // invisible; its one child is the channel row
    QHash<QString, Node *> m_bySubtopic; // a record's subtopic as received → its node (no splitting per record)
};

// The segments of a subtopic: "room1.boiler", "room1/boiler" → {room1, boiler}; empty segments dropped.
QStringList subtopicSegments(const QString &subtopic);

} // namespace mf::ui
