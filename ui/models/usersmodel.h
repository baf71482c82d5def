#pragma once

#include "pagedtablemodel.h"

namespace mf::ui {

// Every account, for administrators (GET /users), loaded lazily. The filter matches e-mail addresses.
class UsersModel final : public PagedTableModel
{
    Q_OBJECT

public:
    enum Column { EmailColumn, RoleColumn, StatusColumn, CreatedColumn, IdColumn, ColumnCount };

    explicit UsersModel(QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(UsersModel)

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    User userAt(int row) const { return m_rows.value(row); }
    void replaceUser(const User &user);
    void removeIds(const QStringList &ids);

protected:
    void requestPage(const PageQuery &query, quint64 generation) override;
    void clearRows() override;
    QString sortKey(int column) const override;

private:
    QList<User> m_rows;
};

} // namespace mf::ui
