#include "client/restclient.h"
#include "livepage.h"
#include "models/livefiltermodel.h"
#include "models/livemessagesmodel.h"
#include "models/session.h"
#include "models/tokenstore.h"
#include "testbackend.h"

#include <QApplication>
#include <QChart>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLineEdit>
#include <QLineSeries>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using mf::ui::LiveChannelView;
using mf::ui::LiveMessagesModel;
using mf::ui::Session;

// The live view against a backend in-process, as an operator uses it all day: history merged with the stream (no
// message twice however often the range changes), publishers by thing name, exports of exactly what the table shows
// with numbers as published. With MF_SCREENSHOT_DIR set, the live view is saved there as PNG.
class TestLiveView : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void historyRangeSwitchMergesWithoutDuplicates();
    void publishersByName();
    void exportWritesNumbersAsPublished();
    void cleanupTestCase();

private:
    void send(const QString &thingKey, double time, const QString &valueText);
    QList<QPointF> chartPoints(const QString &series) const;
    QStringList exportedLines(const QString &name);

    QTemporaryDir m_dir;
    std::unique_ptr<mf::testing::TestBackend> m_backend;
    std::unique_ptr<mf::ui::TokenStore> m_tokens;
    std::unique_ptr<Session> m_session;
    std::unique_ptr<mf::ui::LivePage> m_page;
    LiveChannelView *m_view = nullptr;
    mf::client::Thing m_boiler, m_pump;
    QString m_channel;
    int m_sent = 0;
};

void TestLiveView::send(const QString &thingKey, double time, const QString &valueText)
{
    // Written by hand so the value is exactly the text a device sends ("70.1").
    const QByteArray senml = u"[{\"bn\":\"boiler:\",\"bt\":%1,\"n\":\"temp\",\"u\":\"Cel\",\"v\":%2}]"_s
                                 .arg(QString::number(time, 'f', 3), valueText)
                                 .toUtf8();
    QVERIFY(m_session->client()
                ->sendMessage(m_channel, u"room1"_s, u"application/senml+json"_s, senml, thingKey)
                .wait()
                .has_value());
    ++m_sent;
}

QList<QPointF> TestLiveView::chartPoints(const QString &series) const
{
    for (QAbstractSeries *s : m_view->chart()->series())
        if (s->objectName() == series) return qobject_cast<QLineSeries *>(s)->points();
    return {};
}

QStringList TestLiveView::exportedLines(const QString &name)
{
    const QString path = m_dir.filePath(name);
    m_view->exportMessages(path);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    QStringList lines = QString::fromUtf8(file.readAll()).split(u"\r\n"_s);
    if (!lines.isEmpty() && lines.last().isEmpty()) lines.removeLast();
    return lines;
}

