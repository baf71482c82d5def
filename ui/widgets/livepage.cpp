#include "livepage.h"

#include "client/livestream.h"
#include "client/readerpoller.h"
#include "client/restclient.h"
#include "common.h"
#include "models/livefiltermodel.h"
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
#include <QTabWidget>
#include <QLineEdit>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>
#include <QValueAxis>
#include <QWheelEvent>

using namespace Qt::StringLiterals;

namespace mf::ui {

namespace {
constexpr int MaxPointsPerSeries = 2000;
constexpr int ChartWindowSeconds = 300;
constexpr int BufferSize = 10000;
} // namespace

// ---------------------------------------------------------------------------------------------------------------------
// LiveChannelView

LiveChannelView::LiveChannelView(Session *session, const QString &channelId, QWidget *parent)
    : QWidget(parent), m_session(session), m_channelId(channelId), m_model(new LiveMessagesModel(BufferSize, this)),
      m_filter(new LiveFilterModel(this)), m_nameFilter(new QLineEdit(this)), m_publisherFilter(new QLineEdit(this)),
      m_stream(new client::LiveStream(this)), m_history(new QComboBox(this)), m_banner(new Banner(this)),
      m_source(new QLabel(this)), m_busy(new BusyIndicator(this)), m_splitter(new QSplitter(Qt::Vertical, this)),
      m_view(new QTableView(this)), m_chart(new QChart), m_chartView(new QChartView(m_chart, this)),
      m_timeAxis(new QDateTimeAxis(m_chart)), m_valueAxis(new QValueAxis(m_chart))
{
    setObjectName(u"liveChannelView"_s);
    auto *toolbar = new QToolBar(this);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
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
    toolbar->addAction(tr("Export…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export messages"), u"messages.csv"_s,
                                                          tr("CSV files (*.csv);;JSON files (*.json)"));
        if (!path.isEmpty()) exportMessages(path);
    })->setToolTip(tr("Save the messages the table shows (after its filters) as CSV or JSON"));
    m_follow = toolbar->addAction(style()->standardIcon(QStyle::SP_MediaSeekForward), tr("Follow"));
    m_follow->setCheckable(true);
    m_follow->setChecked(true);
    m_follow->setToolTip(tr("Keep the chart's time axis on the newest data; scrolling or zooming the chart stops "
                            "following"));
    connect(m_follow, &QAction::toggled, this, [this](bool follow) {
        if (follow && m_newest > 0) addToChart({});
    });
    auto *spacer = new QWidget(toolbar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    toolbar->addWidget(spacer);
    // Filters of the table (UI.md): substrings of the record name and the publisher; the chart shows only the
    // series whose name passes.
    toolbar->addWidget(new QLabel(tr(" name: "), toolbar));
    m_nameFilter->setObjectName(u"liveNameFilter"_s);
    m_nameFilter->setPlaceholderText(tr("all"));
    m_nameFilter->setClearButtonEnabled(true);
    m_nameFilter->setMaximumWidth(160);
    toolbar->addWidget(m_nameFilter);
    toolbar->addWidget(new QLabel(tr(" publisher: "), toolbar));
    m_publisherFilter->setObjectName(u"livePublisherFilter"_s);
    m_publisherFilter->setPlaceholderText(tr("all"));
    m_publisherFilter->setClearButtonEnabled(true);
    m_publisherFilter->setMaximumWidth(160);
    toolbar->addWidget(m_publisherFilter);
    toolbar->addWidget(m_busy);
    m_filter->setSourceModel(m_model);
    connect(m_nameFilter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_filter->setNameFilter(text);
        for (auto it = m_series.cbegin(); it != m_series.cend(); ++it)
            it.value()->setVisible(m_filter->acceptsName(it.key()));
    });
    connect(m_publisherFilter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_filter->setPublisherFilter(text);
        rebuildChart();
    });
    m_publisherFilter->setToolTip(tr("Part of a thing's name or id"));

    m_view->setModel(m_filter);
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
    setTimeRange(now - ChartWindowSeconds * 1000, now);
    // Any range change not made by following is the user's (rubber-band zoom, wheel scroll): stop following.
    connect(m_timeAxis, &QDateTimeAxis::rangeChanged, this, [this] {
        if (!m_settingRange) m_follow->setChecked(false);
    });
    m_chartView->setRenderHint(QPainter::Antialiasing);
    m_chartView->setMinimumHeight(160);
    m_chartView->setRubberBand(QChartView::HorizontalRubberBand);
    m_chartView->setToolTip(tr("Drag to zoom into a time range, scroll to move back in time, right-click to zoom out"));
    m_chartView->viewport()->installEventFilter(this);

    m_splitter->setObjectName(u"liveSplitter"_s);
    m_splitter->addWidget(m_view);
    m_splitter->addWidget(m_chartView);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 1);

    m_source->setObjectName(u"liveSource"_s);
    m_source->setContentsMargins(6, 2, 6, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(toolbar);
    layout->addWidget(m_banner);
    layout->addWidget(m_source);
    layout->addWidget(m_splitter, 1);

    connect(m_model, &LiveMessagesModel::batchApplied, this, &LiveChannelView::addToChart);
    connect(m_model, &LiveMessagesModel::unknownPublisher, this, [this](const QString &id) {
        if (m_askedPublishers.contains(id)) return;
        m_askedPublishers.insert(id);
        loadPublisherNames();
    });
    connect(m_stream, &client::LiveStream::recordsReceived, m_model, &LiveMessagesModel::append);
    connect(m_stream, &client::LiveStream::stateChanged, this, [this](client::LiveStream::State state) {
        if (state == client::LiveStream::State::Open) {
            if (m_poller) m_poller->stop();
            setSource(Source::Stream,
                      tr("● Live: WebSocket stream connected (%1).").arg(m_session->liveUrl().toString()), false);
        }
    });
    connect(m_stream, &client::LiveStream::connectionFailed, this, [this](const QString &why) {
        // No adapter (or it went away): keep retrying the stream, poll the reader meanwhile.
        if (m_poller && !m_poller->isActive()) m_poller->start(m_channelId);
        setSource(Source::Polling,
                  tr("Polling stored messages every second: the WebSocket stream is unavailable (%1); retrying it.")
                      .arg(why.isEmpty() ? tr("no answer") : why),
                  true);
    });
    connect(m_history, &QComboBox::activated, this, &LiveChannelView::loadHistory);
    start();
}

