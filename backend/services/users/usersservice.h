#pragma once

#include "core/entities.h"
#include "core/error.h"
#include "storage/repositories.h"

#include <QObject>

namespace mf::users {

struct UsersConfig
{
    QByteArray jwtSecret;
    qint64 tokenTtlSeconds = 10 * 3600;
    bool allowSignup = true; // when false only the administrator creates users (the first user may always sign up)
    QString adminEmail;      // this e-mail becomes administrator when it registers; the first user always does
};

// Users, passwords and tokens. Runs on the thread that owns the repository. Password hashing takes ~65 ms
// (Argon2id INTERACTIVE) and happens on the calling thread.
class UsersService final : public QObject
{
    Q_OBJECT

public:
    UsersService(storage::UserRepository &users, UsersConfig config, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(UsersService)

    // caller: the authenticated user when an administrator creates an account, nullptr for self sign-up.
    Result<User> registerUser(const QString &email, const QString &password, const User *caller);
    Result<QString> issueToken(const QString &email, const QString &password);
    // The user a token belongs to; fails for tampered, expired, outdated tokens and disabled or deleted users.
    Result<User> identify(const QString &token);
    Result<void> changePassword(const User &user, const QString &oldPassword, const QString &newPassword);

    // Administration: every call fails with Forbidden unless caller is an administrator.
    Result<Page<User>> listUsers(const User &caller, const PageQuery &query);
    Result<User> viewUser(const User &caller, const QString &id);
    Result<User> setEnabled(const User &caller, const QString &id, bool enabled);
    Result<void> removeUser(const User &caller, const QString &id);
    Result<void> resetPassword(const User &caller, const QString &id, const QString &newPassword);

Q_SIGNALS:
    // Emitted after a user and everything they owned were deleted.
    void userRemoved(const QString &userId);

private:
    Result<void> requireAdmin(const User &caller, const QString &targetId, bool allowSelf) const;

    storage::UserRepository &m_users;
    UsersConfig m_config;
};

// RFC 5321 length limits and one '@' with a dotted domain: what a person would call a valid address.
bool isValidEmail(const QString &email);

} // namespace mf::users
