#pragma once

#include "core/entities.h"
#include "core/error.h"
#include "storage/database.h"

#include <QSqlQuery>
#include <QVariantList>
#include <optional>

namespace mf::storage {

// Prepares and runs one statement with positional binds; the error names `what` in the log only.
Result<QSqlQuery> runQuery(const QSqlDatabase &db, const QString &sql, const QVariantList &binds, const QString &what);

// "ORDER BY ... LIMIT ? OFFSET ?" and the LIKE pattern for a PageQuery; column names are whitelisted here.
QString orderAndPage(const PageQuery &query, const QString &tableAlias);
QString likePattern(const QString &needle); // '%needle%' with LIKE wildcards escaped by '!'

// The case-insensitive substring filter on `<alias>.name`, added to `from`, `where` and `binds`. PostgreSQL answers
// the LIKE from a pg_trgm index (migration 0006). On SQLite, a filter of three or more characters starts from the rows
// its FTS5 trigram index `nameIndex` finds (a superset: it also folds non-ASCII case) and joins the table to them;
// the LIKE stays the exact check, and shorter filters, which trigrams cannot index, use it alone.
void appendNameFilter(const QSqlDatabase &db, const QString &alias, const QString &nameIndex, const QString &needle,
                      QString &from, QString &where, QVariantList &binds);

// A list whose total is kept rather than counted: all of one owner's things or channels (`table`), counted by the
// triggers of migration 0007 in owner_totals. COUNT(*) walked every index entry of the owner (16 ms of a 17 ms page
// of 100,000 things); the kept total is exact.
struct KeptTotal
{
    QString owner;
    QString table;
};

// One page of owner-scoped rows: `from` and `where` select them, the PageQuery adds the case-insensitive name filter
// on `<alias>.name` (see appendNameFilter; `nameIndex` is the table's FTS5 index on SQLite), the order and the
// window; `total` counts every match, or is read from owner_totals when `kept` says these are all of an owner's rows
// (a name filter counts). `readRow` turns a result row into T.
template <typename T, typename ReadRow>
Result<Page<T>> pagedQuery(const QSqlDatabase &db, const QString &columns, const QString &alias,
                           const QString &nameIndex, QString from, QString where, QVariantList binds,
                           const PageQuery &query, ReadRow readRow, const std::optional<KeptTotal> &kept = {})
{
    if (!query.name.isEmpty())
        appendNameFilter(db, alias, nameIndex, query.name, from, where, binds);
    auto total =
        kept && query.name.isEmpty()
            ? runQuery(db, QStringLiteral("SELECT total FROM owner_totals WHERE owner = ? AND kind = ?"),
                       {kept->owner, kept->table}, QStringLiteral("read the total"))
            : runQuery(db, QStringLiteral("SELECT COUNT(*) FROM ") + from + where, binds, QStringLiteral("count"));
    if (!total) return std::unexpected(total.error());
    Page<T> page{{}, total->next() ? total->value(0).toLongLong() : 0, query.offset, query.limit};
    binds << query.limit << query.offset;
    auto rows = runQuery(
        db, QStringLiteral("SELECT ") + columns + QStringLiteral(" FROM ") + from + where + orderAndPage(query, alias),
        binds, QStringLiteral("list"));
    if (!rows) return std::unexpected(rows.error());
    while (rows->next())
        page.items.append(readRow(*rows));
    return page;
}

// Metadata is TEXT in SQLite and JSONB in PostgreSQL; both read back as JSON text.
QString metadataText(const Metadata &metadata);
Metadata metadataFrom(const QVariant &value);
// Null QStrings bind as SQL NULL; names and other NOT NULL text columns store "" instead.
inline QString text(const QString &value)
{
    return value.isNull() ? QStringLiteral("") : value;
}

} // namespace mf::storage
