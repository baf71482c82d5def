// The LoRa adapter end to end: a real Mosquitto stands in for the network server's broker, uplinks are published
// with mosquitto_pub, and what the adapter made of them is read back through the reader API of an in-process
// backend (SQLite; PostgreSQL as tst_loraadapter_postgres). No raw string literals here: moc 6.4 loses the class
// after one.
#include "adapters/lora/loraadapter.h"
#include "api/metrics.h"
#include "mosquittofixture.h"
#include "testbackend.h"

#include <QDir>
#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mf;
using mf::testing::HttpReply;

namespace {

const QString AppV4 = u"17c82e96-be03-4f38-aef3-f83d48582d97"_s;
const QString AppV3 = u"1"_s;
const QString EuiV4 = u"0101010101010101"_s;
const QString EuiV3 = u"0202020202020202"_s;
const QString EuiLonely = u"0303030303030303"_s; // a LoRa thing connected to nothing
const QByteArray SenmlPack = "[{\"n\":\"temp\",\"u\":\"Cel\",\"v\":21.5}]";

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// ChirpStack v4 UplinkEvent (protobuf JSON), as in its documentation.
QByteArray v4Uplink(const QString &app, const QString &eui, const QByteArray &data, int fCnt = 10)
{
    return compact(QJsonObject{
        {u"deduplicationId"_s, u"3ac7e3c4-4401-4b8d-9386-a5c902f9202d"_s},
        {u"time"_s, u"2022-07-18T09:34:15.775023242+00:00"_s},
        {u"deviceInfo"_s, QJsonObject{{u"tenantId"_s, u"52f14cd4-c6f1-4fbd-8f87-4025e1d49242"_s},
                                      {u"tenantName"_s, u"ChirpStack"_s},
                                      {u"applicationId"_s, app},
                                      {u"applicationName"_s, u"Test application"_s},
                                      {u"deviceName"_s, u"Test device"_s},
                                      {u"devEui"_s, eui}}},
        {u"devAddr"_s, u"00189440"_s},
        {u"adr"_s, true},
        {u"dr"_s, 1},
        {u"fCnt"_s, fCnt},
        {u"fPort"_s, 1},
        {u"confirmed"_s, false},
        {u"data"_s, QString::fromLatin1(data.toBase64())},
        {u"rxInfo"_s, QJsonArray{QJsonObject{{u"gatewayId"_s, u"0016c001f153a14c"_s},
                                             {u"uplinkId"_s, 4217106255.0},
                                             {u"rssi"_s, -36},
                                             {u"snr"_s, 10.5}}}},
        {u"txInfo"_s,
         QJsonObject{{u"frequency"_s, 867100000},
                     {u"modulation"_s, QJsonObject{{u"lora"_s, QJsonObject{{u"bandwidth"_s, 125000},
                                                                           {u"spreadingFactor"_s, 11},
                                                                           {u"codeRate"_s, u"CR_4_5"_s}}}}}}}});
}

// ChirpStack v3 json_v3 marshaler / LoRa Server (legacy JSON).
QJsonObject v3Uplink(const QString &app, const QString &eui, const QByteArray &data)
{
    return QJsonObject{
        {u"applicationID"_s, app},
        {u"applicationName"_s, u"app"_s},
        {u"deviceName"_s, u"dev1"_s},
        {u"devEUI"_s, eui},
        {u"rxInfo"_s,
         QJsonArray{QJsonObject{
             {u"gatewayID"_s, u"0303030303030303"_s}, {u"name"_s, u"gw1"_s}, {u"rssi"_s, -57}, {u"loRaSNR"_s, 10}}}},
        {u"txInfo"_s, QJsonObject{{u"frequency"_s, 868100000}, {u"dr"_s, 5}}},
        {u"adr"_s, false},
        {u"fCnt"_s, 10},
        {u"fPort"_s, 5},
        {u"data"_s, QString::fromLatin1(data.toBase64())}};
}

// A raw message's payload as stored: text comes back as "payload", other bytes as "payload_base64".
QByteArray storedPayload(const QJsonObject &m)
{
    return m.contains("payload_base64"_L1) ? QByteArray::fromBase64(m.value("payload_base64"_L1).toString().toLatin1())
                                           : m.value("payload"_L1).toString().toUtf8();
}

QString upTopic(const QString &app, const QString &eui)
{
    return u"application/%1/device/%2/event/up"_s.arg(app, eui);
}

} // namespace

