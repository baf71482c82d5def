#include "statusstrip.h"

#include "models/thingsmodel.h"

#include <QDateTime>
#include <QHelpEvent>
#include <QJsonObject>
#include <QLocale>
#include <QPainter>
#include <QToolTip>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace mf::ui {

namespace {
constexpr int StripHeight = 16;
}

StatusStrip::StatusStrip(QWidget *parent) : QWidget(parent)
{
    setObjectName(u"statusStrip"_s);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setMouseTracking(true);
}

QSize StatusStrip::sizeHint() const
{
    return {400, StripHeight + fontMetrics().height() + 6};
}

QSize StatusStrip::minimumSizeHint() const
{
    return {160, sizeHint().height()};
}

QColor StatusStrip::colorOf(Stretch::State state)
{
    switch (state) {
    case Stretch::State::Online:
        return QColor(0x2e, 0x9d, 0x44); // as the status dot
    case Stretch::State::Offline:
        return QColor(0x9e, 0x9e, 0x9e);
    case Stretch::State::Unknown:
        break;
    }
    return QColor(0xec, 0xec, 0xec);
}

void StatusStrip::clear()
{
    m_stretches.clear();
    m_now = 0;
    update();
}

void StatusStrip::setHistory(const QJsonArray &history, bool onlineNow, qint64 nowMs)
{
    struct Change
    {
        qint64 at;
        bool online;
        QString reason, protocol;
    };
    QList<Change> changes;
    for (const QJsonValue &value : history) {
        const QJsonObject o = value.toObject();
        changes.append({o.value("at"_L1).toInteger(), o.value("online"_L1).toBool(), o.value("reason"_L1).toString(),
                        o.value("protocol"_L1).toString()});
    }
    std::sort(changes.begin(), changes.end(), [](const Change &a, const Change &b) { return a.at < b.at; });
    m_now = nowMs;
    m_stretches.clear();
    const qint64 start = nowMs - WindowMs;
    // Before the oldest kept change nothing is known, unless that change lies before the window.
    Stretch current{start, start, Stretch::State::Unknown, {}, {}};
    if (changes.isEmpty()) {
        // No change ever recorded: a thing never heard from has been offline all along.
        current.state = onlineNow ? Stretch::State::Unknown : Stretch::State::Offline;
        current.reason = onlineNow ? QString() : tr("never heard from");
    }
    for (const Change &change : changes) {
        const Stretch::State state = change.online ? Stretch::State::Online : Stretch::State::Offline;
        if (change.at <= start) {
            current = {start, start, state, change.reason, change.protocol};
            continue;
        }
        if (change.at > nowMs) break;
        current.to = change.at;
        if (current.to > current.from) m_stretches.append(current);
        current = {change.at, change.at, state, change.reason, change.protocol};
    }
    current.to = nowMs;
    m_stretches.append(current);
    update();
}

QRect StatusStrip::stripRect() const
{
    return {0, 2, width(), StripHeight};
}

int StatusStrip::xOf(qint64 ms) const
{
    const QRect r = stripRect();
    return r.left() + int(double(ms - (m_now - WindowMs)) * r.width() / double(WindowMs));
}

QList<std::pair<int, int>> StatusStrip::spans() const
{
    // A minute is a fraction of a pixel here: every stretch gets a few pixels so that it shows (and can be hovered),
    // the current one reaching to the right end; later ones are drawn over earlier ones.
    constexpr int MinWidth = 4;
    const QRect strip = stripRect().adjusted(1, 1, -1, -1); // inside the frame
    QList<std::pair<int, int>> out;
    for (qsizetype i = 0; i < m_stretches.size(); ++i) {
        int left = std::clamp(xOf(m_stretches.at(i).from), strip.left(), strip.right());
        int right = std::clamp(xOf(m_stretches.at(i).to), strip.left(), strip.right());
        if (right - left + 1 < MinWidth) {
            if (i == m_stretches.size() - 1)
                left = std::max(strip.left(), right - MinWidth + 1);
            else
                right = std::min(strip.right(), left + MinWidth - 1);
        }
        out.append({left, right});
    }
    return out;
}

void StatusStrip::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const QRect strip = stripRect();
    painter.fillRect(strip, colorOf(Stretch::State::Unknown));
    const QList<std::pair<int, int>> painted = spans();
    for (qsizetype i = 0; i < m_stretches.size(); ++i)
        painter.fillRect(QRect(QPoint(painted.at(i).first, strip.top()), QPoint(painted.at(i).second, strip.bottom())),
                         colorOf(m_stretches.at(i).state));
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawRect(strip.adjusted(0, 0, -1, -1));
    // Hours below: 24 h ago at the left, now at the right.
    painter.setPen(palette().color(QPalette::WindowText));
    const QRect labels(0, strip.bottom() + 2, width(), fontMetrics().height() + 2);
    painter.drawText(labels, Qt::AlignLeft | Qt::AlignVCenter, tr("24 h ago"));
    painter.drawText(labels, Qt::AlignHCenter | Qt::AlignVCenter, tr("12 h ago"));
    painter.drawText(labels, Qt::AlignRight | Qt::AlignVCenter, tr("now"));
}

QString StatusStrip::describe(const Stretch &s) const
{
    const QLocale locale;
    const auto time = [&locale](qint64 ms) {
        return locale.toString(QDateTime::fromMSecsSinceEpoch(ms), QLocale::ShortFormat);
    };
    const QString span = s.to >= m_now ? tr("since %1").arg(time(s.from)) : tr("%1 – %2").arg(time(s.from), time(s.to));
    switch (s.state) {
    case Stretch::State::Online:
        return tr("Online %1 (%2 over %3)").arg(span, s.reason, s.protocol);
    case Stretch::State::Offline:
        return s.protocol.isEmpty() ? tr("Offline %1 (%2)").arg(span, s.reason)
                                    : tr("Offline %1 (%2, last over %3)").arg(span, s.reason, s.protocol);
    case Stretch::State::Unknown:
        break;
    }
    return tr("No record %1 (before the oldest kept change)").arg(span);
}

QString StatusStrip::toolTipAt(int x) const
{
    if (m_now == 0 || !stripRect().contains(x, stripRect().center().y())) return {};
    // What is drawn at x: the last stretch painted there.
    const QList<std::pair<int, int>> painted = spans();
    for (qsizetype i = painted.size() - 1; i >= 0; --i)
        if (x >= painted.at(i).first && x <= painted.at(i).second) return describe(m_stretches.at(i));
    return {};
}

bool StatusStrip::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const QString text = toolTipAt(help->pos().x());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(event);
}

} // namespace mf::ui
