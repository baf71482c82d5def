#include "livepage.h"

#include "client/livestream.h"
#include "client/readerpoller.h"
#include "client/restclient.h"
#include "common.h"
#include "livechart.h"
#include "models/livefiltermodel.h"
#include "models/livemessagesmodel.h"
#include "models/session.h"
#include "models/subtopictreemodel.h"
#include "publishpanel.h"

#include <QAction>
#include <QComboBox>
#include <QDataStream>
#include <QDateTime>
#include <QDateTimeEdit>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QStandardPaths>
#include <QStyle>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mf::ui {

namespace {
constexpr int BufferSize = 10000;
} // namespace

// ---------------------------------------------------------------------------------------------------------------------
// LiveChannelView

LiveChannelView::LiveChannelView(Session *session, const QString &channelId, QWidget *parent)
    : QWidget(parent), m_session(session), m_channelId(channelId), m_model(new LiveMessagesModel(BufferSize, this)),
      m_filter(new LiveFilterModel(this)), m_nameFilter(new QLineEdit(this)), m_publisherFilter(new QLineEdit(this)),
      m_stream(new client::LiveStream(this)), m_history(new QComboBox(this)), m_historyFrom(new QDateTimeEdit(this)),
      m_historyTo(new QDateTimeEdit(this)), m_historyLabel(new QLabel(this)), m_trafficLabel(new QLabel(this)),
      m_rateTimer(new QTimer(this)), m_banner(new Banner(this)), m_source(new QLabel(this)),
      m_busy(new BusyIndicator(this)), m_splitter(new QSplitter(Qt::Vertical, this)), m_view(new QTableView(this)),
      m_tree(new QTreeView(this)), m_subtopics(new SubtopicTreeModel(this)), m_chart(new LiveChart(this)),
      m_publish(new PublishPanel(session, channelId, this))
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
        m_chart->clear();
        m_subtopics->clear();
        m_trafficLabel->setText(trafficText()); // not the rows of a second ago
    })->setObjectName(u"liveClear"_s);
    toolbar->addWidget(new QLabel(tr(" History: "), toolbar));
    m_history->addItem(tr("none"), 0);
    m_history->addItem(tr("last 15 min"), 15 * 60);
    m_history->addItem(tr("last 1 h"), 3600);
    m_history->addItem(tr("last 24 h"), 24 * 3600);
    m_history->addItem(tr("last 7 days"), 7 * 24 * 3600);
    m_history->addItem(tr("Range…"), HistoryRange);
    m_history->setItemData(m_history->count() - 1, tr("Any from–to date and time"), Qt::ToolTipRole);
    m_history->setCurrentIndex(2);
    toolbar->addWidget(m_history);
    // The from–to pickers of "Range…": local date and time to the second, a calendar to pick the day.
    for (QDateTimeEdit *edit : {m_historyFrom, m_historyTo}) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(QLocale().dateFormat(QLocale::ShortFormat) + u" HH:mm:ss"_s);
    }
    m_historyFrom->setObjectName(u"liveHistoryFrom"_s);
    m_historyTo->setObjectName(u"liveHistoryTo"_s);
    const QDateTime now = QDateTime::currentDateTime();
    m_historyFrom->setDateTime(now.addSecs(-3600));
    m_historyTo->setDateTime(now);
    // A row under the toolbar (which has no room left for them): From [..] to [..] [Load].
    m_rangeBar = new QWidget(this);
    m_rangeBar->setObjectName(u"liveHistoryRange"_s);
    auto *range = new QHBoxLayout(m_rangeBar);
    range->setContentsMargins(6, 0, 6, 0);
    range->addWidget(new QLabel(tr("History from"), m_rangeBar));
    range->addWidget(m_historyFrom);
    m_historyFrom->setToolTip(tr("From (inclusive)"));
    range->addWidget(new QLabel(tr("to"), m_rangeBar));
    range->addWidget(m_historyTo);
    m_historyTo->setToolTip(tr("To (inclusive)"));
    auto *load = new QPushButton(tr("Load"), m_rangeBar);
    load->setObjectName(u"liveHistoryLoad"_s);
    load->setToolTip(tr("Load the stored messages between these two times"));
    connect(load, &QPushButton::clicked, this, &LiveChannelView::loadHistory);
    range->addWidget(load);
    range->addStretch(1);
    const auto showRange = [this] { m_rangeBar->setVisible(m_history->currentData().toInt() == HistoryRange); };
    connect(m_history, &QComboBox::currentIndexChanged, this, showRange);
    showRange();
    toolbar->addAction(tr("Export…"), this, [this] {
        // Starts in the folder of the last export, else the documents folder (not the program's working folder).
        QSettings settings;
        QString folder = settings.value(u"live/exportFolder"_s).toString();
        if (folder.isEmpty() || !QDir(folder).exists())
            folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
        if (folder.isEmpty() || !QDir(folder).exists()) folder = QDir::homePath();
        const QString suggested =
            QDir(folder).filePath(u"messages-%1.csv"_s.arg(QDateTime::currentDateTime().toString(u"yyyyMMdd-HHmm"_s)));
        const QString path = QFileDialog::getSaveFileName(this, tr("Export messages"), suggested,
                                                          tr("CSV files (*.csv);;JSON files (*.json)"));
        if (path.isEmpty()) return;
        settings.setValue(u"live/exportFolder"_s, QFileInfo(path).absolutePath());
        exportMessages(path);
    })->setToolTip(tr("Save the messages the table shows (after its filters) as CSV or JSON"));
    m_follow = toolbar->addAction(style()->standardIcon(QStyle::SP_MediaSeekForward), tr("Follow"));
    m_follow->setCheckable(true);
    m_follow->setChecked(true);
    m_follow->setToolTip(tr("Keep the chart's time axis running to now; scrolling or zooming the chart stops "
                            "following"));
    m_publishAction = toolbar->addAction(style()->standardIcon(QStyle::SP_ArrowRight), tr("Send…"));
    m_publishAction->setCheckable(true);
    m_publishAction->setToolTip(tr("Send a test message to this channel as one of its things"));
    connect(m_publishAction, &QAction::toggled, m_publish, &QWidget::setVisible);
    m_publish->hide();
    m_publish->setMaximumWidth(340);
    connect(m_follow, &QAction::toggled, m_chart, &LiveChart::setFollowing);
    connect(m_chart, &LiveChart::followingChanged, m_follow, &QAction::setChecked);
    auto *spacer = new QWidget(toolbar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    toolbar->addWidget(spacer);
    // Filters of the table (UI.md): substrings of the record name and of the publisher's thing name or id; the chart
    // follows both.
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
    // Next to the progress while history loads (UI.md: long work can be cancelled).
    m_stopHistory = toolbar->addAction(style()->standardIcon(QStyle::SP_BrowserStop), tr("Stop"), this,
                                       &LiveChannelView::stopHistory);
    m_stopHistory->setObjectName(u"liveHistoryStop"_s);
    m_stopHistory->setToolTip(tr("Stop loading history; the records already loaded stay"));
    m_stopHistory->setVisible(false);
    m_filter->setSourceModel(m_model);
    connect(m_nameFilter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_filter->setNameFilter(text);
        m_chart->setNameFilter([this](const QString &name) { return m_filter->acceptsName(name); });
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

    m_splitter->setObjectName(u"liveSplitter"_s);
    m_splitter->addWidget(m_view);
    m_splitter->addWidget(m_chart);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setSizes({1000, 1000}); // half table, half chart (until the user's layout is restored)

    m_source->setObjectName(u"liveSource"_s);
    m_source->setContentsMargins(6, 2, 6, 2);
    m_historyLabel->setObjectName(u"liveHistoryState"_s);
    m_historyLabel->setContentsMargins(6, 2, 6, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(toolbar);
    layout->addWidget(m_rangeBar);
    layout->addWidget(m_banner);
    auto *info = new QHBoxLayout;
    info->addWidget(m_source, 1);
    info->addWidget(m_historyLabel);
    info->addWidget(m_trafficLabel);
    m_trafficLabel->setObjectName(u"liveTraffic"_s);
    m_trafficLabel->setContentsMargins(6, 2, 6, 2);
    m_trafficLabel->setToolTip(tr("Records received per second; the table keeps the newest %L1 rows, older ones "
                                  "stay stored and can be loaded as history")
                                   .arg(m_model->capacity()));
    m_rateClock.start();
    m_rateTimer->setInterval(1000);
    connect(m_rateTimer, &QTimer::timeout, this, [this] {
        const qint64 elapsed = std::max<qint64>(1, m_rateClock.restart());
        m_rate = double(m_model->receivedCount() - m_lastReceived) * 1000.0 / double(elapsed);
        m_lastReceived = m_model->receivedCount();
        m_trafficLabel->setText(trafficText());
    });
    m_rateTimer->start();
    m_trafficLabel->setText(trafficText());
    layout->addLayout(info);
    // The subtopic tree (UI.md: "the left of the live view"), collapsible with its splitter.
    m_tree->setObjectName(u"liveSubtopics"_s);
    m_tree->setModel(m_subtopics);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->header()->setStretchLastSection(true);
    // Wide enough for their headers in every language ("Datensätze").
    for (const auto &[column, width] : {std::pair{SubtopicTreeModel::SubtopicColumn, 110},
                                        std::pair{SubtopicTreeModel::CountColumn, 55}})
        m_tree->header()->resizeSection(column, std::max(width, m_tree->header()->sectionSizeHint(column)));
    m_tree->setToolTip(tr("Subtopics seen on this channel, with records counted and the last one; select one to show "
                          "only it and what is below it"));
    m_tree->expandAll();
    // Shown once a subtopic is seen: a channel without subtopics keeps the room for the table.
    m_tree->hide();
    connect(m_subtopics, &QAbstractItemModel::rowsInserted, m_tree, [this](const QModelIndex &parent) {
        m_tree->expand(parent);
        if (parent.isValid()) m_tree->show();
        if (m_wantedSubtopic.isEmpty()) return;
        if (const QModelIndex wanted = m_subtopics->indexOf(m_wantedSubtopic); wanted.isValid())
            m_tree->setCurrentIndex(wanted); // the filter already applies; now the tree shows it too
    });
    // Cleared (Clear, a restart of the view): the chosen subtopic stays the filter and is selected again when a
    // record brings its node back.
    connect(m_subtopics, &QAbstractItemModel::modelReset, m_tree, [this] {
        m_tree->expandAll();
        m_tree->hide();
        m_wantedSubtopic = m_filter->subtopicFilter();
    });
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex &current) {
        m_wantedSubtopic.clear();
        m_filter->setSubtopicFilter(current.data(SubtopicTreeModel::PathRole).toString());
        rebuildChart();
    });
    m_outer = new QSplitter(Qt::Horizontal, this);
    m_outer->setObjectName(u"liveOuterSplitter"_s);
    m_outer->addWidget(m_tree);
    m_outer->addWidget(m_splitter);
    m_outer->setStretchFactor(1, 1);
    m_outer->setSizes({280, 1000});
    auto *body = new QHBoxLayout;
    body->addWidget(m_outer, 1);
    body->addWidget(m_publish);
    layout->addLayout(body, 1);

    // Refused messages are rows of the table only: the chart and the subtopic tree are of what was accepted.
    connect(m_model, &LiveMessagesModel::batchApplied, this, [this](const QList<client::LiveRecord> &records) {
        QList<client::LiveRecord> accepted;
        accepted.reserve(records.size());
        for (const client::LiveRecord &r : records)
            if (r.refusal.isEmpty()) accepted.append(r);
        addToChart(accepted);
        m_subtopics->add(accepted);
    });
    // Until the first second's rate, a batch fills the line; then the timer keeps it (a label changing width relays out
    // the view, which at four batches a second is not free).
    connect(m_model, &LiveMessagesModel::batchApplied, m_trafficLabel, [this] {
        if (m_lastReceived == 0) m_trafficLabel->setText(trafficText());
    });
    connect(m_model, &LiveMessagesModel::unknownPublisher, this, [this](const QString &id) {
        if (m_askedPublishers.contains(id)) return;
        m_askedPublishers.insert(id);
        loadPublisherNames();
    });
    connect(m_stream, &client::LiveStream::recordsReceived, m_model, &LiveMessagesModel::append);
    connect(m_session->events(), &client::LiveStream::frameReceived, this, &LiveChannelView::onEvent);
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
    connect(m_history, &QComboBox::activated, this, [this] {
        // "Range…" waits for the pickers' Load; a preset loads at once.
        if (m_history->currentData().toInt() != HistoryRange) loadHistory();
    });
    // Scrolling the table (newest on top) to its end asks the reader for the next older page.
    // (A table without a scroll range is handled when a page arrives; a range collapsing during a model reset is not
    // the user scrolling.)
    connect(m_view->verticalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        const int maximum = m_view->verticalScrollBar()->maximum();
        if (maximum > 0 && value >= maximum) loadOlderHistory();
    });
    start();
}

