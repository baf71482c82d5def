// Sessions as connections and refusals before ingest, against a real backend (SQLite, and PostgreSQL as
// tst_fleetsessions_postgres): an open WebSocket or CoAP observation keeps its thing online until it ends; WebSocket,
// CoAP and MQTT requests refused before any message is taken (wrong key, not connected, wrong MQTT password) are kept
// for the owners and arrive on their event stream as they happen; another user hears none of it.
// No raw string literals in this file: moc 6.4 loses the class after one.
#include "../adapters/coaptestclient.h"
#include "adapters/mqtt/mqttadapter.h"
#include "bus/natsconnection.h"
#include "bus/natsserverprocess.h"
#include "core/refusal.h"
#include "testbackend.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>
#include <QWebSocket>

using namespace Qt::StringLiterals;
using mf::testing::CoapTestClient;

namespace {

// A WebSocket client that keeps every JSON frame it receives.
struct Frames
{
    QWebSocket socket;
    QList<QJsonObject> frames;
    bool closed = false;

    explicit Frames(const QUrl &url)
    {
        QObject::connect(&socket, &QWebSocket::textMessageReceived, &socket, [this](const QString &text) {
            frames.append(QJsonDocument::fromJson(text.toUtf8()).object());
        });
        QObject::connect(&socket, &QWebSocket::disconnected, &socket, [this] { closed = true; });
        socket.open(url);
    }
    bool isOpen() const { return socket.state() == QAbstractSocket::ConnectedState; }
    // The items of every frame of this type: "changes" of status events, "refusals" of refusal events.
    QList<QJsonObject> items(const QString &type) const
    {
        QList<QJsonObject> out;
        const QString list = type == "status"_L1 ? u"changes"_s : type;
        for (const QJsonObject &frame : frames)
            if (frame.value("type"_L1).toString() == type)
                for (const QJsonValue &v : frame.value(list).toArray())
                    out.append(v.toObject());
        return out;
    }
    bool hasChange(const QString &thing, bool online, const QString &reason) const
    {
        for (const QJsonObject &c : items(u"status"_s))
            if (c.value("thing"_L1).toString() == thing && c.value("online"_L1).toBool() == online &&
                c.value("reason"_L1).toString() == reason)
                return true;
        return false;
    }
    QJsonObject refusal(const QString &protocol, const QString &reasonStart) const
    {
        for (const QJsonObject &r : items(u"refusals"_s))
            if (r.value("protocol"_L1).toString() == protocol &&
                r.value("reason"_L1).toString().startsWith(reasonStart))
                return r;
        return {};
    }
};

QJsonObject find(const QJsonArray &refusals, const QString &protocol, const QString &reasonStart)
{
    for (const QJsonValue &v : refusals)
        if (v.toObject().value("protocol"_L1).toString() == protocol &&
            v.toObject().value("reason"_L1).toString().startsWith(reasonStart))
            return v.toObject();
    return {};
}

} // namespace

