#include "livemessagesmodel.h"

#include <QColor>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QSet>

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace mf::ui {

namespace {
QString valueText(const QVariant &value)
{
    // Ten significant digits fit the column (70.1 stays 70.1); exports keep every digit (valueAsPublished).
    if (value.typeId() == QMetaType::Double) return QLocale().toString(value.toDouble(), 'g', 10);
    if (value.typeId() == QMetaType::Bool) return value.toBool() ? u"true"_s : u"false"_s;
    return value.toString();
}

// 64 bits of the identity: 20,000 held records collide with a chance of about 1e-11, for a tenth of the memory of
// the strings.
size_t heldKey(const client::LiveRecord &r)
{
    return qHash(recordIdentity(r), size_t(0x9e3779b97f4a7c15ULL));
}

// SenML times are seconds as doubles: every view of one rounds them to the same millisecond.
qint64 msecsOf(double seconds)
{
    return qint64(std::llround(seconds * 1000));
}

QString isoTime(double seconds)
{
    return QDateTime::fromMSecsSinceEpoch(msecsOf(seconds), Qt::UTC).toString(Qt::ISODateWithMs);
}
} // namespace

QString valueAsPublished(const QVariant &value)
{
    if (value.typeId() == QMetaType::Double) return QString::number(value.toDouble(), 'g', QLocale::FloatingPointShortest);
    if (value.typeId() == QMetaType::Bool) return value.toBool() ? u"true"_s : u"false"_s;
    return value.toString();
}

QString recordIdentity(const client::LiveRecord &r)
{
    const QChar sep(0x1f);
    return r.channel + sep + r.publisher + sep + r.protocol + sep + r.subtopic + sep + r.name + sep + r.unit + sep +
           QString::number(r.time, 'g', QLocale::FloatingPointShortest) + sep + QString::number(r.value.typeId()) +
           sep + valueAsPublished(r.value) + sep + r.refusal;
}

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
    if (role == PublisherIdRole) return r.publisher;
    if (!r.refusal.isEmpty()) {
        // A refused message: a red row that says why, whatever the column.
        if (role == Qt::ForegroundRole) return QColor(0xc6, 0x28, 0x28);
        if (role == Qt::ToolTipRole)
            return tr("Refused by the backend: %1\nPayload: %2").arg(r.refusal, valueAsPublished(r.value));
        if (role == Qt::DisplayRole && index.column() == NameColumn) return tr("refused: %1").arg(r.refusal);
    }
    if (role == Qt::ToolTipRole && index.column() == PublisherColumn)
        return r.publisher.isEmpty() ? QVariant() : tr("Thing %1").arg(r.publisher);
    if (role == Qt::TextAlignmentRole && index.column() == ValueColumn)
        return r.isNumeric() ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    if (role != Qt::DisplayRole) return {};
    switch (Column(index.column())) {
    case TimeColumn:
        return QLocale().toString(QDateTime::fromMSecsSinceEpoch(msecsOf(r.time)).time(), u"HH:mm:ss.zzz"_s);
    case PublisherColumn:
        return m_publisherNames.value(r.publisher, r.publisher);
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
        const size_t id = heldKey(r);
        if (m_held.contains(id)) continue; // already shown or queued: history over the stream, a poll repeated
        m_held.insert(id);
        m_pending.push_back(r);
        if (m_pending.size() > size_t(m_capacity)) {
            forget(m_pending.front());
            m_pending.pop_front();
            ++m_dropped;
        }
    }
}

void LiveMessagesModel::forget(const client::LiveRecord &record)
{
    m_held.remove(heldKey(record));
}

void LiveMessagesModel::setPaused(bool paused)
{
    m_paused = paused;
    if (!paused) flush();
}

void LiveMessagesModel::setCapacity(int capacity)
{
    m_capacity = std::max(1, capacity);
    while (m_pending.size() > size_t(m_capacity)) {
        forget(m_pending.front());
        m_pending.pop_front();
        ++m_dropped;
    }
    if (m_rows.size() <= size_t(m_capacity)) return;
    beginRemoveRows({}, m_capacity, int(m_rows.size()) - 1);
    for (auto it = m_rows.begin() + m_capacity; it != m_rows.end(); ++it)
        forget(*it);
    m_trimmed += qint64(m_rows.size()) - m_capacity;
    m_rows.erase(m_rows.begin() + m_capacity, m_rows.end());
    endRemoveRows();
}

void LiveMessagesModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_pending.clear();
    m_held.clear();
    m_dropped = m_trimmed = 0;
    endResetModel();
}