LiveChannelView::~LiveChannelView() = default;

QString LiveChannelView::sourceText() const
{
    return m_source->text();
}

bool LiveChannelView::isFollowing() const
{
    return m_chart->isFollowing();
}

void LiveChannelView::setFollowing(bool follow)
{
    m_follow->setChecked(follow);
}

void LiveChannelView::scrollBack(double seconds)
{
    m_chart->scrollBack(seconds);
}

QChart *LiveChannelView::chart() const
{
    return m_chart->chart();
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
    m_chart->clear();
    m_subtopics->clear();
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
        m_stream->setTrust(m_session->trustFor(u"ws"_s)); // the WebSocket port may have a certificate of its own
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
    ++m_paging.generation; // an answer for the previous range is ignored
    m_paging.total = -1;
    m_paging.offset = 0;
    m_paging.stopped = false;
    setHistoryLoading(false);
    if (seconds == 0 || !m_session->client()) {
        m_paging.from = m_paging.to = 0;
        updateHistoryText();
        return;
    }
    if (seconds == HistoryRange) {
        const QDateTime from = m_historyFrom->dateTime(), to = m_historyTo->dateTime();
        if (from > to) {
            m_banner->show(Banner::Kind::Warning, tr("The history range starts after it ends: %1 is later than %2.")
                                                      .arg(QLocale().toString(from, QLocale::ShortFormat),
                                                           QLocale().toString(to, QLocale::ShortFormat)));
            m_paging.from = m_paging.to = 0;
            updateHistoryText();
            return;
        }
        m_banner->hide();
        m_paging.from = double(from.toMSecsSinceEpoch()) / 1000.0;
        m_paging.to = double(to.toMSecsSinceEpoch()) / 1000.0 + 0.999; // the whole last second
        // The chart shows the chosen range (not the last minutes); "Follow" goes back to now.
        m_chart->showTimeRange(from.toMSecsSinceEpoch(), to.toMSecsSinceEpoch() + 999);
    } else {
        const double now = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
        m_paging.from = now - seconds;
        m_paging.to = now;
    }
    requestHistoryPage();
    loadRefusals();
}

