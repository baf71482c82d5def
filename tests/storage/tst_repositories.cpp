// One repository suite, run against SQLite (tst_repositories) and PostgreSQL (tst_repositories_postgres).
#include "core/ids.h"
#include "storage/sql/sqlmessagerepository.h"
#include "storage/sql/sqlrepositories.h"
#include "testdatabase.h"

#include <QTest>
#include <atomic>
#include <thread>

using namespace Qt::StringLiterals;
using namespace mf;
using namespace mf::storage;

// The value of a Result the test goes on with. On an error the test fails here, naming the expression and the
// error's message, instead of dereferencing an empty Result (it goes on with a default value).
template <typename T>
T valueOrFail(Result<T> result, const char *expression, const char *file, int line)
{
    if (result) return std::move(*result);
    const QString message = u"%1: %2"_s.arg(QLatin1StringView(expression), result.error().message);
    QTest::qFail(qPrintable(message), file, line);
    return T{};
}
#define REQUIRED(expression) valueOrFail((expression), #expression, __FILE__, __LINE__)
// Checks a Result (evaluated once) before it is used, failing with its error's message.
#define QVERIFY_RESULT(expression)                                                                                     \
    do {                                                                                                               \
        const auto &result_ = (expression);                                                                            \
        QVERIFY2(result_.has_value(), qPrintable(result_ ? QString() : result_.error().message));                      \
    } while (false)

class TestRepositories : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<SqlUserRepository> m_users;
    std::unique_ptr<SqlThingRepository> m_things;
    std::unique_ptr<SqlChannelRepository> m_channels;

    User addUser(const QString &email)
    {
        User u{newId(), email, u"hash"_s, false, true, 0, nowMs()};
        const auto r = m_users->insert(u);
        if (!r) qFatal("insert user failed");
        return u;
    }
    Thing makeThing(const QString &owner, const QString &name, qint64 created = nowMs())
    {
        return Thing{newId(), owner, u"device"_s, name, newId(), QJsonObject{{u"k"_s, name}}, created, created};
    }
    Channel makeChannel(const QString &owner, const QString &name, qint64 created = nowMs())
    {
        return Channel{newId(), owner, name, {}, created, created};
    }