void LiveMessagesModel::setPublisherNames(const QHash<QString, QString> &names)
{
    m_publisherNames = names;
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, PublisherColumn), index(rowCount() - 1, PublisherColumn));
}

void LiveMessagesModel::flush()
{
    if (m_paused || m_pending.empty()) return;
    QList<client::LiveRecord> batch(m_pending.begin(), m_pending.end());
    m_pending.clear();
    const int incoming = int(batch.size());
    // Live records come newer than the top row; history (or a device's late clock) does not, and is merged.
    bool inOrder = true;
    double last = m_rows.empty() ? -std::numeric_limits<double>::infinity() : m_rows.front().time;
    for (const client::LiveRecord &r : std::as_const(batch)) {
        if (r.time < last) {
            inOrder = false;
            break;
        }
        last = r.time;
    }
    if (!inOrder) {
        beginResetModel();
        std::vector<client::LiveRecord> all(batch.crbegin(), batch.crend()); // newest first, ties: latest arrival on top
        all.insert(all.end(), m_rows.begin(), m_rows.end());
        std::stable_sort(all.begin(), all.end(),
                         [](const client::LiveRecord &a, const client::LiveRecord &b) { return a.time > b.time; });
        while (all.size() > size_t(m_capacity)) {
            forget(all.back());
            all.pop_back();
            ++m_trimmed;
        }
        m_rows.assign(all.begin(), all.end());
        endResetModel();
    } else if (incoming >= m_capacity) {
        beginResetModel();
        for (const client::LiveRecord &r : m_rows)
            forget(r);
        m_trimmed += qint64(m_rows.size());
        m_rows.clear();
        for (int i = incoming - 1; i >= 0; --i) {
            if (i >= incoming - m_capacity) {
                m_rows.push_back(batch.at(i));
            } else {
                forget(batch.at(i));
                ++m_dropped;
            }
        }
        endResetModel();
    } else {
        const int overflow = int(m_rows.size()) + incoming - m_capacity;
        if (overflow > 0) {
            beginRemoveRows({}, int(m_rows.size()) - overflow, int(m_rows.size()) - 1);
            for (auto it = m_rows.end() - overflow; it != m_rows.end(); ++it)
                forget(*it);
            m_trimmed += overflow;
            m_rows.erase(m_rows.end() - overflow, m_rows.end());
            endRemoveRows();
        }
        beginInsertRows({}, 0, incoming - 1);
        for (const client::LiveRecord &r : std::as_const(batch))
            m_rows.push_front(r);
        endInsertRows();
    }
    Q_EMIT batchApplied(batch);
    QSet<QString> unknown;
    for (const client::LiveRecord &r : std::as_const(batch))
        if (!r.publisher.isEmpty() && !m_publisherNames.contains(r.publisher)) unknown.insert(r.publisher);
    for (const QString &id : std::as_const(unknown))
        Q_EMIT unknownPublisher(id);
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

QByteArray recordsToCsv(const QList<client::LiveRecord> &records, const QHash<QString, QString> &names)
{
    auto quote = [](const QString &field) -> QString {
        if (!field.contains(u',') && !field.contains(u'"') && !field.contains(u'\n') && !field.contains(u'\r'))
            return field;
        QString quoted = field;
        quoted.replace(u"\""_s, u"\"\""_s);
        return u'"' + quoted + u'"';
    };
    QString out = u"time,channel,publisher,publisher_name,protocol,subtopic,name,value,unit\r\n"_s;
    for (const client::LiveRecord &r : records) {
        const QStringList fields{isoTime(r.time), r.channel, r.publisher, names.value(r.publisher), r.protocol,
                                 r.subtopic,      r.name,    valueAsPublished(r.value), r.unit};
        QStringList quoted;
        for (const QString &f : fields)
            quoted.append(quote(f));
        out += quoted.join(u',') + u"\r\n"_s;
    }
    return out.toUtf8();
}

QByteArray recordsToJson(const QList<client::LiveRecord> &records, const QHash<QString, QString> &names)
{
    QJsonArray out;
    for (const client::LiveRecord &r : records) {
        QJsonObject o{{u"time"_s, isoTime(r.time)},       {u"channel"_s, r.channel},
                      {u"publisher"_s, r.publisher},      {u"publisher_name"_s, names.value(r.publisher)},
                      {u"protocol"_s, r.protocol},        {u"subtopic"_s, r.subtopic},
                      {u"name"_s, r.name},                {u"unit"_s, r.unit}};
        o.insert(u"value"_s, QJsonValue::fromVariant(r.value));
        out.append(o);
    }
    return QJsonDocument(out).toJson(QJsonDocument::Indented);
}

} // namespace mf::ui