class TestLoraAdapter : public QObject
{
    Q_OBJECT

private:
    testing::MosquittoFixture m_broker;
    std::unique_ptr<testing::TestBackend> m_be;
    QByteArray m_token;
    QString m_thingV4, m_keyV4, m_thingV3, m_thingLonely, m_channelV4, m_channelV3, m_plainChannel;

    QString field(const HttpReply &r, const char *name) { return r.json().value(QLatin1StringView(name)).toString(); }
    QString createThing(const QString &name, const QJsonObject &metadata, QString *key = nullptr)
    {
        const HttpReply r = m_be->post(u"/things"_s, {{u"name"_s, name}, {u"metadata"_s, metadata}}, m_token);
        if (key) *key = field(r, "key");
        return field(r, "id");
    }
    QString createChannel(const QString &name, const QJsonObject &metadata)
    {
        return field(m_be->post(u"/channels"_s, {{u"name"_s, name}, {u"metadata"_s, metadata}}, m_token), "id");
    }
    int connectThing(const QString &channel, const QString &thing, const QByteArray &method = "PUT")
    {
        return m_be->request(method, u"/channels/%1/things/%2"_s.arg(channel, thing), {}, {}, m_token).status;
    }
    QHash<QString, QString> settings() const
    {
        return {{u"MF_LORA_MQTT_URL"_s, m_broker.url()},
                {u"MF_LORA_CLIENT_ID"_s, u"mainflux-lora-test"_s},
                // event/+ so that other events (join) reach the adapter too and are refused as such
                {u"MF_LORA_TOPICS"_s, u"application/+/device/+/event/+,application/+/device/+/rx"_s}};
    }
    adapters::LoraAdapter &lora() { return *m_be->backend().loraAdapter(); }
    double uplinks(const char *result)
    {
        return m_be->backend().metrics().value("mf_adapter_messages_total",
                                               "protocol=\"lora\",result=\"" + QByteArray(result) + '"');
    }
    double downlinks(const char *result)
    {
        return m_be->backend().metrics().value("mf_lora_downlinks_total", "result=\"" + QByteArray(result) + '"');
    }
    // The channel's messages, newest first; `radio` selects the lora/rx records instead of the payloads.
    QJsonArray messages(const QString &channel, bool radio = false)
    {
        const QJsonArray all = m_be->get(u"/channels/%1/messages?limit=1000"_s.arg(channel), m_token)
                                   .json()
                                   .value("messages"_L1)
                                   .toArray();
        QJsonArray out;
        for (const QJsonValue &m : all)
            if ((m.toObject().value("subtopic"_L1).toString() == "lora.rx"_L1) == radio) out.append(m);
        return out;
    }
    HttpReply requestDownlink(const QString &channel, const QByteArray &body, const QString &key)
    {
        return m_be->request("POST", u"/http/channels/%1/messages/lora/down"_s.arg(channel), body, "application/json",
                             key.toLatin1());
    }

private slots:
    void initTestCase() { QVERIFY2(m_broker.start(), "mosquitto did not start (apt-get install mosquitto)"); }

    void init()
    {
        if (!m_broker.isRunning()) QVERIFY(m_broker.start());
        m_be = std::make_unique<testing::TestBackend>(settings());
        QVERIFY2(m_be->isRunning(), qPrintable(m_be->startError()));
        QVERIFY(m_be->backend().loraAdapter());
        QTRY_VERIFY_WITH_TIMEOUT(lora().isBrokerConnected(), 15000);
        m_be->createUser(u"ann@example.com"_s);
        m_token = m_be->token(u"ann@example.com"_s);
        // Created while the adapter runs: the routes follow the things events.
        m_thingV4 = createThing(u"v4 sensor"_s, {{u"lora"_s, QJsonObject{{u"dev_eui"_s, EuiV4}}}}, &m_keyV4);
        m_thingV3 = createThing(u"v3 sensor"_s, {{u"type"_s, u"lora"_s}, {u"devEUI"_s, EuiV3.toUpper()}}); // 0.7 form
        m_thingLonely = createThing(u"lonely"_s, {{u"lora"_s, QJsonObject{{u"dev_eui"_s, EuiLonely}}}});
        m_channelV4 = createChannel(u"v4 app"_s, {{u"lora"_s, QJsonObject{{u"app_id"_s, AppV4}}}});
        m_channelV3 = createChannel(u"v3 app"_s, {{u"type"_s, u"lora"_s}, {u"appID"_s, AppV3}});
        m_plainChannel = createChannel(u"plain"_s, {});
        QCOMPARE(connectThing(m_channelV4, m_thingV4), 200);
        QCOMPARE(connectThing(m_channelV3, m_thingV3), 200);
        QCOMPARE(connectThing(m_plainChannel, m_thingV4), 200);
    }
    void cleanup() { m_be.reset(); }

