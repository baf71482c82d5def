#include "livefiltermodel.h"

#include "livemessagesmodel.h"
#include "subtopictreemodel.h"

namespace mf::ui {

LiveFilterModel::LiveFilterModel(QObject *parent) : QSortFilterProxyModel(parent)
{
}

void LiveFilterModel::setNameFilter(const QString &text)
{
    if (text.trimmed() == m_name)
        return;
    m_name = text.trimmed();
    invalidateFilter();
}

void LiveFilterModel::setPublisherFilter(const QString &text)
{
    if (text.trimmed() == m_publisher)
        return;
    m_publisher = text.trimmed();
    invalidateFilter();
}

void LiveFilterModel::setSubtopicFilter(const QString &path)
{
    const QStringList segments = subtopicSegments(path);
    if (segments == m_subtopic) return;
    m_subtopic = segments;
    invalidateFilter();
}

bool LiveFilterModel::acceptsSubtopic(const QString &subtopic) const
{
    if (m_subtopic.isEmpty()) return true;
    const QStringList segments = subtopicSegments(subtopic);
    return segments.size() >= m_subtopic.size() && segments.mid(0, m_subtopic.size()) == m_subtopic;
}

bool LiveFilterModel::acceptsName(const QString &name) const
{
    return m_name.isEmpty() || name.contains(m_name, Qt::CaseInsensitive);
}

bool LiveFilterModel::acceptsPublisher(const QString &id, const QString &name) const
{
    return m_publisher.isEmpty() || name.contains(m_publisher, Qt::CaseInsensitive) ||
           id.contains(m_publisher, Qt::CaseInsensitive);
}

bool LiveFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QAbstractItemModel *source = sourceModel();
    const QString name = source->index(sourceRow, LiveMessagesModel::NameColumn, sourceParent).data().toString();
    const QModelIndex publisher = source->index(sourceRow, LiveMessagesModel::PublisherColumn, sourceParent);
    const QString subtopic =
        source->index(sourceRow, LiveMessagesModel::SubtopicColumn, sourceParent).data().toString();
    return acceptsName(name) && acceptsSubtopic(subtopic) &&
           acceptsPublisher(publisher.data(LiveMessagesModel::PublisherIdRole).toString(), publisher.data().toString());
}

} // namespace mf::ui
