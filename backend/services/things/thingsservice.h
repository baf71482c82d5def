#pragma once

#include "accesscontrol.h"
#include "core/entities.h"
#include "metadatadirectory.h"
#include "storage/repositories.h"
#include "thingsevent.h"

#include <QObject>
#include <optional>

namespace mf::things {

struct ThingDraft
{
    QString type = QStringLiteral("device");
    QString name;
    Metadata metadata;
    std::optional<QString> key; // custom key; generated when absent
};

struct ChannelDraft
{
    QString name;
    Metadata metadata;
};

inline constexpr qsizetype MinKeyLength = 16; // custom keys: at least 16 characters (~96 bits if random)
inline constexpr qsizetype MaxKeyLength = 256;
inline constexpr qsizetype MaxBulkSize = 1000;

// Things, channels and the connections between them, always scoped to their owner. Emits an event after every
// change; the uncached access checks live here (CachedAccessControl adds the cache). Runs on the repositories'
// thread.
class ThingsService final : public QObject, public AccessControl, public MetadataDirectory
{
    Q_OBJECT

public:
    ThingsService(storage::ThingRepository &things, storage::ChannelRepository &channels, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ThingsService)

    Result<QList<Thing>> createThings(const QString &owner, const QList<ThingDraft> &drafts);
    Result<Thing> viewThing(const QString &owner, const QString &id);
    Result<Page<Thing>> listThings(const QString &owner, const PageQuery &query);
    Result<Page<Thing>> listThingsOfChannel(const QString &owner, const QString &channelId, const PageQuery &query);
    Result<Thing> updateThing(const QString &owner, const QString &id, const ThingDraft &draft);
    Result<Thing> rotateKey(const QString &owner, const QString &id, const std::optional<QString> &key);
    Result<void> removeThing(const QString &owner, const QString &id); // idempotent

    Result<QList<Channel>> createChannels(const QString &owner, const QList<ChannelDraft> &drafts);
    Result<Channel> viewChannel(const QString &owner, const QString &id);
    Result<Page<Channel>> listChannels(const QString &owner, const PageQuery &query);
    Result<Page<Channel>> listChannelsOfThing(const QString &owner, const QString &thingId, const PageQuery &query);
    Result<Channel> updateChannel(const QString &owner, const QString &id, const ChannelDraft &draft);
    Result<void> removeChannel(const QString &owner, const QString &id); // idempotent

    // How many things, channels and connections the owner has.
    struct Counts
    {
        qint64 things = 0;
        qint64 channels = 0;
        qint64 connections = 0;
    };
    Result<Counts> counts(const QString &owner);

    Result<void> connect(const QString &owner, const QStringList &channelIds, const QStringList &thingIds);
    Result<void> disconnect(const QString &owner, const QStringList &channelIds, const QStringList &thingIds);

    // AccessControl, straight from the store.
    Result<QString> identify(const QString &key) override;
    Result<QString> canAccess(const QString &channelId, const QString &key) override;
    Result<void> canAccessById(const QString &channelId, const QString &thingId) override;
    Result<QString> keyOf(const QString &thingId) override;
    Result<QString> contentTypeOf(const QString &channelId) override;

    // MetadataDirectory, straight from the store.
    Result<QList<Thing>> thingsMentioning(const QString &word) override;
    Result<QList<Channel>> channelsMentioning(const QString &word) override;

    // Called when a user was deleted (their rows went with them by cascade).
    void ownerRemoved(const QString &owner);

Q_SIGNALS:
    void changed(const mf::things::ThingsEvent &event);

private:
    storage::ThingRepository &m_things;
    storage::ChannelRepository &m_channels;
};

// Validation shared by the service and the API layer.
Result<void> checkThingDraft(const ThingDraft &draft);
Result<void> checkChannelDraft(const ChannelDraft &draft);

} // namespace mf::things
