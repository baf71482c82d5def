#pragma once

#include "client/liverecord.h"

#include <QChartView>
#include <QElapsedTimer>
#include <QHash>
#include <QTimer>

#include <functional>

QT_BEGIN_NAMESPACE
class QCategoryAxis;
class QDateTimeAxis;
class QLineSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace mf::ui {

// The live view's chart, read like an instrument panel (UI.md): one line per SenML name, one value axis per unit
// (left, right, left …) with round tick values, a gap where a line had no data for much longer than it usually
// has, and a time axis that runs to *now* while following, so a device that went silent shows as silence. Scrolling
// the wheel moves back in time, dragging zooms, both stop following; hovering a line shows the value; clicking a
// legend entry hides or shows its line.
//
// The time axis labels round times (every 10 s, 1 min, 5 min, 1 h … whichever gives a handful of ticks, aligned to the
// local clock) wherever its ends are: QDateTimeAxis can only divide its range evenly, so it carries the range and the
// lines, and a QCategoryAxis on the same lines draws the labels and grid at the round times.
//
// A line with gaps is drawn as several QLineSeries (segments) of one colour; only the first has a legend entry.
class LiveChart final : public QChartView
{
    Q_OBJECT

public:
    explicit LiveChart(QWidget *parent = nullptr);
    ~LiveChart() override;
    Q_DISABLE_COPY_MOVE(LiveChart)

    static constexpr int WindowSeconds = 300;
    static constexpr int MaxPointsPerLine = 2000;

    // Numeric records only; others are skipped. Any order (history is merged in time order).
    void append(const QList<client::LiveRecord> &records);
    void clear();
    // Lines whose name the predicate rejects are hidden (the name filter of the table).
    void setNameFilter(const std::function<bool(const QString &)> &accepts);

    bool isFollowing() const { return m_following; }
    void setFollowing(bool follow);
    void scrollBack(double seconds);
    // Shows [fromMs, toMs] (a history range); stops following.
    void showTimeRange(qint64 fromMs, qint64 toMs);

    // For tests and the status line: the points of a line (all segments, oldest first), its value axis, the number
    // of drawn segments, the time axis.
    QList<QPointF> points(const QString &name) const;
    QValueAxis *valueAxis(const QString &name) const;
    int segmentCount(const QString &name) const;
    QList<QValueAxis *> valueAxes() const;
    QDateTimeAxis *timeAxis() const { return m_timeAxis; }
    // The labels and grid of the time axis: one category per round time, its end value in ms since the epoch.
    QCategoryAxis *timeTicks() const { return m_timeTicks; }
    // The spacing of those round times in ms (for tests).
    qint64 timeTickStep() const { return m_tickStep; }
    bool isLineVisible(const QString &name) const;

Q_SIGNALS:
    void followingChanged(bool following);

protected:
    void wheelEvent(QWheelEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    struct Line
    {
        QString unit;
        QList<QPointF> points; // x: ms since the epoch, sorted
        QList<QLineSeries *> segments;
        bool hiddenByLegend = false;
    };

    Line &lineFor(const QString &name, const QString &unit);
    QValueAxis *axisFor(const QString &unit);
    QLineSeries *newSegment(const QString &name, Line &line);
    void layoutLine(const QString &name, Line &line);
    void applyVisibility(const QString &name, Line &line);
    void updateValueAxes();
    void followNow();
    void setTimeRange(qint64 fromMs, qint64 toMs);
    void updateTimeTicks();

    QChart *m_chart;
    QDateTimeAxis *m_timeAxis;
    QCategoryAxis *m_timeTicks;
    qint64 m_tickStep = 0;
    qint64 m_firstTick = 0;
    qint64 m_lastTick = 0;
    QHash<QString, QValueAxis *> m_axes; // by unit
    QHash<QString, Line> m_lines;        // by name
    std::function<bool(const QString &)> m_accepts;
    QTimer m_clock; // moves the time axis to now while following
    QElapsedTimer m_lastFollow;
    double m_newest = 0;
    bool m_following = true;
    bool m_settingRange = false;
};

} // namespace mf::ui
