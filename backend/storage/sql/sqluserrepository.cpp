#include "sqlquery.h"
#include "storage/sqlerror.h"
#include "sqlrepositories.h"

using namespace Qt::StringLiterals;

namespace mf::storage {

namespace {

const QString userColumns = u"id, email, password_hash, admin, enabled, token_version, created_at"_s;

User userFrom(const QSqlQuery &q)
{
    return User{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(), q.value(3).toBool(),
                q.value(4).toBool(),   q.value(5).toLongLong(), q.value(6).toLongLong()};
}

} // namespace

Result<void> SqlUserRepository::insert(const User &u)
{
    auto q = runQuery(m_db.connection(),
                      u"INSERT INTO users (%1) VALUES (?, ?, ?, ?, ?, ?, ?)"_s.arg(userColumns),
                      {u.id, u.email.toLower(), u.passwordHash, u.admin, u.enabled, u.tokenVersion, u.createdAt},
                      u"insert user"_s);
    if (!q)
        return std::unexpected(q.error());
    return {};
}

Result<User> SqlUserRepository::one(const QString &where, const QString &value)
{
    auto q = runQuery(m_db.connection(), u"SELECT %1 FROM users WHERE %2 = ?"_s.arg(userColumns, where), {value},
                      u"read user"_s);
    if (!q)
        return std::unexpected(q.error());
    if (!q->next())
        return fail(ErrorCode::NotFound, u"user not found"_s);
    return userFrom(*q);
}

Result<User> SqlUserRepository::byId(const QString &id)
{
    return one(u"id"_s, id);
}

Result<User> SqlUserRepository::byEmail(const QString &email)
{
    return one(u"email"_s, email.toLower());
}

Result<Page<User>> SqlUserRepository::list(const PageQuery &query)
{
    QString where;
    QVariantList binds;
    if (!query.name.isEmpty()) {
        where = u" WHERE email LIKE ? ESCAPE '!'"_s;
        binds.append(likePattern(query.name));
    }
    auto total = runQuery(m_db.connection(), u"SELECT COUNT(*) FROM users u"_s + where, binds, u"count users"_s);
    if (!total)
        return std::unexpected(total.error());
    Page<User> page{{}, total->next() ? total->value(0).toLongLong() : 0, query.offset, query.limit};
    PageQuery byEmail = query;
    if (byEmail.order == "name"_L1)
        byEmail.order = u"created"_s; // users have no name; keep creation order
    binds << query.limit << query.offset;
    auto q = runQuery(m_db.connection(), u"SELECT %1 FROM users u"_s.arg(userColumns) + where + orderAndPage(byEmail, u"u"_s),
                      binds, u"list users"_s);
    if (!q)
        return std::unexpected(q.error());
    while (q->next())
        page.items.append(userFrom(*q));
    return page;
}

Result<qint64> SqlUserRepository::count()
{
    auto q = runQuery(m_db.connection(), u"SELECT COUNT(*) FROM users"_s, {}, u"count users"_s);
    if (!q)
        return std::unexpected(q.error());
    return q->next() ? q->value(0).toLongLong() : 0;
}

Result<void> SqlUserRepository::update(const User &u)
{
    auto q = runQuery(m_db.connection(),
                      u"UPDATE users SET password_hash = ?, admin = ?, enabled = ?, token_version = ? WHERE id = ?"_s,
                      {u.passwordHash, u.admin, u.enabled, u.tokenVersion, u.id}, u"update user"_s);
    if (!q)
        return std::unexpected(q.error());
    if (q->numRowsAffected() == 0)
        return fail(ErrorCode::NotFound, u"user not found"_s);
    return {};
}

Result<bool> SqlUserRepository::remove(const QString &id)
{
    auto q = runQuery(m_db.connection(), u"DELETE FROM users WHERE id = ?"_s, {id}, u"delete user"_s);
    if (!q)
        return std::unexpected(q.error());
    return q->numRowsAffected() > 0;
}

} // namespace mf::storage
