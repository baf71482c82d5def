// (No raw string literals here: moc 6.4 loses the class after one.)
// CachedAccessControl in front of the real ThingsService over the SQL repositories (SQLite, and PostgreSQL as
// tst_cachedaccesscontrol_postgres), wired to ThingsService::changed as app/backend/backend.cpp does. A counting
// AccessControl between the cache and the service shows when the cache answered and when it asked the source.
#include "core/ids.h"
#include "services/things/cachedaccesscontrol.h"
#include "services/things/thingsservice.h"
#include "storage/sql/sqlrepositories.h"
#include "testdatabase.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace mf;
using things::CachedAccessControl;
using things::ThingsService;

namespace {

// Forwards to the real source and counts the calls that got through the cache.
class CountingAccessControl final : public things::AccessControl
{
public:
    explicit CountingAccessControl(things::AccessControl &source) : m_source(source) {}

    Result<QString> identify(const QString &key) override
    {
        ++identifyCalls;
        return m_source.identify(key);
    }
    Result<QString> canAccess(const QString &channelId, const QString &key) override
    {
        ++canAccessCalls;
        return m_source.canAccess(channelId, key);
    }
    Result<void> canAccessById(const QString &channelId, const QString &thingId) override
    {
        ++canAccessByIdCalls;
        return m_source.canAccessById(channelId, thingId);
    }
    Result<QString> keyOf(const QString &thingId) override
    {
        ++keyOfCalls;
        return m_source.keyOf(thingId);
    }
    Result<QString> contentTypeOf(const QString &channelId) override
    {
        ++contentTypeCalls;
        return m_source.contentTypeOf(channelId);
    }
    int total() const { return identifyCalls + canAccessCalls + canAccessByIdCalls + contentTypeCalls + keyOfCalls; }

    int identifyCalls = 0;
    int canAccessCalls = 0;
    int canAccessByIdCalls = 0;
    int contentTypeCalls = 0;
    int keyOfCalls = 0;

private:
    things::AccessControl &m_source;
};

} // namespace

