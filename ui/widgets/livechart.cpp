#include "livechart.h"

#include <QCategoryAxis>
#include <QCursor>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QToolTip>
#include <QValueAxis>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace mf::ui {

namespace {
struct NiceScale
{
    double min;
    double max;
    int ticks;
};

constexpr double MinGapMs = 10'000; // silence shorter than this is never a gap
constexpr double GapFactor = 3;     // … nor shorter than three of the line's usual intervals
constexpr qsizetype MarkedPointsMax = 30; // a line with at most this many points shows each point as a dot

// Round tick values for [lo, hi]: a step of 1, 2, 2.5 or 5 × 10^k giving about five intervals, bounds on steps.
NiceScale niceScale(double lo, double hi)
{
    if (hi - lo < 1e-9) {
        const double pad = std::max(1.0, std::abs(lo) * 0.05);
        lo -= pad;
        hi += pad;
    }
    const double raw = (hi - lo) / 5;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = 10 * magnitude;
    for (const double m : {1.0, 2.0, 2.5, 5.0})
        if (raw <= m * magnitude) {
            step = m * magnitude;
            break;
        }
    const double min = std::floor(lo / step) * step;
    const double max = std::ceil(hi / step) * step;
    return {min, max, int(std::lround((max - min) / step)) + 1};
}

// Round spacings of time ticks, in seconds: the first one giving at most MaxTimeTicks intervals over the range is used.
constexpr qint64 TimeSteps[] = {1,   2,    5,    10,   15,    30,    60,    120,   300,    600,
                                900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800};
constexpr qint64 MaxTimeTicks = 7;

bool byTime(const QPointF &a, const QPointF &b)
{
    return a.x() < b.x();
}

// Where a line breaks: after index i when points[i + 1] comes much later than the line's usual (median) interval.
QList<qsizetype> gapsOf(const QList<QPointF> &points)
{
    QList<qsizetype> gaps;
    if (points.size() < 3) return gaps;
    QList<double> steps;
    steps.reserve(points.size() - 1);
    for (qsizetype i = 1; i < points.size(); ++i)
        steps.append(points[i].x() - points[i - 1].x());
    QList<double> sorted = steps;
    std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
    const double threshold = std::max(MinGapMs, GapFactor * sorted[sorted.size() / 2]);
    for (qsizetype i = 0; i < steps.size(); ++i)
        if (steps[i] > threshold) gaps.append(i);
    return gaps;
}
} // namespace

LiveChart::LiveChart(QWidget *parent)
    : QChartView(new QChart, parent), m_chart(chart()), m_timeAxis(new QDateTimeAxis(m_chart)),
      m_timeTicks(new QCategoryAxis(m_chart))
{
    setObjectName(u"liveChart"_s);
    // The date-time axis keeps the range (zoom, scroll, following) but shows nothing: the category axis beside it
    // labels round times.
    m_timeAxis->setFormat(u"HH:mm:ss"_s);
    m_timeAxis->setLabelsVisible(false);
    m_timeAxis->setGridLineVisible(false);
    m_timeAxis->setLineVisible(false);
    m_timeAxis->setTitleVisible(false);
    m_chart->addAxis(m_timeAxis, Qt::AlignBottom);
    m_timeTicks->setObjectName(u"timeTicks"_s);
    m_timeTicks->setTitleText(tr("Time"));
    m_timeTicks->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    m_chart->addAxis(m_timeTicks, Qt::AlignBottom);
    connect(m_timeAxis, &QDateTimeAxis::rangeChanged, this, &LiveChart::updateTimeTicks);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    // Value labels in the user's language ("21,5" in German). Qt 6.4 localizes only a label format with an explicit
    // precision (its pattern is %.<digits><letter>): a plain %g is drawn blank then.
    m_chart->setLocalizeNumbers(true);
    m_chart->setLocale(QLocale());
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(160);
    setRubberBand(QChartView::HorizontalRubberBand);
    setToolTip(tr("Drag to zoom into a time range, scroll to move back in time, right-click to zoom out; hover a "
                  "line to read it"));
    // Any range change not made by following is the user's (rubber-band zoom, right-click): stop following.
    connect(m_timeAxis, &QDateTimeAxis::rangeChanged, this, [this] {
        if (!m_settingRange && m_following) {
            m_following = false;
            Q_EMIT followingChanged(false);
        }
    });
    m_clock.setInterval(1000);
    connect(&m_clock, &QTimer::timeout, this, [this] {
        // Batches move the axis while data flows; this keeps it moving through silence.
        if (m_following && m_lastFollow.elapsed() > 900) followNow();
    });
    m_clock.start();
    followNow();
}

