#include "usersmodel.h"

#include "client/restclient.h"
#include "thingsmodel.h"

using namespace Qt::StringLiterals;

namespace mf::ui {

UsersModel::UsersModel(QObject *parent) : EntityTableModel(ColumnCount, parent) {}

QVariant UsersModel::entityData(const User &user, int column, int role) const
{
    if (role != Qt::DisplayRole) return {};
    switch (Column(column)) {
    case EmailColumn:
        return user.email;
    case RoleColumn:
        return user.admin ? tr("Administrator") : tr("User");
    case StatusColumn:
        return user.enabled ? tr("Enabled") : tr("Disabled");
    case CreatedColumn:
        return formatTimestamp(user.createdAt);
    case IdColumn:
        return user.id;
    case ColumnCount:
        break;
    }
    return {};
}

QVariant UsersModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (Column(section)) {
    case EmailColumn:
        return tr("E-mail");
    case RoleColumn:
        return tr("Role");
    case StatusColumn:
        return tr("Status");
    case CreatedColumn:
        return tr("Created");
    case IdColumn:
        return tr("ID");
    case ColumnCount:
        break;
    }
    return {};
}

client::Pending<Page<User>> UsersModel::fetchPage(const PageQuery &query)
{
    return client()->users(query);
}

QString UsersModel::sortKey(int column) const
{
    if (column == EmailColumn) return u"name"_s;
    if (column == CreatedColumn) return u"created"_s;
    return {};
}

} // namespace mf::ui