    void uplinksOfEachGeneration_data()
    {
        QTest::addColumn<QString>("topic");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("contentType"); // of the stored message; senml = stored as records
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QString>("thing"); // "v4" | "v3"
        QTest::addColumn<double>("rssi");

        QTest::addRow("chirpstack v4, SenML frame") << upTopic(AppV4, EuiV4) << v4Uplink(AppV4, EuiV4, SenmlPack)
                                                    << u"senml"_s << QByteArray() << u"v4"_s << -36.0;
        QJsonObject withObject = v3Uplink(AppV3, EuiV3, SenmlPack);
        withObject.insert(u"object"_s, QJsonObject{{u"temperatureSensor"_s, QJsonObject{{u"1"_s, 25}}}});
        QTest::addRow("chirpstack v3 json_v3, codec object")
            << upTopic(AppV3, EuiV3) << compact(withObject) << u"application/json"_s
            << QByteArray("{\"temperatureSensor\":{\"1\":25}}") << u"v3"_s << -57.0;
        QJsonObject marshaled = v3Uplink(AppV3, u"AgICAgICAgI="_s, "x");
        marshaled.insert(u"objectJSON"_s, u"{\"humiditySensor\":32}"_s);
        QTest::addRow("chirpstack v3 json marshaler")
            << upTopic(AppV3, EuiV3) << compact(marshaled) << u"application/json"_s
            << QByteArray("{\"humiditySensor\":32}") << u"v3"_s << -57.0;
        const QByteArray binary("\x01\x02\xff\x00", 4);
        QTest::addRow("lora server rx, binary frame")
            << u"application/1/device/0202020202020202/rx"_s << compact(v3Uplink(AppV3, EuiV3, binary))
            << u"application/octet-stream"_s << binary << u"v3"_s << -57.0;
    }
    void uplinksOfEachGeneration()
    {
        QFETCH(QString, topic);
        QFETCH(QByteArray, body);
        QFETCH(QString, contentType);
        QFETCH(QByteArray, payload);
        QFETCH(QString, thing);
        QFETCH(double, rssi);
        const QString channel = thing == "v4"_L1 ? m_channelV4 : m_channelV3;
        const QString thingId = thing == "v4"_L1 ? m_thingV4 : m_thingV3;
        const QString eui = thing == "v4"_L1 ? EuiV4 : EuiV3;
        QVERIFY(m_broker.publish(topic, body));
        QTRY_COMPARE(messages(channel).size(), 1);
        const QJsonObject m = messages(channel).at(0).toObject();
        QCOMPARE(m.value("publisher"_L1).toString(), thingId);
        QCOMPARE(m.value("protocol"_L1).toString(), u"lora"_s);
        QCOMPARE(m.value("channel"_L1).toString(), channel);
        if (contentType == "senml"_L1) {
            QCOMPARE(m.value("name"_L1).toString(), u"temp"_s);
            QCOMPARE(m.value("value"_L1).toDouble(), 21.5);
            QCOMPARE(m.value("unit"_L1).toString(), u"Cel"_s);
        } else {
            QCOMPARE(m.value("content_type"_L1).toString(), contentType);
            QCOMPARE(storedPayload(m), payload);
        }
        // The radio metadata: SenML records on lora/rx from the same thing.
        QTRY_VERIFY(messages(channel, true).size() >= 5);
        bool sawRssi = false;
        for (const QJsonValue &v : messages(channel, true)) {
            const QJsonObject r = v.toObject();
            QCOMPARE(r.value("publisher"_L1).toString(), thingId);
            if (r.value("name"_L1).toString() == eui + u":rssi"_s) {
                sawRssi = true;
                QCOMPARE(r.value("value"_L1).toDouble(), rssi);
                QCOMPARE(r.value("unit"_L1).toString(), u"dBm"_s);
            }
        }
        QVERIFY(sawRssi);
        QCOMPARE(messages(m_plainChannel).size(), 0); // the thing's other channel is not its application's
        QTRY_COMPARE(uplinks("accepted"), 1.0); // counted on the stream's ack, which may trail the writer
    }

