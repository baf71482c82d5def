// HTTP publishing → durable stream → writer → reader, end to end in one in-process backend (SQLite; PostgreSQL as
// tst_httpmessages_postgres). No raw string literals in this file: moc 6.4 loses the class after one.
#include "testbackend.h"

#include "bus/natsserverprocess.h"
#include "../bus/natsfixture.h"

#include <QCborArray>
#include <QDir>
#include <QCborMap>
#include <QJsonArray>
#include <QTcpSocket>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mf;
using mf::testing::HttpReply;

class TestHttpMessages : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<testing::TestBackend> m_be;
    QByteArray m_token;
    QString m_thing, m_key, m_channel;

    QJsonObject json(const HttpReply &r) { return r.json(); }
    QString field(const HttpReply &r, const char *name) { return r.json().value(QLatin1StringView(name)).toString(); }

    void setUpFleet(testing::TestBackend &be)
    {
        be.createUser(u"ann@example.com"_s);
        m_token = be.token(u"ann@example.com"_s);
        HttpReply r = be.post(u"/things"_s, {{u"name"_s, u"boiler"_s}}, m_token);
        m_thing = field(r, "id");
        m_key = field(r, "key");
        m_channel = field(be.post(u"/channels"_s, {{u"name"_s, u"room"_s}}, m_token), "id");
        QCOMPARE(be.request("PUT", u"/channels/%1/things/%2"_s.arg(m_channel, m_thing), {}, {}, m_token).status, 200);
    }
    HttpReply publish(const QByteArray &body, const QByteArray &contentType, const QByteArray &auth,
                      const QString &subtopic = {}, const QString &channel = {})
    {
        QString path = u"/http/channels/%1/messages"_s.arg(channel.isEmpty() ? m_channel : channel);
        if (!subtopic.isEmpty())
            path += u'/' + subtopic;
        return m_be->request("POST", path, body, contentType, auth);
    }
    QJsonArray readAll(const QString &query = {})
    {
        return m_be->get(u"/channels/%1/messages?limit=1000%2"_s.arg(m_channel, query), m_token)
            .json()
            .value("messages"_L1)
            .toArray();
    }
    int storedCount() { return m_be->get(u"/channels/%1/messages"_s.arg(m_channel), m_token).json().value("total"_L1).toInt(); }

