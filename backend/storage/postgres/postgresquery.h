#pragma once

#include "core/error.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariantList>

namespace mf::storage {

// Runs one statement with positional `?` binds on a QPSQL connection in a single round trip: libpq's PQexecParams
// (an unnamed statement, the values sent as parameters, never spliced into the SQL). QPSQL's prepare() costs three
// round trips per statement (PREPARE, EXECUTE, DEALLOCATE), which made a REST page on PostgreSQL several times
// slower than on SQLite (docs/BENCHMARKS.md). The rows are read whole; the returned query is positioned before the
// first row and reads like one QPSQL gave (value(), isNull(), next(), numRowsAffected()). Failures map through
// sqlFailure() with `what`; a connection the server dropped is closed, so Database::connection() opens it again.
Result<QSqlQuery> runPostgresQuery(const QSqlDatabase &db, const QString &sql, const QVariantList &binds,
                                   const QString &what);

} // namespace mf::storage