void LiveChannelView::loadRefusals()
{
    // The backend keeps the newest 200 refusals per channel; those of the history range become red rows. New ones come
    // from the event stream (onEvent); one seen both ways is one row (the model holds each record once).
    client::RestClient *client = m_session->client();
    if (!client) return;
    const double from = m_paging.from, to = m_paging.to;
    const quint64 generation = m_paging.generation;
    const QString channel = m_channelId;
    client->refusalsOfChannel(m_channelId)
        .then(this, [this, from, to, generation, channel](const Result<QJsonObject> &body) {
            if (generation != m_paging.generation) return; // another range was chosen meanwhile (or Stop pressed)
            if (!body) {
                m_banner->showError(tr("Could not load refused messages: %1").arg(body.error().message));
                return;
            }
            QList<client::LiveRecord> refused;
            for (const QJsonValue &item : body->value("refusals"_L1).toArray()) {
                client::LiveRecord record = refusedRecord(item.toObject());
                record.channel = channel;
                if (record.time >= from && record.time <= to) refused.prepend(record); // oldest first
            }
            m_model->append(refused);
            m_model->flush();
            // The reason is what the row is for: widen the name column to it.
            if (!refused.isEmpty()) m_view->resizeColumnToContents(LiveMessagesModel::NameColumn);
        });
}

