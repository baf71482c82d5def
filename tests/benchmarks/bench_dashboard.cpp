// Dashboard benchmarks (docs/BENCHMARKS.md, "Dashboard"); not a test, not in ctest. Run under
// QT_QPA_PLATFORM=offscreen (the widgets are created, laid out and painted into the offscreen backing store).
//
//   bench_dashboard live [seconds=60] [rate=2000]  the live view of one channel fed `rate` records/s: event-loop
//                                                  stalls (1 ms heartbeat) and RSS every second
//   bench_dashboard things [count=100000]          bulk-create `count` things over REST (1000 per request) into an
//                                                  in-process backend, then time the Things table's first page
//   bench_dashboard coldstart <mainflux-backend>   "This computer": launch the bundled backend, reach the sign-in
//                                                  (fresh data dir), then again with a stored token to the filled
//                                                  overview
#include "client/backendprocess.h"
#include "client/liverecord.h"
#include "client/restclient.h"
#include "livepage.h"
#include "mainwindow.h"
#include "models/livemessagesmodel.h"
#include "models/session.h"
#include "models/thingsmodel.h"
#include "models/tokenstore.h"
#include "overviewpage.h"
#include "testbackend.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QHeaderView>
#include <QJsonArray>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <malloc.h>
#include <unistd.h>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

qint64 rssKiB()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly)) return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:")) return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

// Milliseconds since this process was exec'd (/proc/self/stat starttime vs /proc/uptime): includes loading the
// shared libraries and creating the QApplication, which the in-process timers miss.
qint64 processAgeMs()
{
    QFile stat(u"/proc/self/stat"_s), uptime(u"/proc/uptime"_s);
    if (!stat.open(QIODevice::ReadOnly) || !uptime.open(QIODevice::ReadOnly)) return -1;
    const QByteArray line = stat.readAll();
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    const double startSeconds = fields.value(19).toDouble() / double(sysconf(_SC_CLK_TCK));
    const double upSeconds = uptime.readAll().split(' ').value(0).toDouble();
    return qint64((upSeconds - startSeconds) * 1000.0);
}

// Heartbeat gaps in a histogram allocated and touched once: 10 µs buckets up to 200 ms, longer gaps kept exactly
// (rare). A list of every gap grew by ~8 KB/s (one qint64 per 1 ms beat), which is how the benchmark's own memory
// showed up as the view's "RSS growth" in earlier runs (docs/BENCHMARKS.md, Dashboard 7).
class GapHistogram
{
public:
    GapHistogram() : m_buckets(BucketCount, 0) { m_long.reserve(4096); }
    void add(qint64 ns)
    {
        ++m_count;
        if (ns / BucketNs < BucketCount)
            ++m_buckets[size_t(ns / BucketNs)];
        else
            m_long.append(ns);
    }
    // The gap at quantile p (0..1) in ms, to the bucket's upper edge.
    double quantileMs(double p)
    {
        if (m_count == 0) return 0;
        const qint64 rank = qint64(p * double(m_count - 1));
        qint64 seen = 0;
        for (size_t i = 0; i < m_buckets.size(); ++i) {
            seen += m_buckets[i];
            if (seen > rank) return double((qint64(i) + 1) * BucketNs) / 1e6;
        }
        std::sort(m_long.begin(), m_long.end());
        return double(m_long.value(qsizetype(rank - seen), m_long.isEmpty() ? 0 : m_long.last())) / 1e6;
    }

private:
    static constexpr qint64 BucketNs = 10'000;
    static constexpr qint64 BucketCount = 20'000; // 200 ms
    std::vector<qint64> m_buckets;
    QList<qint64> m_long;
    qint64 m_count = 0;
};

template <typename Pred> bool waitFor(Pred pred, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!pred()) {
        if (t.elapsed() > timeoutMs) return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    }
    return true;
}

