// MF_THING_RATE against a whole backend with real clients: a thing publishing faster than its rate is refused on
// HTTP (429, Retry-After), CoAP (4.29, Max-Age), WebSocket (an error frame, the connection stays) and MQTT (QoS 0
// dropped, MQTT 5 QoS 1 PUBACK 0x87); every refusal is recorded for the owner with the reason "rate limited"; another
// thing is not affected; the thing is served again once it slows down. Nothing here times anything: the tests send
// until the limit shows (a machine too slow to send faster than 1 message a second would fail them).
#include "../adapters/coaprawclient.h"
#include "adapters/mqtt/mqttadapter.h"
#include "api/metrics.h"
#include "testbackend.h"

#include <QJsonArray>
#include <QProcess>
#include <QTest>
#include <QWebSocket>

using namespace Qt::StringLiterals;
using namespace mf;
using mf::testing::HttpReply;
using mf::testing::RawCoap;
using mf::testing::RawCoapClient;

class TestThingRate : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<testing::TestBackend> m_be;
    QByteArray m_token;
    QString m_channel;
    struct Thing
    {
        QString id, key;
    };
    Thing m_fast, m_calm;
    int m_coapToken = 0;

    Thing addThing(const QString &name)
    {
        const HttpReply thing = m_be->post(u"/things"_s, {{u"name"_s, name}}, m_token);
        const Thing t{thing.json().value("id"_L1).toString(), thing.json().value("key"_L1).toString()};
        m_be->request("PUT", u"/channels/%1/things/%2"_s.arg(m_channel, t.id), {}, {}, m_token);
        return t;
    }
    void start(const QString &rate)
    {
        m_be = std::make_unique<testing::TestBackend>(QHash<QString, QString>{{u"MF_THING_RATE"_s, rate}});
        QVERIFY2(m_be->isRunning(), qPrintable(m_be->startError()));
        m_be->createUser(u"ann@example.com"_s);
        m_token = m_be->token(u"ann@example.com"_s);
        m_channel = m_be->post(u"/channels"_s, {{u"name"_s, u"c"_s}}, m_token).json().value("id"_L1).toString();
        m_fast = addThing(u"fast"_s);
        m_calm = addThing(u"calm"_s);
    }
    HttpReply httpPublish(const Thing &thing)
    {
        return m_be->request("POST", u"/http/channels/%1/messages"_s.arg(m_channel), "[{\"n\":\"t\",\"v\":1}]",
                             "application/senml+json", thing.key.toLatin1());
    }
    std::optional<RawCoap> coapPublish(const Thing &thing)
    {
        RawCoapClient client(m_be->backend().coapPort());
        RawCoap post;
        post.token = "r" + QByteArray::number(++m_coapToken);
        post.addPath("channels/" + m_channel.toLatin1() + "/messages");
        post.options.append({RawCoap::UriQuery, "authorization=" + thing.key.toLatin1()});
        post.options.append({RawCoap::ContentFormat, RawCoap::encodeUint(110)});
        post.payload = "[{\"n\":\"t\",\"v\":1}]";
        return client.call(post);
    }
    QJsonArray refusalsOf(const Thing &thing)
    {
        return m_be->get(u"/things/%1/refusals"_s.arg(thing.id), m_token).json().value("refusals"_L1).toArray();
    }
    bool hasRateLimitedRefusal(const Thing &thing, const QString &protocol)
    {
        for (const QJsonValue &r : refusalsOf(thing))
            if (r.toObject().value("reason"_L1).toString().startsWith(u"rate limited"_s) &&
                r.toObject().value("protocol"_L1).toString() == protocol)
                return true;
        return false;
    }
    QByteArray mosquittoPub(const Thing &thing, const QStringList &extra, int lines)
    {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(u"mosquitto_pub"_s,
                QStringList{u"-h"_s, u"127.0.0.1"_s, u"-p"_s, QString::number(m_be->backend().mqttAdapter()->port()),
                            u"-u"_s, thing.id, u"-P"_s, thing.key, u"-t"_s, u"channels/%1/messages"_s.arg(m_channel),
                            u"-l"_s, u"-d"_s} +
                    extra);
        if (!p.waitForStarted(5000)) return "not started";
        for (int i = 0; i < lines; ++i)
            p.write("[{\"n\":\"t\",\"v\":" + QByteArray::number(i) + "}]\n");
        p.closeWriteChannel();
        (void)QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, 20000);
        return p.readAll();
    }

