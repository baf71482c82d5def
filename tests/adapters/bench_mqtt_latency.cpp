// bench_mqtt_latency: publishes raw-message envelopes straight to NATS (as the HTTP/CoAP/WS adapters would) at a
// fixed rate, each payload carrying its send time (CLOCK_REALTIME ns, as text). An MQTT subscriber run by
// bench-mqtt.sh (`mosquitto_sub -F '%U %p'`) prints the receive time next to it.
// Run: bench_mqtt_latency <nats-url> <channel-id> <count> <rate-per-second>
#include "bus/envelope.h"
#include "bus/natsconnection.h"
#include "bus/subjects.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QThread>
#include <cstdio>
#include <ctime>

using namespace Qt::StringLiterals;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 5) {
        std::fprintf(stderr, "usage: %s <nats-url> <channel-id> <count> <rate>\n", argv[0]);
        return 2;
    }
    const QString url = QString::fromLocal8Bit(argv[1]), channel = QString::fromLocal8Bit(argv[2]);
    const long count = std::atol(argv[3]), rate = std::max(1L, std::atol(argv[4]));
    mf::bus::NatsConnection nats;
    if (auto opened = nats.open({url}, u"bench-mqtt"_s); !opened) {
        std::fprintf(stderr, "%s\n", qPrintable(opened.error().message));
        return 1;
    }
    mf::bus::Envelope e;
    e.channel = channel;
    e.publisher = u"bench"_s;
    e.protocol = u"http"_s;
    e.contentType = u"text/plain"_s;
    e.origin = u"bench"_s;
    const QByteArray subject = mf::bus::channelSubject(channel);
    QElapsedTimer clock;
    clock.start();
    for (long i = 0; i < count; ++i) {
        const qint64 due = i * 1'000'000'000LL / rate;
        while (clock.nsecsElapsed() < due) {
            if (due - clock.nsecsElapsed() > 200'000) QThread::usleep(50);
        }
        timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        e.payload = QByteArray::number(qint64(ts.tv_sec) * 1'000'000'000LL + ts.tv_nsec);
        e.createdNs = qint64(ts.tv_sec) * 1'000'000'000LL + ts.tv_nsec;
        if (auto sent = nats.publish(subject, e.encode()); !sent) {
            std::fprintf(stderr, "%s\n", qPrintable(sent.error().message));
            return 1;
        }
    }
    nats.flush();
    std::printf("published %ld in %.3f s\n", count, double(clock.nsecsElapsed()) / 1e9);
    return 0;
}
