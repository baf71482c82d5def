// The MQTT adapter end to end: an in-process backend (SQLite; PostgreSQL as tst_mqttadapter_postgres) running the
// supervised mosquitto with mainflux-mosquitto-plugin, driven only by clients this project did not write: Debian's
// mosquitto_pub/mosquitto_sub (QProcess), Paho C++ (MQTT 3.1.1 and 5) and MQTT.js over WebSocket.
// No raw string literals in this file: moc 6.4 loses the class after one.
#include "adapters/mqtt/mqttadapter.h"
#include "api/metrics.h"
#include "testbackend.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTest>
#include <csignal>
#include <mqtt/async_client.h>

using namespace Qt::StringLiterals;
using namespace mf;
using mf::testing::HttpReply;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
};

// Waits for a Paho token while this thread's event loop runs: the in-process backend answers the broker's access
// requests from this thread, so a blocking wait would starve it. Rethrows the token's error like wait().
void await(const mqtt::token_ptr &token, int ms = 10000)
{
    const QDeadlineTimer deadline(ms);
    while (!token->try_wait() && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    token->wait_for(std::chrono::milliseconds(1));
}

// A Paho C++ client with the consumer queue turned on: messages are taken with receive().
class Paho
{
public:
    Paho(quint16 port, const QString &clientId, int version)
        : m_version(version), m_client(u"tcp://127.0.0.1:%1"_s.arg(port).toStdString(), clientId.toStdString(),
                                       mqtt::create_options(version == 5 ? MQTTVERSION_5 : MQTTVERSION_3_1_1))
    {
        m_client.set_connection_lost_handler([this](const std::string &) { m_lost = true; });
        m_client.start_consuming();
    }
    ~Paho()
    {
        try {
            if (m_client.is_connected()) await(m_client.disconnect(), 2000);
        } catch (...) {
        }
    }
    // Empty string when connected, else the error.
    // `clean` false: a persistent session (MQTT 3.1.1 clean session off), kept by the broker while disconnected.
    QString connect(const QString &user, const QString &password, std::optional<mqtt::message> will = {},
                    bool clean = true)
    {
        auto builder = mqtt::connect_options_builder().user_name(user.toStdString()).password(password.toStdString());
        if (m_version == 5)
            builder.mqtt_version(MQTTVERSION_5).clean_start(clean);
        else
            builder.mqtt_version(MQTTVERSION_3_1_1).clean_session(clean);
        auto options = builder.finalize();
        if (will) options.set_will_message(*will);
        try {
            await(m_client.connect(options));
            return m_client.is_connected() ? QString() : u"not connected"_s;
        } catch (const mqtt::exception &e) {
            return QString::fromStdString(e.what());
        }
    }
    // The granted QoS or reason code of the one subscription (>= 0x80 = refused), -1 on a transport failure.
    int subscribe(const QString &filter, int qos)
    {
        try {
            auto token = m_client.subscribe(filter.toStdString(), qos);
            await(token);
            if (m_version == 5) {
                const auto codes = token->get_subscribe_response().get_reason_codes();
                return codes.empty() ? -1 : int(codes.front());
            }
            return 0;
        } catch (const mqtt::exception &e) {
            return e.get_reason_code() ? e.get_reason_code() : 0x80;
        }
    }
    // The PUBACK/PUBREC reason code (0 = success, MQTT 5 only), -1 on failure.
    int publish(const QString &topic, const QByteArray &payload, int qos, bool retained = false,
                const QString &contentType = {})
    {
        auto msg = mqtt::make_message(topic.toStdString(), payload.constData(), size_t(payload.size()), qos, retained);
        if (!contentType.isEmpty() && m_version == 5) {
            mqtt::properties props;
            props.add(mqtt::property(mqtt::property::CONTENT_TYPE, contentType.toStdString()));
            msg->set_properties(props);
        }
        try {
            auto token = m_client.publish(msg);
            await(token);
            return int(token->get_reason_code());
        } catch (const mqtt::exception &e) {
            return e.get_reason_code() ? e.get_reason_code() : -1;
        }
    }
    mqtt::const_message_ptr receive(int ms)
    {
        mqtt::const_message_ptr msg;
        const QDeadlineTimer deadline(ms);
        while (!deadline.hasExpired()) {
            if (m_client.try_consume_message_for(&msg, std::chrono::milliseconds(20)) && msg) return msg;
            QCoreApplication::processEvents(); // the in-process backend answers from this thread
        }
        return nullptr;
    }
    void disconnect() { await(m_client.disconnect(), 2000); }
    bool isConnected() const { return m_client.is_connected(); }
    bool lost() const { return m_lost; }

private:
    int m_version;
    mqtt::async_client m_client;
    std::atomic<bool> m_lost{false};
};

} // namespace