    void downlinkReachesTheBroker()
    {
        testing::MosquittoSubscriber sub(m_broker.port(), {u"application/+/device/+/command/down"_s});
        QVERIFY(sub.waitReady(m_broker));
        const HttpReply r = requestDownlink(
            m_channelV4, "{\"dev_eui\":\"0101010101010101\",\"f_port\":10,\"data\":\"AQID\",\"confirmed\":true}",
            m_keyV4);
        QCOMPARE(r.status, 202);
        QTRY_COMPARE(sub.lines().size(), 1);
        const QByteArray line = sub.lines().at(0);
        const qsizetype space = line.indexOf(' ');
        QCOMPARE(QString::fromUtf8(line.left(space)), u"application/%1/device/%2/command/down"_s.arg(AppV4, EuiV4));
        const QJsonObject command = QJsonDocument::fromJson(line.mid(space + 1)).object();
        QCOMPARE(command.value("devEui"_L1).toString(), EuiV4);
        QCOMPARE(command.value("fPort"_L1).toInt(), 10);
        QCOMPARE(command.value("data"_L1).toString(), u"AQID"_s);
        QCOMPARE(command.value("confirmed"_L1).toBool(), true);
        QCOMPARE(downlinks("sent"), 1.0);
    }

    void badDownlinksAre400_data()
    {
        QTest::addColumn<QString>("channel"); // "v4" | "plain"
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("errorContains");
        QTest::addColumn<QByteArray>("counted");
        QTest::addRow("not json") << u"v4"_s << QByteArray("hello") << u"not JSON"_s << QByteArray("malformed");
        QTest::addRow("f_port out of range")
            << u"v4"_s << QByteArray("{\"dev_eui\":\"0101010101010101\",\"f_port\":0,\"data\":\"AQID\"}") << u"f_port"_s
            << QByteArray("malformed");
        QTest::addRow("bad base64") << u"v4"_s
                                    << QByteArray("{\"dev_eui\":\"0101010101010101\",\"f_port\":1,\"data\":\"@@\"}")
                                    << u"base64"_s << QByteArray("malformed");
        QTest::addRow("unknown device") << u"v4"_s
                                        << QByteArray(
                                               "{\"dev_eui\":\"0909090909090909\",\"f_port\":1,\"data\":\"AQID\"}")
                                        << u"no thing"_s << QByteArray("unknown device");
        QTest::addRow("device not connected")
            << u"v4"_s << QByteArray("{\"dev_eui\":\"0303030303030303\",\"f_port\":1,\"data\":\"AQID\"}")
            << u"not connected"_s << QByteArray("not connected");
        QTest::addRow("channel without application")
            << u"plain"_s << QByteArray("{\"dev_eui\":\"0101010101010101\",\"f_port\":1,\"data\":\"AQID\"}")
            << u"app_id"_s << QByteArray("no application");
    }
    void badDownlinksAre400()
    {
        QFETCH(QString, channel);
        QFETCH(QByteArray, body);
        QFETCH(QString, errorContains);
        QFETCH(QByteArray, counted);
        testing::MosquittoSubscriber sub(m_broker.port(), {u"application/#"_s});
        QVERIFY(sub.waitReady(m_broker));
        const HttpReply r = requestDownlink(channel == "v4"_L1 ? m_channelV4 : m_plainChannel, body, m_keyV4);
        QCOMPARE(r.status, 400);
        QVERIFY2(r.error().contains(errorContains), r.body.constData());
        QCOMPARE(downlinks(counted.constData()), 1.0);
        // Nothing reached the broker or the store; a good request afterwards is the only command.
        QCOMPARE(requestDownlink(m_channelV4, "{\"dev_eui\":\"0101010101010101\",\"f_port\":2,\"data\":\"\"}", m_keyV4)
                     .status,
                 202);
        QTRY_COMPARE(sub.lines().size(), 1);
        QTRY_COMPARE(m_be->get(u"/channels/%1/messages"_s.arg(m_channelV4), m_token).json().value("total"_L1).toInt(),
                     1);
        QCOMPARE(sub.lines().size(), 1);
    }

