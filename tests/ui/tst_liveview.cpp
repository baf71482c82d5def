#include "client/restclient.h"
#include "common.h"
#include "livechart.h"
#include "livepage.h"
#include "models/livefiltermodel.h"
#include "models/livemessagesmodel.h"
#include "models/session.h"
#include "models/subtopictreemodel.h"
#include "models/tokenstore.h"
#include "publishpanel.h"
#include "signedinsession.h"
#include "testbackend.h"

#include <QAction>
#include <QApplication>
#include <QCategoryAxis>
#include <QChart>
#include <QComboBox>
#include <QDateTimeAxis>
#include <QDateTimeEdit>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineEdit>
#include <QLineSeries>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSplitter>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>
#include <QTreeView>
#include <QLibraryInfo>
#include <QValueAxis>
#include <cmath>

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
    void publishPanelSendsAsAThing();
    void chartHasAxisPerUnitGapsAndRunsToNow();
    void historyRangeIsPagedAsTheUserScrolls();
    void heavyTrafficShowsRateAndTrimmedRows();
    void subtopicTreeFiltersTableAndChart();
    void chartMemoryStaysBounded();
    void historyLoadCanBeStopped();
    void sessionComesBack();
    void refusedMessagesAreRedRows();
    void cleanupTestCase();