LiveChart::~LiveChart() = default;

void LiveChart::setTimeRange(qint64 fromMs, qint64 toMs)
{
    m_settingRange = true;
    m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(fromMs), QDateTime::fromMSecsSinceEpoch(toMs));
    m_settingRange = false;
}

void LiveChart::updateTimeTicks()
{
    const qint64 from = m_timeAxis->min().toMSecsSinceEpoch(), to = m_timeAxis->max().toMSecsSinceEpoch();
    // Round in local time (ticks at 10:00 where the clock says 10:00, also for zones off the hour).
    const qint64 offset = qint64(m_timeAxis->min().offsetFromUtc()) * 1000;
    qint64 step = TimeSteps[std::size(TimeSteps) - 1] * 1000;
    // As many as fit with their labels (a narrow chart, e.g. in the Things page's details pane, elides them to "…"
    // otherwise): the plot is the view less the value axis and margins.
    const int labelWidth = fontMetrics().horizontalAdvance(u"00:00:00"_s) + 20;
    const qint64 maxTicks = width() > 0 ? std::clamp<qint64>((width() - 110) / labelWidth, 2, MaxTimeTicks) : MaxTimeTicks;
    for (const qint64 seconds : TimeSteps)
        if ((to - from) / (seconds * 1000) <= maxTicks) {
            step = seconds * 1000;
            break;
        }
    const qint64 first = (from + offset + step - 1) / step * step - offset; // the first round time in the range
    const qint64 last = (to + offset) / step * step - offset;
    const bool wasSetting = std::exchange(m_settingRange, true); // not the user's change
    m_timeTicks->setRange(double(from), double(to));
    m_settingRange = wasSetting;
    if (step == m_tickStep && first == m_firstTick && last == m_lastTick) return; // the same ticks
    m_tickStep = step;
    m_firstTick = first;
    m_lastTick = last;
    QString format = step < 60'000 ? u"HH:mm:ss"_s : u"HH:mm"_s;
    if (to - from > 86'400'000) format = step < 86'400'000 ? u"d MMM HH:mm"_s : u"d MMM"_s;
    for (const QString &label : m_timeTicks->categoriesLabels())
        m_timeTicks->remove(label);
    m_timeTicks->setStartValue(double(from));
    const QLocale locale;
    for (qint64 t = first; t <= last; t += step)
        m_timeTicks->append(locale.toString(QDateTime::fromMSecsSinceEpoch(t), format), double(t));
}

void LiveChart::followNow()
{
    // To now, not to the last point: a silent device shows as an empty stretch up to the right edge.
    const qint64 end = std::max(QDateTime::currentMSecsSinceEpoch(), qint64(m_newest * 1000)) + 2000;
    setTimeRange(end - WindowSeconds * 1000, end);
    m_lastFollow.start();
}

void LiveChart::setFollowing(bool follow)
{
    if (follow == m_following) return;
    m_following = follow;
    if (follow) followNow();
    Q_EMIT followingChanged(follow);
}

void LiveChart::scrollBack(double seconds)
{
    const qint64 delta = qint64(seconds * 1000);
    setFollowing(false);
    m_timeAxis->setRange(m_timeAxis->min().addMSecs(-delta), m_timeAxis->max().addMSecs(-delta));
}

void LiveChart::showTimeRange(qint64 fromMs, qint64 toMs)
{
    setFollowing(false);
    setTimeRange(fromMs, std::max(toMs, fromMs + 1000));
}

void LiveChart::resizeEvent(QResizeEvent *event)
{
    QChartView::resizeEvent(event);
    updateTimeTicks(); // how many labels fit changed
}

void LiveChart::wheelEvent(QWheelEvent *event)
{
    const int steps = (event->angleDelta().y() + event->angleDelta().x()) / 120;
    const double span = double(m_timeAxis->min().msecsTo(m_timeAxis->max())) / 1000.0;
    if (steps != 0) scrollBack(steps * span / 10.0);
    event->accept();
}

