#pragma once

#include "entitytablemodel.h"

namespace mf::ui {

// Every account, for administrators (GET /users), loaded lazily. The filter matches e-mail addresses.
class UsersModel final : public EntityTableModel<User>
{
    Q_OBJECT

public:
    enum Column { EmailColumn, RoleColumn, StatusColumn, CreatedColumn, IdColumn, ColumnCount };

    explicit UsersModel(QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(UsersModel)

    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    User userAt(int row) const { return at(row); }
    void replaceUser(const User &user) { replace(user); }

protected:
    client::Pending<Page<User>> fetchPage(const PageQuery &query) override;
    QVariant entityData(const User &user, int column, int role) const override;
    QString sortKey(int column) const override;
};

} // namespace mf::ui
