#include "thingsmodel.h"

#include "client/restclient.h"

#include <QDateTime>
#include <QFont>
#include <QIcon>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>
#include <QPainter>
#include <QPixmap>

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

QString formatAgo(qint64 msecs, qint64 nowMsecs)
{
    if (msecs <= 0) return ThingsModel::tr("never");
    const qint64 s = std::max<qint64>(0, (nowMsecs - msecs) / 1000);
    if (s < 10) return ThingsModel::tr("just now");
    if (s < 60) return ThingsModel::tr("%n s ago", nullptr, int(s));
    if (s < 3600) return ThingsModel::tr("%n min ago", nullptr, int(s / 60));
    if (s < 86400) return ThingsModel::tr("%n h ago", nullptr, int(s / 3600));
    return ThingsModel::tr("%n days ago", nullptr, int(s / 86400));
}

namespace {

QIcon dot(const QColor &color)
{
    QPixmap pixmap(12, 12);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    painter.drawEllipse(1, 1, 10, 10);
    return QIcon(pixmap);
}

// The status dot: green for online, grey for offline (drawn, so no icon theme is needed).
QIcon statusDot(bool online)
{
    static const QIcon onlineDot = dot(QColor(0x2e, 0x9d, 0x44)), offlineDot = dot(QColor(0x9e, 0x9e, 0x9e));
    return online ? onlineDot : offlineDot;
}

} // namespace

ThingsModel::ThingsModel(QObject *parent) : EntityTableModel(ColumnCount, parent) {}

void ThingsModel::setStatusFilter(const QString &status)
{
    if (status == m_statusFilter) return;
    m_statusFilter = status;
    reload();
}

void ThingsModel::refreshStatuses()
{
    if (!client() || rows().isEmpty() || isLoading()) return;
    PageQuery query;
    query.limit = std::min<qint64>(rows().size(), PageSize);
    query.order = order();
    query.descending = isDescending();
    query.name = filter();
    query.status = m_statusFilter;
    client()->things(query).then(this, [this](const Result<Page<Thing>> &page) {
        if (!page) return; // the next refresh or reload says more
        for (const Thing &fresh : page->items) {
            const int row = rowOf(fresh.id);
            if (row < 0 || rows()[row].status == fresh.status) continue;
            rows()[row].status = fresh.status;
            Q_EMIT dataChanged(index(row, StatusColumn), index(row, LastSeenColumn));
        }
    });
}

QStringList ThingsModel::applyStatusChanges(const QJsonArray &changes)
{
    QStringList changed;
    for (const QJsonValue &value : changes) {
        const QJsonObject change = value.toObject();
        const int row = rowOf(change.value("thing"_L1).toString());
        if (row < 0) continue;
        ThingStatus &status = rows()[row].status;
        status.online = change.value("online"_L1).toBool();
        status.lastSeen = change.value("last_seen"_L1).toInteger(status.lastSeen);
        status.lastProtocol = change.value("last_protocol"_L1).toString(status.lastProtocol);
        if (!status.online) status.connectedSince = 0;
        changed.append(rows()[row].id);
        Q_EMIT dataChanged(index(row, StatusColumn), index(row, LastSeenColumn));
    }
    if (!changed.isEmpty() && !m_statusFilter.isEmpty()) reload(); // an online row in "offline", or the reverse
    return changed;
}

void ThingsModel::refreshAges()
{
    if (!rows().isEmpty())
        Q_EMIT dataChanged(index(0, LastSeenColumn), index(int(rows().size()) - 1, LastSeenColumn), {Qt::DisplayRole});
}

QVariant ThingsModel::entityData(const Thing &thing, int column, int role) const
{
    switch (role) {
    case Qt::DisplayRole:
        switch (Column(column)) {
        case NameColumn:
            return thing.name;
        case StatusColumn:
            return thing.status.online ? tr("Online") : tr("Offline");
        case LastSeenColumn:
            return formatAgo(thing.status.lastSeen, QDateTime::currentMSecsSinceEpoch());
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
    case Qt::DecorationRole:
        return column == StatusColumn ? QVariant(statusDot(thing.status.online)) : QVariant();
    case Qt::ToolTipRole:
        if (column == LastSeenColumn && thing.status.lastSeen > 0)
            return tr("%1 over %2").arg(formatTimestamp(thing.status.lastSeen), thing.status.lastProtocol);
        if (column == StatusColumn && thing.status.connectedSince > 0)
            return tr("Connected over MQTT since %1").arg(formatTimestamp(thing.status.connectedSince));
        if (column == KeyColumn) return tr("Thing key; reveal or copy it from the details pane");
        if (column == IdColumn) return thing.id;
        return {};
    case Qt::FontRole:
        if (column == IdColumn || column == KeyColumn) {
            QFont mono(u"monospace"_s);
            mono.setStyleHint(QFont::TypeWriter);
            return mono;
        }
        return {};
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
    case StatusColumn:
        return tr("Status");
    case LastSeenColumn:
        return tr("Last seen");
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

void ThingsModel::setKeyRevealed(const QString &id, bool revealed)
{
    if (revealed)
        m_revealed.insert(id);
    else
        m_revealed.remove(id);
    const int row = rowOf(id);
    if (row >= 0) Q_EMIT dataChanged(index(row, KeyColumn), index(row, KeyColumn), {Qt::DisplayRole});
}

client::Pending<Page<Thing>> ThingsModel::fetchPage(const PageQuery &pageQuery)
{
    PageQuery query = pageQuery;
    query.status = m_statusFilter;
    return client()->things(query);
}

QString ThingsModel::sortKey(int column) const
{
    if (column == NameColumn) return u"name"_s;
    if (column == CreatedColumn) return u"created"_s;
    if (column == LastSeenColumn) return u"last_seen"_s;
    return {};
}

} // namespace mf::ui
