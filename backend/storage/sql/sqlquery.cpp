#include "sqlquery.h"

#include "storage/postgres/postgresquery.h"
#include "storage/sqlerror.h"
#include "storage/writegate.h"

#include <QJsonDocument>
#include <optional>

using namespace Qt::StringLiterals;

namespace mf::storage {

Result<QSqlQuery> runQuery(const QSqlDatabase &db, const QString &sql, const QVariantList &binds, const QString &what)
{
    if (db.driverName() == "QPSQL"_L1)
        return runPostgresQuery(db, sql, binds, what); // one round trip instead of QPSQL's three
    std::optional<WriteTurn> turn; // SQLite writers take turns (writegate.h)
    if (isWriteStatement(sql)) turn.emplace(db);
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!query.prepare(sql))
        return sqlFailure(query.lastError(), what);
    for (const QVariant &bind : binds)
        query.addBindValue(bind);
    if (!query.exec())
        return sqlFailure(query.lastError(), what);
    return query;
}

QString orderAndPage(const PageQuery &query, const QString &alias)
{
    // last_seen: things only, whose lists join thing_status as `s` (sqlthingrepository.cpp); never heard from sorts
    // as the oldest.
    const QString column = query.order == "name"_L1        ? alias + u".name"_s
                           : query.order == "last_seen"_L1 ? u"COALESCE(s.last_seen, 0)"_s
                                                           : alias + u".created_at"_s;
    const QString dir = query.descending ? u" DESC"_s : u" ASC"_s;
    return u" ORDER BY "_s + column + dir + u", "_s + alias + u".id"_s + dir + u" LIMIT ? OFFSET ?"_s;
}

QString likePattern(const QString &needle)
{
    QString escaped = needle.toLower();
    escaped.replace(u'!', u"!!"_s).replace(u'%', u"!%"_s).replace(u'_', u"!_"_s);
    return u'%' + escaped + u'%';
}

void appendNameFilter(const QSqlDatabase &db, const QString &alias, const QString &nameIndex, const QString &needle,
                      QString &from, QString &where, QVariantList &binds)
{
    if (db.driverName() == "QSQLITE"_L1 && needle.toUcs4().size() >= 3) {
        // CROSS JOIN makes SQLite start from the index's hits: left to choose, it walked the owner's index and tested
        // every row against the hits (33 ms on 100,000 things instead of 1 ms).
        QString phrase = needle;
        phrase.replace(u'"', u"\"\""_s); // an FTS5 string: the whole filter as one phrase, quotes doubled
        from = u"(SELECT rowid AS name_hit FROM %1 WHERE %1 MATCH ?) f CROSS JOIN "_s.arg(nameIndex) + from;
        binds.prepend(QString(u'"' + phrase + u'"'));
        where += u" AND %1.rowid = f.name_hit"_s.arg(alias);
    }
    where += u" AND LOWER(%1.name) LIKE ? ESCAPE '!'"_s.arg(alias);
    binds.append(likePattern(needle));
}

QString metadataText(const Metadata &metadata)
{
    return metadata.storedText();
}

Metadata metadataFrom(const QVariant &value)
{
    return Metadata::fromStored(value.toString());
}

} // namespace mf::storage
