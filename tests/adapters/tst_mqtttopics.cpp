// Topic rules and the access cache of the mosquitto plugin (plain C++, no broker).
#include "accesscache.h"
#include "refusedpublishes.h"
#include "statefiles.h"
#include "topics.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mf::mqtt;

class TestMqttTopics : public QObject
{
    Q_OBJECT

private slots:
    void publishTopics_data()
    {
        QTest::addColumn<QByteArray>("topic");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QByteArray>("channel");
        QTest::addColumn<QByteArray>("subject");
        QTest::addRow("plain") << QByteArray("channels/c1/messages") << true << QByteArray("c1")
                               << QByteArray("channel.c1");
        QTest::addRow("subtopic") << QByteArray("channels/c1/messages/room/boiler") << true << QByteArray("c1")
                                  << QByteArray("channel.c1.room.boiler");
        QTest::addRow("trailing slash") << QByteArray("channels/c1/messages/") << false << QByteArray() << QByteArray();
        QTest::addRow("empty token") << QByteArray("channels/c1/messages/a//b") << false << QByteArray()
                                     << QByteArray();
        QTest::addRow("dot in token") << QByteArray("channels/c1/messages/a.b") << false << QByteArray()
                                      << QByteArray();
        QTest::addRow("nats wildcard") << QByteArray("channels/c1/messages/a*") << false << QByteArray()
                                       << QByteArray();
        QTest::addRow("nats tail") << QByteArray("channels/c1/messages/>") << false << QByteArray() << QByteArray();
        QTest::addRow("space") << QByteArray("channels/c1/messages/a b") << false << QByteArray() << QByteArray();
        QTest::addRow("mqtt wildcard") << QByteArray("channels/c1/messages/+") << false << QByteArray() << QByteArray();
        QTest::addRow("no messages") << QByteArray("channels/c1") << false << QByteArray() << QByteArray();
        QTest::addRow("messagesX") << QByteArray("channels/c1/messagesX") << false << QByteArray() << QByteArray();
        QTest::addRow("empty channel") << QByteArray("channels//messages") << false << QByteArray() << QByteArray();
        QTest::addRow("dot in channel") << QByteArray("channels/a.b/messages") << false << QByteArray() << QByteArray();
        QTest::addRow("leading slash") << QByteArray("/channels/c1/messages") << false << QByteArray() << QByteArray();
        QTest::addRow("other") << QByteArray("devices/c1") << false << QByteArray() << QByteArray();
        // Length bound (bus/limits.h maxSubtopicBytes = 1024): nats-server closes a connection whose control line
        // exceeds 4 KB, which used to cut the whole broker off the bus (issue 20).
        QTest::addRow("subtopic at the bound") << QByteArray("channels/c1/messages/" + QByteArray(1024, 't')) << true
                                               << QByteArray("c1") << QByteArray("channel.c1." + QByteArray(1024, 't'));
        QTest::addRow("tokens at the bound")
            << QByteArray("channels/c1/messages/" + QByteArray("a/").repeated(511) + "bb") << true << QByteArray("c1")
            << QByteArray("channel.c1." + QByteArray("a.").repeated(511) + "bb");
        QTest::addRow("subtopic one byte over")
            << QByteArray("channels/c1/messages/" + QByteArray(1025, 't')) << false << QByteArray() << QByteArray();
        QTest::addRow("tokens one byte over")
            << QByteArray("channels/c1/messages/" + QByteArray("a/").repeated(512) + "a") << false << QByteArray()
            << QByteArray();
        QTest::addRow("issue 20 reproduction")
            << QByteArray("channels/c1/messages/" + QByteArray(4100, 't')) << false << QByteArray() << QByteArray();
        QTest::addRow("channel id over the bound")
            << QByteArray("channels/" + QByteArray(1025, 'c') + "/messages") << false << QByteArray() << QByteArray();
    }
    void publishTopics()
    {
        QFETCH(QByteArray, topic);
        QFETCH(bool, valid);
        QFETCH(QByteArray, channel);
        QFETCH(QByteArray, subject);
        const auto parsed = parseTopic(topic.toStdString());
        QCOMPARE(parsed.has_value(), valid);
        if (!parsed) return;
        QCOMPARE(QByteArray::fromStdString(parsed->channel), channel);
        QCOMPARE(QByteArray::fromStdString(subjectFor(*parsed)), subject);
        // Round trip through NATS and back.
        QCOMPARE(QByteArray::fromStdString(topicFor(parsed->channel, parsed->subtopic)), topic);
    }