class TestCachedAccessControl : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<storage::Database> m_db;
    std::unique_ptr<storage::SqlUserRepository> m_users;
    std::unique_ptr<storage::SqlThingRepository> m_thingRepo;
    std::unique_ptr<storage::SqlChannelRepository> m_channelRepo;
    std::unique_ptr<ThingsService> m_things;
    std::unique_ptr<CountingAccessControl> m_source;
    std::unique_ptr<CachedAccessControl> m_cache;
    QString m_owner;

    QString addUser(const QString &email)
    {
        const User user{newId(), email, u"not-a-real-hash"_s, false, true, 0, nowMs()};
        if (auto ok = m_users->insert(user); !ok) qFatal("insert user: %s", qPrintable(ok.error().message));
        return user.id;
    }
    Thing addThing(const QString &owner, const std::optional<QString> &key = std::nullopt)
    {
        things::ThingDraft draft;
        draft.name = u"t"_s;
        draft.key = key;
        auto created = m_things->createThings(owner, {draft});
        if (!created) qFatal("create thing: %s", qPrintable(created.error().message));
        return created->first();
    }
    QString addChannel(const QString &owner)
    {
        auto created = m_things->createChannels(owner, {things::ChannelDraft{u"c"_s, {}}});
        if (!created) qFatal("create channel: %s", qPrintable(created.error().message));
        return created->first().id;
    }
    void connectPair(const QString &owner, const QString &channel, const QString &thing)
    {
        if (auto ok = m_things->connect(owner, {channel}, {thing}); !ok)
            qFatal("connect: %s", qPrintable(ok.error().message));
    }

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        auto db = testing::openTestDatabase(*m_dir);
        QVERIFY2(db, qPrintable(db ? QString() : db.error().message));
        m_db = std::move(*db);
        m_users = std::make_unique<storage::SqlUserRepository>(*m_db);
        m_thingRepo = std::make_unique<storage::SqlThingRepository>(*m_db);
        m_channelRepo = std::make_unique<storage::SqlChannelRepository>(*m_db);
        m_things = std::make_unique<ThingsService>(*m_thingRepo, *m_channelRepo);
        m_source = std::make_unique<CountingAccessControl>(*m_things);
        m_cache = std::make_unique<CachedAccessControl>(*m_source);
        connect(m_things.get(), &ThingsService::changed, m_cache.get(), &CachedAccessControl::onEvent);
        m_owner = addUser(u"ann@example.com"_s);
    }
    void cleanup()
    {
        m_cache.reset();
        m_source.reset();
        m_things.reset();
        m_channelRepo.reset();
        m_thingRepo.reset();
        m_users.reset();
        m_db.reset();
        m_dir.reset();
    }

    void identifyAndCanAccessSucceed()
    {
        const Thing thing = addThing(m_owner);
        const QString channel = addChannel(m_owner);
        connectPair(m_owner, channel, thing.id);

        auto id = m_cache->identify(thing.key);
        QVERIFY2(id, qPrintable(id ? QString() : id.error().message));
        QCOMPARE(*id, thing.id);
        id = m_cache->canAccess(channel, thing.key);
        QVERIFY2(id, qPrintable(id ? QString() : id.error().message));
        QCOMPARE(*id, thing.id);
        QVERIFY(m_cache->canAccessById(channel, thing.id));
    }

    void cacheAnswersRepeatedQuestions()
    {
        const Thing thing = addThing(m_owner);
        const QString channel = addChannel(m_owner);
        connectPair(m_owner, channel, thing.id);

        QCOMPARE(*m_cache->identify(thing.key), thing.id);
        QCOMPARE(m_source->identifyCalls, 1);
        QCOMPARE(*m_cache->identify(thing.key), thing.id);
        QCOMPARE(*m_cache->canAccess(channel, thing.key), thing.id);
        QCOMPARE(m_source->identifyCalls, 1); // the key is cached
        QCOMPARE(m_source->canAccessByIdCalls, 1);
        QCOMPARE(*m_cache->canAccess(channel, thing.key), thing.id);
        QVERIFY(m_cache->canAccessById(channel, thing.id));
        QCOMPARE(m_source->canAccessByIdCalls, 1); // the connection is cached
        QCOMPARE(m_source->total(), 2);
        QCOMPARE(m_cache->cachedKeys(), 1);
        QCOMPARE(m_cache->cachedConnections(), 1);

        // A key sharing nothing but a prefix with the cached one is not taken for it.
        QCOMPARE(m_cache->identify(thing.key.chopped(1)).error().code, ErrorCode::Unauthenticated);
        QCOMPARE(m_cache->identify(thing.key + u'x').error().code, ErrorCode::Unauthenticated);
    }

    void unknownKeyIsUnauthenticated()
    {
        const QString channel = addChannel(m_owner);
        for (const QString &key : {u"no-such-key-0123456789"_s, QString()}) {
            auto id = m_cache->identify(key);
            QVERIFY(!id);
            QCOMPARE(id.error().code, ErrorCode::Unauthenticated);
            id = m_cache->canAccess(channel, key);
            QVERIFY(!id);
            QCOMPARE(id.error().code, ErrorCode::Unauthenticated);
        }
        QCOMPARE(m_cache->cachedKeys(), 0);
    }

    void notConnectedIsForbidden()
    {
        const Thing thing = addThing(m_owner);
        const QString channel = addChannel(m_owner);
        const QString otherChannel = addChannel(m_owner);
        connectPair(m_owner, otherChannel, thing.id);
        for (const QString &c : {channel, u"no-such-channel"_s}) {
            auto id = m_cache->canAccess(c, thing.key);
            QVERIFY(!id);
            QCOMPARE(id.error().code, ErrorCode::Forbidden);
            auto ok = m_cache->canAccessById(c, thing.id);
            QVERIFY(!ok);
            QCOMPARE(ok.error().code, ErrorCode::Forbidden);
        }
        // Another user's thing on Ann's channel is refused too.
        const QString bob = addUser(u"bob@example.com"_s);
        const Thing bobThing = addThing(bob);
        QCOMPARE(m_cache->canAccess(channel, bobThing.key).error().code, ErrorCode::Forbidden);
        QCOMPARE(m_cache->cachedConnections(), 0);
    }

    // No negative caching: a refused question asked again after the change that allows it succeeds at once.
    void newConnectionWorksAtOnce()
    {
        const Thing thing = addThing(m_owner);
        const QString channel = addChannel(m_owner);
        QCOMPARE(m_cache->canAccess(channel, thing.key).error().code, ErrorCode::Forbidden);
        QCOMPARE(m_cache->canAccess(channel, thing.key).error().code, ErrorCode::Forbidden);
        connectPair(m_owner, channel, thing.id);
        QCOMPARE(*m_cache->canAccess(channel, thing.key), thing.id);

        const QString customKey = u"custom-key-not-yet-used-0001"_s;
        QCOMPARE(m_cache->identify(customKey).error().code, ErrorCode::Unauthenticated);
        const Thing later = addThing(m_owner, customKey);
        QCOMPARE(*m_cache->identify(customKey), later.id);
    }

    void disconnectInvalidates()
    {
        const Thing thing = addThing(m_owner);
        const Thing other = addThing(m_owner);
        const QString channel = addChannel(m_owner);
        connectPair(m_owner, channel, thing.id);
        connectPair(m_owner, channel, other.id);
        QCOMPARE(*m_cache->canAccess(channel, thing.key), thing.id);
        QCOMPARE(*m_cache->canAccess(channel, other.key), other.id);
        QCOMPARE(*m_cache->canAccess(channel, thing.key), thing.id);
        QCOMPARE(m_source->canAccessByIdCalls, 2); // both cached

        QVERIFY(m_things->disconnect(m_owner, {channel}, {thing.id}));
        QCOMPARE(m_cache->canAccess(channel, thing.key).error().code, ErrorCode::Forbidden);
        QCOMPARE(m_cache->canAccessById(channel, thing.id).error().code, ErrorCode::Forbidden);
        QCOMPARE(*m_cache->identify(thing.key), thing.id); // the key itself is still valid
        const int before = m_source->canAccessByIdCalls;
        QCOMPARE(*m_cache->canAccess(channel, other.key), other.id); // the other connection stays cached
        QCOMPARE(m_source->canAccessByIdCalls, before);

        connectPair(m_owner, channel, thing.id);
        QCOMPARE(*m_cache->canAccess(channel, thing.key), thing.id);
    }

    void thingRemovalInvalidates()
    {
        const Thing thing = addThing(m_owner);
        const QString channel = addChannel(m_owner);
        connectPair(m_owner, channel, thing.id);
        QCOMPARE(*m_cache->canAccess(channel, thing.key), thing.id);
        QCOMPARE(*m_cache->canAccess(channel, thing.key), thing.id);
        QCOMPARE(m_source->total(), 2);

        QVERIFY(m_things->removeThing(m_owner, thing.id));
        QCOMPARE(m_cache->identify(thing.key).error().code, ErrorCode::Unauthenticated);
        QCOMPARE(m_cache->canAccess(channel, thing.key).error().code, ErrorCode::Unauthenticated);
        QCOMPARE(m_cache->canAccessById(channel, thing.id).error().code, ErrorCode::Forbidden);
        QCOMPARE(m_cache->cachedKeys(), 0);
        QCOMPARE(m_cache->cachedConnections(), 0);
    }

    void keyRotationInvalidates()
    {
        const Thing thing = addThing(m_owner);
        const Thing other = addThing(m_owner);
        const QString channel = addChannel(m_owner);
        connectPair(m_owner, channel, thing.id);
        QCOMPARE(*m_cache->canAccess(channel, thing.key), thing.id);
        QCOMPARE(*m_cache->identify(other.key), other.id);
        QCOMPARE(*m_cache->identify(thing.key), thing.id);
        QCOMPARE(m_source->identifyCalls, 2);

        auto rotated = m_things->rotateKey(m_owner, thing.id, std::nullopt);
        QVERIFY(rotated);
        QVERIFY(rotated->key != thing.key);
        QCOMPARE(m_cache->identify(thing.key).error().code, ErrorCode::Unauthenticated);
        QCOMPARE(m_cache->canAccess(channel, thing.key).error().code, ErrorCode::Unauthenticated);
        QCOMPARE(*m_cache->identify(rotated->key), thing.id);
        QCOMPARE(*m_cache->canAccess(channel, rotated->key), thing.id);
        const int before = m_source->identifyCalls;
        QCOMPARE(*m_cache->identify(other.key), other.id); // other things' keys stay cached
        QCOMPARE(m_source->identifyCalls, before);

        // A custom key: the generated one stops working as well.
        auto custom = m_things->rotateKey(m_owner, thing.id, u"a-custom-rotated-key-42"_s);
        QVERIFY(custom);
        QCOMPARE(m_cache->identify(rotated->key).error().code, ErrorCode::Unauthenticated);
        QCOMPARE(*m_cache->canAccess(channel, u"a-custom-rotated-key-42"_s), thing.id);
    }

    // DTLS PSK asks for a thing's key by its id: cached, and forgotten when the key changes or the thing goes.
    void keyOfIsCachedUntilTheKeyChanges()
    {
        const Thing thing = addThing(m_owner);
        const Thing other = addThing(m_owner);
        QCOMPARE(*m_cache->keyOf(thing.id), thing.key);
        QCOMPARE(*m_cache->keyOf(thing.id), thing.key);
        QCOMPARE(*m_cache->keyOf(other.id), other.key);
        QCOMPARE(m_source->keyOfCalls, 2);
        QCOMPARE(m_cache->keyOf(u"no-such-thing"_s).error().code, ErrorCode::Unauthenticated);

        auto rotated = m_things->rotateKey(m_owner, thing.id, std::nullopt);
        QVERIFY(rotated);
        QCOMPARE(*m_cache->keyOf(thing.id), rotated->key);
        QCOMPARE(m_source->keyOfCalls, 4);
        QCOMPARE(*m_cache->keyOf(other.id), other.key); // other things' keys stay cached
        QCOMPARE(m_source->keyOfCalls, 4);

        QVERIFY(m_things->removeThing(m_owner, thing.id));
        QCOMPARE(m_cache->keyOf(thing.id).error().code, ErrorCode::Unauthenticated);
    }

    void channelRemovalInvalidates()
    {
        const Thing thing = addThing(m_owner);
        const QString channel = addChannel(m_owner);
        const QString kept = addChannel(m_owner);
        connectPair(m_owner, channel, thing.id);
        connectPair(m_owner, kept, thing.id);
        QCOMPARE(*m_cache->canAccess(channel, thing.key), thing.id);
        QCOMPARE(*m_cache->canAccess(kept, thing.key), thing.id);
        QCOMPARE(*m_cache->canAccess(channel, thing.key), thing.id);
        QCOMPARE(m_source->canAccessByIdCalls, 2);

        QVERIFY(m_things->removeChannel(m_owner, channel));
        QCOMPARE(m_cache->canAccess(channel, thing.key).error().code, ErrorCode::Forbidden);
        QCOMPARE(m_cache->canAccessById(channel, thing.id).error().code, ErrorCode::Forbidden);
        QCOMPARE(*m_cache->canAccess(kept, thing.key), thing.id);
    }

    // The user went with everything they owned (foreign-key cascade); UsersService::userRemoved reaches the things
    // service as ownerRemoved, whose event must empty the cache of that user's keys and connections.
    void ownerRemovalInvalidates()
    {
        const Thing thing = addThing(m_owner);
        const QString channel = addChannel(m_owner);
        connectPair(m_owner, channel, thing.id);
        const QString bob = addUser(u"bob@example.com"_s);
        const Thing bobThing = addThing(bob);
        const QString bobChannel = addChannel(bob);
        connectPair(bob, bobChannel, bobThing.id);
        QCOMPARE(*m_cache->canAccess(channel, thing.key), thing.id);
        QCOMPARE(*m_cache->canAccess(bobChannel, bobThing.key), bobThing.id);
        QCOMPARE(*m_cache->canAccess(channel, thing.key), thing.id);
        QCOMPARE(m_source->total(), 4);

        auto removed = m_users->remove(m_owner);
        QVERIFY(removed && *removed);
        m_things->ownerRemoved(m_owner);
        QCOMPARE(m_cache->identify(thing.key).error().code, ErrorCode::Unauthenticated);
        QCOMPARE(m_cache->canAccess(channel, thing.key).error().code, ErrorCode::Unauthenticated);
        QCOMPARE(m_cache->canAccessById(channel, thing.id).error().code, ErrorCode::Forbidden);
        QCOMPARE(*m_cache->canAccess(bobChannel, bobThing.key), bobThing.id); // Bob is unaffected
    }

    // Changes that revoke nothing keep the cache warm.
    void harmlessChangesKeepTheCache()
    {
        const Thing thing = addThing(m_owner);
        const QString channel = addChannel(m_owner);
        connectPair(m_owner, channel, thing.id);
        QCOMPARE(*m_cache->canAccess(channel, thing.key), thing.id);
        const int before = m_source->total();

        things::ThingDraft draft;
        draft.name = u"renamed"_s;
        QVERIFY(m_things->updateThing(m_owner, thing.id, draft));
        QVERIFY(m_things->updateChannel(m_owner, channel, things::ChannelDraft{u"renamed"_s, {}}));
        addThing(m_owner);
        addChannel(m_owner);
        QCOMPARE(*m_cache->canAccess(channel, thing.key), thing.id);
        QCOMPARE(m_source->total(), before);
    }

    // A channel's content type is answered from the cache until the channel changes; an update through the service
    // is seen at once, and a bad content_type is refused with nothing stored.
    void channelContentTypeIsCachedUntilTheChannelChanges()
    {
        const QString channel = addChannel(m_owner);
        QCOMPARE(*m_cache->contentTypeOf(channel), QString());
        QCOMPARE(*m_cache->contentTypeOf(channel), QString());
        QCOMPARE(m_source->contentTypeCalls, 1);

        const QJsonObject json{{u"content_type"_s, u"application/json"_s}};
        QVERIFY(m_things->updateChannel(m_owner, channel, things::ChannelDraft{u"c"_s, json}));
        QCOMPARE(*m_cache->contentTypeOf(channel), u"application/json"_s);
        QCOMPARE(*m_cache->contentTypeOf(channel), u"application/json"_s);
        QCOMPARE(m_source->contentTypeCalls, 2);

        const QJsonObject notAType{{u"content_type"_s, u"json"_s}};
        auto refused = m_things->updateChannel(m_owner, channel, things::ChannelDraft{u"c"_s, notAType});
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, ErrorCode::Malformed);
        QVERIFY2(refused.error().message.contains(u"content_type"_s), qPrintable(refused.error().message));
        QCOMPARE(*m_things->contentTypeOf(channel), u"application/json"_s);

        QVERIFY(m_things->removeChannel(m_owner, channel));
        QCOMPARE(*m_cache->contentTypeOf(channel), QString());
        QCOMPARE(m_source->contentTypeCalls, 3);
    }
};

QTEST_GUILESS_MAIN(TestCachedAccessControl)
#include "tst_cachedaccesscontrol.moc"
