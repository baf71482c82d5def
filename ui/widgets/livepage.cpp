#include "livepage.h"

#include "client/livestream.h"
#include "client/readerpoller.h"
#include "client/restclient.h"
#include "common.h"
#include "models/livemessagesmodel.h"
#include "models/session.h"

#include <QAction>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QFile>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QSplitter>
#include <QStyle>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>
#include <QValueAxis>

using namespace Qt::StringLiterals;

namespace mf::ui {

namespace {
constexpr int MaxPointsPerSeries = 2000;
constexpr int ChartWindowSeconds = 300;
} // namespace

LivePage::LivePage(Session *session, QWidget *parent)
    : DashboardPage(session, parent), m_model(new LiveMessagesModel(10000, this)),
      m_stream(new client::LiveStream(this)), m_channel(new QComboBox(this)), m_history(new QComboBox(this)),
      m_banner(new Banner(this)), m_source(new QLabel(this)), m_busy(new BusyIndicator(this)),
      m_splitter(new QSplitter(Qt::Vertical, this)), m_view(new QTableView(this)), m_chart(new QChart),
      m_chartView(new QChartView(m_chart, this)), m_timeAxis(new QDateTimeAxis(m_chart)),
      m_valueAxis(new QValueAxis(m_chart))
{
    setObjectName(u"livePage"_s);
    auto *toolbar = new QToolBar(this);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar->addWidget(new QLabel(tr("Channel: "), toolbar));
    m_channel->setMinimumWidth(200);
    m_channel->setPlaceholderText(tr("Choose a channel"));
    toolbar->addWidget(m_channel);
    m_pause = toolbar->addAction(style()->standardIcon(QStyle::SP_MediaPause), tr("Pause"));
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Stop updating the view; messages keep arriving and appear on resume"));
    connect(m_pause, &QAction::toggled, this, [this](bool paused) {
        m_model->setPaused(paused);
        m_pause->setText(paused ? tr("Resume") : tr("Pause"));
        m_pause->setIcon(style()->standardIcon(paused ? QStyle::SP_MediaPlay : QStyle::SP_MediaPause));
    });
    toolbar->addAction(tr("Clear"), this, [this] {
        m_model->clear();
        for (QLineSeries *series : std::as_const(m_series))
            series->clear();
        m_haveValues = false;
    });
    toolbar->addWidget(new QLabel(tr(" History: "), toolbar));
    m_history->addItem(tr("none"), 0);
    m_history->addItem(tr("last 15 min"), 15 * 60);
    m_history->addItem(tr("last 1 h"), 3600);
    m_history->addItem(tr("last 24 h"), 24 * 3600);
    m_history->setCurrentIndex(2);
    toolbar->addWidget(m_history);
    toolbar->addAction(tr("Export CSV…"), this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Export messages"), u"messages.csv"_s, tr("CSV files (*.csv)"));
        if (!path.isEmpty()) exportCsv(path);
    });
    auto *spacer = new QWidget(toolbar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    toolbar->addWidget(spacer);
    toolbar->addWidget(m_busy);

    m_view->setModel(m_model);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->resizeSection(LiveMessagesModel::TimeColumn, 110);
    m_view->horizontalHeader()->resizeSection(LiveMessagesModel::PublisherColumn, 200);
    m_view->horizontalHeader()->resizeSection(LiveMessagesModel::NameColumn, 180);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setWordWrap(false);

    m_timeAxis->setFormat(u"HH:mm:ss"_s);
    m_timeAxis->setTitleText(tr("Time"));
    m_chart->addAxis(m_timeAxis, Qt::AlignBottom);
    m_chart->addAxis(m_valueAxis, Qt::AlignLeft);
    m_chart->legend()->setAlignment(Qt::AlignRight);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(now - ChartWindowSeconds * 1000),
                         QDateTime::fromMSecsSinceEpoch(now));
    m_chartView->setRenderHint(QPainter::Antialiasing);
    m_chartView->setMinimumHeight(160);