int benchLive(int seconds, int rate)
{
    QTemporaryDir dir;
    mf::ui::TokenStore tokens(u"mainflux-bench"_s, dir.path());
    tokens.setMode(mf::ui::TokenStore::Mode::File);
    mf::ui::Session session(nullptr, &tokens); // no client: the view is fed directly, as the stream would feed it
    mf::ui::LiveChannelView view(&session, u"bench-channel"_s);
    view.resize(1200, 760);
    view.show();

    const QStringList names{u"boiler:temp"_s, u"boiler:pressure"_s, u"pump:rpm"_s, u"room:humidity"_s,
                            u"room:co2"_s};
    constexpr int TickMs = 10;
    const int perTick = rate * TickMs / 1000;
    qint64 sent = 0;
    QTimer feeder;
    feeder.setTimerType(Qt::PreciseTimer);
    QElapsedTimer clock;
    clock.start();
    const double start = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
    QObject::connect(&feeder, &QTimer::timeout, [&] {
        // Catch up to the wall clock, so a stall does not lower the offered rate.
        const qint64 due = clock.elapsed() * rate / 1000;
        QList<mf::client::LiveRecord> batch;
        while (sent < due) {
            mf::client::LiveRecord r;
            r.channel = u"bench-channel"_s;
            r.publisher = u"device-%1"_s.arg(sent % 50);
            r.protocol = u"mqtt"_s;
            r.subtopic = u"room1"_s;
            r.name = names[sent % names.size()];
            r.unit = u"Cel"_s;
            r.value = 20.0 + double(sent % 100) / 10.0;
            r.time = start + double(sent) / rate; // distinct, in order (the table holds each record once)
            batch.append(r);
            ++sent;
        }
        if (!batch.isEmpty()) view.model()->append(batch);
    });
    Q_UNUSED(perTick);

    QElapsedTimer beat;
    beat.start();
    qint64 maxGapNs = 0, secondMaxNs = 0, gaps16 = 0, gaps50 = 0, beats = 0;
    GapHistogram gaps;
    QTimer heartbeat;
    heartbeat.setTimerType(Qt::PreciseTimer);
    heartbeat.setInterval(1);
    QObject::connect(&heartbeat, &QTimer::timeout, [&] {
        const qint64 gap = beat.nsecsElapsed();
        beat.restart();
        ++beats;
        gaps.add(gap);
        maxGapNs = std::max(maxGapNs, gap);
        secondMaxNs = std::max(secondMaxNs, gap);
        if (gap > 16'000'000) ++gaps16;
        if (gap > 50'000'000) ++gaps50;
    });

    // Latency to the table: for each batch the view applies, the wall clock minus the record's time (its time is when
    // the feeder made it), for the oldest record of the batch (the longest wait in it).
    QList<double> latencies;
    latencies.resize(seconds * 5 + 100); // touched now: its pages are not counted as growth later
    latencies.clear();
    QObject::connect(view.model(), &mf::ui::LiveMessagesModel::batchApplied,
                     [&](const QList<mf::client::LiveRecord> &b) {
                         if (b.isEmpty()) return;
                         const double nowMs = double(QDateTime::currentMSecsSinceEpoch());
                         latencies.append(nowMs - b.constFirst().time * 1000.0);
                     });

    std::printf("live view: %d records/s for %d s, buffer %d rows, 5 series\n", rate, seconds,
                view.model()->capacity());
    std::printf("%6s %10s %10s %12s %10s   %s\n", "t [s]", "rows", "sent", "RSS [KiB]", "max gap in that second",
                "the view's traffic line");
    QTimer sampler;
    int tick = 0;
    const qint64 rss0 = rssKiB();
    QList<qint64> rss;
    rss.resize(seconds + 10);
    rss.clear();
    // What malloc hands out (glibc mallinfo2): a leak grows it; RSS growing while this stays flat is the allocator.
    QList<qint64> heap;
    heap.resize(seconds + 10);
    heap.clear();
    QObject::connect(&sampler, &QTimer::timeout, [&] {
        ++tick;
        const qint64 now = rssKiB();
        rss.append(now);
        heap.append(qint64(mallinfo2().uordblks / 1024));
        std::printf("%6d %10d %10lld %12lld %8.1f ms   %s\n", tick, view.model()->rowCount(), sent, now,
                    double(secondMaxNs) / 1e6, qPrintable(view.trafficText()));
        std::fflush(stdout);
        secondMaxNs = 0;
        if (tick >= seconds) QCoreApplication::quit();
    });
    feeder.start(TickMs);
    heartbeat.start();
    sampler.start(1000);
    beat.restart();
    QCoreApplication::exec();

    const auto pct = [&](double p) { return gaps.quantileMs(p); };
    std::printf("\nrecords offered: %lld (%.0f/s)\n", sent, double(sent) / seconds);
    std::printf("heartbeats: %lld; gap p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.1f ms; gaps > 16 ms: %lld, "
                "> 50 ms: %lld\n",
                beats, pct(0.5), pct(0.99), pct(0.999), double(maxGapNs) / 1e6, gaps16, gaps50);
    std::sort(latencies.begin(), latencies.end());
    const auto lat = [&](double p) {
        return latencies.isEmpty() ? 0.0 : latencies[qsizetype(p * (latencies.size() - 1))];
    };
    std::printf("record to table (oldest of each batch, %lld batches): p50 %.0f ms, p99 %.0f ms, max %.0f ms\n",
                qint64(latencies.size()), lat(0.5), lat(0.99), latencies.isEmpty() ? 0.0 : latencies.last());
    std::printf("view: %lld received, %d rows held, %lld trimmed from the table, %lld never shown\n",
                view.model()->receivedCount(), view.model()->rowCount(), view.model()->trimmedCount(),
                view.model()->droppedCount());
    const qint64 at10 = rss.value(9), atEnd = rss.value(rss.size() - 1);
    if (seconds >= 120) {
        const qint64 at60 = rss.value(59);
        std::printf("RSS at 60 s %lld KiB, at end %lld KiB: growth after the first minute %lld KiB (%.1f KiB/min)\n",
                    at60, atEnd, atEnd - at60, double(atEnd - at60) * 60.0 / (seconds - 60));
    }
    if (seconds >= 120)
        std::printf("heap in use (mallinfo2): at 10 s %lld KiB, at 60 s %lld KiB, at end %lld KiB\n", heap.value(9),
                    heap.value(59), heap.value(heap.size() - 1));
    std::printf("RSS: start %lld KiB, at 10 s %lld KiB, at end %lld KiB; growth after 10 s: %lld KiB (%.1f KiB/min)\n",
                rss0, at10, atEnd, atEnd - at10, double(atEnd - at10) * 60.0 / std::max(1, seconds - 10));
    return 0;
}

