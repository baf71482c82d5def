// (No raw string literals here: moc 6.4 loses the class after one.)
// The users REST API end to end over HTTP against an in-process backend (SQLite, and PostgreSQL as
// tst_usersapi_postgres): sign-up, tokens, password changes, the sign-up and administrator settings, and the
// administration routes. Every rejected request must leave the database exactly as it was, and no token,
// password or password hash may ever reach the log.
#include "dbsnapshot.h"
#include "services/things/cachedaccesscontrol.h"
#include "services/users/jwt.h"
#include "testbackend.h"

#include <QJsonArray>
#include <QLoggingCategory>
#include <QMutex>
#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mf;
using mf::testing::HttpReply;

namespace {

const QString AnnEmail = u"ann@example.com"_s;
const QString BobEmail = u"bob@example.com"_s;
const QString AnnPassword = u"ann-Pa55word-kept-secret"_s;
const QString BobPassword = u"bob-Pa55word-kept-secret"_s;
const QString UnknownId = u"00000000-0000-4000-8000-000000000000"_s;

// Every message logged while the suite runs, whatever its category and level.
QMutex logMutex;
QStringList capturedLog;
QtMessageHandler previousHandler = nullptr;

void captureMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&logMutex);
        capturedLog.append(
            QString(QLatin1StringView(context.category ? context.category : "default") + u": "_s + message));
    }
    if (previousHandler && type != QtDebugMsg && type != QtInfoMsg) // QtInfoMsg sorts after QtFatalMsg
        previousHandler(type, context, message);
}

QByteArray jsonBytes(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray credentials(const QString &email, const QString &password)
{
    return jsonBytes({{u"email"_s, email}, {u"password"_s, password}});
}

// An address of exactly `length` characters that is valid in every other respect (labels of at most 63).
QString emailOfLength(qsizetype length)
{
    QString email = QString(64, u'a') + u'@';
    while (email.size() + 4 + 64 < length)
        email += QString(63, u'b') + u'.';
    email += QString(length - email.size() - 4, u'c') + u".com"_s;
    return email;
}

} // namespace

// The REST API is all these suites exercise: a backend per test case without the bus and the protocol adapters
// starts in milliseconds instead of starting nats-server and mosquitto hundreds of times.
static const QString ApiServices = QStringLiteral("users,things");

class TestUsersApi : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<testing::TestBackend> m_be;
    QByteArray m_ann, m_bob;
    QString m_annId, m_bobId;
    QStringList m_secrets; // must never appear in the log

    HttpReply call(const QByteArray &method, const QString &path, const QByteArray &token, const QJsonObject &body)
    {
        return m_be->request(method, path, jsonBytes(body), "application/json", token);
    }
    HttpReply call(const QByteArray &method, const QString &path, const QByteArray &token)
    {
        return m_be->request(method, path, {}, {}, token);
    }
    QString snapshot() { return testing::databaseSnapshot(m_be->databaseUrl(), m_be->dataDir()); }
    void remember(const QString &secret) { m_secrets.append(secret); }
    void remember(const QByteArray &token)
    {
        m_secrets.append(QString::fromLatin1(token));
        m_secrets.append(QString::fromLatin1(token.mid(token.lastIndexOf('.') + 1))); // the signature alone
    }
    // Signs up; QVERIFY-style failures are reported by the caller through the returned id being empty.
    QString signUp(const QString &email, const QString &password, const QByteArray &token = {})
    {
        remember(password);
        const HttpReply r = m_be->request("POST", u"/users"_s, credentials(email, password), "application/json", token);
        return r.status == 201 ? r.json().value("id"_L1).toString() : QString();
    }
    QByteArray signIn(const QString &email, const QString &password)
    {
        const HttpReply r = m_be->request("POST", u"/tokens"_s, credentials(email, password));
        const QByteArray token = r.status == 201 ? r.json().value("token"_L1).toString().toLatin1() : QByteArray();
        remember(token);
        return token;
    }
    // A fresh backend with these settings and no users yet.
    void restart(const QHash<QString, QString> &settings)
    {
        m_be.reset();
        QHash<QString, QString> withServices = settings;
        withServices.insert(u"MF_SERVICES"_s, ApiServices);
        m_be = std::make_unique<testing::TestBackend>(withServices);
    }
    QByteArray expiredToken()
    {
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        return users::signToken({m_annId, AnnEmail, now - 100, now - 1, 0}, testing::TestBackend::JwtSecret);
    }
    QJsonObject me(const QByteArray &token) { return call("GET", u"/users/me"_s, token).json(); }

