#pragma once

#include "core/entities.h"
#include "core/error.h"
#include "storage/repositories.h"

#include <QObject>
#include <QThreadPool>

#include <functional>

namespace mf::users {

struct UsersConfig
{
    QByteArray jwtSecret;
    qint64 tokenTtlSeconds = 10 * 3600;
    bool allowSignup = true; // when false only the administrator creates users (the first user may always sign up)
    QString adminEmail;      // this e-mail becomes administrator when it registers; the first user always does
};

// Users, passwords and tokens. Runs on the thread that owns the repository. Password hashing and verification
// (~65 ms of Argon2id each) run on a thread pool so they never stall the event loop that serves every other request;
// those calls answer through a callback on this object's thread (not called if the service is destroyed first).
class UsersService final : public QObject
{
    Q_OBJECT

public:
    UsersService(storage::UserRepository &users, UsersConfig config, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(UsersService)

    template <typename T>
    using Callback = std::function<void(Result<T>)>;

    // caller: the authenticated user when an administrator creates an account, nullptr for self sign-up.
    void registerUser(const QString &email, const QString &password, const User *caller, Callback<User> done);
    void issueToken(const QString &email, const QString &password, Callback<QString> done);
    // The user a token belongs to; fails for tampered, expired, outdated tokens and disabled or deleted users.
    Result<User> identify(const QString &token);
    void changePassword(const User &user, const QString &oldPassword, const QString &newPassword,
                        Callback<void> done);

    // Administration: every call fails with Forbidden unless caller is an administrator.
    Result<Page<User>> listUsers(const User &caller, const PageQuery &query);
    Result<User> viewUser(const User &caller, const QString &id);
    Result<User> setEnabled(const User &caller, const QString &id, bool enabled);
    Result<void> removeUser(const User &caller, const QString &id);
    void resetPassword(const User &caller, const QString &id, const QString &newPassword, Callback<void> done);

Q_SIGNALS:
    // Emitted after a user and everything they owned were deleted.
    void userRemoved(const QString &userId);

private:
    Result<void> requireAdmin(const User &caller, const QString &targetId, bool allowSelf) const;
    template <typename T>
    void offload(std::function<T()> work, std::function<void(T)> then);

    storage::UserRepository &m_users;
    UsersConfig m_config;
    QThreadPool m_hashing;
};

// RFC 5321 length limits and one '@' with a dotted domain: what a person would call a valid address.
bool isValidEmail(const QString &email);

} // namespace mf::users