private:
    void send(const QString &thingKey, double time, const QString &valueText);
    QList<QPointF> chartPoints(const QString &series) const;
    QStringList exportedLines(const QString &name);

    QTemporaryDir m_dir;
    QTranslator m_qtTranslator, m_appTranslator;
    bool m_english = true; // MF_LANG=de (the German screenshots) skips the checks of English wording
    std::unique_ptr<mf::testing::TestBackend> m_backend;
    std::unique_ptr<mf::ui::TokenStore> m_tokens;
    std::unique_ptr<Session> m_session;
    std::unique_ptr<mf::ui::LivePage> m_page;
    LiveChannelView *m_view = nullptr;
    mf::Thing m_boiler, m_pump;
    QString m_channel;
    int m_sent = 0;
    int m_refused = 0; // refused by the adapters: red rows, live from the event stream and in every history load
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
    return m_view->liveChart()->points(series);
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
    const QString language = qEnvironmentVariable("MF_LANG");
    if (language.isEmpty() || language.startsWith(u"en"_s)) {
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    } else {
        // What the app does with the language setting (app/gui/main.cpp).
        m_english = false;
        const QLocale locale(language);
        QLocale::setDefault(locale);
        if (m_qtTranslator.load(locale, u"qtbase"_s, u"_"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
            QCoreApplication::installTranslator(&m_qtTranslator);
        QVERIFY(m_appTranslator.load(locale, u"mainflux"_s, u"_"_s, u":/i18n"_s));
        QCoreApplication::installTranslator(&m_appTranslator);
    }
    m_backend = std::make_unique<mf::testing::TestBackend>();
    QVERIFY2(m_backend->isRunning(), qPrintable(m_backend->startError()));
    mf::testing::openSignedInSession(*m_backend, m_dir.filePath(u"config"_s), u"live"_s, u"op@example.com"_s, m_tokens,
                                     m_session);
    if (QTest::currentTestFailed()) return;

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
        send(i % 2 ? m_pump.key : m_boiler.key, now - 600 + i * 30, u"%1.1"_s.arg(60 + i));
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
        send(i % 2 ? m_pump.key : m_boiler.key, now - 600 + i * 30, u"%1.1"_s.arg(60 + i));
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
    for (int i = 0; i < 14; ++i)
        QVERIFY2(values.contains(u"%1.1"_s.arg(60 + i)), qPrintable(values.join(u' '))); // 70.1, not 70.099999999999994
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

void TestLiveView::publishPanelSendsAsAThing()
{
    // "Send…": choose a connected thing (by name; its key is never shown), a subtopic, the SenML template; the
    // message arrives in the table as published by that thing.
    m_view->publishAction()->trigger();
    mf::ui::PublishPanel *panel = m_view->publishPanel();
    QVERIFY(panel->isVisible());
    QTRY_COMPARE(panel->thingBox()->count(), 2);
    for (int i = 0; i < panel->thingBox()->count(); ++i) {
        QVERIFY(!panel->thingBox()->itemText(i).contains(m_boiler.key));
        QVERIFY(!panel->thingBox()->itemText(i).contains(m_pump.key));
    }
    QVERIFY(!panel->sendButton()->isEnabled());
    QVERIFY(!panel->hintText().isEmpty()); // says why
    panel->thingBox()->setCurrentIndex(panel->thingBox()->findText(u"pump-2"_s));
    QVERIFY(!panel->sendButton()->isEnabled()); // no payload yet
    QTest::keyClicks(panel->payloadEdit(), u"[{\"n\": \"x\", \"v\": }]"_s);
    QVERIFY(!panel->sendButton()->isEnabled()); // not JSON
    if (m_english)
        QVERIFY2(panel->hintText().contains(u"JSON"_s), qPrintable(panel->hintText()));
    panel->fillSenmlTemplate();
    QVERIFY(panel->payloadEdit()->toPlainText().contains(u"pump-2:"_s));
    QTest::keyClicks(panel->subtopicEdit(), u"room1/test"_s);
    QVERIFY(panel->sendButton()->isEnabled());
    QVERIFY(panel->hintText().isEmpty());
    QTest::mouseClick(panel->sendButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!panel->resultText().isEmpty(), 5000);
    QVERIFY2(panel->resultText().contains(u"pump-2"_s), qPrintable(panel->resultText()));
    // The result appears above Send, so a result of two lines does not move the button from under the pointer.
    QLabel *result = nullptr;
    for (QLabel *label : panel->findChildren<QLabel *>())
        if (label->text() == panel->resultText()) result = label;
    QVERIFY(result);
    QVERIFY(result->geometry().bottom() < panel->sendButton()->geometry().top());
    ++m_sent;
    QTRY_COMPARE_WITH_TIMEOUT(m_view->model()->rowCount(), m_sent, 5000);
    const QAbstractItemModel *table = m_view->tableView()->model();
    QCOMPARE(table->index(0, LiveMessagesModel::NameColumn).data().toString(), u"pump-2:temp"_s);
    QCOMPARE(table->index(0, LiveMessagesModel::PublisherColumn).data().toString(), u"pump-2"_s);
    QCOMPARE(table->index(0, LiveMessagesModel::ProtocolColumn).data().toString(), u"http"_s);
    QCOMPARE(table->index(0, LiveMessagesModel::SubtopicColumn).data().toString(), u"room1.test"_s);
    // The same over WebSocket, MQTT and CoAP: chosen in the panel, arriving through that adapter.
    for (const QString &protocol : {u"ws"_s, u"mqtt"_s, u"coap"_s}) {
        panel->protocolBox()->setCurrentIndex(panel->protocolBox()->findData(protocol));
        QVERIFY(panel->sendButton()->text().contains(panel->protocolBox()->currentText()));
        QVERIFY2(panel->sendButton()->isEnabled(), qPrintable(panel->hintText()));
        QTest::mouseClick(panel->sendButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!panel->resultText().isEmpty(), 10000);
        if (m_english)
            QVERIFY2(panel->resultText().startsWith(u"Sent over"_s), qPrintable(panel->resultText()));
        ++m_sent;
        QTRY_COMPARE_WITH_TIMEOUT(m_view->model()->rowCount(), m_sent, 10000);
        QCOMPARE(table->index(0, LiveMessagesModel::ProtocolColumn).data().toString(), protocol);
        QCOMPARE(table->index(0, LiveMessagesModel::PublisherColumn).data().toString(), u"pump-2"_s);
        QCOMPARE(table->index(0, LiveMessagesModel::SubtopicColumn).data().toString(), u"room1.test"_s);
    }
    // A payload the adapter refuses comes back with its reason, over WebSocket as over HTTP.
    panel->protocolBox()->setCurrentIndex(panel->protocolBox()->findData(u"ws"_s));
    panel->payloadEdit()->setPlainText(u"[{\"n\": \"x\", \"v\": \"not a number\"}]"_s);
    QTest::mouseClick(panel->sendButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!panel->resultText().isEmpty(), 10000);
    if (m_english)
        QVERIFY2(panel->resultText().startsWith(u"Not sent over WebSocket"_s), qPrintable(panel->resultText()));
    // Over CoAP the adapter's 4.00 and its diagnostic come back.
    panel->protocolBox()->setCurrentIndex(panel->protocolBox()->findData(u"coap"_s));
    QTest::mouseClick(panel->sendButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!panel->resultText().isEmpty(), 10000);
    if (m_english) QVERIFY2(panel->resultText().startsWith(u"Not sent over CoAP"_s), qPrintable(panel->resultText()));
    QVERIFY2(panel->resultText().contains(u"4.00"_s), qPrintable(panel->resultText()));
    // Both refusals arrive as red rows as they happen, from the user's event stream (no history load).
    m_refused = 2;
    QTRY_COMPARE_WITH_TIMEOUT(m_view->model()->rowCount(), m_sent + m_refused, 5000);
    const auto newest = table->index(0, 0).data(LiveMessagesModel::RecordRole).value<mf::client::LiveRecord>();
    QVERIFY2(newest.refusal.startsWith(u"invalid SenML"_s), qPrintable(newest.refusal));
    QCOMPARE(newest.protocol, u"coap"_s);
    QCOMPARE(table->index(0, LiveMessagesModel::PublisherColumn).data().toString(), u"pump-2"_s);
    QCOMPARE(m_session->client()->refusalsOfChannel(m_channel).wait()->value("total"_L1).toInt(), m_refused);
    panel->protocolBox()->setCurrentIndex(panel->protocolBox()->findData(u"http"_s));
    panel->fillSenmlTemplate();

    const QString dir = qEnvironmentVariable("MF_SCREENSHOT_DIR");
    if (!dir.isEmpty()) {
        QDir().mkpath(dir);
        QTest::qWait(150);
        QVERIFY(m_page->grab().save(QDir(dir).filePath(u"live-publish.png"_s)));
    }
    m_view->publishAction()->trigger();
    QVERIFY(!panel->isVisible());
}

void TestLiveView::chartHasAxisPerUnitGapsAndRunsToNow()
{
    // A second channel: temperature (°C, around 70) and pressure (bar, around 1.5) from one device, a reading every
    // 5 s for a minute, then silence for two minutes, then another minute of readings.
    mf::client::RestClient *client = m_session->client();
    auto channel = client->createChannel(QJsonObject{{u"name"_s, u"pressure-room"_s}}).wait();
    QVERIFY(channel.has_value());
    QVERIFY(client->connectMany({channel->id}, {m_boiler.id}).wait().has_value());
    LiveChannelView *view = m_page->watch(channel->id);
    QTRY_COMPARE_WITH_TIMEOUT(view->source(), LiveChannelView::Source::Stream, 10000);
    const double start = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0 - 280;
    QJsonArray senml;
    int sent = 0;
    for (int i = 0; i < 48; ++i) {
        if (i >= 12 && i < 36) continue; // two minutes without data
        const double t = start + i * 5;
        senml.append(QJsonObject{{u"bn"_s, u"boiler:"_s}, {u"bt"_s, t}, {u"n"_s, u"temp"_s}, {u"u"_s, u"Cel"_s},
                                 {u"v"_s, 70.0 + (i % 5) * 0.4}});
        senml.append(QJsonObject{{u"n"_s, u"pressure"_s}, {u"u"_s, u"bar"_s}, {u"v"_s, 1.5 + (i % 3) * 0.05}});
        ++sent;
    }
    QVERIFY(client->sendMessage(channel->id, {}, u"application/senml+json"_s,
                                QJsonDocument(senml).toJson(QJsonDocument::Compact), m_boiler.key)
                .wait()
                .has_value());
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 2 * sent, 10000);
    mf::ui::LiveChart *chart = view->liveChart();
    QCOMPARE(chart->points(u"boiler:temp"_s).size(), sent);

    // One axis per unit, each with round ticks: pressure is not a flat line on the temperature's scale.
    QValueAxis *celsius = chart->valueAxis(u"boiler:temp"_s);
    QValueAxis *bar = chart->valueAxis(u"boiler:pressure"_s);
    QVERIFY(celsius && bar && celsius != bar);
    QCOMPARE(chart->valueAxes().size(), 2);
    QCOMPARE(bar->titleText(), u"bar"_s);
    QVERIFY(bar->max() - bar->min() < 1.0); // spans the pressure, not 0…72
    QVERIFY(bar->min() <= 1.5 && bar->max() >= 1.6);
    QVERIFY(celsius->min() <= 70.0 && celsius->max() >= 71.6);
    for (QValueAxis *axis : {celsius, bar}) {
        const double step = (axis->max() - axis->min()) / (axis->tickCount() - 1);
        const double magnitude = std::pow(10.0, std::floor(std::log10(step)));
        const double mantissa = step / magnitude;
        QVERIFY2(qFuzzyCompare(mantissa, 1.0) || qFuzzyCompare(mantissa, 2.0) || qFuzzyCompare(mantissa, 2.5) ||
                     qFuzzyCompare(mantissa, 5.0) || qFuzzyCompare(mantissa, 10.0),
                 qPrintable(u"step %1"_s.arg(step)));
        const double ticks = axis->min() / step;
        QVERIFY2(std::abs(ticks - std::round(ticks)) < 1e-6, qPrintable(u"min %1"_s.arg(axis->min())));
    }
    // The two silent minutes are a gap: two drawn segments per line.
    QCOMPARE(chart->segmentCount(u"boiler:temp"_s), 2);
    QCOMPARE(chart->segmentCount(u"boiler:pressure"_s), 2);
    // While following, the time axis runs to now (past the last reading), so silence would show.
    QVERIFY(view->isFollowing());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QVERIFY(chart->timeAxis()->max().toMSecsSinceEpoch() >= now);
    QVERIFY(chart->timeAxis()->min().toMSecsSinceEpoch() <= qint64(start * 1000));
    // Its labels sit on round minutes of the local clock (12:03, 12:04 …), whatever the range's ends.
    QCategoryAxis *ticks = chart->timeTicks();
    QCOMPARE(chart->timeTickStep(), 60'000);
    QVERIFY2(ticks->count() >= 4, qPrintable(ticks->categoriesLabels().join(u' ')));
    const qint64 offset = qint64(QDateTime::currentDateTime().offsetFromUtc()) * 1000;
    for (const QString &label : ticks->categoriesLabels()) {
        const qint64 at = qint64(ticks->endValue(label));
        QCOMPARE((at + offset) % 60'000, 0);
        QCOMPARE(label, QDateTime::fromMSecsSinceEpoch(at).toString(u"HH:mm"_s));
        QVERIFY(at >= chart->timeAxis()->min().toMSecsSinceEpoch() &&
                at <= chart->timeAxis()->max().toMSecsSinceEpoch());
    }
    // Legend: hiding a line hides all its segments.
    QLegendMarker *marker = chart->chart()->legend()->markers().first();
    const QString name = marker->series()->objectName();
    QVERIFY(chart->isLineVisible(name));
    marker->clicked();
    QVERIFY(!chart->isLineVisible(name));
    for (QAbstractSeries *series : chart->chart()->series())
        if (series->objectName() == name) QVERIFY(!series->isVisible());
    marker->clicked();
    QVERIFY(chart->isLineVisible(name));

    // One legend entry per line, whatever its segments.
    int entries = 0;
    for (QLegendMarker *m : chart->chart()->legend()->markers())
        entries += m->isVisible();
    QCOMPARE(entries, 2);

    const QString dir = qEnvironmentVariable("MF_SCREENSHOT_DIR");
    if (!dir.isEmpty()) {
        QDir().mkpath(dir);
        m_page->resize(1100, 800);
        view->splitter()->setSizes({260, 440});
        QTest::qWait(150);
        QVERIFY(m_page->grab().save(QDir(dir).filePath(u"live-chart.png"_s)));
        m_page->resize(1100, 700);
    }
    m_page->tabs()->tabCloseRequested(m_page->tabs()->indexOf(view));
}

void TestLiveView::historyRangeIsPagedAsTheUserScrolls()
{
    // An archive channel: 30 readings a minute apart two hours ago, and 3 more a day ago (outside the range).
    mf::client::RestClient *client = m_session->client();
    auto channel = client->createChannel(QJsonObject{{u"name"_s, u"archive"_s}}).wait();
    QVERIFY(channel.has_value());
    QVERIFY(client->connectMany({channel->id}, {m_boiler.id}).wait().has_value());
    const qint64 start = QDateTime::currentSecsSinceEpoch() - 7200;
    QJsonArray senml;
    for (int i = 0; i < 30; ++i)
        senml.append(
            QJsonObject{{u"n"_s, u"level"_s}, {u"u"_s, u"%"_s}, {u"t"_s, double(start + i * 60)}, {u"v"_s, 10.0 + i}});
    for (int i = 0; i < 3; ++i)
        senml.append(QJsonObject{
            {u"n"_s, u"level"_s}, {u"u"_s, u"%"_s}, {u"t"_s, double(start - 86400 + i)}, {u"v"_s, 1.0 + i}});
    QVERIFY(client
                ->sendMessage(channel->id, {}, u"application/senml+json"_s,
                              QJsonDocument(senml).toJson(QJsonDocument::Compact), m_boiler.key)
                .wait()
                .has_value());
    QTRY_COMPARE_WITH_TIMEOUT(
        client->readMessages(channel->id, {}, {mf::client::Credential::Kind::UserToken, client->token()})
            .wait()
            ->value("total"_L1)
            .toInt(),
        33, 15000);

    LiveChannelView *view = m_page->watch(channel->id);
    view->splitter()->setSizes({90, 600}); // a short table: a page of 10 rows needs scrolling
    QTRY_COMPARE_WITH_TIMEOUT(view->source(), LiveChannelView::Source::Stream, 10000);
    QCOMPARE(view->model()->rowCount(), 0); // nothing in the last hour
    view->setHistoryPageSize(10);

    // "Range…": the from–to pickers appear; a range that ends before it starts is refused with a reason.
    QComboBox *history = view->historyBox();
    QVERIFY(!view->historyFromEdit()->isVisible());
    history->setCurrentIndex(history->findData(LiveChannelView::HistoryRange));
    QVERIFY(view->historyFromEdit()->isVisible() && view->historyToEdit()->isVisible());
    view->historyFromEdit()->setDateTime(QDateTime::fromSecsSinceEpoch(start + 3600));
    view->historyToEdit()->setDateTime(QDateTime::fromSecsSinceEpoch(start));
    view->loadHistory();
    auto *banner = view->findChild<mf::ui::Banner *>();
    QVERIFY(banner && banner->isVisible());
    if (m_english)
        QVERIFY2(banner->text().contains(u"starts after it ends"_s), qPrintable(banner->text()));
    // Refused before any request: no rows now, and the valid range below (which adds to the table without
    // clearing it) finds exactly its own 10, so none came from the refused one.
    QCOMPARE(view->model()->rowCount(), 0);

    // From the first reading to now: the newest page of 10 first, older pages as the table is scrolled to its end.
    view->historyFromEdit()->setDateTime(QDateTime::fromSecsSinceEpoch(start));
    view->historyToEdit()->setDateTime(QDateTime::currentDateTime());
    QSignalSpy loaded(view, &LiveChannelView::historyLoaded);
    view->loadHistory();
    QVERIFY(loaded.wait(10000));
    QVERIFY(!banner->isVisible());
    QCOMPARE(view->model()->rowCount(), 10);
    if (m_english)
        QVERIFY2(view->historyText().contains(u"10 of 30"_s), qPrintable(view->historyText()));
    // The chart shows the range, not the last minutes.
    QVERIFY(!view->isFollowing());
    QCOMPARE(view->liveChart()->timeAxis()->min().toSecsSinceEpoch(), start);
    QVERIFY(view->liveChart()->timeAxis()->max() >= view->historyToEdit()->dateTime());
    QCOMPARE(view->model()->records().constFirst().value.toDouble(), 39.0); // the newest
    for (int page = 2; page <= 3; ++page) {
        view->tableView()->scrollToBottom();
        QVERIFY(loaded.wait(10000));
        QCOMPARE(view->model()->rowCount(), page * 10);
    }
    if (m_english)
        QVERIFY2(view->historyText().contains(u"all 30"_s), qPrintable(view->historyText()));
    QVERIFY(!view->loadOlderHistory()); // the range is exhausted: no more requests
    // Only the range: the day-old readings stay out; oldest at the bottom; export is exactly the table.
    const QList<mf::client::LiveRecord> held = view->model()->records();
    QCOMPARE(held.constLast().value.toDouble(), 10.0);
    for (const mf::client::LiveRecord &r : held)
        QVERIFY(r.time >= double(start));
    const QString path = m_dir.filePath(u"range.csv"_s);
    view->exportMessages(path);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll().count("\r\n"), 31);
    // The range comes back with the tab.
    const QJsonObject state = view->viewState();
    QCOMPARE(state.value("history"_L1).toInt(), LiveChannelView::HistoryRange);
    QCOMPARE(QDateTime::fromString(state.value("historyFrom"_L1).toString(), Qt::ISODate).toSecsSinceEpoch(), start);

    const QString dir = qEnvironmentVariable("MF_SCREENSHOT_DIR");
    if (!dir.isEmpty()) {
        QDir().mkpath(dir);
        view->splitter()->setSizes({300, 400});
        QTest::qWait(150);
        QVERIFY(m_page->grab().save(QDir(dir).filePath(u"live-range.png"_s)));
    }
    m_page->tabs()->tabCloseRequested(m_page->tabs()->indexOf(view));
}

void TestLiveView::heavyTrafficShowsRateAndTrimmedRows()
{
    // A table of 10 rows fed 24 messages over HTTP, a tenth of a second apart: it keeps the newest 10, and the line
    // above it says how fast records came and how many left the table.
    mf::client::RestClient *client = m_session->client();
    auto channel = client->createChannel(QJsonObject{{u"name"_s, u"busy"_s}}).wait();
    QVERIFY(channel.has_value());
    QVERIFY(client->connectMany({channel->id}, {m_boiler.id}).wait().has_value());
    LiveChannelView *view = m_page->watch(channel->id);
    QTRY_COMPARE_WITH_TIMEOUT(view->source(), LiveChannelView::Source::Stream, 10000);
    view->model()->setCapacity(10);
    auto *traffic = view->findChild<QLabel *>(u"liveTraffic"_s);
    QVERIFY(traffic);
    bool rateShown = false;
    const double now = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
    for (int i = 0; i < 24; ++i) {
        const QByteArray senml =
            u"[{\"n\":\"flow\",\"u\":\"l/min\",\"t\":%1,\"v\":%2}]"_s.arg(now + i * 0.1, 0, 'f', 3).arg(i).toUtf8();
        QVERIFY(
            client->sendMessage(channel->id, {}, u"application/senml+json"_s, senml, m_boiler.key).wait().has_value());
        QTest::qWait(100);
        rateShown = rateShown || view->receiveRate() > 0;
    }
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->receivedCount(), 24, 10000);
    QTRY_COMPARE(view->model()->trimmedCount() + view->model()->droppedCount(), 14);
    QCOMPARE(view->model()->rowCount(), 10);
    QCOMPARE(view->model()->records().constFirst().value.toDouble(), 23.0);
    QVERIFY(rateShown);
    QVERIFY(!view->subtopicTree()->isVisible()); // no subtopics: the table keeps the room
    if (m_english)
        QTRY_VERIFY2(traffic->text().contains(u"10 rows"_s), qPrintable(traffic->text()));
    if (m_english)
        QVERIFY2(traffic->text().contains(u"records/s"_s), qPrintable(traffic->text()));
    if (m_english)
        QVERIFY2(traffic->text().contains(u"trimmed"_s) || traffic->text().contains(u"not shown"_s),
             qPrintable(traffic->text()));
    m_page->tabs()->tabCloseRequested(m_page->tabs()->indexOf(view));
}

void TestLiveView::subtopicTreeFiltersTableAndChart()
{
    // Readings on four subtopics; the tree shows them with counts and last values, and choosing a node shows only
    // that subtopic and what is below it, in the table and the chart.
    mf::client::RestClient *client = m_session->client();
    auto channel = client->createChannel(QJsonObject{{u"name"_s, u"sites"_s}}).wait();
    QVERIFY(channel.has_value());
    QVERIFY(client->connectMany({channel->id}, {m_boiler.id}).wait().has_value());
    LiveChannelView *view = m_page->watch(channel->id);
    QTRY_COMPARE_WITH_TIMEOUT(view->source(), LiveChannelView::Source::Stream, 10000);
    const QStringList subtopics{u"room1"_s, u"room1/boiler"_s, u"room1/boiler"_s, u"room10"_s, u"room2"_s};
    const double now = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
    for (int i = 0; i < subtopics.size(); ++i) {
        const QByteArray senml =
            u"[{\"n\":\"temp\",\"u\":\"Cel\",\"t\":%1,\"v\":%2}]"_s.arg(now - 10 + i, 0, 'f', 3).arg(20 + i).toUtf8();
        QVERIFY(client->sendMessage(channel->id, subtopics[i], u"application/senml+json"_s, senml, m_boiler.key)
                    .wait()
                    .has_value());
    }
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 5, 10000);
    mf::ui::SubtopicTreeModel *tree = view->subtopics();
    QVERIFY(view->subtopicTree()->isVisible());
    QCOMPARE(tree->count({}), 5);
    QCOMPARE(tree->count(u"room1"_s), 3);
    QCOMPARE(tree->count(u"room1/boiler"_s), 2);
    QCOMPARE(
        tree->indexOf(u"room1/boiler"_s).siblingAtColumn(mf::ui::SubtopicTreeModel::LastValueColumn).data().toString(),
        u"temp = 22 Cel"_s);
    QVERIFY(view->subtopicTree()->isExpanded(tree->indexOf(u"room1"_s)));

    // A click on "room1": room1 and room1/boiler, not room10.
    QTreeView *treeView = view->subtopicTree();
    const QRect room1 = treeView->visualRect(tree->indexOf(u"room1"_s));
    QVERIFY(room1.isValid());
    QTest::mouseClick(treeView->viewport(), Qt::LeftButton, {}, room1.center());
    QCOMPARE(view->tableView()->model()->rowCount(), 3);
    QCOMPARE(view->liveChart()->points(u"temp"_s).size(), 3);
    for (int row = 0; row < 3; ++row)
        QVERIFY(view->tableView()
                    ->model()
                    ->index(row, LiveMessagesModel::SubtopicColumn)
                    .data()
                    .toString()
                    .startsWith(u"room1."_s) ||
                view->tableView()->model()->index(row, LiveMessagesModel::SubtopicColumn).data().toString() ==
                    u"room1"_s);
    view->selectSubtopic(u"room2"_s);
    QCOMPARE(view->tableView()->model()->rowCount(), 1);
    QCOMPARE(view->liveChart()->points(u"temp"_s).size(), 1);
    // A new reading below the chosen node shows up; one elsewhere is counted in the tree only.
    view->selectSubtopic(u"room1"_s);
    for (const QString &subtopic : {u"room1/pump"_s, u"room3"_s})
        QVERIFY(client
                    ->sendMessage(channel->id, subtopic, u"application/senml+json"_s,
                                  u"[{\"n\":\"temp\",\"u\":\"Cel\",\"v\":30}]"_s.toUtf8(), m_boiler.key)
                    .wait()
                    .has_value());
    QTRY_COMPARE_WITH_TIMEOUT(tree->count({}), 7, 10000);
    QCOMPARE(tree->count(u"room1/pump"_s), 1);
    QCOMPARE(view->tableView()->model()->rowCount(), 4);
    QCOMPARE(view->liveChart()->points(u"temp"_s).size(), 4);
    view->selectSubtopic({});
    QCOMPARE(view->tableView()->model()->rowCount(), 7);

    const QString dir = qEnvironmentVariable("MF_SCREENSHOT_DIR");
    if (!dir.isEmpty()) {
        view->selectSubtopic(u"room1"_s);
        QDir().mkpath(dir);
        QTest::qWait(150);
        QVERIFY(m_page->grab().save(QDir(dir).filePath(u"live-tree.png"_s)));
    }

    // The chosen node comes back with the session: a second page (as after a restart) filters to it at once and
    // selects it in the tree when the history brings it back.
    view->selectSubtopic(u"room1"_s);
    QJsonObject state = m_page->sessionState();
    QJsonArray tabs;
    for (const QJsonValue &tab : state.value("tabs"_L1).toArray())
        if (tab.toObject().value("channel"_L1).toString() == channel->id) tabs.append(tab);
    QCOMPARE(tabs.size(), 1);
    QCOMPARE(tabs.first().toObject().value("subtopic"_L1).toString(), u"room1"_s);
    state.insert(u"tabs"_s, tabs);
    m_page->tabs()->tabCloseRequested(m_page->tabs()->indexOf(view));
    {
        mf::ui::LivePage again(m_session.get());
        again.resize(1100, 700);
        again.show();
        again.restoreSession(state);
        again.sessionReady();
        QTRY_COMPARE_WITH_TIMEOUT(again.viewCount(), 1, 5000);
        LiveChannelView *restored = again.currentView();
        QCOMPARE(restored->selectedSubtopic(), u"room1"_s);
        QTRY_COMPARE_WITH_TIMEOUT(restored->model()->rowCount(), 7, 10000); // all of it held, room1 and below shown
        QCOMPARE(restored->tableView()->model()->rowCount(), 4);
        QCOMPARE(restored->liveChart()->points(u"temp"_s).size(), 4);
        QTRY_COMPARE(restored->subtopicTree()->currentIndex().data(mf::ui::SubtopicTreeModel::PathRole).toString(),
                     u"room1"_s);
        QVERIFY(restored->subtopicTree()->isVisible());
        // Clear keeps the filter and selects the node again when it comes back.
        restored->model()->clear();
        restored->subtopics()->clear();
        QCOMPARE(restored->selectedSubtopic(), u"room1"_s);
        QVERIFY(client
                    ->sendMessage(channel->id, u"room1/pump"_s, u"application/senml+json"_s,
                                  u"[{\"n\":\"temp\",\"u\":\"Cel\",\"v\":31}]"_s.toUtf8(), m_boiler.key)
                    .wait()
                    .has_value());
        QTRY_COMPARE_WITH_TIMEOUT(restored->tableView()->model()->rowCount(), 1, 10000);
        QTRY_COMPARE(restored->subtopicTree()->currentIndex().data(mf::ui::SubtopicTreeModel::PathRole).toString(),
                     u"room1"_s);
        // Choosing "all" is saved as all.
        restored->selectSubtopic({});
        QCOMPARE(restored->viewState().value("subtopic"_L1).toString(), QString());
    }
}

