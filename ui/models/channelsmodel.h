#pragma once

#include "pagedtablemodel.h"

namespace mf::ui {

// Channels of the signed-in user, loaded lazily (PagedTableModel).
class ChannelsModel final : public PagedTableModel
{
    Q_OBJECT

public:
    enum Column { NameColumn, IdColumn, MetadataColumn, CreatedColumn, UpdatedColumn, ColumnCount };

    explicit ChannelsModel(QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ChannelsModel)

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    Channel channelAt(int row) const { return m_rows.value(row); }
    int rowOf(const QString &id) const;
    void replaceChannel(const Channel &channel);
    void removeIds(const QStringList &ids);

protected:
    void requestPage(const PageQuery &query, quint64 generation) override;
    void clearRows() override;
    QString sortKey(int column) const override;

private:
    QList<Channel> m_rows;
};

} // namespace mf::ui
