#pragma once

#include <QJsonArray>
#include <QWidget>

class QComboBox;
class QLabel;
class QVBoxLayout;

namespace mf::ui {

class LiveChart;
class Session;
class StatusStrip;

// The Things page's history of the selected thing: its online/offline strip over the last 24 hours (GET
// /things/{id}/status, the reason of each change on hover) and a chart of one of its values over its recent messages
// (GET /channels/{id}/messages?publisher=<thing>&name=<name>, the newest 1,000 of the last 24 hours). The value
// chosen stays chosen from one thing to the next when the next has it too.
class ThingHistory final : public QWidget
{
    Q_OBJECT

public:
    static constexpr int MaxPoints = 1000;

    explicit ThingHistory(Session *session, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ThingHistory)

    // Loads the status history of this thing (empty: shows nothing).
    void setThing(const QString &thingId);
    // The thing's last values (GET /things/{id}/latest "values"): what the chart can show.
    void setValues(const QJsonArray &values);
    void clear();

    StatusStrip *strip() const { return m_strip; }
    QComboBox *valueBox() const { return m_values; }
    LiveChart *chart() const { return m_chart; }
    QLabel *chartNote() const { return m_note; }

private:
    void loadChart();
    void resetChart();

    Session *m_session;
    QString m_thing;
    QString m_chosen; // the value name the user picked last
    StatusStrip *m_strip;
    QLabel *m_stripNote;
    QComboBox *m_values;
    QLabel *m_note;
    LiveChart *m_chart;
    QVBoxLayout *m_chartLayout;
    quint64 m_generation = 0;      // of the thing shown: drops the status of the one before
    quint64 m_chartGeneration = 0; // of the value charted: drops the messages of the one before
};

} // namespace mf::ui
