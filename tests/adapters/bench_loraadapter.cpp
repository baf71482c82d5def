// Benchmark: ChirpStack v4 uplinks/s through the LoRa adapter into the message store, against bare Mosquitto
// pub→sub of the same events in the same run. Usage: bench_loraadapter [uplinks=20000]. Prints a table for
// docs/BENCHMARKS.md ("LoRa adapter"). No raw string literals here (moc).
#include "adapters/lora/loraadapter.h"
#include "api/metrics.h"
#include "mosquittofixture.h"
#include "testbackend.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QTest>
#include <cstdio>

using namespace Qt::StringLiterals;
using namespace mf;

namespace {

const QString App = u"17c82e96-be03-4f38-aef3-f83d48582d97"_s;
const QString Eui = u"0101010101010101"_s;

QByteArray uplink(int fCnt)
{
    return QJsonDocument(
               QJsonObject{
                   {u"deduplicationId"_s, u"3ac7e3c4-4401-4b8d-9386-a5c902f9202d"_s},
                   {u"time"_s, u"2022-07-18T09:34:15.775023242+00:00"_s},
                   {u"deviceInfo"_s, QJsonObject{{u"tenantId"_s, u"52f14cd4-c6f1-4fbd-8f87-4025e1d49242"_s},
                                                 {u"applicationId"_s, App},
                                                 {u"deviceName"_s, u"bench"_s},
                                                 {u"devEui"_s, Eui}}},
                   {u"devAddr"_s, u"00189440"_s},
                   {u"dr"_s, 1},
                   {u"fCnt"_s, fCnt},
                   {u"fPort"_s, 1},
                   {u"data"_s, u"AQIDBAUGBwg="_s},
                   {u"rxInfo"_s, QJsonArray{QJsonObject{
                                     {u"gatewayId"_s, u"0016c001f153a14c"_s}, {u"rssi"_s, -36}, {u"snr"_s, 10.5}}}},
                   {u"txInfo"_s, QJsonObject{{u"frequency"_s, 867100000}}}})
        .toJson(QJsonDocument::Compact);
}

bool waitFor(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > timeoutMs) return false;
        QTest::qWait(5);
    }
    return true;
}

// mosquitto_pub -l: one message per line of `lines`, QoS 1.
bool flood(quint16 port, const QString &topic, const QByteArray &lines)
{
    QProcess pub;
    pub.start(u"mosquitto_pub"_s,
              {u"-h"_s, u"127.0.0.1"_s, u"-p"_s, QString::number(port), u"-q"_s, u"1"_s, u"-t"_s, topic, u"-l"_s});
    pub.write(lines);
    pub.closeWriteChannel();
    return pub.waitForFinished(600000) && pub.exitCode() == 0;
}

double bareMosquitto(testing::MosquittoFixture &broker, const QByteArray &lines, int n)
{
    QProcess sub;
    sub.start(u"mosquitto_sub"_s, {u"-h"_s, u"127.0.0.1"_s, u"-p"_s, QString::number(broker.port()), u"-q"_s, u"1"_s,
                                   u"-t"_s, u"bench/#"_s});
    qint64 received = 0;
    QByteArray partial;
    const auto drain = [&] {
        partial += sub.readAllStandardOutput();
        received += partial.count('\n');
        partial = partial.mid(partial.lastIndexOf('\n') + 1);
    };
    // Ready once a probe comes back.
    if (!waitFor(
            [&] {
                broker.publish(u"bench/probe"_s, "{}");
                sub.waitForReadyRead(200);
                drain();
                return received > 0;
            },
            10000))
        return 0;
    const qint64 probes = received;
    QElapsedTimer t;
    t.start();
    flood(broker.port(), u"bench/up"_s, lines);
    waitFor(
        [&] {
            sub.waitForReadyRead(50);
            drain();
            return received - probes >= n;
        },
        600000);
    const double seconds = t.nsecsElapsed() / 1e9;
    sub.kill();
    sub.waitForFinished();
    return n / seconds;
}

struct AdapterFigures
{
    double acceptedPerSecond = 0; // uplinks acked by the durable stream
    double storedPerSecond = 0;   // uplinks whose rows are all in the store
};

