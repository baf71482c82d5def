#include "sqlerror.h"

#include "storagelog.h"

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcStorage, "mainflux.storage")

namespace mf::storage {

bool isUniqueViolation(const QSqlError &error)
{
    const QString code = error.nativeErrorCode();
    // SQLite extended codes 2067 (UNIQUE) and 1555 (PRIMARY KEY); PostgreSQL SQLSTATE 23505.
    return code == "2067"_L1 || code == "1555"_L1 || code == "23505"_L1;
}

bool isUnavailable(const QSqlError &error)
{
    const QString code = error.nativeErrorCode();
    // SQLite: BUSY, LOCKED, IOERR, FULL, CANTOPEN (and their extended codes, which keep the low byte).
    bool numeric = false;
    const int sqlite = code.toInt(&numeric);
    if (numeric)
        return QList<int>{5, 6, 10, 13, 14}.contains(sqlite & 0xff);
    // PostgreSQL: connection exceptions (class 08), shutdowns (57P0x); an empty code is a lost connection.
    if (code.isEmpty())
        return error.type() == QSqlError::ConnectionError;
    return code.startsWith("08"_L1) || code.startsWith("57P0"_L1);
}

std::unexpected<Error> sqlFailure(const QSqlError &error, const QString &what)
{
    if (isUniqueViolation(error))
        return fail(ErrorCode::Conflict, u"already exists"_s);
    if (isUnavailable(error)) {
        qCWarning(lcStorage) << "database unavailable during" << what << ":" << error.text();
        return fail(ErrorCode::Unavailable, u"database unavailable"_s);
    }
    qCWarning(lcStorage) << "database error during" << what << ":" << error.text();
    return fail(ErrorCode::Internal, u"database error"_s);
}

} // namespace mf::storage
