// The per-thing publish rate (api/tokenbuckets.h, MF_THING_RATE): a burst of one second's worth, then one token per
// 1/rate, buckets per key, bounded memory. Time is passed in.
#include "api/tokenbuckets.h"

#include <QTest>

using mf::api::TokenBuckets;

class TestTokenBuckets : public QObject
{
    Q_OBJECT

private slots:
    void burstThenRate()
    {
        TokenBuckets buckets(2, 2);
        QCOMPARE(buckets.take("t", 0), 0);
        QCOMPARE(buckets.take("t", 0), 0);
        QCOMPARE(buckets.take("t", 0), 500); // empty: the next token in 1/rate
        QCOMPARE(buckets.take("t", 250), 250);
        QCOMPARE(buckets.take("t", 500), 0);
        QCOMPARE(buckets.take("other", 500), 0); // each key its own bucket
    }

    void refillsUpToTheBurstOnly()
    {
        TokenBuckets buckets(1, 1);
        QCOMPARE(buckets.take("t", 0), 0);
        QCOMPARE(buckets.take("t", 10'000), 0); // a long pause fills one token, not ten
        QVERIFY(buckets.take("t", 10'000) > 0);
    }

    void offNeverRefuses()
    {
        TokenBuckets buckets(0, 0);
        QVERIFY(!buckets.enabled());
        for (int i = 0; i < 100; ++i)
            QCOMPARE(buckets.take("t", 0), 0);
        QCOMPARE(buckets.size(), size_t(0));
    }

    void boundedUnderManyKeys()
    {
        TokenBuckets buckets(1, 1, 50);
        for (int i = 0; i < 10'000; ++i)
            buckets.take("thing-" + std::to_string(i), i);
        QVERIFY(buckets.size() <= 50);
    }
};

QTEST_APPLESS_MAIN(TestTokenBuckets)
#include "tst_tokenbuckets.moc"
