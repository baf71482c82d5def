#include "models/livefiltermodel.h"
#include "models/livemessagesmodel.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using mf::client::LiveRecord;
using mf::ui::LiveFilterModel;
using mf::ui::LiveMessagesModel;

namespace {
QList<LiveRecord> records(int from, int count)
{
    QList<LiveRecord> out;
    for (int i = from; i < from + count; ++i) {
        LiveRecord r;
        r.publisher = u"thing-1"_s;
        r.protocol = u"http"_s;
        r.name = u"temp"_s;
        r.unit = u"Cel"_s;
        r.value = double(i);
        r.time = 1700000000.0 + i;
        out.append(r);
    }
    return out;
}
} // namespace

class TestLiveMessagesModel : public QObject
{
    Q_OBJECT

private slots:
    void newestOnTopAndBounded();
    void batchesUpdates();
    void pauseKeepsReceiving();
    void parsesStreamFrames();
    void csv();
    void filtersByNameAndPublisher();
};

void TestLiveMessagesModel::newestOnTopAndBounded()
{
    LiveMessagesModel model(100);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.append(records(0, 60));
    model.flush();
    QCOMPARE(model.rowCount(), 60);
    model.append(records(60, 70));
    model.flush();
    QCOMPARE(model.rowCount(), 100); // bounded
    QCOMPARE(model.index(0, LiveMessagesModel::ValueColumn)
                 .data(LiveMessagesModel::RecordRole)
                 .value<LiveRecord>()
                 .value.toDouble(),
             129.0);                                         // newest on top
    QCOMPARE(model.records().last().value.toDouble(), 30.0); // the 30 oldest fell off
    model.append(records(1000, 500));                        // more than the capacity in one batch
    model.flush();
    QCOMPARE(model.rowCount(), 100);
    QCOMPARE(model.records().first().value.toDouble(), 1499.0);
    QCOMPARE(model.records().last().value.toDouble(), 1400.0);
    QCOMPARE(model.receivedCount(), 630);
}

void TestLiveMessagesModel::batchesUpdates()
{
    LiveMessagesModel model(10000);
    model.setFlushInterval(100);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy batches(&model, &LiveMessagesModel::batchApplied);
    for (int i = 0; i < 1000; ++i)
        model.append(records(i, 1)); // a thousand messages, one by one
    QCOMPARE(model.rowCount(), 0);   // nothing reaches the view before the timer
    QTRY_COMPARE(model.rowCount(), 1000);
    QCOMPARE(inserted.count(), 1); // in one batch
    QCOMPARE(batches.count(), 1);
    QCOMPARE(batches.first().first().value<QList<LiveRecord>>().size(), 1000);
}

