#pragma once

#include "client/liverecord.h"
#include "dashboardpage.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QSet>
#include <algorithm>

class QAction;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QSplitter;
class QTabWidget;
class QTableView;
class QTimer;
class QTreeView;
class QLineEdit;

QT_BEGIN_NAMESPACE
class QChart;
QT_END_NAMESPACE

namespace mf::client {
class LiveStream;
class ReaderPoller;
} // namespace mf::client

namespace mf::ui {

class Banner;
class BusyIndicator;
class LiveChart;
class PublishPanel;
class LiveMessagesModel;
class LiveFilterModel;
class SubtopicTreeModel;

// The live messages of one channel (one tab of the Live page): the owner's read-only WebSocket stream when the
// backend offers one (Session::liveUrl), else, and whenever the stream cannot connect, polling the reader every
// second — the line above the table says which. History for a preset (last 15 min …) or any from–to range, read from
// the reader one page at a time: the newest page first, older pages as the user scrolls the table down to its end,
// until the range is exhausted or the table's buffer is full (the line above the table says which); Stop beside the
// progress drops the load in progress, and a newer range drops the older one's answers. A bounded batched
// table (LiveMessagesModel), a chart (LiveChart: a line per SenML name, an axis per unit) whose time axis runs to now
// unless the user scrolled or zoomed back ("Follow" brings it back), pause, clear and export (CSV or JSON) of what the
// table shows, a tree of the subtopics seen (SubtopicTreeModel) that filters the table and chart, and a panel to send a
// test message as one of the channel's things. Publishers appear by thing name (the channel's things, reloaded when an
// unknown publisher appears).
class LiveChannelView final : public QWidget
{
    Q_OBJECT

public:
    enum class Source { None, Stream, Polling };
    Q_ENUM(Source)

    LiveChannelView(Session *session, const QString &channelId, QWidget *parent = nullptr);
    ~LiveChannelView() override;
    Q_DISABLE_COPY_MOVE(LiveChannelView)

    QString channelId() const { return m_channelId; }
    LiveMessagesModel *model() const { return m_model; }
    LiveFilterModel *filter() const { return m_filter; }
    QLineEdit *nameFilterEdit() const { return m_nameFilter; }
    QLineEdit *publisherFilterEdit() const { return m_publisherFilter; }
    QComboBox *historyBox() const { return m_history; }
    // The from–to pickers, shown while the history box is on "Range…" (HistoryRange).
    QDateTimeEdit *historyFromEdit() const { return m_historyFrom; }
    QDateTimeEdit *historyToEdit() const { return m_historyTo; }
    static constexpr int HistoryRange = -1; // the history box's data for the from–to range
    // Stored records per reader request (1000 by default); tests make it small to see paging.
    void setHistoryPageSize(int records) { m_historyPageSize = std::max(1, records); }
    // Loads the chosen history range again from its newest page (what choosing a range or pressing Load does).
    void loadHistory();
    // The channel's refused messages of the history range (GET /channels/{id}/refusals) as red rows of the table,
    // not in the chart, the subtopic tree or an export; loadHistory() calls it.
    void loadRefusals();
    // The next older page of the range, if any and the buffer has room (what scrolling to the table's end does).
    bool loadOlderHistory();
    bool hasOlderHistory() const;
    // Stops the history load in progress (the Stop button beside the progress): its answer is dropped when it comes,
    // no older page follows until a range is chosen (or Load pressed) again; the records already loaded stay.
    void stopHistory();
    bool isLoadingHistory() const { return m_paging.loading; }
    QAction *stopHistoryAction() const { return m_stopHistory; }
    QString historyText() const;
    // The receive rate (records per second over the last second) and what the bounded table lost: rows trimmed off
    // its end, records never shown; updated every second.
    QString trafficText() const;
    double receiveRate() const { return m_rate; }
    QTableView *tableView() const { return m_view; }
    QChart *chart() const;
    LiveChart *liveChart() const { return m_chart; }
    PublishPanel *publishPanel() const { return m_publish; }
    QAction *publishAction() const { return m_publishAction; }
    QSplitter *splitter() const { return m_splitter; }
    QSplitter *outerSplitter() const { return m_outer; } // the subtopic tree | table and chart
    // Both splitters' positions (saved with the window); restore also takes a table|chart state of earlier versions.
    QByteArray layoutState() const;
    void restoreLayoutState(const QByteArray &state);
    // The subtopic tree left of the table: selecting a node filters the table and the chart.
    QTreeView *subtopicTree() const { return m_tree; }
    SubtopicTreeModel *subtopics() const { return m_subtopics; }
    // Filters the table and chart to a subtopic and below ("" for all) and selects its node; a node not seen yet is
    // selected once a record brings it (the filter applies at once).
    void selectSubtopic(const QString &path);
    QString selectedSubtopic() const; // "room1.boiler"; empty: all
    QString sourceText() const;
    Source source() const { return m_sourceKind; }
    bool isFollowing() const;
    void setFollowing(bool follow);
    // Moves the chart's time window back by `seconds` (what scrolling the chart does); stops following.
    void scrollBack(double seconds);
    // Writes what the table shows (after its filters), oldest first: JSON when the path ends in .json, else CSV.
    void exportMessages(const QString &path);
    // Filters (the subtopic too), history range and the send panel, to come back after a restart
    // (LivePage::sessionState).
    QJsonObject viewState() const;
    void restoreViewState(const QJsonObject &state);
    // Reloads the names of the channel's things (the publishers).
    void loadPublisherNames();
    // (Re)connects: history, then the stream or polling. Called when the session signs in.
    void start();
    void stop();

Q_SIGNALS:
    void statusMessage(const QString &text);
    // A history load reached the table (merged with what it held).
    void historyLoaded();
    // The answer to a history request came after Stop or after a newer range was chosen, and was dropped.
    void historyDiscarded();

private:
    void requestHistoryPage();
    void setHistoryLoading(bool loading);
    void updateHistoryText();
    void addToChart(const QList<client::LiveRecord> &records); // those passing the publisher filter
    void rebuildChart(); // from the held records, after the publisher filter changed
    void setSource(Source kind, const QString &text, bool warning);
    // One refusal as GET /channels/{id}/refusals and the event stream carry it, as a red row.
    client::LiveRecord refusedRecord(const QJsonObject &refusal) const;
    // The user's event stream: refusals of this channel become red rows as they happen, while the view runs.
    void onEvent(const QJsonObject &event);

