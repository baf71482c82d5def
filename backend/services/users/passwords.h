#pragma once

#include "core/error.h"

namespace mf::users {

inline constexpr qsizetype MinPasswordLength = 8;
inline constexpr qsizetype MaxPasswordLength = 1024;

// Argon2id (libsodium crypto_pwhash_str, INTERACTIVE limits: ~65 ms, 64 MiB here). Thread-safe.
Result<QString> hashPassword(const QString &password);
// Constant-time verification. An empty hash verifies against a dummy so unknown users take as long as known ones.
bool verifyPassword(const QString &password, const QString &hash);
// Length rules only; returns the reason when the password is not acceptable.
Result<void> checkPasswordRules(const QString &password);

} // namespace mf::users
