// Failed thing-key attempts per client address (MF_KEY_FAILURES within MF_KEY_WINDOW) on every protocol, against a
// whole backend with real clients: HTTP and the WebSocket upgrade answer 429 with Retry-After, CoAP 4.29 with
// Max-Age, MQTT refuses the CONNECT (not authorised). The HTTP, WebSocket and CoAP adapters share one count per
// address; the MQTT plugin keeps its own in Mosquitto's process. A right key from the locked address is refused
// too; another address is served; every protocol recovers when the window ends (awaited, never timed). Windows are
// 8 s: long enough for the failures and checks to fall in one window on a loaded machine.
#include "../adapters/coaprawclient.h"
#include "adapters/mqtt/mqttadapter.h"
#include "api/metrics.h"
#include "testbackend.h"

#include <QProcess>
#include <QTcpSocket>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mf;
using mf::testing::HttpReply;
using mf::testing::RawCoap;
using mf::testing::RawCoapClient;

namespace {

const QHostAddress Other(u"127.0.0.2"_s); // another client address on Linux's loopback

struct RawAnswer
{
    int status = 0;
    QByteArray head;
};

// One HTTP request over a socket bound to `from`; the status and head of the answer.
RawAnswer rawRequest(const QHostAddress &from, quint16 port, const QByteArray &request)
{
    QTcpSocket socket;
    if (!socket.bind(from)) return {};
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(5000)) return {};
    socket.write(request);
    QByteArray answer;
    (void)QTest::qWaitFor(
        [&] {
            answer += socket.readAll();
            return answer.contains("\r\n\r\n") || socket.state() == QAbstractSocket::UnconnectedState;
        },
        10000);
    const QByteArray head = answer.left(answer.indexOf("\r\n\r\n"));
    return {answer.startsWith("HTTP/1.1 ") ? answer.mid(9, 3).toInt() : 0, head};
}

QByteArray headerValue(const QByteArray &head, const QByteArray &name)
{
    for (const QByteArray &line : head.split('\n'))
        if (line.toLower().startsWith(QByteArray(name.toLower() + ':'))) return line.mid(name.size() + 1).trimmed();
    return {};
}

} // namespace

