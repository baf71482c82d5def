// The WebSocket adapter end to end in an in-process backend (SQLite; PostgreSQL as tst_wsadapter_postgres): the
// gate's refusals as the client sees them, publish and fan-out, formats, the owner's stream, access changes, slow
// clients, and a third-party client (python3-websockets). No raw string literals here: moc 6.4 loses the class.
#include "adapters/ws/wsadapter.h"
#include "api/metrics.h"
#include "testbackend.h"

#include <QJsonArray>
#include <QProcess>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>

using namespace Qt::StringLiterals;
using namespace mf;
using mf::testing::HttpReply;

namespace {

// A QWebSocket that records what happens to it. Held by unique_ptr: the lambdas capture `this`.
struct WsClient
{
    QWebSocket socket;
    QStringList texts;
    QList<QByteArray> binaries;
    bool connected = false;
    bool closed = false;
    int closeCode = -1;
    QString closeReason;

    WsClient(const QUrl &url, const QList<QPair<QByteArray, QByteArray>> &headers = {})
    {
        QObject::connect(&socket, &QWebSocket::connected, &socket, [this] { connected = true; });
        QObject::connect(&socket, &QWebSocket::disconnected, &socket, [this] {
            closed = true;
            closeCode = socket.closeCode();
            closeReason = socket.closeReason();
        });
        QObject::connect(&socket, &QWebSocket::textMessageReceived, &socket,
                         [this](const QString &text) { texts.append(text); });
        QObject::connect(&socket, &QWebSocket::binaryMessageReceived, &socket,
                         [this](const QByteArray &data) { binaries.append(data); });
        QNetworkRequest request(url);
        for (const auto &[name, value] : headers)
            request.setRawHeader(name, value);
        socket.open(request);
    }
    qsizetype frames() const { return texts.size() + binaries.size(); }
};

struct RawReply
{
    int status = 0;
    QByteArray head;
    QByteArray body;
};

} // namespace

class TestWsAdapter : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<testing::TestBackend> m_be;
    QByteArray m_token, m_bobToken;
    QString m_c1, m_c2;         // channels of ann
    QString m_a, m_b, m_d, m_x; // things: A and B on C1, D on C2, X on nothing
    QString m_keyA, m_keyB, m_keyD, m_keyX;

    QString field(const HttpReply &r, const char *name) { return r.json().value(QLatin1StringView(name)).toString(); }
    std::pair<QString, QString> createThing(const QString &name)
    {
        const HttpReply r = m_be->post(u"/things"_s, {{u"name"_s, name}}, m_token);
        return {field(r, "id"), field(r, "key")};
    }
    void connectThing(const QString &channel, const QString &thing)
    {
        QCOMPARE(m_be->request("PUT", u"/channels/%1/things/%2"_s.arg(channel, thing), {}, {}, m_token).status, 200);
    }
    quint16 wsPort() { return m_be->backend().wsPort(); }
    QUrl wsUrl(const QString &channel, const QString &tail = {})
    {
        return QUrl(u"ws://127.0.0.1:%1/channels/%2/messages%3"_s.arg(wsPort()).arg(channel, tail));
    }
    std::unique_ptr<WsClient> open(const QUrl &url, const QString &key)
    {
        auto client = std::make_unique<WsClient>(
            url, QList<QPair<QByteArray, QByteArray>>{{"Authorization", "Thing " + key.toLatin1()}});
        return client;
    }
    HttpReply publish(const QString &channel, const QByteArray &body, const QByteArray &contentType, const QString &key,
                      const QString &subtopic = {})
    {
        QString path = u"/http/channels/%1/messages"_s.arg(channel);
        if (!subtopic.isEmpty()) path += u'/' + subtopic;
        return m_be->request("POST", path, body, contentType, key.toLatin1());
    }
    QJsonArray readAll(const QString &channel)
    {
        return m_be->get(u"/channels/%1/messages?limit=1000"_s.arg(channel), m_token)
            .json()
            .value("messages"_L1)
            .toArray();
    }
    int storedCount(const QString &channel)
    {
        return m_be->get(u"/channels/%1/messages"_s.arg(channel), m_token).json().value("total"_L1).toInt();
    }
    double metric(const QByteArray &name, const QByteArray &labels = {})
    {
        return m_be->backend().metrics().value(name, labels);
    }

    // Opens a TCP connection, sends a request head by hand and returns once the head of the answer is in (and,
    // for a refusal, the body up to the server's close).
    std::unique_ptr<QTcpSocket> rawConnect(const QByteArray &target, const QByteArray &headers, bool upgrade = true)
    {
        auto socket = std::make_unique<QTcpSocket>();
        socket->connectToHost(QHostAddress::LocalHost, wsPort());
        if (!socket->waitForConnected(5000)) return nullptr;
        QByteArray request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers;
        if (upgrade)
            request += "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
        socket->write(request + "\r\n");
        return socket;
    }
    RawReply rawHandshake(const QByteArray &target, const QByteArray &headers, bool upgrade = true)
    {
        auto socket = rawConnect(target, headers, upgrade);
        RawReply reply;
        if (!socket) return reply;
        QByteArray data;
        (void)QTest::qWaitFor(
            [&] {
                data += socket->readAll();
                const qsizetype end = data.indexOf("\r\n\r\n");
                if (end < 0) return false;
                if (data.startsWith("HTTP/1.1 101")) return true;
                return socket->state() == QAbstractSocket::UnconnectedState;
            },
            10000);
        data += socket->readAll();
        const qsizetype end = data.indexOf("\r\n\r\n");
        reply.head = data.left(end);
        reply.body = end < 0 ? QByteArray() : data.mid(end + 4);
        reply.status = data.mid(9, 3).toInt();
        return reply;
    }

    void startBackend(const QHash<QString, QString> &extra = {})
    {
        m_be = std::make_unique<testing::TestBackend>(extra);
        QVERIFY2(m_be->isRunning(), qPrintable(m_be->startError()));
        QVERIFY(wsPort() != 0);
        m_be->createUser(u"ann@example.com"_s);
        m_token = m_be->token(u"ann@example.com"_s);
        m_be->createUser(u"bob@example.com"_s);
        m_bobToken = m_be->token(u"bob@example.com"_s);
        std::tie(m_a, m_keyA) = createThing(u"a"_s);
        std::tie(m_b, m_keyB) = createThing(u"b"_s);
        std::tie(m_d, m_keyD) = createThing(u"d"_s);
        std::tie(m_x, m_keyX) = createThing(u"x"_s);
        m_c1 = field(m_be->post(u"/channels"_s, {{u"name"_s, u"c1"_s}}, m_token), "id");
        m_c2 = field(m_be->post(u"/channels"_s, {{u"name"_s, u"c2"_s}}, m_token), "id");
        connectThing(m_c1, m_a);
        connectThing(m_c1, m_b);
        connectThing(m_c2, m_d);
    }
    // The upgrade head a conforming client sends, for a raw socket.
    static QByteArray upgradeHeaders()
    {
        return "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
    }

