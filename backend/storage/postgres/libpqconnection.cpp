#include "libpqconnection.h"

#include <QSqlDriver>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace mf::storage {

PGconn *libpqConnection(const QSqlDatabase &db)
{
    if (!db.isOpen()) return nullptr;
    const QVariant handle = db.driver()->handle();
    if (qstrcmp(handle.typeName(), "pg_conn*") != 0 &&
        qstrcmp(handle.typeName(), "PGconn*") != 0) // QPSQL 6.4: pg_conn*
        return nullptr;
    return *static_cast<PGconn *const *>(handle.constData());
}

QSqlError libpqError(PGconn *conn, const PGresult *result)
{
    const char *state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    const QString message = QString::fromUtf8(result ? PQresultErrorMessage(result) : PQerrorMessage(conn)).trimmed();
    const auto type = PQstatus(conn) == CONNECTION_BAD ? QSqlError::ConnectionError : QSqlError::StatementError;
    return QSqlError(u"libpq"_s, message, type, state ? QString::fromLatin1(state) : QString());
}

} // namespace mf::storage