    void subscriptions_data()
    {
        QTest::addColumn<QByteArray>("filter");
        QTest::addColumn<QByteArray>("channel"); // empty = refused
        QTest::addRow("channel") << QByteArray("channels/c1/messages") << QByteArray("c1");
        QTest::addRow("subtree") << QByteArray("channels/c1/messages/#") << QByteArray("c1");
        QTest::addRow("level") << QByteArray("channels/c1/messages/+/t") << QByteArray("c1");
        QTest::addRow("concrete") << QByteArray("channels/c1/messages/a/b") << QByteArray("c1");
        QTest::addRow("# not last") << QByteArray("channels/c1/messages/#/a") << QByteArray();
        QTest::addRow("mixed wildcard") << QByteArray("channels/c1/messages/a+") << QByteArray();
        QTest::addRow("any channel") << QByteArray("channels/+/messages") << QByteArray();
        QTest::addRow("channel #") << QByteArray("channels/#") << QByteArray();
        QTest::addRow("all") << QByteArray("#") << QByteArray();
        QTest::addRow("channel/#") << QByteArray("channels/c1/#") << QByteArray();
        QTest::addRow("+ messages") << QByteArray("channels/c1/+") << QByteArray();
        QTest::addRow("subtopic at the bound")
            << QByteArray("channels/c1/messages/" + QByteArray(1024, 't')) << QByteArray("c1");
        QTest::addRow("subtopic over the bound")
            << QByteArray("channels/c1/messages/" + QByteArray(1025, 't')) << QByteArray();
        QTest::addRow("wildcards over the bound")
            << QByteArray("channels/c1/messages/" + QByteArray("+/").repeated(512) + "#") << QByteArray();
        QTest::addRow("channel id over the bound")
            << QByteArray("channels/" + QByteArray(1025, 'c') + "/messages/#") << QByteArray();
    }

    // What the plugin counts and answers as "too long" rather than as a missing permission.
    void lengthBound_data()
    {
        QTest::addColumn<QByteArray>("topic");
        QTest::addColumn<bool>("exceeds");
        QTest::addRow("short") << QByteArray("channels/c1/messages/a") << false;
        QTest::addRow("at the bound") << QByteArray("channels/c1/messages/" + QByteArray(1024, 't')) << false;
        QTest::addRow("subtopic over") << QByteArray("channels/c1/messages/" + QByteArray(1025, 't')) << true;
        QTest::addRow("filter over") << QByteArray("channels/c1/messages/" + QByteArray(1100, '+')) << true;
        QTest::addRow("channel over") << QByteArray("channels/" + QByteArray(1025, 'c') + "/messages") << true;
        QTest::addRow("not a channel topic") << QByteArray("devices/" + QByteArray(5000, 'd')) << false;
    }
    void lengthBound()
    {
        QFETCH(QByteArray, topic);
        QFETCH(bool, exceeds);
        QCOMPARE(exceedsLengthBound(topic.toStdString()), exceeds);
        if (exceeds) QVERIFY(!parseTopic(topic.toStdString()) && !parseSubscription(topic.toStdString()));
    }
    void subscriptions()
    {
        QFETCH(QByteArray, filter);
        QFETCH(QByteArray, channel);
        const auto parsed = parseSubscription(filter.toStdString());
        QCOMPARE(parsed.has_value(), !channel.isEmpty());
        if (parsed) QCOMPARE(QByteArray::fromStdString(*parsed), channel);
    }

    void cacheAnswersAndForgets()
    {
        AccessCache cache(std::chrono::minutes(10), std::chrono::seconds(10));
        QVERIFY(!cache.thingForKey("k1"));
        cache.putKey(cache.generation(), "k1", "t1");
        cache.putKey(cache.generation(), "bad", "");
        QCOMPARE(cache.thingForKey("k1").value(), std::string("t1"));
        QCOMPARE(cache.thingForKey("bad").value(), std::string());
        cache.putAccess(cache.generation(), "c1", "t1", true);
        cache.putAccess(cache.generation(), "c2", "t1", false);
        QCOMPARE(cache.access("c1", "t1"), std::optional<bool>(true));
        QCOMPARE(cache.access("c2", "t1"), std::optional<bool>(false));
        QVERIFY(!cache.access("c1", "t2"));

        cache.forgetBadKeys();
        QVERIFY(!cache.thingForKey("bad"));
        QVERIFY(cache.thingForKey("k1"));
        cache.forgetAccess("c1", "t1");
        QVERIFY(!cache.access("c1", "t1"));
        cache.putAccess(cache.generation(), "c1", "t1", true);
        cache.forgetChannel("c1");
        QVERIFY(!cache.access("c1", "t1"));
        QVERIFY(cache.access("c2", "t1"));
        cache.forgetThing("t1");
        QVERIFY(!cache.thingForKey("k1"));
        QVERIFY(!cache.access("c2", "t1"));
    }

