// Durations as people write them in queries and metadata (offline_for, offline_after): what is accepted, the
// milliseconds it means, and the bounds (1 s to 366 days).
#include "core/duration.h"

#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

class TestDuration : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void accepted_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("ms");
        QTest::newRow("bare seconds") << u"90"_s << qint64(90'000);
        QTest::newRow("seconds") << u"90s"_s << qint64(90'000);
        QTest::newRow("minutes") << u"15m"_s << qint64(900'000);
        QTest::newRow("hours") << u"2h"_s << qint64(7'200'000);
        QTest::newRow("days") << u"1d"_s << qint64(86'400'000);
        QTest::newRow("smallest") << u"1s"_s << qint64(1000);
        QTest::newRow("largest") << u"366d"_s << qint64(366) * 86'400'000;
        QTest::newRow("largest in seconds") << u"31622400"_s << qint64(366) * 86'400'000;
    }
    void accepted()
    {
        QFETCH(QString, text);
        QFETCH(qint64, ms);
        const auto parsed = mf::parseDuration(text);
        QVERIFY2(parsed.has_value(), qPrintable(text));
        QCOMPARE(*parsed, ms);
    }

    void refused_data()
    {
        QTest::addColumn<QString>("text");
        for (const QString &t : {u""_s, u"s"_s, u"0"_s, u"0s"_s, u"-5m"_s, u"1.5h"_s, u"367d"_s, u"31622401"_s,
                                 u"1ms"_s, u"1w"_s, u"soon"_s, u"99999999999999999999d"_s})
            QTest::newRow(qPrintable(t.isEmpty() ? u"(empty)"_s : t)) << t;
    }
    void refused()
    {
        QFETCH(QString, text);
        const auto parsed = mf::parseDuration(text);
        QVERIFY2(!parsed.has_value(), qPrintable(text));
        QCOMPARE(parsed.error().code, mf::ErrorCode::Malformed);
        QVERIFY(parsed.error().message.startsWith(u"must be a duration"_s));
    }

    void fromJson()
    {
        QCOMPARE(*mf::durationFromJson(QJsonValue(120)), 120'000);
        QCOMPARE(*mf::durationFromJson(QJsonValue(1.5)), 1500); // a number of seconds may have a fraction
        QCOMPARE(*mf::durationFromJson(QJsonValue(u"5m"_s)), 300'000);
        for (const QJsonValue &bad : {QJsonValue(0), QJsonValue(-3), QJsonValue(0.5), QJsonValue(true), QJsonValue(),
                                      QJsonValue(QJsonObject{}), QJsonValue(1e12), QJsonValue(u"x"_s)})
            QVERIFY(!mf::durationFromJson(bad).has_value());
    }
};

QTEST_GUILESS_MAIN(TestDuration)
#include "tst_duration.moc"
