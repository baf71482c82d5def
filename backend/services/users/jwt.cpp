#include "jwt.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>

#include <sodium.h>

using namespace Qt::StringLiterals;

namespace mf::users {

namespace {

constexpr auto b64 = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

QByteArray encodeJson(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact).toBase64(b64);
}

Result<QJsonObject> decodeJson(const QByteArray &part)
{
    auto decoded = QByteArray::fromBase64Encoding(part, b64 | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return fail(ErrorCode::Unauthenticated, u"invalid token"_s);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(*decoded, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return fail(ErrorCode::Unauthenticated, u"invalid token"_s);
    return doc.object();
}

QByteArray signature(const QByteArray &signingInput, const QByteArray &secret)
{
    return QMessageAuthenticationCode::hash(signingInput, secret, QCryptographicHash::Sha256);
}

} // namespace

QByteArray signToken(const TokenClaims &claims, const QByteArray &secret)
{
    static const QByteArray header = encodeJson(QJsonObject{{u"alg"_s, u"HS256"_s}, {u"typ"_s, u"JWT"_s}});
    const QByteArray payload = encodeJson(QJsonObject{{u"iss"_s, u"mainflux"_s},
                                                      {u"sub"_s, claims.subject},
                                                      {u"email"_s, claims.email},
                                                      {u"iat"_s, claims.issuedAt},
                                                      {u"exp"_s, claims.expiresAt},
                                                      {u"ver"_s, claims.version}});
    const QByteArray input = header + '.' + payload;
    return input + '.' + signature(input, secret).toBase64(b64);
}

Result<TokenClaims> verifyToken(const QByteArray &token, const QByteArray &secret, qint64 nowSeconds)
{
    const QList<QByteArray> parts = token.split('.');
    if (parts.size() != 3)
        return fail(ErrorCode::Unauthenticated, u"invalid token"_s);
    auto header = decodeJson(parts[0]);
    if (!header)
        return std::unexpected(header.error());
    if (header->value("alg"_L1).toString() != "HS256"_L1)
        return fail(ErrorCode::Unauthenticated, u"invalid token"_s);
    auto sig = QByteArray::fromBase64Encoding(parts[2], b64 | QByteArray::AbortOnBase64DecodingErrors);
    const QByteArray expected = signature(parts[0] + '.' + parts[1], secret);
    if (!sig || sig.decoded.size() != expected.size() ||
        sodium_memcmp(sig.decoded.constData(), expected.constData(), size_t(expected.size())) != 0)
        return fail(ErrorCode::Unauthenticated, u"invalid token"_s);
    auto payload = decodeJson(parts[1]);
    if (!payload)
        return std::unexpected(payload.error());
    TokenClaims claims{payload->value("sub"_L1).toString(), payload->value("email"_L1).toString(),
                       payload->value("iat"_L1).toInteger(), payload->value("exp"_L1).toInteger(),
                       payload->value("ver"_L1).toInteger()};
    if (payload->value("iss"_L1).toString() != "mainflux"_L1 || claims.subject.isEmpty())
        return fail(ErrorCode::Unauthenticated, u"invalid token"_s);
    if (claims.expiresAt <= nowSeconds)
        return fail(ErrorCode::Unauthenticated, u"token expired"_s);
    return claims;
}

} // namespace mf::users
