// The failure counter behind every limit (api/failurelimiter.h): blocks at the limit, recovers when the window
// ends, forgets on reset, and holds no more than its bound of keys whatever arrives. Time is passed in.
#include "api/failurelimiter.h"

#include <QTest>

using mf::api::FailureLimiter;

class TestFailureLimiter : public QObject
{
    Q_OBJECT

private slots:
    void blocksAtTheLimitUntilTheWindowEnds()
    {
        FailureLimiter limiter({3, 1000});
        QCOMPARE(limiter.addFailure("a", 0), 0);
        QCOMPARE(limiter.addFailure("a", 100), 0);
        QCOMPARE(limiter.blockedForMs("a", 200), 0);
        QCOMPARE(limiter.addFailure("a", 200), 800); // the third: blocked until the window (from 0) ends
        QCOMPARE(limiter.blockedForMs("a", 500), 500);
        QCOMPARE(limiter.blockedForMs("b", 500), 0);  // another key is not affected
        QCOMPARE(limiter.blockedForMs("a", 1000), 0); // recovered
        QCOMPARE(limiter.addFailure("a", 1000), 0);   // and counts from nothing again
    }

    void failuresOutsideTheWindowDoNotAddUp()
    {
        FailureLimiter limiter({2, 1000});
        QCOMPARE(limiter.addFailure("a", 0), 0);
        QCOMPARE(limiter.addFailure("a", 1500), 0); // a new window
        QCOMPARE(limiter.addFailure("a", 1600), 900);
    }

    void resetForgets()
    {
        FailureLimiter limiter({2, 1000});
        limiter.addFailure("a", 0);
        limiter.addFailure("a", 1);
        QVERIFY(limiter.blockedForMs("a", 2) > 0);
        limiter.reset("a");
        QCOMPARE(limiter.blockedForMs("a", 2), 0);
        QCOMPARE(limiter.size(), size_t(0));
        QVERIFY(limiter.empty());
    }

    void offNeverBlocks()
    {
        FailureLimiter limiter({0, 1000});
        for (int i = 0; i < 100; ++i)
            QCOMPARE(limiter.addFailure("a", i), 0);
        QCOMPARE(limiter.size(), size_t(0));
    }

    // A flood of distinct keys (addresses, e-mails) cannot grow the limiter past its bound; the oldest go first,
    // and the newest still count.
    void boundedUnderAFloodOfDistinctKeys()
    {
        FailureLimiter limiter({2, 60'000, 100});
        for (int i = 0; i < 100'000; ++i)
            limiter.addFailure("key-" + std::to_string(i), i / 10);
        QCOMPARE(limiter.size(), size_t(100));
        limiter.addFailure("key-99999", 10'000);
        QVERIFY(limiter.blockedForMs("key-99999", 10'000) > 0);
        QCOMPARE(limiter.blockedForMs("key-0", 10'000), 0);
    }

    void endedWindowsAreDroppedFirst()
    {
        FailureLimiter limiter({2, 1000, 3});
        limiter.addFailure("old", 0);
        limiter.addFailure("blocked", 900);
        limiter.addFailure("blocked", 901);
        limiter.addFailure("x", 950);
        limiter.addFailure("new", 1200); // "old" ended: it goes, "blocked" stays
        QCOMPARE(limiter.size(), size_t(3));
        QVERIFY(limiter.blockedForMs("blocked", 1200) > 0);
    }

    void retryAfterIsWholeSecondsAtLeastOne()
    {
        QCOMPARE(FailureLimiter::retryAfterSeconds(1), 1);
        QCOMPARE(FailureLimiter::retryAfterSeconds(1000), 1);
        QCOMPARE(FailureLimiter::retryAfterSeconds(1001), 2);
        QCOMPARE(FailureLimiter::retryAfterSeconds(0), 1);
    }
};

QTEST_APPLESS_MAIN(TestFailureLimiter)
#include "tst_failurelimiter.moc"
