// Pure LoRa format logic: uplinks of each network-server generation, EUIs, downlink requests and commands,
// metadata conventions. No raw string literals here: moc 6.4 loses the class after one.
#include "core/lora/lora.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mf;

namespace {

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

const QByteArray senmlBase64 = QByteArray("[{\"n\":\"temp\",\"u\":\"Cel\",\"v\":21.5}]").toBase64();

QJsonObject v4Uplink(const QString &app, const QString &eui)
{
    return QJsonObject{
        {u"deduplicationId"_s, u"3ac7e3c4-4401-4b8d-9386-a5c902f9202d"_s},
        {u"time"_s, u"2022-07-18T09:34:15.775023242+00:00"_s},
        {u"deviceInfo"_s, QJsonObject{{u"tenantId"_s, u"52f14cd4-c6f1-4fbd-8f87-4025e1d49242"_s},
                                      {u"applicationId"_s, app},
                                      {u"deviceName"_s, u"Test device"_s},
                                      {u"devEui"_s, eui}}},
        {u"devAddr"_s, u"00189440"_s},
        {u"adr"_s, true},
        {u"dr"_s, 1},
        {u"fCnt"_s, 10},
        {u"fPort"_s, 1},
        {u"confirmed"_s, false},
        {u"data"_s, QString::fromLatin1(senmlBase64)},
        {u"rxInfo"_s,
         QJsonArray{QJsonObject{{u"gatewayId"_s, u"0016c001f153a14c"_s}, {u"rssi"_s, -36}, {u"snr"_s, 10.5}},
                    QJsonObject{{u"gatewayId"_s, u"0016c001f153a14d"_s}, {u"rssi"_s, -90}, {u"snr"_s, 1}}}},
        {u"txInfo"_s,
         QJsonObject{{u"frequency"_s, 867100000},
                     {u"modulation"_s,
                      QJsonObject{{u"lora"_s, QJsonObject{{u"bandwidth"_s, 125000}, {u"spreadingFactor"_s, 11}}}}}}}};
}

QJsonObject v3Uplink(const QString &app, const QString &eui)
{
    return QJsonObject{
        {u"applicationID"_s, app},
        {u"applicationName"_s, u"app"_s},
        {u"deviceName"_s, u"dev1"_s},
        {u"devEUI"_s, eui},
        {u"rxInfo"_s,
         QJsonArray{QJsonObject{{u"gatewayID"_s, u"0303030303030303"_s}, {u"rssi"_s, -57}, {u"loRaSNR"_s, 10}}}},
        {u"txInfo"_s, QJsonObject{{u"frequency"_s, 868100000}, {u"dr"_s, 5}}},
        {u"fCnt"_s, 10},
        {u"fPort"_s, 5},
        {u"data"_s, QString::fromLatin1(senmlBase64)}};
}

} // namespace