QValueAxis *LiveChart::axisFor(const QString &unit)
{
    if (QValueAxis *axis = m_axes.value(unit)) return axis;
    auto *axis = new QValueAxis(m_chart);
    axis->setObjectName(unit);
    axis->setTitleText(unit.isEmpty() ? tr("(no unit)") : unit);
    axis->setLabelFormat(u"%.6g"_s); // localized (see the constructor)
    m_chart->addAxis(axis, m_axes.size() % 2 == 0 ? Qt::AlignLeft : Qt::AlignRight);
    m_axes.insert(unit, axis);
    return axis;
}

QLineSeries *LiveChart::newSegment(const QString &name, Line &line)
{
    auto *series = new QLineSeries(m_chart);
    series->setObjectName(name);
    series->setName(line.unit.isEmpty() ? name : u"%1 (%2)"_s.arg(name, line.unit));
    m_chart->addSeries(series);
    series->attachAxis(m_timeAxis);
    series->attachAxis(m_timeTicks);
    series->attachAxis(axisFor(line.unit));
    connect(series, &QLineSeries::hovered, this, [this, series](const QPointF &point, bool state) {
        if (!state) return QToolTip::hideText();
        const QString time =
            QLocale().toString(QDateTime::fromMSecsSinceEpoch(qint64(point.x())), QLocale::ShortFormat);
        QToolTip::showText(QCursor::pos(), u"%1\n%2 · %3"_s.arg(series->name(), QLocale().toString(point.y(), 'g', QLocale::FloatingPointShortest), time), this);
    });
    if (line.segments.isEmpty()) {
        // The legend entry of the line toggles all its segments.
        for (QLegendMarker *marker : m_chart->legend()->markers(series))
            connect(marker, &QLegendMarker::clicked, this, [this, name, marker] {
                Line &l = m_lines[name];
                l.hiddenByLegend = !l.hiddenByLegend;
                applyVisibility(name, l);
                updateValueAxes();
                marker->setLabelBrush(l.hiddenByLegend ? QBrush(Qt::gray) : m_chart->legend()->labelBrush());
            });
    } else {
        series->setColor(line.segments.first()->color());
        for (QLegendMarker *marker : m_chart->legend()->markers(series))
            marker->setVisible(false);
    }
    line.segments.append(series);
    return series;
}

LiveChart::Line &LiveChart::lineFor(const QString &name, const QString &unit)
{
    auto it = m_lines.find(name);
    if (it == m_lines.end()) {
        it = m_lines.insert(name, Line{});
        it->unit = unit;
        newSegment(name, *it);
    }
    return *it;
}

void LiveChart::applyVisibility(const QString &name, Line &line)
{
    const bool visible = !line.hiddenByLegend && (!m_accepts || m_accepts(name));
    for (qsizetype i = 0; i < line.segments.size(); ++i) {
        QLineSeries *segment = line.segments[i];
        // The first segment keeps its legend entry even when empty or hidden, so the line can be shown again.
        segment->setVisible(visible && (i == 0 || segment->count() > 0));
        // A series' legend entry follows its visibility: keep the line's one entry, hide the others'.
        for (QLegendMarker *marker : m_chart->legend()->markers(segment))
            marker->setVisible(i == 0);
    }
}

void LiveChart::layoutLine(const QString &name, Line &line)
{
    const QList<qsizetype> gaps = gapsOf(line.points);
    qsizetype from = 0;
    for (qsizetype i = 0; i <= gaps.size(); ++i) {
        const qsizetype to = i < gaps.size() ? gaps[i] + 1 : line.points.size();
        if (i >= line.segments.size()) newSegment(name, line);
        QLineSeries *segment = line.segments[i];
        segment->replace(line.points.mid(from, to - from));
        // A lone reading (the first one, or the first after a gap) has no line to draw: without a dot it is invisible.
        segment->setPointsVisible(segment->count() == 1 || line.points.size() <= MarkedPointsMax);
        from = to;
    }
    for (qsizetype i = gaps.size() + 1; i < line.segments.size(); ++i)
        line.segments[i]->clear();
    applyVisibility(name, line);
}