    void routeChangesTakeEffectLive()
    {
        const auto publishV4 = [this](const QString &eui, int fCnt) {
            return m_broker.publish(upTopic(AppV4, eui), v4Uplink(AppV4, eui, "x", fCnt));
        };
        QVERIFY(publishV4(EuiV4, 1));
        QTRY_COMPARE(messages(m_channelV4).size(), 1);

        QCOMPARE(connectThing(m_channelV4, m_thingV4, "DELETE"), 204);
        QVERIFY(publishV4(EuiV4, 2));
        QTRY_COMPARE(uplinks("not connected"), 1.0);

        QCOMPARE(connectThing(m_channelV4, m_thingV4), 200);
        QVERIFY(publishV4(EuiV4, 3));
        QTRY_COMPARE(messages(m_channelV4).size(), 2);

        // The thing becomes another device: the old EUI is unknown, the new one routes.
        const QString newEui = u"0a0a0a0a0a0a0a0a"_s;
        QCOMPARE(
            m_be->request("PUT", u"/things/"_s + m_thingV4,
                          compact({{u"name"_s, u"v4 sensor"_s},
                                   {u"metadata"_s, QJsonObject{{u"lora"_s, QJsonObject{{u"dev_eui"_s, newEui}}}}}}),
                          "application/json", m_token)
                .status,
            200);
        QVERIFY(publishV4(EuiV4, 4));
        QTRY_COMPARE(uplinks("unknown device"), 1.0);
        QVERIFY(publishV4(newEui, 5));
        QTRY_COMPARE(messages(m_channelV4).size(), 3);
        QCOMPARE(messages(m_channelV4).at(0).toObject().value("publisher"_L1).toString(), m_thingV4);

        // The channel goes: its application is unknown from then on.
        QCOMPARE(m_be->request("DELETE", u"/channels/"_s + m_channelV4, {}, {}, m_token).status, 204);
        QVERIFY(publishV4(newEui, 6));
        QTRY_COMPARE(uplinks("unknown application"), 1.0);
        QCOMPARE(uplinks("accepted"), 3.0);
    }

    void routesAreRebuiltAtStart()
    {
        // A second backend on the same database, started after the fleet exists: it knows the routes from the store
        // alone. (Only it runs the adapter on its own broker client id; it stores through its own writer.)
        testing::MosquittoFixture broker2;
        QVERIFY(broker2.start());
        // A retained uplink is handed to every new subscription; it is stale, and must not be stored again.
        QVERIFY(broker2.publish(upTopic(AppV4, EuiV4), v4Uplink(AppV4, EuiV4, "retained"), true));
        const QString dbUrl = m_be->databaseUrl().isEmpty()
                                  ? u"sqlite:"_s + QDir(m_be->dataDir()).filePath(u"mainflux.db"_s)
                                  : m_be->databaseUrl();
        QHash<QString, QString> extra{{u"MF_DB_URL"_s, dbUrl},
                                      {u"MF_SERVICES"_s, u"lora,normalizer,writer"_s},
                                      {u"MF_LORA_MQTT_URL"_s, broker2.url()},
                                      {u"MF_LORA_CLIENT_ID"_s, u"second"_s}};
        testing::TestBackend second(extra, testing::TestBackend::KeepDatabase);
        QVERIFY2(second.isRunning(), qPrintable(second.startError()));
        QCOMPARE(second.backend().loraAdapter()->routes().deviceCount(), 3);
        QCOMPARE(second.backend().loraAdapter()->routes().applicationCount(), 2);
        QTRY_VERIFY_WITH_TIMEOUT(second.backend().loraAdapter()->isBrokerConnected(), 15000);
        QTRY_COMPARE(
            second.backend().metrics().value("mf_adapter_messages_total", "protocol=\"lora\",result=\"retained\""),
            1.0);
        QVERIFY(broker2.publish(upTopic(AppV4, EuiV4), v4Uplink(AppV4, EuiV4, "rebuilt")));
        QTRY_COMPARE(messages(m_channelV4).size(), 1);
        QCOMPARE(messages(m_channelV4).at(0).toObject().value("publisher"_L1).toString(), m_thingV4);
        QCOMPARE(storedPayload(messages(m_channelV4).at(0).toObject()), QByteArray("rebuilt"));
    }

