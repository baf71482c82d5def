// Block1 reassembly as pure logic: the orders, sizes and limits the CoAP tests cannot reach cheaply over UDP.
#include "adapters/coap/block1uploads.h"

#include <QTest>

using namespace Qt::StringLiterals;
using mf::adapters::coap::Block1Uploads;
using Outcome = Block1Uploads::Outcome;

class TestBlock1Uploads : public QObject
{
    Q_OBJECT

    static Block1Uploads::Block block(quint32 num, bool more, quint8 szx) { return {num, more, szx}; }

private slots:
    void parse_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<quint32>("num");
        QTest::addColumn<bool>("more");
        QTest::addColumn<int>("szx");
        QTest::addRow("empty: block 0 of 16 bytes") << QByteArray() << true << 0u << false << 0;
        QTest::addRow("NUM 0 M SZX 2") << QByteArray("\x0a") << true << 0u << true << 2;
        QTest::addRow("NUM 1 SZX 6") << QByteArray("\x16") << true << 1u << false << 6;
        QTest::addRow("largest NUM") << QByteArray("\xff\xff\xf6") << true << 0xfffffu << false << 6;
        QTest::addRow("SZX 7") << QByteArray("\x0f") << false << 0u << false << 0;
        QTest::addRow("4 bytes") << QByteArray("\x00\x00\x01\x0a", 4) << false << 0u << false << 0;
    }
    void parse()
    {
        QFETCH(QByteArray, value);
        QFETCH(bool, valid);
        QString reason;
        const auto b = Block1Uploads::parse(value, &reason);
        QCOMPARE(b.has_value(), valid);
        if (!valid) {
            QVERIFY(!reason.isEmpty());
            return;
        }
        QTEST(b->num, "num");
        QTEST(b->more, "more");
        QTEST(int(b->szx), "szx");
    }

    void smallerBlocksMidwayAreAccepted()
    {
        Block1Uploads uploads({1000, 4, 30'000});
        QCOMPARE(uploads.add("k", u"c"_s, block(0, true, 3), QByteArray(128, 'a'), std::nullopt, 0).kind,
                 Outcome::Continue);
        // 128 bytes so far = block 2 of 64 bytes.
        QCOMPARE(uploads.add("k", u"c"_s, block(2, true, 2), QByteArray(64, 'b'), std::nullopt, 0).kind,
                 Outcome::Continue);
        const Outcome done = uploads.add("k", u"c"_s, block(3, false, 2), "end", std::nullopt, -1);
        QCOMPARE(done.kind, Outcome::Complete);
        QCOMPARE(done.body, QByteArray(128, 'a') + QByteArray(64, 'b') + "end");
        QCOMPARE(done.contentFormat, 0); // of block 0: the last block may leave the option out
        QCOMPARE(uploads.size(), 0);
    }

    void oneBlockIsAWholeBody()
    {
        Block1Uploads uploads({1000, 1, 30'000});
        const Outcome done = uploads.add("k", u"c"_s, block(0, false, 6), "all of it", std::nullopt, 50);
        QCOMPARE(done.kind, Outcome::Complete);
        QCOMPARE(done.body, QByteArray("all of it"));
        QCOMPARE(uploads.size(), 0); // nothing kept, nothing counted against the client
    }

    void limitsAreExact()
    {
        Block1Uploads uploads({128, 1, 30'000});
        QCOMPARE(uploads.add("k", u"c"_s, block(0, true, 2), QByteArray(64, 'a'), 128, -1).kind, Outcome::Continue);
        QCOMPARE(uploads.add("k", u"c"_s, block(1, false, 2), QByteArray(64, 'b'), 128, -1).kind, Outcome::Complete);
        QCOMPARE(uploads.add("k", u"c"_s, block(0, true, 2), QByteArray(64, 'a'), 129, -1).code, 413);

        QCOMPARE(uploads.add("a", u"c"_s, block(0, true, 2), QByteArray(64, 'a'), std::nullopt, -1).kind,
                 Outcome::Continue);
        const Outcome second = uploads.add("b", u"c"_s, block(0, true, 2), QByteArray(64, 'a'), std::nullopt, -1);
        QCOMPARE(second.code, 429);
        QVERIFY(second.retryAfterS >= 1 && second.retryAfterS <= 30);
        QCOMPARE(uploads.add("b", u"other"_s, block(0, true, 2), QByteArray(64, 'a'), std::nullopt, -1).kind,
                 Outcome::Continue);
        QCOMPARE(uploads.size(), 2);
    }

    void bufferedBytesAreBoundedOverAllClients()
    {
        Block1Uploads uploads({1000, 4, 30'000, 128});
        QCOMPARE(uploads.add("a", u"c1"_s, block(0, true, 2), QByteArray(64, 'a'), std::nullopt, -1).kind,
                 Outcome::Continue);
        QCOMPARE(uploads.add("b", u"c2"_s, block(0, true, 2), QByteArray(64, 'b'), std::nullopt, -1).kind,
                 Outcome::Continue);
        QCOMPARE(uploads.buffered(), 128);
        const Outcome full = uploads.add("c", u"c3"_s, block(0, true, 2), QByteArray(64, 'c'), std::nullopt, -1);
        QCOMPARE(full.code, 503);
        QCOMPARE(full.metric, QByteArray("uploads buffer full"));
        QCOMPARE(full.retryAfterS, 30);
        // An upload that would grow past it is dropped, and frees its bytes.
        QCOMPARE(uploads.add("a", u"c1"_s, block(1, true, 2), QByteArray(64, 'a'), std::nullopt, -1).code, 503);
        QCOMPARE(uploads.buffered(), 64);
        QCOMPARE(uploads.add("b", u"c2"_s, block(1, false, 2), "end", std::nullopt, -1).kind, Outcome::Complete);
        QCOMPARE(uploads.buffered(), 0);
    }

    void idleUploadsExpire()
    {
        Block1Uploads uploads({1000, 4, 50});
        QCOMPARE(uploads.add("k", u"c"_s, block(0, true, 2), QByteArray(64, 'a'), std::nullopt, -1).kind,
                 Outcome::Continue);
        QCOMPARE(uploads.expire(), 0);
        int expired = 0; // QTRY_ evaluates once more after success: add up
        QTRY_VERIFY_WITH_TIMEOUT((expired += uploads.expire()) == 1, 2000);
        const Outcome late = uploads.add("k", u"c"_s, block(1, false, 2), "x", std::nullopt, -1);
        QCOMPARE(late.code, 408);
        QCOMPARE(late.metric, QByteArray("upload incomplete"));
    }
};

QTEST_APPLESS_MAIN(TestBlock1Uploads)
#include "tst_block1uploads.moc"
