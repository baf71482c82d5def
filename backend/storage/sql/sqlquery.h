#pragma once

#include "core/entities.h"
#include "core/error.h"
#include "storage/database.h"

#include <QSqlQuery>
#include <QVariantList>

namespace mf::storage {

// Prepares and runs one statement with positional binds; the error names `what` in the log only.
Result<QSqlQuery> runQuery(const QSqlDatabase &db, const QString &sql, const QVariantList &binds, const QString &what);

// "ORDER BY ... LIMIT ? OFFSET ?" and the LIKE pattern for a PageQuery; column names are whitelisted here.
QString orderAndPage(const PageQuery &query, const QString &tableAlias);
QString likePattern(const QString &needle); // '%needle%' with LIKE wildcards escaped by '!'

// Metadata is TEXT in SQLite and JSONB in PostgreSQL; both read back as JSON text.
QString metadataText(const QJsonObject &metadata);
QJsonObject metadataFrom(const QVariant &value);
// Null QStrings bind as SQL NULL; names and other NOT NULL text columns store "" instead.
inline QString text(const QString &value)
{
    return value.isNull() ? QStringLiteral("") : value;
}

} // namespace mf::storage
