#include "channelsmodel.h"

#include "client/restclient.h"
#include "thingsmodel.h"

using namespace Qt::StringLiterals;

namespace mf::ui {

ChannelsModel::ChannelsModel(QObject *parent) : EntityTableModel(ColumnCount, parent) {}

QVariant ChannelsModel::entityData(const Channel &channel, int column, int role) const
{
    if (role != Qt::DisplayRole) return {};
    switch (Column(column)) {
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

client::Pending<Page<Channel>> ChannelsModel::fetchPage(const PageQuery &query)
{
    return client()->channels(query);
}

QString ChannelsModel::sortKey(int column) const
{
    if (column == NameColumn) return u"name"_s;
    if (column == CreatedColumn) return u"created"_s;
    return {};
}

} // namespace mf::ui