LiveChannelView::~LiveChannelView() = default;

QString LiveChannelView::sourceText() const
{
    return m_source->text();
}

bool LiveChannelView::isFollowing() const
{
    return m_follow->isChecked();
}

void LiveChannelView::setFollowing(bool follow)
{
    m_follow->setChecked(follow);
}

void LiveChannelView::setTimeRange(qint64 fromMs, qint64 toMs)
{
    m_settingRange = true;
    m_timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(fromMs), QDateTime::fromMSecsSinceEpoch(toMs));
    m_settingRange = false;
}

void LiveChannelView::scrollBack(double seconds)
{
    const qint64 delta = qint64(seconds * 1000);
    m_follow->setChecked(false);
    m_timeAxis->setRange(m_timeAxis->min().addMSecs(-delta), m_timeAxis->max().addMSecs(-delta));
}

bool LiveChannelView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_chartView->viewport() && event->type() == QEvent::Wheel) {
        const auto *wheel = static_cast<QWheelEvent *>(event);
        const int steps = (wheel->angleDelta().y() + wheel->angleDelta().x()) / 120;
        const double span = double(m_timeAxis->min().msecsTo(m_timeAxis->max())) / 1000.0;
        if (steps != 0) scrollBack(steps * span / 10.0);
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

void LiveChannelView::setSource(Source kind, const QString &text, bool warning)
{
    m_sourceKind = kind;
    m_source->setText(text);
    QPalette p = m_source->palette();
    p.setColor(QPalette::WindowText, warning ? QColor(0x8a, 0x5a, 0x00) : palette().color(QPalette::WindowText));
    m_source->setPalette(p);
}

void LiveChannelView::stop()
{
    m_stream->close();
    if (m_poller) m_poller->stop();
}

void LiveChannelView::start()
{
    stop();
    m_banner->hide();
    client::RestClient *client = m_session->client();
    if (!client || m_channelId.isEmpty()) return;
    // Starting over (sign-in, F5): history is loaded again, so what the view holds goes.
    m_model->clear();
    for (QLineSeries *series : std::as_const(m_series))
        series->clear();
    m_haveValues = false;
    delete m_poller;
    m_poller = new client::ReaderPoller(client, this);
    connect(m_poller, &client::ReaderPoller::recordsReceived, m_model, &LiveMessagesModel::append);
    connect(m_poller, &client::ReaderPoller::pollFailed, this,
            [this](const QString &message) { m_banner->showError(tr("Reading messages failed: %1").arg(message)); });
    loadPublisherNames();
    loadHistory();
    const QUrl live = m_session->liveUrl();
    if (live.isValid() && !live.isEmpty()) {
        setSource(Source::None, tr("Connecting to the WebSocket stream %1…").arg(live.toString()), false);
        m_stream->open(live, m_channelId, client->token());
    } else {
        m_poller->start(m_channelId);
        setSource(Source::Polling,
                  tr("Polling stored messages every second: this backend announces no WebSocket stream."), true);
    }
}

void LiveChannelView::loadHistory()
{
    const int seconds = m_history->currentData().toInt();
    client::RestClient *client = m_session->client();
    if (seconds <= 0 || !client) return;
    client::MessageQuery query;
    query.limit = 1000;
    const double now = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
    query.from = now - seconds;
    query.to = now;
    m_busy->setBusy(true);
    client->readMessages(m_channelId, query, client::Credential{client::Credential::Kind::UserToken, client->token()})
        .then(this, [this](const Result<QJsonObject> &page) {
            m_busy->setBusy(false);
            if (!page) {
                m_banner->showError(tr("Could not load history: %1").arg(page.error().message));
                return;
            }
            QList<client::LiveRecord> records = client::recordsFromReaderPage(*page);
            std::reverse(records.begin(), records.end()); // the reader answers newest first
            m_model->append(records);
            m_model->flush();
            Q_EMIT historyLoaded();
        });
}

void LiveChannelView::loadPublisherNames()
{
    client::RestClient *client = m_session->client();
    if (!client || m_namesLoading) return;
    m_namesLoading = true;
    PageQuery query;
    query.limit = MaxPageLimit;
    client->thingsOfChannel(m_channelId, query).then(this, [this](const Result<Page<Thing>> &page) {
        m_namesLoading = false;
        if (!page) return; // ids stay shown; the next unknown publisher asks again
        QHash<QString, QString> names = m_model->publisherNames();
        for (const Thing &thing : page->items)
            if (!thing.name.isEmpty()) names.insert(thing.id, thing.name);
        m_model->setPublisherNames(names);
        m_filter->invalidate();
        rebuildChart();
    });
}

void LiveChannelView::rebuildChart()
{
    for (QLineSeries *series : std::as_const(m_series))
        series->clear();
    m_haveValues = false;
    QList<client::LiveRecord> records = m_model->records();
    std::reverse(records.begin(), records.end());
    addToChart(records);
}

void LiveChannelView::addToChart(const QList<client::LiveRecord> &records)
{
    // One replace() per series and batch: appending point by point makes the chart re-layout per point, which at
    // thousands of records per second stalls the event loop for hundreds of milliseconds.
    QHash<QLineSeries *, QList<QPointF>> added;
    for (const client::LiveRecord &r : records) {
        if (!r.isNumeric() || !m_filter->acceptsPublisher(r.publisher, m_model->publisherName(r.publisher))) continue;
        const QString name = r.name.isEmpty() ? tr("(value)") : r.name;
        QLineSeries *series = m_series.value(name);
        if (!series) {
            series = new QLineSeries(m_chart);
            series->setObjectName(name);
            series->setName(r.unit.isEmpty() ? name : u"%1 (%2)"_s.arg(name, r.unit));
            m_chart->addSeries(series);
            series->attachAxis(m_timeAxis);
            series->attachAxis(m_valueAxis);
            m_series.insert(name, series);
            series->setVisible(m_filter->acceptsName(name));
            // The legend toggles a series.
            for (QLegendMarker *marker : m_chart->legend()->markers(series))
                connect(marker, &QLegendMarker::clicked, this, [series, marker] {
                    series->setVisible(!series->isVisible());
                    marker->setVisible(true);
                    marker->setLabelBrush(series->isVisible() ? QBrush(Qt::black) : QBrush(Qt::gray));
                });
        }
        const double value = r.value.toDouble();
        added[series].append(QPointF(r.time * 1000.0, value));
        m_minValue = m_haveValues ? std::min(m_minValue, value) : value;
        m_maxValue = m_haveValues ? std::max(m_maxValue, value) : value;
        m_haveValues = true;
        m_newest = std::max(m_newest, r.time);
    }
    qsizetype totalPoints = 0;
    for (auto it = added.begin(); it != added.end(); ++it) {
        QList<QPointF> points = it.key()->points();
        const bool ordered = points.isEmpty() || it.value().constFirst().x() >= points.constLast().x();
        points += it.value();
        // History older than what is drawn: keep the line running forward in time.
        if (!ordered || !std::is_sorted(points.cbegin(), points.cend(), [](const QPointF &a, const QPointF &b) {
                return a.x() < b.x();
            }))
            std::stable_sort(points.begin(), points.end(), [](const QPointF &a, const QPointF &b) { return a.x() < b.x(); });
        if (points.size() > MaxPointsPerSeries) points.remove(0, points.size() - MaxPointsPerSeries);
        it.key()->replace(points);
    }
    for (QLineSeries *series : std::as_const(m_series))
        totalPoints += series->count();
    // Antialiased lines through thousands of points cost more than they show.
    m_chartView->setRenderHint(QPainter::Antialiasing, totalPoints < 2000);
    if (m_newest > 0 && m_follow->isChecked()) {
        const qint64 end = qint64(m_newest * 1000) + 5000;
        setTimeRange(end - ChartWindowSeconds * 1000, end);
        const double pad = std::max(1.0, (m_maxValue - m_minValue) * 0.1);
        m_valueAxis->setRange(m_minValue - pad, m_maxValue + pad);
    }
}

void LiveChannelView::exportMessages(const QString &path)
{
    QList<client::LiveRecord> records;
    records.reserve(m_filter->rowCount());
    for (int row = m_filter->rowCount() - 1; row >= 0; --row) // the table is newest first
        records.append(m_filter->index(row, 0).data(LiveMessagesModel::RecordRole).value<client::LiveRecord>());
    const bool json = path.endsWith(u".json"_s, Qt::CaseInsensitive);
    const QByteArray data = json ? recordsToJson(records, m_model->publisherNames())
                                 : recordsToCsv(records, m_model->publisherNames());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(data) != data.size()) {
        m_banner->showError(tr("Cannot write %1: %2").arg(path, file.errorString()));
        return;
    }
    Q_EMIT statusMessage(tr("%n message(s) exported to %1", nullptr, int(records.size())).arg(path));
}