private slots:
    void cleanup() { m_be.reset(); }

    void httpAndCoap()
    {
        start(u"1"_s);
        HttpReply refused;
        for (int i = 0; i < 50 && refused.status != 429; ++i) {
            const HttpReply r = httpPublish(m_fast);
            QVERIFY2(r.status == 202 || r.status == 429, r.body.constData());
            if (r.status == 429) refused = r;
        }
        QCOMPARE(refused.status, 429);
        QCOMPARE(refused.headers.value("retry-after"), QByteArray("1"));
        QVERIFY2(refused.error().contains(u"rate limited"_s), qPrintable(refused.error()));
        QCOMPARE(httpPublish(m_calm).status, 202); // another thing has its own bucket

        std::optional<RawCoap> coapRefused;
        for (int i = 0; i < 50 && !coapRefused; ++i) {
            const auto r = coapPublish(m_fast);
            QVERIFY(r);
            QVERIFY2(r->codeNumber() == 204 || r->codeNumber() == 429, r->payload.constData());
            if (r->codeNumber() == 429) coapRefused = r;
        }
        QVERIFY(coapRefused);
        QCOMPARE(coapRefused->uintOption(RawCoap::MaxAge).value_or(0), 1u);

        QTRY_VERIFY_WITH_TIMEOUT(hasRateLimitedRefusal(m_fast, u"http"_s), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(hasRateLimitedRefusal(m_fast, u"coap"_s), 10000);
        QVERIFY(m_be->backend().metrics().value("mf_adapter_messages_total",
                                                "protocol=\"http\",result=\"rate limited\"") >= 1);
        QVERIFY(refusalsOf(m_calm).isEmpty());
        // Slowed down: served again. (Not QTRY_COMPARE: it evaluates once more after success, taking a token.)
        QVERIFY(QTest::qWaitFor([&] { return httpPublish(m_fast).status == 202; }, 10000));
    }

    void webSocket()
    {
        start(u"1"_s);
        QWebSocket ws;
        QNetworkRequest request(
            QUrl(u"ws://127.0.0.1:%1/channels/%2/messages"_s.arg(m_be->backend().wsPort()).arg(m_channel)));
        request.setRawHeader("Authorization", "Thing " + m_fast.key.toLatin1());
        QStringList texts;
        connect(&ws, &QWebSocket::textMessageReceived, this, [&](const QString &t) { texts.append(t); });
        ws.open(request);
        QTRY_COMPARE_WITH_TIMEOUT(ws.state(), QAbstractSocket::ConnectedState, 10000);
        for (int i = 0; i < 50 && texts.isEmpty(); ++i) {
            ws.sendTextMessage(u"[{\"n\":\"t\",\"v\":%1}]"_s.arg(i));
            QTest::qWait(20); // lets the in-process backend answer (not an assertion)
        }
        QTRY_VERIFY_WITH_TIMEOUT(!texts.isEmpty(), 10000);
        QVERIFY2(texts.first().contains(u"rate limited"_s), qPrintable(texts.first()));
        QCOMPARE(ws.state(), QAbstractSocket::ConnectedState); // a refusal, not a disconnect
        QTRY_VERIFY_WITH_TIMEOUT(hasRateLimitedRefusal(m_fast, u"ws"_s), 10000);
    }

    void mqtt()
    {
        start(u"2"_s);
        // QoS 0: the extra messages are dropped and recorded; the client is not disconnected (exit 0).
        mosquittoPub(m_fast, {u"-q"_s, u"0"_s}, 40);
        QTRY_VERIFY_WITH_TIMEOUT(hasRateLimitedRefusal(m_fast, u"mqtt"_s), 10000);
        // MQTT 5 QoS 1: the refused ones get PUBACK 0x87 (135), never a success.
        const QByteArray out = mosquittoPub(m_fast, {u"-q"_s, u"1"_s, u"-V"_s, u"mqttv5"_s}, 40);
        QVERIFY2(out.contains("RC:135"), out.constData());
        QTRY_VERIFY_WITH_TIMEOUT(m_be->backend().metrics().value("mf_adapter_messages_total",
                                                                 "protocol=\"mqtt\",result=\"rate limited\"") >= 1,
                                 10000);
        QVERIFY(refusalsOf(m_calm).isEmpty());
    }

    // Off by default: a fast thing is never refused.
    void offByDefault()
    {
        start(u"0"_s);
        for (int i = 0; i < 30; ++i)
            QCOMPARE(httpPublish(m_fast).status, 202);
    }
};

QTEST_GUILESS_MAIN(TestThingRate)
#include "tst_thingrate.moc"