void TestLiveView::initTestCase()
{
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    m_backend = std::make_unique<mf::testing::TestBackend>();
    QVERIFY2(m_backend->isRunning(), qPrintable(m_backend->startError()));
    m_tokens = std::make_unique<mf::ui::TokenStore>(u"mainflux-test"_s, m_dir.filePath(u"config"_s));
    m_tokens->setMode(mf::ui::TokenStore::Mode::File);
    m_session = std::make_unique<Session>(nullptr, m_tokens.get());
    mf::ui::Profile profile;
    profile.id = u"live"_s;
    profile.kind = mf::ui::Profile::Kind::Remote;
    profile.url = QUrl(m_backend->baseUrl());
    const int wsPort = m_backend->backend().readyInfo().value("ports"_L1).toObject().value("ws"_L1).toInt();
    QVERIFY(wsPort > 0);
    profile.liveUrl = QUrl(u"ws://127.0.0.1:%1"_s.arg(wsPort));
    m_session->open(profile);
    QTRY_COMPARE(m_session->state(), Session::State::SignedOut);
    m_session->signUp(u"op@example.com"_s, u"correct-horse"_s);
    QTRY_COMPARE(m_session->state(), Session::State::SignedIn);

    mf::client::RestClient *client = m_session->client();
    auto boiler = client->createThing(QJsonObject{{u"name"_s, u"boiler-7"_s}}).wait();
    auto pump = client->createThing(QJsonObject{{u"name"_s, u"pump-2"_s}}).wait();
    auto channel = client->createChannel(QJsonObject{{u"name"_s, u"boiler-room"_s}}).wait();
    QVERIFY(boiler && pump && channel);
    m_boiler = *boiler;
    m_pump = *pump;
    m_channel = channel->id;
    QVERIFY(client->connectMany({m_channel}, {m_boiler.id, m_pump.id}).wait().has_value());

    // Seven messages stored before the view opens (history), seven while it is open (the stream).
    const double now = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
    for (int i = 0; i < 7; ++i)
        send(i % 2 ? m_pump.key : m_boiler.key, now - 600 + i * 30, u"70.%1"_s.arg(i + 1));
    mf::client::MessageQuery query;
    QTRY_COMPARE_WITH_TIMEOUT(
        client->readMessages(m_channel, query, {mf::client::Credential::Kind::UserToken, client->token()})
            .wait()
            ->value("total"_L1)
            .toInt(),
        7, 15000);

    m_page = std::make_unique<mf::ui::LivePage>(m_session.get());
    m_page->resize(1100, 700);
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
    m_page->sessionReady();
    m_view = m_page->watch(m_channel);
    QVERIFY(m_view);
    QTRY_COMPARE_WITH_TIMEOUT(m_view->source(), LiveChannelView::Source::Stream, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(m_view->model()->rowCount(), 7, 10000);
    for (int i = 7; i < 14; ++i)
        send(i % 2 ? m_pump.key : m_boiler.key, now - 600 + i * 30, u"70.%1"_s.arg(i + 1));
    QTRY_COMPARE_WITH_TIMEOUT(m_view->model()->rowCount(), 14, 10000);
}

void TestLiveView::historyRangeSwitchMergesWithoutDuplicates()
{
    QComboBox *history = m_view->historyBox();
    QCOMPARE(history->currentData().toInt(), 3600);
    QTRY_COMPARE_WITH_TIMEOUT(m_session->client()
                                  ->readMessages(m_channel, {}, {mf::client::Credential::Kind::UserToken,
                                                                 m_session->client()->token()})
                                  .wait()
                                  ->value("total"_L1)
                                  .toInt(),
                              m_sent, 15000); // all stored, so history now holds what the stream delivered too
    // "last 1 h" → "last 24 h" → "last 1 h" → "last 24 h", as a user does with the keyboard on the combo box.
    for (int key : {Qt::Key_Down, Qt::Key_Up, Qt::Key_Down}) {
        QSignalSpy loaded(m_view, &LiveChannelView::historyLoaded);
        QTest::keyClick(history, Qt::Key(key));
        QVERIFY(loaded.wait(10000));
        QCOMPARE(m_view->model()->rowCount(), m_sent);
        QCOMPARE(m_view->tableView()->model()->rowCount(), m_sent);
    }
    QCOMPARE(history->currentData().toInt(), 24 * 3600);
    // Newest on top, every message once.
    const QList<mf::client::LiveRecord> held = m_view->model()->records();
    QSet<QString> values;
    for (int i = 0; i < held.size(); ++i) {
        values.insert(mf::ui::valueAsPublished(held[i].value));
        if (i > 0) QVERIFY(held[i - 1].time >= held[i].time);
    }
    QCOMPARE(values.size(), m_sent);
    // The chart: one point per message, running forward in time (no line doubling back).
    const QList<QPointF> points = chartPoints(u"boiler:temp"_s);
    QCOMPARE(points.size(), m_sent);
    for (int i = 1; i < points.size(); ++i)
        QVERIFY(points[i - 1].x() <= points[i].x());
    // Export equals the table.
    const QStringList lines = exportedLines(u"history.csv"_s);
    QCOMPARE(lines.size(), m_sent + 1);
    QCOMPARE(lines.size() - 1, m_view->tableView()->model()->rowCount());
}

void TestLiveView::publishersByName()
{
    QTableView *table = m_view->tableView();
    QTRY_COMPARE_WITH_TIMEOUT(table->model()->index(0, LiveMessagesModel::PublisherColumn).data().toString().isEmpty(),
                              false, 5000);
    QSet<QString> shown;
    for (int row = 0; row < table->model()->rowCount(); ++row) {
        const QModelIndex publisher = table->model()->index(row, LiveMessagesModel::PublisherColumn);
        QTRY_VERIFY(publisher.data().toString() == u"boiler-7"_s || publisher.data().toString() == u"pump-2"_s);
        shown.insert(publisher.data().toString());
        const QString id = publisher.data(LiveMessagesModel::PublisherIdRole).toString();
        QVERIFY(id == m_boiler.id || id == m_pump.id);
        QVERIFY(publisher.data(Qt::ToolTipRole).toString().contains(id)); // the id on hover
    }
    QCOMPARE(shown.size(), 2);

    // Typing a thing's name narrows the table and the chart.
    QTest::keyClicks(m_view->publisherFilterEdit(), u"PUMP"_s);
    QCOMPARE(table->model()->rowCount(), 7);
    for (int row = 0; row < table->model()->rowCount(); ++row)
        QCOMPARE(table->model()->index(row, LiveMessagesModel::PublisherColumn).data().toString(), u"pump-2"_s);
    QCOMPARE(chartPoints(u"boiler:temp"_s).size(), 7);
    // The export: what is shown, names beside ids.
    const QStringList lines = exportedLines(u"pump.csv"_s);
    QCOMPARE(lines.size(), 8);
    QVERIFY(lines[0].startsWith(u"time,channel,publisher,publisher_name,"_s));
    for (int i = 1; i < lines.size(); ++i)
        QVERIFY2(lines[i].contains(u",%1,pump-2,"_s.arg(m_pump.id)), qPrintable(lines[i]));
    // The id works too.
    m_view->publisherFilterEdit()->clear();
    QTest::keyClicks(m_view->publisherFilterEdit(), m_boiler.id.left(8));
    QCOMPARE(table->model()->rowCount(), 7);
    QCOMPARE(chartPoints(u"boiler:temp"_s).size(), 7);
    m_view->publisherFilterEdit()->clear();
    QCOMPARE(table->model()->rowCount(), m_sent);
    QCOMPARE(chartPoints(u"boiler:temp"_s).size(), m_sent);

    const QString dir = qEnvironmentVariable("MF_SCREENSHOT_DIR");
    if (!dir.isEmpty()) {
        QDir().mkpath(dir);
        QTest::qWait(150);
        QVERIFY(m_page->grab().save(QDir(dir).filePath(u"live-names.png"_s)));
    }
}

void TestLiveView::exportWritesNumbersAsPublished()
{
    const QStringList csv = exportedLines(u"all.csv"_s);
    QCOMPARE(csv.size(), m_sent + 1);
    QStringList values;
    for (int i = 1; i < csv.size(); ++i)
        values.append(csv[i].split(u',').at(7));
    for (int i = 1; i <= 14; ++i)
        QVERIFY2(values.contains(u"70.%1"_s.arg(i)), qPrintable(values.join(u' '))); // 70.1, not 70.099999999999994
    QVERIFY(!csv.join(u'\n').contains(u"99999"_s));

    const QString path = m_dir.filePath(u"all.json"_s);
    m_view->exportMessages(path);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY2(text.contains("\"value\": 70.1\n"), text.left(400).constData());
    QVERIFY(!text.contains("99999"));
    const QJsonArray json = QJsonDocument::fromJson(text).array();
    QCOMPARE(json.size(), m_sent);
    QSet<QString> names;
    for (const QJsonValue &v : json)
        names.insert(v.toObject().value("publisher_name"_L1).toString());
    QCOMPARE(names, (QSet<QString>{u"boiler-7"_s, u"pump-2"_s}));
}

void TestLiveView::cleanupTestCase()
{
    m_page.reset();
    m_session.reset();
}

QTEST_MAIN(TestLiveView)
#include "tst_liveview.moc"
