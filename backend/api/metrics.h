#pragma once

#include <QByteArray>
#include <QMap>
#include <QMutex>

#include <array>

namespace mf::api {

// Prometheus text-format counters, gauges and latency histograms. Thread-safe: adapters on other threads count
// here too. Names follow `mf_<area>_<what>`; labels are given pre-formatted (`route="/things",status="200"`).
class Metrics final
{
public:
    void increment(const QByteArray &name, const QByteArray &labels = {}, double by = 1);
    void setGauge(const QByteArray &name, const QByteArray &labels, double value);
    void observe(const QByteArray &name, const QByteArray &labels, double seconds);
    double value(const QByteArray &name, const QByteArray &labels = {}) const;
    // Sum of a counter over every label set that contains `labelPart` (e.g. `result="accepted"`).
    double sum(const QByteArray &name, const QByteArray &labelPart = {}) const;
    QByteArray render() const;

    static constexpr std::array<double, 10> Buckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2.5};

private:
    struct Histogram
    {
        std::array<quint64, Buckets.size()> counts{};
        quint64 count = 0;
        double sum = 0;
    };
    static QByteArray key(const QByteArray &name, const QByteArray &labels) { return name + '{' + labels + '}'; }

    mutable QMutex m_mutex;
    QMap<QByteArray, double> m_counters; // key → value, sorted for rendering
    QMap<QByteArray, double> m_gauges;
    QMap<QByteArray, QPair<QByteArray, Histogram>> m_histograms; // name → (labels, histogram), keyed by key()
};

} // namespace mf::api
