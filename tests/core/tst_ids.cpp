// Identifiers and thing keys: canonical UUIDv4 text from the CSPRNG, and the check every id in a path goes through.
#include "core/ids.h"

#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;

class TestIds : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void newIdsAreVersion4UuidsAndDistinct()
    {
        QSet<QString> seen;
        for (int i = 0; i < 10'000; ++i) {
            const QString id = mf::newId();
            QVERIFY2(mf::isUuid(id), qPrintable(id));
            QCOMPARE(id.size(), 36);
            QCOMPARE(id[14], u'4');                           // version 4
            QVERIFY(u"89ab"_s.contains(id[19]));              // RFC 4122 variant
            QCOMPARE(id, id.toLower());                       // canonical lower case
            seen.insert(id);
        }
        QCOMPARE(seen.size(), 10'000);
    }

    void isUuid_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("uuid");
        QTest::newRow("lower") << u"5b1f0c4e-8d2a-4c1e-9f3b-0a1b2c3d4e5f"_s << true;
        QTest::newRow("upper") << u"5B1F0C4E-8D2A-4C1E-9F3B-0A1B2C3D4E5F"_s << true;
        QTest::newRow("empty") << u""_s << false;
        QTest::newRow("no dashes") << u"5b1f0c4e8d2a4c1e9f3b0a1b2c3d4e5f"_s << false;
        QTest::newRow("braces") << u"{5b1f0c4e-8d2a-4c1e-9f3b-0a1b2c3d4e5f}"_s << false;
        QTest::newRow("not hex") << u"5b1f0c4e-8d2a-4c1e-9f3b-0a1b2c3d4e5g"_s << false;
        QTest::newRow("short") << u"5b1f0c4e-8d2a-4c1e-9f3b-0a1b2c3d4e5"_s << false;
        QTest::newRow("dash moved") << u"5b1f0c4e8-d2a-4c1e-9f3b-0a1b2c3d4e5f"_s << false;
        QTest::newRow("trailing space") << u"5b1f0c4e-8d2a-4c1e-9f3b-0a1b2c3d4e5f "_s << false;
        // QChar::isDigit() says yes to these: an id must be ASCII (it is a path segment and a key).
        QTest::newRow("arabic-indic digit") << u"5b1f0c4e-8d2a-4c1e-9f3b-0a1b2c3d4e5\u0663"_s << false;
        QTest::newRow("fullwidth digit") << u"\uFF15b1f0c4e-8d2a-4c1e-9f3b-0a1b2c3d4e5f"_s << false;
        QTest::newRow("sql") << u"' OR 1=1 --"_s << false;
    }
    void isUuid()
    {
        QFETCH(QString, text);
        QFETCH(bool, uuid);
        QCOMPARE(mf::isUuid(text), uuid);
    }
};

QTEST_GUILESS_MAIN(TestIds)
#include "tst_ids.moc"
