// Sign-in limits (issue 14 item 3) against a whole backend: failed POST /tokens per e-mail and per client address
// reach 429 with Retry-After and a JSON error, a right password in the lockout still gets 429, and the e-mail
// signs in again once the window ends. Windows are 10 s here: long enough for the failures and the checks to fall in
// one window on a loaded machine (each wrong password costs an Argon2 verification); recovery is awaited, not timed.
#include "api/metrics.h"
#include "testbackend.h"

#include <QJsonDocument>
#include <QTcpSocket>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mf;
using mf::testing::HttpReply;

namespace {

QByteArray credentials(const QString &email, const QString &password)
{
    return QJsonDocument(QJsonObject{{u"email"_s, email}, {u"password"_s, password}}).toJson(QJsonDocument::Compact);
}

// POST /tokens over a socket bound to `from` (127.0.0.x): another client address on this machine.
int signInFrom(const QHostAddress &from, quint16 port, const QString &email, const QString &password)
{
    QTcpSocket socket;
    if (!socket.bind(from)) return -1;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(5000)) return -1;
    const QByteArray body = credentials(email, password);
    socket.write("POST /tokens HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\n"
                 "Content-Length: " +
                 QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QByteArray answer;
    (void)QTest::qWaitFor(
        [&] {
            answer += socket.readAll();
            return answer.contains("\r\n\r\n") || socket.state() == QAbstractSocket::UnconnectedState;
        },
        10000);
    return answer.startsWith("HTTP/1.1 ") ? answer.mid(9, 3).toInt() : 0;
}

} // namespace

class TestSignInLimits : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<testing::TestBackend> m_be;

    void start(const QHash<QString, QString> &settings)
    {
        m_be = std::make_unique<testing::TestBackend>(settings);
        QVERIFY2(m_be->isRunning(), qPrintable(m_be->startError()));
        m_be->createUser(u"ann@example.com"_s, u"right-password"_s);
        m_be->createUser(u"bob@example.com"_s, u"bobs-password"_s);
    }
    HttpReply signIn(const QString &email, const QString &password)
    {
        return m_be->request("POST", u"/tokens"_s, credentials(email, password));
    }
    double metric(const QByteArray &name, const QByteArray &labels = {})
    {
        return m_be->backend().metrics().value(name, labels);
    }

private slots:
    void cleanup() { m_be.reset(); }

    void perEmailLockoutAndRecovery()
    {
        start({{u"MF_LOGIN_FAILURES"_s, u"3"_s}, {u"MF_LOGIN_WINDOW"_s, u"10s"_s}});
        for (int i = 0; i < 3; ++i)
            QCOMPARE(signIn(u"ann@example.com"_s, u"wrong"_s).status, 401);
        QCOMPARE(metric("mf_signin_failures_total"), 3.0);

        // Locked: even the right password (or a guesser would learn when a guess was right), in another spelling too.
        for (const QString &email : {u"ann@example.com"_s, u"ANN@example.com"_s}) {
            const HttpReply locked = signIn(email, u"right-password"_s);
            QCOMPARE(locked.status, 429);
            const int retryAfter = locked.headers.value("retry-after").toInt();
            QVERIFY2(retryAfter >= 1 && retryAfter <= 10, locked.headers.value("retry-after").constData());
            QVERIFY2(locked.error().contains(u"too many failed sign-ins for this e-mail"_s),
                     qPrintable(locked.error()));
            QVERIFY(!locked.json().contains("token"_L1));
        }
        QCOMPARE(metric("mf_signin_refused_total", "limit=\"email\""), 2.0);
        // Another account from the same address is not locked.
        QCOMPARE(signIn(u"bob@example.com"_s, u"bobs-password"_s).status, 201);

        // Recovers when the window ends.
        QTRY_COMPARE_WITH_TIMEOUT(signIn(u"ann@example.com"_s, u"right-password"_s).status, 201, 30000);
    }

    void successResetsTheEmailsCount()
    {
        start({{u"MF_LOGIN_FAILURES"_s, u"3"_s}, {u"MF_LOGIN_WINDOW"_s, u"1h"_s}});
        QCOMPARE(signIn(u"ann@example.com"_s, u"wrong"_s).status, 401);
        QCOMPARE(signIn(u"ann@example.com"_s, u"wrong"_s).status, 401);
        QCOMPARE(signIn(u"ann@example.com"_s, u"right-password"_s).status, 201);
        // Two more failures would have made four in the window: the success started the count again.
        QCOMPARE(signIn(u"ann@example.com"_s, u"wrong"_s).status, 401);
        QCOMPARE(signIn(u"ann@example.com"_s, u"wrong"_s).status, 401);
        QCOMPARE(signIn(u"ann@example.com"_s, u"right-password"_s).status, 201);
    }

    // Failures for many e-mails from one address lock the address (also for e-mails it never tried), not others.
    void perAddressLockoutAndRecovery()
    {
        start({{u"MF_LOGIN_FAILURES"_s, u"100"_s},
               {u"MF_LOGIN_FAILURES_PER_ADDRESS"_s, u"4"_s},
               {u"MF_LOGIN_WINDOW"_s, u"10s"_s}});
        for (int i = 0; i < 4; ++i)
            QCOMPARE(signIn(u"nobody%1@example.com"_s.arg(i), u"guess"_s).status, 401);
        const HttpReply locked = signIn(u"ann@example.com"_s, u"right-password"_s);
        QCOMPARE(locked.status, 429);
        QVERIFY(locked.headers.value("retry-after").toInt() >= 1);
        QVERIFY2(locked.error().contains(u"from this address"_s), qPrintable(locked.error()));
        QCOMPARE(metric("mf_signin_refused_total", "limit=\"address\""), 1.0);

        // Another client address is served.
        QCOMPARE(signInFrom(QHostAddress(u"127.0.0.2"_s), m_be->backend().httpPort(), u"ann@example.com"_s,
                            u"right-password"_s),
                 201);
        QTRY_COMPARE_WITH_TIMEOUT(signIn(u"ann@example.com"_s, u"right-password"_s).status, 201, 30000);
    }

    // The defaults never stand in a correct client's way: many right sign-ins in a row are all served.
    void defaultsServeCorrectClients()
    {
        start({});
        for (int i = 0; i < 30; ++i)
            QCOMPARE(signIn(u"ann@example.com"_s, u"right-password"_s).status, 201);
    }

    void offMeansNoLimit()
    {
        start({{u"MF_LOGIN_FAILURES"_s, u"0"_s}, {u"MF_LOGIN_FAILURES_PER_ADDRESS"_s, u"0"_s}});
        for (int i = 0; i < 15; ++i)
            QCOMPARE(signIn(u"ann@example.com"_s, u"wrong"_s).status, 401);
        QCOMPARE(signIn(u"ann@example.com"_s, u"right-password"_s).status, 201);
    }
};

QTEST_GUILESS_MAIN(TestSignInLimits)
#include "tst_signinlimits.moc"
