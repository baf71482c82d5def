// bench_bus: throughput of the bus layer against a nats-server it starts itself on a free port.
//   core publish      1,000,000 x 100 B through NatsConnection::publish (+ final flush), and delivery of the
//                     same messages to a subscriber on a second connection through the Qt hand-off
//   durable publish   200,000 x 300 B through publishDurable (async, acks outstanding), until all acked
//   pull consume      the same 200,000 through fetch(256) + ack() per message
// Run: build-bus/tests/bus/bench_bus [core-count] [durable-count]; BENCH_RESENDS=1: durable publishes with
// setDurableResends(true) (a Nats-Msg-Id on every message, as on a replicated stream). Figures include the server on the same cores.

#include "bus/natsconnection.h"
#include "bus/natsserverprocess.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTextStream>

using namespace Qt::StringLiterals;
using namespace mf::bus;

namespace {

void waitUntil(const std::function<bool()> &done)
{
    while (!done())
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 50);
}

QString rate(qint64 n, qint64 ns)
{
    return u"%1 msgs/s (%2 in %3 s)"_s.arg(QString::number(double(n) * 1e9 / double(ns), 'f', 0), QString::number(n),
                                           QString::number(double(ns) / 1e9, 'f', 3));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    const QStringList args = app.arguments();
    const int coreN = args.size() > 1 ? args[1].toInt() : 1'000'000;
    const int durableN = args.size() > 2 ? args[2].toInt() : 200'000;

    QTemporaryDir dir;
    NatsServerProcess server(dir.path());
    if (auto r = server.start(); !r) {
        out << "cannot start nats-server: " << r.error().message << Qt::endl;
        return 1;
    }
    NatsConnection::Options options;
    options.stallWaitMs = 2000; // a benchmark may block when it outruns the server; a service should not
    NatsConnection pub, subConn;
    pub.setDurableResends(qEnvironmentVariableIntValue("BENCH_RESENDS") == 1);
    if (!pub.open({server.url()}, u"bench-pub"_s, options) || !subConn.open({server.url()}, u"bench-sub"_s)) {
        out << "cannot connect" << Qt::endl;
        return 1;
    }
    out << "nats-server at " << server.url() << Qt::endl;

    // 1. Core publish, and delivery through the Qt hand-off.
    {
        QObject context;
        qint64 received = 0;
        auto sub =
            subConn.subscribe("bench.core", {}, &context, [&](QByteArray, QByteArray, QByteArray) { ++received; });
        const QByteArray payload(100, 'x');
        QElapsedTimer t;
        t.start();
        for (int i = 0; i < coreN; ++i)
            (void)pub.publish("bench.core", payload);
        (void)pub.flush(10000);
        const qint64 publishNs = t.nsecsElapsed();
        waitUntil([&] { return received >= coreN; });
        const qint64 deliverNs = t.nsecsElapsed();
        out << "core publish    (" << coreN << " x 100 B): " << rate(coreN, publishNs) << Qt::endl;
        out << "core delivered  to a subscriber on the Qt thread: " << rate(received, deliverNs) << Qt::endl;
    }

    // 2. JetStream async durable publish.
    if (auto r = pub.ensureStream(u"BENCH"_s, {u"bench.js.>"_s}, true); !r) {
        out << "ensureStream: " << r.error().message << Qt::endl;
        return 1;
    }
    {
        QObject context;
        qint64 acked = 0, failed = 0;
        const QByteArray payload(300, 'y');
        QList<QByteArray> subjects;
        for (int c = 0; c < 100; ++c)
            subjects << "bench.js.c" + QByteArray::number(c);
        QElapsedTimer t;
        t.start();
        for (int i = 0; i < durableN; ++i) {
            pub.publishDurable(subjects[i % 100], payload, &context, [&](mf::Result<void> r) {
                if (r)
                    ++acked;
                else
                    ++failed;
            });
            if ((i & 1023) == 0) QCoreApplication::processEvents(); // run ack handlers as a service would
        }
        waitUntil([&] { return acked + failed >= durableN; });
        const qint64 ns = t.nsecsElapsed();
        out << "durable publish (" << durableN << " x 300 B, file stream): " << rate(acked, ns) << ", failed " << failed
            << Qt::endl;
    }

    // 3. Pull consume with an ack per message.
    {
        qint64 consumed = 0;
        QElapsedTimer t;
        t.start();
        while (consumed < durableN) {
            const auto batch = subConn.fetch(u"BENCH"_s, u"bench"_s, {}, 256, 2000);
            if (!batch) {
                out << "fetch: " << batch.error().message << Qt::endl;
                return 1;
            }
            if (batch->isEmpty()) break;
            for (const DurableMessage &m : *batch)
                (void)m.ack();
            consumed += batch->size();
        }
        const qint64 ns = t.nsecsElapsed();
        out << "pull consume    (fetch 256, ack each): " << rate(consumed, ns) << Qt::endl;
    }
    return 0;
}