private slots:
    void init()
    {
        m_be = std::make_unique<testing::TestBackend>();
        QVERIFY2(m_be->isRunning(), qPrintable(m_be->startError()));
        setUpFleet(*m_be);
    }
    void cleanup() { m_be.reset(); }

    void senmlRecordsComeBackResolved()
    {
        const QByteArray pack = "[{\"bn\":\"boiler:\",\"bt\":1700000000,\"bu\":\"Cel\",\"n\":\"temp\",\"v\":71.5},"
                                "{\"n\":\"pressure\",\"u\":\"bar\",\"v\":2.25,\"t\":1},"
                                "{\"n\":\"on\",\"vb\":true,\"t\":2},{\"n\":\"label\",\"vs\":\"ok\",\"t\":3},"
                                "{\"n\":\"energy\",\"s\":12.5,\"t\":4}]";
        QCOMPARE(publish(pack, "application/senml+json", "Thing " + m_key.toLatin1()).status, 202);
        QTRY_COMPARE(storedCount(), 5);
        const QJsonArray messages = readAll(); // newest first
        const QJsonObject temp = messages.at(4).toObject();
        QCOMPARE(temp.value("name"_L1).toString(), u"boiler:temp"_s);
        QCOMPARE(temp.value("unit"_L1).toString(), u"Cel"_s);
        QCOMPARE(temp.value("value"_L1).toDouble(), 71.5);
        QCOMPARE(temp.value("time"_L1).toDouble(), 1700000000.0);
        QCOMPARE(temp.value("publisher"_L1).toString(), m_thing);
        QCOMPARE(temp.value("protocol"_L1).toString(), u"http"_s);
        QCOMPARE(temp.value("channel"_L1).toString(), m_channel);
        const QJsonObject pressure = messages.at(3).toObject();
        QCOMPARE(pressure.value("unit"_L1).toString(), u"bar"_s);
        QCOMPARE(pressure.value("time"_L1).toDouble(), 1700000001.0);
        QCOMPARE(messages.at(2).toObject().value("bool_value"_L1).toBool(), true);
        QCOMPARE(messages.at(1).toObject().value("string_value"_L1).toString(), u"ok"_s);
        QCOMPARE(messages.at(0).toObject().value("sum"_L1).toDouble(), 12.5);
        QCOMPARE(readAll(u"&name=boiler:pressure"_s).size(), 1);
        QCOMPARE(readAll(u"&from=1700000002&to=1700000003"_s).size(), 2);
        QCOMPARE(readAll(u"&publisher="_s + m_thing).size(), 5);
    }

    // /health keeps Mainflux's {"status": "pass"} and adds each service, the bus and its children, and how many
    // messages were accepted (the dashboard's messages per second).
    void healthReportsServicesAndMessages()
    {
        QJsonObject health = m_be->get(u"/health"_s, {}).json();
        QCOMPARE(health.value("status"_L1).toString(), u"pass"_s);
        const QJsonObject services = health.value("services"_L1).toObject();
        for (const char *name : {"users", "things", "http", "writer", "bus", "nats-server", "mosquitto"})
            QCOMPARE(services.value(QLatin1StringView(name)).toString(), u"pass"_s);
        const double before = health.value("messages"_L1).toObject().value("accepted"_L1).toDouble();
        for (int i = 0; i < 3; ++i)
            QCOMPARE(publish("x", "text/plain", m_key.toLatin1()).status, 202);
        health = m_be->get(u"/health"_s, {}).json();
        QCOMPARE(health.value("messages"_L1).toObject().value("accepted"_L1).toDouble(), before + 3);
        QTRY_COMPARE(m_be->get(u"/health"_s, {}).json().value("messages"_L1).toObject().value("stored"_L1).toDouble(),
                     3.0);
    }

    void relativeTimesCountFromAcceptance()
    {
        const double before = QDateTime::currentMSecsSinceEpoch() / 1000.0;
        QCOMPARE(publish("[{\"n\":\"dev:t\",\"v\":1,\"t\":-10}]", "application/senml+json", m_key.toLatin1()).status, 202);
        const double after = QDateTime::currentMSecsSinceEpoch() / 1000.0;
        QTRY_COMPARE(storedCount(), 1);
        const double time = readAll().at(0).toObject().value("time"_L1).toDouble();
        QVERIFY2(time >= before - 10.01 && time <= after - 9.99, qPrintable(QString::number(time, 'f', 3)));
    }

    void cborAndRawPayloads()
    {
        QCborMap record;
        record.insert(-2, u"dev:"_s); // bn
        record.insert(0, u"volt"_s);  // n
        record.insert(1, u"V"_s);     // u
        record.insert(2, 230.5);      // v
        record.insert(6, 1700000100); // t
        QCOMPARE(publish(QCborArray{record}.toCborValue().toCbor(), "application/senml+cbor", m_key.toLatin1()).status,
                 202);
        const QByteArray binary("\x00\xff\x10raw", 6);
        QCOMPARE(publish(binary, "application/octet-stream", m_key.toLatin1(), u"room1/boiler"_s).status, 202);
        QCOMPARE(publish("{\"free\":\"json\"}", "application/json", m_key.toLatin1()).status, 202);
        QTRY_COMPARE(storedCount(), 3);
        const QJsonArray cbor = readAll(u"&name=dev:volt"_s);
        QCOMPARE(cbor.size(), 1);
        QCOMPARE(cbor.at(0).toObject().value("value"_L1).toDouble(), 230.5);
        QCOMPARE(cbor.at(0).toObject().value("unit"_L1).toString(), u"V"_s);
        const QJsonArray raw = readAll(u"&subtopic=room1/boiler"_s);
        QCOMPARE(raw.size(), 1);
        QCOMPARE(raw.at(0).toObject().value("subtopic"_L1).toString(), u"room1.boiler"_s);
        QCOMPARE(raw.at(0).toObject().value("content_type"_L1).toString(), u"application/octet-stream"_s);
        QCOMPARE(QByteArray::fromBase64(raw.at(0).toObject().value("payload_base64"_L1).toString().toLatin1()), binary);
        bool foundJson = false;
        for (const QJsonValue &m : readAll())
            foundJson = foundJson || m.toObject().value("payload"_L1).toString() == u"{\"free\":\"json\"}"_s;
        QVERIFY(foundJson);
    }

    // Every refused publish leaves nothing behind: a good message sent afterwards is the only one stored.
    void refusedPublishesStoreNothing_data()
    {
        QTest::addColumn<QString>("auth");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QString>("subtopic");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("errorContains");
        const QByteArray ok = "[{\"n\":\"dev:x\",\"v\":1}]";
        const QByteArray senml = "application/senml+json";
        QTest::addRow("no key") << u"none"_s << ok << senml << QString() << 401 << u"missing"_s;
        QTest::addRow("unknown key") << u"unknown"_s << ok << senml << QString() << 401 << u"unknown"_s;
        QTest::addRow("not connected") << u"other-thing"_s << ok << senml << QString() << 403 << u"not connected"_s;
        QTest::addRow("basic with wrong thing id") << u"basic-wrong-id"_s << ok << senml << QString() << 401 << u"thing id"_s;
        QTest::addRow("user token is not a thing key") << u"user-token"_s << ok << senml << QString() << 401 << u"unknown"_s;
        QTest::addRow("invalid senml name") << u"key"_s << QByteArray("[{\"n\":\"bad name\",\"v\":1}]") << senml
                                            << QString() << 400 << u"record 0"_s;
        QTest::addRow("senml not an array") << u"key"_s << QByteArray("{\"n\":\"x\",\"v\":1}") << senml << QString()
                                            << 400 << u"invalid SenML"_s;
        QTest::addRow("senml empty pack") << u"key"_s << QByteArray("[]") << senml << QString() << 400 << u"empty"_s;
        QTest::addRow("senml malformed json") << u"key"_s << QByteArray("[{\"n\":") << senml << QString() << 400
                                              << u"invalid SenML"_s;
        QTest::addRow("senml second record invalid")
            << u"key"_s << QByteArray("[{\"n\":\"dev:a\",\"v\":1},{\"n\":\"dev:b\",\"v\":\"x\"}]") << senml << QString()
            << 400 << u"record 1"_s;
        QTest::addRow("invalid cbor") << u"key"_s << QByteArray("\x9f\x01", 2) << QByteArray("application/senml+cbor")
                                      << QString() << 400 << u"invalid SenML"_s;
        QTest::addRow("wildcard subtopic") << u"key"_s << ok << senml << u"room*"_s << 400 << u"subtopic"_s;
        // Issue 20: a subtopic this long once made nats-server close the bus connection for good.
        QTest::addRow("4100-character subtopic") << u"key"_s << ok << senml << QString(4100, u's') << 400
                                                 << u"at most 1024"_s;
        // "a/%2e%2e" cannot be sent through QNetworkAccessManager (QUrl resolves it): tst_httplimits sends it raw.
        QTest::addRow("too large") << u"key"_s << QByteArray(1024 * 1024 + 1, 'x') << QByteArray("text/plain")
                                   << QString() << 413 << u"larger"_s;
    }
    void refusedPublishesStoreNothing()
    {
        QFETCH(QString, auth);
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, contentType);
        QFETCH(QString, subtopic);
        QFETCH(int, status);
        QFETCH(QString, errorContains);
        QByteArray header;
        if (auth == "key"_L1)
            header = m_key.toLatin1();
        else if (auth == "unknown"_L1)
            header = "00000000-0000-4000-8000-00000000abcd";
        else if (auth == "user-token"_L1)
            header = "Bearer " + m_token;
        else if (auth == "basic-wrong-id"_L1)
            header = "Basic " + (u"someone-else:"_s + m_key).toLatin1().toBase64();
        else if (auth == "other-thing"_L1)
            header = field(m_be->post(u"/things"_s, {{u"name"_s, u"lonely"_s}}, m_token), "key").toLatin1();
        const HttpReply refused = publish(body, contentType, header, subtopic);
        QCOMPARE(refused.status, status);
        QVERIFY2(refused.error().contains(errorContains), refused.body.constData());

        QCOMPARE(publish("[{\"n\":\"dev:marker\",\"v\":1}]", "application/senml+json",
                         "Basic " + (m_thing + u':' + m_key).toLatin1().toBase64())
                     .status,
                 202);
        QTRY_COMPARE(storedCount(), 1);
        QCOMPARE(readAll().at(0).toObject().value("name"_L1).toString(), u"dev:marker"_s);
    }

    void accessChangesTakeEffectAtOnce()
    {
        const QByteArray key = m_key.toLatin1();
        QCOMPARE(publish("x", "text/plain", key).status, 202);
        const HttpReply rotated = m_be->request("PATCH", u"/things/%1/key"_s.arg(m_thing), {}, {}, m_token);
        QCOMPARE(publish("x", "text/plain", key).status, 401);
        const QByteArray newKey = field(rotated, "key").toLatin1();
        QCOMPARE(publish("x", "text/plain", newKey).status, 202);
        QCOMPARE(m_be->request("DELETE", u"/channels/%1/things/%2"_s.arg(m_channel, m_thing), {}, {}, m_token).status, 204);
        QCOMPARE(publish("x", "text/plain", newKey).status, 403);
        QTRY_COMPARE(storedCount(), 2);
    }

    void readerAccess_data()
    {
        QTest::addColumn<QString>("who");
        QTest::addColumn<QString>("query");
        QTest::addColumn<int>("status");
        QTest::addRow("owner token") << u"owner"_s << QString() << 200;
        QTest::addRow("connected thing key") << u"key"_s << QString() << 200;
        QTest::addRow("other user") << u"bob"_s << QString() << 404;
        QTest::addRow("unconnected thing key") << u"lonely"_s << QString() << 403;
        QTest::addRow("nothing") << u"none"_s << QString() << 401;
        QTest::addRow("garbage") << u"garbage"_s << QString() << 401;
        QTest::addRow("limit too big") << u"owner"_s << u"?limit=1001"_s << 400;
        QTest::addRow("limit zero") << u"owner"_s << u"?limit=0"_s << 400;
        QTest::addRow("offset negative") << u"owner"_s << u"?offset=-5"_s << 400;
        QTest::addRow("from not a number") << u"owner"_s << u"?from=yesterday"_s << 400;
        QTest::addRow("name twice") << u"owner"_s << u"?name=a&name=b"_s << 400;
    }
    void readerAccess()
    {
        QFETCH(QString, who);
        QFETCH(QString, query);
        QFETCH(int, status);
        QByteArray auth;
        if (who == "owner"_L1)
            auth = m_token;
        else if (who == "key"_L1)
            auth = m_key.toLatin1();
        else if (who == "bob"_L1) {
            m_be->createUser(u"bob@example.com"_s);
            auth = m_be->token(u"bob@example.com"_s);
        } else if (who == "lonely"_L1)
            auth = field(m_be->post(u"/things"_s, {{u"name"_s, u"lonely"_s}}, m_token), "key").toLatin1();
        else if (who == "garbage"_L1)
            auth = "x.y.z";
        const HttpReply r = m_be->get(u"/channels/%1/messages"_s.arg(m_channel) + query, auth);
        QCOMPARE(r.status, status);
        if (status == 200)
            QVERIFY(r.json().value("messages"_L1).isArray());
        else
            QVERIFY(!r.error().isEmpty());
    }

    // curl sends Expect: 100-continue for uploads; Qt 6.4 would make it wait a second.
    void expectContinueIsAnswered()
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_be->backend().httpPort());
        QVERIFY(socket.waitForConnected(5000));
        const QByteArray body = "hello";
        socket.write("POST /http/channels/" + m_channel.toLatin1() + "/messages HTTP/1.1\r\nHost: x\r\nAuthorization: " +
                     m_key.toLatin1() + "\r\nContent-Type: text/plain\r\nExpect: 100-continue\r\nContent-Length: " +
                     QByteArray::number(body.size()) + "\r\n\r\n");
        QByteArray received;
        QTRY_VERIFY((received += socket.readAll()).contains("100 Continue"));
        QVERIFY(!received.contains("202"));
        socket.write(body);
        QTRY_VERIFY((received += socket.readAll()).contains("HTTP/1.1 202"));
    }

    void clientLeavingEarlyDoesNotCrash()
    {
        for (int i = 0; i < 5; ++i) {
            QTcpSocket socket;
            socket.connectToHost(QHostAddress::LocalHost, m_be->backend().httpPort());
            QVERIFY(socket.waitForConnected(5000));
            socket.write("POST /http/channels/" + m_channel.toLatin1() + "/messages HTTP/1.1\r\nHost: x\r\n"
                         "Authorization: " + m_key.toLatin1() + "\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi");
            socket.waitForBytesWritten(1000);
            socket.abort(); // gone before the 202 (which waits for the stream's ack)
        }
        // One more publish after them: the server still serves, and what the leavers sent is stored, each once.
        QCOMPARE(publish("after", "text/plain", m_key.toLatin1()).status, 202);
        QTRY_COMPARE(storedCount(), 6);
    }

    // The database may outlive the message stream (a new nats-server data dir, another NATS): the new stream counts
    // from 1 again, and its messages must not be taken for the old ones already stored.
    void databaseOutlivesItsStream()
    {
        QCOMPARE(publish("first stream", "text/plain", m_key.toLatin1()).status, 202);
        QTRY_COMPARE(storedCount(), 1);
        const QString dbUrl = m_be->databaseUrl().isEmpty()
                                  ? u"sqlite:"_s + QDir(m_be->dataDir()).filePath(u"mainflux.db"_s)
                                  : m_be->databaseUrl();
        testing::TestBackend second({{u"MF_DB_URL"_s, dbUrl}}, testing::TestBackend::KeepDatabase); // its own stream
        QVERIFY2(second.isRunning(), qPrintable(second.startError()));
        QCOMPARE(second.request("POST", u"/http/channels/%1/messages"_s.arg(m_channel), "second stream", "text/plain",
                                m_key.toLatin1())
                     .status,
                 202);
        QTRY_COMPARE(storedCount(), 2);
    }

    // Mainflux ran the HTTP adapter as its own service: with MF_HTTP_ADAPTER_PORT it answers at /channels/{id}/messages.
    void adapterOnItsOwnPort()
    {
        m_be = std::make_unique<testing::TestBackend>(QHash<QString, QString>{{u"MF_HTTP_ADAPTER_PORT"_s, u"0"_s}});
        QVERIFY2(m_be->isRunning(), qPrintable(m_be->startError()));
        setUpFleet(*m_be);
        const quint16 port = m_be->backend().httpAdapterPort();
        QVERIFY(port != 0 && port != m_be->backend().httpPort());
        QCOMPARE(m_be->backend().readyInfo().value("ports"_L1).toObject().value("http_adapter"_L1).toInt(), port);
        const QString base = u"http://127.0.0.1:%1/channels/%2/messages"_s.arg(port).arg(m_channel);
        QCOMPARE(m_be->request("POST", base + u"/room1"_s, "on its own port", "text/plain", m_key.toLatin1()).status, 202);
        QCOMPARE(m_be->request("POST", base, "x", "text/plain", "wrong-key-wrong-key").status, 401);
        QCOMPARE(m_be->request("GET", u"http://127.0.0.1:%1/things"_s.arg(port), {}, {}, m_token).status, 404);
        QTRY_COMPARE(storedCount(), 1);
        QCOMPARE(readAll().at(0).toObject().value("subtopic"_L1).toString(), u"room1"_s);
    }

    // The bus going away: publishing answers 503, and recovers by itself when the bus is back.
    void busOutageAnswers503AndRecovers()
    {
        bus::test::NatsFixture nats;
        QVERIFY(nats.start());
        const quint16 port = nats.server()->port();
        testing::TestBackend be({{u"MF_NATS_URL"_s, nats.url()}});
        QVERIFY2(be.isRunning(), qPrintable(be.startError()));
        m_be.reset();
        setUpFleet(be);
        const QString path = u"/http/channels/%1/messages"_s.arg(m_channel);
        QCOMPARE(be.request("POST", path, "before", "text/plain", m_key.toLatin1()).status, 202);

        // Every 202 is a promise: those messages must be stored. A 503 promises nothing (a publish the bus
        // buffered may still land after it comes back), so only the 202s are checked.
        QStringList accepted{u"before"_s};
        const auto send = [&](const QString &payload) {
            const int status = be.request("POST", path, payload.toUtf8(), "text/plain", m_key.toLatin1()).status;
            if (status == 202)
                accepted.append(payload);
            return status;
        };
        nats.server()->stop();
        int sent = 0;
        QTRY_COMPARE(send(u"during-%1"_s.arg(++sent)), 503);
        const HttpReply down = be.request("POST", path, "x", "text/plain", m_key.toLatin1());
        QCOMPARE(down.status, 503);
        QVERIFY2(down.error().contains("bus"_L1), down.body.constData());

        bus::NatsServerProcess again(nats.dataDir(), port);
        QVERIFY(again.start());
        QTRY_COMPARE_WITH_TIMEOUT(send(u"after-%1"_s.arg(++sent)), 202, 15000);
        const auto stored = [&] {
            QStringList payloads;
            for (const QJsonValue &m : be.get(u"/channels/%1/messages?limit=1000"_s.arg(m_channel), m_token)
                                           .json()
                                           .value("messages"_L1)
                                           .toArray())
                payloads.append(m.toObject().value("payload"_L1).toString());
            for (const QString &payload : accepted)
                if (!payloads.contains(payload))
                    return false;
            return true;
        };
        QTRY_VERIFY_WITH_TIMEOUT(stored(), 15000);
    }
};

QTEST_GUILESS_MAIN(TestHttpMessages)
#include "tst_httpmessages.moc"
