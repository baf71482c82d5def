#include "storage/database.h"

#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace mf::storage {

Result<std::unique_ptr<Database>> openPostgres(const PostgresSettings &settings, const QString &connectionName)
{
    const QString description = u"postgres %1:%2/%3"_s.arg(settings.host).arg(settings.port).arg(settings.database);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, connectionName);
        db.setHostName(settings.host);
        db.setPort(settings.port);
        db.setDatabaseName(settings.database);
        db.setUserName(settings.user);
        db.setPassword(settings.password);
        QString options = u"connect_timeout=5"_s;
        if (!settings.options.isEmpty())
            options += u';' + settings.options;
        db.setConnectOptions(options);
        if (!db.open()) {
            const QString reason = db.lastError().text().trimmed();
            db = QSqlDatabase();
            QSqlDatabase::removeDatabase(connectionName);
            return fail(ErrorCode::Unavailable, u"cannot connect to %1: %2"_s.arg(description, reason));
        }
        QSqlQuery query(db);
        query.exec(u"SET client_min_messages TO WARNING"_s);
    }
    return std::unique_ptr<Database>(new Database(Dialect::Postgres, connectionName, description));
}

} // namespace mf::storage
