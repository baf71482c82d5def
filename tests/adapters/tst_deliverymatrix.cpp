// The delivery matrix of issue 4: one in-process backend (SQLite; PostgreSQL as tst_deliverymatrix_postgres), a
// publisher thing A and subscribers on channel C over WebSocket, MQTT and CoAP, plus subscribers on channel D.
// Every message published over HTTP, WebSocket, MQTT or CoAP must arrive exactly once at every subscriber of C
// (payload intact, binary too), never on D, and never back at A over WebSocket or CoAP (MQTT subscriptions do get
// their own thing's messages, once each, as MQTT delivers a topic to every subscription). Then the access cases (unknown key, thing not
// connected, disconnected during a session, rotated key) per protocol, and floods of failed logins. Last, a channel R
// whose metadata names content_type application/json (issue 18): raw device JSON is delivered and stored there.
// Clients: QWebSocket, Debian's mosquitto_pub/mosquitto_sub and coap-client-openssl (QProcess), libcoap for Observe.
// No raw string literals in this file: moc 6.4 loses the class after one.
#include "adapters/mqtt/mqttadapter.h"
#include "coaptestclient.h"
#include "testbackend.h"

#include <QJsonArray>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryFile>
#include <QTest>
#include <QTimer>
#include <QWebSocket>

using namespace Qt::StringLiterals;
using namespace mf;
using mf::testing::CoapReply;
using mf::testing::CoapTestClient;
using mf::testing::HttpReply;

namespace {

// A QWebSocket recording every frame (text frames as UTF-8 bytes) and how it closed.
struct WsClient
{
    QWebSocket socket;
    QList<QByteArray> frames;
    bool connected = false, closed = false;
    int closeCode = -1;

    WsClient(const QUrl &url, const QByteArray &key)
    {
        QObject::connect(&socket, &QWebSocket::connected, &socket, [this] { connected = true; });
        QObject::connect(&socket, &QWebSocket::disconnected, &socket, [this] {
            closed = true;
            closeCode = socket.closeCode();
        });
        QObject::connect(&socket, &QWebSocket::textMessageReceived, &socket,
                         [this](const QString &text) { frames.append(text.toUtf8()); });
        QObject::connect(&socket, &QWebSocket::binaryMessageReceived, &socket,
                         [this](const QByteArray &data) { frames.append(data); });
        QNetworkRequest request(url);
        if (!key.isEmpty()) request.setRawHeader("Authorization", "Thing " + key);
        socket.open(request);
    }
};

// mosquitto_sub running in the background, printing each payload as hex ("M <hex>") plus its debug lines.
struct MqttSub
{
    QProcess process;
    QByteArray output;

    MqttSub(quint16 port, const QString &user, const QString &key, const QString &topic)
    {
        process.setProcessChannelMode(QProcess::MergedChannels);
        QObject::connect(&process, &QProcess::readyRead, &process, [this] { output += process.readAll(); });
        // stdbuf: mosquitto_sub's debug lines (SUBACK) would otherwise sit in a pipe buffer.
        process.start(u"stdbuf"_s, {u"-oL"_s, u"mosquitto_sub"_s, u"-h"_s, u"127.0.0.1"_s, u"-p"_s, QString::number(port), u"-V"_s,
                                           u"mqttv311"_s, u"-q"_s, u"1"_s, u"-d"_s, u"-u"_s, user, u"-P"_s, key,
                                           u"-t"_s, topic, u"-F"_s, u"M %x\\n"_s});
    }
    ~MqttSub()
    {
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished(3000);
        }
    }
    bool subscribed() const { return output.contains("SUBACK"); }
    bool finished() const { return process.state() == QProcess::NotRunning; }
    QList<QByteArray> payloads() const
    {
        QList<QByteArray> out;
        for (const QByteArray &line : output.split('\n'))
            if (line.startsWith("M ")) out.append(QByteArray::fromHex(line.mid(2).trimmed()));
        return out;
    }
};

// A libcoap observer; the test's timer drives its I/O so QTRY_* can wait on it.
struct CoapSub
{
    CoapTestClient client;
    QByteArray token;

    CoapSub(quint16 port, const QString &channel, const QString &key) : client(port)
    {
        CoapTestClient::Request r;
        r.method = COAP_REQUEST_CODE_GET;
        r.path = "channels/" + channel.toLatin1() + "/messages";
        r.query = "authorization=" + key.toLatin1();
        r.observe = COAP_OBSERVE_ESTABLISH;
        token = client.send(r);
    }
    void pump() { coap_io_process(coap_session_get_context(client.session()), COAP_IO_NO_WAIT); }
    QList<CoapReply> replies() const { return client.repliesFor(token); }
    std::optional<int> firstCode() const
    {
        const auto r = replies();
        return r.isEmpty() ? std::nullopt : std::optional<int>(r.first().code);
    }
    int lastCode() const
    {
        const auto r = replies();
        return r.isEmpty() ? 0 : r.last().code;
    }
    bool registered() const { return firstCode() == 205; }
    QList<QByteArray> payloads() const
    {
        QList<QByteArray> out;
        for (const CoapReply &r : replies())
            if (r.code == 205 && !r.payload.isEmpty()) out.append(r.payload);
        return out;
    }
};