class TestFleetSessions : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<mf::testing::TestBackend> m_be;
    std::unique_ptr<Frames> m_events, m_otherEvents;
    QByteArray m_token, m_otherToken;
    QString m_channel, m_ws, m_wsKey, m_coap, m_coapKey, m_mqtt, m_stranger, m_strangerKey;

    QJsonObject thing(const QString &id) { return m_be->get(u"/things/"_s + id, m_token).json(); }
    bool online(const QString &id) { return thing(id).value("online"_L1).toBool(); }
    QJsonArray history(const QString &id)
    {
        return m_be->get(u"/things/%1/status"_s.arg(id), m_token).json().value("history"_L1).toArray();
    }
    QJsonArray refusals(const QString &path) { return m_be->get(path, m_token).json().value("refusals"_L1).toArray(); }
    std::pair<QString, QString> createThing(const QString &name, bool connected)
    {
        const QJsonObject t = m_be->post(u"/things"_s, {{u"name"_s, name}}, m_token).json();
        const QString id = t.value("id"_L1).toString();
        if (connected) m_be->request("PUT", u"/channels/%1/things/%2"_s.arg(m_channel, id), {}, {}, m_token);
        return {id, t.value("key"_L1).toString()};
    }
    QUrl wsUrl(const QString &path) { return QUrl(u"ws://127.0.0.1:%1%2"_s.arg(m_be->backend().wsPort()).arg(path)); }
    QUrl deviceUrl(const QString &key)
    {
        return wsUrl(u"/channels/%1/messages?authorization=%2"_s.arg(m_channel, key));
    }
    CoapTestClient::Request observe(const QString &key)
    {
        CoapTestClient::Request r;
        r.method = COAP_REQUEST_CODE_GET;
        r.path = "channels/" + m_channel.toLatin1() + "/messages";
        r.query = "authorization=" + key.toLatin1();
        r.observe = COAP_OBSERVE_ESTABLISH;
        return r;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(u"mosquitto_pub"_s).isEmpty())
            QFAIL("mosquitto-clients is not installed (scripts/install-deps.sh)");
        m_be = std::make_unique<mf::testing::TestBackend>();
        QVERIFY2(m_be->isRunning(), qPrintable(m_be->startError()));
        m_be->createUser(u"fleet@example.com"_s);
        m_token = m_be->token(u"fleet@example.com"_s);
        m_be->createUser(u"other@example.com"_s);
        m_otherToken = m_be->token(u"other@example.com"_s);
        m_channel = m_be->post(u"/channels"_s, {{u"name"_s, u"plant"_s}}, m_token).json().value("id"_L1).toString();
        QVERIFY(!m_channel.isEmpty());
        std::tie(m_ws, m_wsKey) = createThing(u"ws"_s, true);
        std::tie(m_coap, m_coapKey) = createThing(u"coap"_s, true);
        m_mqtt = createThing(u"mqtt"_s, true).first;
        std::tie(m_stranger, m_strangerKey) = createThing(u"stranger"_s, false); // not connected to the channel
        m_events = std::make_unique<Frames>(wsUrl(u"/events?authorization="_s + QString::fromLatin1(m_token)));
        m_otherEvents =
            std::make_unique<Frames>(wsUrl(u"/events?authorization="_s + QString::fromLatin1(m_otherToken)));
        QTRY_VERIFY_WITH_TIMEOUT(m_events->isOpen() && m_otherEvents->isOpen(), 5000);
    }

    void webSocketKeepsItsThingOnlineUntilItCloses()
    {
        // The device only connects: no message, and the default offline_after (5 min) would not expire it.
        Frames device(deviceUrl(m_wsKey));
        QTRY_VERIFY_WITH_TIMEOUT(device.isOpen(), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(online(m_ws), 5000);
        const QJsonObject t = thing(m_ws);
        QCOMPARE(t.value("last_protocol"_L1).toString(), u"ws"_s);
        QVERIFY(t.value("connected_since"_L1).toInteger() > 0);
        QTRY_VERIFY_WITH_TIMEOUT(m_events->hasChange(m_ws, true, u"connected"_s), 5000);
        device.socket.close();
        QTRY_VERIFY_WITH_TIMEOUT(!online(m_ws), 5000);
        QVERIFY(!thing(m_ws).contains("connected_since"_L1));
        const QJsonArray h = history(m_ws);
        QVERIFY(h.size() >= 2);
        QCOMPARE(h[0].toObject().value("reason"_L1).toString(), u"disconnected"_s);
        QCOMPARE(h[1].toObject().value("reason"_L1).toString(), u"connected"_s);
        QCOMPARE(h[1].toObject().value("protocol"_L1).toString(), u"ws"_s);
        QTRY_VERIFY_WITH_TIMEOUT(m_events->hasChange(m_ws, false, u"disconnected"_s), 5000);
    }

    void coapObservationKeepsItsThingOnlineUntilCancelled()
    {
        CoapTestClient client(m_be->backend().coapPort());
        const QByteArray token = client.send(observe(m_coapKey));
        QVERIFY(client.waitFor([&] { return !client.repliesFor(token).isEmpty(); }));
        QCOMPARE(client.repliesFor(token).first().code, 205);
        QVERIFY(client.waitFor([&] { return online(m_coap); }));
        QCOMPARE(thing(m_coap).value("last_protocol"_L1).toString(), u"coap"_s);
        QVERIFY(client.waitFor([&] { return m_events->hasChange(m_coap, true, u"connected"_s); }));
        // RFC 7641 §3.6: a GET with Observe: 1 and the observation's token ends it.
        QVERIFY(client.cancelObservation(token));
        QVERIFY(client.waitFor([&] { return !online(m_coap); }));
        QCOMPARE(history(m_coap)[0].toObject().value("reason"_L1).toString(), u"disconnected"_s);
        QVERIFY(client.waitFor([&] { return m_events->hasChange(m_coap, false, u"disconnected"_s); }));
    }

    void refusedBeforeIngestIsKeptAndLive()
    {
        const QByteArray wrongKey = "not-a-key-0123456789abcdef";
        // WebSocket: an unknown key (401) and a key of a thing not connected to the channel (403).
        Frames unknown(deviceUrl(QString::fromLatin1(wrongKey)));
        Frames stranger(deviceUrl(m_strangerKey));
        // CoAP: a publish with an unknown key (4.01), an observation by a thing not connected (4.03).
        CoapTestClient client(m_be->backend().coapPort());
        CoapTestClient::Request post;
        post.path = "channels/" + m_channel.toLatin1() + "/messages";
        post.query = "authorization=" + wrongKey;
        post.payload = "[{\"n\":\"t\",\"v\":1}]";
        auto reply = client.call(post);
        QVERIFY(reply);
        QCOMPARE(reply->code, 401);
        reply = client.call(observe(m_strangerKey));
        QVERIFY(reply);
        QCOMPARE(reply->code, 403);
        // MQTT: a login as the thing with a wrong password (a device still using a rotated key).
        QProcess pub;
        pub.start(u"mosquitto_pub"_s,
                  {u"-h"_s, u"127.0.0.1"_s, u"-p"_s, QString::number(m_be->backend().mqttAdapter()->port()), u"-u"_s,
                   m_mqtt, u"-P"_s, QString::fromLatin1(wrongKey), u"-t"_s, u"channels/%1/messages"_s.arg(m_channel),
                   u"-m"_s, u"hello"_s});
        // Not waitForFinished(): the login is answered by this thread's event loop (the backend runs in-process).
        QTRY_VERIFY_WITH_TIMEOUT(pub.state() == QProcess::NotRunning, 10000);
        QVERIFY(pub.exitCode() != 0);

        // Kept for the channel's owner: the reason and the client's address, the thing when its key named it.
        const QString channelPath = u"/channels/%1/refusals"_s.arg(m_channel);
        QJsonArray kept;
        QTRY_VERIFY_WITH_TIMEOUT((kept = refusals(channelPath)).size() >= 4, 5000);
        const QJsonObject wsUnknown = find(kept, u"ws"_s, u"unknown thing key"_s);
        QVERIFY2(!wsUnknown.isEmpty(), QJsonDocument(kept).toJson().constData());
        QVERIFY(!unknown.isOpen() && !stranger.isOpen()); // refused before the handshake
        QCOMPARE(wsUnknown.value("thing"_L1).toString(), QString());
        QCOMPARE(wsUnknown.value("client"_L1).toString(), u"127.0.0.1"_s);
        QCOMPARE(find(kept, u"ws"_s, u"thing is not connected"_s).value("thing"_L1).toString(), m_stranger);
        QCOMPARE(find(kept, u"coap"_s, u"unknown thing key"_s).value("client"_L1).toString(), u"127.0.0.1"_s);
        QCOMPARE(find(kept, u"coap"_s, u"thing is not connected"_s).value("thing"_L1).toString(), m_stranger);
        QVERIFY2(!m_be->get(channelPath, m_token).body.contains(wrongKey), "a refused key must never be shown");
        // The thing's own view: its refusals on the channel, and the refused login (no channel).
        QCOMPARE(refusals(u"/things/%1/refusals"_s.arg(m_stranger)).size(), 2);
        const QJsonObject login =
            find(refusals(u"/things/%1/refusals"_s.arg(m_mqtt)), u"mqtt"_s, u"login refused: unknown thing key"_s);
        QVERIFY(!login.isEmpty());
        QCOMPARE(login.value("channel"_L1).toString(), QString());
        QVERIFY2(login.value("client"_L1).toString().endsWith(u"@127.0.0.1"_s),
                 qPrintable(login.value("client"_L1).toString()));

        // The same rows on the owner's event stream, as they happened.
        QTRY_VERIFY_WITH_TIMEOUT(!m_events->refusal(u"mqtt"_s, u"login refused"_s).isEmpty(), 5000);
        QCOMPARE(m_events->refusal(u"ws"_s, u"unknown thing key"_s).value("channel"_L1).toString(), m_channel);
        QCOMPARE(m_events->refusal(u"ws"_s, u"thing is not connected"_s).value("thing"_L1).toString(), m_stranger);
        QCOMPARE(m_events->refusal(u"coap"_s, u"thing is not connected"_s).value("thing"_L1).toString(), m_stranger);
        QVERIFY(!m_events->refusal(u"coap"_s, u"unknown thing key"_s).isEmpty());
        for (const QJsonObject &frame : std::as_const(m_events->frames))
            QVERIFY2(!QJsonDocument(frame).toJson().contains(wrongKey), "a refused key must never be sent");

        // The other user's own refusal is the sentinel: once it arrived, none of the first user's would have.
        const QString otherChannel =
            m_be->post(u"/channels"_s, {{u"name"_s, u"theirs"_s}}, m_otherToken).json().value("id"_L1).toString();
        QCOMPARE(m_be->request("POST", u"/http/channels/%1/messages"_s.arg(otherChannel), "[]",
                               "application/senml+json", "another-wrong-key-0123456789")
                     .status,
                 401);
        QTRY_VERIFY_WITH_TIMEOUT(!m_otherEvents->refusal(u"http"_s, u"unknown thing key"_s).isEmpty(), 5000);
        for (const QJsonObject &r : m_otherEvents->items(u"refusals"_s))
            QCOMPARE(r.value("channel"_L1).toString(), otherChannel);
        for (const QJsonObject &frame : std::as_const(m_otherEvents->frames)) {
            const QByteArray text = QJsonDocument(frame).toJson();
            QVERIFY2(!text.contains(m_channel.toLatin1()) && !text.contains(m_stranger.toLatin1()) &&
                         !text.contains(m_ws.toLatin1()),
                     text.constData());
        }
    }

    void aFloodOfRefusalsIsBoundedOnTheStream()
    {
        // 300 refusals at once on the bus (as adapters send them): each is either a row on the owner's stream or
        // counted in a "dropped" event; the stream carries at most 50 rows a second (300 arrive within 2 seconds).
        mf::bus::NatsConnection nats;
        QVERIFY(nats.open({m_be->backend().natsServer()->url()}, u"flood"_s).has_value());
        const int before = int(m_events->items(u"refusals"_s).size());
        constexpr int flood = 300;
        for (int i = 0; i < flood; ++i) {
            mf::Refusal r{QDateTime::currentMSecsSinceEpoch(),
                          m_channel,
                          {},
                          u"coap"_s,
                          u"10.0.0.9"_s,
                          u"flood %1"_s.arg(i),
                          "x",
                          1};
            QVERIFY(nats.publish("refusals", mf::encodeRefusal(r)).has_value());
        }
        QVERIFY(nats.flush().has_value());
        const auto accounted = [&] {
            qint64 dropped = 0;
            for (const QJsonObject &frame : std::as_const(m_events->frames))
                dropped += frame.value("dropped"_L1).toInteger();
            return m_events->items(u"refusals"_s).size() - before + dropped;
        };
        QTRY_COMPARE_WITH_TIMEOUT(accounted(), qint64(flood), 10000);
        const qsizetype rows = m_events->items(u"refusals"_s).size() - before;
        QVERIFY2(rows > 0 && rows <= 100, qPrintable(QString::number(rows)));
    }
};

QTEST_GUILESS_MAIN(TestFleetSessions)
#include "tst_fleetsessions.moc"
