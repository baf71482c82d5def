#include "livefiltermodel.h"

#include "livemessagesmodel.h"

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
    return acceptsName(name) &&
           acceptsPublisher(publisher.data(LiveMessagesModel::PublisherIdRole).toString(), publisher.data().toString());
}

} // namespace mf::ui
