#include "models/livefiltermodel.h"
#include "models/livemessagesmodel.h"
#include "models/subtopictreemodel.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
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
    void mergesByIdentity();
    void publisherNames();
    void subtopicTree();
};

void TestLiveMessagesModel::subtopicTree()
{
    mf::ui::SubtopicTreeModel tree;
    QAbstractItemModelTester tester(&tree, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<LiveRecord> batch = records(0, 5);
    const QStringList subtopics{u"room1"_s, u"room1.boiler"_s, u"room1/boiler"_s, u"room10"_s, {}};
    for (int i = 0; i < batch.size(); ++i)
        batch[i].subtopic = subtopics[i];
    tree.add(batch);
    QCOMPARE(tree.rowCount(), 1); // the channel
    const QModelIndex channel = tree.index(0, 0);
    QCOMPARE(tree.rowCount(channel), 2); // room1, room10
    QCOMPARE(tree.count({}), 5);
    QCOMPARE(tree.count(u"room1"_s), 3); // itself and below, whichever separator
    QCOMPARE(tree.count(u"room1.boiler"_s), 2);
    QCOMPARE(tree.count(u"room10"_s), 1);
    QCOMPARE(tree.count(u"room2"_s), 0);
    const QModelIndex boiler = tree.indexOf(u"room1/boiler"_s);
    QCOMPARE(boiler.data().toString(), u"boiler"_s);
    QCOMPARE(boiler.data(mf::ui::SubtopicTreeModel::PathRole).toString(), u"room1.boiler"_s);
    QCOMPARE(boiler.siblingAtColumn(mf::ui::SubtopicTreeModel::LastValueColumn).data().toString(), u"temp = 2 Cel"_s);
    QCOMPARE(boiler.parent(), tree.indexOf(u"room1"_s));
    tree.clear();
    QCOMPARE(tree.rowCount(tree.index(0, 0)), 0);
    QCOMPARE(tree.count({}), 0);

    // The filter: a subtopic and what is below it, not its namesakes with a longer segment.
    LiveFilterModel filter;
    LiveMessagesModel model;
    model.append(batch);
    model.flush();
    filter.setSourceModel(&model);
    filter.setSubtopicFilter(u"room1"_s);
    QCOMPARE(filter.rowCount(), 3);
    filter.setSubtopicFilter(u"room1/boiler"_s);
    QCOMPARE(filter.rowCount(), 2);
    filter.setSubtopicFilter({});
    QCOMPARE(filter.rowCount(), 5);
}

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
    QCOMPARE(model.trimmedCount(), 30);                      // … and are counted
    QCOMPARE(model.droppedCount(), 0);
    model.append(records(1000, 500)); // more than the capacity in one batch
    model.flush();
    QCOMPARE(model.rowCount(), 100);
    QCOMPARE(model.records().first().value.toDouble(), 1499.0);
    QCOMPARE(model.records().last().value.toDouble(), 1400.0);
    QCOMPARE(model.receivedCount(), 630);
    QCOMPARE(model.trimmedCount(), 130); // the 100 shown before the big batch left the table
    QCOMPARE(model.droppedCount(), 400); // 400 of the batch never reached it
    // Everything received is shown, trimmed or dropped: nothing disappears uncounted.
    QCOMPARE(model.rowCount() + model.trimmedCount() + model.droppedCount(), model.receivedCount());
    model.setCapacity(40); // a smaller buffer trims at once, oldest first
    QCOMPARE(model.rowCount(), 40);
    QCOMPARE(model.records().last().value.toDouble(), 1460.0);
    QCOMPARE(model.trimmedCount(), 190);
    model.clear();
    QCOMPARE(model.trimmedCount() + model.droppedCount(), 0);
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
    model.flush();                      // what the timer does: while paused, it applies nothing
    QCOMPARE(model.rowCount(), 5);      // the view stands still
    QCOMPARE(model.pendingCount(), 50); // the queue is bounded too
    QCOMPARE(model.droppedCount(), 30); // and says what it let go
    model.setPaused(false);
    QCOMPARE(model.rowCount(), 50);
    QCOMPARE(model.trimmedCount(), 5);
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
    QCOMPARE(lines[0].trimmed(), QByteArray("time,channel,publisher,publisher_name,protocol,subtopic,name,value,unit"));
    QVERIFY(lines[1].startsWith("2023-11-14T22:13:20.000Z,,thing-1,,http,,temp,0,Cel"));
    QVERIFY(lines[2].contains("\"a,b\""));
    // Numbers as published (the shortest form that reads back the same), thing names beside ids.
    rs[0].value = 70.1;
    rs[1].value = 0.1 + 0.2;
    const QByteArray named = mf::ui::recordsToCsv(rs, {{u"thing-1"_s, u"boiler-7"_s}});
    QVERIFY2(named.split('\n')[1].startsWith("2023-11-14T22:13:20.000Z,,thing-1,boiler-7,http,,temp,70.1,Cel"),
             named.constData());
    QVERIFY2(named.contains(",0.30000000000000004,"), named.constData());
    const QJsonArray json = QJsonDocument::fromJson(mf::ui::recordsToJson(rs, {{u"thing-1"_s, u"boiler-7"_s}})).array();
    QCOMPARE(json.size(), 2);
    QCOMPARE(json[0].toObject().value("value"_L1).toDouble(), 70.1);
    QCOMPARE(json[0].toObject().value("publisher_name"_L1).toString(), u"boiler-7"_s);
    QVERIFY(mf::ui::recordsToJson(rs).contains("\"value\": 70.1\n"));
    // The table and the export show one time to the millisecond: a SenML time between two milliseconds is rounded
    // the same way in both (truncated in one, rounded in the other, 21:55:29.281 stood beside …29.282Z).
    QList<LiveRecord> between = records(0, 1);
    between[0].time = 1700000000.2815;
    LiveMessagesModel model(10);
    model.append(between);
    model.flush();
    const QString shown = model.index(0, LiveMessagesModel::TimeColumn).data().toString();
    QVERIFY2(shown.endsWith(u".282"_s), qPrintable(shown));
    const QByteArray exported = mf::ui::recordsToCsv(between);
    QVERIFY2(exported.contains("T22:13:20.282Z,"), exported.constData());
}