void TestLiveView::chartMemoryStaysBounded()
{
    // Hours of traffic in fast-forward: 300 batches of 50 readings. A line keeps its newest 2,000 points, and the
    // memory behind them stays about that size (a QList shared with the drawn series grew to 262,143 points).
    mf::ui::LiveChart chart;
    const double start = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0 - 3600;
    for (int batch = 0; batch < 300; ++batch) {
        QList<mf::client::LiveRecord> records;
        for (int i = 0; i < 50; ++i) {
            mf::client::LiveRecord r;
            r.name = u"flow"_s;
            r.unit = u"l/min"_s;
            r.value = double(i);
            r.time = start + (batch * 50 + i) * 0.2;
            records.append(r);
        }
        chart.append(records);
    }
    const QList<QPointF> points = chart.points(u"flow"_s); // shares the line's buffer
    QCOMPARE(points.size(), mf::ui::LiveChart::MaxPointsPerLine);
    QVERIFY2(points.capacity() <= 2 * mf::ui::LiveChart::MaxPointsPerLine,
             qPrintable(QString::number(points.capacity())));
    QCOMPARE(points.constLast().x(), (start + (300 * 50 - 1) * 0.2) * 1000.0);
}

void TestLiveView::historyLoadCanBeStopped()
{
    // Stop beside the progress: the answer on its way is dropped when it comes, the table stays as it was, and the
    // line says the load stopped. A newer range supersedes an older one: only the newer one's rows arrive.
    QList<double> times;
    for (const mf::client::LiveRecord &r : m_view->model()->records())
        times.append(r.time);
    std::sort(times.begin(), times.end());
    QVERIFY(times.size() >= 3);
    const double first = times.constFirst(); // the first three are 30 s apart, the next 30 s later
    QAction *clear = nullptr;
    for (QAction *action : m_view->findChildren<QAction *>())
        if (action->objectName() == u"liveClear"_s) clear = action;
    QVERIFY(clear);
    clear->trigger(); // table, chart and tree empty
    QVERIFY(chartPoints(u"boiler:temp"_s).isEmpty());
    QSignalSpy discarded(m_view, &LiveChannelView::historyDiscarded);
    QSignalSpy loaded(m_view, &LiveChannelView::historyLoaded);

    m_view->historyBox()->setCurrentIndex(m_view->historyBox()->findData(3600));
    m_view->loadHistory();
    QVERIFY(m_view->isLoadingHistory());
    QVERIFY(m_view->stopHistoryAction()->isVisible());
    if (const QString dir = qEnvironmentVariable("MF_SCREENSHOT_DIR"); !dir.isEmpty()) {
        QDir().mkpath(dir);
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest); // not the reply: it must stay in flight
        QVERIFY(m_page->grab().save(QDir(dir).filePath(u"live-history-stop.png"_s)));
    }
    m_view->stopHistoryAction()->trigger();
    QVERIFY(!m_view->isLoadingHistory());
    QVERIFY(!m_view->stopHistoryAction()->isVisible());
    if (m_english)
        QVERIFY2(m_view->historyText().contains(u"stopped"_s), qPrintable(m_view->historyText()));
    QTRY_COMPARE_WITH_TIMEOUT(discarded.count(), 1, 10000); // the server's answer came, and was dropped
    QCOMPARE(loaded.count(), 0);
    QCOMPARE(m_view->model()->rowCount(), 0);
    QVERIFY(!m_view->loadOlderHistory()); // scrolling does not resume a stopped load

    // "last 1 h" asked, then at once a from–to range holding the first three messages: only those three arrive.
    m_view->loadHistory();
    m_view->historyFromEdit()->setDateTime(QDateTime::fromMSecsSinceEpoch(qint64(std::floor(first) - 1) * 1000));
    m_view->historyToEdit()->setDateTime(QDateTime::fromMSecsSinceEpoch(qint64(std::floor(first) + 65) * 1000));
    m_view->historyBox()->setCurrentIndex(m_view->historyBox()->findData(LiveChannelView::HistoryRange));
    m_view->loadHistory();
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(discarded.count(), 2, 10000);
    QCOMPARE(m_view->model()->rowCount(), 3);
    QCOMPARE(chartPoints(u"boiler:temp"_s).size(), 3);
    if (m_english)
        QVERIFY2(m_view->historyText().contains(u"all 3"_s), qPrintable(m_view->historyText()));

    // Back to what the next test expects: the last 24 hours, everything sent.
    m_view->historyBox()->setCurrentIndex(m_view->historyBox()->findData(24 * 3600));
    m_view->loadHistory();
    QTRY_COMPARE_WITH_TIMEOUT(m_view->model()->rowCount(), m_sent + m_refused, 10000); // with the refused as red rows
}

