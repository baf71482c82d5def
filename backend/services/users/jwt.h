#pragma once

#include "core/error.h"

#include <QByteArray>

namespace mf::users {

// HS256 JSON Web Tokens, hand-written (~60 lines) with QMessageAuthenticationCode: Debian's libjwt and cpp-jwt
// cannot share a translation unit and we need only one algorithm. Verified against libjwt in the probes.
struct TokenClaims
{
    QString subject; // user id
    QString email;
    qint64 issuedAt = 0;  // seconds since epoch
    qint64 expiresAt = 0; // seconds since epoch
    qint64 version = 0;   // the user's token version when issued
};

QByteArray signToken(const TokenClaims &claims, const QByteArray &secret);
// Checks the header (alg HS256 only), the signature in constant time, the issuer and the expiry.
Result<TokenClaims> verifyToken(const QByteArray &token, const QByteArray &secret, qint64 nowSeconds);

} // namespace mf::users
