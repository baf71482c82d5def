#include "models/thingscsv.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using mf::ui::ThingsCsv;

// The Things page's CSV import, before anything is sent: the header names the columns, quoted fields keep their
// commas, a thing is a device unless typed, and a bad metadata cell names its line and creates nothing.
class TestThingsCsv : public QObject
{
    Q_OBJECT

private slots:
    void splitsQuotedFields_data();
    void splitsQuotedFields();
    void readsThings();
    void refusesBadFiles_data();
    void refusesBadFiles();
};

void TestThingsCsv::splitsQuotedFields_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QStringList>("fields");
    QTest::addRow("plain") << u"a,b,c"_s << QStringList{u"a"_s, u"b"_s, u"c"_s};
    QTest::addRow("empty fields") << u",x,"_s << QStringList{QString(), u"x"_s, QString()};
    QTest::addRow("quoted comma") << u"\"a,b\",c"_s << QStringList{u"a,b"_s, u"c"_s};
    QTest::addRow("doubled quote") << u"\"say \"\"hi\"\"\",x"_s << QStringList{u"say \"hi\""_s, u"x"_s};
    QTest::addRow("JSON cell") << u"t1,\"{\"\"room\"\": 1}\""_s << QStringList{u"t1"_s, u"{\"room\": 1}"_s};
}

void TestThingsCsv::splitsQuotedFields()
{
    QFETCH(QString, line);
    QFETCH(QStringList, fields);
    QCOMPARE(mf::ui::splitCsvLine(line), fields);
}

void TestThingsCsv::readsThings()
{
    const ThingsCsv csv = mf::ui::parseThingsCsv(u"key,name,metadata,type\n"
                                                 "k-1,boiler,\"{\"\"room\"\": \"\"basement\"\"}\",\n"
                                                 "\n"
                                                 ",dashboard,,app\n"_s);
    QCOMPARE(csv.problem, ThingsCsv::Problem::None);
    QCOMPARE(csv.things.size(), 2); // the blank line is no thing
    const QJsonObject boiler = csv.things.at(0).toObject();
    QCOMPARE(boiler.value("name"_L1).toString(), u"boiler"_s);
    QCOMPARE(boiler.value("type"_L1).toString(), u"device"_s); // an empty type cell: the default
    QCOMPARE(boiler.value("key"_L1).toString(), u"k-1"_s);
    QCOMPARE(boiler.value("metadata"_L1).toObject().value("room"_L1).toString(), u"basement"_s);
    const QJsonObject dashboard = csv.things.at(1).toObject();
    QCOMPARE(dashboard.value("type"_L1).toString(), u"app"_s);
    QVERIFY(!dashboard.contains("key"_L1));      // an empty key cell: the server generates one
    QVERIFY(!dashboard.contains("metadata"_L1)); // an empty metadata cell: none
}

void TestThingsCsv::refusesBadFiles_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<ThingsCsv::Problem>("problem");
    QTest::addColumn<int>("line");
    QTest::addRow("empty") << u"\n\n"_s << ThingsCsv::Problem::Empty << 0;
    QTest::addRow("no name column") << u"title,type\nboiler,device\n"_s << ThingsCsv::Problem::NoNameColumn << 0;
    QTest::addRow("metadata not JSON") << u"name,metadata\na,\nb,{oops\n"_s << ThingsCsv::Problem::BadMetadata << 3;
    QTest::addRow("metadata not an object")
        << u"name,metadata\na,\"[1,2]\"\n"_s << ThingsCsv::Problem::BadMetadata << 2;
}

void TestThingsCsv::refusesBadFiles()
{
    QFETCH(QString, text);
    QFETCH(ThingsCsv::Problem, problem);
    QFETCH(int, line);
    const ThingsCsv csv = mf::ui::parseThingsCsv(text);
    QCOMPARE(csv.problem, problem);
    QCOMPARE(csv.line, line);
    QVERIFY(csv.things.isEmpty()); // nothing to send
    if (problem == ThingsCsv::Problem::BadMetadata) QVERIFY(!csv.detail.isEmpty());
}

QTEST_APPLESS_MAIN(TestThingsCsv)
#include "tst_thingscsv.moc"