    m_splitter->setObjectName(u"liveSplitter"_s);
    m_splitter->addWidget(m_view);
    m_splitter->addWidget(m_chartView);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 1);

    m_source->setContentsMargins(6, 2, 6, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(toolbar);
    layout->addWidget(m_banner);
    layout->addWidget(m_source);
    layout->addWidget(m_splitter, 1);

    connect(m_model, &LiveMessagesModel::batchApplied, this, &LivePage::addToChart);
    connect(m_stream, &client::LiveStream::recordsReceived, m_model, &LiveMessagesModel::append);
    connect(m_stream, &client::LiveStream::stateChanged, this, [this](client::LiveStream::State state) {
        if (state == client::LiveStream::State::Open) {
            if (m_poller) m_poller->stop();
            setSource(tr("Live stream connected."), false);
        }
    });
    connect(m_stream, &client::LiveStream::connectionFailed, this, [this](const QString &why) {
        // No adapter (or it went away): keep retrying the stream, poll the reader meanwhile.
        if (m_poller && !m_poller->isActive() && !m_channelId.isEmpty()) m_poller->start(m_channelId);
        setSource(tr("Live stream unavailable (%1); polling stored messages every second, retrying the stream.")
                      .arg(why.isEmpty() ? tr("no answer") : why),
                  true);
    });
    connect(m_channel, &QComboBox::activated, this, [this] { watch(m_channel->currentData().toString()); });
    connect(m_history, &QComboBox::activated, this, &LivePage::loadHistory);
    setSource(tr("Choose a channel to watch its messages, or press Ctrl+L on the Channels page."), false);
}

LivePage::~LivePage() = default;

QString LivePage::sourceText() const
{
    return m_source->text();
}

void LivePage::setSource(const QString &text, bool warning)
{
    m_source->setText(text);
    QPalette p = m_source->palette();
    p.setColor(QPalette::WindowText, warning ? QColor(0x8a, 0x5a, 0x00) : palette().color(QPalette::WindowText));
    m_source->setPalette(p);
}

void LivePage::sessionReady()
{
    delete m_poller;
    m_poller = new client::ReaderPoller(session()->client(), this);
    connect(m_poller, &client::ReaderPoller::recordsReceived, m_model, &LiveMessagesModel::append);
    connect(m_poller, &client::ReaderPoller::pollFailed, this,
            [this](const QString &message) { m_banner->showError(tr("Reading messages failed: %1").arg(message)); });
    loadChannels();
    if (!m_channelId.isEmpty()) start();
}

void LivePage::refresh()
{
    loadChannels();
    if (!m_channelId.isEmpty()) start();
}

void LivePage::loadChannels()
{
    if (!session()->client()) return;
    PageQuery query;
    query.limit = MaxPageLimit;
    query.order = u"name"_s;
    session()->client()->channels(query).then(this, [this](const Result<Page<Channel>> &page) {
        if (!page) {
            m_banner->showError(tr("Could not load channels: %1").arg(page.error().message));
            return;
        }
        m_channel->clear();
        for (const Channel &channel : page->items)
            m_channel->addItem(channel.name.isEmpty() ? channel.id : channel.name, channel.id);
        const int at = m_channel->findData(m_channelId);
        m_channel->setCurrentIndex(at);
        if (page->items.isEmpty())
            setSource(tr("No channels yet: create one on the Channels page and connect a thing to it."), false);
    });
}

void LivePage::watch(const QString &channelId)
{
    if (channelId.isEmpty()) return;
    m_channelId = channelId;
    const int at = m_channel->findData(channelId);
    if (at >= 0)
        m_channel->setCurrentIndex(at);
    else
        loadChannels(); // created since the list was loaded
    m_model->clear();
    for (QLineSeries *series : std::as_const(m_series)) {
        m_chart->removeSeries(series);
        delete series;
    }
    m_series.clear();
    m_haveValues = false;
    start();
}