private slots:
    void init() { startBackend(); }
    void cleanup() { m_be.reset(); }

    // What a client sees when the gate refuses, before any handshake: the status line and a JSON error body.
    void refusedBeforeHandshake_data()
    {
        QTest::addColumn<QString>("path");       // {c1} is replaced
        QTest::addColumn<QString>("credential"); // a name resolved in the test
        QTest::addColumn<bool>("upgrade");
        QTest::addColumn<int>("status");
        QTest::addRow("no key") << u"/channels/{c1}/messages"_s << u"none"_s << true << 401;
        QTest::addRow("unknown key") << u"/channels/{c1}/messages"_s << u"bogus"_s << true << 401;
        QTest::addRow("unknown key in query")
            << u"/channels/{c1}/messages?authorization=nope"_s << u"none"_s << true << 401;
        QTest::addRow("bad token") << u"/channels/{c1}/messages"_s << u"badtoken"_s << true << 401;
        QTest::addRow("not connected") << u"/channels/{c1}/messages"_s << u"x"_s << true << 403;
        QTest::addRow("unknown channel") << u"/channels/nochannel/messages"_s << u"a"_s << true << 403;
        QTest::addRow("other user's token") << u"/channels/{c1}/messages"_s << u"bob"_s << true << 404;
        QTest::addRow("other path") << u"/things"_s << u"a"_s << true << 404;
        QTest::addRow("http prefix") << u"/http/channels/{c1}/messages"_s << u"a"_s << true << 404;
        QTest::addRow("wildcard subtopic") << u"/channels/{c1}/messages/room/*"_s << u"a"_s << true << 400;
        QTest::addRow("bad escape") << u"/channels/{c1}/messages/room%zz"_s << u"a"_s << true << 400;
        QTest::addRow("bad format") << u"/channels/{c1}/messages?format=xml"_s << u"a"_s << true << 400;
        QTest::addRow("not an upgrade") << u"/channels/{c1}/messages"_s << u"a"_s << false << 426;
        QTest::addRow("good key") << u"/channels/{c1}/messages/room1"_s << u"a"_s << true << 101;
        QTest::addRow("owner token") << u"/channels/{c1}/messages"_s << u"ann"_s << true << 101;
    }
    void refusedBeforeHandshake()
    {
        QFETCH(QString, path);
        QFETCH(QString, credential);
        QFETCH(bool, upgrade);
        QFETCH(int, status);
        const QHash<QString, QByteArray> credentials{{u"none"_s, {}},
                                                     {u"bogus"_s, "Thing no-such-key"},
                                                     {u"badtoken"_s, "Bearer a.b.c"},
                                                     {u"x"_s, m_keyX.toLatin1()},
                                                     {u"a"_s, "Thing " + m_keyA.toLatin1()},
                                                     {u"bob"_s, m_bobToken},
                                                     {u"ann"_s, "Bearer " + m_token}};
        const QByteArray auth = credentials.value(credential);
        const QByteArray headers = auth.isEmpty() ? QByteArray() : "Authorization: " + auth + "\r\n";
        const RawReply reply = rawHandshake(path.replace(u"{c1}"_s, m_c1).toLatin1(), headers, upgrade);
        QCOMPARE(reply.status, status);
        if (status != 101) {
            QVERIFY2(reply.head.contains("Content-Type: application/json"), reply.head.constData());
            const QJsonObject body = QJsonDocument::fromJson(reply.body).object();
            QVERIFY2(!body.value("error"_L1).toString().isEmpty(), reply.body.constData());
        }
    }

    // RFC 6455 §4.2.1 handshakes the gate refuses, and the subtopics the bus refuses (issue 20: a 4,100-character
    // subtopic once cut every adapter off NATS). Each answer is plain HTTP with the reason; good clients go on.
    void refusedHandshakes_data()
    {
        QTest::addColumn<QString>("path"); // {c1} is replaced
        QTest::addColumn<QByteArray>("upgrade");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("errorContains");
        const QByteArray start = "Upgrade: websocket\r\nConnection: Upgrade\r\n";
        const QByteArray key = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
        const QByteArray version = "Sec-WebSocket-Version: 13\r\n";
        const QString channel = u"/channels/{c1}/messages"_s;
        QTest::addRow("no Sec-WebSocket-Key") << channel << start + version << 400 << u"Sec-WebSocket-Key"_s;
        QTest::addRow("no Sec-WebSocket-Version") << channel << start + key << 400 << u"Sec-WebSocket-Version"_s;
        QTest::addRow("key not base64") << channel << start + version + "Sec-WebSocket-Key: not*base64*at*all!!!!!\r\n"
                                        << 400 << u"16 bytes"_s;
        QTest::addRow("key of 8 bytes") << channel << start + version + "Sec-WebSocket-Key: AAAAAAAAAAA=\r\n" << 400
                                        << u"16 bytes"_s;
        QTest::addRow("two keys") << channel << start + version + key + key << 400 << u"16 bytes"_s;
        QTest::addRow("version 8") << channel << start + key + "Sec-WebSocket-Version: 8\r\n" << 426
                                   << u"version 13"_s;
        QTest::addRow("4100-character subtopic") << channel + u'/' + QString(4100, u's') << upgradeHeaders() << 400
                                                 << u"at most 1024"_s;
        QTest::addRow("dot-only subtopic") << channel + u"/a/%2e%2e"_s << upgradeHeaders() << 400 << u"only of dots"_s;
        QTest::addRow("head over 16 KiB") << channel << upgradeHeaders() + "X-Big: " + QByteArray(17 * 1024, 'b') + "\r\n"
                                          << 431 << u"larger than 16384"_s;
        QTest::addRow("request line over 8 KiB") << channel + u"?x="_s + QString(9000, u'x') << upgradeHeaders() << 414
                                                 << u"request line"_s;
    }
    void refusedHandshakes()
    {
        QFETCH(QString, path);
        QFETCH(QByteArray, upgrade);
        QFETCH(int, status);
        QFETCH(QString, errorContains);
        const QByteArray auth = "Authorization: Thing " + m_keyA.toLatin1() + "\r\n";
        const RawReply reply = rawHandshake(path.replace(u"{c1}"_s, m_c1).toLatin1(), auth + upgrade, false);
        QCOMPARE(reply.status, status);
        QVERIFY2(reply.head.contains("Content-Type: application/json"), reply.head.constData());
        QVERIFY2(QJsonDocument::fromJson(reply.body).object().value("error"_L1).toString().contains(errorContains),
                 reply.body.constData());
        if (status == 426) QVERIFY2(reply.head.contains("Sec-WebSocket-Version: 13"), reply.head.constData());
        // The bus and the port still serve: a publish over HTTP is accepted, a good WebSocket connects and gets it.
        auto b = open(wsUrl(m_c1), m_keyB);
        QTRY_VERIFY(b->connected);
        QCOMPARE(publish(m_c1, "after", "text/plain", m_keyA).status, 202);
        QTRY_COMPARE(b->texts, QStringList{u"after"_s});
        QTRY_COMPARE(storedCount(m_c1), 1);
    }

    // RFC 6455 §5.1: a server must close the connection on an unmasked client frame. Qt 6.4 accepts them; the gate
    // sees the first frame before QWebSocket does and closes with 1002. Nothing is published.
    void unmaskedFrameIsAProtocolError()
    {
        auto b = open(wsUrl(m_c1), m_keyB);
        QTRY_VERIFY(b->connected);
        auto raw = rawConnect("/channels/" + m_c1.toLatin1() + "/messages", "Authorization: " + m_keyA.toLatin1() + "\r\n");
        QVERIFY(raw);
        QByteArray data;
        QVERIFY(QTest::qWaitFor(
            [&] {
                data += raw->readAll();
                return data.contains("\r\n\r\n");
            },
            5000));
        QVERIFY2(data.startsWith("HTTP/1.1 101"), data.constData());
        data = data.mid(data.indexOf("\r\n\r\n") + 4);
        raw->write(QByteArray("\x81\x05hello", 7)); // FIN + text, MASK bit clear
        QVERIFY(QTest::qWaitFor(
            [&] {
                data += raw->readAll();
                return data.size() >= 4 || raw->state() == QAbstractSocket::UnconnectedState;
            },
            5000));
        QVERIFY2(data.size() >= 4, data.toHex().constData());
        QCOMPARE(quint8(data.at(0)), quint8(0x88)); // a close frame ...
        QCOMPARE((quint8(data.at(2)) << 8) | quint8(data.at(3)), int(QWebSocketProtocol::CloseCodeProtocolError));
        QTRY_COMPARE_WITH_TIMEOUT(raw->state(), QAbstractSocket::UnconnectedState, 10000);
        QCOMPARE(metric("mf_ws_protocol_errors_total", "reason=\"unmasked frame\""), 1.0);
        QTest::qWait(300);
        QCOMPARE(storedCount(m_c1), 0);
        QCOMPARE(b->frames(), 0);
        // A masked frame (any real client) still publishes.
        auto a = open(wsUrl(m_c1), m_keyA);
        QTRY_VERIFY(a->connected);
        a->socket.sendTextMessage(u"masked"_s);
        QTRY_COMPARE(b->texts, QStringList{u"masked"_s});
    }

    // An upgrade request must be complete within MF_HTTP_HEADER_TIMEOUT_MS (408), and one address may hold at most
    // MF_HTTP_MAX_CONNECTIONS_PER_ADDRESS connections (503), WebSockets included; other addresses go on.
    void headerTimeoutAndConnectionsPerAddress()
    {
        // 8 per address: the test's own HTTP client (Qt opens up to 6 connections) is held to it on the REST port.
        startBackend({{u"MF_HTTP_HEADER_TIMEOUT_MS"_s, u"1000"_s}, {u"MF_HTTP_MAX_CONNECTIONS_PER_ADDRESS"_s, u"8"_s}});
        const auto connectFrom = [this](const QHostAddress &from) {
            auto socket = std::make_unique<QTcpSocket>();
            socket->bind(from);
            socket->connectToHost(QHostAddress::LocalHost, wsPort());
            return socket->waitForConnected(5000) ? std::move(socket) : nullptr;
        };
        const auto readUntilClosed = [](QTcpSocket &socket) -> QByteArray {
            QByteArray data;
            (void)QTest::qWaitFor(
                [&] {
                    data += socket.readAll();
                    return socket.state() == QAbstractSocket::UnconnectedState;
                },
                10000);
            return data + socket.readAll();
        };
        auto slow = connectFrom(QHostAddress::LocalHost);
        QVERIFY(slow);
        slow->write("GET /channels/" + m_c1.toLatin1() + "/messages HTTP/1.1\r\n");
        const QByteArray timedOut = readUntilClosed(*slow);
        QVERIFY2(timedOut.startsWith("HTTP/1.1 408 "), timedOut.constData());
        QCOMPARE(metric("mf_ws_connections_total", "result=\"header timeout\""), 1.0);

        const QHostAddress other(u"127.0.0.2"_s);
        std::vector<std::unique_ptr<QTcpSocket>> held;
        for (int i = 0; i < 8; ++i) {
            held.push_back(connectFrom(other));
            QVERIFY(held.back());
            held.back()->write("GET /channels/" + m_c1.toLatin1() + "/messages HTTP/1.1\r\nHost: x\r\nAuthorization: " +
                               m_keyB.toLatin1() + "\r\n" + upgradeHeaders() + "\r\n");
            QTRY_VERIFY(held.back()->peek(12).startsWith("HTTP/1.1 101"));
        }
        auto refused = connectFrom(other);
        QVERIFY(refused);
        const QByteArray answer = readUntilClosed(*refused);
        QVERIFY2(answer.startsWith("HTTP/1.1 503 "), answer.left(200).constData());
        QVERIFY2(answer.contains("connections from this address"), answer.constData());
        QCOMPARE(metric("mf_ws_connections_total", "result=\"too many connections from address\""), 1.0);
        auto fromLocalhost = open(wsUrl(m_c1), m_keyA); // another address
        QTRY_VERIFY(fromLocalhost->connected);
        QTest::qWait(1500); // longer than the header timeout: established WebSockets are not timed out
        for (const auto &s : held) QCOMPARE(s->state(), QAbstractSocket::ConnectedState);
        fromLocalhost->socket.sendTextMessage(u"still here"_s);
        QTRY_COMPARE(storedCount(m_c1), 1);
    }

    // Refused handshakes must give their place back: before, every refused socket stayed counted against its
    // address, so as many wrong keys as the limit locked that address out for good (503 to every later client).
    void refusedHandshakesGiveTheirPlaceBack()
    {
        startBackend({{u"MF_HTTP_MAX_CONNECTIONS_PER_ADDRESS"_s, u"8"_s}});
        for (int i = 0; i < 20; ++i) {
            WsClient bad(wsUrl(m_c1, u"?authorization=wrong"_s));
            QTRY_VERIFY(bad.closed);
            QVERIFY2(bad.socket.errorString().contains(u"401"_s), qPrintable(bad.socket.errorString()));
        }
        auto good = open(wsUrl(m_c1), m_keyA);
        QTRY_VERIFY_WITH_TIMEOUT(good->connected || good->closed, 10000);
        QVERIFY2(good->connected, qPrintable(good->socket.errorString()));
    }

    // QWebSocket itself sees the refusal as a failed handshake and never connects.
    void qwebsocketSeesRefusal()
    {
        WsClient client(wsUrl(m_c1, u"?authorization=nope"_s));
        QTRY_VERIFY(client.closed);
        QVERIFY(!client.connected);
        QVERIFY2(client.socket.errorString().contains(u"401"_s), qPrintable(client.socket.errorString()));
        QCOMPARE(metric("mf_ws_connections_total", "result=\"unauthorized\""), 1.0);
    }

    void wsPublishIsStoredAndDeliveredOnce()
    {
        const QUrl senml = wsUrl(m_c1, u"?content-type=application/senml%2Bjson"_s);
        auto a = open(senml, m_keyA);
        auto b = open(wsUrl(m_c1), m_keyB);
        auto d = open(wsUrl(m_c2), m_keyD);
        QTRY_VERIFY(a->connected && b->connected && d->connected);
        QCOMPARE(m_be->backend().wsAdapter()->channelSubscriptionCount(), 2); // shared per channel
        QCOMPARE(metric("mf_ws_connected_clients"), 3.0);

        const QString pack = u"[{\"bn\":\"ws:\",\"n\":\"temp\",\"u\":\"Cel\",\"v\":21.5}]"_s;
        a->socket.sendTextMessage(pack);
        QTRY_COMPARE(b->texts.size(), 1);
        QCOMPARE(b->texts.first(), pack);
        QTRY_COMPARE(storedCount(m_c1), 1);
        const QJsonObject stored = readAll(m_c1).first().toObject();
        QCOMPARE(stored.value("protocol"_L1).toString(), u"ws"_s);
        QCOMPARE(stored.value("publisher"_L1).toString(), m_a);
        QCOMPARE(stored.value("name"_L1).toString(), u"ws:temp"_s);
        QCOMPARE(stored.value("value"_L1).toDouble(), 21.5);
        QTest::qWait(300);
        QCOMPARE(b->frames(), 1); // exactly once
        QCOMPARE(a->frames(), 0); // never echoed to its publisher
        QCOMPARE(d->frames(), 0); // other channel
        QCOMPARE(metric("mf_adapter_messages_total", "protocol=\"ws\",result=\"accepted\""), 1.0);

        a.reset();
        b.reset();
        d.reset();
        QTRY_COMPARE(m_be->backend().wsAdapter()->clientCount(), 0);
        QCOMPARE(m_be->backend().wsAdapter()->channelSubscriptionCount(), 0);
    }

    void httpPublishReachesWsSubscribers()
    {
        auto a = open(wsUrl(m_c1), m_keyA);
        auto b = open(wsUrl(m_c1), m_keyB);
        auto d = open(wsUrl(m_c2), m_keyD);
        QTRY_VERIFY(a->connected && b->connected && d->connected);
        QCOMPARE(publish(m_c1, "{\"free\":\"json\"}", "application/json", m_keyA).status, 202);
        const QByteArray binary("\x00\xff\x10raw", 6);
        QCOMPARE(publish(m_c1, binary, "application/octet-stream", m_keyA).status, 202);
        QTRY_COMPARE(b->frames(), 2);
        QCOMPARE(b->texts, QStringList{u"{\"free\":\"json\"}"_s});
        QCOMPARE(b->binaries, QList<QByteArray>{binary}); // not UTF-8: a binary frame, bytes intact
        // D's own message on C2 reaches nobody on C1, and D does not get it back either.
        QCOMPARE(publish(m_c2, "d", "text/plain", m_keyD).status, 202);
        QCOMPARE(publish(m_c1, "from b", "text/plain", m_keyB).status, 202);
        QTRY_COMPARE(a->frames(), 1);
        QCOMPARE(a->texts, QStringList{u"from b"_s}); // A published the first two itself
        QTest::qWait(300);
        QCOMPARE(b->frames(), 2);
        QCOMPARE(d->frames(), 0);
    }

    void subtopicFiltering()
    {
        auto all = open(wsUrl(m_c1), m_keyB);
        auto room1 = open(wsUrl(m_c1, u"/room1"_s), m_keyB);
        auto room2 = open(wsUrl(m_c1, u"/room2"_s), m_keyB);
        auto nested = open(wsUrl(m_c1, u"/room1/temp"_s), m_keyB);
        QTRY_VERIFY(all->connected && room1->connected && room2->connected && nested->connected);
        QCOMPARE(publish(m_c1, "one", "text/plain", m_keyA, u"room1"_s).status, 202);
        QCOMPARE(publish(m_c1, "none", "text/plain", m_keyA).status, 202);
        QCOMPARE(publish(m_c1, "deep", "text/plain", m_keyA, u"room1/temp"_s).status, 202);
        QTRY_COMPARE(all->texts.size(), 3); // no subtopic given: every subtopic of the channel
        QTRY_COMPARE(nested->texts, QStringList{u"deep"_s});
        QTRY_COMPARE(room1->texts, QStringList{u"one"_s}); // exactly its subtopic
        QTest::qWait(300);
        QCOMPARE(room1->frames(), 1);
        QCOMPARE(room2->frames(), 0);
        // Publishing on a subtopic connection publishes on that subtopic.
        auto publisher = open(wsUrl(m_c1, u"/room2"_s), m_keyA);
        QTRY_VERIFY(publisher->connected);
        publisher->socket.sendTextMessage(u"two"_s);
        QTRY_COMPARE(room2->texts, QStringList{u"two"_s});
        QTRY_COMPARE(storedCount(m_c1), 4);
    }

    void envelopeFormatCarriesRecords()
    {
        auto b = open(wsUrl(m_c1, u"?format=envelope"_s), m_keyB);
        QTRY_VERIFY(b->connected);
        const QByteArray pack = "[{\"bn\":\"dev:\",\"bt\":1700000000,\"n\":\"temp\",\"u\":\"Cel\",\"v\":20},"
                                "{\"n\":\"hum\",\"u\":\"%RH\",\"v\":40,\"t\":1}]";
        QCOMPARE(publish(m_c1, pack, "application/senml+json", m_keyA, u"lab"_s).status, 202);
        QCOMPARE(publish(m_c1, QByteArray("\xff\xfe", 2), "application/octet-stream", m_keyA).status, 202);
        QTRY_COMPARE(b->texts.size(), 2);
        const QJsonObject first = QJsonDocument::fromJson(b->texts.at(0).toUtf8()).object();
        QCOMPARE(first.value("channel"_L1).toString(), m_c1);
        QCOMPARE(first.value("publisher"_L1).toString(), m_a);
        QCOMPARE(first.value("protocol"_L1).toString(), u"http"_s);
        QCOMPARE(first.value("subtopic"_L1).toString(), u"lab"_s);
        QCOMPARE(first.value("content_type"_L1).toString(), u"application/senml+json"_s);
        QCOMPARE(first.value("payload"_L1).toString().toUtf8(), pack);
        QVERIFY(first.value("time"_L1).toDouble() > 1.7e9);
        const QJsonArray records = first.value("records"_L1).toArray();
        QCOMPARE(records.size(), 2);
        QCOMPARE(records.at(0).toObject().value("name"_L1).toString(), u"dev:temp"_s);
        QCOMPARE(records.at(0).toObject().value("time"_L1).toDouble(), 1700000000.0);
        QCOMPARE(records.at(1).toObject().value("unit"_L1).toString(), u"%RH"_s);
        QCOMPARE(records.at(1).toObject().value("value"_L1).toDouble(), 40.0);
        const QJsonObject second = QJsonDocument::fromJson(b->texts.at(1).toUtf8()).object();
        QCOMPARE(QByteArray::fromBase64(second.value("payload_base64"_L1).toString().toLatin1()),
                 QByteArray("\xff\xfe", 2));
        QVERIFY(!second.contains("records"_L1));
    }

    void ownerStreamIsReadOnly()
    {
        auto viaQuery = std::make_unique<WsClient>(wsUrl(m_c1, u"?authorization="_s + QString::fromLatin1(m_token)));
        auto viaBearer = std::make_unique<WsClient>(
            wsUrl(m_c1), QList<QPair<QByteArray, QByteArray>>{{"Authorization", "Bearer " + m_token}});
        QTRY_VERIFY(viaQuery->connected && viaBearer->connected);
        QCOMPARE(publish(m_c1, "hello", "text/plain", m_keyA).status, 202);
        QTRY_COMPARE(viaQuery->texts.size(), 1);
        QTRY_COMPARE(viaBearer->texts.size(), 1);
        const QJsonObject frame = QJsonDocument::fromJson(viaQuery->texts.first().toUtf8()).object();
        QCOMPARE(frame.value("publisher"_L1).toString(), m_a); // always the envelope format
        QCOMPARE(frame.value("payload"_L1).toString(), u"hello"_s);

        viaQuery->socket.sendTextMessage(u"[{\"n\":\"t\",\"v\":1}]"_s);
        QTRY_COMPARE(viaQuery->texts.size(), 2);
        QVERIFY2(QJsonDocument::fromJson(viaQuery->texts.at(1).toUtf8())
                     .object()
                     .value("error"_L1)
                     .toString()
                     .contains(u"read-only"_s),
                 qPrintable(viaQuery->texts.at(1)));
        QVERIFY(!viaQuery->closed);
        QCOMPARE(metric("mf_adapter_messages_total", "protocol=\"ws\",result=\"read only\""), 1.0);
        QTest::qWait(300);
        QCOMPARE(storedCount(m_c1), 1);
        QCOMPARE(viaBearer->texts.size(), 1);
    }

    void userEventStreamCarriesOnlyTheirEvents()
    {
        const QUrl events(u"ws://127.0.0.1:%1/events"_s.arg(wsPort()));
        auto ann = std::make_unique<WsClient>(events, QList<QPair<QByteArray, QByteArray>>{{"Authorization", "Bearer " + m_token}});
        auto bob = std::make_unique<WsClient>(QUrl(events.toString() + u"?authorization="_s + QString::fromLatin1(m_bobToken)));
        QTRY_VERIFY(ann->connected && bob->connected);
        // Ann's thing speaks: ann hears it go online, with the reason.
        QCOMPARE(publish(m_c1, "hello", "text/plain", m_keyA).status, 202);
        QTRY_VERIFY_WITH_TIMEOUT(!ann->texts.isEmpty(), 10000);
        const QJsonObject first = QJsonDocument::fromJson(ann->texts.first().toUtf8()).object();
        QCOMPARE(first.value("type"_L1).toString(), u"status"_s);
        QVERIFY2(!first.contains("owner"_L1), qPrintable(ann->texts.first()));
        const QJsonObject change = first.value("changes"_L1).toArray().first().toObject();
        QCOMPARE(change.value("thing"_L1).toString(), m_a);
        QCOMPARE(change.value("online"_L1).toBool(), true);
        QCOMPARE(change.value("reason"_L1).toString(), u"message"_s);
        // Then bob's own thing: when bob hears his event, ann's (announced earlier) would have reached him already.
        const QString bobThing = field(m_be->post(u"/things"_s, {{u"name"_s, u"b1"_s}}, m_bobToken), "id");
        const QString bobKey = field(m_be->get(u"/things/"_s + bobThing, m_bobToken), "key");
        const QString bobChannel = field(m_be->post(u"/channels"_s, {{u"name"_s, u"bc"_s}}, m_bobToken), "id");
        QCOMPARE(m_be->request("PUT", u"/channels/%1/things/%2"_s.arg(bobChannel, bobThing), {}, {}, m_bobToken).status,
                 200);
        QCOMPARE(publish(bobChannel, "hi", "text/plain", bobKey).status, 202);
        QTRY_VERIFY_WITH_TIMEOUT(!bob->texts.isEmpty(), 10000);
        for (const QString &text : std::as_const(bob->texts)) {
            QVERIFY2(!text.contains(m_a) && text.contains(bobThing), qPrintable(text));
        }
        for (const QString &text : std::as_const(ann->texts))
            QVERIFY2(!text.contains(bobThing), qPrintable(text));
        // Read-only: a frame gets an error and changes nothing.
        ann->socket.sendTextMessage(u"[{\"n\":\"t\",\"v\":1}]"_s);
        QTRY_VERIFY(ann->texts.last().contains(u"read-only"_s));
        QVERIFY(!ann->closed);
    }

    void eventStreamRefusesWhatIsNotAUserToken_data()
    {
        QTest::addColumn<QByteArray>("headers");
        QTest::addColumn<int>("status");
        QTest::newRow("no credentials") << QByteArray() << 401;
        QTest::newRow("thing key") << QByteArray("Authorization: Thing %KEY%\r\n") << 401;
        QTest::newRow("bad token") << QByteArray("Authorization: Bearer a.b.c\r\n") << 401;
    }
    void eventStreamRefusesWhatIsNotAUserToken()
    {
        QFETCH(QByteArray, headers);
        QFETCH(int, status);
        const RawReply reply = rawHandshake("/events", headers.replace("%KEY%", m_keyA.toLatin1()));
        QCOMPARE(reply.status, status);
        QVERIFY2(!reply.body.contains(m_keyA.toLatin1()), reply.body.constData());
        QVERIFY(!reply.body.isEmpty());
    }

    void invalidSenmlGetsAnErrorFrame()
    {
        auto a = std::make_unique<WsClient>(
            wsUrl(m_c1), QList<QPair<QByteArray, QByteArray>>{{"Authorization", m_keyA.toLatin1()},
                                                              {"Content-Type", "application/senml+json"}});
        auto b = open(wsUrl(m_c1), m_keyB);
        QTRY_VERIFY(a->connected && b->connected);
        a->socket.sendTextMessage(u"[{\"n\":\"bad name!\",\"v\":1}]"_s);
        a->socket.sendTextMessage(u"not json"_s);
        QTRY_COMPARE(a->texts.size(), 2);
        for (const QString &text : std::as_const(a->texts))
            QVERIFY2(QJsonDocument::fromJson(text.toUtf8())
                         .object()
                         .value("error"_L1)
                         .toString()
                         .startsWith(u"invalid SenML"_s),
                     qPrintable(text));
        QVERIFY(!a->closed); // the connection stays usable
        a->socket.sendTextMessage(u"[{\"n\":\"good\",\"v\":1}]"_s);
        QTRY_COMPARE(storedCount(m_c1), 1);
        QTRY_COMPARE(b->texts.size(), 1);
        QCOMPARE(b->texts.first(), u"[{\"n\":\"good\",\"v\":1}]"_s);
        QCOMPARE(metric("mf_adapter_messages_total", "protocol=\"ws\",result=\"invalid senml\""), 2.0);
    }

    void oversizedFrameCloses()
    {
        auto a = open(wsUrl(m_c1), m_keyA);
        QTRY_VERIFY(a->connected);
        a->socket.sendBinaryMessage(QByteArray(1536 * 1024, 'x')); // MF_HTTP_MAX_BODY is 1 MiB
        QTRY_VERIFY(a->closed);
        QCOMPARE(a->closeCode, int(QWebSocketProtocol::CloseCodeTooMuchData));
        QTest::qWait(200);
        QCOMPARE(storedCount(m_c1), 0);
    }

    void accessChangesCloseConnections_data()
    {
        QTest::addColumn<QString>("change");
        QTest::newRow("disconnect") << u"disconnect"_s;
        QTest::newRow("key rotation") << u"rotate"_s;
        QTest::newRow("thing removed") << u"remove thing"_s;
        QTest::newRow("channel removed") << u"remove channel"_s;
    }
    void accessChangesCloseConnections()
    {
        QFETCH(QString, change);
        auto b = open(wsUrl(m_c1), m_keyB);
        auto owner = std::make_unique<WsClient>(wsUrl(m_c1, u"?authorization="_s + QString::fromLatin1(m_token)));
        auto d = open(wsUrl(m_c2), m_keyD); // unaffected by every change
        QTRY_VERIFY(b->connected && owner->connected && d->connected);
        int status = 0;
        if (change == "disconnect"_L1)
            status = m_be->request("DELETE", u"/channels/%1/things/%2"_s.arg(m_c1, m_b), {}, {}, m_token).status;
        else if (change == "rotate"_L1)
            status = m_be->request("PATCH", u"/things/%1/key"_s.arg(m_b), {}, {}, m_token).status;
        else if (change == "remove thing"_L1)
            status = m_be->request("DELETE", u"/things/%1"_s.arg(m_b), {}, {}, m_token).status;
        else
            status = m_be->request("DELETE", u"/channels/%1"_s.arg(m_c1), {}, {}, m_token).status;
        QVERIFY2(status >= 200 && status < 300, qPrintable(QString::number(status)));
        QTRY_VERIFY(b->closed);
        QCOMPARE(b->closeCode, int(QWebSocketProtocol::CloseCodePolicyViolated));
        QVERIFY(!b->closeReason.isEmpty());
        if (change == "remove channel"_L1) {
            QTRY_VERIFY(owner->closed);
            QCOMPARE(owner->closeCode, int(QWebSocketProtocol::CloseCodePolicyViolated));
        }
        QTest::qWait(200);
        QVERIFY(!d->closed);
        if (change != "remove channel"_L1) QVERIFY(!owner->closed);
    }

    // A client that stops reading is dropped with 1008 once 1 MiB is queued for it; a reading client on the same
    // channel gets every message.
    void slowClientIsDisconnected()
    {
        auto slow =
            rawConnect("/channels/" + m_c1.toLatin1() + "/messages", "Authorization: " + m_keyB.toLatin1() + "\r\n");
        QVERIFY(slow);
        slow->setReadBufferSize(4096); // Qt stops reading from the kernel once this is full
        QByteArray head;
        QVERIFY(QTest::qWaitFor(
            [&] {
                head += slow->read(4096 - head.size());
                return head.contains("\r\n\r\n") || head.size() >= 4096;
            },
            5000));
        QVERIFY2(head.startsWith("HTTP/1.1 101"), head.constData());
        auto reader = std::make_unique<WsClient>(wsUrl(m_c1, u"?authorization="_s + QString::fromLatin1(m_token)));
        QTRY_VERIFY(reader->connected);

        const QByteArray payload(512 * 1024, 'p');
        int published = 0;
        while (metric("mf_ws_slow_clients_total") < 1 && published < 200) {
            QCOMPARE(publish(m_c1, payload, "text/plain", m_keyA).status, 202);
            ++published;
            QTest::qWait(5);
        }
        QCOMPARE(metric("mf_ws_slow_clients_total"), 1.0);
        QVERIFY2(published > 2, "the kernel buffers should take a few messages before the queue limit");
        QTRY_COMPARE_WITH_TIMEOUT(m_be->backend().wsAdapter()->clientCount(), 1, 10000); // cut off by now
        QTRY_COMPARE_WITH_TIMEOUT(reader->texts.size(), published, 20000);
        QVERIFY(!reader->closed);
        // Reading again, the client finds its connection closed (the server aborted it after the close timeout).
        slow->setReadBufferSize(0);
        QTRY_VERIFY_WITH_TIMEOUT((slow->readAll(), slow->state() == QAbstractSocket::UnconnectedState), 10000);
    }

    // A WebSocket client this project did not write: python3-websockets publishes SenML and receives a message
    // published over HTTP by another thing (its own frame is not echoed back to it).
    void thirdPartyClient()
    {
        QProcess python;
        QByteArray output;
        connect(&python, &QProcess::readyReadStandardOutput, this, [&] { output += python.readAllStandardOutput(); });
        python.start(QStringLiteral(MF_PYTHON3),
                     {QStringLiteral(MF_WS_E2E_SCRIPT),
                      wsUrl(m_c1, u"?content-type=application/senml%2Bjson"_s).toString(), m_keyA});
        QTRY_VERIFY2_WITH_TIMEOUT(output.contains("connected"), python.readAllStandardError().constData(), 15000);
        QTRY_COMPARE(storedCount(m_c1), 1);
        const QJsonObject stored = readAll(m_c1).first().toObject();
        QCOMPARE(stored.value("name"_L1).toString(), u"py:temp"_s);
        QCOMPARE(stored.value("protocol"_L1).toString(), u"ws"_s);
        QCOMPARE(stored.value("publisher"_L1).toString(), m_a);
        QCOMPARE(publish(m_c1, "[{\"n\":\"from-http\",\"v\":7}]", "application/senml+json", m_keyB).status, 202);
        QTRY_VERIFY_WITH_TIMEOUT(python.state() == QProcess::NotRunning, 20000);
        output += python.readAllStandardOutput();
        QCOMPARE(python.exitCode(), 0);
        QVERIFY2(output.contains("received [{\"n\":\"from-http\",\"v\":7}]"), output.constData());
    }
};

QTEST_GUILESS_MAIN(TestWsAdapter)
#include "tst_wsadapter.moc"