    void brokerRestartLosesNoLaterUplink()
    {
        QVERIFY(m_broker.publish(upTopic(AppV4, EuiV4), v4Uplink(AppV4, EuiV4, "before", 1)));
        QTRY_COMPARE(messages(m_channelV4).size(), 1);
        m_broker.stop();
        QTRY_VERIFY(!lora().isBrokerConnected());
        QVERIFY(m_be->get(u"/metrics"_s, {}).body.contains("mf_lora_broker_connected"));
        QTest::qWait(1500); // a few failed reconnects, with backoff
        QVERIFY(m_broker.start());
        QTRY_VERIFY_WITH_TIMEOUT(lora().isBrokerConnected(), 20000);
        for (int i = 2; i <= 4; ++i)
            QVERIFY(m_broker.publish(upTopic(AppV4, EuiV4), v4Uplink(AppV4, EuiV4, "after", i)));
        QTRY_COMPARE(messages(m_channelV4).size(), 4);
        QVERIFY(m_be->backend().metrics().value("mf_lora_broker_disconnects_total") >= 1);
    }

    // Every class of bad input is counted under its own label and stores nothing; the adapter keeps working.
    void badUplinksAreCountedAndStoreNothing_data()
    {
        QTest::addColumn<QString>("topic");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("retain");
        QTest::addColumn<QByteArray>("counted");
        const QString topic = upTopic(AppV4, EuiV4);
        QJsonObject noEui = QJsonDocument::fromJson(v4Uplink(AppV4, EuiV4, "x")).object();
        noEui.remove(u"deviceInfo"_s);
        QJsonObject badData = QJsonDocument::fromJson(v4Uplink(AppV4, EuiV4, "x")).object();
        badData.insert(u"data"_s, u"%%% not base64"_s);
        QJsonObject huge = QJsonDocument::fromJson(v4Uplink(AppV4, EuiV4, "x")).object();
        huge.insert(u"padding"_s, QString(70000, u'p'));
        QTest::addRow("malformed json") << topic << QByteArray("{\"deviceInfo\":") << false << QByteArray("malformed");
        QTest::addRow("no device eui") << topic << compact(noEui) << false << QByteArray("malformed");
        QTest::addRow("unknown device") << upTopic(AppV4, u"0909090909090909"_s)
                                        << v4Uplink(AppV4, u"0909090909090909"_s, "x") << false
                                        << QByteArray("unknown device");
        QTest::addRow("unknown application")
            << upTopic(u"99"_s, EuiV4) << v4Uplink(u"99"_s, EuiV4, "x") << false << QByteArray("unknown application");
        QTest::addRow("not connected") << upTopic(AppV4, EuiLonely) << v4Uplink(AppV4, EuiLonely, "x") << false
                                       << QByteArray("not connected");
        QTest::addRow("bad base64") << topic << compact(badData) << false << QByteArray("bad data");
        QTest::addRow("oversized frame") << topic << v4Uplink(AppV4, EuiV4, QByteArray(300, 'f')) << false
                                         << QByteArray("oversized");
        QTest::addRow("oversized event") << topic << compact(huge) << false << QByteArray("oversized");
        QTest::addRow("topic names another device")
            << upTopic(AppV4, EuiV3) << v4Uplink(AppV4, EuiV4, "x") << false << QByteArray("topic mismatch");
        QTest::addRow("join event") << u"application/%1/device/%2/event/join"_s.arg(AppV4, EuiV4)
                                    << v4Uplink(AppV4, EuiV4, "x") << false << QByteArray("not an uplink");
    }
    void badUplinksAreCountedAndStoreNothing()
    {
        QFETCH(QString, topic);
        QFETCH(QByteArray, body);
        QFETCH(bool, retain);
        QFETCH(QByteArray, counted);
        // Three times: counted each time (logged once), and the adapter never stalls.
        for (int i = 0; i < 3; ++i)
            QVERIFY(m_broker.publish(topic, body, retain));
        QTRY_COMPARE(uplinks(counted.constData()), 3.0);
        QVERIFY(m_be->get(u"/metrics"_s, {}).body.contains(QByteArray("result=\"" + counted + '"')));
        QVERIFY(m_broker.publish(upTopic(AppV4, EuiV4), v4Uplink(AppV4, EuiV4, "good")));
        QTRY_COMPARE(messages(m_channelV4).size(), 1);
        QCOMPARE(storedPayload(messages(m_channelV4).at(0).toObject()), QByteArray("good"));
        QTRY_COMPARE(uplinks("accepted"), 1.0); // counted on the stream's ack, which may trail the writer
    }
};

QTEST_GUILESS_MAIN(TestLoraAdapter)
#include "tst_loraadapter.moc"
