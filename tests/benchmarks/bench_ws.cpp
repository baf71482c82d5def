// WebSocket fan-out load generator, see bench-ws.sh and docs/BENCHMARKS.md ("WebSocket adapter").
//
//   bench_ws ws   <ws url of the channel> <publisher key> <subscriber key> <subscribers> <messages> <size>
//   bench_ws nats <nats url> <subscribers> <messages> <size>
//
// ws: opens N subscriber WebSockets (one thing key shared by all, raw frames), then one publisher WebSocket that
// sends M frames of `size` bytes as fast as it can; stops when every subscriber has every message. nats: the same
// shape on bare NATS (N subscriptions on one subject, M core publishes) through the same nats-server, the baseline.
// Prints one JSON line: published msgs/s, delivered msgs/s, seconds, lost deliveries.
#include "bus/natsconnection.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>
#include <QWebSocket>
#include <cstdio>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

struct Run
{
    qint64 expected = 0;
    qint64 delivered = 0;
    QElapsedTimer clock;
    double seconds = 0;
    int closedEarly = 0;
};

void report(const char *mode, int subscribers, qint64 messages, int size, const Run &run)
{
    const QJsonObject o{{u"mode"_s, QString::fromLatin1(mode)},
                        {u"subscribers"_s, subscribers},
                        {u"messages"_s, messages},
                        {u"size"_s, size},
                        {u"seconds"_s, run.seconds},
                        {u"published_per_s"_s, run.seconds > 0 ? double(messages) / run.seconds : 0},
                        {u"delivered_per_s"_s, run.seconds > 0 ? double(run.delivered) / run.seconds : 0},
                        {u"lost"_s, run.expected - run.delivered},
                        {u"closed_early"_s, run.closedEarly}};
    std::printf("%s\n", QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
}

int runWs(const QStringList &a)
{
    const QUrl url(a.at(0));
    const QByteArray pubKey = a.at(1).toLatin1(), subKey = a.at(2).toLatin1();
    const int n = a.at(3).toInt();
    const qint64 m = a.at(4).toLongLong();
    const int size = a.at(5).toInt();
    Run run;
    run.expected = n * m;
    std::vector<std::unique_ptr<QWebSocket>> subs;
    int connected = 0;
    const auto finish = [&] {
        run.seconds = run.clock.nsecsElapsed() / 1e9;
        QCoreApplication::quit();
    };
    for (int i = 0; i < n; ++i) {
        auto s = std::make_unique<QWebSocket>();
        QWebSocket *raw = s.get();
        QObject::connect(raw, &QWebSocket::connected, raw, [&] { ++connected; });
        QObject::connect(raw, &QWebSocket::textMessageReceived, raw, [&](const QString &) {
            if (++run.delivered == run.expected) finish();
        });
        QObject::connect(raw, &QWebSocket::disconnected, raw, [&] { ++run.closedEarly; });
        QNetworkRequest request(url);
        request.setRawHeader("Authorization", "Thing " + subKey);
        raw->open(request);
        subs.push_back(std::move(s));
    }
    QWebSocket publisher;
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Thing " + pubKey);
    request.setRawHeader("Content-Type", "text/plain");
    const QString payload(size, u'x');
    QObject::connect(&publisher, &QWebSocket::connected, &publisher, [&] {
        QTimer::singleShot(200, &publisher, [&] { // let every subscription settle
            run.clock.start();
            for (qint64 i = 0; i < m; ++i)
                publisher.sendTextMessage(payload);
        });
    });
    QTimer waitSubs;
    QObject::connect(&waitSubs, &QTimer::timeout, &waitSubs, [&] {
        if (connected == n) {
            waitSubs.stop();
            publisher.open(request);
        }
    });
    waitSubs.start(10);
    QTimer::singleShot(120'000, qApp, [&] { finish(); }); // give up; "lost" says how many never came
    QCoreApplication::exec();
    report("ws", n, m, size, run);
    return run.delivered == run.expected ? 0 : 1;
}

int runNats(const QStringList &a)
{
    const QString url = a.at(0);
    const int n = a.at(1).toInt();
    const qint64 m = a.at(2).toLongLong();
    const int size = a.at(3).toInt();
    mf::bus::NatsConnection nats;
    if (auto opened = nats.open({url}, u"bench-ws-baseline"_s); !opened) {
        std::fprintf(stderr, "bench_ws: %s\n", qPrintable(opened.error().message));
        return 2;
    }
    Run run;
    run.expected = n * m;
    QObject context;
    std::vector<mf::bus::Subscription> subs;
    for (int i = 0; i < n; ++i) {
        auto sub = nats.subscribe("bench.fanout", {}, &context, [&](QByteArray, QByteArray, QByteArray) {
            if (++run.delivered == run.expected) {
                run.seconds = run.clock.nsecsElapsed() / 1e9;
                QCoreApplication::quit();
            }
        });
        if (!sub) return 2;
        subs.push_back(std::move(*sub));
    }
    const QByteArray payload(size, 'x');
    QTimer::singleShot(0, &context, [&] {
        run.clock.start();
        for (qint64 i = 0; i < m; ++i)
            (void)nats.publish("bench.fanout", payload);
    });
    QTimer::singleShot(120'000, &context, [&] {
        run.seconds = run.clock.nsecsElapsed() / 1e9;
        QCoreApplication::quit();
    });
    QCoreApplication::exec();
    report("nats", n, m, size, run);
    return run.delivered == run.expected ? 0 : 1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    if (args.size() == 7 && args.first() == "ws"_L1) return runWs(args.mid(1));
    if (args.size() == 5 && args.first() == "nats"_L1) return runNats(args.mid(1));
    std::fprintf(stderr, "usage: bench_ws ws <url> <pub key> <sub key> <subscribers> <messages> <size>\n"
                         "       bench_ws nats <nats url> <subscribers> <messages> <size>\n");
    return 2;
}