class TestMqttAdapter : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<testing::TestBackend> m_be;
    QByteArray m_token;
    QString m_thing, m_key, m_channel, m_other, m_otherKey;
    quint16 m_port = 0;

    QString field(const HttpReply &r, const char *name) { return r.json().value(QLatin1StringView(name)).toString(); }
    QString topic(const QString &sub = {}) const
    {
        return u"channels/%1/messages"_s.arg(m_channel) + (sub.isEmpty() ? QString() : u'/' + sub);
    }
    int stored(const QString &query = {})
    {
        return m_be->get(u"/channels/%1/messages%2"_s.arg(m_channel, query), m_token).json().value("total"_L1).toInt();
    }
    QJsonArray messages(const QString &query = {})
    {
        return m_be->get(u"/channels/%1/messages?limit=100%2"_s.arg(m_channel, query), m_token)
            .json()
            .value("messages"_L1)
            .toArray();
    }
    // Runs a mosquitto client to completion while the in-process backend keeps serving.
    Run run(const QString &program, const QStringList &args, int timeoutMs = 15000)
    {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(program, QStringList{u"-h"_s, u"127.0.0.1"_s, u"-p"_s, QString::number(m_port)} + args);
        if (!p.waitForStarted(5000)) return {};
        const bool done = QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, timeoutMs);
        if (!done) p.kill(), p.waitForFinished();
        return {done ? p.exitCode() : -1, p.readAll()};
    }
    Run pub(const QStringList &args) { return run(u"mosquitto_pub"_s, args); }
    QString createThing(const QString &name, QString *key)
    {
        const HttpReply r = m_be->post(u"/things"_s, {{u"name"_s, name}}, m_token);
        *key = field(r, "key");
        return field(r, "id");
    }
    void connectThing(const QString &channel, const QString &thing)
    {
        QCOMPARE(m_be->request("PUT", u"/channels/%1/things/%2"_s.arg(channel, thing), {}, {}, m_token).status, 200);
    }
    std::unique_ptr<Paho> connected(const QString &id, int version, const QString &user, const QString &key)
    {
        auto c = std::make_unique<Paho>(m_port, id, version);
        const QString error = c->connect(user, key);
        if (!error.isEmpty()) qWarning() << "connect failed:" << error;
        return error.isEmpty() ? std::move(c) : nullptr;
    }

    // Publishes over HTTP on the subtopic and returns once the broker handed the message to every subscription of
    // its topic, an away persistent session's included: an online subscriber of the same topic has it then (one
    // pass over the topic's subscribers).
    void publishWhileAway(const QString &subtopic, const QByteArray &body)
    {
        auto watcher = connected(u"watcher-"_s + subtopic, 4, m_thing, m_key);
        QVERIFY(watcher);
        QCOMPARE(watcher->subscribe(topic(subtopic), 1), 0);
        QCOMPARE(m_be->request("POST", u"/http/channels/%1/messages/%2"_s.arg(m_channel, subtopic), body,
                               "application/senml+json", m_key.toLatin1())
                     .status,
                 202);
        QVERIFY(watcher->receive(5000));
    }