// ---------------------------------------------------------------------------------------------------------------------
// LivePage

LivePage::LivePage(Session *session, QWidget *parent)
    : DashboardPage(session, parent), m_channel(new QComboBox(this)), m_banner(new Banner(this)),
      m_empty(new QLabel(this)), m_tabs(new QTabWidget(this))
{
    setObjectName(u"livePage"_s);
    auto *toolbar = new QToolBar(this);
    toolbar->addWidget(new QLabel(tr("Open channel: "), toolbar));
    m_channel->setMinimumWidth(200);
    m_channel->setPlaceholderText(tr("Choose a channel"));
    toolbar->addWidget(m_channel);

    m_tabs->setTabsClosable(true);
    m_tabs->setMovable(true);
    m_tabs->setDocumentMode(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setText(tr("Choose a channel above to watch its messages live, or select one on the Channels page and "
                        "press Ctrl+L. Each channel opens in its own tab."));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(toolbar);
    layout->addWidget(m_banner);
    layout->addWidget(m_empty, 1);
    layout->addWidget(m_tabs, 1);
    m_tabs->hide();

    connect(m_tabs, &QTabWidget::tabCloseRequested, this, &LivePage::closeTab);
    connect(m_channel, &QComboBox::activated, this, [this] { watch(m_channel->currentData().toString()); });
}

LivePage::~LivePage() = default;

int LivePage::viewCount() const
{
    return m_tabs->count();
}

LiveChannelView *LivePage::currentView() const
{
    return qobject_cast<LiveChannelView *>(m_tabs->currentWidget());
}

LiveChannelView *LivePage::view(const QString &channelId) const
{
    for (int i = 0; i < m_tabs->count(); ++i)
        if (auto *v = qobject_cast<LiveChannelView *>(m_tabs->widget(i)); v && v->channelId() == channelId) return v;
    return nullptr;
}

QString LivePage::channelId() const
{
    return currentView() ? currentView()->channelId() : QString();
}

LiveMessagesModel *LivePage::model() const
{
    return currentView() ? currentView()->model() : nullptr;
}

QString LivePage::sourceText() const
{
    return currentView() ? currentView()->sourceText() : m_empty->text();
}

void LivePage::exportMessages(const QString &path)
{
    if (currentView()) currentView()->exportMessages(path);
}

QByteArray LivePage::splitterState() const
{
    return currentView() ? currentView()->splitter()->saveState() : m_splitterState;
}

void LivePage::restoreSplitterState(const QByteArray &state)
{
    m_splitterState = state;
    for (int i = 0; i < m_tabs->count(); ++i)
        if (auto *v = qobject_cast<LiveChannelView *>(m_tabs->widget(i))) v->splitter()->restoreState(state);
}

void LivePage::sessionReady()
{
    loadChannels();
    for (int i = 0; i < m_tabs->count(); ++i)
        if (auto *v = qobject_cast<LiveChannelView *>(m_tabs->widget(i))) v->start();
}

void LivePage::refresh()
{
    loadChannels();
    if (currentView()) currentView()->start();
}

QString LivePage::channelName(const QString &channelId) const
{
    const int at = m_channel->findData(channelId);
    return at >= 0 ? m_channel->itemText(at) : channelId.left(8) + u'…';
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
        m_banner->hide();
        m_channel->clear();
        for (const Channel &channel : page->items)
            m_channel->addItem(channel.name.isEmpty() ? channel.id : channel.name, channel.id);
        m_channel->setCurrentIndex(-1);
        for (int i = 0; i < m_tabs->count(); ++i)
            if (auto *v = qobject_cast<LiveChannelView *>(m_tabs->widget(i)))
                m_tabs->setTabText(i, channelName(v->channelId()));
        if (page->items.isEmpty() && m_tabs->count() == 0)
            m_empty->setText(tr("No channels yet: create one on the Channels page and connect a thing to it."));
    });
}

LiveChannelView *LivePage::watch(const QString &channelId)
{
    if (channelId.isEmpty()) return nullptr;
    LiveChannelView *v = view(channelId);
    if (!v) {
        v = new LiveChannelView(session(), channelId, m_tabs);
        if (!m_splitterState.isEmpty()) v->splitter()->restoreState(m_splitterState);
        connect(v, &LiveChannelView::statusMessage, this, &DashboardPage::statusMessage);
        const int at = m_tabs->addTab(v, channelName(channelId));
        m_tabs->setTabToolTip(at, tr("Channel %1").arg(channelId));
        if (m_channel->findData(channelId) < 0) loadChannels(); // created since the list was loaded
    }
    m_tabs->setCurrentWidget(v);
    m_empty->hide();
    m_tabs->show();
    return v;
}

void LivePage::closeTab(int index)
{
    auto *v = qobject_cast<LiveChannelView *>(m_tabs->widget(index));
    if (!v) return;
    m_splitterState = v->splitter()->saveState();
    v->stop();
    m_tabs->removeTab(index);
    v->deleteLater();
    if (m_tabs->count() == 0) {
        m_tabs->hide();
        m_empty->show();
    }
}

} // namespace mf::ui