client::LiveRecord LiveChannelView::refusedRecord(const QJsonObject &r) const
{
    client::LiveRecord record;
    record.channel = r.value("channel"_L1).toString();
    record.publisher = r.value("thing"_L1).toString();
    record.protocol = r.value("protocol"_L1).toString();
    record.time = double(r.value("at"_L1).toInteger()) / 1000.0;
    record.value = r.contains("payload"_L1)
                       ? r.value("payload"_L1).toString()
                       : tr("(binary, %n bytes)", nullptr, int(r.value("payload_size"_L1).toInteger()));
    record.refusal = r.value("reason"_L1).toString();
    if (record.refusal.isEmpty()) record.refusal = tr("refused");
    return record;
}

void LiveChannelView::onEvent(const QJsonObject &event)
{
    // Only while the view runs: its stream is open or retrying, or it polls (stop() ends both).
    const bool running =
        m_stream->state() != client::LiveStream::State::Closed || (m_poller && m_poller->isActive());
    if (event.value("type"_L1).toString() != "refusals"_L1 || !running) return;
    QList<client::LiveRecord> refused;
    for (const QJsonValue &item : event.value("refusals"_L1).toArray()) {
        const QJsonObject r = item.toObject();
        if (r.value("channel"_L1).toString() == m_channelId) refused.append(refusedRecord(r));
    }
    if (refused.isEmpty()) return;
    m_model->append(refused);
    m_view->resizeColumnToContents(LiveMessagesModel::NameColumn);
}

