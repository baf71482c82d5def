#pragma once

#include "core/refusal.h"
#include "core/entities.h"
#include "core/error.h"
#include "core/message.h"

#include <QHash>
#include <QList>

// Storage of device status and last values (services/status, DESIGN.md §3 fleet operations). Separate from
// repositories.h so that the entity repositories' users do not depend on it.
namespace mf::storage {

// A thing's current status to store; `flipped` adds a history entry (online became `status.online` at `at`).
struct StatusUpdate
{
    QString thing;
    ThingStatus status;
    bool flipped = false;
    qint64 at = 0;
    QString reason; // of a flip: "message", "connected", "disconnected", "silent"
};

struct StatusHistoryEntry
{
    qint64 at = 0;
    bool online = false;
    QString protocol;
    QString reason;
};

// What the status service needs of a thing it hears from: whose it is and its metadata (offline_after).
struct ThingOwnership
{
    QString owner;
    Metadata metadata;
};

// A stored status with its thing's ownership: what the status service starts from.
struct StoredThingStatus
{
    ThingStatus status;
    ThingOwnership ownership;
};

class ThingStatusRepository
{
public:
    virtual ~ThingStatusRepository() = default;
    // One transaction; updates of things that no longer exist are skipped. History keeps the newest
    // `historyPerThing` entries of each thing.
    virtual Result<void> save(const QList<StatusUpdate> &updates, int historyPerThing) = 0;
    // Every stored status of a thing that still exists, with its owner and metadata (one query, not one per thing).
    virtual Result<QHash<QString, StoredThingStatus>> loadAll() = 0;
    virtual Result<ThingOwnership> ownership(const QString &thingId) = 0; // NotFound for an unknown thing
    // Newest first; NotFound unless the thing is the owner's.
    virtual Result<QList<StatusHistoryEntry>> history(const QString &owner, const QString &thingId, int limit) = 0;
};

// Last values are written by MessageRepository::insert in the same transaction as the records.
class LatestValueRepository
{
public:
    virtual ~LatestValueRepository() = default;
    // The latest record of every (publisher, name) on the channel; NotFound unless the channel is the owner's.
    virtual Result<QList<StoredMessage>> ofChannel(const QString &owner, const QString &channelId) = 0;
    // The latest record of every (channel, name) the thing published; NotFound unless the thing is the owner's.
    virtual Result<QList<StoredMessage>> ofThing(const QString &owner, const QString &thingId) = 0;
};

// Refused messages (bus/refusal.h), written in batches by the status service.
class RefusalRepository
{
public:
    virtual ~RefusalRepository() = default;
    // One transaction; then each channel of the batch keeps its newest `perChannel` refusals and the table its
    // newest `total`.
    virtual Result<void> save(const QList<Refusal> &refusals, int perChannel, int total) = 0;
    // Newest first; NotFound unless the channel (thing) is the owner's.
    virtual Result<QList<Refusal>> ofChannel(const QString &owner, const QString &channelId, int limit) = 0;
    virtual Result<QList<Refusal>> ofThing(const QString &owner, const QString &thingId, int limit) = 0;
    // Who owns the channel (to send its refusals on the owner's event stream); NotFound for an unknown channel.
    virtual Result<QString> channelOwner(const QString &channelId) = 0;
};

} // namespace mf::storage
