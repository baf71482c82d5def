// Prints how many records per second normalize() resolves, for JSON and CBOR, on a small and a large pack.
// Not a test: run it by hand in a release-ish build (see the figures quoted in the commit that added it).
//   bench_senml [small-pack-iterations=100000]
#include "core/senml/senml.h"

#include <QCborArray>
#include <QCborMap>
#include <QCborValue>
#include <QElapsedTimer>
#include <cstdio>
#include <cstdlib>

using namespace Qt::StringLiterals;
using mf::senml::Format;

namespace {

constexpr double kNow = 1'700'000'000.0;

QByteArray jsonPack(int records)
{
    QByteArray json = R"([{"bn":"urn:dev:ow:10e2073a0108006:","bt":1.276020076001e+09,"bu":"A","bver":5,)"
                      R"("n":"voltage","u":"V","v":120.1})"_ba;
    for (int i = 1; i < records; ++i)
        json += R"(,{"n":"current","t":)"_ba + QByteArray::number(i) + R"(,"v":)"_ba + QByteArray::number(1 + i * 0.1) +
                '}';
    return json + ']';
}

QByteArray cborPack(int records)
{
    QCborArray pack{QCborMap{{-2, u"urn:dev:ow:10e2073a0108006:"_s},
                             {-3, 1276020076.001},
                             {-4, u"A"_s},
                             {-1, 5},
                             {0, u"voltage"_s},
                             {1, u"V"_s},
                             {2, 120.1}}};
    for (int i = 1; i < records; ++i)
        pack.append(QCborMap{{0, u"current"_s}, {6, i}, {2, 1 + i * 0.1}});
    return QCborValue(pack).toCbor();
}

void run(const char *label, const QByteArray &payload, Format format, int iterations)
{
    qsizetype records = 0;
    for (int i = 0; i < 3; ++i) // warm up
        records = mf::senml::normalize(payload, format, kNow).value().size();
    QElapsedTimer timer;
    timer.start();
    qsizetype total = 0;
    for (int i = 0; i < iterations; ++i) {
        const auto resolved = mf::senml::normalize(payload, format, kNow);
        if (!resolved) {
            std::fprintf(stderr, "%s: %s\n", label, qPrintable(resolved.error().message));
            std::exit(1);
        }
        total += resolved->size();
    }
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    std::printf("%-28s %6lld records x %7d packs  %8.3f s  %10.0f records/s  %9.2f us/pack\n", label,
                static_cast<long long>(records), iterations, seconds, double(total) / seconds,
                seconds * 1e6 / iterations);
}

} // namespace

int main(int argc, char **argv)
{
    const int smallIterations = argc > 1 ? std::atoi(argv[1]) : 100'000;
    const int largeIterations = std::max(1, smallIterations / 2000);

    const QByteArray smallJson = jsonPack(3), largeJson = jsonPack(10'000);
    const QByteArray smallCbor = cborPack(3), largeCbor = cborPack(10'000);
    run("json, 3-record pack", smallJson, Format::Json, smallIterations);
    run("json, 10k-record pack", largeJson, Format::Json, largeIterations);
    run("cbor, 3-record pack", smallCbor, Format::Cbor, smallIterations);
    run("cbor, 10k-record pack", largeCbor, Format::Cbor, largeIterations);
    return 0;
}