struct Run
{
    int exitCode = -1;
    QByteArray out;
};

// Sorted, for exact multiset comparisons.
QList<QByteArray> sorted(QList<QByteArray> list)
{
    std::sort(list.begin(), list.end());
    return list;
}

} // namespace

class TestDeliveryMatrix : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<testing::TestBackend> m_be;
    QByteArray m_token;
    QString m_c, m_d;              // channels
    QString m_r;                   // a channel with metadata {"content_type":"application/json"}; A and S on it
    QString m_a, m_keyA;           // the publisher, on C
    QString m_s, m_keyS;           // the subscribers of C (one thing, three protocols)
    QString m_e, m_keyE;           // the subscriber on D only
    QString m_f, m_keyF;           // a second publisher on C and D, for fences and probes
    std::unique_ptr<WsClient> m_wsC, m_wsD, m_wsA; // m_wsA: A's own connection (publishes and must see no echo)
    std::unique_ptr<MqttSub> m_mqttC, m_mqttD, m_mqttA;
    std::unique_ptr<CoapSub> m_coapC, m_coapD, m_coapA;
    std::unique_ptr<WsClient> m_wsR;
    std::unique_ptr<MqttSub> m_mqttR;
    std::unique_ptr<CoapSub> m_coapR;
    QList<CoapSub *> m_pumped;
    QTimer m_pump;
    QList<QByteArray> m_published; // by A, on C
    int m_counter = 0;

    QString field(const HttpReply &r, const char *name) { return r.json().value(QLatin1StringView(name)).toString(); }
    std::pair<QString, QString> createThing(const QString &name)
    {
        const HttpReply r = m_be->post(u"/things"_s, {{u"name"_s, name}}, m_token);
        return {field(r, "id"), field(r, "key")};
    }
    bool connectThing(const QString &channel, const QString &thing)
    {
        return m_be->request("PUT", u"/channels/%1/things/%2"_s.arg(channel, thing), {}, {}, m_token).status == 200;
    }
    quint16 wsPort() { return m_be->backend().wsPort(); }
    quint16 coapPort() { return m_be->backend().coapPort(); }
    quint16 mqttPort() { return m_be->backend().mqttAdapter()->port(); }
    QUrl wsUrl(const QString &channel, const QString &query = {})
    {
        return QUrl(u"ws://127.0.0.1:%1/channels/%2/messages%3"_s.arg(wsPort()).arg(channel, query));
    }
    QString mqttTopic(const QString &channel) { return u"channels/%1/messages"_s.arg(channel); }
    QString coapUrl(const QString &channel, const QString &key)
    {
        return u"coap://127.0.0.1:%1/channels/%2/messages?authorization=%3"_s.arg(coapPort()).arg(channel, key);
    }
    std::unique_ptr<CoapSub> coapSub(const QString &channel, const QString &key)
    {
        auto sub = std::make_unique<CoapSub>(coapPort(), channel, key);
        m_pumped.append(sub.get());
        return sub;
    }
    void dropCoap(std::unique_ptr<CoapSub> &sub)
    {
        m_pumped.removeAll(sub.get());
        sub.reset();
    }
    // Runs a program to completion while the in-process backend keeps serving.
    Run run(const QString &program, const QStringList &args, int timeoutMs = 15000, const QString &stdinFile = {})
    {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        if (!stdinFile.isEmpty()) p.setStandardInputFile(stdinFile);
        p.start(program, args);
        if (!p.waitForStarted(5000)) return {};
        const bool done = QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, timeoutMs);
        if (!done) p.kill(), p.waitForFinished();
        return {done ? p.exitCode() : -1, p.readAll()};
    }
    QStringList mqttArgs(const QString &user, const QString &key)
    {
        return {u"-h"_s, u"127.0.0.1"_s, u"-p"_s, QString::number(mqttPort()), u"-u"_s, user, u"-P"_s, key};
    }
    // mosquitto_pub, MQTT 5 QoS 1 with a content type (the default, SenML, would refuse free text). Debug output
    // shows the PUBACK reason ("RC:135" = refused).
    Run mqttPublish(const QString &user, const QString &key, const QString &channel, const QByteArray &payload)
    {
        QTemporaryFile file;
        if (!file.open()) return {};
        file.write(payload);
        file.flush();
        return run(u"mosquitto_pub"_s, mqttArgs(user, key) + QStringList{u"-V"_s, u"mqttv5"_s, u"-d"_s, u"-q"_s,
                                                                          u"1"_s, u"-D"_s, u"publish"_s,
                                                                          u"content-type"_s,
                                                                          u"application/octet-stream"_s, u"-t"_s,
                                                                          mqttTopic(channel), u"-f"_s, file.fileName()});
    }
    // coap-client-openssl POST (CON); it exits 0 on 4.xx, so the output is what tells.
    Run coapPublish(const QString &channel, const QString &key, const QByteArray &payload)
    {
        QTemporaryFile file;
        if (!file.open()) return {};
        file.write(payload);
        file.flush();
        return run(QStandardPaths::findExecutable(u"coap-client-openssl"_s),
                   {u"-m"_s, u"post"_s, u"-t"_s, u"42"_s, u"-f"_s, file.fileName(), coapUrl(channel, key)});
    }
    int httpPublish(const QString &channel, const QString &key, const QByteArray &payload)
    {
        return m_be->request("POST", u"/http/channels/%1/messages"_s.arg(channel), payload, "application/octet-stream",
                             key.toLatin1())
            .status;
    }
    // Publishes `payload` on C as A over `protocol`; empty string on success, else what went wrong.
    QString publishAsA(const QString &protocol, const QByteArray &payload)
    {
        if (protocol == "http"_L1) {
            const int status = httpPublish(m_c, m_keyA, payload);
            return status == 202 ? QString() : u"HTTP %1"_s.arg(status);
        }
        if (protocol == "ws"_L1) {
            const bool utf8 = QString::fromUtf8(payload).toUtf8() == payload && !payload.contains('\0');
            const qint64 sent = utf8 ? m_wsA->socket.sendTextMessage(QString::fromUtf8(payload))
                                     : m_wsA->socket.sendBinaryMessage(payload);
            m_wsA->socket.flush();
            return sent == payload.size() ? QString() : u"WS sent %1 of %2"_s.arg(sent).arg(payload.size());
        }
        if (protocol == "mqtt"_L1) {
            const Run r = mqttPublish(m_a, m_keyA, m_c, payload);
            return r.exitCode == 0 && !r.out.contains("RC:135") ? QString() : QString::fromUtf8(r.out);
        }
        const Run r = coapPublish(m_c, m_keyA, payload);
        return r.exitCode == 0 && r.out.trimmed().isEmpty() ? QString() : QString::fromUtf8(r.out);
    }
    QList<QByteArray> received(const QString &protocol, const QString &which)
    {
        if (protocol == "ws"_L1) return (which == "C"_L1 ? m_wsC : which == "D"_L1 ? m_wsD : m_wsA)->frames;
        if (protocol == "mqtt"_L1)
            return (which == "C"_L1 ? m_mqttC : which == "D"_L1 ? m_mqttD : m_mqttA)->payloads();
        return (which == "C"_L1 ? m_coapC : which == "D"_L1 ? m_coapD : m_coapA)->payloads();
    }
    // Every message the reader returns for a channel as (payload, content type).
    QList<QPair<QByteArray, QString>> storedOn(const QString &channel)
    {
        QList<QPair<QByteArray, QString>> out;
        const QJsonArray messages =
            m_be->get(u"/channels/%1/messages?limit=1000"_s.arg(channel), m_token).json().value("messages"_L1).toArray();
        for (const QJsonValue &v : messages)
            out.append({v.toObject().value("payload"_L1).toString().toUtf8(),
                        v.toObject().value("content_type"_L1).toString()});
        return out;
    }
    QByteArray nextPayload(const QString &pub, const QString &sub, bool binary)
    {
        QByteArray p = "m" + QByteArray::number(++m_counter) + ' ' + pub.toLatin1() + "->" + sub.toLatin1();
        if (binary) p += QByteArray("\x00\xff\n\r\x80\x01 end", 10);
        return p;
    }