    // An answer that was requested before an invalidation must not be cached after it.
    void staleFillIsDropped()
    {
        AccessCache cache(std::chrono::minutes(10), std::chrono::seconds(10));
        const uint64_t before = cache.generation();
        cache.forgetThing("t1"); // an event arrives while the request is in flight
        cache.putKey(before, "k1", "t1");
        cache.putAccess(before, "c1", "t1", true);
        QVERIFY(!cache.thingForKey("k1"));
        QVERIFY(!cache.access("c1", "t1"));
    }

    void entriesExpire()
    {
        // A clock of its own: the test once raced real sleeps against the lifetimes on a loaded machine.
        AccessCache::Clock::time_point now{};
        AccessCache cache(std::chrono::milliseconds(30), std::chrono::milliseconds(10), [&now] { return now; });
        cache.putKey(cache.generation(), "k1", "t1");
        cache.putKey(cache.generation(), "bad", "");
        cache.putAccess(cache.generation(), "c1", "t1", true);
        now += std::chrono::milliseconds(10);
        QVERIFY(cache.thingForKey("bad")); // exactly at its lifetime: still known
        now += std::chrono::milliseconds(5);
        QVERIFY(!cache.thingForKey("bad"));
        QVERIFY(cache.thingForKey("k1"));
        now += std::chrono::milliseconds(20);
        QVERIFY(!cache.thingForKey("k1"));
        QVERIFY(!cache.access("c1", "t1"));
    }

    // A QoS 1 message refused without an answer from the stream is sent again under its first id when the device
    // repeats it, so the stream stores it once.
    void refusedPublishKeepsItsIdForTheRepeat()
    {
        RefusedPublishes::Clock::time_point now{};
        RefusedPublishes refused(std::chrono::seconds(20), 2, [&now] { return now; });
        QCOMPARE(refused.idOf("dev1", "channels/c/messages", "[1]"), std::string());
        refused.refused("dev1", "channels/c/messages", "[1]", "id-1");
        QCOMPARE(refused.idOf("dev1", "channels/c/messages", "[1]"), std::string("id-1"));
        // Only the same client, topic and payload is the same message.
        QCOMPARE(refused.idOf("dev2", "channels/c/messages", "[1]"), std::string());
        QCOMPARE(refused.idOf("dev1", "channels/c/messages/x", "[1]"), std::string());
        QCOMPARE(refused.idOf("dev1", "channels/c/messages", "[2]"), std::string());
        // Stored: forgotten, the next identical payload is a new message.
        refused.stored("dev1", "channels/c/messages", "[1]");
        QCOMPARE(refused.idOf("dev1", "channels/c/messages", "[1]"), std::string());
        // After the stream's duplicate window the id is of no use: forgotten.
        refused.refused("dev1", "t", "p", "id-2");
        now += std::chrono::seconds(19);
        QCOMPARE(refused.idOf("dev1", "t", "p"), std::string("id-2"));
        now += std::chrono::seconds(1);
        QCOMPARE(refused.idOf("dev1", "t", "p"), std::string());
        // Bounded: the oldest goes first.
        refused.refused("a", "t", "p", "id-a");
        now += std::chrono::seconds(1);
        refused.refused("b", "t", "p", "id-b");
        refused.refused("c", "t", "p", "id-c");
        QCOMPARE(refused.size(), size_t(2));
        QCOMPARE(refused.idOf("a", "t", "p"), std::string());
        QCOMPARE(refused.idOf("c", "t", "p"), std::string("id-c"));
    }

