#pragma once

#include <QSqlDatabase>
#include <QSqlError>
#include <libpq-fe.h>
#include <memory>

namespace mf::storage {

// The libpq connection under a QPSQL connection (QSqlDriver::handle(): `pg_conn*` in Qt 6.4), for the statements
// that QPSQL makes slow (postgrescopy.h, postgresquery.h); null when `db` is not an open QPSQL connection. Owned by
// the driver: valid until the connection closes, on the thread that owns `db`.
PGconn *libpqConnection(const QSqlDatabase &db);

using LibpqResult = std::unique_ptr<PGresult, decltype(&PQclear)>;

// A libpq failure as the QSqlError QPSQL would have given, so sqlFailure() maps it the same way (SQLSTATE 08xxx or
// a lost connection: Unavailable). `result` may be null (the error is then the connection's).
QSqlError libpqError(PGconn *conn, const PGresult *result);

} // namespace mf::storage
