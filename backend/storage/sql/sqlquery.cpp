#include "sqlquery.h"

#include "storage/sqlerror.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace mf::storage {

Result<QSqlQuery> runQuery(const QSqlDatabase &db, const QString &sql, const QVariantList &binds, const QString &what)
{
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
    const QString column = query.order == "name"_L1 ? alias + u".name"_s : alias + u".created_at"_s;
    const QString dir = query.descending ? u" DESC"_s : u" ASC"_s;
    return u" ORDER BY "_s + column + dir + u", "_s + alias + u".id"_s + dir + u" LIMIT ? OFFSET ?"_s;
}

QString likePattern(const QString &needle)
{
    QString escaped = needle.toLower();
    escaped.replace(u'!', u"!!"_s).replace(u'%', u"!%"_s).replace(u'_', u"!_"_s);
    return u'%' + escaped + u'%';
}

QString metadataText(const QJsonObject &metadata)
{
    return QString::fromUtf8(QJsonDocument(metadata).toJson(QJsonDocument::Compact));
}

QJsonObject metadataFrom(const QVariant &value)
{
    return QJsonDocument::fromJson(value.toString().toUtf8()).object();
}

} // namespace mf::storage