AdapterFigures throughAdapter(testing::MosquittoFixture &broker, const QByteArray &lines, int n, bool radio)
{
    testing::TestBackend be({{u"MF_LORA_MQTT_URL"_s, broker.url()},
                             {u"MF_LORA_CLIENT_ID"_s, radio ? u"bench-radio"_s : u"bench"_s},
                             {u"MF_LORA_RADIO"_s, radio ? u"true"_s : u"false"_s}});
    if (!be.isRunning()) qFatal("backend: %s", qPrintable(be.startError()));
    be.createUser(u"bench@example.com"_s);
    const QByteArray token = be.token(u"bench@example.com"_s);
    const QString thing =
        be.post(u"/things"_s,
                {{u"name"_s, u"dev"_s}, {u"metadata"_s, QJsonObject{{u"lora"_s, QJsonObject{{u"dev_eui"_s, Eui}}}}}},
                token)
            .json()
            .value("id"_L1)
            .toString();
    const QString channel =
        be.post(u"/channels"_s,
                {{u"name"_s, u"app"_s}, {u"metadata"_s, QJsonObject{{u"lora"_s, QJsonObject{{u"app_id"_s, App}}}}}},
                token)
            .json()
            .value("id"_L1)
            .toString();
    be.request("PUT", u"/channels/%1/things/%2"_s.arg(channel, thing), {}, {}, token);
    if (!waitFor([&] { return be.backend().loraAdapter()->isBrokerConnected(); }, 15000))
        qFatal("adapter did not connect");
    // The payload, plus one row per SenML radio record when radio metadata is on.
    const quint64 rowsPerUplink =
        1 +
        (radio ? quint64(QJsonDocument::fromJson(lora::radioPack(*lora::parseUplink({}, uplink(0)), 0)).array().size())
               : 0);
    api::Metrics &metrics = be.backend().metrics();
    QElapsedTimer t;
    t.start();
    flood(broker.port(), u"application/%1/device/%2/event/up"_s.arg(App, Eui), lines);
    AdapterFigures f;
    waitFor([&] { return metrics.value("mf_adapter_messages_total", "protocol=\"lora\",result=\"accepted\"") >= n; },
            600000);
    f.acceptedPerSecond = n / (t.nsecsElapsed() / 1e9);
    waitFor([&] { return be.backend().storedMessages() >= rowsPerUplink * quint64(n); }, 600000);
    f.storedPerSecond = n / (t.nsecsElapsed() / 1e9);
    return f;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int n = argc > 1 ? QByteArray(argv[1]).toInt() : 20000;
    QByteArray lines;
    for (int i = 0; i < n; ++i)
        lines += uplink(i) + '\n';
    testing::MosquittoFixture broker;
    if (!broker.start()) qFatal("mosquitto did not start");
    const double bare = bareMosquitto(broker, lines, n);
    const AdapterFigures plain = throughAdapter(broker, lines, n, false);
    const AdapterFigures radio = throughAdapter(broker, lines, n, true);
    std::printf("uplinks: %d ChirpStack v4 events of %lld bytes, mosquitto_pub -l -q 1, SQLite\n", n,
                qint64(uplink(0).size()));
    std::printf("| path | uplinks/s | vs bare Mosquitto |\n|---|---:|---:|\n");
    std::printf("| bare Mosquitto pub -> sub | %.0f | 1.00 |\n", bare);
    std::printf("| adapter, accepted into the stream (MF_LORA_RADIO=false) | %.0f | %.2f |\n", plain.acceptedPerSecond,
                plain.acceptedPerSecond / bare);
    std::printf("| adapter, stored (MF_LORA_RADIO=false, 1 row/uplink) | %.0f | %.2f |\n", plain.storedPerSecond,
                plain.storedPerSecond / bare);
    std::printf("| adapter, accepted into the stream (radio on) | %.0f | %.2f |\n", radio.acceptedPerSecond,
                radio.acceptedPerSecond / bare);
    std::printf("| adapter, stored (radio on, 9 rows/uplink) | %.0f | %.2f |\n", radio.storedPerSecond,
                radio.storedPerSecond / bare);
    return 0;
}
