// StatusTracker: online/offline from messages, sessions and silence, driven with explicit times.
#include "services/status/statustracker.h"

#include <QTest>

using namespace Qt::StringLiterals;
using mf::status::StatusTracker;

class TestStatusTracker : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void messageBringsOnlineAndSilenceTakesOffline()
    {
        StatusTracker tracker(60'000, 5'000);
        QVERIFY(tracker.heard(u"t1"_s, u"http"_s, 1'000)); // flipped: the service stores it at once
        auto updates = tracker.takeUpdates(1'000);
        QCOMPARE(updates.size(), 1);
        QVERIFY(updates[0].flipped);
        QCOMPARE(updates[0].reason, u"message"_s);
        QVERIFY(updates[0].status.online);
        QCOMPARE(updates[0].status.lastSeen, 1'000);
        QCOMPARE(updates[0].status.lastProtocol, u"http"_s);

        tracker.expire(60'999); // one ms short of the silence
        QVERIFY(tracker.statusOf(u"t1"_s)->online);
        tracker.expire(61'000);
        QVERIFY(!tracker.statusOf(u"t1"_s)->online);
        updates = tracker.takeUpdates(61'000);
        QCOMPARE(updates.size(), 1);
        QVERIFY(updates[0].flipped);
        QCOMPARE(updates[0].reason, u"silent"_s);
        QCOMPARE(updates[0].at, 61'000);
        QCOMPARE(updates[0].status.lastSeen, 1'000); // silence does not move last_seen
    }

    void newerLastSeenOfAnOnlineThingWaitsItsTurn()
    {
        StatusTracker tracker(60'000, 5'000);
        tracker.heard(u"t1"_s, u"http"_s, 1'000);
        QCOMPARE(tracker.takeUpdates(1'000).size(), 1);
        QVERIFY(!tracker.heard(u"t1"_s, u"coap"_s, 2'000)); // still online: no flip
        QVERIFY(tracker.takeUpdates(2'000).isEmpty()); // stays online: written at most every 5 s
        auto updates = tracker.takeUpdates(6'000);
        QCOMPARE(updates.size(), 1);
        QVERIFY(!updates[0].flipped);
        QCOMPARE(updates[0].status.lastSeen, 2'000);
        QCOMPARE(updates[0].status.lastProtocol, u"coap"_s);
        QVERIFY(tracker.takeUpdates(20'000).isEmpty()); // nothing new
    }

    void sessionKeepsOnlineUntilItsLastConnectionEnds()
    {
        StatusTracker tracker(10'000, 5'000);
        tracker.opened(u"t1"_s, u"m1/a#1"_s, u"mqtt"_s, 1'000);
        tracker.opened(u"t1"_s, u"m1/b#2"_s, u"mqtt"_s, 2'000);
        QCOMPARE(tracker.statusOf(u"t1"_s)->connectedSince, 1'000);
        tracker.expire(100'000); // connected things never go silent
        QVERIFY(tracker.statusOf(u"t1"_s)->online);
        QVERIFY(!tracker.closed(u"t1"_s, u"m1/a#1"_s, 100'000));
        QVERIFY(tracker.statusOf(u"t1"_s)->online);
        QVERIFY(tracker.closed(u"t1"_s, u"m1/b#2"_s, 100'500));
        QVERIFY(!tracker.statusOf(u"t1"_s)->online);
        QCOMPARE(tracker.statusOf(u"t1"_s)->connectedSince, 0);
        QCOMPARE(tracker.statusOf(u"t1"_s)->lastSeen, 100'500);
        const auto updates = tracker.takeUpdates(100'500);
        QCOMPARE(updates.size(), 1);
        QCOMPARE(updates[0].reason, u"disconnected"_s);
        // A close of a session never opened (a duplicate event) changes nothing.
        tracker.closed(u"t1"_s, u"m1/zz#9"_s, 200'000);
        QVERIFY(tracker.takeUpdates(300'000).isEmpty());
    }

    void takeoverOfAClientIdIsNotADisconnect()
    {
        StatusTracker tracker(10'000, 5'000);
        tracker.opened(u"t1"_s, u"m1/dev#1"_s, u"mqtt"_s, 1'000);
        tracker.opened(u"t1"_s, u"m1/dev#2"_s, u"mqtt"_s, 2'000); // same client id, new connection
        tracker.closed(u"t1"_s, u"m1/dev#1"_s, 2'001);            // the broker drops the old one after
        QVERIFY(tracker.statusOf(u"t1"_s)->online);
    }

    void aGoneMosquittoEndsItsSessionsOnly()
    {
        StatusTracker tracker(10'000, 5'000);
        tracker.opened(u"t1"_s, u"m1/a#1"_s, u"mqtt"_s, 1'000);
        tracker.opened(u"t2"_s, u"m2/b#1"_s, u"mqtt"_s, 1'000);
        tracker.closedAll(u"m1/"_s, 5'000);
        QVERIFY(!tracker.statusOf(u"t1"_s)->online);
        QVERIFY(tracker.statusOf(u"t2"_s)->online);
    }

    void perThingSilence()
    {
        StatusTracker tracker(60'000, 5'000);
        tracker.setOfflineAfter(u"fast"_s, 2'000);
        tracker.heard(u"fast"_s, u"lora"_s, 0);
        tracker.heard(u"slow"_s, u"lora"_s, 0);
        tracker.expire(2'000);
        QVERIFY(!tracker.statusOf(u"fast"_s)->online);
        QVERIFY(tracker.statusOf(u"slow"_s)->online);
        tracker.setOfflineAfter(u"fast"_s, 0); // back to the default
        tracker.heard(u"fast"_s, u"lora"_s, 3'000);
        tracker.expire(10'000);
        QVERIFY(tracker.statusOf(u"fast"_s)->online);
    }

    void manyThingsGoingSilentTogetherAreOneBatch()
    {
        StatusTracker tracker(1'000, 5'000);
        for (int i = 0; i < 500; ++i)
            tracker.heard(u"t%1"_s.arg(i), u"mqtt"_s, 0);
        (void)tracker.takeUpdates(0);
        tracker.expire(1'000);
        const auto updates = tracker.takeUpdates(1'000);
        QCOMPARE(updates.size(), 500);
        QVERIFY(std::all_of(updates.begin(), updates.end(), [](const auto &u) { return u.flipped && !u.status.online; }));
    }

    void restoredThingsExpireFromTheirStoredLastSeen()
    {
        StatusTracker tracker(10'000, 5'000);
        tracker.restore({{u"t1"_s, mf::ThingStatus{true, 1'000, u"mqtt"_s, 500}},
                         {u"t2"_s, mf::ThingStatus{true, 9'000, u"http"_s, 0}}},
                        10'000);
        QCOMPARE(tracker.statusOf(u"t1"_s)->connectedSince, 0); // its connection did not survive the restart
        tracker.expire(11'000);
        QVERIFY(!tracker.statusOf(u"t1"_s)->online);
        QVERIFY(tracker.statusOf(u"t2"_s)->online);
        tracker.forget(u"t2"_s);
        QVERIFY(!tracker.knows(u"t2"_s));
    }
};

QTEST_GUILESS_MAIN(TestStatusTracker)
#include "tst_statustracker.moc"
