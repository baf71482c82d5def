#include "passwords.h"

#include <sodium.h>

using namespace Qt::StringLiterals;

namespace mf::users {

namespace {

bool sodiumReady()
{
    static const bool ready = sodium_init() >= 0;
    return ready;
}

} // namespace

Result<QString> hashPassword(const QString &password)
{
    if (!sodiumReady())
        return fail(ErrorCode::Internal, u"libsodium unavailable"_s);
    const QByteArray utf8 = password.toUtf8();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, utf8.constData(), quint64(utf8.size()), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return fail(ErrorCode::Internal, u"out of memory while hashing a password"_s);
    return QString::fromLatin1(out);
}

bool verifyPassword(const QString &password, const QString &hash)
{
    if (!sodiumReady())
        return false;
    static const QByteArray dummy = [] {
        char out[crypto_pwhash_STRBYTES];
        if (crypto_pwhash_str(out, "dummy-password", 14, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
            return QByteArray();
        return QByteArray(out);
    }();
    const QByteArray utf8 = password.toUtf8();
    const QByteArray stored = hash.isEmpty() ? dummy : hash.toLatin1();
    if (stored.isEmpty())
        return false;
    const bool ok = crypto_pwhash_str_verify(stored.constData(), utf8.constData(), quint64(utf8.size())) == 0;
    return ok && !hash.isEmpty();
}

Result<void> checkPasswordRules(const QString &password)
{
    if (password.size() < MinPasswordLength)
        return fail(ErrorCode::Malformed, u"password: must have at least %1 characters"_s.arg(MinPasswordLength));
    if (password.size() > MaxPasswordLength)
        return fail(ErrorCode::Malformed, u"password: must have at most %1 characters"_s.arg(MaxPasswordLength));
    return {};
}

} // namespace mf::users