void LivePage::stop()
{
    m_stream->close();
    if (m_poller) m_poller->stop();
}

void LivePage::start()
{
    stop();
    m_banner->hide();
    if (!session()->client() || m_channelId.isEmpty()) return;
    loadHistory();
    const QUrl live = session()->liveUrl();
    if (live.isValid() && !live.isEmpty()) {
        setSource(tr("Connecting to the live stream…"), false);
        m_stream->open(live, m_channelId, session()->client()->token());
    } else {
        if (m_poller) m_poller->start(m_channelId);
        setSource(tr("This backend offers no live stream yet: polling stored messages every second."), true);
    }
}

void LivePage::loadHistory()
{
    const int seconds = m_history->currentData().toInt();
    if (seconds <= 0 || m_channelId.isEmpty() || !session()->client()) return;
    client::MessageQuery query;
    query.limit = 1000;
    const double now = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
    query.from = now - seconds;
    query.to = now;
    m_busy->setBusy(true);
    const QString channel = m_channelId;
    session()
        ->client()
        ->readMessages(channel, query,
                       client::Credential{client::Credential::Kind::UserToken, session()->client()->token()})
        .then(this, [this, channel](const Result<QJsonObject> &page) {
            m_busy->setBusy(false);
            if (channel != m_channelId) return;
            if (!page) {
                m_banner->showError(tr("Could not load history: %1").arg(page.error().message));
                return;
            }
            QList<client::LiveRecord> records = client::recordsFromReaderPage(*page);
            std::reverse(records.begin(), records.end()); // the reader answers newest first
            m_model->append(records);
            m_model->flush();
        });
}

void LivePage::addToChart(const QList<client::LiveRecord> &records)
{
    double newest = 0;
    for (const client::LiveRecord &r : records) {
        if (!r.isNumeric()) continue;
        const QString name = r.name.isEmpty() ? tr("(value)") : r.name;
        QLineSeries *series = m_series.value(name);
        if (!series) {
            series = new QLineSeries(m_chart);
            series->setName(r.unit.isEmpty() ? name : u"%1 (%2)"_s.arg(name, r.unit));
            m_chart->addSeries(series);
            series->attachAxis(m_timeAxis);
            series->attachAxis(m_valueAxis);
            m_series.insert(name, series);
            // The legend toggles a series.
            for (QLegendMarker *marker : m_chart->legend()->markers(series))
                connect(marker, &QLegendMarker::clicked, this, [series, marker] {
                    series->setVisible(!series->isVisible());
                    marker->setVisible(true);
                    marker->setLabelBrush(series->isVisible() ? QBrush(Qt::black) : QBrush(Qt::gray));
                });
        }
        const double value = r.value.toDouble();
        series->append(r.time * 1000.0, value);
        if (series->count() > MaxPointsPerSeries) series->removePoints(0, series->count() - MaxPointsPerSeries);
        m_minValue = m_haveValues ? std::min(m_minValue, value) : value;
        m_maxValue = m_haveValues ? std::max(m_maxValue, value) : value;
        m_haveValues = true;
        newest = std::max(newest, r.time);
    }
    if (newest > 0) {
        const qint64 end = qint64(newest * 1000) + 5000;
        m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(end - ChartWindowSeconds * 1000),
                             QDateTime::fromMSecsSinceEpoch(end));
        const double pad = std::max(1.0, (m_maxValue - m_minValue) * 0.1);
        m_valueAxis->setRange(m_minValue - pad, m_maxValue + pad);
    }
}

void LivePage::exportCsv(const QString &path)
{
    QList<client::LiveRecord> records = m_model->records();
    std::reverse(records.begin(), records.end());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        m_banner->showError(tr("Cannot write %1: %2").arg(path, file.errorString()));
        return;
    }
    file.write(recordsToCsv(records));
    Q_EMIT statusMessage(tr("%n message(s) exported to %1", nullptr, int(records.size())).arg(path));
}

} // namespace mf::ui
