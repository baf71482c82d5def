// FlushKicker: kicks never block the publisher, kicks made while a flush runs become exactly one more flush, and the
// destructor waits for a flush on its way. The flush here is a function that blocks until the test lets it go.
#include "bus/flushkicker.h"

#include <QTest>
#include <atomic>
#include <condition_variable>
#include <mutex>

using namespace mf::bus;

namespace {
// A flush the test holds and releases one at a time.
struct HeldFlush
{
    std::mutex mutex;
    std::condition_variable changed;
    int started = 0;
    int released = 0;

    void operator()()
    {
        std::unique_lock lock(mutex);
        const int mine = ++started;
        changed.notify_all();
        changed.wait(lock, [&] { return released >= mine; });
    }
    void releaseOne()
    {
        std::lock_guard lock(mutex);
        ++released;
        changed.notify_all();
    }
    bool waitStarted(int n)
    {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, std::chrono::seconds(5), [&] { return started >= n; });
    }
    int startedNow()
    {
        std::lock_guard lock(mutex);
        return started;
    }
};
} // namespace

class TestFlushKicker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void kickFlushesOnItsOwnThread()
    {
        std::atomic<int> flushes{0};
        std::atomic<bool> onCaller{false};
        const auto caller = std::this_thread::get_id();
        {
            FlushKicker kicker([&] {
                onCaller = std::this_thread::get_id() == caller;
                ++flushes;
            });
            kicker.kick();
            QTRY_COMPARE(flushes.load(), 1);
        }
        QVERIFY(!onCaller);
    }

    void kicksDuringAFlushFoldIntoOne()
    {
        HeldFlush held;
        FlushKicker kicker([&] { held(); });
        kicker.kick();
        QVERIFY(held.waitStarted(1));
        // The first flush is held: these kicks return at once and ask for one more flush between them.
        for (int i = 0; i < 100; ++i)
            kicker.kick();
        held.releaseOne();
        QVERIFY(held.waitStarted(2));
        held.releaseOne();
        QTest::qWait(50);
        QCOMPARE(held.startedNow(), 2);
        kicker.kick(); // a kick after the flushes ends is a flush of its own
        QVERIFY(held.waitStarted(3));
        held.releaseOne();
    }

    void destructorWaitsForTheFlushOnItsWay()
    {
        HeldFlush held;
        std::atomic<bool> finished{false};
        auto kicker = std::make_unique<FlushKicker>([&] {
            held();
            finished = true;
        });
        kicker->kick();
        QVERIFY(held.waitStarted(1));
        std::thread releaser([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            held.releaseOne();
        });
        kicker.reset();
        QVERIFY(finished);
        releaser.join();
    }

    void noKickNoFlush()
    {
        std::atomic<int> flushes{0};
        {
            FlushKicker kicker([&] { ++flushes; });
            QTest::qWait(20);
        }
        QCOMPARE(flushes.load(), 0);
    }
};

QTEST_GUILESS_MAIN(TestFlushKicker)
#include "tst_flushkicker.moc"
