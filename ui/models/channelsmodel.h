#pragma once

#include "entitytablemodel.h"

namespace mf::ui {

// Channels of the signed-in user, loaded lazily (EntityTableModel).
class ChannelsModel final : public EntityTableModel<Channel>
{
    Q_OBJECT

public:
    enum Column { NameColumn, IdColumn, MetadataColumn, CreatedColumn, UpdatedColumn, ColumnCount };

    explicit ChannelsModel(QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ChannelsModel)

    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    Channel channelAt(int row) const { return at(row); }
    // A local update after a successful request, so the table does not reload.
    void replaceChannel(const Channel &channel) { replace(channel); }

protected:
    client::Pending<Page<Channel>> fetchPage(const PageQuery &query) override;
    QVariant entityData(const Channel &channel, int column, int role) const override;
    QString sortKey(int column) const override;
};

} // namespace mf::ui
