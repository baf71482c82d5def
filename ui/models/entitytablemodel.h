#pragma once

#include "client/pending.h"
#include "pagedtablemodel.h"

#include <QVariant>

namespace mf::ui {

// The row store of a paged table of one entity type (Thing, Channel, User), written once: value rows with an `id`,
// asked for a page at a time through fetchPage(), found by id, replaced or removed in place after a request succeeded
// (so the table does not reload), and the IdRole/EntityRole every page reads. What a column shows, its header and
// which columns the server sorts by stay in the subclass (entityData(), headerData(), sortKey()).
//
// A template cannot carry Q_OBJECT: the signals are PagedTableModel's, and each subclass declares Q_OBJECT as before.
template <typename T>
class EntityTableModel : public PagedTableModel
{
public:
    explicit EntityTableModel(int columnCount, QObject *parent = nullptr)
        : PagedTableModel(parent), m_columnCount(columnCount)
    {}

    int rowCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : int(m_rows.size()); }
    int columnCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : m_columnCount; }

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const final
    {
        if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
        const T &entity = m_rows.at(index.row());
        if (role == IdRole) return entity.id;
        if (role == EntityRole) return QVariant::fromValue(entity);
        return entityData(entity, index.column(), role);
    }

    T at(int row) const { return m_rows.value(row); }

    int rowOf(const QString &id) const final
    {
        for (int i = 0; i < m_rows.size(); ++i)
            if (m_rows.at(i).id == id) return i;
        return -1;
    }

    // The saved entity replaces the loaded row of the same id (a row not loaded is left alone).
    void replace(const T &entity)
    {
        const int row = rowOf(entity.id);
        if (row < 0) return;
        m_rows[row] = entity;
        Q_EMIT dataChanged(index(row, 0), index(row, m_columnCount - 1));
    }

    void removeIds(const QStringList &ids) final
    {
        for (const QString &id : ids) {
            const int row = rowOf(id);
            if (row < 0) continue;
            beginRemoveRows({}, row, row);
            m_rows.removeAt(row);
            endRemoveRows();
        }
    }

protected:
    // One page of the server's list for `query` (offset, limit, name filter, order).
    virtual client::Pending<Page<T>> fetchPage(const PageQuery &query) = 0;
    // What `column` shows of `entity` for `role` (every role but IdRole and EntityRole).
    virtual QVariant entityData(const T &entity, int column, int role) const = 0;

    // For in-place updates of loaded rows (a thing's status); the subclass emits dataChanged.
    QList<T> &rows() { return m_rows; }
    const QList<T> &rows() const { return m_rows; }

    void requestPage(const PageQuery &query, quint64 generation) final
    {
        fetchPage(query).then(
            this, [this, generation](const Result<Page<T>> &page) { acceptPage(generation, page, m_rows); });
    }
    void clearRows() final { m_rows.clear(); }

private:
    QList<T> m_rows;
    const int m_columnCount;
};

} // namespace mf::ui
