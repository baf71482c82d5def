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

std::unexpected<Error> sqlFailure(const QSqlError &error, const QString &what)
{
    if (isUniqueViolation(error))
        return fail(ErrorCode::Conflict, u"already exists"_s);
    if (error.type() == QSqlError::ConnectionError) {
        qCWarning(lcStorage) << "database unavailable during" << what << ":" << error.text();
        return fail(ErrorCode::Unavailable, u"database unavailable"_s);
    }
    qCWarning(lcStorage) << "database error during" << what << ":" << error.text();
    return fail(ErrorCode::Internal, u"database error"_s);
}

} // namespace mf::storage