private slots:
    void initTestCase()
    {
        // Debug output of the backend's own categories too: it is where request details would leak.
        QLoggingCategory::setFilterRules(u"mainflux.*.debug=true"_s);
        previousHandler = qInstallMessageHandler(captureMessage);
        remember(QString::fromLatin1(testing::TestBackend::JwtSecret));
    }
    void cleanupTestCase() { qInstallMessageHandler(previousHandler); }

    void init()
    {
        m_be = std::make_unique<testing::TestBackend>(QHash<QString, QString>{{u"MF_SERVICES"_s, ApiServices}});
        QVERIFY2(m_be->isRunning(), qPrintable(m_be->startError()));
        m_annId = signUp(AnnEmail, AnnPassword);
        m_bobId = signUp(BobEmail, BobPassword);
        QVERIFY(!m_annId.isEmpty() && !m_bobId.isEmpty());
        m_ann = signIn(AnnEmail, AnnPassword);
        m_bob = signIn(BobEmail, BobPassword);
        QVERIFY(!m_ann.isEmpty() && !m_bob.isEmpty());
    }
    void cleanup()
    {
        m_be.reset();
        QStringList lines;
        {
            QMutexLocker lock(&logMutex);
            lines = std::exchange(capturedLog, {});
        }
        for (const QString &line : std::as_const(lines)) {
            QVERIFY2(!line.contains("$argon2"_L1), qPrintable(line));
            // Any JWT at all: base64url of '{"' twice, header then payload (a temp dir may be named "…-eyJQnK").
            static const QRegularExpression jwt(u"eyJ[A-Za-z0-9_-]+\\.eyJ"_s);
            QVERIFY2(!line.contains(jwt), qPrintable(line));
            for (const QString &secret : std::as_const(m_secrets))
                QVERIFY2(secret.isEmpty() || !line.contains(secret), qPrintable(line));
        }
    }

    void signUpCreatesUser()
    {
        const QString password = u"carol-Pa55word"_s;
        remember(password);
        const HttpReply r = m_be->request("POST", u"/users"_s, credentials(u"Carol@Example.COM"_s, password));
        QCOMPARE(r.status, 201);
        const QJsonObject user = r.json();
        const QString id = user.value("id"_L1).toString();
        QCOMPARE(id.size(), 36);
        QCOMPARE(r.headers.value("location"), "/users/" + id.toLatin1());
        QCOMPARE(user.value("email"_L1).toString(), u"carol@example.com"_s);
        QCOMPARE(user.value("admin"_L1).toBool(true), false);
        QCOMPARE(user.value("enabled"_L1).toBool(), true);
        QVERIFY(user.value("created_at"_L1).toDouble() > 0);
        QVERIFY2(!r.body.contains("password") && !r.body.contains("argon2") && !r.body.contains(password.toUtf8()),
                 r.body.constData());
        QVERIFY(snapshot().contains(id));
        // It shows up the same way to the administrator, and the account signs in (with any case of the e-mail).
        const HttpReply viewed = call("GET", u"/users/"_s + id, m_ann);
        QCOMPARE(viewed.status, 200);
        QCOMPARE(viewed.json(), user);
        QVERIFY(!signIn(u"CAROL@example.com"_s, password).isEmpty());
    }

    void passwordOfMinimumLengthAndLongestEmail()
    {
        QVERIFY(!signUp(u"eight@example.com"_s, u"12345678"_s).isEmpty());
        const QString longest = emailOfLength(254);
        QCOMPARE(longest.size(), 254);
        QVERIFY(!signUp(longest, AnnPassword).isEmpty());
        QVERIFY(!signIn(longest, AnnPassword).isEmpty());
    }

    void emailTakenIgnoringCase_data()
    {
        QTest::addColumn<QString>("email");
        QTest::addRow("same") << AnnEmail;
        QTest::addRow("upper case") << u"ANN@EXAMPLE.COM"_s;
        QTest::addRow("mixed case") << u"Ann@Example.com"_s;
        QTest::addRow("surrounding spaces") << u"  ann@example.com "_s;
    }
    void emailTakenIgnoringCase()
    {
        QFETCH(QString, email);
        const QString before = snapshot();
        const HttpReply r = m_be->request("POST", u"/users"_s, credentials(email, u"another-password"_s));
        QCOMPARE(r.status, 409);
        QVERIFY2(r.error().contains("already registered"_L1), r.body.constData());
        QCOMPARE(snapshot(), before);
    }

    // Mainflux 0.7 clients send {"Email": ..., "Password": ...}: Go decoded JSON keys case-insensitively.
    void mainflux07KeyCase()
    {
        const QString password = u"dave-Pa55word"_s;
        remember(password);
        HttpReply r = m_be->request("POST", u"/users"_s,
                                    jsonBytes({{u"Email"_s, u"dave@example.com"_s}, {u"Password"_s, password}}));
        QCOMPARE(r.status, 201);
        QCOMPARE(r.json().value("email"_L1).toString(), u"dave@example.com"_s);
        r = m_be->request("POST", u"/tokens"_s,
                          jsonBytes({{u"EMAIL"_s, u"dave@example.com"_s}, {u"PassWord"_s, password}}));
        QCOMPARE(r.status, 201);
        const QByteArray token = r.json().value("token"_L1).toString().toLatin1();
        remember(token);
        QCOMPARE(me(token).value("email"_L1).toString(), u"dave@example.com"_s);
    }

    void tokens()
    {
        const HttpReply r = m_be->request("POST", u"/tokens"_s, credentials(AnnEmail, AnnPassword));
        QCOMPARE(r.status, 201);
        QCOMPARE(r.json().keys(), QStringList{u"token"_s});
        const QByteArray token = r.json().value("token"_L1).toString().toLatin1();
        remember(token);
        QCOMPARE(token.count('.'), 2);
        QCOMPARE(me(token).value("id"_L1).toString(), m_annId);
        QCOMPARE(me("Bearer " + token).value("id"_L1).toString(), m_annId);
        // Tokens are not single-use and several can be live at once.
        QCOMPARE(me(m_ann).value("id"_L1).toString(), m_annId);
    }

    // A wrong password and an unknown account are indistinguishable.
    void signInFailuresLookAlike()
    {
        const QString before = snapshot();
        const HttpReply wrong = m_be->request("POST", u"/tokens"_s, credentials(AnnEmail, u"not-ann-password"_s));
        const HttpReply unknown =
            m_be->request("POST", u"/tokens"_s, credentials(u"nobody@example.com"_s, AnnPassword));
        QCOMPARE(wrong.status, 401);
        QCOMPARE(unknown.status, 401);
        QVERIFY(!wrong.error().isEmpty());
        QCOMPARE(wrong.error(), unknown.error());
        QCOMPARE(wrong.body, unknown.body);
        QVERIFY(!wrong.body.contains("token"));
        QCOMPARE(snapshot(), before);
    }

    void usersMe()
    {
        HttpReply r = call("GET", u"/users/me"_s, m_bob);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value("id"_L1).toString(), m_bobId);
        QCOMPARE(r.json().value("email"_L1).toString(), BobEmail);
        QVERIFY(!r.body.contains("password"));
        r = call("GET", u"/users/me"_s, QByteArray());
        QCOMPARE(r.status, 401);
    }

    void firstUserIsAdministrator()
    {
        QCOMPARE(me(m_ann).value("admin"_L1).toBool(false), true);
        QCOMPARE(me(m_bob).value("admin"_L1).toBool(true), false);
        const QString carol = signUp(u"carol@example.com"_s, u"carol-Pa55word"_s);
        QCOMPARE(call("GET", u"/users/"_s + carol, m_ann).json().value("admin"_L1).toBool(true), false);
    }

    void changePassword()
    {
        const QString newPassword = u"ann-new-Pa55word"_s;
        remember(newPassword);
        const QString before = snapshot();
        HttpReply r = call("PATCH", u"/password"_s, m_ann,
                           {{u"old_password"_s, u"not-the-old-one"_s}, {u"password"_s, newPassword}});
        QCOMPARE(r.status, 403);
        r = call("PATCH", u"/password"_s, m_ann, {{u"old_password"_s, AnnPassword}, {u"password"_s, u"short"_s}});
        QCOMPARE(r.status, 400);
        QVERIFY2(r.error().contains("password"_L1), r.body.constData());
        QCOMPARE(snapshot(), before);
        QCOMPARE(call("GET", u"/users/me"_s, m_ann).status, 200);

        r = call("PATCH", u"/password"_s, m_ann, {{u"old_password"_s, AnnPassword}, {u"password"_s, newPassword}});
        QCOMPARE(r.status, 204);
        QVERIFY(r.body.isEmpty());
        r = call("GET", u"/users/me"_s, m_ann); // the token from before the change
        QCOMPARE(r.status, 401);
        QCOMPARE(call("GET", u"/things"_s, m_ann).status, 401);
        QCOMPARE(m_be->request("POST", u"/tokens"_s, credentials(AnnEmail, AnnPassword)).status, 401);
        const QByteArray fresh = signIn(AnnEmail, newPassword);
        QVERIFY(!fresh.isEmpty());
        QCOMPARE(me(fresh).value("id"_L1).toString(), m_annId);
        QCOMPARE(me(fresh).value("admin"_L1).toBool(), true);
        QCOMPARE(call("GET", u"/users/me"_s, m_bob).status, 200); // other users keep their sessions
    }

    void adminEmailSetting()
    {
        restart({{u"MF_ADMIN_EMAIL"_s, u"Boss@Example.com"_s}});
        QVERIFY2(m_be->isRunning(), qPrintable(m_be->startError()));
        const QString first = signUp(AnnEmail, AnnPassword);
        const QString second = signUp(BobEmail, BobPassword);
        const QString boss = signUp(u"boss@example.COM"_s, u"boss-Pa55word"_s);
        QVERIFY(!first.isEmpty() && !second.isEmpty() && !boss.isEmpty());
        QCOMPARE(me(signIn(AnnEmail, AnnPassword)).value("admin"_L1).toBool(false), true); // first user
        QCOMPARE(me(signIn(BobEmail, BobPassword)).value("admin"_L1).toBool(true), false);
        const QByteArray bossToken = signIn(u"boss@example.com"_s, u"boss-Pa55word"_s);
        QCOMPARE(me(bossToken).value("admin"_L1).toBool(false), true);
        // An administrator by setting can administer.
        QCOMPARE(call("GET", u"/users"_s, bossToken).json().value("total"_L1).toInt(), 3);
    }

    // Clients (the CLI with a saved profile) may still send an old token when someone signs up: it is ignored, and
    // only a valid administrator token changes what POST /users may do.
    void staleTokenDoesNotBlockSignUp()
    {
        remember(u"carol-Pa55word"_s);
        HttpReply r = m_be->request("POST", u"/users"_s, credentials(u"carol@example.com"_s, u"carol-Pa55word"_s),
                                    "application/json", "garbage.token.here");
        QCOMPARE(r.status, 201);
        QCOMPARE(r.json().value("admin"_L1).toBool(true), false);
        r = m_be->request("POST", u"/users"_s, credentials(u"dave@example.com"_s, u"dave-Pa55word"_s),
                          "application/json", m_bob); // a valid token of a non-administrator
        QCOMPARE(r.status, 201);
        QCOMPARE(r.json().value("admin"_L1).toBool(true), false);
    }

    void signUpDisabled()
    {
        restart({{u"MF_ALLOW_SIGNUP"_s, u"false"_s}});
        QVERIFY2(m_be->isRunning(), qPrintable(m_be->startError()));
        m_annId = signUp(AnnEmail, AnnPassword); // the first user always may
        QVERIFY(!m_annId.isEmpty());
        m_ann = signIn(AnnEmail, AnnPassword);
        QCOMPARE(me(m_ann).value("admin"_L1).toBool(false), true);

        remember(BobPassword);
        QString before = snapshot();
        HttpReply r = m_be->request("POST", u"/users"_s, credentials(BobEmail, BobPassword));
        QCOMPARE(r.status, 403);
        QVERIFY2(r.error().contains("sign-up is disabled"_L1), r.body.constData());
        QCOMPARE(snapshot(), before);

        // The administrator creates accounts with their token (raw and Bearer).
        m_bobId = signUp(BobEmail, BobPassword, m_ann);
        QVERIFY(!m_bobId.isEmpty());
        QVERIFY(!signUp(u"carol@example.com"_s, u"carol-Pa55word"_s, "Bearer " + m_ann).isEmpty());
        m_bob = signIn(BobEmail, BobPassword);
        QCOMPARE(me(m_bob).value("admin"_L1).toBool(true), false);

        // A user who is not an administrator cannot.
        before = snapshot();
        r = m_be->request("POST", u"/users"_s, credentials(u"dave@example.com"_s, u"dave-Pa55word"_s),
                          "application/json", m_bob);
        QCOMPARE(r.status, 403);
        QCOMPARE(snapshot(), before);
    }

    void adminListsUsers()
    {
        for (int i = 0; i < 5; ++i)
            QVERIFY(!signUp(u"user%1@example.com"_s.arg(i), u"user-Pa55word"_s).isEmpty());
        for (const char *name : {"x", "y"})
            QVERIFY(!signUp(QLatin1StringView(name) + u"@other.org"_s, u"user-Pa55word"_s).isEmpty());

        HttpReply r = call("GET", u"/users"_s, m_ann);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value("total"_L1).toInt(), 9);
        QCOMPARE(r.json().value("users"_L1).toArray().size(), 9);
        QVERIFY2(!r.body.contains("password") && !r.body.contains("argon2"), r.body.constData());
        QCOMPARE(r.json().value("users"_L1).toArray().at(0).toObject().value("email"_L1).toString(), AnnEmail);

        r = call("GET", u"/users?limit=2&offset=0"_s, m_ann);
        QCOMPARE(r.json().value("total"_L1).toInt(), 9);
        QCOMPARE(r.json().value("limit"_L1).toInt(), 2);
        QCOMPARE(r.json().value("users"_L1).toArray().size(), 2);
        r = call("GET", u"/users?limit=4&offset=8"_s, m_ann);
        QCOMPARE(r.json().value("total"_L1).toInt(), 9);
        QCOMPARE(r.json().value("offset"_L1).toInt(), 8);
        QCOMPARE(r.json().value("users"_L1).toArray().size(), 1);

        QStringList seen;
        for (int offset = 0; offset < 9; offset += 3) {
            r = call("GET", u"/users?limit=3&offset=%1"_s.arg(offset), m_ann);
            for (const QJsonValue &u : r.json().value("users"_L1).toArray())
                seen.append(u.toObject().value("id"_L1).toString());
        }
        QCOMPARE(seen.size(), 9);
        QCOMPARE(QSet<QString>(seen.cbegin(), seen.cend()).size(), 9); // pages neither overlap nor skip

        for (const QString &filter : {u"other.org"_s, u"OTHER"_s}) {
            r = call("GET", u"/users?email="_s + filter, m_ann);
            QCOMPARE(r.status, 200);
            QCOMPARE(r.json().value("total"_L1).toInt(), 2);
            const QJsonArray users = r.json().value("users"_L1).toArray();
            QCOMPARE(users.size(), 2);
            for (const QJsonValue &u : users)
                QVERIFY(u.toObject().value("email"_L1).toString().endsWith("@other.org"_L1));
        }
        r = call("GET", u"/users?email=bob@"_s, m_ann);
        QCOMPARE(r.json().value("total"_L1).toInt(), 1);
        QCOMPARE(r.json().value("users"_L1).toArray().at(0).toObject().value("id"_L1).toString(), m_bobId);
        r = call("GET", u"/users?email=%25"_s, m_ann); // a literal %, not a wildcard
        QCOMPARE(r.json().value("total"_L1).toInt(), 0);
    }

    void adminViewsUser()
    {
        HttpReply r = call("GET", u"/users/"_s + m_bobId, m_ann);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value("id"_L1).toString(), m_bobId);
        QCOMPARE(r.json().value("email"_L1).toString(), BobEmail);
        QCOMPARE(r.json().value("admin"_L1).toBool(true), false);
        QVERIFY(!r.body.contains("password"));
        r = call("GET", u"/users/"_s + m_bobId, m_bob); // oneself
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value("email"_L1).toString(), BobEmail);
    }

    void disableAndEnableUser()
    {
        QCOMPARE(call("GET", u"/things"_s, m_bob).status, 200);
        HttpReply r = call("PATCH", u"/users/"_s + m_bobId, m_ann, {{u"enabled"_s, false}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value("enabled"_L1).toBool(true), false);
        QCOMPARE(r.json().value("id"_L1).toString(), m_bobId);

        // Bob's existing token stops working at once, everywhere; he cannot sign in.
        QCOMPARE(call("GET", u"/users/me"_s, m_bob).status, 401);
        QCOMPARE(call("GET", u"/things"_s, m_bob).status, 401);
        QCOMPARE(call("POST", u"/channels"_s, m_bob, {{u"name"_s, u"c"_s}}).status, 401);
        r = m_be->request("POST", u"/tokens"_s, credentials(BobEmail, BobPassword));
        QCOMPARE(r.status, 403);
        QVERIFY2(r.error().contains("disabled"_L1), r.body.constData());
        QVERIFY(!r.body.contains("token\""));
        // Disabling twice changes nothing.
        const QString before = snapshot();
        QCOMPARE(call("PATCH", u"/users/"_s + m_bobId, m_ann, {{u"enabled"_s, false}}).status, 200);
        QCOMPARE(snapshot(), before);
        QCOMPARE(call("GET", u"/users/"_s + m_bobId, m_ann).json().value("enabled"_L1).toBool(true), false);

        r = call("PATCH", u"/users/"_s + m_bobId, m_ann, {{u"enabled"_s, true}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value("enabled"_L1).toBool(false), true);
        QCOMPARE(call("GET", u"/users/me"_s, m_bob).status, 401); // old tokens stay dead after re-enabling
        const QByteArray fresh = signIn(BobEmail, BobPassword);
        QVERIFY(!fresh.isEmpty());
        QCOMPARE(call("GET", u"/things"_s, fresh).status, 200);
        QCOMPARE(call("GET", u"/users/me"_s, m_ann).status, 200); // the administrator was never affected
    }

    void adminResetsPassword()
    {
        const QString newPassword = u"bob-reset-Pa55word"_s;
        remember(newPassword);
        HttpReply r = call("PUT", u"/users/%1/password"_s.arg(m_bobId), m_ann, {{u"password"_s, newPassword}});
        QCOMPARE(r.status, 204);
        QCOMPARE(call("GET", u"/users/me"_s, m_bob).status, 401);
        QCOMPARE(m_be->request("POST", u"/tokens"_s, credentials(BobEmail, BobPassword)).status, 401);
        const QByteArray fresh = signIn(BobEmail, newPassword);
        QVERIFY(!fresh.isEmpty());
        QCOMPARE(me(fresh).value("id"_L1).toString(), m_bobId);
        QCOMPARE(call("GET", u"/users/me"_s, m_ann).status, 200);
        // An administrator may reset their own password (the route is not a self-lockout).
        const QString annNew = u"ann-reset-Pa55word"_s;
        remember(annNew);
        QCOMPARE(call("PUT", u"/users/%1/password"_s.arg(m_annId), m_ann, {{u"password"_s, annNew}}).status, 204);
        QVERIFY(!signIn(AnnEmail, annNew).isEmpty());
    }

    void deleteUserRemovesEverythingTheyOwned()
    {
        // Bob owns a connected thing and channel, Ann owns one of each too.
        HttpReply r = call("POST", u"/things"_s, m_bob, {{u"name"_s, u"bob-thing"_s}});
        QCOMPARE(r.status, 201);
        const QString thing = r.json().value("id"_L1).toString();
        const QString key = r.json().value("key"_L1).toString();
        r = call("POST", u"/channels"_s, m_bob, {{u"name"_s, u"bob-channel"_s}});
        QCOMPARE(r.status, 201);
        const QString channel = r.json().value("id"_L1).toString();
        QCOMPARE(call("PUT", u"/channels/%1/things/%2"_s.arg(channel, thing), m_bob).status, 200);
        r = call("POST", u"/things"_s, m_ann, {{u"name"_s, u"ann-thing"_s}});
        const QString annThing = r.json().value("id"_L1).toString();
        const QString annKey = r.json().value("key"_L1).toString();
        const QString annChannel =
            call("POST", u"/channels"_s, m_ann, {{u"name"_s, u"c"_s}}).json().value("id"_L1).toString();
        QCOMPARE(call("PUT", u"/channels/%1/things/%2"_s.arg(annChannel, annThing), m_ann).status, 200);

        things::CachedAccessControl &access = *m_be->backend().accessControl();
        QCOMPARE(*access.identify(key), thing); // now cached
        QCOMPARE(*access.canAccess(channel, key), thing);
        QCOMPARE(*access.canAccess(annChannel, annKey), annThing);
        const QString before = snapshot();
        QVERIFY(before.contains(m_bobId) && before.contains(thing) && before.contains(channel));

        r = call("DELETE", u"/users/"_s + m_bobId, m_ann);
        QCOMPARE(r.status, 204);
        const QString after = snapshot();
        QVERIFY2(!after.contains(m_bobId), qPrintable(after));
        QVERIFY2(!after.contains(thing), qPrintable(after));
        QVERIFY2(!after.contains(channel), qPrintable(after));
        QVERIFY2(!after.contains(BobEmail), qPrintable(after));
        QVERIFY(after.contains(m_annId) && after.contains(annThing) && after.contains(annChannel));
        // Exactly Bob's rows went: the user, the thing, the channel and their connection.
        QCOMPARE(after.count(u'\n'), before.count(u'\n') - 4);

        auto id = access.identify(key);
        QVERIFY(!id);
        QCOMPARE(id.error().code, ErrorCode::Unauthenticated);
        QCOMPARE(access.canAccess(channel, key).error().code, ErrorCode::Unauthenticated);
        QCOMPARE(*access.canAccess(annChannel, annKey), annThing);

        QCOMPARE(call("GET", u"/users/me"_s, m_bob).status, 401);
        QCOMPARE(m_be->request("POST", u"/tokens"_s, credentials(BobEmail, BobPassword)).status, 401);
        QCOMPARE(call("GET", u"/users/"_s + m_bobId, m_ann).status, 404);
        QCOMPARE(call("DELETE", u"/users/"_s + m_bobId, m_ann).status, 404);
        QCOMPARE(call("GET", u"/users"_s, m_ann).json().value("total"_L1).toInt(), 1);
        // The address is free again.
        QVERIFY(!signUp(BobEmail, u"bob-second-Pa55word"_s).isEmpty());
    }

    void adminCannotLockThemselvesOut()
    {
        const QString before = snapshot();
        HttpReply r = call("PATCH", u"/users/"_s + m_annId, m_ann, {{u"enabled"_s, false}});
        QCOMPARE(r.status, 403);
        QVERIFY2(r.error().contains("own account"_L1), r.body.constData());
        r = call("DELETE", u"/users/"_s + m_annId, m_ann);
        QCOMPARE(r.status, 403);
        QCOMPARE(snapshot(), before);
        QCOMPARE(me(m_ann).value("enabled"_L1).toBool(false), true);
        QCOMPARE(call("GET", u"/users"_s, m_ann).status, 200);
    }

    // Every route × every kind of bad input. Each rejected request must leave the database unchanged.
    void rejectedRequests_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path"); // {ann}, {bob}, {unknown}: user ids
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QString>("auth"); // ann, bob, none, tampered, expired, garbage
        QTest::addColumn<int>("status");

        const QByteArray json = "application/json";
        const auto row = [&](const QString &tag, const char *method, const char *path, const QByteArray &body,
                             const char *auth, int status, const QByteArray &type = "application/json") {
            QTest::newRow(qPrintable(tag))
                << QByteArray(method) << QString::fromLatin1(path) << body << (body.isNull() ? QByteArray() : type)
                << QString::fromLatin1(auth) << status;
        };
        const QByteArray valid = credentials(u"carol@example.com"_s, u"carol-Pa55word"_s);

        // Sign-up: invalid e-mails and passwords, wrong types, missing fields.
        const auto signUpWith = [&](const char *tag, const QJsonObject &body) {
            row(u"POST /users: "_s + QLatin1StringView(tag), "POST", "/users", jsonBytes(body), "none", 400);
        };
        const QString pw = u"carol-Pa55word"_s;
        signUpWith("email without @", {{u"email"_s, u"carol.example.com"_s}, {u"password"_s, pw}});
        signUpWith("email with a space", {{u"email"_s, u"carol smith@example.com"_s}, {u"password"_s, pw}});
        signUpWith("email with a space in the domain", {{u"email"_s, u"carol@exa mple.com"_s}, {u"password"_s, pw}});
        signUpWith("email empty", {{u"email"_s, QString()}, {u"password"_s, pw}});
        signUpWith("email of 255 characters", {{u"email"_s, emailOfLength(255)}, {u"password"_s, pw}});
        signUpWith("email local part of 65",
                   {{u"email"_s, QString(QString(65, u'a') + u"@example.com"_s)}, {u"password"_s, pw}});
        signUpWith("email with two @", {{u"email"_s, u"carol@x@example.com"_s}, {u"password"_s, pw}});
        signUpWith("email without a dotted domain", {{u"email"_s, u"carol@localhost"_s}, {u"password"_s, pw}});
        signUpWith("email missing", {{u"password"_s, pw}});
        signUpWith("email a number", {{u"email"_s, 5}, {u"password"_s, pw}});
        signUpWith("email null", {{u"email"_s, QJsonValue::Null}, {u"password"_s, pw}});
        signUpWith("email an object", {{u"email"_s, QJsonObject{}}, {u"password"_s, pw}});
        signUpWith("password of 7 characters", {{u"email"_s, u"carol@example.com"_s}, {u"password"_s, u"1234567"_s}});
        signUpWith("password empty", {{u"email"_s, u"carol@example.com"_s}, {u"password"_s, QString()}});
        signUpWith("password over 1024", {{u"email"_s, u"carol@example.com"_s}, {u"password"_s, QString(1025, u'p')}});
        signUpWith("password missing", {{u"email"_s, u"carol@example.com"_s}});
        signUpWith("password a number", {{u"email"_s, u"carol@example.com"_s}, {u"password"_s, 12345678}});
        row(u"POST /users: taken"_s, "POST", "/users", credentials(u"BOB@example.com"_s, pw), "none", 409);
        // (A bad or expired token on POST /users is ignored: see staleTokenDoesNotBlockSignUp.)

        // Body-level rejections on every route that takes a body.
        struct BodyRoute
        {
            const char *method;
            const char *path;
            const char *auth;
            QByteArray validBody;
        };
        const BodyRoute bodyRoutes[] = {
            {"POST", "/users", "none", valid},
            {"POST", "/tokens", "none", credentials(AnnEmail, AnnPassword)},
            {"PATCH", "/password", "ann", jsonBytes({{u"old_password"_s, AnnPassword}, {u"password"_s, pw}})},
            {"PATCH", "/users/{bob}", "ann", jsonBytes({{u"enabled"_s, false}})},
            {"PUT", "/users/{bob}/password", "ann", jsonBytes({{u"password"_s, pw}})},
        };
        for (const BodyRoute &r : bodyRoutes) {
            const QString name = QLatin1StringView(r.method) + u' ' + QLatin1StringView(r.path) + u": "_s;
            row(name + u"malformed JSON"_s, r.method, r.path, "{\"email\": ", r.auth, 400);
            row(name + u"empty body"_s, r.method, r.path, "", r.auth, 400);
            row(name + u"array body"_s, r.method, r.path, "[]", r.auth, 400);
            row(name + u"string body"_s, r.method, r.path, "\"x\"", r.auth, 400);
            row(name + u"empty object"_s, r.method, r.path, "{}", r.auth, 400);
            row(name + u"wrong content type"_s, r.method, r.path, r.validBody, r.auth, 415, "text/plain");
            row(name + u"form content type"_s, r.method, r.path, r.validBody, r.auth, 415,
                "application/x-www-form-urlencoded");
            row(name + u"no content type"_s, r.method, r.path, r.validBody, r.auth, 415, QByteArray());
            row(name + u"oversized body"_s, r.method, r.path, QByteArray(1024 * 1024 + 10, ' '), r.auth, 413);
        }
        row(u"POST /tokens: wrong password"_s, "POST", "/tokens", credentials(AnnEmail, u"wrong-password"_s), "none",
            401);
        row(u"POST /tokens: unknown user"_s, "POST", "/tokens", credentials(u"nobody@example.com"_s, AnnPassword),
            "none", 401);
        row(u"POST /tokens: password missing"_s, "POST", "/tokens", jsonBytes({{u"email"_s, AnnEmail}}), "none", 400);
        row(u"POST /tokens: email a number"_s, "POST", "/tokens", jsonBytes({{u"email"_s, 1}, {u"password"_s, pw}}),
            "none", 400);

        row(u"PATCH /password: wrong old password"_s, "PATCH", "/password",
            jsonBytes({{u"old_password"_s, u"wrong-password"_s}, {u"password"_s, pw}}), "ann", 403);
        row(u"PATCH /password: new password too short"_s, "PATCH", "/password",
            jsonBytes({{u"old_password"_s, AnnPassword}, {u"password"_s, u"short"_s}}), "ann", 400);
        row(u"PATCH /password: old password missing"_s, "PATCH", "/password", jsonBytes({{u"password"_s, pw}}), "ann",
            400);
        row(u"PATCH /password: new password missing"_s, "PATCH", "/password",
            jsonBytes({{u"old_password"_s, AnnPassword}}), "ann", 400);
        row(u"PATCH /users/{id}: enabled a string"_s, "PATCH", "/users/{bob}", jsonBytes({{u"enabled"_s, u"no"_s}}),
            "ann", 400);
        row(u"PATCH /users/{id}: enabled a number"_s, "PATCH", "/users/{bob}", jsonBytes({{u"enabled"_s, 0}}), "ann",
            400);
        row(u"PATCH /users/{id}: unknown user"_s, "PATCH", "/users/{unknown}", jsonBytes({{u"enabled"_s, false}}),
            "ann", 404);
        row(u"PATCH /users/{id}: disable oneself"_s, "PATCH", "/users/{ann}", jsonBytes({{u"enabled"_s, false}}), "ann",
            403);
        row(u"PUT /users/{id}/password: too short"_s, "PUT", "/users/{bob}/password",
            jsonBytes({{u"password"_s, u"1234567"_s}}), "ann", 400);
        row(u"PUT /users/{id}/password: not a string"_s, "PUT", "/users/{bob}/password",
            jsonBytes({{u"password"_s, true}}), "ann", 400);
        row(u"PUT /users/{id}/password: unknown user"_s, "PUT", "/users/{unknown}/password",
            jsonBytes({{u"password"_s, pw}}), "ann", 404);
        row(u"GET /users/{id}: unknown user"_s, "GET", "/users/{unknown}", QByteArray(), "ann", 404);
        row(u"DELETE /users/{id}: unknown user"_s, "DELETE", "/users/{unknown}", QByteArray(), "ann", 404);
        row(u"DELETE /users/{id}: oneself"_s, "DELETE", "/users/{ann}", QByteArray(), "ann", 403);
        row(u"GET /users: limit 0"_s, "GET", "/users?limit=0", QByteArray(), "ann", 400);
        row(u"GET /users: limit over 100"_s, "GET", "/users?limit=101", QByteArray(), "ann", 400);
        row(u"GET /users: offset negative"_s, "GET", "/users?offset=-1", QByteArray(), "ann", 400);
        row(u"unknown route"_s, "GET", "/userz", QByteArray(), "ann", 404);
        row(u"method not allowed"_s, "PUT", "/tokens", QByteArray(), "ann", 405);

        // Authentication on every authenticated route, and the administrator routes for a non-administrator.
        struct AuthRoute
        {
            const char *method;
            const char *path;
            QByteArray body;
            bool adminOnly;
        };
        const AuthRoute authRoutes[] = {
            {"GET", "/users/me", QByteArray(), false},
            {"PATCH", "/password", jsonBytes({{u"old_password"_s, AnnPassword}, {u"password"_s, pw}}), false},
            {"GET", "/users", QByteArray(), true},
            {"GET", "/users?email=ann", QByteArray(), true},
            {"GET", "/users/{ann}", QByteArray(), true},
            {"GET", "/users/{unknown}", QByteArray(), true},
            {"PATCH", "/users/{ann}", jsonBytes({{u"enabled"_s, false}}), true},
            {"PATCH", "/users/{bob}", jsonBytes({{u"enabled"_s, false}}), true},
            {"PATCH", "/users/{unknown}", jsonBytes({{u"enabled"_s, false}}), true},
            {"PUT", "/users/{ann}/password", jsonBytes({{u"password"_s, pw}}), true},
            {"PUT", "/users/{bob}/password", jsonBytes({{u"password"_s, pw}}), true},
            {"DELETE", "/users/{ann}", QByteArray(), true},
            {"DELETE", "/users/{bob}", QByteArray(), true},
            {"DELETE", "/users/{unknown}", QByteArray(), true},
        };
        for (const AuthRoute &r : authRoutes) {
            const QString name = QLatin1StringView(r.method) + u' ' + QLatin1StringView(r.path) + u": "_s;
            for (const char *auth : {"none", "tampered", "expired", "garbage"})
                row(name + u"auth "_s + QLatin1StringView(auth), r.method, r.path, r.body, auth, 401);
            if (r.adminOnly) row(name + u"not an administrator"_s, r.method, r.path, r.body, "bob", 403);
        }
    }
    void rejectedRequests()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, contentType);
        QFETCH(QString, auth);
        QFETCH(int, status);

        path.replace(u"{ann}"_s, m_annId).replace(u"{bob}"_s, m_bobId).replace(u"{unknown}"_s, UnknownId);
        QByteArray token;
        if (auth == "ann"_L1)
            token = m_ann;
        else if (auth == "bob"_L1)
            token = m_bob;
        else if (auth == "tampered"_L1)
            token = m_ann.left(m_ann.size() - 3) + (m_ann.endsWith("AAA") ? "BBB" : "AAA");
        else if (auth == "expired"_L1)
            token = expiredToken();
        else if (auth == "garbage"_L1)
            token = "not.a.token";
        if (auth == "tampered"_L1 || auth == "expired"_L1) remember(token);

        const QString before = snapshot();
        const HttpReply reply = m_be->request(method, path, body, contentType, token);
        QCOMPARE(reply.status, status);
        QVERIFY2(!reply.error().isEmpty(), "error responses carry {\"error\": ...}");
        QCOMPARE(reply.headers.value("content-type"), "application/json");
        QCOMPARE(snapshot(), before);
        // Nothing was revoked either: both sessions still work.
        QCOMPARE(call("GET", u"/users/me"_s, m_ann).status, 200);
        QCOMPARE(call("GET", u"/users/me"_s, m_bob).status, 200);
    }

    void expiredTokenSaysSo()
    {
        const HttpReply r = call("GET", u"/users/me"_s, expiredToken());
        QCOMPARE(r.status, 401);
        QCOMPARE(r.error(), u"token expired"_s);
    }

    // The capture itself works (so the per-test checks in cleanup() are not vacuous) and sees the users service.
    void logIsCaptured()
    {
        QMutexLocker lock(&logMutex);
        bool registered = false, requests = false;
        for (const QString &line : std::as_const(capturedLog)) {
            registered = registered || line.startsWith("mainflux.users: registered user"_L1);
            requests = requests || line.contains("/users/me"_L1) || line.contains("/tokens"_L1);
        }
        QVERIFY(registered);
        QVERIFY2(requests, qPrintable(capturedLog.join(u'\n')));
    }
};

QTEST_GUILESS_MAIN(TestUsersApi)
#include "tst_usersapi.moc"