class TestKeyLimits : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<testing::TestBackend> m_be;
    QByteArray m_token;
    QString m_thing, m_key, m_channel;

    void start(const QHash<QString, QString> &settings)
    {
        m_be = std::make_unique<testing::TestBackend>(settings);
        QVERIFY2(m_be->isRunning(), qPrintable(m_be->startError()));
        m_be->createUser(u"ann@example.com"_s);
        m_token = m_be->token(u"ann@example.com"_s);
        const HttpReply thing = m_be->post(u"/things"_s, {{u"name"_s, u"t"_s}}, m_token);
        m_thing = thing.json().value("id"_L1).toString();
        m_key = thing.json().value("key"_L1).toString();
        m_channel = m_be->post(u"/channels"_s, {{u"name"_s, u"c"_s}}, m_token).json().value("id"_L1).toString();
        QCOMPARE(m_be->request("PUT", u"/channels/%1/things/%2"_s.arg(m_channel, m_thing), {}, {}, m_token).status,
                 200);
    }
    double metric(const QByteArray &name, const QByteArray &labels)
    {
        return m_be->backend().metrics().value(name, labels);
    }

    RawAnswer httpPublish(const QString &key, const QHostAddress &from = QHostAddress::LocalHost)
    {
        const QByteArray body = "[{\"n\":\"t\",\"v\":1}]";
        return rawRequest(from, m_be->backend().httpPort(),
                          "POST /http/channels/" + m_channel.toLatin1() +
                              "/messages HTTP/1.1\r\nHost: x\r\n"
                              "Authorization: Thing " +
                              key.toLatin1() +
                              "\r\nContent-Type: application/senml+json\r\n"
                              "Connection: close\r\nContent-Length: " +
                              QByteArray::number(body.size()) + "\r\n\r\n" + body);
    }
    RawAnswer wsUpgrade(const QString &key, const QHostAddress &from = QHostAddress::LocalHost)
    {
        return rawRequest(from, m_be->backend().wsPort(),
                          "GET /channels/" + m_channel.toLatin1() +
                              "/messages HTTP/1.1\r\nHost: x\r\n"
                              "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nAuthorization: Thing " +
                              key.toLatin1() + "\r\n\r\n");
    }
    std::optional<RawCoap> coapPublish(const QString &key, const QHostAddress &from = QHostAddress::LocalHost)
    {
        RawCoapClient client(m_be->backend().coapPort(), from);
        RawCoap post;
        post.token = "k" + QByteArray::number(++m_coapToken);
        post.addPath("channels/" + m_channel.toLatin1() + "/messages");
        post.options.append({RawCoap::UriQuery, "authorization=" + key.toLatin1()});
        post.options.append({RawCoap::ContentFormat, RawCoap::encodeUint(110)}); // application/senml+json
        post.payload = "[{\"n\":\"t\",\"v\":1}]";
        return client.call(post);
    }
    // mosquitto_pub from `from`; its output tells whether the CONNECT was refused.
    QByteArray mqttPublish(const QString &key, const QHostAddress &from = QHostAddress::LocalHost)
    {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(u"mosquitto_pub"_s,
                {u"-h"_s, u"127.0.0.1"_s, u"-p"_s, QString::number(m_be->backend().mqttAdapter()->port()), u"-A"_s,
                 from.toString(), u"-u"_s, m_thing, u"-P"_s, key, u"-t"_s, u"channels/%1/messages"_s.arg(m_channel),
                 u"-m"_s, u"[{\"n\":\"t\",\"v\":1}]"_s, u"-q"_s, u"1"_s});
        if (!p.waitForStarted(5000)) return "not started";
        (void)QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, 15000);
        return p.exitCode() == 0 && p.exitStatus() == QProcess::NormalExit ? QByteArray("ok") : p.readAll();
    }
    int m_coapToken = 0;