private slots:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(u"mosquitto_pub"_s).isEmpty())
            QFAIL("mosquitto-clients is not installed (scripts/install-deps.sh)");
        // A generous access timeout: this machine is shared with parallel builds, and a timeout would show up as
        // a refused connection, not as a slow test.
        m_be =
            std::make_unique<testing::TestBackend>(QHash<QString, QString>{{u"MF_MQTT_AUTH_TIMEOUT_MS"_s, u"3000"_s}});
        QVERIFY2(m_be->isRunning(), qPrintable(m_be->startError()));
        QVERIFY(m_be->backend().mqttAdapter());
        m_port = m_be->backend().mqttAdapter()->port();
        QVERIFY(m_port > 0);
        m_be->createUser(u"ann@example.com"_s);
        m_token = m_be->token(u"ann@example.com"_s);
        m_thing = createThing(u"boiler"_s, &m_key);
        m_other = createThing(u"lonely"_s, &m_otherKey); // connected to nothing
        m_channel = field(m_be->post(u"/channels"_s, {{u"name"_s, u"room"_s}}, m_token), "id");
        connectThing(m_channel, m_thing);
    }
    void cleanupTestCase() { m_be.reset(); }

    void readyLineHasPorts()
    {
        const QJsonObject ports = m_be->backend().readyInfo().value("ports"_L1).toObject();
        QCOMPARE(ports.value("mqtt"_L1).toInt(), int(m_port));
        QVERIFY(ports.value("mqtt_ws"_L1).toInt() > 0);
        QFile config(m_be->dataDir() + u"/mosquitto/mosquitto.conf"_s);
        QVERIFY(config.open(QIODevice::ReadOnly));
        const QByteArray text = config.readAll();
        QVERIFY(text.contains("per_listener_settings false"));
        QVERIFY(text.contains("allow_anonymous false"));
    }

    void connectChecksTheKey_data()
    {
        QTest::addColumn<QString>("version");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("clientId");
        QTest::addColumn<bool>("accepted");
        for (const QString &v : {u"mqttv311"_s, u"mqttv5"_s}) {
            const QByteArray tag = v.toLatin1();
            QTest::addRow("%s thing id + key", tag.constData()) << v << u"@thing"_s << u"@key"_s << u"c1"_s << true;
            if (v == "mqttv5"_L1) // MQTT 3.1.1 forbids a password without a username
                QTest::addRow("%s empty username + key", tag.constData())
                    << v << QString() << u"@key"_s << u"c2"_s << true;
            QTest::addRow("%s unknown key", tag.constData())
                << v << u"@thing"_s << u"00000000-0000-4000-8000-000000000000"_s << u"c3"_s << false;
            QTest::addRow("%s another thing's id", tag.constData())
                << v << u"@other"_s << u"@key"_s << u"c4"_s << false;
            QTest::addRow("%s no password", tag.constData()) << v << u"@thing"_s << QString() << u"c5"_s << false;
            QTest::addRow("%s user token as password", tag.constData())
                << v << u"@thing"_s << u"@token"_s << u"c6"_s << false;
            QTest::addRow("%s reserved client id", tag.constData())
                << v << u"@thing"_s << u"@key"_s << u"$mf-wake-x"_s << false;
        }
    }
    void connectChecksTheKey()
    {
        QFETCH(QString, version);
        QFETCH(QString, user);
        QFETCH(QString, password);
        QFETCH(QString, clientId);
        QFETCH(bool, accepted);
        const auto resolve = [&](QString s) {
            return s.replace(u"@thing"_s, m_thing)
                .replace(u"@other"_s, m_other)
                .replace(u"@key"_s, m_key)
                .replace(u"@token"_s, QString::fromLatin1(m_token));
        };
        QStringList args{u"-V"_s, version, u"-i"_s, clientId,
                         u"-t"_s, topic(), u"-m"_s, u"[{\"n\":\"dev:t\",\"v\":1}]"_s};
        if (!user.isEmpty()) args << u"-u"_s << resolve(user);
        if (!password.isEmpty()) args << u"-P"_s << resolve(password);
        const Run r = pub(args);
        if (accepted) {
            QVERIFY2(r.exitCode == 0, r.out.constData());
        } else {
            QVERIFY2(r.exitCode != 0, r.out.constData());
            QVERIFY2(r.out.contains("not authori") || r.out.contains("Not authori"), r.out.constData());
        }
    }

    void publishIsStoredWithPublisherAndProtocol()
    {
        // Counted by this message's name: earlier tests' QoS 0 publishes may still be on their way to the store.
        const QString mine = u"?name=boiler:temp"_s;
        const int before = stored(mine);
        const Run r = pub({u"-V"_s, u"mqttv311"_s, u"-u"_s, m_thing, u"-P"_s, m_key, u"-q"_s, u"1"_s, u"-t"_s,
                           topic(u"room1/boiler"_s), u"-m"_s,
                           u"[{\"bn\":\"boiler:\",\"n\":\"temp\",\"u\":\"Cel\",\"v\":71.5}]"_s});
        QVERIFY2(r.exitCode == 0, r.out.constData());
        QTRY_COMPARE(stored(mine), before + 1);
        const QJsonArray found = messages(u"&name=boiler:temp"_s);
        QCOMPARE(found.size(), 1);
        const QJsonObject m = found.at(0).toObject();
        QCOMPARE(m.value("publisher"_L1).toString(), m_thing);
        QCOMPARE(m.value("protocol"_L1).toString(), u"mqtt"_s);
        QCOMPARE(m.value("subtopic"_L1).toString(), u"room1.boiler"_s);
        QCOMPARE(m.value("value"_L1).toDouble(), 71.5);
    }

    void contentTypePropertyIsKept()
    {
        const Run r =
            pub({u"-V"_s, u"mqttv5"_s, u"-u"_s, m_thing, u"-P"_s, m_key, u"-q"_s, u"1"_s, u"-t"_s, topic(u"raw"_s),
                 u"-D"_s, u"publish"_s, u"content-type"_s, u"text/plain"_s, u"-m"_s, u"not senml at all"_s});
        QVERIFY2(r.exitCode == 0, r.out.constData());
        QTRY_COMPARE(messages(u"&subtopic=raw"_s).size(), 1);
        const QJsonObject m = messages(u"&subtopic=raw"_s).at(0).toObject();
        QCOMPARE(m.value("content_type"_L1).toString(), u"text/plain"_s);
        QCOMPARE(m.value("payload"_L1).toString(), u"not senml at all"_s);
        QCOMPARE(m.value("protocol"_L1).toString(), u"mqtt"_s);
    }

    void httpPublishReachesMqttSubscriberOnce_data()
    {
        QTest::addColumn<int>("version");
        QTest::addRow("3.1.1") << 4;
        QTest::addRow("5") << 5;
    }
    void httpPublishReachesMqttSubscriberOnce()
    {
        QFETCH(int, version);
        auto sub = connected(u"sub-http-%1"_s.arg(version), version, m_thing, m_key);
        QVERIFY(sub);
        QCOMPARE(sub->subscribe(topic(u"#"_s), 1), version == 5 ? 1 : 0);
        const QByteArray body = "[{\"n\":\"dev:http\",\"v\":" + QByteArray::number(version) + "}]";
        QCOMPARE(m_be->request("POST", u"/http/channels/%1/messages/fromhttp"_s.arg(m_channel), body,
                               "application/senml+json", m_key.toLatin1())
                     .status,
                 202);
        auto msg = sub->receive(5000);
        QVERIFY(msg);
        QCOMPARE(QString::fromStdString(msg->get_topic()), topic(u"fromhttp"_s));
        QCOMPARE(QByteArray::fromStdString(msg->to_string()), body);
        if (version == 5)
            QCOMPARE(mqtt::get<std::string>(msg->get_properties(), mqtt::property::CONTENT_TYPE),
                     std::string("application/senml+json"));
        QVERIFY2(!sub->receive(500), "delivered twice");
    }

    void mqttPublishDeliveredOnceAndStoredOnce()
    {
        auto sub = connected(u"sub-mqtt"_s, 5, m_thing, m_key);
        QVERIFY(sub);
        QCOMPARE(sub->subscribe(topic(u"once"_s), 2), 2);
        const int before = stored(u"?subtopic=once"_s);
        auto publisher = connected(u"pub-mqtt"_s, 4, m_thing, m_key);
        QVERIFY(publisher);
        QCOMPARE(publisher->publish(topic(u"once"_s), "[{\"n\":\"dev:once\",\"v\":1}]", 1), 0);
        QVERIFY(sub->receive(5000));
        // A sentinel after it: a copy of the first coming back through NATS would arrive, and be stored, before it.
        QCOMPARE(publisher->publish(topic(u"once"_s), "[{\"n\":\"dev:sentinel\",\"v\":2}]", 1), 0);
        auto next = sub->receive(5000);
        QVERIFY(next);
        QVERIFY2(QByteArray::fromStdString(next->to_string()).contains("sentinel"),
                 "an MQTT message came back through NATS as well");
        QTRY_VERIFY(stored(u"?subtopic=once&name=dev:sentinel"_s) == 1);
        QCOMPARE(stored(u"?subtopic=once"_s), before + 2);
    }

    void qosLevels_data()
    {
        QTest::addColumn<int>("qos");
        QTest::addColumn<int>("version");
        for (int v : {4, 5})
            for (int q : {0, 1, 2})
                QTest::addRow("v%d qos %d", v, q) << q << v;
    }
    void qosLevels()
    {
        QFETCH(int, qos);
        QFETCH(int, version);
        auto sub = connected(u"sub-qos"_s, version, m_thing, m_key);
        QVERIFY(sub);
        QVERIFY(sub->subscribe(topic(u"qos"_s), qos) < 0x80);
        auto publisher = connected(u"pub-qos"_s, version, m_thing, m_key);
        QVERIFY(publisher);
        QCOMPARE(publisher->publish(topic(u"qos"_s), "[{\"n\":\"dev:q\",\"v\":" + QByteArray::number(qos) + "}]", qos),
                 0);
        auto msg = sub->receive(5000);
        QVERIFY(msg);
        QCOMPARE(msg->get_qos(), qos);
        QVERIFY(!sub->receive(300));
    }

    void notConnectedThingIsDenied()
    {
        // MQTT 5 QoS 1: PUBACK reason 0x87; the subscription is refused with 0x87 too.
        const Run published = pub({u"-V"_s, u"mqttv5"_s, u"-d"_s, u"-u"_s, m_other, u"-P"_s, m_otherKey, u"-q"_s,
                                   u"1"_s, u"-t"_s, topic(), u"-m"_s, u"[{\"n\":\"dev:x\",\"v\":1}]"_s});
        QVERIFY2(published.out.contains("RC:135"), published.out.constData());
        auto sub = connected(u"sub-denied"_s, 5, m_other, m_otherKey);
        QVERIFY(sub);
        QCOMPARE(sub->subscribe(topic(), 1), 0x87);
        const Run viaSub = run(u"mosquitto_sub"_s, {u"-V"_s, u"mqttv311"_s, u"-u"_s, m_other, u"-P"_s, m_otherKey,
                                                    u"-t"_s, topic(), u"-C"_s, u"1"_s, u"-W"_s, u"3"_s});
        QVERIFY2(viaSub.out.contains("denied"), viaSub.out.constData());
        QCOMPARE(messages(u"&publisher="_s + m_other).size(), 0);
    }

    void subscriptionFilters_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<bool>("granted");
        QTest::addRow("channel") << u"channels/@/messages"_s << true;
        QTest::addRow("channel subtree") << u"channels/@/messages/#"_s << true;
        QTest::addRow("one subtopic level") << u"channels/@/messages/+/temp"_s << true;
        QTest::addRow("any channel +") << u"channels/+/messages"_s << false;
        QTest::addRow("everything") << u"#"_s << false;
        QTest::addRow("channel #") << u"channels/@/#"_s << false;
        QTest::addRow("channels/#") << u"channels/#"_s << false;
        QTest::addRow("other topic") << u"devices/@"_s << false;
        QTest::addRow("sys") << u"$SYS/#"_s << false;
        QTest::addRow("dot in subtopic") << u"channels/@/messages/a.b"_s << false;
        QTest::addRow("subtopic at the bound") << u"channels/@/messages/"_s + QString(1024, u's') << true;
        QTest::addRow("subtopic over the bound") << u"channels/@/messages/"_s + QString(1025, u's') << false;
        QTest::addRow("issue 20 topic") << u"channels/@/messages/"_s + QString(4100, u't') << false;
    }
    void subscriptionFilters()
    {
        QFETCH(QString, filter);
        QFETCH(bool, granted);
        auto sub = connected(u"sub-filter"_s, 5, m_thing, m_key);
        QVERIFY(sub);
        const int code = sub->subscribe(QString(filter).replace(u'@', m_channel), 0);
        QCOMPARE(code < 0x80, granted);
    }

    void invalidSenmlIsRefused()
    {
        const int before = int(
            m_be->backend().metrics().value("mf_adapter_messages_total", "protocol=\"mqtt\",result=\"invalid senml\""));
        auto v5 = connected(u"pub-bad"_s, 5, m_thing, m_key);
        QVERIFY(v5);
        QCOMPARE(v5->publish(topic(u"bad"_s), "[{\"n\":\"bad name\",\"v\":1}]", 1), 0x87);
        QVERIFY(v5->isConnected()); // a refused MQTT 5 publish keeps the connection
        QCOMPARE(v5->publish(topic(u"bad"_s), "[{\"n\":\"dev:good\",\"v\":1}]", 1), 0);
        // MQTT 3.1.1 cannot be told: the broker closes the connection.
        auto v3 = connected(u"pub-bad3"_s, 4, m_thing, m_key);
        QVERIFY(v3);
        v3->publish(topic(u"bad"_s), "{not json", 1);
        QTRY_VERIFY(!v3->isConnected());
        QTRY_COMPARE(messages(u"&subtopic=bad"_s).size(), 1);
        QCOMPARE(messages(u"&subtopic=bad"_s).at(0).toObject().value("name"_L1).toString(), u"dev:good"_s);
        QTRY_COMPARE_WITH_TIMEOUT(int(m_be->backend().metrics().value("mf_adapter_messages_total",
                                                                      "protocol=\"mqtt\",result=\"invalid senml\"")),
                                  before + 2, 5000);
    }

    // Issue 20, defect 3: a topic over 4 KB used to reach NATS, whose server then closed the plugin's connection
    // for good (no login worked afterwards). Now it is refused before NATS like any bad publish: MQTT 5 QoS 1 gets
    // PUBACK 0x87 and stays connected, MQTT 3.1.1 is disconnected; a good client is served afterwards.
    void overlongTopicIsRefusedAndTheBusSurvives()
    {
        const QString longTopic = topic(QString(4100, u't'));
        const char *labels = "protocol=\"mqtt\",result=\"invalid subtopic\"";
        const int refusedBefore = int(m_be->backend().metrics().value("mf_adapter_messages_total", labels));
        // The reproduction exactly as reported (MQTT 3.1.1, QoS 0): nothing to assert on the client, which
        // cannot be told; what matters is what comes after.
        pub({u"-u"_s, m_thing, u"-P"_s, m_key, u"-t"_s, longTopic, u"-m"_s, u"[{\"n\":\"dev:long\",\"v\":1}]"_s});

        auto v5 = connected(u"pub-long5"_s, 5, m_thing, m_key);
        QVERIFY(v5);
        QCOMPARE(v5->publish(longTopic, "[{\"n\":\"dev:long\",\"v\":2}]", 1), 0x87);
        QVERIFY(v5->isConnected());
        QCOMPARE(v5->subscribe(longTopic, 1), 0x87);
        QCOMPARE(v5->publish(topic(u"afterlong"_s), "[{\"n\":\"dev:ok\",\"v\":1}]", 1), 0);

        auto v3 = connected(u"pub-long3"_s, 4, m_thing, m_key);
        QVERIFY(v3);
        v3->publish(longTopic, "[{\"n\":\"dev:long\",\"v\":3}]", 1);
        QTRY_VERIFY(!v3->isConnected());

        // A new client still logs in (the login needs things.identify over the plugin's NATS connection) and is
        // stored; nothing of the long topic is.
        const Run good = pub({u"-u"_s, m_thing, u"-P"_s, m_key, u"-q"_s, u"1"_s, u"-t"_s, topic(u"afterlong"_s),
                              u"-m"_s, u"[{\"n\":\"dev:ok\",\"v\":2}]"_s});
        QVERIFY2(good.exitCode == 0, good.out.constData());
        QTRY_COMPARE(messages(u"&subtopic=afterlong"_s).size(), 2);
        QCOMPARE(messages(u"&name=dev:long"_s).size(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(int(m_be->backend().metrics().value("mf_adapter_messages_total", labels)),
                                  refusedBefore + 3, 5000);
    }

    void retainedMessage()
    {
        auto publisher = connected(u"pub-retain"_s, 5, m_thing, m_key);
        QVERIFY(publisher);
        QCOMPARE(publisher->publish(topic(u"state"_s), "[{\"n\":\"dev:state\",\"vs\":\"on\"}]", 1, true), 0);
        auto late = connected(u"sub-retain"_s, 5, m_thing, m_key);
        QVERIFY(late);
        QCOMPARE(late->subscribe(topic(u"state"_s), 1), 1);
        auto msg = late->receive(5000);
        QVERIFY(msg);
        QVERIFY(msg->is_retained());
        QCOMPARE(QByteArray::fromStdString(msg->to_string()), QByteArray("[{\"n\":\"dev:state\",\"vs\":\"on\"}]"));
    }

    void willMessage()
    {
        auto sub = connected(u"sub-will"_s, 5, m_thing, m_key);
        QVERIFY(sub);
        QCOMPARE(sub->subscribe(topic(u"will"_s), 1), 1);
        QProcess dying;
        dying.start(u"mosquitto_sub"_s,
                    {u"-h"_s, u"127.0.0.1"_s, u"-p"_s, QString::number(m_port), u"-u"_s, m_thing, u"-P"_s, m_key,
                     u"-t"_s, topic(u"other"_s), u"--will-topic"_s, topic(u"will"_s), u"--will-payload"_s,
                     u"[{\"n\":\"dev:gone\",\"vb\":true}]"_s, u"-i"_s, u"dying"_s, u"-d"_s});
        QVERIFY(dying.waitForStarted());
        // Its stdout is block-buffered in a pipe: wait for the broker's log line instead.
        QFile log(m_be->dataDir() + u"/mosquitto/mosquitto.log"_s);
        QVERIFY(QTest::qWaitFor(
            [&] {
                if (!log.isOpen() && !log.open(QIODevice::ReadOnly)) return false;
                log.seek(0);
                return log.readAll().contains("as dying");
            },
            10000));
        QTest::qWait(300); // its SUBSCRIBE
        dying.kill();      // no DISCONNECT: the broker sends the will
        dying.waitForFinished();
        auto msg = sub->receive(5000);
        QVERIFY(msg);
        QCOMPARE(QByteArray::fromStdString(msg->to_string()), QByteArray("[{\"n\":\"dev:gone\",\"vb\":true}]"));
    }

    void disconnectingTheThingKicksIt()
    {
        QString key;
        const QString thing = createThing(u"kicked"_s, &key);
        connectThing(m_channel, thing);
        auto client = connected(u"kick-me"_s, 5, thing, key);
        QVERIFY(client);
        QCOMPARE(client->subscribe(topic(), 1), 1);
        QCOMPARE(m_be->request("DELETE", u"/channels/%1/things/%2"_s.arg(m_channel, thing), {}, {}, m_token).status,
                 204);
        QTRY_VERIFY_WITH_TIMEOUT(!client->isConnected(), 3000);
        // It may connect again (the key is valid) but neither publish nor subscribe on that channel.
        auto again = connected(u"kick-me-again"_s, 5, thing, key);
        QVERIFY(again);
        QCOMPARE(again->subscribe(topic(), 1), 0x87);
        QCOMPARE(again->publish(topic(), "[{\"n\":\"dev:x\",\"v\":1}]", 1), 0x87);
    }

    void removingTheChannelKicksItsClients()
    {
        QString key;
        const QString thing = createThing(u"doomed"_s, &key);
        const QString channel = field(m_be->post(u"/channels"_s, {{u"name"_s, u"doomed"_s}}, m_token), "id");
        connectThing(channel, thing);
        connectThing(m_channel, thing);
        auto onDoomed = connected(u"on-doomed"_s, 5, thing, key);
        QVERIFY(onDoomed);
        QCOMPARE(onDoomed->subscribe(u"channels/%1/messages"_s.arg(channel), 1), 1);
        auto elsewhere = connected(u"elsewhere"_s, 5, thing, key); // same thing, only on the other channel
        QVERIFY(elsewhere);
        QCOMPARE(elsewhere->subscribe(topic(), 1), 1);
        QCOMPARE(m_be->request("DELETE", u"/channels/%1"_s.arg(channel), {}, {}, m_token).status, 204);
        QTRY_VERIFY_WITH_TIMEOUT(!onDoomed->isConnected(), 3000);
        QVERIFY(elsewhere->isConnected());
    }

    void removingTheOwnerKicksItsThings()
    {
        const QString bob = m_be->createUser(u"bob@example.com"_s);
        const QByteArray bobToken = m_be->token(u"bob@example.com"_s);
        const HttpReply thing = m_be->post(u"/things"_s, {{u"name"_s, u"bobs"_s}}, bobToken);
        const QString thingId = field(thing, "id"), key = field(thing, "key");
        const QString channel = field(m_be->post(u"/channels"_s, {{u"name"_s, u"bobs"_s}}, bobToken), "id");
        QCOMPARE(m_be->request("PUT", u"/channels/%1/things/%2"_s.arg(channel, thingId), {}, {}, bobToken).status, 200);
        auto client = connected(u"bobs-device"_s, 5, thingId, key);
        QVERIFY(client);
        QCOMPARE(client->subscribe(u"channels/%1/messages"_s.arg(channel), 1), 1);
        QCOMPARE(m_be->request("DELETE", u"/users/%1"_s.arg(bob), {}, {}, m_token).status, 204); // ann is admin
        QTRY_VERIFY_WITH_TIMEOUT(!client->isConnected(), 3000);
        Paho again(m_port, u"bobs-device-again"_s, 5);
        QVERIFY(!again.connect(thingId, key).isEmpty());
    }

    void keyRotationTakesEffectAtOnce()
    {
        QString key;
        const QString thing = createThing(u"rotating"_s, &key);
        connectThing(m_channel, thing);
        auto client = connected(u"rotate"_s, 4, thing, key);
        QVERIFY(client);
        const HttpReply rotated = m_be->request("PATCH", u"/things/%1/key"_s.arg(thing), {}, {}, m_token);
        QVERIFY2(rotated.status == 200, rotated.body.constData());
        const QString newKey = field(rotated, "key");
        QVERIFY(!newKey.isEmpty() && newKey != key);
        QTRY_VERIFY_WITH_TIMEOUT(!client->isConnected(), 3000);
        Paho old(m_port, u"rotate-old"_s, 4);
        QVERIFY(!old.connect(thing, key).isEmpty());
        QVERIFY(connected(u"rotate-new"_s, 4, thing, newKey));
    }

    void mqttOverWebSocketWithMqttJs()
    {
        const QString modules = QStringLiteral(MF_NODE_MODULES_DIR);
        if (!QFileInfo::exists(modules + u"/mqtt/package.json"_s))
            QFAIL("MQTT.js is not installed (the mqttjs_install fixture needs node and npm: scripts/install-deps.sh)");
        const quint16 wsPort = m_be->backend().mqttAdapter()->wsPort();
        QTemporaryDir dir;
        QFile script(dir.filePath(u"client.js"_s));
        QVERIFY(script.open(QIODevice::WriteOnly));
        // Connects over ws with v5, subscribes, publishes, prints what came back; exits 0 only on success.
        script.write(
            "const mqtt = require('mqtt');\n"
            "const [url, user, pass, topic, version] = process.argv.slice(2);\n"
            "const c = mqtt.connect(url, {username: user, password: pass, protocolVersion: Number(version),\n"
            "  reconnectPeriod: 0, connectTimeout: 5000});\n"
            "const fail = (why) => { console.log('FAIL ' + why); process.exit(1); };\n"
            "setTimeout(() => fail('timeout'), 10000);\n"
            "c.on('error', (e) => fail('error ' + (e.code || '') + ' ' + e.message));\n"
            "c.on('close', () => { if (!c.done) fail('closed'); });\n"
            "c.on('connect', () => c.subscribe(topic, {qos: 1}, (err, granted) => {\n"
            "  if (err || granted[0].qos > 2) fail('subscribe ' + JSON.stringify(granted));\n"
            "  c.publish(topic, '[{\"n\":\"dev:ws\",\"v\":7}]', {qos: 1});\n"
            "}));\n"
            "c.on('message', (t, p) => { console.log('GOT ' + t + ' ' + p.toString()); c.done = true; c.end(); "
            "process.exit(0); });\n");
        script.close();
        const auto node = [&](const QString &pass, const QString &version) {
            QProcess p;
            p.setProcessChannelMode(QProcess::MergedChannels);
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(u"NODE_PATH"_s, modules);
            p.setProcessEnvironment(env);
            p.start(u"node"_s, {script.fileName(), u"ws://127.0.0.1:%1/mqtt"_s.arg(wsPort), m_thing, pass,
                                topic(u"ws"_s), version});
            if (!QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, 20000)) p.kill();
            return Run{p.exitCode(), p.readAll()};
        };
        for (const QString &version : {u"4"_s, u"5"_s}) {
            const Run ok = node(m_key, version);
            QVERIFY2(ok.exitCode == 0 && ok.out.contains(QByteArray("GOT " + topic(u"ws"_s).toLatin1())),
                     ok.out.constData());
            const Run refused = node(u"wrong-key"_s, version);
            QVERIFY2(refused.exitCode != 0 && refused.out.contains("FAIL error"), refused.out.constData());
        }
        QTRY_VERIFY(messages(u"&subtopic=ws"_s).size() >= 2);
        QCOMPARE(messages(u"&subtopic=ws"_s).at(0).toObject().value("protocol"_L1).toString(), u"mqtt"_s);
    }

    // A broker whose bus has no things service: connections are closed without a CONNACK (clients retry), not
    // refused as "not authorised" (the key may be fine).
    void thingsServiceUnavailableIsNotARefusal()
    {
        // KeepDatabase: the suite's database stays as it is (a fresh one would empty the shared PostgreSQL one).
        testing::TestBackend lonely({{u"MF_SERVICES"_s, u"mqtt"_s},
                                     {u"MF_MQTT_AUTH_TIMEOUT_MS"_s, u"200"_s},
                                     {u"MF_DB_URL"_s, m_be->databaseUrl()}},
                                    testing::TestBackend::KeepDatabase);
        QVERIFY2(lonely.isRunning(), qPrintable(lonely.startError()));
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(u"mosquitto_pub"_s,
                {u"-h"_s, u"127.0.0.1"_s, u"-p"_s, QString::number(lonely.backend().mqttAdapter()->port()), u"-u"_s,
                 m_thing, u"-P"_s, m_key, u"-t"_s, topic(), u"-m"_s, u"[{\"n\":\"dev:x\",\"v\":1}]"_s});
        QVERIFY(QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, 10000));
        const QByteArray out = p.readAll();
        QVERIFY2(p.exitCode() != 0, out.constData());
        QVERIFY2(!out.contains("not authori"), out.constData());
    }

    // Last: it replaces the broker process.
    void brokerIsRestartedAfterSigkill()
    {
        adapters::MosquittoProcess &broker = m_be->backend().mqttAdapter()->broker();
        const qint64 pid = broker.processId();
        QVERIFY(pid > 0);
        QCOMPARE(::kill(pid_t(pid), SIGKILL), 0);
        QTRY_COMPARE_WITH_TIMEOUT(broker.restartCount(), 1, 10000);
        QVERIFY(broker.processId() != pid);
        QCOMPARE(broker.port(), m_port);
        const Run r = pub({u"-u"_s, m_thing, u"-P"_s, m_key, u"-q"_s, u"1"_s, u"-t"_s, topic(u"after"_s), u"-m"_s,
                           u"[{\"n\":\"dev:after\",\"v\":1}]"_s});
        QVERIFY2(r.exitCode == 0, r.out.constData());
        QTRY_COMPARE(messages(u"&subtopic=after"_s).size(), 1);
        // Retained messages survive the restart (persistence in the data dir) unless the kill beat the autosave;
        // the supervised restart itself is what this test is about.
    }

    // A persistent session (clean session off) gets what was published while its device was away, as MQTT
    // promises for QoS 1: the plugin answers Mosquitto's read check for a session that is not logged in with the
    // access of the thing that owns it.
    void persistentSessionGetsWhatArrivedWhileAway()
    {
        {
            Paho device(m_port, u"away-device"_s, 4);
            QCOMPARE(device.connect(m_thing, m_key, {}, /*clean*/ false), QString());
            QCOMPARE(device.subscribe(topic(u"away"_s), 1), 0);
        }
        const QByteArray body = "[{\"n\":\"dev:away\",\"v\":7}]";
        publishWhileAway(u"away"_s, body);
        if (QTest::currentTestFailed()) return;
        Paho back(m_port, u"away-device"_s, 4);
        QCOMPARE(back.connect(m_thing, m_key, {}, /*clean*/ false), QString());
        const auto msg = back.receive(5000);
        QVERIFY2(msg, "the message published while the device was away never reached its session");
        QCOMPARE(QByteArray::fromStdString(msg->to_string()), body);
        QVERIFY2(!back.receive(300), "delivered twice");
    }

    // Another thing may not resume a thing's persistent session (it would be handed what was queued for the first);
    // a clean login with that client id ends the old session and is let in.
    void persistentSessionIsItsThings()
    {
        {
            Paho device(m_port, u"owned-session"_s, 4);
            QCOMPARE(device.connect(m_thing, m_key, {}, /*clean*/ false), QString());
            QCOMPARE(device.subscribe(topic(u"owned"_s), 1), 0);
        }
        Paho intruder(m_port, u"owned-session"_s, 4);
        QVERIFY(!intruder.connect(m_other, m_otherKey, {}, /*clean*/ false).isEmpty());
        Paho fresh(m_port, u"owned-session"_s, 4);
        QCOMPARE(fresh.connect(m_other, m_otherKey, {}, /*clean*/ true), QString());
    }

    // Mosquitto restores persistent sessions at a restart without asking the plugin, and the plugin subscribes the
    // bus only to channels its clients subscribed to: it keeps those in a file beside the persistence, so a device
    // whose session came back with the broker (it does not subscribe again) still gets what HTTP publishes.
    void persistentSessionIsServedAfterABrokerRestart()
    {
        {
            Paho device(m_port, u"persistent-device"_s, 4);
            QCOMPARE(device.connect(m_thing, m_key, {}, /*clean*/ false), QString());
            QCOMPARE(device.subscribe(topic(u"after-restart"_s), 1), 0);
        } // disconnected; its session and subscription stay in the broker
        adapters::MosquittoProcess &broker = m_be->backend().mqttAdapter()->broker();
        const int restarts = broker.restartCount();
        QCOMPARE(::kill(pid_t(broker.processId()), SIGTERM), 0); // saves its sessions and exits; restarted
        QTRY_COMPARE_WITH_TIMEOUT(broker.restartCount(), restarts + 1, 15000);

        Paho back(m_port, u"persistent-device"_s, 4);
        QCOMPARE(back.connect(m_thing, m_key, {}, /*clean*/ false), QString()); // no SUBSCRIBE: the session has it
        const QByteArray body = "[{\"n\":\"dev:back\",\"v\":7}]";
        QCOMPARE(m_be->request("POST", u"/http/channels/%1/messages/after-restart"_s.arg(m_channel), body,
                               "application/senml+json", m_key.toLatin1())
                     .status,
                 202);
        const auto msg = back.receive(5000);
        QVERIFY2(msg, "the restored session got nothing: the restarted plugin did not subscribe its channel");
        QCOMPARE(QString::fromStdString(msg->get_topic()), topic(u"after-restart"_s));
        QCOMPARE(QByteArray::fromStdString(msg->to_string()), body);
        back.disconnect();

        // Away across a second restart: the restarted plugin still knows whose session it is and lets Mosquitto
        // queue what arrives meanwhile.
        QCOMPARE(::kill(pid_t(broker.processId()), SIGTERM), 0);
        QTRY_COMPARE_WITH_TIMEOUT(broker.restartCount(), restarts + 2, 15000);
        const QByteArray meanwhile = "[{\"n\":\"dev:meanwhile\",\"v\":8}]";
        publishWhileAway(u"after-restart"_s, meanwhile);
        if (QTest::currentTestFailed()) return;
        Paho again(m_port, u"persistent-device"_s, 4);
        QCOMPARE(again.connect(m_thing, m_key, {}, /*clean*/ false), QString());
        const auto queued = again.receive(5000);
        QVERIFY2(queued, "nothing was queued for the session while its device was away after a restart");
        QCOMPARE(QByteArray::fromStdString(queued->to_string()), meanwhile);
    }

    // A port another program holds (Debian's own mosquitto on 1883) is refused with the reason, instead of that
    // broker answering the readiness check in our child's place.
    void takenPortIsRefusedClearly()
    {
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
        testing::TestBackend be({{u"MF_MQTT_PORT"_s, QString::number(squatter.serverPort())}});
        QVERIFY(!be.isRunning());
        QVERIFY2(be.startError().contains(u"already in use"_s), qPrintable(be.startError()));
        QVERIFY2(be.startError().contains(QString::number(squatter.serverPort())), qPrintable(be.startError()));
    }
};

QTEST_GUILESS_MAIN(TestMqttAdapter)
#include "tst_mqttadapter.moc"
