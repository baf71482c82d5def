#pragma once

#include "client/liverecord.h"
#include "dashboardpage.h"

#include <QHash>

class QAction;
class QComboBox;
class QLabel;
class QSplitter;
class QTableView;

QT_BEGIN_NAMESPACE
class QChart;
class QChartView;
class QDateTimeAxis;
class QLineSeries;
class QValueAxis;
QT_END_NAMESPACE

namespace mf::client {
class LiveStream;
class ReaderPoller;
} // namespace mf::client

namespace mf::ui {

class Banner;
class BusyIndicator;
class LiveMessagesModel;

// Live messages of one channel: the WebSocket stream when the backend offers one (falling back to polling the
// reader every second, and saying so), history from the reader for a chosen time range, a bounded batched table
// (LiveMessagesModel), a chart with one series per SenML name, pause, clear and CSV export.
class LivePage final : public DashboardPage
{
    Q_OBJECT

public:
    explicit LivePage(Session *session, QWidget *parent = nullptr);
    ~LivePage() override;
    Q_DISABLE_COPY_MOVE(LivePage)

    QString title() const override { return tr("Live"); }
    void refresh() override;
    void sessionReady() override;
    void watch(const QString &channelId);
    QString channelId() const { return m_channelId; }
    LiveMessagesModel *model() const { return m_model; }
    QString sourceText() const;
    QSplitter *splitter() const { return m_splitter; }
    void exportCsv(const QString &path);

private:
    void loadChannels();
    void start();
    void stop();
    void loadHistory();
    void addToChart(const QList<client::LiveRecord> &records);
    void setSource(const QString &text, bool warning);

    LiveMessagesModel *m_model;
    client::LiveStream *m_stream;
    client::ReaderPoller *m_poller = nullptr;
    QComboBox *m_channel;
    QComboBox *m_history;
    QAction *m_pause;
    Banner *m_banner;
    QLabel *m_source;
    BusyIndicator *m_busy;
    QSplitter *m_splitter;
    QTableView *m_view;
    QChart *m_chart;
    QChartView *m_chartView;
    QDateTimeAxis *m_timeAxis;
    QValueAxis *m_valueAxis;
    QHash<QString, QLineSeries *> m_series;
    QString m_channelId;
    double m_minValue = 0;
    double m_maxValue = 0;
    bool m_haveValues = false;
};

} // namespace mf::ui
