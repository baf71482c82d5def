#include "storage/database.h"
#include "storage/sqlerror.h"

#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace mf::storage {

// SQLite: WAL for concurrent readers, foreign keys for cascades, a busy timeout so a second connection
// (the message writer's thread) waits instead of failing.
Result<std::unique_ptr<Database>> openSqlite(const QString &path, const QString &connectionName)
{
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connectionName);
        db.setDatabaseName(path);
        db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s);
        if (!db.open()) {
            const QString reason = db.lastError().text();
            db = QSqlDatabase();
            QSqlDatabase::removeDatabase(connectionName);
            return fail(ErrorCode::Unavailable, u"cannot open SQLite database %1: %2"_s.arg(path, reason));
        }
        QSqlQuery query(db);
        for (const QString &pragma : {u"PRAGMA journal_mode=WAL"_s, u"PRAGMA foreign_keys=ON"_s,
                                      u"PRAGMA synchronous=NORMAL"_s}) {
            if (!query.exec(pragma)) {
                const QString reason = query.lastError().text();
                query = QSqlQuery();
                db = QSqlDatabase();
                QSqlDatabase::removeDatabase(connectionName);
                return fail(ErrorCode::Unavailable, u"cannot configure SQLite database %1: %2"_s.arg(path, reason));
            }
        }
    }
    return std::unique_ptr<Database>(new Database(Dialect::Sqlite, connectionName,
                                                  u"sqlite "_s + QFileInfo(path).absoluteFilePath()));
}

} // namespace mf::storage