private slots:
    void cleanup() { m_be.reset(); }

    // Wrong keys over HTTP lock the address out of HTTP, WebSocket and CoAP alike; all recover.
    void httpWsCoapShareOneCount()
    {
        start({{u"MF_KEY_FAILURES"_s, u"3"_s}, {u"MF_KEY_WINDOW"_s, u"8s"_s}});
        QCOMPARE(httpPublish(m_key).status, 202);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(httpPublish(u"wrong-key-%1"_s.arg(i)).status, 401);
        QCOMPARE(metric("mf_key_failures_total", "protocol=\"http\""), 3.0);

        const RawAnswer http = httpPublish(m_key); // the right key, refused all the same
        QCOMPARE(http.status, 429);
        QVERIFY(headerValue(http.head, "Retry-After").toInt() >= 1);
        const RawAnswer ws = wsUpgrade(m_key);
        QCOMPARE(ws.status, 429);
        QVERIFY(headerValue(ws.head, "Retry-After").toInt() >= 1);
        const auto coap = coapPublish(m_key);
        QVERIFY(coap);
        QCOMPARE(coap->codeNumber(), 429);
        QVERIFY(coap->uintOption(RawCoap::MaxAge).value_or(0) >= 1);
        QVERIFY2(coap->payload.contains("too many wrong thing keys"), coap->payload.constData());
        QCOMPARE(metric("mf_key_refused_total", "protocol=\"http\""), 1.0);
        QCOMPARE(metric("mf_key_refused_total", "protocol=\"ws\""), 1.0);
        QCOMPARE(metric("mf_key_refused_total", "protocol=\"coap\""), 1.0);

        // Another address is served meanwhile.
        QCOMPARE(httpPublish(m_key, Other).status, 202);
        QCOMPARE(wsUpgrade(m_key, Other).status, 101);
        const auto otherCoap = coapPublish(m_key, Other);
        QVERIFY(otherCoap);
        QCOMPARE(otherCoap->codeNumber(), 204);

        // Recovery.
        QTRY_COMPARE_WITH_TIMEOUT(httpPublish(m_key).status, 202, 30000);
        QCOMPARE(wsUpgrade(m_key).status, 101);
        QCOMPARE(coapPublish(m_key)->codeNumber(), 204);
    }

    // Wrong keys on the WebSocket and CoAP count too.
    void wsAndCoapFailuresCount()
    {
        start({{u"MF_KEY_FAILURES"_s, u"4"_s}, {u"MF_KEY_WINDOW"_s, u"8s"_s}});
        QCOMPARE(wsUpgrade(u"wrong-1"_s).status, 401);
        QCOMPARE(wsUpgrade(u"wrong-2"_s).status, 401);
        QCOMPARE(coapPublish(u"wrong-3"_s)->codeNumber(), 401);
        QCOMPARE(coapPublish(u"wrong-4"_s)->codeNumber(), 401);
        QCOMPARE(metric("mf_key_failures_total", "protocol=\"ws\""), 2.0);
        QCOMPARE(metric("mf_key_failures_total", "protocol=\"coap\""), 2.0);
        QCOMPARE(httpPublish(m_key).status, 429);
        QTRY_COMPARE_WITH_TIMEOUT(httpPublish(m_key).status, 202, 30000);
    }

    // The broker counts on its own: wrong keys lock the address out of CONNECT, also with the right key.
    void mqttConnectRefusedAndRecovers()
    {
        start({{u"MF_KEY_FAILURES"_s, u"3"_s}, {u"MF_KEY_WINDOW"_s, u"8s"_s}});
        QCOMPARE(mqttPublish(m_key), QByteArray("ok"));
        for (int i = 0; i < 3; ++i) {
            const QByteArray out = mqttPublish(u"wrong-key-%1"_s.arg(i));
            QVERIFY2(out.toLower().contains("not authori"), out.constData());
        }
        const QByteArray locked = mqttPublish(m_key);
        QVERIFY2(locked.toLower().contains("not authori"), locked.constData());
        QCOMPARE(mqttPublish(m_key, Other), QByteArray("ok"));
        QTRY_COMPARE_WITH_TIMEOUT(mqttPublish(m_key), QByteArray("ok"), 30000);
        // The plugin's counts reach /metrics with its stats (once a second).
        QTRY_VERIFY_WITH_TIMEOUT(metric("mf_key_failures_total", "protocol=\"mqtt\"") >= 3.0, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(metric("mf_key_refused_total", "protocol=\"mqtt\"") >= 1.0, 10000);
    }

    // Under the defaults a correct client is never refused, and a missing key is not a guess.
    void defaultsServeCorrectClients()
    {
        start({});
        for (int i = 0; i < 20; ++i)
            QCOMPARE(httpPublish(u"wrong-%1"_s.arg(i)).status, 401);
        QCOMPARE(httpPublish(m_key).status, 202);
        QCOMPARE(wsUpgrade(m_key).status, 101);
        QCOMPARE(coapPublish(m_key)->codeNumber(), 204);
        QCOMPARE(mqttPublish(m_key), QByteArray("ok"));
    }

    void missingKeyIsNotCounted()
    {
        start({{u"MF_KEY_FAILURES"_s, u"2"_s}, {u"MF_KEY_WINDOW"_s, u"1h"_s}});
        for (int i = 0; i < 5; ++i)
            QCOMPARE(rawRequest(QHostAddress::LocalHost, m_be->backend().httpPort(),
                                "POST /http/channels/" + m_channel.toLatin1() +
                                    "/messages HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
                         .status,
                     401);
        QCOMPARE(httpPublish(m_key).status, 202);
    }
};

QTEST_GUILESS_MAIN(TestKeyLimits)
#include "tst_keylimits.moc"
