#include "usersservice.h"

#include "jwt.h"
#include "passwords.h"

#include "core/ids.h"

#include <QLoggingCategory>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcUsers, "mainflux.users")

namespace mf::users {

bool isValidEmail(const QString &email)
{
    static const QRegularExpression pattern(u"^[^@\\s\"(),:;<>\\[\\]\\\\]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}"
                                            "[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+$"_s);
    return email.size() <= 254 && pattern.match(email).hasMatch();
}

UsersService::UsersService(storage::UserRepository &users, UsersConfig config, QObject *parent)
    : QObject(parent), m_users(users), m_config(std::move(config))
{
}

Result<User> UsersService::registerUser(const QString &email, const QString &password, const User *caller)
{
    if (!isValidEmail(email))
        return fail(ErrorCode::Malformed, u"email: not a valid e-mail address"_s);
    if (auto rules = checkPasswordRules(password); !rules)
        return std::unexpected(rules.error());
    auto count = m_users.count();
    if (!count)
        return std::unexpected(count.error());
    const bool first = *count == 0;
    const bool byAdmin = caller && caller->admin;
    if (!first && !byAdmin && !m_config.allowSignup)
        return fail(ErrorCode::Forbidden, u"sign-up is disabled; ask an administrator for an account"_s);
    auto hash = hashPassword(password);
    if (!hash)
        return std::unexpected(hash.error());
    User user{newId(), email.toLower(), *hash, false, true, 0, nowMs()};
    user.admin = first || (!m_config.adminEmail.isEmpty() && user.email == m_config.adminEmail.toLower());
    if (auto inserted = m_users.insert(user); !inserted) {
        if (inserted.error().code == ErrorCode::Conflict)
            return fail(ErrorCode::Conflict, u"email: already registered"_s);
        return std::unexpected(inserted.error());
    }
    qCInfo(lcUsers) << "registered user" << user.id << (user.admin ? "(administrator)" : "");
    return user;
}

Result<QString> UsersService::issueToken(const QString &email, const QString &password)
{
    auto user = m_users.byEmail(email);
    if (!user && user.error().code != ErrorCode::NotFound)
        return std::unexpected(user.error());
    // Verify even for unknown users so the answer takes the same time either way.
    const bool ok = verifyPassword(password, user ? user->passwordHash : QString());
    if (!user || !ok)
        return fail(ErrorCode::Unauthenticated, u"wrong e-mail or password"_s);
    if (!user->enabled)
        return fail(ErrorCode::Forbidden, u"this account is disabled"_s);
    const qint64 now = nowMs() / 1000;
    const TokenClaims claims{user->id, user->email, now, now + m_config.tokenTtlSeconds, user->tokenVersion};
    return QString::fromLatin1(signToken(claims, m_config.jwtSecret));
}

Result<User> UsersService::identify(const QString &token)
{
    if (token.isEmpty())
        return fail(ErrorCode::Unauthenticated, u"missing token"_s);
    auto claims = verifyToken(token.toLatin1(), m_config.jwtSecret, nowMs() / 1000);
    if (!claims)
        return std::unexpected(claims.error());
    auto user = m_users.byId(claims->subject);
    if (!user) {
        if (user.error().code == ErrorCode::NotFound)
            return fail(ErrorCode::Unauthenticated, u"invalid token"_s);
        return std::unexpected(user.error());
    }
    if (!user->enabled)
        return fail(ErrorCode::Unauthenticated, u"this account is disabled"_s);
    if (user->tokenVersion != claims->version)
        return fail(ErrorCode::Unauthenticated, u"token revoked; sign in again"_s);
    return user;
}

Result<void> UsersService::changePassword(const User &user, const QString &oldPassword, const QString &newPassword)
{
    if (!verifyPassword(oldPassword, user.passwordHash))
        return fail(ErrorCode::Forbidden, u"old_password: does not match"_s);
    if (auto rules = checkPasswordRules(newPassword); !rules)
        return std::unexpected(rules.error());
    auto hash = hashPassword(newPassword);
    if (!hash)
        return std::unexpected(hash.error());
    User updated = user;
    updated.passwordHash = *hash;
    ++updated.tokenVersion; // other sessions sign in again
    return m_users.update(updated);
}

Result<void> UsersService::requireAdmin(const User &caller, const QString &targetId, bool allowSelf) const
{
    if (!caller.admin)
        return fail(ErrorCode::Forbidden, u"only an administrator may do this"_s);
    if (!allowSelf && caller.id == targetId)
        return fail(ErrorCode::Forbidden, u"administrators cannot disable or delete their own account"_s);
    return {};
}

Result<Page<User>> UsersService::listUsers(const User &caller, const PageQuery &query)
{
    if (auto ok = requireAdmin(caller, {}, true); !ok)
        return std::unexpected(ok.error());
    return m_users.list(query);
}

Result<User> UsersService::viewUser(const User &caller, const QString &id)
{
    if (caller.id == id)
        return caller;
    if (auto ok = requireAdmin(caller, id, true); !ok)
        return std::unexpected(ok.error());
    return m_users.byId(id);
}

Result<User> UsersService::setEnabled(const User &caller, const QString &id, bool enabled)
{
    if (auto ok = requireAdmin(caller, id, false); !ok)
        return std::unexpected(ok.error());
    auto user = m_users.byId(id);
    if (!user)
        return user;
    if (user->enabled != enabled) {
        user->enabled = enabled;
        ++user->tokenVersion; // a disabled user's tokens stop working at once, and stay dead after re-enabling
        if (auto updated = m_users.update(*user); !updated)
            return std::unexpected(updated.error());
        qCInfo(lcUsers) << "user" << id << (enabled ? "enabled" : "disabled") << "by" << caller.id;
    }
    return user;
}

Result<void> UsersService::removeUser(const User &caller, const QString &id)
{
    if (auto ok = requireAdmin(caller, id, false); !ok)
        return ok;
    auto removed = m_users.remove(id);
    if (!removed)
        return std::unexpected(removed.error());
    if (!*removed)
        return fail(ErrorCode::NotFound, u"user not found"_s);
    qCInfo(lcUsers) << "user" << id << "deleted by" << caller.id;
    Q_EMIT userRemoved(id);
    return {};
}

Result<void> UsersService::resetPassword(const User &caller, const QString &id, const QString &newPassword)
{
    if (auto ok = requireAdmin(caller, id, true); !ok)
        return ok;
    if (auto rules = checkPasswordRules(newPassword); !rules)
        return rules;
    auto user = m_users.byId(id);
    if (!user)
        return std::unexpected(user.error());
    auto hash = hashPassword(newPassword);
    if (!hash)
        return std::unexpected(hash.error());
    user->passwordHash = *hash;
    ++user->tokenVersion;
    return m_users.update(*user);
}

} // namespace mf::users
