#include "usersservice.h"

#include "jwt.h"
#include "passwords.h"

#include "core/ids.h"

#include <QLoggingCategory>
#include <QThread>
#include <QRegularExpression>
#include <QtConcurrent/QtConcurrentRun>

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
    m_hashing.setMaxThreadCount(qMax(2, QThread::idealThreadCount()));
}

template <typename T>
void UsersService::offload(std::function<T()> work, std::function<void(T)> then)
{
    QtConcurrent::run(&m_hashing, std::move(work)).then(this, std::move(then));
}

void UsersService::registerUser(const QString &email, const QString &password, const User *caller,
                                Callback<User> done)
{
    if (!isValidEmail(email))
        return done(fail(ErrorCode::Malformed, u"email: not a valid e-mail address"_s));
    if (auto rules = checkPasswordRules(password); !rules)
        return done(std::unexpected(rules.error()));
    auto count = m_users.count();
    if (!count)
        return done(std::unexpected(count.error()));
    const bool first = *count == 0;
    const bool byAdmin = caller && caller->admin;
    if (!first && !byAdmin && !m_config.allowSignup)
        return done(fail(ErrorCode::Forbidden, u"sign-up is disabled; ask an administrator for an account"_s));
    offload<Result<QString>>([password] { return hashPassword(password); },
                             [this, email, first, done](Result<QString> hash) {
                                 if (!hash)
                                     return done(std::unexpected(hash.error()));
                                 User user{newId(), email.toLower(), *hash, false, true, 0, nowMs()};
                                 user.admin = first || (!m_config.adminEmail.isEmpty() &&
                                                        user.email == m_config.adminEmail.toLower());
                                 if (auto inserted = m_users.insert(user); !inserted) {
                                     if (inserted.error().code == ErrorCode::Conflict)
                                         return done(fail(ErrorCode::Conflict, u"email: already registered"_s));
                                     return done(std::unexpected(inserted.error()));
                                 }
                                 qCInfo(lcUsers) << "registered user" << user.id
                                                 << (user.admin ? "(administrator)" : "");
                                 done(user);
                             });
}

void UsersService::issueToken(const QString &email, const QString &password, Callback<QString> done)
{
    auto user = m_users.byEmail(email);
    if (!user && user.error().code != ErrorCode::NotFound)
        return done(std::unexpected(user.error()));
    // Verify even for unknown users so the answer takes the same time either way.
    const QString hash = user ? user->passwordHash : QString();
    offload<bool>([password, hash] { return verifyPassword(password, hash); },
                  [this, user, done](bool ok) {
                      if (!user || !ok)
                          return done(fail(ErrorCode::Unauthenticated, u"wrong e-mail or password"_s));
                      if (!user->enabled)
                          return done(fail(ErrorCode::Forbidden, u"this account is disabled"_s));
                      const qint64 now = nowMs() / 1000;
                      const TokenClaims claims{user->id, user->email, now, now + m_config.tokenTtlSeconds,
                                               user->tokenVersion};
                      done(QString::fromLatin1(signToken(claims, m_config.jwtSecret)));
                  });
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

void UsersService::changePassword(const User &user, const QString &oldPassword, const QString &newPassword,
                                  Callback<void> done)
{
    const QString current = user.passwordHash;
    offload<Result<QString>>(
        [oldPassword, newPassword, current]() -> Result<QString> {
            if (!verifyPassword(oldPassword, current))
                return fail(ErrorCode::Forbidden, u"old_password: does not match"_s);
            if (auto rules = checkPasswordRules(newPassword); !rules)
                return std::unexpected(rules.error());
            return hashPassword(newPassword);
        },
        [this, id = user.id, done](Result<QString> hash) {
            if (!hash)
                return done(std::unexpected(hash.error()));
            auto updated = m_users.byId(id);
            if (!updated)
                return done(std::unexpected(updated.error()));
            updated->passwordHash = *hash;
            ++updated->tokenVersion; // other sessions sign in again
            done(m_users.update(*updated));
        });
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

void UsersService::resetPassword(const User &caller, const QString &id, const QString &newPassword,
                                 Callback<void> done)
{
    if (auto ok = requireAdmin(caller, id, true); !ok)
        return done(ok);
    if (auto rules = checkPasswordRules(newPassword); !rules)
        return done(rules);
    if (auto user = m_users.byId(id); !user)
        return done(std::unexpected(user.error()));
    offload<Result<QString>>([newPassword] { return hashPassword(newPassword); },
                             [this, id, done](Result<QString> hash) {
                                 if (!hash)
                                     return done(std::unexpected(hash.error()));
                                 auto user = m_users.byId(id);
                                 if (!user)
                                     return done(std::unexpected(user.error()));
                                 user->passwordHash = *hash;
                                 ++user->tokenVersion;
                                 done(m_users.update(*user));
                             });
}

} // namespace mf::users