void LiveChart::append(const QList<client::LiveRecord> &records)
{
    // One replace() per segment and batch: appending point by point makes the chart re-layout per point, which at
    // thousands of records per second stalls the event loop for hundreds of milliseconds.
    QHash<QString, QList<QPointF>> added;
    for (const client::LiveRecord &r : records) {
        if (!r.isNumeric()) continue;
        const QString name = r.name.isEmpty() ? tr("(value)") : r.name;
        lineFor(name, r.unit);
        added[name].append(QPointF(r.time * 1000.0, r.value.toDouble()));
        m_newest = std::max(m_newest, r.time);
    }
    qsizetype total = 0;
    for (auto it = added.begin(); it != added.end(); ++it) {
        Line &line = m_lines[it.key()];
        const bool inOrder = line.points.isEmpty() || it.value().constFirst().x() >= line.points.constLast().x();
        line.points += it.value();
        // History older than what is drawn: keep the line running forward in time.
        if (!inOrder || !std::is_sorted(line.points.cbegin(), line.points.cend(), byTime))
            std::stable_sort(line.points.begin(), line.points.end(), byTime);
        if (line.points.size() > MaxPointsPerLine) line.points.remove(0, line.points.size() - MaxPointsPerLine);
        // The segments' replace() shares this list's buffer, so the next append detaches it, and Qt 6.4's QList then
        // allocates the old capacity (freed front included) plus the new points: used as a queue beside a sharer it
        // grows to 262,143 points per line (heaptrack: 11.5 MB in 150 s at 2,000 records/s; BENCHMARKS.md
        // "Dashboard" 5. and 6.). Give the room back.
        if (line.points.capacity() > 2 * MaxPointsPerLine) line.points.squeeze();
        layoutLine(it.key(), line);
    }
    for (const Line &line : std::as_const(m_lines))
        total += line.points.size();
    // Antialiased lines through thousands of points cost more than they show.
    setRenderHint(QPainter::Antialiasing, total < 2000);
    if (!added.isEmpty()) updateValueAxes();
    if (m_following) followNow();
}

void LiveChart::clear()
{
    for (auto it = m_lines.begin(); it != m_lines.end(); ++it) {
        it->points.clear();
        for (QLineSeries *segment : std::as_const(it->segments))
            segment->clear();
    }
    m_newest = 0;
}

void LiveChart::setNameFilter(const std::function<bool(const QString &)> &accepts)
{
    m_accepts = accepts;
    for (auto it = m_lines.begin(); it != m_lines.end(); ++it)
        applyVisibility(it.key(), *it);
    updateValueAxes();
}

void LiveChart::updateValueAxes()
{
    // Each unit's axis spans its visible lines, rounded out to nice ticks (0, 20, 40 … rather than −6.1, 15.5 …).
    QHash<QString, std::pair<double, double>> spans;
    for (auto it = m_lines.cbegin(); it != m_lines.cend(); ++it) {
        if (it->points.isEmpty() || !it->segments.first()->isVisible()) continue;
        const auto [lo, hi] = std::minmax_element(it->points.cbegin(), it->points.cend(),
                                                  [](const QPointF &a, const QPointF &b) { return a.y() < b.y(); });
        auto span = spans.find(it->unit);
        if (span == spans.end())
            spans.insert(it->unit, {lo->y(), hi->y()});
        else
            *span = {std::min(span->first, lo->y()), std::max(span->second, hi->y())};
    }
    for (auto it = spans.cbegin(); it != spans.cend(); ++it) {
        QValueAxis *axis = m_axes.value(it.key());
        if (!axis) continue;
        const auto [lo, hi] = it.value();
        // Data still inside the axis and filling at least a third of it: leave the axis alone (every change
        // re-lays out all lines, and a steady scale is easier to read).
        if (lo >= axis->min() && hi <= axis->max() && (hi - lo) * 3 >= axis->max() - axis->min()) continue;
        const NiceScale scale = niceScale(lo, hi);
        axis->setRange(scale.min, scale.max);
        axis->setTickCount(scale.ticks);
    }
}

QList<QPointF> LiveChart::points(const QString &name) const
{
    return m_lines.value(name).points;
}

QValueAxis *LiveChart::valueAxis(const QString &name) const
{
    const auto it = m_lines.constFind(name);
    return it == m_lines.cend() ? nullptr : m_axes.value(it->unit);
}

int LiveChart::segmentCount(const QString &name) const
{
    int count = 0;
    for (const QLineSeries *segment : m_lines.value(name).segments)
        count += segment->count() > 0;
    return count;
}

QList<QValueAxis *> LiveChart::valueAxes() const
{
    return m_axes.values();
}

bool LiveChart::isLineVisible(const QString &name) const
{
    const auto it = m_lines.constFind(name);
    return it != m_lines.cend() && !it->segments.isEmpty() && it->segments.first()->isVisible();
}

} // namespace mf::ui
