#include "thingsmodel.h"

#include "client/restclient.h"

#include <QDateTime>
#include <QFont>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace mf::ui {

QString maskedSecret(const QString &secret)
{
    if (secret.isEmpty()) return {};
    return QString(8, QChar(0x2022)) + secret.right(4);
}

QString formatTimestamp(qint64 msecs)
{
    if (msecs <= 0) return {};
    return QLocale().toString(QDateTime::fromMSecsSinceEpoch(msecs), QLocale::ShortFormat);
}

ThingsModel::ThingsModel(QObject *parent) : PagedTableModel(parent) {}

int ThingsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ThingsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ThingsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const Thing &thing = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case NameColumn:
            return thing.name;
        case TypeColumn:
            return thing.type == "app"_L1 ? tr("app") : tr("device");
        case IdColumn:
            return thing.id;
        case KeyColumn:
            return m_revealed.contains(thing.id) ? thing.key : maskedSecret(thing.key);
        case CreatedColumn:
            return formatTimestamp(thing.createdAt);
        case UpdatedColumn:
            return formatTimestamp(thing.updatedAt);
        case ColumnCount:
            break;
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == KeyColumn) return tr("Thing key; reveal or copy it from the details pane");
        if (index.column() == IdColumn) return thing.id;
        return {};
    case Qt::FontRole:
        if (index.column() == IdColumn || index.column() == KeyColumn) {
            QFont mono(u"monospace"_s);
            mono.setStyleHint(QFont::TypeWriter);
            return mono;
        }
        return {};
    case IdRole:
        return thing.id;
    case EntityRole:
        return QVariant::fromValue(thing);
    case KeyRole:
        return thing.key;
    default:
        return {};
    }
}

QVariant ThingsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (Column(section)) {
    case NameColumn:
        return tr("Name");
    case TypeColumn:
        return tr("Type");
    case IdColumn:
        return tr("ID");
    case KeyColumn:
        return tr("Key");
    case CreatedColumn:
        return tr("Created");
    case UpdatedColumn:
        return tr("Updated");
    case ColumnCount:
        break;
    }
    return {};
}

int ThingsModel::rowOf(const QString &id) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows.at(i).id == id) return i;
    return -1;
}

void ThingsModel::setKeyRevealed(const QString &id, bool revealed)
{
    if (revealed)
        m_revealed.insert(id);
    else
        m_revealed.remove(id);
    const int row = rowOf(id);
    if (row >= 0) Q_EMIT dataChanged(index(row, KeyColumn), index(row, KeyColumn), {Qt::DisplayRole});
}

void ThingsModel::replaceThing(const Thing &thing)
{
    const int row = rowOf(thing.id);
    if (row < 0) return;
    m_rows[row] = thing;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void ThingsModel::removeIds(const QStringList &ids)
{
    for (const QString &id : ids) {
        const int row = rowOf(id);
        if (row < 0) continue;
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        endRemoveRows();
    }
}

void ThingsModel::requestPage(const PageQuery &query, quint64 generation)
{
    client()->things(query).then(
        this, [this, generation](const Result<Page<Thing>> &page) { acceptPage(generation, page, m_rows); });
}

void ThingsModel::clearRows()
{
    m_rows.clear();
}

QString ThingsModel::sortKey(int column) const
{
    if (column == NameColumn) return u"name"_s;
    if (column == CreatedColumn) return u"created"_s;
    return {};
}

} // namespace mf::ui
