#include "subtopictreemodel.h"

#include "livemessagesmodel.h"

#include <QLocale>
#include <QRegularExpression>
#include <QSet>

using namespace Qt::StringLiterals;

namespace mf::ui {

struct SubtopicTreeModel::Node
{
    QString segment;
    QString path; // segments joined by '.'
    Node *parent = nullptr;
    std::vector<std::unique_ptr<Node>> children; // in order of first appearance
    qint64 count = 0;
    QString last; // the last record at exactly this path
    int row() const
    {
        if (!parent) return 0;
        for (size_t i = 0; i < parent->children.size(); ++i)
            if (parent->children[i].get() == this) return int(i);
        return 0;
    }
};

QStringList subtopicSegments(const QString &subtopic)
{
    static const QRegularExpression separators(u"[./]"_s);
    return subtopic.split(separators, Qt::SkipEmptyParts);
}

SubtopicTreeModel::SubtopicTreeModel(QObject *parent) : QAbstractItemModel(parent), m_root(std::make_unique<Node>())
{
    auto channel = std::make_unique<Node>();
    channel->parent = m_root.get();
    m_root->children.push_back(std::move(channel));
}

SubtopicTreeModel::~SubtopicTreeModel() = default;

SubtopicTreeModel::Node *SubtopicTreeModel::nodeOf(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : m_root.get();
}

QModelIndex SubtopicTreeModel::indexOfNode(const Node *node, int column) const
{
    if (!node || node == m_root.get()) return {};
    return createIndex(node->row(), column, const_cast<Node *>(node));
}

QModelIndex SubtopicTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    const Node *p = nodeOf(parent);
    if (row < 0 || column < 0 || column >= ColumnCount || size_t(row) >= p->children.size()) return {};
    return createIndex(row, column, p->children[size_t(row)].get());
}

QModelIndex SubtopicTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid()) return {};
    return indexOfNode(nodeOf(child)->parent);
}

int SubtopicTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0) return 0;
    return int(nodeOf(parent)->children.size());
}

int SubtopicTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant SubtopicTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
    const Node *node = nodeOf(index);
    const bool channelRow = node->parent == m_root.get();
    if (role == PathRole) return node->path;
    if (role == Qt::ToolTipRole && !channelRow) return tr("Subtopic %1").arg(node->path);
    if (role == Qt::TextAlignmentRole && index.column() == CountColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole) return {};
    switch (Column(index.column())) {
    case SubtopicColumn:
        return channelRow ? tr("All subtopics") : node->segment;
    case CountColumn:
        return QLocale().toString(node->count);
    case LastValueColumn:
        return node->last;
    case ColumnCount:
        break;
    }
    return {};
}

QVariant SubtopicTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (Column(section)) {
    case SubtopicColumn:
        return tr("Subtopic");
    case CountColumn:
        return tr("Records");
    case LastValueColumn:
        return tr("Last");
    case ColumnCount:
        break;
    }
    return {};
}

SubtopicTreeModel::Node *SubtopicTreeModel::child(Node *parent, const QString &segment)
{
    for (const auto &c : parent->children)
        if (c->segment == segment) return c.get();
    const int row = int(parent->children.size());
    beginInsertRows(indexOfNode(parent), row, row);
    auto node = std::make_unique<Node>();
    node->segment = segment;
    node->path = parent->path.isEmpty() ? segment : parent->path + u'.' + segment;
    node->parent = parent;
    parent->children.push_back(std::move(node));
    endInsertRows();
    return parent->children.back().get();
}

void SubtopicTreeModel::add(const QList<client::LiveRecord> &records)
{
    if (records.isEmpty()) return;
    QSet<Node *> changed;
    Node *channel = m_root->children.front().get();
    for (const client::LiveRecord &r : records) {
        Node *node = m_bySubtopic.value(r.subtopic);
        if (!node) {
            node = channel;
            for (const QString &segment : subtopicSegments(r.subtopic))
                node = child(node, segment);
            m_bySubtopic.insert(r.subtopic, node);
        }
        for (Node *up = node; up != m_root.get(); up = up->parent) {
            ++up->count;
            changed.insert(up);
        }
        const QString value = valueAsPublished(r.value);
        node->last = r.name.isEmpty() ? value : u"%1 = %2 %3"_s.arg(r.name, value, r.unit).trimmed();
    }
    for (Node *node : std::as_const(changed))
        Q_EMIT dataChanged(indexOfNode(node, CountColumn), indexOfNode(node, LastValueColumn));
}

void SubtopicTreeModel::clear()
{
    beginResetModel();
    Node *channel = m_root->children.front().get();
    channel->children.clear();
    m_bySubtopic.clear();
    channel->count = 0;
    channel->last.clear();
    endResetModel();
}

QModelIndex SubtopicTreeModel::indexOf(const QString &path) const
{
    Node *node = m_root->children.front().get();
    for (const QString &segment : subtopicSegments(path)) {
        Node *next = nullptr;
        for (const auto &c : node->children)
            if (c->segment == segment) next = c.get();
        if (!next) return {};
        node = next;
    }
    return indexOfNode(node);
}

qint64 SubtopicTreeModel::count(const QString &path) const
{
    const QModelIndex at = indexOf(path);
    return at.isValid() ? nodeOf(at)->count : 0;
}

} // namespace mf::ui