class TestLora : public QObject
{
    Q_OBJECT

private slots:
    void euis_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::addRow("hex") << u"0202020202020202"_s << u"0202020202020202"_s;
        QTest::addRow("upper hex") << u"A84041000181AF4F"_s << u"a84041000181af4f"_s;
        QTest::addRow("colons") << u"a8:40:41:00:01:81:af:4f"_s << u"a84041000181af4f"_s;
        QTest::addRow("base64") << u"AgICAgICAgI="_s << u"0202020202020202"_s;
        QTest::addRow("too short") << u"020202"_s << QString();
        QTest::addRow("not hex") << u"020202020202020g"_s << QString();
        QTest::addRow("base64 of 9 bytes") << u"AgICAgICAgIC"_s << QString();
    }
    void euis()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        QCOMPARE(lora::normalizeEui(text).value_or(QString()), expected);
    }

    void v4Uplink()
    {
        const QString app = u"17c82e96-be03-4f38-aef3-f83d48582d97"_s;
        auto up = lora::parseUplink(u"application/%1/device/0101010101010101/event/up"_s.arg(app),
                                    compact(::v4Uplink(app, u"0101010101010101"_s)));
        QVERIFY2(up, qPrintable(up ? QString() : up.error().message));
        QCOMPARE(up->devEui, u"0101010101010101"_s);
        QCOMPARE(up->applicationId, app);
        QCOMPARE(up->fCnt, 10);
        QCOMPARE(up->fPort, 1);
        QCOMPARE(up->radio.rssi, -36.0); // the best of two gateways
        QCOMPARE(up->radio.snr, 10.5);
        QCOMPARE(up->radio.gateway, u"0016c001f153a14c"_s);
        QCOMPARE(up->radio.gateways, 2);
        QCOMPARE(up->radio.spreadingFactor, 11.0);
        QCOMPARE(up->radio.frequency, 867100000.0);
        const auto payload = lora::channelPayload(*up, 1e9);
        QCOMPARE(payload.contentType, u"application/senml+json"_s); // the frame bytes are a SenML pack
        QCOMPARE(payload.payload, QByteArray::fromBase64(senmlBase64));
    }

    void v3Uplinks()
    {
        QJsonObject legacy = ::v3Uplink(u"1"_s, u"0202020202020202"_s);
        legacy.insert(u"object"_s, QJsonObject{{u"temperatureSensor"_s, QJsonObject{{u"1"_s, 25}}}});
        auto up = lora::parseUplink(u"application/1/device/0202020202020202/event/up"_s, compact(legacy));
        QVERIFY(up);
        QCOMPARE(up->radio.rssi, -57.0);
        QCOMPARE(up->radio.snr, 10.0);
        QCOMPARE(up->radio.dataRate, 5.0);
        auto payload = lora::channelPayload(*up, 1e9);
        QCOMPARE(payload.contentType, u"application/json"_s); // object wins over data
        QCOMPARE(payload.payload, QByteArray("{\"temperatureSensor\":{\"1\":25}}"));

        // The "json" marshaler: base64 EUIs, objectJSON as a string.
        QJsonObject marshaled = ::v3Uplink(u"123"_s, u"AgICAgICAgI="_s);
        marshaled.insert(u"objectJSON"_s, u"{\"humiditySensor\":32}"_s);
        up = lora::parseUplink(u"application/123/device/0202020202020202/event/up"_s, compact(marshaled));
        QVERIFY2(up, qPrintable(up ? QString() : up.error().message));
        QCOMPARE(up->devEui, u"0202020202020202"_s);
        QCOMPARE(lora::channelPayload(*up, 1e9).payload, QByteArray("{\"humiditySensor\":32}"));

        // LoRa Server (.../rx), a binary frame and a SenML object.
        QJsonObject rx = ::v3Uplink(u"1"_s, u"0202020202020202"_s);
        rx.insert(u"data"_s, QString::fromLatin1(QByteArray("\x01\x02\xff", 3).toBase64()));
        up = lora::parseUplink(u"application/1/device/0202020202020202/rx"_s, compact(rx));
        QVERIFY(up);
        payload = lora::channelPayload(*up, 1e9);
        QCOMPARE(payload.contentType, u"application/octet-stream"_s);
        QCOMPARE(payload.payload, QByteArray("\x01\x02\xff", 3));
        rx.insert(u"object"_s, QJsonArray{QJsonObject{{u"n"_s, u"t"_s}, {u"v"_s, 1}}});
        up = lora::parseUplink(u"application/1/device/0202020202020202/rx"_s, compact(rx));
        QCOMPARE(lora::channelPayload(*up, 1e9).contentType, u"application/senml+json"_s);
    }

    void badUplinks_data()
    {
        QTest::addColumn<QString>("topic");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("error");
        const QString topic = u"application/1/device/0202020202020202/event/up"_s;
        const auto with = [](const QString &key, const QJsonValue &value) {
            QJsonObject o = ::v3Uplink(u"1"_s, u"0202020202020202"_s);
            o.insert(key, value);
            return compact(o);
        };
        const int malformed = int(lora::UplinkError::Malformed);
        QTest::addRow("not json") << topic << QByteArray("{\"devEUI\":") << malformed;
        QTest::addRow("array") << topic << QByteArray("[]") << malformed;
        QTest::addRow("no eui") << topic << with(u"devEUI"_s, QJsonValue()) << malformed;
        QTest::addRow("bad eui") << topic << with(u"devEUI"_s, u"xyz"_s) << malformed;
        QTest::addRow("no application") << topic << with(u"applicationID"_s, u""_s) << malformed;
        QTest::addRow("bad base64") << topic << with(u"data"_s, u"!!not base64!!"_s) << int(lora::UplinkError::BadData);
        QTest::addRow("oversized frame") << topic
                                         << with(u"data"_s, QString::fromLatin1(QByteArray(300, 'x').toBase64()))
                                         << int(lora::UplinkError::Oversized);
        QTest::addRow("oversized event") << topic << with(u"pad"_s, QString(70000, u'x'))
                                         << int(lora::UplinkError::Oversized);
        QTest::addRow("other device in topic") << u"application/1/device/0303030303030303/event/up"_s
                                               << with(u"fPort"_s, 1) << int(lora::UplinkError::Mismatch);
        QTest::addRow("other application in topic") << u"application/2/device/0202020202020202/event/up"_s
                                                    << with(u"fPort"_s, 1) << int(lora::UplinkError::Mismatch);
        QTest::addRow("join event") << u"application/1/device/0202020202020202/event/join"_s << with(u"fPort"_s, 1)
                                    << int(lora::UplinkError::NotAnUplink);
    }
    void badUplinks()
    {
        QFETCH(QString, topic);
        QFETCH(QByteArray, body);
        QFETCH(int, error);
        auto up = lora::parseUplink(topic, body);
        QVERIFY(!up);
        QCOMPARE(int(up.error().error), error);
        QVERIFY(!up.error().message.isEmpty());
    }

    void radioPackIsSenml()
    {
        auto up = lora::parseUplink(u"x"_s, compact(::v4Uplink(u"a"_s, u"0101010101010101"_s)));
        QVERIFY(up);
        const QJsonArray pack = QJsonDocument::fromJson(lora::radioPack(*up, 1700000000)).array();
        QCOMPARE(pack.at(0).toObject().value("bn"_L1).toString(), u"0101010101010101:"_s);
        QCOMPARE(pack.at(0).toObject().value("n"_L1).toString(), u"rssi"_s);
        QCOMPARE(pack.at(0).toObject().value("v"_L1).toDouble(), -36.0);
        QCOMPARE(pack.last().toObject().value("vs"_L1).toString(), u"0016c001f153a14c"_s);
    }

    void downlinkRequests_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("errorContains"); // empty: valid
        QTest::addRow("valid")
            << QByteArray("{\"dev_eui\":\"0101010101010101\",\"f_port\":10,\"data\":\"AQID\",\"confirmed\":true}")
            << QString();
        QTest::addRow("confirmed optional")
            << QByteArray("{\"dev_eui\":\"0101010101010101\",\"f_port\":223,\"data\":\"\"}") << QString();
        QTest::addRow("not json") << QByteArray("dev_eui=1") << u"not JSON"_s;
        QTest::addRow("not an object") << QByteArray("[1]") << u"expected an object"_s;
        QTest::addRow("bad eui") << QByteArray("{\"dev_eui\":\"01\",\"f_port\":1,\"data\":\"AQID\"}") << u"dev_eui"_s;
        QTest::addRow("port 0") << QByteArray("{\"dev_eui\":\"0101010101010101\",\"f_port\":0,\"data\":\"AQID\"}")
                                << u"f_port"_s;
        QTest::addRow("port 224") << QByteArray("{\"dev_eui\":\"0101010101010101\",\"f_port\":224,\"data\":\"AQID\"}")
                                  << u"f_port"_s;
        QTest::addRow("port 1.5") << QByteArray("{\"dev_eui\":\"0101010101010101\",\"f_port\":1.5,\"data\":\"AQID\"}")
                                  << u"f_port"_s;
        QTest::addRow("port 2.7e33") << QByteArray("{\"dev_eui\":\"0101010101010101\",\"f_port\":2.7e33,\"data\":\"AQID\"}")
                                     << u"f_port"_s;
        QTest::addRow("port string") << QByteArray(
                                            "{\"dev_eui\":\"0101010101010101\",\"f_port\":\"1\",\"data\":\"AQID\"}")
                                     << u"f_port"_s;
        QTest::addRow("bad base64") << QByteArray("{\"dev_eui\":\"0101010101010101\",\"f_port\":1,\"data\":\"A*ID\"}")
                                    << u"base64"_s;
        QTest::addRow("no data") << QByteArray("{\"dev_eui\":\"0101010101010101\",\"f_port\":1}") << u"data"_s;
        QTest::addRow("too long") << "{\"dev_eui\":\"0101010101010101\",\"f_port\":1,\"data\":\"" +
                                         QByteArray(243, 'x').toBase64() + "\"}"
                                  << u"at most 242"_s;
        QTest::addRow("confirmed not bool")
            << QByteArray("{\"dev_eui\":\"0101010101010101\",\"f_port\":1,\"data\":\"\",\"confirmed\":1}")
            << u"confirmed"_s;
        QTest::addRow("unknown field") << QByteArray("{\"dev_eui\":\"0101010101010101\",\"fPort\":1,\"data\":\"\"}")
                                       << u"fPort"_s;
    }
    void downlinkRequests()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, errorContains);
        auto d = lora::parseDownlink(body);
        if (errorContains.isEmpty()) {
            QVERIFY2(d, qPrintable(d ? QString() : d.error().message));
            return;
        }
        QVERIFY(!d);
        QCOMPARE(d.error().code, ErrorCode::Malformed);
        QVERIFY2(d.error().message.contains(errorContains), qPrintable(d.error().message));
    }

    void downlinkCommands()
    {
        const lora::Downlink d{u"0101010101010101"_s, 10, QByteArray("\x01\x02\x03", 3), true};
        auto c = lora::downlinkCommand(lora::Generation::ChirpStackV4, u"app-uuid"_s, d);
        QCOMPARE(c.topic, u"application/app-uuid/device/0101010101010101/command/down"_s);
        QJsonObject o = QJsonDocument::fromJson(c.payload).object();
        QCOMPARE(o.value("devEui"_L1).toString(), u"0101010101010101"_s);
        QCOMPARE(o.value("fPort"_L1).toInt(), 10);
        QCOMPARE(o.value("data"_L1).toString(), u"AQID"_s);
        QCOMPARE(o.value("confirmed"_L1).toBool(), true);
        c = lora::downlinkCommand(lora::Generation::ChirpStackV3, u"7"_s, d);
        QCOMPARE(c.topic, u"application/7/device/0101010101010101/command/down"_s);
        QVERIFY(!QJsonDocument::fromJson(c.payload).object().contains("devEui"_L1));
        c = lora::downlinkCommand(lora::Generation::LoraServer, u"7"_s, d);
        QCOMPARE(c.topic, u"application/7/device/0101010101010101/tx"_s);
        QVERIFY(QJsonDocument::fromJson(c.payload).object().contains("reference"_L1));
        QVERIFY(lora::generationFromString(u"V4"_s));
        QVERIFY(!lora::generationFromString(u"v5"_s));
    }

    void metadata()
    {
        QCOMPARE(lora::deviceEuiOf({{u"lora"_s, QJsonObject{{u"dev_eui"_s, u"0A0A0A0A0A0A0A0A"_s}}}}),
                 u"0a0a0a0a0a0a0a0a"_s);
        QCOMPARE(lora::deviceEuiOf({{u"type"_s, u"lora"_s}, {u"devEUI"_s, u"0202020202020202"_s}}),
                 u"0202020202020202"_s);
        QVERIFY(!lora::deviceEuiOf({{u"devEUI"_s, u"0202020202020202"_s}})); // 0.7 form needs type lora
        QVERIFY(!lora::deviceEuiOf({{u"lora"_s, QJsonObject{{u"dev_eui"_s, u"bad"_s}}}}));
        QCOMPARE(lora::applicationIdOf({{u"lora"_s, QJsonObject{{u"app_id"_s, u"17c8"_s}}}}), u"17c8"_s);
        QCOMPARE(lora::applicationIdOf({{u"lora"_s, QJsonObject{{u"app_id"_s, 12}}}}), u"12"_s);
        QCOMPARE(lora::applicationIdOf({{u"type"_s, u"lora"_s}, {u"appID"_s, u"1"_s}}), u"1"_s);
        QVERIFY(!lora::applicationIdOf({}));
    }
};

QTEST_APPLESS_MAIN(TestLora)
#include "tst_lora.moc"