void TestLiveView::sessionComesBack()
{
    // What the window saves at exit: the open tabs with their filters and history range; a second page (as after a
    // restart) reopens them once the channel list is loaded, without channels that no longer exist.
    QTest::keyClicks(m_view->publisherFilterEdit(), u"pump"_s);
    m_view->publishAction()->trigger(); // the send panel open, with what was last sent as pump-2
    QVERIFY(m_view->subtopicTree()->isVisible());
    m_view->outerSplitter()->setSizes({170, 600}); // the tree narrower, the table shorter than at first
    m_view->splitter()->setSizes({150, 450});
    QApplication::processEvents();
    const QList<int> treeSizes = m_view->outerSplitter()->sizes(), tableSizes = m_view->splitter()->sizes();
    const QByteArray layout = m_page->splitterState();
    QJsonObject state = m_page->sessionState();
    QVERIFY(!QJsonDocument(state).toJson().contains(m_pump.key.toUtf8())); // the key is never saved
    QJsonArray tabs = state.value("tabs"_L1).toArray();
    QCOMPARE(tabs.size(), 1);
    tabs.append(QJsonObject{{u"channel"_s, u"00000000-0000-0000-0000-000000000000"_s}, {u"history"_s, 900}});
    state.insert(u"tabs"_s, tabs);
    m_view->publisherFilterEdit()->clear();

    mf::ui::LivePage again(m_session.get());
    again.resize(1100, 700);
    again.show();
    again.restoreSplitterState(layout);
    again.restoreSession(state);
    again.sessionReady();
    QTRY_COMPARE_WITH_TIMEOUT(again.viewCount(), 1, 5000);
    LiveChannelView *view = again.currentView();
    QCOMPARE(view->channelId(), m_channel);
    QCOMPARE(view->publisherFilterEdit()->text(), u"pump"_s);
    QCOMPARE(view->historyBox()->currentData().toInt(), 24 * 3600);
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), m_sent + m_refused, 10000);
    // pump-2: 7 + HTTP, WS, MQTT, CoAP, and its two refused packs (WS, CoAP)
    QTRY_COMPARE_WITH_TIMEOUT(view->tableView()->model()->rowCount(), 11 + m_refused, 5000);
    QVERIFY(view->publishPanel()->isVisible());
    QCOMPARE(view->publishPanel()->subtopicEdit()->text(), u"room1/test"_s);
    QVERIFY(view->publishPanel()->payloadEdit()->toPlainText().contains(u"pump-2:"_s));
    QTRY_COMPARE(view->publishPanel()->thingBox()->currentText(), u"pump-2"_s); // once the things are listed
    QTRY_VERIFY(view->subtopicTree()->isVisible());
    QTRY_COMPARE(view->splitter()->sizes(), tableSizes); // the splitters where they were
    QTRY_COMPARE(view->outerSplitter()->sizes().value(0), treeSizes.value(0)); // the rest: what the send panel leaves
    again.tabs()->tabCloseRequested(0);
}

