#include "pagedtablemodel.h"

#include "client/restclient.h"

namespace mf::ui {

PagedTableModel::PagedTableModel(QObject *parent) : QAbstractTableModel(parent) {}

void PagedTableModel::setClient(client::RestClient *client)
{
    m_client = client;
    reload();
}

void PagedTableModel::setFilter(const QString &filter)
{
    if (filter == m_filter) return;
    m_filter = filter;
    reload();
}

void PagedTableModel::setOrder(const QString &order, bool descending)
{
    if (order == m_order && descending == m_descending) return;
    m_order = order;
    m_descending = descending;
    reload();
}

void PagedTableModel::sort(int column, Qt::SortOrder order)
{
    const QString key = sortKey(column);
    if (!key.isEmpty()) setOrder(key, order == Qt::DescendingOrder);
}

void PagedTableModel::reload()
{
    beginResetModel();
    clearRows();
    ++m_generation;
    m_exhausted = m_client.isNull();
    m_loadedOnce = false;
    m_error.clear();
    m_loading = false;
    endResetModel();
    if (m_total != 0) {
        m_total = 0;
        Q_EMIT totalChanged(0);
    }
    if (m_client) fetchMore({});
}

bool PagedTableModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_client && !m_loading && !m_exhausted && m_error.isEmpty();
}

void PagedTableModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent)) return;
    PageQuery query;
    query.offset = rowCount({});
    query.limit = PageSize;
    query.name = m_filter;
    query.order = m_order;
    query.descending = m_descending;
    setLoading(true);
    requestPage(query, m_generation);
}

void PagedTableModel::setLoading(bool loading)
{
    if (m_loading == loading) return;
    m_loading = loading;
    Q_EMIT loadingChanged(loading);
}

} // namespace mf::ui