private slots:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(u"mosquitto_sub"_s).isEmpty())
            QFAIL("mosquitto-clients is not installed (scripts/install-deps.sh)");
        if (QStandardPaths::findExecutable(u"coap-client-openssl"_s).isEmpty())
            QFAIL("coap-client-openssl is not installed (scripts/install-deps.sh: libcoap3-bin)");
        m_be =
            std::make_unique<testing::TestBackend>(QHash<QString, QString>{{u"MF_MQTT_AUTH_TIMEOUT_MS"_s, u"3000"_s}});
        QVERIFY2(m_be->isRunning(), qPrintable(m_be->startError()));
        QVERIFY(wsPort() && coapPort() && m_be->backend().mqttAdapter() && mqttPort());
        m_be->createUser(u"ann@example.com"_s);
        m_token = m_be->token(u"ann@example.com"_s);
        m_c = field(m_be->post(u"/channels"_s, {{u"name"_s, u"c"_s}}, m_token), "id");
        m_d = field(m_be->post(u"/channels"_s, {{u"name"_s, u"d"_s}}, m_token), "id");
        m_r = field(m_be->post(u"/channels"_s,
                               {{u"name"_s, u"r"_s},
                                {u"metadata"_s, QJsonObject{{u"content_type"_s, u"application/json"_s}}}},
                               m_token),
                    "id");
        std::tie(m_a, m_keyA) = createThing(u"a"_s);
        std::tie(m_s, m_keyS) = createThing(u"s"_s);
        std::tie(m_e, m_keyE) = createThing(u"e"_s);
        std::tie(m_f, m_keyF) = createThing(u"f"_s);
        QVERIFY(connectThing(m_c, m_a) && connectThing(m_c, m_s) && connectThing(m_d, m_e) && connectThing(m_c, m_f) &&
                connectThing(m_d, m_f) && connectThing(m_r, m_a) && connectThing(m_r, m_s));

        connect(&m_pump, &QTimer::timeout, this, [this] {
            for (CoapSub *s : std::as_const(m_pumped))
                s->pump();
        });
        m_pump.start(2);

        m_wsC = std::make_unique<WsClient>(wsUrl(m_c), m_keyS.toLatin1());
        m_wsD = std::make_unique<WsClient>(wsUrl(m_d), m_keyE.toLatin1());
        m_wsA = std::make_unique<WsClient>(wsUrl(m_c, u"?content-type=application/octet-stream"_s), m_keyA.toLatin1());
        m_mqttC = std::make_unique<MqttSub>(mqttPort(), m_s, m_keyS, mqttTopic(m_c));
        m_mqttD = std::make_unique<MqttSub>(mqttPort(), m_e, m_keyE, mqttTopic(m_d));
        m_mqttA = std::make_unique<MqttSub>(mqttPort(), m_a, m_keyA, mqttTopic(m_c));
        m_coapC = coapSub(m_c, m_keyS);
        m_coapD = coapSub(m_d, m_keyE);
        m_coapA = coapSub(m_c, m_keyA);
        m_wsR = std::make_unique<WsClient>(wsUrl(m_r), m_keyS.toLatin1());
        m_mqttR = std::make_unique<MqttSub>(mqttPort(), m_s, m_keyS, mqttTopic(m_r));
        m_coapR = coapSub(m_r, m_keyS);
        QTRY_VERIFY_WITH_TIMEOUT(m_wsC->connected && m_wsD->connected && m_wsA->connected && m_wsR->connected, 10000);
        QTRY_VERIFY2_WITH_TIMEOUT(m_mqttC->subscribed() && m_mqttD->subscribed() && m_mqttA->subscribed() &&
                                      m_mqttR->subscribed(),
                                  QByteArray(m_mqttC->output + m_mqttD->output + m_mqttA->output).constData(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(m_coapC->registered() && m_coapD->registered() && m_coapA->registered() &&
                                     m_coapR->registered(),
                                 10000);
    }
    void cleanupTestCase()
    {
        m_pump.stop();
        m_pumped.clear();
        m_wsC.reset(), m_wsD.reset(), m_wsA.reset();
        m_mqttC.reset(), m_mqttD.reset(), m_mqttA.reset();
        m_coapC.reset(), m_coapD.reset(), m_coapA.reset();
        m_wsR.reset(), m_mqttR.reset(), m_coapR.reset();
        m_be.reset();
    }

    void matrix_data()
    {
        QTest::addColumn<QString>("pub");
        QTest::addColumn<QString>("sub");
        QTest::addColumn<bool>("binary");
        for (const QString &pub : {u"http"_s, u"ws"_s, u"mqtt"_s, u"coap"_s})
            for (const QString &sub : {u"ws"_s, u"mqtt"_s, u"coap"_s})
                for (const bool binary : {false, true})
                    QTest::addRow("%s -> %s%s", qPrintable(pub), qPrintable(sub), binary ? " binary" : "")
                        << pub << sub << binary;
    }
    void matrix()
    {
        QFETCH(QString, pub);
        QFETCH(QString, sub);
        QFETCH(bool, binary);
        const QByteArray payload = nextPayload(pub, sub, binary);
        const QString error = publishAsA(pub, payload);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        m_published.append(payload);
        QTRY_COMPARE_WITH_TIMEOUT(received(sub, u"C"_s).count(payload), 1, 10000);
    }

    // After a fence (a message from F on C and on D, published last), the exact totals: every subscriber of C
    // has each of A's messages exactly once, D's subscribers none, and A's own WS and CoAP subscriptions none of its own.
    void exactlyOnceOnlyOnTheChannelNoEcho()
    {
        const QByteArray fenceC = "fence C", fenceD = "fence D";
        QCOMPARE(httpPublish(m_c, m_keyF, fenceC), 202);
        QCOMPARE(httpPublish(m_d, m_keyF, fenceD), 202);
        for (const QString &p : {u"ws"_s, u"mqtt"_s, u"coap"_s}) {
            QTRY_COMPARE_WITH_TIMEOUT(received(p, u"C"_s).count(fenceC), 1, 10000);
            QTRY_COMPARE_WITH_TIMEOUT(received(p, u"D"_s).count(fenceD), 1, 10000);
            QTRY_COMPARE_WITH_TIMEOUT(received(p, u"A"_s).count(fenceC), 1, 10000);
        }
        const QList<QByteArray> expectedC = sorted(m_published + QList<QByteArray>{fenceC});
        QCOMPARE(m_published.size(), 24);
        for (const QString &p : {u"ws"_s, u"mqtt"_s, u"coap"_s}) {
            QCOMPARE(sorted(received(p, u"C"_s)), expectedC);
            QCOMPARE(received(p, u"D"_s), QList<QByteArray>{fenceD});
        }
        QCOMPARE(received(u"ws"_s, u"A"_s), QList<QByteArray>{fenceC});
        QCOMPARE(received(u"coap"_s, u"A"_s), QList<QByteArray>{fenceC});
        // A's own CoAP observation got "nothing new for you" (2.03) for each of its messages instead.
        int valid = 0;
        for (const CoapReply &r : m_coapA->replies())
            valid += r.code == 203;
        QCOMPARE(valid, 24);
        // MQTT: see mqttSubscriberOfThePublishingThingGetsItsOwnMessages.
        QVERIFY(!m_wsC->closed && !m_wsD->closed && !m_wsA->closed);
        QVERIFY(!m_mqttC->finished() && !m_mqttD->finished());
    }

    // A's mosquitto_sub on C. WebSocket and CoAP never echo a thing's own messages (docs/protocols.md); MQTT delivers them,
    // as MQTT always does: a subscription gets every message on its topic, the thing's
    // own included (MQTT 5 no-local only spares the publishing client). Exactly once each, like everyone else.
    void mqttSubscriberOfThePublishingThingGetsItsOwnMessages()
    {
        QCOMPARE(sorted(m_mqttA->payloads()), sorted(m_published + QList<QByteArray>{"fence C"}));
    }

    // ---- access: refused things can neither publish nor subscribe, on any protocol ----
    void accessRefused_data()
    {
        QTest::addColumn<QString>("protocol");
        QTest::addColumn<QString>("access");
        for (const QString &access : {u"unknown key"_s, u"not connected"_s, u"disconnected"_s, u"rotated"_s})
            for (const QString &protocol : {u"http"_s, u"ws"_s, u"mqtt"_s, u"coap"_s})
                QTest::addRow("%s %s", qPrintable(access), qPrintable(protocol)) << protocol << access;
    }
    void accessRefused()
    {
        QFETCH(QString, protocol);
        QFETCH(QString, access);
        auto [thing, key] = createThing(u"t%1"_s.arg(++m_counter));
        if (access == "unknown key"_L1) key = u"00000000-0000-4000-8000-000000000000"_s;
        if (access == "disconnected"_L1 || access == "rotated"_L1) {
            QVERIFY(connectThing(m_c, thing));
            // A subscription opened while access is valid, receiving, then closed when access goes.
            const QByteArray probe = "probe " + QByteArray::number(m_counter);
            std::unique_ptr<WsClient> ws;
            std::unique_ptr<MqttSub> mqtt;
            std::unique_ptr<CoapSub> coap;
            const auto got = [&](const QByteArray &p) -> int {
                if (ws) return int(ws->frames.count(p));
                if (mqtt) return int(mqtt->payloads().count(p));
                if (coap) return int(coap->payloads().count(p));
                return 0;
            };
            if (protocol == "ws"_L1) {
                ws = std::make_unique<WsClient>(wsUrl(m_c), key.toLatin1());
                QTRY_VERIFY(ws->connected);
            } else if (protocol == "mqtt"_L1) {
                mqtt = std::make_unique<MqttSub>(mqttPort(), thing, key, mqttTopic(m_c));
                QTRY_VERIFY2(mqtt->subscribed(), mqtt->output.constData());
            } else if (protocol == "coap"_L1) {
                coap = coapSub(m_c, key);
                QTRY_VERIFY(coap->registered());
            }
            if (protocol != "http"_L1) {
                QCOMPARE(httpPublish(m_c, m_keyF, probe), 202);
                QTRY_COMPARE(got(probe), 1);
            } else {
                QCOMPARE(httpPublish(m_c, key, probe), 202);
            }
            if (access == "disconnected"_L1) {
                QCOMPARE(m_be->request("DELETE", u"/channels/%1/things/%2"_s.arg(m_c, thing), {}, {}, m_token).status,
                         204);
            } else {
                const HttpReply rotated = m_be->request("PATCH", u"/things/%1/key"_s.arg(thing), {}, {}, m_token);
                QCOMPARE(rotated.status, 200);
                QVERIFY(field(rotated, "key") != key); // the old key is what is tried below
            }
            if (ws) {
                QTRY_VERIFY(ws->closed);
                QCOMPARE(ws->closeCode, int(QWebSocketProtocol::CloseCodePolicyViolated));
            } else if (mqtt) {
                // Kicked; mosquitto_sub reconnects and is then refused (CONNACK or SUBACK) and gives up.
                QTRY_VERIFY2_WITH_TIMEOUT(mqtt->finished(), mqtt->output.constData(), 10000);
            } else if (coap) {
                QTRY_COMPARE(coap->lastCode(), access == "rotated"_L1 ? 401 : 403);
            }
            // Nothing after that: a message published now (and fenced by the other subscribers) does not arrive.
            const QByteArray after = "after " + QByteArray::number(m_counter);
            QCOMPARE(httpPublish(m_c, m_keyF, after), 202);
            QTRY_COMPARE(received(u"ws"_s, u"C"_s).count(after), 1);
            QTRY_COMPARE(received(u"mqtt"_s, u"C"_s).count(after), 1);
            QTRY_COMPARE(received(u"coap"_s, u"C"_s).count(after), 1);
            QCOMPARE(got(after), 0);
            if (coap) dropCoap(coap);
        } else if (access == "not connected"_L1) {
            QVERIFY(connectThing(m_d, thing)); // a real thing, connected elsewhere
        }

        // Publishing is refused ...
        const QByteArray denied = "denied " + QByteArray::number(m_counter);
        if (protocol == "http"_L1) {
            const int status = httpPublish(m_c, key, denied);
            QVERIFY2(status == (access == "unknown key"_L1 || access == "rotated"_L1 ? 401 : 403),
                     qPrintable(QString::number(status)));
        } else if (protocol == "ws"_L1) {
            // ... before the handshake: no socket to publish on, and no subscription.
            WsClient ws(wsUrl(m_c), key.toLatin1());
            QTRY_VERIFY(ws.closed);
            QVERIFY(!ws.connected);
        } else if (protocol == "mqtt"_L1) {
            const Run published = mqttPublish(thing, key, m_c, denied);
            const bool refused =
                published.out.contains("RC:135") || published.out.toLower().contains("not authori"); // 3.1.1 and 5
            QVERIFY2(refused, published.out.constData());
            const Run subscribed =
                run(u"mosquitto_sub"_s, mqttArgs(thing, key) + QStringList{u"-V"_s, u"mqttv311"_s, u"-t"_s,
                                                                           mqttTopic(m_c), u"-C"_s, u"1"_s, u"-W"_s,
                                                                           u"5"_s});
            QVERIFY2(subscribed.out.contains("denied") || subscribed.out.toLower().contains("not authori"),
                     subscribed.out.constData());
        } else {
            const Run published = coapPublish(m_c, key, denied);
            const QByteArray code = access == "unknown key"_L1 || access == "rotated"_L1 ? "4.01" : "4.03";
            QVERIFY2(published.out.contains(code), published.out.constData());
            auto observer = coapSub(m_c, key);
            QTRY_VERIFY(observer->firstCode().has_value());
            QCOMPARE(*observer->firstCode(), access == "unknown key"_L1 || access == "rotated"_L1 ? 401 : 403);
            dropCoap(observer);
        }
        // ... and nothing of it reaches anyone (fenced by a message from F).
        const QByteArray fence = "fence " + QByteArray::number(m_counter);
        QCOMPARE(httpPublish(m_c, m_keyF, fence), 202);
        for (const QString &p : {u"ws"_s, u"mqtt"_s, u"coap"_s}) {
            QTRY_COMPARE(received(p, u"C"_s).count(fence), 1);
            QCOMPARE(received(p, u"C"_s).count(denied), 0);
        }
        const QJsonArray stored =
            m_be->get(u"/channels/%1/messages?limit=1000&publisher=%2"_s.arg(m_c, thing), m_token)
                .json()
                .value("messages"_L1)
                .toArray();
        for (const QJsonValue &v : stored)
            QVERIFY(!v.toObject().value("payload"_L1).toString().toLatin1().startsWith("denied"));
    }

    // ---- issue 18: raw device payloads on a channel that names its content type ----
    // An MQTT 3.1.1 device cannot say what it sends: on R (content_type application/json) its JSON is delivered to
    // every protocol's subscribers and stored raw with that type, and the device stays connected.
    void rawJsonOverMqtt311OnAContentTypeChannel_data()
    {
        QTest::addColumn<int>("qos");
        QTest::addRow("QoS 0") << 0;
        QTest::addRow("QoS 1") << 1;
    }
    void rawJsonOverMqtt311OnAContentTypeChannel()
    {
        QFETCH(int, qos);
        const QByteArray first = "{\"temp\":21.5,\"n\":" + QByteArray::number(++m_counter) + '}';
        const QByteArray second = "{\"temp\":22.5,\"n\":" + QByteArray::number(++m_counter) + '}';
        QTemporaryFile lines; // two messages on one connection: the first did not cost the device its session
        QVERIFY(lines.open());
        lines.write(first + '\n' + second + '\n');
        lines.flush();
        const Run r = run(u"mosquitto_pub"_s, mqttArgs(m_a, m_keyA) + QStringList{u"-V"_s, u"mqttv311"_s, u"-q"_s,
                                                                                  QString::number(qos), u"-d"_s, u"-t"_s,
                                                                                  mqttTopic(m_r), u"-l"_s},
                          15000, lines.fileName());
        QVERIFY2(r.exitCode == 0, r.out.constData());
        for (const QByteArray &payload : {first, second}) {
            QTRY_COMPARE(m_wsR->frames.count(payload), 1);
            QTRY_COMPARE(m_mqttR->payloads().count(payload), 1);
            QTRY_COMPARE(m_coapR->payloads().count(payload), 1);
            QTRY_COMPARE(storedOn(m_r).count({payload, u"application/json"_s}), 1);
        }
    }

    // The same payload on a channel that names no content type is still SenML-strict: refused, delivered to nobody,
    // stored nowhere.
    void rawJsonOnASenmlChannelIsStillRefused()
    {
        const QByteArray payload = "{\"temp\":23.5,\"n\":" + QByteArray::number(++m_counter) + '}';
        const Run r = run(u"mosquitto_pub"_s, mqttArgs(m_a, m_keyA) + QStringList{u"-V"_s, u"mqttv311"_s, u"-q"_s, u"1"_s,
                                                                                  u"-t"_s, mqttTopic(m_c), u"-m"_s,
                                                                                  QString::fromUtf8(payload)});
        QVERIFY2(r.exitCode != 0, r.out.constData()); // the connection closed before a PUBACK
        const QByteArray fence = "fence " + QByteArray::number(m_counter);
        QCOMPARE(httpPublish(m_c, m_keyF, fence), 202);
        for (const QString &p : {u"ws"_s, u"mqtt"_s, u"coap"_s}) {
            QTRY_COMPARE(received(p, u"C"_s).count(fence), 1);
            QCOMPARE(received(p, u"C"_s).count(payload), 0);
        }
        for (const auto &[stored, type] : storedOn(m_c))
            QVERIFY(stored != payload);
    }

    // CoAP without Content-Format and WebSocket without a content type take the channel's type too.
    void coapAndWsWithoutAContentTypeTakeTheChannels()
    {
        const QByteArray overCoap = "{\"coap\":" + QByteArray::number(++m_counter) + '}';
        QTemporaryFile file;
        QVERIFY(file.open());
        file.write(overCoap);
        file.flush();
        const Run c = run(QStandardPaths::findExecutable(u"coap-client-openssl"_s),
                          {u"-m"_s, u"post"_s, u"-f"_s, file.fileName(), coapUrl(m_r, m_keyA)});
        QVERIFY2(c.exitCode == 0 && c.out.trimmed().isEmpty(), c.out.constData());

        const QByteArray overWs = "{\"ws\":" + QByteArray::number(++m_counter) + '}';
        WsClient publisher(wsUrl(m_r), m_keyA.toLatin1());
        QTRY_VERIFY_WITH_TIMEOUT(publisher.connected, 10000);
        publisher.socket.sendTextMessage(QString::fromUtf8(overWs));
        for (const QByteArray &payload : {overCoap, overWs}) {
            QTRY_COMPARE(m_mqttR->payloads().count(payload), 1);
            QTRY_COMPARE(storedOn(m_r).count({payload, u"application/json"_s}), 1);
        }
        QVERIFY2(publisher.frames.isEmpty(), publisher.frames.value(0).constData()); // no error frame
    }

    // A content_type that is not a media type is refused with the reason; the channel keeps what it had.
    void badContentTypeIsRefusedAndNothingChanges()
    {
        const HttpReply r = m_be->request(
            "PUT", u"/channels/"_s + m_r,
            QJsonDocument(QJsonObject{{u"name"_s, u"r2"_s},
                                      {u"metadata"_s, QJsonObject{{u"content_type"_s, u"json please"_s}}}})
                .toJson(QJsonDocument::Compact),
            "application/json", m_token);
        QCOMPARE(r.status, 400);
        QVERIFY2(r.json().value("error"_L1).toString().contains(u"content_type"_s), r.body.constData());
        const QJsonObject channel = m_be->get(u"/channels/"_s + m_r, m_token).json();
        QCOMPARE(channel.value("name"_L1).toString(), u"r"_s);
        QCOMPARE(channel.value("metadata"_L1).toObject().value("content_type"_L1).toString(), u"application/json"_s);
    }

    // ---- bad input: floods of failed logins leave the backend serving others ----
    void failedMqttLoginFlood()
    {
        // 200 CONNECTs with a wrong key, 20 at a time, while a good client publishes: every good message arrives.
        QList<QProcess *> running;
        int refused = 0, started = 0, good = 0;
        QList<QByteArray> goodPayloads;
        while (started < 200 || !running.isEmpty()) {
            while (started < 200 && running.size() < 20) {
                auto *p = new QProcess(this);
                p->setProcessChannelMode(QProcess::MergedChannels);
                p->start(u"mosquitto_pub"_s, mqttArgs(m_f, u"wrong-key-%1"_s.arg(started)) +
                                                 QStringList{u"-t"_s, mqttTopic(m_c), u"-m"_s, u"x"_s});
                running.append(p);
                ++started;
            }
            QTest::qWait(5); // lets the backend and the processes run (not an assertion)
            for (qsizetype i = running.size() - 1; i >= 0; --i) {
                QProcess *p = running[i];
                if (p->state() != QProcess::NotRunning) continue;
                refused += p->readAll().toLower().contains("not authori") ? 1 : 0;
                running.removeAt(i);
                p->deleteLater();
            }
            if (started % 50 == 0 && good < started / 50) { // a good publish every 50 failed logins
                const QByteArray payload = "good during mqtt flood " + QByteArray::number(++good);
                const Run r = mqttPublish(m_f, m_keyF, m_c, payload);
                QVERIFY2(r.exitCode == 0 && !r.out.contains("RC:135"), r.out.constData());
                goodPayloads.append(payload);
            }
        }
        QCOMPARE(refused, 200);
        const QByteArray after = "good after mqtt flood";
        QCOMPARE(httpPublish(m_c, m_keyF, after), 202);
        goodPayloads.append(after);
        for (const QByteArray &payload : std::as_const(goodPayloads)) {
            QTRY_COMPARE_WITH_TIMEOUT(m_wsC->frames.count(payload), 1, 10000);
            QTRY_COMPARE_WITH_TIMEOUT(m_mqttC->payloads().count(payload), 1, 10000);
            QTRY_COMPARE_WITH_TIMEOUT(m_coapC->payloads().count(payload), 1, 10000);
        }
        QVERIFY(!m_mqttC->finished());
        const Run again = mqttPublish(m_f, m_keyF, m_c, "still serving");
        QVERIFY2(again.exitCode == 0, again.out.constData());
    }

    void failedWsHandshakeFlood()
    {
        // 200 handshakes with a wrong key (and 50 garbage requests), 25 at a time, while the good WebSocket
        // subscriber keeps receiving and a new good client can connect and publish.
        std::vector<std::unique_ptr<WsClient>> bad;
        std::vector<std::unique_ptr<QTcpSocket>> garbage;
        for (int i = 0; i < 200; ++i) {
            bad.push_back(std::make_unique<WsClient>(wsUrl(m_c), "wrong-" + QByteArray::number(i)));
            if (i % 4 == 0) {
                auto s = std::make_unique<QTcpSocket>();
                s->connectToHost(QHostAddress::LocalHost, wsPort());
                s->write("GET /channels/x HTTP/1.1\r\nUpgrade: websocket\r\n\x01\x02garbage\r\n\r\n");
                garbage.push_back(std::move(s));
            }
            if (i % 25 == 24) {
                const QByteArray payload = "good during ws flood " + QByteArray::number(i);
                QCOMPARE(httpPublish(m_c, m_keyF, payload), 202);
                QTRY_COMPARE_WITH_TIMEOUT(m_wsC->frames.count(payload), 1, 10000);
            }
        }
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(bad.begin(), bad.end(), [](const auto &c) { return c->closed; }), 20000);
        QVERIFY(std::none_of(bad.begin(), bad.end(), [](const auto &c) { return c->connected; }));
        QVERIFY(!m_wsC->closed);
        // The flood came from this same address, which has a connection limit (MF_HTTP_MAX_CONNECTIONS_PER_ADDRESS):
        // while the refused sockets are still being drained a new client from here may get 503, so it retries as a
        // real client would.
        bad.clear();
        garbage.clear();
        std::unique_ptr<WsClient> good;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                if (good && good->connected) return true;
                if (!good || good->closed) good = std::make_unique<WsClient>(wsUrl(m_c), m_keyF.toLatin1());
                return false;
            }(),
            15000);
        const QByteArray payload = "good after ws flood";
        QCOMPARE(good->socket.sendTextMessage(QString::fromLatin1(payload)), payload.size());
        QTRY_COMPARE_WITH_TIMEOUT(m_wsC->frames.count(payload), 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(m_mqttC->payloads().count(payload), 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(m_coapC->payloads().count(payload), 1, 10000);
    }
};

QTEST_GUILESS_MAIN(TestDeliveryMatrix)
#include "tst_deliverymatrix.moc"