void TestLiveView::refusedMessagesAreRedRows()
{
    // A device developer opens the channel whose device "sends nothing": the refused pack is a red row saying why,
    // beside what was accepted; the chart, the subtopic tree and an export hold only what was accepted.
    mf::client::RestClient *client = m_session->client();
    auto channel = client->createChannel(QJsonObject{{u"name"_s, u"test-bench"_s}}).wait();
    QVERIFY(channel.has_value());
    QVERIFY(client->connectMany({channel->id}, {m_boiler.id}).wait().has_value());
    const double now = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
    for (int i : {0, 1}) {
        const QByteArray senml =
            u"[{\"n\":\"temp\",\"u\":\"Cel\",\"v\":%1,\"t\":%2}]"_s.arg(21 + i).arg(now - 60 + 30 * i, 0, 'f', 3).toUtf8();
        QVERIFY(client->sendMessage(channel->id, {}, u"application/senml+json"_s, senml, m_boiler.key).wait().has_value());
    }
    QVERIFY(!client
                 ->sendMessage(channel->id, {}, u"application/senml+json"_s, "[{\"n\":\"temp\",\"v\":\"hot\"}]",
                               m_boiler.key)
                 .wait()
                 .has_value());
    QTRY_VERIFY_WITH_TIMEOUT(client->refusalsOfChannel(channel->id).wait()->value("total"_L1).toInt() == 1, 5000);
    mf::client::MessageQuery query;
    QTRY_COMPARE_WITH_TIMEOUT(
        client->readMessages(channel->id, query, {mf::client::Credential::Kind::UserToken, client->token()})
            .wait()
            ->value("total"_L1)
            .toInt(),
        2, 15000);

    LiveChannelView *view = m_page->watch(channel->id);
    QVERIFY(view);
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 3, 10000);
    // The newest row is the refused pack, in red in every column, saying why, with the payload as its value.
    const auto cell = [view](int row, int column, int role = Qt::DisplayRole) {
        return view->model()->index(row, column).data(role);
    };
    const auto refused = cell(0, 0, LiveMessagesModel::RecordRole).value<mf::client::LiveRecord>();
    QVERIFY(!refused.refusal.isEmpty());
    QCOMPARE(cell(0, LiveMessagesModel::TimeColumn, Qt::ForegroundRole).value<QColor>(), QColor(0xc6, 0x28, 0x28));
    QCOMPARE(cell(0, LiveMessagesModel::ValueColumn, Qt::ForegroundRole).value<QColor>(), QColor(0xc6, 0x28, 0x28));
    QVERIFY2(cell(0, LiveMessagesModel::NameColumn).toString().contains(u"invalid SenML"_s),
             qPrintable(cell(0, LiveMessagesModel::NameColumn).toString()));
    QCOMPARE(cell(0, LiveMessagesModel::ValueColumn).toString(), u"[{\"n\":\"temp\",\"v\":\"hot\"}]"_s);
    QCOMPARE(cell(0, LiveMessagesModel::ProtocolColumn).toString(), u"http"_s);
    QCOMPARE(cell(0, LiveMessagesModel::PublisherColumn).toString(), u"boiler-7"_s);
    // The accepted rows are not red; the chart and the tree count only them; the export is of messages.
    QVERIFY(!cell(1, 0, Qt::ForegroundRole).isValid());
    QCOMPARE(view->liveChart()->points(u"temp"_s).size(), 2);
    QCOMPARE(view->subtopics()->count(QString()), 2);
    const QString path = m_dir.filePath(u"refused.csv"_s);
    view->exportMessages(path);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll().count('\n'), 3); // header + the accepted records
    const QString dir = qEnvironmentVariable("MF_SCREENSHOT_DIR");
    if (!dir.isEmpty()) {
        QDir().mkpath(dir);
        QTest::qWait(300);
        QVERIFY(m_page->grab().save(QDir(dir).filePath(u"live-refused.png"_s)));
    }
}

void TestLiveView::cleanupTestCase()
{
    m_page.reset();
    m_session.reset();
}

QTEST_MAIN(TestLiveView)
#include "tst_liveview.moc"
