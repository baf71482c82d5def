#include "metrics.h"

#include <QMap>

namespace mf::api {

void Metrics::increment(const QByteArray &name, const QByteArray &labels, double by)
{
    QMutexLocker lock(&m_mutex);
    m_counters[key(name, labels)] += by;
}

void Metrics::setGauge(const QByteArray &name, const QByteArray &labels, double value)
{
    QMutexLocker lock(&m_mutex);
    m_gauges[key(name, labels)] = value;
}

void Metrics::observe(const QByteArray &name, const QByteArray &labels, double seconds)
{
    QMutexLocker lock(&m_mutex);
    auto &[storedLabels, h] = m_histograms[key(name, labels)];
    storedLabels = labels;
    for (size_t i = 0; i < Buckets.size(); ++i)
        if (seconds <= Buckets[i])
            ++h.counts[i];
    ++h.count;
    h.sum += seconds;
}

double Metrics::value(const QByteArray &name, const QByteArray &labels) const
{
    QMutexLocker lock(&m_mutex);
    const QByteArray k = key(name, labels);
    return m_counters.value(k, m_gauges.value(k));
}

double Metrics::sum(const QByteArray &name, const QByteArray &labelPart) const
{
    QMutexLocker lock(&m_mutex);
    double total = 0;
    const QByteArray prefix = name + '{';
    for (auto it = m_counters.lowerBound(prefix); it != m_counters.cend() && it.key().startsWith(prefix); ++it)
        if (labelPart.isEmpty() || it.key().contains(labelPart))
            total += it.value();
    return total;
}

QByteArray Metrics::render() const
{
    QMutexLocker lock(&m_mutex);
    QByteArray out;
    auto series = [](const QByteArray &k) {
        return k.endsWith("{}") ? k.left(k.size() - 2) : k; // name{} → name
    };
    const auto &counters = m_counters;
    QByteArray lastName;
    for (auto it = counters.cbegin(); it != counters.cend(); ++it) {
        const QByteArray name = it.key().left(it.key().indexOf('{'));
        if (name != lastName)
            out += "# TYPE " + name + " counter\n";
        lastName = name;
        out += series(it.key()) + ' ' + QByteArray::number(it.value(), 'g', 15) + '\n';
    }
    const auto &gauges = m_gauges;
    lastName.clear();
    for (auto it = gauges.cbegin(); it != gauges.cend(); ++it) {
        const QByteArray name = it.key().left(it.key().indexOf('{'));
        if (name != lastName)
            out += "# TYPE " + name + " gauge\n";
        lastName = name;
        out += series(it.key()) + ' ' + QByteArray::number(it.value(), 'g', 15) + '\n';
    }
    const auto &histograms = m_histograms;
    lastName.clear();
    for (auto it = histograms.cbegin(); it != histograms.cend(); ++it) {
        const QByteArray name = it.key().left(it.key().indexOf('{'));
        const QByteArray &labels = it.value().first;
        const Histogram &h = it.value().second;
        const QByteArray sep = labels.isEmpty() ? QByteArray() : QByteArray(",");
        if (name != lastName)
            out += "# TYPE " + name + " histogram\n";
        lastName = name;
        for (size_t i = 0; i < Buckets.size(); ++i)
            out += name + "_bucket{" + labels + sep + "le=\"" + QByteArray::number(Buckets[i]) + "\"} " +
                   QByteArray::number(h.counts[i]) + '\n';
        out += name + "_bucket{" + labels + sep + "le=\"+Inf\"} " + QByteArray::number(h.count) + '\n';
        out += name + "_sum{" + labels + "} " + QByteArray::number(h.sum, 'g', 15) + '\n';
        out += name + "_count{" + labels + "} " + QByteArray::number(h.count) + '\n';
    }
    return out;
}

} // namespace mf::api