    Session *m_session;
    QString m_channelId;
    LiveMessagesModel *m_model;
    LiveFilterModel *m_filter;
    QLineEdit *m_nameFilter;
    QLineEdit *m_publisherFilter;
    client::LiveStream *m_stream;
    client::ReaderPoller *m_poller = nullptr;
    QComboBox *m_history;
    QDateTimeEdit *m_historyFrom;
    QDateTimeEdit *m_historyTo;
    QWidget *m_rangeBar = nullptr;
    QLabel *m_historyLabel;
    QLabel *m_trafficLabel;
    QTimer *m_rateTimer;
    QElapsedTimer m_rateClock;
    qint64 m_lastReceived = 0;
    double m_rate = 0;
    // The history being paged: its range (seconds since the epoch), the reader's offset of the next older page, the
    // reader's total for the range, and a generation that discards answers to an earlier range.
    struct HistoryPaging
    {
        double from = 0;
        double to = 0;
        qint64 offset = 0;
        qint64 total = -1; // unknown until the first page
        bool loading = false;
        bool stopped = false; // Stop was pressed: no older page until the range is loaded again
        quint64 generation = 0;
    } m_paging;
    int m_historyPageSize = 1000;
    QAction *m_pause;
    QAction *m_follow;
    QAction *m_stopHistory;
    Banner *m_banner;
    QLabel *m_source;
    BusyIndicator *m_busy;
    QSplitter *m_splitter;
    QSplitter *m_outer;
    QTableView *m_view;
    QTreeView *m_tree;
    SubtopicTreeModel *m_subtopics;
    LiveChart *m_chart;
    PublishPanel *m_publish;
    QAction *m_publishAction;
    Source m_sourceKind = Source::None;
    bool m_namesLoading = false;
    QSet<QString> m_askedPublishers; // unknown ids a names reload was made for (one reload per id)
    QString m_wantedSubtopic;        // the subtopic filter whose tree node has not appeared yet
};

// The Live page: one closable tab per watched channel (LiveChannelView); a channel chooser opens more. Ctrl+L on the
// Things/Channels pages opens (or brings forward) the selected channel's tab.
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
    // Opens the channel's tab (or makes it current) and returns it.
    LiveChannelView *watch(const QString &channelId);
    LiveChannelView *currentView() const;
    LiveChannelView *view(const QString &channelId) const;
    int viewCount() const;
    QTabWidget *tabs() const { return m_tabs; }
    // Of the current tab (empty / null when none is open).
    QString channelId() const;
    LiveMessagesModel *model() const;
    QString sourceText() const;
    void exportMessages(const QString &path);
    // The open tabs (channel, filters, history range, the send panel without keys) and the current one, saved with
    // the window per profile; a saved session is reopened once the channel list is loaded, without the channels
    // deleted meanwhile.
    QJsonObject sessionState() const;
    void restoreSession(const QJsonObject &state);
    // Splitter layout shared by all tabs (saved with the window): the current tab's LiveChannelView::layoutState.
    QByteArray splitterState() const;
    void restoreSplitterState(const QByteArray &state);

protected:
    void showEvent(QShowEvent *event) override; // channels created elsewhere (CLI, curl, another dashboard) appear

private:
    void loadChannels();
    void closeTab(int index);
    QString channelName(const QString &channelId) const;

    QComboBox *m_channel;
    Banner *m_banner;
    QLabel *m_empty;
    QTabWidget *m_tabs;
    QByteArray m_splitterState;
    QJsonObject m_savedSession; // to reopen after the next channel list
};

} // namespace mf::ui
