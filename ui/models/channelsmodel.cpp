#include "channelsmodel.h"

#include "client/restclient.h"
#include "thingsmodel.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace mf::ui {

ChannelsModel::ChannelsModel(QObject *parent) : PagedTableModel(parent) {}

int ChannelsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ChannelsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ChannelsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const Channel &channel = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case NameColumn:
            return channel.name;
        case IdColumn:
            return channel.id;
        case MetadataColumn:
            return channel.metadata.display();
        case CreatedColumn:
            return formatTimestamp(channel.createdAt);
        case UpdatedColumn:
            return formatTimestamp(channel.updatedAt);
        case ColumnCount:
            break;
        }
        return {};
    case IdRole:
        return channel.id;
    case EntityRole:
        return QVariant::fromValue(channel);
    default:
        return {};
    }
}

QVariant ChannelsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (Column(section)) {
    case NameColumn:
        return tr("Name");
    case IdColumn:
        return tr("ID");
    case MetadataColumn:
        return tr("Metadata");
    case CreatedColumn:
        return tr("Created");
    case UpdatedColumn:
        return tr("Updated");
    case ColumnCount:
        break;
    }
    return {};
}

int ChannelsModel::rowOf(const QString &id) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows.at(i).id == id) return i;
    return -1;
}

void ChannelsModel::replaceChannel(const Channel &channel)
{
    const int row = rowOf(channel.id);
    if (row < 0) return;
    m_rows[row] = channel;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void ChannelsModel::removeIds(const QStringList &ids)
{
    for (const QString &id : ids) {
        const int row = rowOf(id);
        if (row < 0) continue;
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        endRemoveRows();
    }
}

void ChannelsModel::requestPage(const PageQuery &query, quint64 generation)
{
    client()->channels(query).then(
        this, [this, generation](const Result<Page<Channel>> &page) { acceptPage(generation, page, m_rows); });
}

void ChannelsModel::clearRows()
{
    m_rows.clear();
}

QString ChannelsModel::sortKey(int column) const
{
    if (column == NameColumn) return u"name"_s;
    if (column == CreatedColumn) return u"created"_s;
    return {};
}

} // namespace mf::ui