    // Which thing each persistent session belongs to, known again after a broker restart.
    void sessionOwnersSurviveARestart()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string path = dir.filePath(u"plugin-sessions"_s).toStdString();
        {
            SessionOwners owners(path);
            owners.load();
            QCOMPARE(owners.size(), size_t(0));
            QCOMPARE(owners.set("dev-a", "thing-1"), std::string());
            QCOMPARE(owners.set("dev-b", "thing-2"), std::string());
            QCOMPARE(owners.set("dev-c", "thing-2"), std::string());
            QCOMPARE(owners.set("dev-a", "thing-3"), std::string()); // the session changed hands (after a clean login)
            // Bytes that would break a line, and the escape character itself, are kept too.
            QCOMPARE(owners.set("tab\tid", "thing-4"), std::string());
            QCOMPARE(owners.set(std::string("line\r\nbreak\0nul%41", 18), "thing-4"), std::string());
            QCOMPARE(owners.set("%41", "thing-5"), std::string()); // not the same client as "A"
            QCOMPARE(owners.thingOf("tab\tid"), std::optional<std::string>("thing-4"));
            QCOMPARE(owners.forgetClient("dev-b"), std::string());
            QCOMPARE(owners.thingOf("dev-b"), std::nullopt);
        }
        SessionOwners again(path);
        again.load();
        QCOMPARE(again.size(), size_t(5));
        QCOMPARE(again.thingOf("dev-a"), std::optional<std::string>("thing-3"));
        QCOMPARE(again.thingOf("dev-c"), std::optional<std::string>("thing-2"));
        QCOMPARE(again.thingOf("tab\tid"), std::optional<std::string>("thing-4"));
        QCOMPARE(again.thingOf(std::string("line\r\nbreak\0nul%41", 18)), std::optional<std::string>("thing-4"));
        QCOMPARE(again.thingOf("%41"), std::optional<std::string>("thing-5"));
        QCOMPARE(again.thingOf("A"), std::nullopt);
        QCOMPARE(again.forgetClient("tab\tid"), std::string()); // its line goes too
        QCOMPARE(again.forgetThing("thing-5"), std::string());
        // A removed thing's sessions go, in memory and in the file.
        QCOMPARE(again.forgetThing("thing-2"), std::string());
        QCOMPARE(again.thingOf("dev-c"), std::nullopt);
        SessionOwners third(path);
        third.load();
        QCOMPARE(third.size(), size_t(2)); // dev-a and the one with line breaks
        // Damaged lines are skipped.
        QFile f(QString::fromStdString(path));
        QVERIFY(f.open(QIODevice::Append));
        f.write("no-tab-here\n\tno-client\nno-thing\t\nbad%4\tthing-6\nbad%ZZ\tthing-6\ndev-d\tthing-5");
        f.close();
        third.load();
        QCOMPARE(third.size(), size_t(3));
        QCOMPARE(third.thingOf(std::string("line\r\nbreak\0nul%41", 18)), std::optional<std::string>("thing-4"));
        QCOMPARE(third.thingOf("dev-d"), std::optional<std::string>("thing-5"));
    }

    // The channels a restarted broker subscribes to again for the persistent sessions Mosquitto restores.
    void channelStateFileKeepsSubscribedChannels()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string path = dir.filePath(u"plugin-channels"_s).toStdString();
        {
            ChannelStateFile file(path);
            QVERIFY(file.load().empty()); // no file yet
            QCOMPARE(file.add("c1"), std::string());
            QCOMPARE(file.add("c2"), std::string());
            QCOMPARE(file.add("c3"), std::string());
            QCOMPARE(file.remove("c2"), std::string());
        }
        // A later broker process: what was kept, in order, without the removed channel.
        ChannelStateFile again(path);
        QCOMPARE(again.load(), (std::vector<std::string>{"c1", "c3"}));

        // A line cut short or damaged by hand is skipped, never subscribed as a subject; duplicates load once.
        QFile f(QString::fromStdString(path));
        QVERIFY(f.open(QIODevice::Append));
        f.write("bad.id\nc1\n\nchannels/x\nc4 \n*\nc5");
        f.close();
        QCOMPARE(again.load(), (std::vector<std::string>{"c1", "c3", "c5"}));

        // Removing from a damaged file keeps the good lines and drops the rest.
        QCOMPARE(again.remove("c1"), std::string());
        QCOMPARE(again.load(), (std::vector<std::string>{"c3", "c5"}));

        // An unwritable place is reported, not thrown.
        ChannelStateFile nowhere("/proc/not-a-dir/plugin-channels");
        QVERIFY(!nowhere.add("c1").empty());
        QVERIFY(nowhere.load().empty());
        ChannelStateFile none; // no plugin_opt_state_file: keeps nothing, no error
        QCOMPARE(none.add("c1"), std::string());
        QVERIFY(none.load().empty());
    }
};

QTEST_APPLESS_MAIN(TestMqttTopics)
#include "tst_mqtttopics.moc"
