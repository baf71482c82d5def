#include "usersmodel.h"

#include "client/restclient.h"
#include "thingsmodel.h"

using namespace Qt::StringLiterals;

namespace mf::ui {

UsersModel::UsersModel(QObject *parent) : PagedTableModel(parent) {}

int UsersModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int UsersModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant UsersModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const User &user = m_rows.at(index.row());
    if (role == IdRole) return user.id;
    if (role != Qt::DisplayRole) return {};
    switch (Column(index.column())) {
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

void UsersModel::replaceUser(const User &user)
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).id != user.id) continue;
        m_rows[row] = user;
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }
}

void UsersModel::removeIds(const QStringList &ids)
{
    for (const QString &id : ids) {
        for (int row = 0; row < m_rows.size(); ++row) {
            if (m_rows.at(row).id != id) continue;
            beginRemoveRows({}, row, row);
            m_rows.removeAt(row);
            endRemoveRows();
            break;
        }
    }
}

void UsersModel::requestPage(const PageQuery &query, quint64 generation)
{
    client()->users(query).then(
        this, [this, generation](const Result<Page<User>> &page) { acceptPage(generation, page, m_rows); });
}

void UsersModel::clearRows()
{
    m_rows.clear();
}

QString UsersModel::sortKey(int column) const
{
    if (column == EmailColumn) return u"name"_s;
    if (column == CreatedColumn) return u"created"_s;
    return {};
}

} // namespace mf::ui
