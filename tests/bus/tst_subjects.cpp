#include "bus/subjects.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace mf::bus;

class tst_Subjects : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void normalizeSubtopic_data()
    {
        QTest::addColumn<QString>("raw");
        QTest::addColumn<bool>("subscribe");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("expected"); // normalized subtopic, or a word the error must contain

        QTest::addRow("empty") << u""_s << false << true << u""_s;
        QTest::addRow("only separators") << u"///"_s << false << true << u""_s;
        QTest::addRow("one token") << u"temp"_s << false << true << u"temp"_s;
        QTest::addRow("slashes become dots") << u"room/1/temp"_s << false << true << u"room.1.temp"_s;
        QTest::addRow("empty tokens dropped") << u"/room//1/"_s << false << true << u"room.1"_s;
        QTest::addRow("dots kept as separators") << u"a.b/c"_s << false << true << u"a.b.c"_s;
        QTest::addRow("percent-decoded") << u"room%2F1/t%C3%A4"_s << false << true << u"room.1.tä"_s;
        QTest::addRow("plus is literal") << u"a+b"_s << false << true << u"a+b"_s;
        QTest::addRow("bad escape") << u"a%2"_s << false << false << u"percent-escape"_s;
        QTest::addRow("bad hex") << u"a%zz"_s << false << false << u"percent-escape"_s;
        QTest::addRow("escape to invalid UTF-8") << u"a%C3%28"_s << false << false << u"UTF-8"_s;
        QTest::addRow("space") << u"a b"_s << false << false << u"whitespace"_s;
        QTest::addRow("escaped space") << u"a%20b"_s << false << false << u"whitespace"_s;
        QTest::addRow("tab") << u"a/\tb"_s << false << false << u"whitespace"_s;
        QTest::addRow("control char") << u"a\u0001"_s << false << false << u"control"_s;
        QTest::addRow("publish star token") << u"a/*"_s << false << false << u"not allowed when publishing"_s;
        QTest::addRow("publish gt token") << u"a/>"_s << false << false << u"not allowed when publishing"_s;
        QTest::addRow("publish star inside") << u"a*b"_s << false << false << u"wildcard"_s;
        QTest::addRow("publish escaped star") << u"a/%2A"_s << false << false << u"wildcard"_s;
        QTest::addRow("subscribe star token") << u"a/*/c"_s << true << true << u"a.*.c"_s;
        QTest::addRow("subscribe gt last") << u"a/>"_s << true << true << u"a.>"_s;
        QTest::addRow("subscribe gt not last") << u">/a"_s << true << false << u"last"_s;
        QTest::addRow("subscribe star inside token") << u"a*/b"_s << true << false << u"mixes"_s;
        QTest::addRow("dot-only token") << u"a/.."_s << false << false << u"only of dots"_s;
        QTest::addRow("escaped dot-only token") << u"a/%2e%2e"_s << false << false << u"only of dots"_s;
        QTest::addRow("single dot token") << u"./a"_s << false << false << u"only of dots"_s;
        QTest::addRow("longest subtopic") << QString(1024, u's') << false << true << QString(1024, u's');
        QTest::addRow("subtopic one byte too long") << QString(1025, u's') << false << false << u"at most 1024"_s;
        QTest::addRow("4100-byte subtopic") << QString(4100, u's') << false << false << u"at most 1024"_s;
        QTest::addRow("multi-byte length counted in bytes") << QString(513, u'ä') << false << false << u"1026 bytes"_s;
        QTest::addRow("subscribe gt inside token") << u"a>"_s << true << false << u"mixes"_s;
    }

    void normalizeSubtopic()
    {
        QFETCH(QString, raw);
        QFETCH(bool, subscribe);
        QFETCH(bool, ok);
        QFETCH(QString, expected);
        const auto r = mf::bus::normalizeSubtopic(raw, subscribe ? SubtopicUse::Subscribe : SubtopicUse::Publish);
        QCOMPARE(r.has_value(), ok);
        if (ok) {
            QCOMPARE(*r, expected);
        } else {
            QCOMPARE(r.error().code, mf::ErrorCode::Malformed);
            QVERIFY2(r.error().message.contains(expected), qPrintable(r.error().message));
        }
    }

    void subjects()
    {
        QCOMPARE(channelSubject(u"c1"), QByteArray("channel.c1"));
        QCOMPARE(channelSubject(u"c1", u"room.1"), QByteArray("channel.c1.room.1"));
        QCOMPARE(senmlSubject(u"c1"), QByteArray("senml.c1"));
        QCOMPARE(senmlSubject(u"c1", u"a"), QByteArray("senml.c1.a"));
        QCOMPARE(QByteArray(eventsThingsSubject), QByteArray("events.things"));
        // The wire names other processes (an older plugin, a backend of another version) speak: one place
        // defines them, so a rename would pass every other test.
        QCOMPARE(QByteArray(thingsIdentifySubject), QByteArray("things.identify"));
        QCOMPARE(QByteArray(thingsAccessByIdSubject), QByteArray("things.access_by_id"));
        QCOMPARE(QByteArray(statusSessionsSubject), QByteArray("status.sessions"));
        QCOMPARE(QByteArray(statusResyncSubject), QByteArray("status.resync"));
        QCOMPARE(QByteArray(mqttStatsPrefix) + "*", QByteArray(allMqttStatsSubject));
        QCOMPARE(QByteArray(statusAlivePrefix) + "*", QByteArray(allStatusAliveSubject));
        QCOMPARE(QByteArray(channelPrefix) + ".>", QByteArray(allChannelsSubject));
    }
};

QTEST_APPLESS_MAIN(tst_Subjects)
#include "tst_subjects.moc"