bool LiveChannelView::hasOlderHistory() const
{
    return m_paging.to > 0 && (m_paging.total < 0 || m_paging.offset < m_paging.total);
}

void LiveChannelView::setHistoryLoading(bool loading)
{
    m_paging.loading = loading;
    m_busy->setBusy(loading);
    m_stopHistory->setVisible(loading);
}

void LiveChannelView::stopHistory()
{
    if (!m_paging.loading) return;
    ++m_paging.generation; // the answer on its way is dropped when it comes
    m_paging.stopped = true;
    setHistoryLoading(false);
    updateHistoryText();
}

bool LiveChannelView::loadOlderHistory()
{
    if (m_paging.loading || m_paging.stopped || !hasOlderHistory() || m_paging.total < 0) return false;
    if (m_model->rowCount() >= m_model->capacity()) return false; // older rows would fall off at once
    requestHistoryPage();
    return true;
}

void LiveChannelView::requestHistoryPage()
{
    client::RestClient *client = m_session->client();
    if (!client) return;
    client::MessageQuery query;
    query.offset = m_paging.offset;
    query.limit = m_historyPageSize;
    query.from = m_paging.from;
    query.to = m_paging.to;
    setHistoryLoading(true);
    updateHistoryText();
    const quint64 generation = m_paging.generation;
    client->readMessages(m_channelId, query, client::Credential{client::Credential::Kind::UserToken, client->token()})
        .then(this, [this, generation](const Result<QJsonObject> &page) {
            if (generation != m_paging.generation) { // another range was chosen meanwhile, or Stop pressed
                Q_EMIT historyDiscarded();
                return;
            }
            setHistoryLoading(false);
            if (!page) {
                m_banner->showError(tr("Could not load history: %1").arg(page.error().message));
                updateHistoryText();
                return;
            }
            QList<client::LiveRecord> records = client::recordsFromReaderPage(*page);
            m_paging.total = page->value("total"_L1).toInteger(m_paging.offset + records.size());
            m_paging.offset += records.size();
            if (records.isEmpty()) m_paging.total = m_paging.offset; // nothing more, whatever the total said
            std::reverse(records.begin(), records.end()); // the reader answers newest first
            m_model->append(records);
            m_model->flush();
            updateHistoryText();
            Q_EMIT historyLoaded();
            // A table that does not fill its view cannot be scrolled: keep loading until it can.
            // (Computed: the scroll bar's range is updated later, with the view's layout.)
            const qint64 rowsHeight =
                qint64(m_view->model()->rowCount()) * m_view->verticalHeader()->defaultSectionSize();
            if (rowsHeight <= m_view->viewport()->height()) loadOlderHistory();
        });
}

QString LiveChannelView::trafficText() const
{
    const QLocale locale;
    QString text = tr("%1 records/s · %2 rows")
                       .arg(locale.toString(m_rate, 'f', m_rate < 10 ? 1 : 0), locale.toString(m_model->rowCount()));
    if (m_model->trimmedCount() > 0) text += tr(" · %1 older trimmed").arg(locale.toString(m_model->trimmedCount()));
    if (m_model->droppedCount() > 0)
        text += tr(" · %1 not shown (faster than the view)").arg(locale.toString(m_model->droppedCount()));
    return text;
}