void TestLiveMessagesModel::pauseKeepsReceiving()
{
    LiveMessagesModel model(50);
    model.setFlushInterval(20);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.append(records(0, 5));
    QTRY_COMPARE(model.rowCount(), 5);
    model.setPaused(true);
    model.append(records(5, 80));
    QTest::qWait(100);
    QCOMPARE(model.rowCount(), 5);      // the view stands still
    QCOMPARE(model.pendingCount(), 50); // the queue is bounded too
    model.setPaused(false);
    QCOMPARE(model.rowCount(), 50);
    QCOMPARE(model.records().first().value.toDouble(), 84.0);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestLiveMessagesModel::parsesStreamFrames()
{
    QJsonArray recs;
    recs.append(QJsonObject{{u"name"_s, u"boiler:temp"_s}, {u"unit"_s, u"Cel"_s}, {u"value"_s, 71.5}});
    recs.append(QJsonObject{{u"name"_s, u"boiler:on"_s}, {u"bool_value"_s, true}, {u"time"_s, 1700000001.0}});
    QJsonObject frame{{u"channel"_s, u"c1"_s},
                      {u"publisher"_s, u"t1"_s},
                      {u"protocol"_s, u"mqtt"_s},
                      {u"subtopic"_s, u"room1"_s},
                      {u"time"_s, 1700000000.5}};
    frame.insert(u"records"_s, recs);
    const QList<LiveRecord> out = mf::client::recordsFromStreamFrame(frame);
    QCOMPARE(out.size(), 2);
    QCOMPARE(out[0].channel, u"c1"_s);
    QCOMPARE(out[0].subtopic, u"room1"_s);
    QCOMPARE(out[0].value.toDouble(), 71.5);
    QCOMPARE(out[0].time, 1700000000.5);
    QCOMPARE(out[1].value.toBool(), true);
    QCOMPARE(out[1].time, 1700000001.0);
    const QList<LiveRecord> raw = mf::client::recordsFromStreamFrame(QJsonObject{
        {u"publisher"_s, u"t1"_s}, {u"payload_base64"_s, QString::fromLatin1(QByteArray("hi").toBase64())}});
    QCOMPARE(raw.size(), 1);
    QCOMPARE(raw[0].value.toString(), u"hi"_s);
}

void TestLiveMessagesModel::csv()
{
    QList<LiveRecord> rs = records(0, 2);
    rs[1].subtopic = u"a,b"_s;
    const QByteArray csv = mf::ui::recordsToCsv(rs);
    const QList<QByteArray> lines = csv.split('\n');
    QCOMPARE(lines[0].trimmed(), QByteArray("time,channel,publisher,protocol,subtopic,name,value,unit"));
    QVERIFY(lines[1].startsWith("2023-11-14T22:13:20.000Z,,thing-1,http,,temp,0,Cel"));
    QVERIFY(lines[2].contains("\"a,b\""));
}

void TestLiveMessagesModel::filtersByNameAndPublisher()
{
    LiveMessagesModel model(1000);
    LiveFilterModel filter;
    filter.setSourceModel(&model);
    QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<LiveRecord> batch;
    for (int i = 0; i < 30; ++i) {
        LiveRecord r;
        r.publisher = i % 3 == 0 ? u"boiler-7"_s : u"pump-2"_s;
        r.protocol = u"mqtt"_s;
        r.name = i % 2 == 0 ? u"boiler:temp"_s : u"boiler:pressure"_s;
        r.value = double(i);
        r.time = 1000 + i;
        batch.append(r);
    }
    model.append(batch);
    model.flush();
    QCOMPARE(filter.rowCount(), 30);
    filter.setNameFilter(u"TEMP"_s); // case-insensitive substring
    QCOMPARE(filter.rowCount(), 15);
    filter.setPublisherFilter(u"boiler"_s); // i % 3 == 0 and even: 0, 6, 12, 18, 24
    QCOMPARE(filter.rowCount(), 5);
    for (int row = 0; row < filter.rowCount(); ++row) {
        const auto r = filter.index(row, 0).data(LiveMessagesModel::RecordRole).value<LiveRecord>();
        QCOMPARE(r.publisher, u"boiler-7"_s);
        QCOMPARE(r.name, u"boiler:temp"_s);
    }
    QVERIFY(filter.acceptsName(u"room:temp"_s));
    QVERIFY(!filter.acceptsName(u"boiler:pressure"_s));
    LiveRecord late;
    late.publisher = u"boiler-7"_s;
    late.name = u"boiler:temp"_s;
    late.value = 99.0;
    late.time = 2000;
    model.append({late}); // live rows that match appear, newest on top
    model.flush();
    QCOMPARE(filter.rowCount(), 6);
    QCOMPARE(filter.index(0, 0).data(LiveMessagesModel::RecordRole).value<LiveRecord>().value.toDouble(), 99.0);
    filter.setNameFilter({});
    filter.setPublisherFilter({});
    QCOMPARE(filter.rowCount(), 31);
}

QTEST_GUILESS_MAIN(TestLiveMessagesModel)
#include "tst_livemessagesmodel.moc"
