#pragma once

#include "storage/database.h"

#include <QSqlRecord>

#include <QSqlQuery>
#include <QStringList>

namespace mf::testing {

// Every row of every table as text, read through a second connection: two equal snapshots mean a request
// changed nothing stored.
inline QString databaseSnapshot(const QString &dbUrl, const QString &dataDir)
{
    auto db = storage::Database::open(dbUrl, dataDir);
    if (!db)
        return QStringLiteral("cannot open: ") + db.error().message;
    QStringList rows;
    for (const char *table : {"users", "things", "channels", "connections"}) {
        QSqlQuery q((*db)->connection());
        q.exec(QStringLiteral("SELECT * FROM %1 ORDER BY 1, 2").arg(QLatin1StringView(table)));
        while (q.next()) {
            QStringList cells{QLatin1StringView(table)};
            for (int i = 0; i < q.record().count(); ++i)
                cells.append(q.value(i).toString());
            rows.append(cells.join(u'|'));
        }
    }
    return rows.join(u'\n');
}

} // namespace mf::testing
