#pragma once

#include "client/restclient.h"
#include "core/entities.h"
#include "core/error.h"

#include <QAbstractTableModel>
#include <QPointer>

namespace mf::ui {

// The lazy paging shared by the things, channels and users tables: rows arrive 100 at a time through
// canFetchMore()/fetchMore() (the view asks as it scrolls), the name filter and the sort order are the server's
// (`name=`, `order=name|created`, `dir=asc|desc`), and a reload drops answers of the previous query (generation).
//
// Subclasses own their value rows (EntityTableModel<T> holds them for an entity type) and implement requestPage(),
// clearRows(), sortKey(), rowOf() and removeIds().
class PagedTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    static constexpr int PageSize = 100;
    enum Role { IdRole = Qt::UserRole + 1, EntityRole };

    explicit PagedTableModel(QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(PagedTableModel)

    void setClient(client::RestClient *client);
    client::RestClient *client() const { return m_client; }

    QString filter() const { return m_filter; }
    void setFilter(const QString &filter); // reloads
    QString order() const { return m_order; }
    bool isDescending() const { return m_descending; }
    void setOrder(const QString &order, bool descending); // reloads

    qint64 total() const { return m_total; } // matching rows on the server
    bool isLoading() const { return m_loading; }
    bool hasLoaded() const { return m_loadedOnce; } // at least one page answered since the last reload
    QString errorMessage() const { return m_error; }

    // The loaded row of the entity with this id; -1 when it is not loaded.
    virtual int rowOf(const QString &id) const = 0;
    // Drops the loaded rows of these ids (the server removed them) without a reload.
    virtual void removeIds(const QStringList &ids) = 0;

    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    void sort(int column, Qt::SortOrder order) override;

public Q_SLOTS:
    void reload();

Q_SIGNALS:
    void loadingChanged(bool loading);
    void totalChanged(qint64 total);
    void errorOccurred(const QString &message);

protected:
    // Ask for one page; answer with acceptPage(generation, ...).
    virtual void requestPage(const PageQuery &query, quint64 generation) = 0;
    virtual void clearRows() = 0;
    // The server's sort key for a column ("name", "created"), empty when the column cannot be sorted.
    virtual QString sortKey(int column) const = 0;

    template <typename T>
    void acceptPage(quint64 generation, const Result<Page<T>> &page, QList<T> &rows)
    {
        if (generation != m_generation) return;
        if (!page) {
            m_error = page.error().message;
            setLoading(false);
            Q_EMIT errorOccurred(m_error);
            return;
        }
        m_loadedOnce = true;
        // Still "loading" while rows go in: views (and QAbstractItemModelTester) may ask for more from inside the
        // insertion signals, and must not get the same offset twice.
        m_exhausted = page->items.size() < PageSize || rows.size() + page->items.size() >= page->total;
        if (!page->items.isEmpty()) {
            beginInsertRows({}, int(rows.size()), int(rows.size() + page->items.size() - 1));
            rows.append(page->items);
            endInsertRows();
        }
        const bool totalChangedNow = m_total != page->total;
        m_total = page->total;
        setLoading(false);
        if (totalChangedNow) Q_EMIT totalChanged(m_total);
    }
    quint64 generation() const { return m_generation; }

private:
    void setLoading(bool loading);

    QPointer<client::RestClient> m_client;
    QString m_filter;
    QString m_order = QStringLiteral("created");
    bool m_descending = false;
    qint64 m_total = 0;
    bool m_loading = false;
    bool m_exhausted = true;
    bool m_loadedOnce = false;
    QString m_error;
    quint64 m_generation = 0;
};

} // namespace mf::ui
