#include "livemessagesmodel.h"

#include <QDateTime>
#include <QLocale>
#include <QSet>

using namespace Qt::StringLiterals;

namespace mf::ui {

namespace {
QString valueText(const QVariant &value)
{
    if (value.typeId() == QMetaType::Double) return QLocale().toString(value.toDouble(), 'g', 10);
    if (value.typeId() == QMetaType::Bool) return value.toBool() ? u"true"_s : u"false"_s;
    return value.toString();
}
} // namespace

LiveMessagesModel::LiveMessagesModel(int capacity, QObject *parent)
    : QAbstractTableModel(parent), m_capacity(std::max(1, capacity))
{
    m_timer.setInterval(250);
    connect(&m_timer, &QTimer::timeout, this, &LiveMessagesModel::flush);
    m_timer.start();
}

int LiveMessagesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int LiveMessagesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LiveMessagesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const client::LiveRecord &r = m_rows.at(size_t(index.row()));
    if (role == RecordRole) return QVariant::fromValue(r);
    if (role == TimeRole) return r.time;
    if (role == Qt::TextAlignmentRole && index.column() == ValueColumn)
        return r.isNumeric() ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    if (role != Qt::DisplayRole) return {};
    switch (Column(index.column())) {
    case TimeColumn:
        return QLocale().toString(QDateTime::fromMSecsSinceEpoch(qint64(r.time * 1000)).time(), u"HH:mm:ss.zzz"_s);
    case PublisherColumn:
        return r.publisher;
    case ProtocolColumn:
        return r.protocol;
    case SubtopicColumn:
        return r.subtopic;
    case NameColumn:
        return r.name;
    case ValueColumn:
        return valueText(r.value);
    case UnitColumn:
        return r.unit;
    case ColumnCount:
        break;
    }
    return {};
}

QVariant LiveMessagesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (Column(section)) {
    case TimeColumn:
        return tr("Time");
    case PublisherColumn:
        return tr("Publisher");
    case ProtocolColumn:
        return tr("Protocol");
    case SubtopicColumn:
        return tr("Subtopic");
    case NameColumn:
        return tr("Name");
    case ValueColumn:
        return tr("Value");
    case UnitColumn:
        return tr("Unit");
    case ColumnCount:
        break;
    }
    return {};
}

void LiveMessagesModel::append(const QList<client::LiveRecord> &records)
{
    m_received += records.size();
    for (const client::LiveRecord &r : records) {
        m_pending.push_back(r);
        if (m_pending.size() > size_t(m_capacity)) m_pending.pop_front();
    }
}

void LiveMessagesModel::setPaused(bool paused)
{
    m_paused = paused;
    if (!paused) flush();
}

void LiveMessagesModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_pending.clear();
    endResetModel();
}

void LiveMessagesModel::flush()
{
    if (m_paused || m_pending.empty()) return;
    QList<client::LiveRecord> batch(m_pending.begin(), m_pending.end());
    m_pending.clear();
    const int incoming = int(batch.size());
    if (incoming >= m_capacity) {
        beginResetModel();
        m_rows.clear();
        for (int i = incoming - 1; i >= incoming - m_capacity; --i)
            m_rows.push_back(batch.at(i));
        endResetModel();
    } else {
        const int overflow = int(m_rows.size()) + incoming - m_capacity;
        if (overflow > 0) {
            beginRemoveRows({}, int(m_rows.size()) - overflow, int(m_rows.size()) - 1);
            m_rows.erase(m_rows.end() - overflow, m_rows.end());
            endRemoveRows();
        }
        beginInsertRows({}, 0, incoming - 1);
        for (const client::LiveRecord &r : std::as_const(batch))
            m_rows.push_front(r);
        endInsertRows();
    }
    Q_EMIT batchApplied(batch);
}

QStringList LiveMessagesModel::names() const
{
    QSet<QString> seen;
    QStringList out;
    for (const client::LiveRecord &r : m_rows)
        if (!r.name.isEmpty() && !seen.contains(r.name)) {
            seen.insert(r.name);
            out.append(r.name);
        }
    out.sort();
    return out;
}

QList<client::LiveRecord> LiveMessagesModel::records() const
{
    return QList<client::LiveRecord>(m_rows.begin(), m_rows.end());
}

QByteArray recordsToCsv(const QList<client::LiveRecord> &records)
{
    auto quote = [](const QString &field) -> QString {
        if (!field.contains(u',') && !field.contains(u'"') && !field.contains(u'\n')) return field;
        QString quoted = field;
        quoted.replace(u"\""_s, u"\"\""_s);
        return u'"' + quoted + u'"';
    };
    QString out = u"time,channel,publisher,protocol,subtopic,name,value,unit\r\n"_s;
    for (const client::LiveRecord &r : records) {
        const QString value = r.value.typeId() == QMetaType::Double ? QString::number(r.value.toDouble(), 'g', 17)
                              : r.value.typeId() == QMetaType::Bool ? (r.value.toBool() ? u"true"_s : u"false"_s)
                                                                    : r.value.toString();
        const QStringList fields{
            QDateTime::fromMSecsSinceEpoch(qint64(r.time * 1000), Qt::UTC).toString(Qt::ISODateWithMs),
            r.channel,
            r.publisher,
            r.protocol,
            r.subtopic,
            r.name,
            value,
            r.unit};
        QStringList quoted;
        for (const QString &f : fields)
            quoted.append(quote(f));
        out += quoted.join(u',') + u"\r\n"_s;
    }
    return out.toUtf8();
}

} // namespace mf::ui