private slots:
    void init()
    {
        auto db = testing::openTestDatabase(m_dir);
        QVERIFY2(db.has_value(), qPrintable(db ? QString() : db.error().message));
        m_db = std::move(*db);
        m_users = std::make_unique<SqlUserRepository>(*m_db);
        m_things = std::make_unique<SqlThingRepository>(*m_db);
        m_channels = std::make_unique<SqlChannelRepository>(*m_db);
    }
    void cleanup()
    {
        m_users.reset();
        m_things.reset();
        m_channels.reset();
        m_db.reset();
        if (!testing::testingPostgres()) QFile::remove(m_dir.filePath(u"mainflux.db"_s));
    }

    // 0001–0008 (… 0005 rules, 0006 name search, 0007 owner totals, 0008 messages by name)
    void migrationsApplied() { QCOMPARE(m_db->schemaVersion(), 8); }

    void usersInsertReadConflict()
    {
        const User ann = addUser(u"Ann@Example.com"_s);
        auto byEmail = m_users->byEmail(u"ann@example.COM"_s);
        QVERIFY_RESULT(byEmail);
        QCOMPARE(byEmail->id, ann.id);
        QCOMPARE(byEmail->email, u"ann@example.com"_s);
        QVERIFY(byEmail->enabled);
        QVERIFY(!byEmail->admin);

        User dup{newId(), u"ANN@example.com"_s, u"x"_s, false, true, 0, 1};
        auto conflict = m_users->insert(dup);
        QVERIFY(!conflict);
        QCOMPARE(conflict.error().code, ErrorCode::Conflict);
        QCOMPARE(REQUIRED(m_users->count()), 1);
        QCOMPARE(m_users->byId(u"nope"_s).error().code, ErrorCode::NotFound);
    }

    void usersUpdateAndList()
    {
        User ann = addUser(u"ann@example.com"_s);
        addUser(u"bob@example.com"_s);
        addUser(u"bobby@example.org"_s);
        ann.admin = true;
        ann.enabled = false;
        ann.tokenVersion = 3;
        ann.passwordHash = u"new"_s;
        QVERIFY_RESULT(m_users->update(ann));
        const User read = REQUIRED(m_users->byId(ann.id));
        QCOMPARE(read.admin, true);
        QCOMPARE(read.enabled, false);
        QCOMPARE(read.tokenVersion, 3);
        QCOMPARE(read.passwordHash, u"new"_s);

        PageQuery q;
        q.name = u"bob"_s;
        auto page = m_users->list(q);
        QVERIFY_RESULT(page);
        QCOMPARE(page->total, 2);
        QCOMPARE(page->items.size(), 2);
    }

    void thingsBulkInsertIsAtomic()
    {
        const User ann = addUser(u"ann@example.com"_s);
        Thing a = makeThing(ann.id, u"a"_s);
        Thing b = makeThing(ann.id, u"b"_s);
        b.key = a.key; // duplicate key: the whole batch must fail
        auto r = m_things->insert({a, b});
        QVERIFY(!r);
        QCOMPARE(r.error().code, ErrorCode::Conflict);
        QCOMPARE(REQUIRED(m_things->list(ann.id, {})).total, 0);

        b.key = newId();
        QVERIFY_RESULT(m_things->insert({a, b}));
        QCOMPARE(REQUIRED(m_things->list(ann.id, {})).total, 2);
        const Thing read = REQUIRED(m_things->byId(ann.id, a.id));
        QCOMPARE(read.name, u"a"_s);
        QCOMPARE(read.metadata.object().value("k"_L1).toString(), u"a"_s);
        QCOMPARE(read.key, a.key);
        QCOMPARE(REQUIRED(m_things->byKey(b.key)).id, b.id);
    }

    void thingsAreOwnerScoped()
    {
        const User ann = addUser(u"ann@example.com"_s);
        const User bob = addUser(u"bob@example.com"_s);
        Thing t = makeThing(ann.id, u"boiler"_s);
        QVERIFY_RESULT(m_things->insert({t}));
        QCOMPARE(m_things->byId(bob.id, t.id).error().code, ErrorCode::NotFound);
        QCOMPARE(REQUIRED(m_things->list(bob.id, {})).total, 0);
        Thing stolen = t;
        stolen.owner = bob.id;
        stolen.name = u"mine"_s;
        QCOMPARE(m_things->update(stolen).error().code, ErrorCode::NotFound);
        QCOMPARE(m_things->updateKey(bob.id, t.id, newId()).error().code, ErrorCode::NotFound);
        QCOMPARE(REQUIRED(m_things->remove(bob.id, t.id)), false);
        QCOMPARE(REQUIRED(m_things->byId(ann.id, t.id)).name, u"boiler"_s);
    }

    void thingsPagingFilterOrder_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QString>("order");
        QTest::addColumn<bool>("descending");
        QTest::addColumn<qint64>("offset");
        QTest::addColumn<qint64>("limit");
        QTest::addColumn<qint64>("total");
        QTest::addColumn<QStringList>("names");
        QTest::addRow("first page") << QString() << u"created"_s << false << 0LL << 2LL << 5LL
                                    << QStringList{u"sensor-1"_s, u"Sensor-2"_s};
        QTest::addRow("second page") << QString() << u"created"_s << false << 2LL << 2LL << 5LL
                                     << QStringList{u"pump"_s, u"50%_off"_s};
        QTest::addRow("past the end") << QString() << u"created"_s << false << 10LL << 2LL << 5LL << QStringList{};
        QTest::addRow("filter is case-insensitive")
            << u"SENSOR"_s << u"created"_s << false << 0LL << 10LL << 2LL << QStringList{u"sensor-1"_s, u"Sensor-2"_s};
        QTest::addRow("wildcards are literal")
            << u"%_"_s << u"created"_s << false << 0LL << 10LL << 1LL << QStringList{u"50%_off"_s};
        // Three characters and more go through the trigram index (SQLite FTS5, PostgreSQL pg_trgm); fewer cannot.
        QTest::addRow("indexed filter with wildcards")
            << u"0%_O"_s << u"created"_s << false << 0LL << 10LL << 1LL << QStringList{u"50%_off"_s};
        QTest::addRow("indexed filter inside a name")
            << u"nsor-"_s << u"created"_s << false << 0LL << 10LL << 2LL << QStringList{u"sensor-1"_s, u"Sensor-2"_s};
        QTest::addRow("one character") << u"v"_s << u"created"_s << false << 0LL << 10LL << 1LL
                                       << QStringList{u"valve"_s};
        QTest::addRow("quote in the filter")
            << u"pu\"mp"_s << u"created"_s << false << 0LL << 10LL << 0LL << QStringList{};
        QTest::addRow("trigrams present, not in a row")
            << u"sensorpump"_s << u"created"_s << false << 0LL << 10LL << 0LL << QStringList{};
        QTest::addRow("by name desc") << QString() << u"name"_s << true << 0LL << 3LL << 5LL
                                      << QStringList{u"valve"_s, u"sensor-1"_s, u"pump"_s};
    }
    void thingsPagingFilterOrder()
    {
        QFETCH(QString, filter);
        QFETCH(QString, order);
        QFETCH(bool, descending);
        QFETCH(qint64, offset);
        QFETCH(qint64, limit);
        QFETCH(qint64, total);
        QFETCH(QStringList, names);
        const User ann = addUser(u"ann@example.com"_s);
        const User bob = addUser(u"bob@example.com"_s);
        QList<Thing> things;
        qint64 t = 1000;
        for (const QString &n : {u"sensor-1"_s, u"Sensor-2"_s, u"pump"_s, u"50%_off"_s, u"valve"_s})
            things.append(makeThing(ann.id, n, t++));
        QVERIFY_RESULT(m_things->insert(things));
        QVERIFY_RESULT(m_things->insert({makeThing(bob.id, u"sensor-bob"_s)}));
        PageQuery q{offset, limit, filter, order, descending};
        auto page = m_things->list(ann.id, q);
        QVERIFY_RESULT(page);
        QCOMPARE(page->total, total);
        QCOMPARE(page->offset, offset);
        QCOMPARE(page->limit, limit);
        QStringList got;
        for (const Thing &th : page->items)
            got.append(th.name);
        if (order == "name"_L1) // collation of mixed case differs between engines: compare case-insensitively
            for (QString &n : got)
                n = n.toLower();
        QStringList expected = names;
        if (order == "name"_L1)
            for (QString &n : expected)
                n = n.toLower();
        QCOMPARE(got, expected);
    }

    // The name index follows creates, renames and deletes (SQLite: triggers; PostgreSQL: the index itself).
    void nameFilterFollowsChanges()
    {
        const User ann = addUser(u"ann@example.com"_s);
        Thing boiler = makeThing(ann.id, u"Boiler room"_s);
        Channel channel = makeChannel(ann.id, u"Heating loop"_s);
        QVERIFY_RESULT(m_things->insert({boiler, makeThing(ann.id, u"pump"_s)}));
        QVERIFY_RESULT(m_channels->insert({channel}));
        const auto thingNames = [&](const QString &filter) {
            QStringList names;
            const auto page = REQUIRED(m_things->list(ann.id, PageQuery{0, 10, filter}));
            for (const Thing &t : page.items)
                names.append(t.name);
            return names;
        };
        const auto channelTotal = [&](const QString &filter) {
            return REQUIRED(m_channels->list(ann.id, PageQuery{0, 10, filter})).total;
        };
        QCOMPARE(thingNames(u"boiler"_s), QStringList{u"Boiler room"_s});
        QCOMPARE(channelTotal(u"loop"_s), 1);
        boiler.name = u"Kettle"_s;
        QVERIFY_RESULT(m_things->update(boiler));
        channel.name = u"Cooling"_s;
        QVERIFY_RESULT(m_channels->update(channel));
        QCOMPARE(thingNames(u"boiler"_s), QStringList{});
        QCOMPARE(thingNames(u"ettl"_s), QStringList{u"Kettle"_s});
        QCOMPARE(channelTotal(u"loop"_s), 0);
        QCOMPARE(channelTotal(u"cool"_s), 1);
        QVERIFY(REQUIRED(m_things->remove(ann.id, boiler.id)));
        QCOMPARE(thingNames(u"ettl"_s), QStringList{});
        const Thing next = makeThing(ann.id, u"Boiler two"_s); // may take the deleted row's place
        QVERIFY_RESULT(m_things->insert({next}));
        QCOMPARE(thingNames(u"boiler"_s), QStringList{u"Boiler two"_s});
        QCOMPARE(thingNames(u"ettl"_s), QStringList{});
    }

    void thingKeyRotationConflict()
    {
        const User ann = addUser(u"ann@example.com"_s);
        Thing a = makeThing(ann.id, u"a"_s), b = makeThing(ann.id, u"b"_s);
        QVERIFY_RESULT(m_things->insert({a, b}));
        QCOMPARE(m_things->updateKey(ann.id, a.id, b.key).error().code, ErrorCode::Conflict);
        const QString fresh = newId();
        QVERIFY_RESULT(m_things->updateKey(ann.id, a.id, fresh));
        QCOMPARE(REQUIRED(m_things->byKey(fresh)).id, a.id);
        QCOMPARE(m_things->byKey(a.key).error().code, ErrorCode::NotFound);
    }

    void connectionsRespectOwnership()
    {
        const User ann = addUser(u"ann@example.com"_s);
        const User bob = addUser(u"bob@example.com"_s);
        Thing t1 = makeThing(ann.id, u"t1"_s), t2 = makeThing(ann.id, u"t2"_s), bt = makeThing(bob.id, u"bt"_s);
        Channel c1 = makeChannel(ann.id, u"c1"_s), bc = makeChannel(bob.id, u"bc"_s);
        QVERIFY_RESULT(m_things->insert({t1, t2}));
        QVERIFY_RESULT(m_things->insert({bt}));
        QVERIFY_RESULT(m_channels->insert({c1}));
        QVERIFY_RESULT(m_channels->insert({bc}));

        QCOMPARE(m_channels->connect(ann.id, {c1.id}, {bt.id}).error().code, ErrorCode::NotFound);
        QCOMPARE(m_channels->connect(ann.id, {bc.id}, {t1.id}).error().code, ErrorCode::NotFound);
        QCOMPARE(m_channels->connect(bob.id, {c1.id}, {bt.id}).error().code, ErrorCode::NotFound);
        QVERIFY_RESULT(m_channels->connect(ann.id, {c1.id}, {t1.id, t2.id}));
        QVERIFY_RESULT(m_channels->connect(ann.id, {c1.id}, {t1.id})); // idempotent
        QVERIFY(REQUIRED(m_channels->isConnected(c1.id, t1.id)));
        QCOMPARE(REQUIRED(m_things->listByChannel(ann.id, c1.id, {})).total, 2);
        QCOMPARE(REQUIRED(m_channels->listByThing(ann.id, t1.id, {})).items.value(0).id, c1.id);
        QCOMPARE(REQUIRED(m_things->listByChannel(bob.id, c1.id, {})).total, 0);
        QCOMPARE(REQUIRED(m_things->channelIdsOf(t2.id)), QStringList{c1.id});

        // Bob cannot disconnect Ann's connection; a failed pair changes nothing.
        QCOMPARE(m_channels->disconnect(bob.id, {c1.id}, {t1.id}).error().code, ErrorCode::NotFound);
        QCOMPARE(m_channels->disconnect(ann.id, {c1.id}, {t1.id, bt.id}).error().code, ErrorCode::NotFound);
        QVERIFY(REQUIRED(m_channels->isConnected(c1.id, t1.id)));
        QVERIFY_RESULT(m_channels->disconnect(ann.id, {c1.id}, {t1.id}));
        QVERIFY(!REQUIRED(m_channels->isConnected(c1.id, t1.id)));

        // Deleting a thing removes its connections.
        QVERIFY(REQUIRED(m_things->remove(ann.id, t2.id)));
        QVERIFY(!REQUIRED(m_channels->isConnected(c1.id, t2.id)));
        QCOMPARE(REQUIRED(m_things->remove(ann.id, t2.id)), false);
    }

    void deletingUserCascades()
    {
        const User ann = addUser(u"ann@example.com"_s);
        Thing t = makeThing(ann.id, u"t"_s);
        Channel c = makeChannel(ann.id, u"c"_s);
        QVERIFY_RESULT(m_things->insert({t}));
        QVERIFY_RESULT(m_channels->insert({c}));
        QVERIFY_RESULT(m_channels->connect(ann.id, {c.id}, {t.id}));
        QVERIFY(REQUIRED(m_users->remove(ann.id)));
        QCOMPARE(m_things->byKey(t.key).error().code, ErrorCode::NotFound);
        QCOMPARE(m_channels->byId(ann.id, c.id).error().code, ErrorCode::NotFound);
        QVERIFY(!REQUIRED(m_channels->isConnected(c.id, t.id)));
    }

    // The totals of unfiltered lists are kept by triggers (migration 0007), not counted: they must follow every change.
    void listTotalsFollowChanges()
    {
        const User ann = addUser(u"ann@example.com"_s);
        const User bob = addUser(u"bob@example.com"_s);
        const Thing a = makeThing(ann.id, u"a"_s), b = makeThing(ann.id, u"b"_s);
        QVERIFY_RESULT(m_things->insert({a, b, makeThing(ann.id, u"c"_s)}));
        QVERIFY_RESULT(m_things->insert({makeThing(bob.id, u"d"_s)}));
        QVERIFY_RESULT(m_channels->insert({makeChannel(ann.id, u"x"_s), makeChannel(ann.id, u"y"_s)}));
        Thing taken = makeThing(ann.id, u"e"_s);
        taken.key = a.key;
        QVERIFY(!m_things->insert({makeThing(ann.id, u"f"_s), taken})); // rolled back whole: no total changes
        const auto thingTotal = [&](const QString &owner) {
            return REQUIRED(m_things->list(owner, PageQuery{0, 1})).total;
        };
        QCOMPARE(thingTotal(ann.id), 3);
        QCOMPARE(thingTotal(bob.id), 1);
        QCOMPARE(REQUIRED(m_channels->list(ann.id, PageQuery{0, 1})).total, 2);
        QCOMPARE(REQUIRED(m_channels->list(bob.id, PageQuery{0, 1})).total, 0);
        QVERIFY(REQUIRED(m_things->remove(ann.id, b.id)));
        QVERIFY(!REQUIRED(m_things->remove(bob.id, a.id))); // not bob's: nothing removed
        QCOMPARE(thingTotal(ann.id), 2);
        QCOMPARE(thingTotal(bob.id), 1);
        QCOMPARE(REQUIRED(m_things->list(ann.id, PageQuery{0, 1, u"c"_s})).total, 1); // filters count their matches
        PageQuery online{0, 1};
        online.status = u"online"_s;
        QCOMPARE(REQUIRED(m_things->list(ann.id, online)).total, 0);
        QVERIFY(REQUIRED(m_users->remove(ann.id)));
        QCOMPARE(thingTotal(ann.id), 0);
        QCOMPARE(REQUIRED(m_channels->list(ann.id, PageQuery{0, 1})).total, 0);
        QCOMPARE(thingTotal(bob.id), 1);
    }

    // Values travel as parameters on both databases (PostgreSQL: libpq's PQexecParams, not QPSQL): quotes, `?` and
    // `$1` in a value are data, never SQL.
    void quotesAndPlaceholdersInValuesStayData()
    {
        const User ann = addUser(u"ann@example.com"_s);
        Thing t = makeThing(ann.id, u"plain"_s);
        QVERIFY_RESULT(m_things->insert({t, makeThing(ann.id, u"other"_s)}));
        t.name = u"it's ? $1 \"q\" 100%"_s;
        QVERIFY_RESULT(m_things->update(t));
        QCOMPARE(REQUIRED(m_things->byId(ann.id, t.id)).name, t.name);
        const auto page = m_things->list(ann.id, PageQuery{0, 10, u"'s ? $1"_s});
        QVERIFY_RESULT(page);
        QCOMPARE(page->total, 1);
        QCOMPARE(page->items.at(0).name, t.name);
        QCOMPARE(REQUIRED(m_things->list(ann.id, PageQuery{0, 10, u"$2"_s})).total, 0);
    }

    void channelUpdateAndData()
    {
        const User ann = addUser(u"ann@example.com"_s);
        Channel c = makeChannel(ann.id, u"c"_s);
        QVERIFY_RESULT(m_channels->insert({c}));
        c.name = u"renamed"_s;
        c.metadata = QJsonObject{{u"lora"_s, QJsonObject{{u"app_id"_s, u"7"_s}}}};
        c.updatedAt = 42;
        QVERIFY_RESULT(m_channels->update(c));
        const Channel read = REQUIRED(m_channels->byId(ann.id, c.id));
        QCOMPARE(read.name, u"renamed"_s);
        QCOMPARE(read.metadata, c.metadata);
        QCOMPARE(read.updatedAt, 42);
    }

    // Metadata keeps the form it was given in (issue 18): a Mainflux 0.7 string comes back as the same string, byte
    // for byte; none stays none; an object stays an object.
    void metadataKeepsItsForm_data()
    {
        QTest::addColumn<QJsonValue>("given");
        QTest::addColumn<QJsonValue>("returned");
        const QJsonValue none(QJsonValue::Undefined);
        const QJsonValue object(QJsonObject{{u"room"_s, u"a1"_s}});
        const QJsonValue string(u"{\"room\":  \"a1\", \"n\": 1.50}"_s);
        const QJsonValue quoted(u"{\"say\": \"\\\"hi\\\" ä €\"}"_s);
        QTest::addRow("none") << none << none;
        QTest::addRow("object") << object << object;
        QTest::addRow("0.7 string") << string << string;
        QTest::addRow("string with quotes and unicode") << quoted << quoted;
        // Rows written before metadata kept its form hold '{}' for "none": a 0.7 SDK cannot decode an object, and an
        // empty object says nothing, so it reads as none.
        QTest::addRow("empty object") << QJsonValue(QJsonObject{}) << none;
    }
    void metadataKeepsItsForm()
    {
        QFETCH(QJsonValue, given);
        QFETCH(QJsonValue, returned);
        const auto metadata = Metadata::fromJson(given);
        QVERIFY_RESULT(metadata);
        const User ann = addUser(u"ann@example.com"_s);
        Thing t = makeThing(ann.id, u"t"_s);
        t.metadata = *metadata;
        Channel c = makeChannel(ann.id, u"c"_s);
        c.metadata = *metadata;
        QVERIFY_RESULT(m_things->insert({t}));
        QVERIFY_RESULT(m_channels->insert({c}));
        const Thing thing = REQUIRED(m_things->byId(ann.id, t.id));
        const Channel channel = REQUIRED(m_channels->byId(ann.id, c.id));
        QCOMPARE(thing.metadata.toJson(), returned);
        QCOMPARE(channel.metadata.toJson(), returned);
        // Updates keep it too, and the search still finds words inside the string form.
        t.name = u"renamed"_s;
        QVERIFY_RESULT(m_things->update(t));
        QCOMPARE(REQUIRED(m_things->byId(ann.id, t.id)).metadata.toJson(), returned);
        if (metadata->form() == Metadata::Form::String) {
            const auto found = m_things->withMetadataMentioning(metadata->object().constBegin().key());
            QVERIFY_RESULT(found);
            QCOMPARE(found->size(), 1);
        }
    }

    // Issue 13: a REST write (here connect/disconnect, which read and then write in one transaction) must wait for
    // the message writer's lock instead of failing with "database is locked" (a 503 on the REST API).
    void changesSucceedWhileTheWriterStores()
    {
        const User ann = addUser(u"ann@example.com"_s);
        const Channel channel = makeChannel(ann.id, u"busy"_s);
        QVERIFY_RESULT(m_channels->insert({channel}));
        QList<Thing> things;
        for (int i = 0; i < 20; ++i) {
            things.append(makeThing(ann.id, u"t%1"_s.arg(i)));
            QVERIFY_RESULT(m_things->insert({things.last()}));
        }

        std::atomic<bool> stop{false};
        std::atomic<int> batches{0};
        QString writerError;
        std::thread writer([&] {
            auto db = testing::openSameTestDatabase(m_dir);
            if (!db) {
                writerError = db.error().message;
                return;
            }
            {
                SqlMessageRepository messages(**db);
                for (quint64 seq = 1; !stop.load(); ++seq) {
                    QList<StoredMessage> batch;
                    for (int i = 0; i < 512; ++i) {
                        StoredMessage m;
                        m.channel = channel.id;
                        m.name = u"n"_s;
                        m.value = i;
                        m.time = double(seq);
                        m.sourceSequence = seq;
                        m.sourceIndex = i;
                        batch.append(m);
                    }
                    if (auto r = messages.insert(batch); !r) {
                        writerError = r.error().message;
                        return;
                    }
                    ++batches;
                }
            }
        });
        QTRY_VERIFY(batches.load() > 0 || !writerError.isEmpty()); // the writer is storing before the changes start

        int failures = 0;
        QString firstFailure;
        const auto check = [&](const Result<void> &r) {
            if (r) return;
            if (failures++ == 0) firstFailure = r.error().message;
        };
        for (int round = 0; round < 25; ++round) {
            for (Thing &t : things) {
                check(m_channels->connect(ann.id, {channel.id}, {t.id}));
                check(m_channels->disconnect(ann.id, {channel.id}, {t.id}));
                t.name = u"r%1"_s.arg(round);
                check(m_things->update(t));
                check(m_things->updateKey(ann.id, t.id, newId()));
            }
            const Thing extra = makeThing(ann.id, u"extra"_s);
            check(m_things->insert({extra}));
            const auto removed = m_things->remove(ann.id, extra.id);
            check(removed ? Result<void>{} : std::unexpected(removed.error()));
        }
        const int during = batches.load();
        stop = true;
        writer.join();
        QVERIFY2(writerError.isEmpty(), qPrintable(writerError));
        QVERIFY2(failures == 0, qPrintable(u"%1 of 2050 changes failed, first: %2"_s.arg(failures).arg(firstFailure)));
        QVERIFY2(during > 1, "the writer did not store while the changes ran"); // else the test proved nothing
    }

    void messagesStoreOnceAndFilter()
    {
        SqlMessageRepository messages(*m_db);
        QList<StoredMessage> batch;
        for (int i = 0; i < 5; ++i) {
            StoredMessage m;
            m.channel = u"chan-a"_s;
            m.publisher = i < 3 ? u"p1"_s : u"p2"_s;
            m.protocol = u"http"_s;
            m.subtopic = i == 4 ? u"room1.temp"_s : QString();
            m.name = i % 2 ? u"dev:temp"_s : u"dev:hum"_s;
            m.unit = u"Cel"_s;
            m.value = 20.5 + i;
            m.time = 1000.0 + i;
            m.sourceSequence = 7;
            m.sourceIndex = i;
            batch.append(m);
        }
        StoredMessage raw;
        raw.channel = u"chan-a"_s;
        raw.contentType = u"application/octet-stream"_s;
        raw.payload = QByteArray("\x00\x01binary", 8);
        raw.time = 2000;
        raw.sourceSequence = 8;
        batch.append(raw);
        StoredMessage other = batch.first();
        other.channel = u"chan-b"_s;
        other.boolValue = true;
        other.value.reset();
        other.sourceSequence = 9;
        batch.append(other);
        QCOMPARE(REQUIRED(messages.insert(batch)), 7);
        QCOMPARE(REQUIRED(messages.insert(batch)), 0); // redelivered batch: stored once, and counted once
        StoredMessage reused = batch.first();          // a recreated stream reuses sequence 7, at another time
        reused.createdNs = 1'700'000'000'000'000'000;
        reused.time = 999;
        QCOMPARE(REQUIRED(messages.insert({reused})), 1);
        QCOMPARE(REQUIRED(messages.query(u"chan-a"_s, {0, 100})).total, 7);
        MessageQuery beforeAll{0, 100};
        beforeAll.to = 999.5;
        QCOMPARE(REQUIRED(messages.query(u"chan-a"_s, beforeAll)).total, 1);

        auto all = messages.query(u"chan-a"_s, {0, 100});
        QVERIFY_RESULT(all);
        QCOMPARE(all->total, 7);
        QCOMPARE(all->items.first().payload, QByteArray("\x00\x01binary", 8)); // newest first
        QCOMPARE(all->items.first().contentType, u"application/octet-stream"_s);
        QVERIFY(!all->items.first().value);
        QCOMPARE(*all->items.at(1).value, 24.5);
        QCOMPARE(all->items.at(1).subtopic, u"room1.temp"_s);

        MessageQuery q{0, 100};
        q.publisher = u"p1"_s;
        q.name = u"dev:hum"_s;
        QCOMPARE(REQUIRED(messages.query(u"chan-a"_s, q)).total, 3); // two of the batch, and the reused-sequence one
        MessageQuery range{0, 100};
        range.from = 1001;
        range.to = 1003;
        QCOMPARE(REQUIRED(messages.query(u"chan-a"_s, range)).total, 3);
        MessageQuery sub{0, 100};
        sub.subtopic = u"room1.temp"_s;
        QCOMPARE(REQUIRED(messages.query(u"chan-a"_s, sub)).total, 1);
        MessageQuery paged{4, 10};
        QCOMPARE(REQUIRED(messages.query(u"chan-a"_s, paged)).items.size(), 3);
        auto b = messages.query(u"chan-b"_s, {0, 10});
        QVERIFY_RESULT(b);
        QCOMPARE(b->total, 1);
        QCOMPARE(*b->items.first().boolValue, true);
    }
    // A writer-sized batch (one COPY on PostgreSQL): a record repeated later in the batch, and a redelivery that
    // overlaps a partly stored batch, still store every record once, with every character as it was sent.
    void messagesOfALargeBatchStoreOnce()
    {
        SqlMessageRepository messages(*m_db);
        const int size = 1010;
        QList<StoredMessage> batch;
        for (int i = 0; i < size; ++i) {
            StoredMessage m;
            m.channel = u"chan-c"_s;
            m.publisher = u"p1"_s;
            m.name = u"n%1"_s.arg(i % 7);
            m.value = i;
            m.time = 5000.0 + i;
            m.createdNs = 42;
            m.sourceSequence = quint64(100 + i / 3);
            m.sourceIndex = i % 3;
            batch.append(m);
        }
        // Characters that delimit COPY's text format (PostgreSQL) come back unchanged.
        const QString awkward = u"tab\there\nnew line\r \\N back\\slash 'quote' \u00fcn\u00efcode"_s;
        batch[0].value.reset();
        batch[0].stringValue = awkward;
        batch[0].subtopic = awkward;
        batch[1].payload = QByteArray("\x00\\\t\n\xff", 5);
        batch[1].contentType = u"application/octet-stream"_s;
        StoredMessage duplicate = batch.at(3); // redelivered inside the same batch
        duplicate.value = -1;
        batch.insert(1005, duplicate);
        QCOMPARE(REQUIRED(messages.insert(batch.mid(0, 20))), 20);     // a first part was stored before a crash
        QCOMPARE(REQUIRED(messages.insert(batch)), qint64(size - 20)); // the whole batch comes back
        QCOMPARE(REQUIRED(messages.insert(batch)), 0);                 // and once more
        auto all = messages.query(u"chan-c"_s, {0, 1});
        QVERIFY_RESULT(all);
        QCOMPARE(all->total, qint64(size));
        MessageQuery third{0, 10};
        third.from = 5003;
        third.to = 5003;
        auto one = messages.query(u"chan-c"_s, third);
        QVERIFY_RESULT(one);
        QCOMPARE(one->total, 1);
        QCOMPARE(*one->items.first().value, 3.0); // the first copy stays
        MessageQuery first{0, 10};
        first.to = 5001;
        auto oldest = messages.query(u"chan-c"_s, first);
        QVERIFY_RESULT(oldest);
        QCOMPARE(oldest->total, 2);
        QCOMPARE(*oldest->items.at(1).stringValue, awkward);
        QCOMPARE(oldest->items.at(1).subtopic, awkward);
        QVERIFY(!oldest->items.at(1).value);
        QCOMPARE(oldest->items.at(0).payload, QByteArray("\x00\\\t\n\xff", 5));
        MessageQuery last{0, 1}; // the record after the duplicate is stored with its own values
        auto newest = messages.query(u"chan-c"_s, last);
        QVERIFY_RESULT(newest);
        QCOMPARE(*newest->items.first().value, double(size - 1));
    }
};

QTEST_GUILESS_MAIN(TestRepositories)
#include "tst_repositories.moc"
