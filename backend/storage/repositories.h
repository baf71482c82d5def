#pragma once

#include "core/entities.h"
#include "core/error.h"
#include "core/message.h"

#include <QStringList>

// Storage seams. One SQL implementation serves SQLite and PostgreSQL (storage/sql); app/backend picks the
// database. Every owner-scoped read or change takes the owner id, so no query can reach another user's rows;
// an entity of another owner is NotFound, exactly like an unknown one.
namespace mf::storage {

class UserRepository
{
public:
    virtual ~UserRepository() = default;
    virtual Result<void> insert(const User &user) = 0;          // Conflict when the e-mail is taken
    virtual Result<User> byId(const QString &id) = 0;
    virtual Result<User> byEmail(const QString &email) = 0;     // e-mails are stored lower-case
    virtual Result<Page<User>> list(const PageQuery &query) = 0; // name filters the e-mail
    virtual Result<qint64> count() = 0;
    virtual Result<void> update(const User &user) = 0;          // password hash, admin, enabled, token version
    virtual Result<bool> remove(const QString &id) = 0;         // cascades to things, channels, connections
};

class ThingRepository
{
public:
    virtual ~ThingRepository() = default;
    virtual Result<void> insert(const QList<Thing> &things) = 0; // all or nothing
    virtual Result<Thing> byId(const QString &owner, const QString &id) = 0;
    virtual Result<Thing> byKey(const QString &key) = 0;
    // The key of a thing of any owner (DTLS PSK: the device names its thing id, the server needs the key).
    // NotFound when there is no such thing.
    virtual Result<QString> keyOf(const QString &thingId) = 0;
    virtual Result<Page<Thing>> list(const QString &owner, const PageQuery &query) = 0;
    virtual Result<Page<Thing>> listByChannel(const QString &owner, const QString &channelId,
                                              const PageQuery &query) = 0;
    virtual Result<void> update(const Thing &thing) = 0;         // type, name, metadata, updated_at
    virtual Result<void> updateKey(const QString &owner, const QString &id, const QString &key) = 0;
    virtual Result<bool> remove(const QString &owner, const QString &id) = 0; // false when there was none
    // Ids of the channels the thing is connected to (for cache invalidation and events).
    virtual Result<QStringList> channelIdsOf(const QString &thingId) = 0;
    // Every thing of every owner whose metadata JSON text contains `word` (case-insensitive): a coarse
    // pre-filter for adapters that route by metadata (LoRa); callers check the metadata precisely.
    virtual Result<QList<Thing>> withMetadataMentioning(const QString &word) = 0;
};

class ChannelRepository
{
public:
    virtual ~ChannelRepository() = default;
    virtual Result<void> insert(const QList<Channel> &channels) = 0;
    virtual Result<Channel> byId(const QString &owner, const QString &id) = 0;
    virtual Result<Page<Channel>> list(const QString &owner, const PageQuery &query) = 0;
    virtual Result<Page<Channel>> listByThing(const QString &owner, const QString &thingId,
                                              const PageQuery &query) = 0;
    virtual Result<void> update(const Channel &channel) = 0;
    virtual Result<bool> remove(const QString &owner, const QString &id) = 0;
    // Connects every pair; NotFound unless every channel and thing belongs to owner. Idempotent.
    virtual Result<void> connect(const QString &owner, const QStringList &channelIds, const QStringList &thingIds) = 0;
    // Disconnects every pair; NotFound when a pair is not connected (nothing changes then).
    virtual Result<void> disconnect(const QString &owner, const QStringList &channelIds,
                                    const QStringList &thingIds) = 0;
    virtual Result<bool> isConnected(const QString &channelId, const QString &thingId) = 0;
    // A channel's metadata whoever owns it (for the ingest path); NotFound when there is no such channel.
    virtual Result<Metadata> metadataOf(const QString &channelId) = 0;
    // How many thing–channel connections the owner has.
    virtual Result<qint64> countConnections(const QString &owner) = 0;
    // Every channel id of every owner (adapters that need a resource per channel build them from it).
    virtual Result<QStringList> allIds() = 0;
    // Every channel of every owner whose metadata JSON text contains `word` (see ThingRepository).
    virtual Result<QList<Channel>> withMetadataMentioning(const QString &word) = 0;
};

// The message store. insert() is one transaction and ignores rows already stored from the same bus source, so a
// batch redelivered after a crash is stored once. Returns how many records were stored (those skipped as already
// stored are not counted).
class MessageRepository
{
public:
    virtual ~MessageRepository() = default;
    virtual Result<qint64> insert(const QList<StoredMessage> &messages) = 0;
    // Newest first.
    virtual Result<Page<StoredMessage>> query(const QString &channelId, const MessageQuery &query) = 0;
};

} // namespace mf::storage