void LiveChannelView::updateHistoryText()
{
    m_historyLabel->setText(historyText());
}

QString LiveChannelView::historyText() const
{
    if (m_paging.to <= 0) return {};
    if (m_paging.loading && m_paging.total < 0) return tr("Loading history…");
    const QLocale locale;
    if (m_paging.stopped)
        return m_paging.total < 0 ? tr("History: loading stopped; choose the range again to load it")
                                  : tr("History: stopped after %1 of %2 stored records; choose the range again for "
                                       "the rest")
                                        .arg(locale.toString(m_paging.offset), locale.toString(m_paging.total));
    if (m_paging.total < 0) return {};
    if (m_paging.total == 0) return tr("History: no stored records in the range");
    if (!hasOlderHistory())
        return tr("History: all %1 stored records of the range loaded").arg(locale.toString(m_paging.total));
    if (m_model->rowCount() >= m_model->capacity())
        return tr("History: %1 of %2 stored records loaded; the view holds %3 rows, narrow the range for older ones")
            .arg(locale.toString(m_paging.offset), locale.toString(m_paging.total),
                 locale.toString(m_model->capacity()));
    return tr("History: %1 of %2 stored records loaded; scroll down for older ones")
        .arg(locale.toString(m_paging.offset), locale.toString(m_paging.total));
}

QJsonObject LiveChannelView::viewState() const
{
    return QJsonObject{{u"channel"_s, m_channelId},
                       {u"name"_s, m_nameFilter->text()},
                       {u"publisher"_s, m_publisherFilter->text()},
                       {u"history"_s, m_history->currentData().toInt()},
                       {u"historyFrom"_s, m_historyFrom->dateTime().toString(Qt::ISODate)},
                       {u"historyTo"_s, m_historyTo->dateTime().toString(Qt::ISODate)},
                       {u"send"_s, m_publish->state()},
                       {u"sendOpen"_s, m_publishAction->isChecked()},
                       {u"subtopic"_s, m_filter->subtopicFilter()}};
}

void LiveChannelView::restoreViewState(const QJsonObject &state)
{
    m_nameFilter->setText(state.value("name"_L1).toString());
    m_publisherFilter->setText(state.value("publisher"_L1).toString());
    selectSubtopic(state.value("subtopic"_L1).toString());
    if (state.contains("send"_L1)) m_publish->restoreState(state.value("send"_L1).toObject());
    m_publishAction->setChecked(state.value("sendOpen"_L1).toBool());
    const QDateTime from = QDateTime::fromString(state.value("historyFrom"_L1).toString(), Qt::ISODate);
    const QDateTime to = QDateTime::fromString(state.value("historyTo"_L1).toString(), Qt::ISODate);
    if (from.isValid()) m_historyFrom->setDateTime(from);
    if (to.isValid()) m_historyTo->setDateTime(to);
    const int history = m_history->findData(state.value("history"_L1).toInt(3600));
    if (history >= 0 && (history != m_history->currentIndex() || history == m_history->findData(HistoryRange))) {
        m_history->setCurrentIndex(history);
        loadHistory();
    }
}

namespace {
constexpr quint32 LayoutMagic = 0x4d464c31; // "MFL1": both splitters; anything else is an older table|chart state
}

QByteArray LiveChannelView::layoutState() const
{
    QByteArray out;
    QDataStream stream(&out, QIODevice::WriteOnly);
    // The tree's width only while it is shown: a hidden tree's 0 would come back as a collapsed tree.
    stream << LayoutMagic << m_splitter->saveState() << (m_tree->isHidden() ? QByteArray() : m_outer->saveState());
    return out;
}

void LiveChannelView::restoreLayoutState(const QByteArray &state)
{
    QDataStream stream(state);
    quint32 magic = 0;
    stream >> magic;
    if (magic != LayoutMagic) {
        m_splitter->restoreState(state); // saved by an earlier version: the table|chart splitter alone
        return;
    }
    QByteArray inner, outer;
    stream >> inner >> outer;
    m_splitter->restoreState(inner);
    if (!outer.isEmpty()) m_outer->restoreState(outer);
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
        m_publish->setThings(page->items);
        m_filter->invalidate();
        rebuildChart();
    });
}