void TestLiveMessagesModel::mergesByIdentity()
{
    // The stream delivered the newest records; history of the same span arrives after: no record twice, the
    // table in time order; the same history again changes nothing.
    LiveMessagesModel model(1000);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.append(records(10, 4)); // live: 10..13
    model.flush();
    QList<LiveRecord> history = records(0, 14); // stored: 0..13, reader order reversed to oldest first
    model.append(history);
    model.flush();
    QCOMPARE(model.rowCount(), 14);
    const QList<LiveRecord> held = model.records();
    for (int i = 0; i < held.size(); ++i)
        QCOMPARE(held[i].value.toDouble(), double(13 - i)); // newest first, each once
    model.append(history);
    model.append(history);
    model.flush();
    QCOMPARE(model.rowCount(), 14);
    // Same time and name but another value or publisher: another record.
    LiveRecord other = history[3];
    other.value = 99.0;
    model.append({other});
    model.flush();
    QCOMPARE(model.rowCount(), 15);
    // A record that fell off the buffer may come back (it is no longer held).
    LiveMessagesModel small(5);
    small.append(records(0, 10));
    small.flush();
    QCOMPARE(small.rowCount(), 5);
    small.append(records(5, 5));
    small.flush();
    QCOMPARE(small.rowCount(), 5);
    small.clear();
    small.append(records(0, 3));
    small.flush();
    QCOMPARE(small.rowCount(), 3);
}

void TestLiveMessagesModel::publisherNames()
{
    LiveMessagesModel model(100);
    LiveFilterModel filter;
    filter.setSourceModel(&model);
    QSignalSpy unknown(&model, &LiveMessagesModel::unknownPublisher);
    model.append(records(0, 3));
    model.flush();
    QCOMPARE(unknown.count(), 1); // once per batch and id
    QCOMPARE(unknown.at(0).at(0).toString(), u"thing-1"_s);
    QCOMPARE(model.index(0, LiveMessagesModel::PublisherColumn).data().toString(), u"thing-1"_s);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setPublisherNames({{u"thing-1"_s, u"boiler-7"_s}});
    QCOMPARE(changed.count(), 1);
    QCOMPARE(model.index(0, LiveMessagesModel::PublisherColumn).data().toString(), u"boiler-7"_s);
    QVERIFY(model.index(0, LiveMessagesModel::PublisherColumn).data(Qt::ToolTipRole).toString().contains(u"thing-1"_s));
    filter.setPublisherFilter(u"BOILER"_s); // the name
    QCOMPARE(filter.rowCount(), 3);
    filter.setPublisherFilter(u"thing-"_s); // the id
    QCOMPARE(filter.rowCount(), 3);
    filter.setPublisherFilter(u"pump"_s);
    QCOMPARE(filter.rowCount(), 0);
    model.append(records(3, 1));
    model.flush();
    QCOMPARE(unknown.count(), 1); // known now
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
