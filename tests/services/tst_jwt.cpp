// User tokens (HS256 JWT, hand-written in services/users/jwt): what a signed token carries back, and every way a
// token must be refused — another secret, a changed payload or header, "alg":"none", expiry, garbage.
#include "services/users/jwt.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mf::users;

namespace {

const QByteArray secret = "test-secret-test-secret-test-secret-0123";
constexpr qint64 now = 1'800'000'000;
constexpr auto b64 = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

TokenClaims claims()
{
    return TokenClaims{u"5b1f0c4e-0000-4000-8000-000000000001"_s, u"ops@example.com"_s, now - 10, now + 3600, 7};
}

QByteArray part(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact).toBase64(b64);
}

} // namespace

class TestJwt : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void signedTokenVerifiesWithItsClaims()
    {
        const QByteArray token = signToken(claims(), secret);
        QCOMPARE(token.count('.'), 2);
        auto verified = verifyToken(token, secret, now);
        QVERIFY2(verified.has_value(), verified ? "" : qPrintable(verified.error().message));
        QCOMPARE(verified->subject, claims().subject);
        QCOMPARE(verified->email, claims().email);
        QCOMPARE(verified->issuedAt, claims().issuedAt);
        QCOMPARE(verified->expiresAt, claims().expiresAt);
        QCOMPARE(verified->version, 7);
        const QJsonObject header = QJsonDocument::fromJson(QByteArray::fromBase64(token.split('.')[0], b64)).object();
        QCOMPARE(header.value("alg"_L1).toString(), u"HS256"_s);
    }

    void anotherSecretIsRefused()
    {
        const auto r = verifyToken(signToken(claims(), secret), "another-secret-another-secret-another-0", now);
        QVERIFY(!r.has_value());
        QCOMPARE(r.error().code, mf::ErrorCode::Unauthenticated);
    }

    void expiredTokenSaysSo()
    {
        const QByteArray token = signToken(claims(), secret);
        QVERIFY(verifyToken(token, secret, claims().expiresAt - 1).has_value());
        const auto r = verifyToken(token, secret, claims().expiresAt); // expiry is exclusive
        QVERIFY(!r.has_value());
        QCOMPARE(r.error().message, u"token expired"_s);
    }

    void changedPayloadIsRefused()
    {
        QList<QByteArray> parts = signToken(claims(), secret).split('.');
        QJsonObject payload = QJsonDocument::fromJson(QByteArray::fromBase64(parts[1], b64)).object();
        payload.insert(u"sub"_s, u"someone-else"_s);
        parts[1] = part(payload);
        QVERIFY(!verifyToken(parts.join('.'), secret, now).has_value());
    }

    void algNoneIsRefused()
    {
        // The classic forgery: "alg":"none" with an empty signature, or re-signed claims under another header.
        const QList<QByteArray> parts = signToken(claims(), secret).split('.');
        const QByteArray none = part({{u"alg"_s, u"none"_s}, {u"typ"_s, u"JWT"_s}});
        QVERIFY(!verifyToken(none + '.' + parts[1] + '.', secret, now).has_value());
        QVERIFY(!verifyToken(none + '.' + parts[1] + '.' + parts[2], secret, now).has_value());
        const QByteArray hs512 = part({{u"alg"_s, u"HS512"_s}});
        QVERIFY(!verifyToken(hs512 + '.' + parts[1] + '.' + parts[2], secret, now).has_value());
    }

    void wrongIssuerOrNoSubjectIsRefused()
    {
        // Correctly signed, but not a token this backend issues.
        const QByteArray header = part({{u"alg"_s, u"HS256"_s}, {u"typ"_s, u"JWT"_s}});
        for (const QJsonObject &payload :
             {QJsonObject{{u"iss"_s, u"someone"_s}, {u"sub"_s, u"u1"_s}, {u"exp"_s, now + 60}},
              QJsonObject{{u"iss"_s, u"mainflux"_s}, {u"exp"_s, now + 60}}}) {
            const QByteArray input = header + '.' + part(payload);
            // Signed with the right secret, so only the claims are wrong.
            const QByteArray sig =
                QMessageAuthenticationCode::hash(input, secret, QCryptographicHash::Sha256).toBase64(b64);
            QVERIFY(!verifyToken(input + '.' + sig, secret, now).has_value());
        }
    }

    void garbageIsRefused_data()
    {
        QTest::addColumn<QByteArray>("token");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("one part") << QByteArray("abc");
        QTest::newRow("four parts") << QByteArray("a.b.c.d");
        QTest::newRow("not base64") << QByteArray("!!!.@@@.###");
        QTest::newRow("not json") << QByteArray("bm90IGpzb24.bm90IGpzb24.c2ln");
        QTest::newRow("bearer prefix") << QByteArray("Bearer ") + signToken(claims(), secret);
    }
    void garbageIsRefused()
    {
        QFETCH(QByteArray, token);
        const auto r = verifyToken(token, secret, now);
        QVERIFY(!r.has_value());
        QCOMPARE(r.error().code, mf::ErrorCode::Unauthenticated);
    }
};

QTEST_GUILESS_MAIN(TestJwt)
#include "tst_jwt.moc"