void LiveChannelView::rebuildChart()
{
    m_chart->clear();
    QList<client::LiveRecord> records = m_model->records();
    std::reverse(records.begin(), records.end());
    addToChart(records);
}

void LiveChannelView::addToChart(const QList<client::LiveRecord> &records)
{
    if (m_filter->publisherFilter().isEmpty() && m_filter->subtopicFilter().isEmpty()) return m_chart->append(records);
    QList<client::LiveRecord> passing;
    for (const client::LiveRecord &r : records)
        if (m_filter->acceptsPublisher(r.publisher, m_model->publisherName(r.publisher)) &&
            m_filter->acceptsSubtopic(r.subtopic))
            passing.append(r);
    m_chart->append(passing);
}

void LiveChannelView::selectSubtopic(const QString &path)
{
    const QModelIndex at = m_subtopics->indexOf(path);
    if (at.isValid()) return m_tree->setCurrentIndex(at);
    // Not seen yet (a restored session before its history arrived): filter now, select the node when it appears.
    m_tree->setCurrentIndex({});
    m_filter->setSubtopicFilter(path);
    m_wantedSubtopic = m_filter->subtopicFilter();
    rebuildChart();
}

QString LiveChannelView::selectedSubtopic() const
{
    return m_filter->subtopicFilter();
}

void LiveChannelView::exportMessages(const QString &path)
{
    QList<client::LiveRecord> records;
    records.reserve(m_filter->rowCount());
    for (int row = m_filter->rowCount() - 1; row >= 0; --row) { // the table is newest first
        const auto record = m_filter->index(row, 0).data(LiveMessagesModel::RecordRole).value<client::LiveRecord>();
        if (record.refusal.isEmpty()) records.append(record); // messages only: a refused one was never stored
    }
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
    m_channel->setObjectName(u"liveChannelChooser"_s);
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

QJsonObject LivePage::sessionState() const
{
    QJsonArray tabs;
    for (int i = 0; i < m_tabs->count(); ++i)
        if (auto *v = qobject_cast<LiveChannelView *>(m_tabs->widget(i))) tabs.append(v->viewState());
    return QJsonObject{{u"tabs"_s, tabs}, {u"current"_s, channelId()}};
}

void LivePage::restoreSession(const QJsonObject &state)
{
    m_savedSession = state;
}

QByteArray LivePage::splitterState() const
{
    return currentView() ? currentView()->layoutState() : m_splitterState;
}

void LivePage::restoreSplitterState(const QByteArray &state)
{
    m_splitterState = state;
    for (int i = 0; i < m_tabs->count(); ++i)
        if (auto *v = qobject_cast<LiveChannelView *>(m_tabs->widget(i))) v->restoreLayoutState(state);
}

void LivePage::sessionReady()
{
    loadChannels();
    for (int i = 0; i < m_tabs->count(); ++i)
        if (auto *v = qobject_cast<LiveChannelView *>(m_tabs->widget(i))) v->start();
}

void LivePage::showEvent(QShowEvent *event)
{
    DashboardPage::showEvent(event);
    if (session()->state() == Session::State::SignedIn) loadChannels();
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
        if (!m_savedSession.isEmpty()) {
            const QJsonObject saved = std::exchange(m_savedSession, {});
            for (const QJsonValue &tab : saved.value("tabs"_L1).toArray()) {
                const QString id = tab.toObject().value("channel"_L1).toString();
                if (m_channel->findData(id) < 0) continue; // deleted meanwhile
                watch(id)->restoreViewState(tab.toObject());
            }
            if (LiveChannelView *current = view(saved.value("current"_L1).toString())) m_tabs->setCurrentWidget(current);
        }
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
        if (!m_splitterState.isEmpty()) v->restoreLayoutState(m_splitterState);
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
    m_splitterState = v->layoutState();
    v->stop();
    m_tabs->removeTab(index);
    v->deleteLater();
    if (m_tabs->count() == 0) {
        m_tabs->hide();
        m_empty->show();
    }
}

} // namespace mf::ui
