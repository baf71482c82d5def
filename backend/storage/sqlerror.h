#pragma once

#include "core/error.h"

#include <QSqlError>

namespace mf::storage {

// Maps a Qt SQL error to our error values: unique violations become Conflict, a lost connection Unavailable,
// everything else Internal (logged with `what`; the SQL text never reaches a client).
std::unexpected<Error> sqlFailure(const QSqlError &error, const QString &what);
bool isUniqueViolation(const QSqlError &error);
bool isUnavailable(const QSqlError &error);

} // namespace mf::storage
