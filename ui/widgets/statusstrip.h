#pragma once

#include <QJsonArray>
#include <QWidget>

namespace mf::ui {

// A thing's online/offline history as a strip over the last 24 hours (GET /things/{id}/status): green while online,
// grey while offline, pale where nothing is recorded (before its oldest kept change). Hovering a stretch says when it
// began and ended and why (the reason of the change that began it: message, connected, disconnected, silent).
// Times below the strip: 24 h ago, 12 h ago, now.
class StatusStrip final : public QWidget
{
    Q_OBJECT

public:
    static constexpr qint64 WindowMs = 24 * 3600 * 1000;

    struct Stretch
    {
        qint64 from = 0; // ms since the epoch
        qint64 to = 0;
        enum class State { Online, Offline, Unknown } state = State::Unknown;
        QString reason; // of the change that began it; empty for Unknown
        QString protocol;
    };

    explicit StatusStrip(QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(StatusStrip)

    // `history` as the server sends it (newest first: {"at","online","protocol","reason"}); `onlineNow` its state now.
    void setHistory(const QJsonArray &history, bool onlineNow, qint64 nowMs);
    void clear();
    QList<Stretch> stretches() const { return m_stretches; }
    // What hovering at x (widget coordinates) shows; empty outside the strip.
    QString toolTipAt(int x) const;
    // The strip's rectangle inside the widget (tests read its colours from grab()).
    QRect stripRect() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    static QColor colorOf(Stretch::State state);

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;

private:
    QString describe(const Stretch &stretch) const;
    int xOf(qint64 ms) const;
    // The pixels [left, right] each stretch is drawn on.
    QList<std::pair<int, int>> spans() const;

    QList<Stretch> m_stretches; // oldest first, covering [m_now - WindowMs, m_now]
    qint64 m_now = 0;
};

} // namespace mf::ui