int benchThings(int count)
{
    mf::testing::TestBackend backend;
    if (!backend.isRunning()) {
        std::fprintf(stderr, "backend: %s\n", qPrintable(backend.startError()));
        return 1;
    }
    backend.createUser(u"bench@example.com"_s);
    const QByteArray token = backend.token(u"bench@example.com"_s);
    QElapsedTimer t;
    t.start();
    for (int done = 0; done < count; done += 1000) {
        QJsonArray things;
        for (int i = done; i < std::min(count, done + 1000); ++i)
            things.append(QJsonObject{{u"name"_s, u"thing-%1"_s.arg(i, 6, 10, QChar(u'0'))},
                                      {u"metadata"_s, QJsonObject{{u"site"_s, u"bench"_s}}}});
        const mf::testing::HttpReply reply = backend.request("POST", u"/things/bulk"_s,
                                                             QJsonDocument(things).toJson(QJsonDocument::Compact),
                                                             "application/json", "Bearer " + token);
        if (reply.status != 201 && reply.status != 200) {
            std::fprintf(stderr, "bulk create: %d %s\n", reply.status, reply.body.constData());
            return 1;
        }
    }
    std::printf("created %d things in %d requests of 1000: %.1f s (%.0f things/s)\n", count, (count + 999) / 1000,
                double(t.elapsed()) / 1000.0, count * 1000.0 / std::max<qint64>(1, t.elapsed()));

    for (int run = 1; run <= 3; ++run) {
        mf::client::RestClient client(QUrl(backend.baseUrl()));
        client.setToken(QString::fromLatin1(token));
        mf::ui::ThingsModel model;
        QTableView view;
        view.resize(1100, 700);
        view.setModel(&model);
        view.show();
        QCoreApplication::processEvents();
        QElapsedTimer first;
        first.start();
        model.setClient(&client); // loads the first page
        if (model.rowCount() == 0) model.reload();
        if (!waitFor([&] { return model.rowCount() > 0; }, 30000)) {
            std::fprintf(stderr, "no rows after 30 s\n");
            return 1;
        }
        const qint64 rowsMs = first.elapsed();
        view.viewport()->repaint();
        const qint64 paintedMs = first.elapsed();
        qint64 total = 0;
        QObject::connect(&model, &mf::ui::PagedTableModel::totalChanged, [&](qint64 n) { total = n; });
        // Sorting by name (server-side) reloads the first page.
        QElapsedTimer sortTimer;
        sortTimer.start();
        model.sort(0, Qt::DescendingOrder);
        waitFor([&] { return model.rowCount() > 0 && model.index(0, 0).data().toString() == u"thing-%1"_s.arg(count - 1, 6, 10, QChar(u'0')); }, 30000);
        const qint64 sortMs = sortTimer.elapsed();
        std::printf("run %d: first page (%d rows) in the model after %lld ms, painted after %lld ms; sorted by name "
                    "descending (first page again) in %lld ms\n",
                    run, model.rowCount(), rowsMs, paintedMs, sortMs);
        Q_UNUSED(total);
    }
    return 0;
}

