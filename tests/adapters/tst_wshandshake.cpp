// The WebSocket gate's reading of an upgrade request: routes, credentials, formats (no network).
#include "adapters/ws/wshandshake.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace mf::adapters::ws;

class TestWsHandshake : public QObject
{
    Q_OBJECT

private slots:
    void routes_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("matches");
        QTest::addColumn<QString>("channel");
        QTest::addColumn<QString>("subtopic");
        QTest::addRow("plain") << u"/channels/abc/messages"_s << true << u"abc"_s << QString();
        QTest::addRow("trailing slash") << u"/channels/abc/messages/"_s << true << u"abc"_s << QString();
        QTest::addRow("subtopic") << u"/channels/abc/messages/room1/temp"_s << true << u"abc"_s << u"room1/temp"_s;
        QTest::addRow("encoded id") << u"/channels/a%2Db/messages"_s << true << u"a-b"_s << QString();
        QTest::addRow("no id") << u"/channels//messages"_s << false << QString() << QString();
        QTest::addRow("other") << u"/things/abc"_s << false << QString() << QString();
        QTest::addRow("http prefix") << u"/http/channels/abc/messages"_s << false << QString() << QString();
        QTest::addRow("short") << u"/channels/abc"_s << false << QString() << QString();
    }
    void routes()
    {
        QFETCH(QString, path);
        QFETCH(bool, matches);
        const auto route = matchRoute(path);
        QCOMPARE(route.has_value(), matches);
        if (route) {
            QTEST(route->channelId, "channel");
            QTEST(route->rawSubtopic, "subtopic");
        }
    }

    void credentials_data()
    {
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("secret");
        using K = Credential::Kind;
        QTest::addRow("none") << QByteArray("GET /x HTTP/1.1\r\nHost: h") << int(K::None) << QString();
        QTest::addRow("raw header") << QByteArray("GET /x HTTP/1.1\r\nAuthorization: k1") << int(K::KeyOrToken)
                                    << u"k1"_s;
        QTest::addRow("thing scheme") << QByteArray("GET /x HTTP/1.1\r\nauthorization: Thing k2") << int(K::ThingKey)
                                      << u"k2"_s;
        QTest::addRow("bearer") << QByteArray("GET /x HTTP/1.1\r\nAuthorization: Bearer a.b.c") << int(K::UserToken)
                                << u"a.b.c"_s;
        QTest::addRow("query") << QByteArray("GET /x?authorization=k%203 HTTP/1.1\r\nHost: h") << int(K::KeyOrToken)
                               << u"k 3"_s;
        QTest::addRow("header wins") << QByteArray("GET /x?authorization=q HTTP/1.1\r\nAuthorization: h")
                                     << int(K::KeyOrToken) << u"h"_s;
    }
    void credentials()
    {
        QFETCH(QByteArray, head);
        auto parsed = parseRequestHead(head);
        QVERIFY(parsed.has_value());
        const Credential c = credentialOf(*parsed);
        QTEST(int(c.kind), "kind");
        QTEST(c.secret, "secret");
    }

    // RFC 6455 §4.2.1: Sec-WebSocket-Key is the base64 of 16 bytes, Sec-WebSocket-Version is 13 (§4.4: 426).
    void handshakeHeaders_data()
    {
        QTest::addColumn<QByteArray>("headers");
        QTest::addColumn<int>("status"); // 0 = accepted
        const QByteArray key = "\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==";
        const QByteArray version = "\r\nSec-WebSocket-Version: 13";
        QTest::addRow("good") << key + version << 0;
        QTest::addRow("no key") << version << 400;
        QTest::addRow("no version") << key << 400;
        QTest::addRow("empty key") << "\r\nSec-WebSocket-Key: " + version << 400;
        QTest::addRow("key not base64") << "\r\nSec-WebSocket-Key: ########################" + version << 400;
        QTest::addRow("key of 15 bytes") << "\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAA" + version << 400;
        QTest::addRow("key of 17 bytes") << "\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAAA=" + version << 400;
        QTest::addRow("two keys") << key + key + version << 400;
        QTest::addRow("version 8") << key + "\r\nSec-WebSocket-Version: 8" << 426;
    }
    void handshakeHeaders()
    {
        QFETCH(QByteArray, headers);
        QFETCH(int, status);
        auto head = parseRequestHead("GET /channels/c/messages HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade" +
                                     headers);
        QVERIFY(head.has_value());
        const auto refusal = checkWebSocketHeaders(*head);
        QCOMPARE(refusal ? refusal->status : 0, status);
        if (refusal) QVERIFY(!refusal->message.isEmpty());
    }

    void upgradeAndOptions()
    {
        auto head = parseRequestHead("GET /channels/c/messages?format=envelope&content-type=application%2Fsenml%2Bjson "
                                     "HTTP/1.1\r\nHost: h\r\nUpgrade: WebSocket\r\nConnection: keep-alive, Upgrade");
        QVERIFY(head.has_value());
        QVERIFY(head->isWebSocketUpgrade());
        QCOMPARE(head->path, u"/channels/c/messages"_s);
        QCOMPARE(frameFormatOf(*head).value(), FrameFormat::Envelope);
        QCOMPARE(contentTypeOf(*head), u"application/senml+json"_s);

        auto plain = parseRequestHead("GET /channels/c/messages?format=xml HTTP/1.1\r\nContent-Type: text/plain");
        QVERIFY(plain.has_value());
        QVERIFY(!plain->isWebSocketUpgrade());
        QVERIFY(!frameFormatOf(*plain).has_value());
        QCOMPARE(contentTypeOf(*plain), u"text/plain"_s);

        QVERIFY(!parseRequestHead("garbage").has_value());
        QVERIFY(!parseRequestHead("GET /x HTTP/1.1\r\nno colon here").has_value());
        QVERIFY(!parseRequestHead("GET http://h/x HTTP/1.1").has_value());
    }
};

QTEST_APPLESS_MAIN(TestWsHandshake)
#include "tst_wshandshake.moc"