int benchColdStart(const QString &program)
{
    QTemporaryDir dir;
    QElapsedTimer total;
    for (int run = 1; run <= 2; ++run) {
        QElapsedTimer t;
        t.start();
        mf::client::BackendProcess backend;
        backend.setProgram(program);
        backend.setDataDir(dir.filePath(u"data"_s));
        backend.setExtraArguments({u"--ws-port"_s, u"0"_s, u"--mqtt-port"_s, u"0"_s, u"--mqtt-ws-port"_s, u"0"_s,
                                   u"--coap-port"_s, u"0"_s});
        QSettings settings(dir.filePath(u"settings.ini"_s), QSettings::IniFormat);
        mf::ui::TokenStore tokens(u"mainflux-bench"_s, dir.filePath(u"config"_s));
        tokens.setMode(mf::ui::TokenStore::Mode::File);
        mf::ui::Session session(&backend, &tokens);
        qint64 readyMs = -1;
        QObject::connect(&backend, &mf::client::BackendProcess::ready, [&] { readyMs = t.elapsed(); });
        mf::ui::MainWindow window(&session, settings);
        window.resize(1200, 760);
        window.show();
        const qint64 windowMs = t.elapsed();
        window.openInitialProfile();
        if (run == 1) {
            if (!waitFor([&] { return session.state() == mf::ui::Session::State::SignedOut; }, 30000)) {
                std::fprintf(stderr, "no sign-in after 30 s: %s\n", qPrintable(session.failure()));
                return 1;
            }
            std::printf("run 1 (fresh data dir, first start): window shown %lld ms, backend ready line %lld ms, "
                        "sign-in offered %lld ms (process age %lld ms)\n",
                        windowMs, readyMs, t.elapsed(), processAgeMs());
            session.signUp(u"bench@example.com"_s, u"12345678"_s);
            waitFor([&] { return session.state() == mf::ui::Session::State::SignedIn; }, 10000);
        } else {
            if (!waitFor([&] { return session.state() == mf::ui::Session::State::SignedIn; }, 30000)) {
                std::fprintf(stderr, "not signed in after 30 s: %s\n", qPrintable(session.failure()));
                return 1;
            }
            const qint64 signedInMs = t.elapsed();
            waitFor([&] { return window.overviewPage()->thingsCount() == u"0"_s; }, 10000);
            std::printf("run 2 (existing data, stored token): window shown %lld ms, backend ready line %lld ms, "
                        "signed in %lld ms, overview filled (counts) %lld ms\n",
                        windowMs, readyMs, signedInMs, t.elapsed());
            std::fflush(stdout);
        }
        window.close();
        session.close();
        backend.stop();
        waitFor([&] { return backend.state() == mf::client::BackendProcess::State::Stopped; }, 15000);
    }
    Q_UNUSED(total);
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    const QStringList args = QCoreApplication::arguments();
    const QString mode = args.value(1);
    if (mode == u"live"_s) return benchLive(args.value(2, u"60"_s).toInt(), args.value(3, u"2000"_s).toInt());
    if (mode == u"things"_s) return benchThings(args.value(2, u"100000"_s).toInt());
    if (mode == u"coldstart"_s) return benchColdStart(args.value(2));
    std::fprintf(stderr, "usage: bench_dashboard live [seconds] [rate] | things [count] | coldstart <backend>\n");
    return 2;
}
