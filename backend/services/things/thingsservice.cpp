#include "thingsservice.h"

#include "core/duration.h"
#include "core/ids.h"
#include "core/mediatype.h"
#include "thingseventnames.h"

#include <QLoggingCategory>

#include <sodium.h>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcThings, "mainflux.things")

namespace mf::things {

QString eventKindName(ThingsEvent::Kind kind)
{
    switch (kind) {
    case ThingsEvent::Kind::ThingCreated: return QString::fromLatin1(eventnames::thingCreated);
    case ThingsEvent::Kind::ThingUpdated: return QString::fromLatin1(eventnames::thingUpdated);
    case ThingsEvent::Kind::ThingRemoved: return QString::fromLatin1(eventnames::thingRemoved);
    case ThingsEvent::Kind::ThingKeyChanged: return QString::fromLatin1(eventnames::thingKeyChanged);
    case ThingsEvent::Kind::ChannelCreated: return QString::fromLatin1(eventnames::channelCreated);
    case ThingsEvent::Kind::ChannelUpdated: return QString::fromLatin1(eventnames::channelUpdated);
    case ThingsEvent::Kind::ChannelRemoved: return QString::fromLatin1(eventnames::channelRemoved);
    case ThingsEvent::Kind::Connected: return QString::fromLatin1(eventnames::connected);
    case ThingsEvent::Kind::Disconnected: return QString::fromLatin1(eventnames::disconnected);
    case ThingsEvent::Kind::OwnerRemoved: return QString::fromLatin1(eventnames::ownerRemoved);
    }
    return {};
}

Result<void> checkThingDraft(const ThingDraft &draft)
{
    if (draft.type != "device"_L1 && draft.type != "app"_L1)
        return fail(ErrorCode::Malformed, u"type: must be \"device\" or \"app\""_s);
    if (draft.name.size() > MaxNameLength)
        return fail(ErrorCode::Malformed, u"name: longer than %1 characters"_s.arg(MaxNameLength));
    if (draft.key && (draft.key->size() < MinKeyLength || draft.key->size() > MaxKeyLength))
        return fail(ErrorCode::Malformed,
                    u"key: must have between %1 and %2 characters"_s.arg(MinKeyLength).arg(MaxKeyLength));
    // The silence after which the thing counts as offline (services/status).
    if (const QJsonValue offlineAfter = draft.metadata.object().value("offline_after"_L1); !offlineAfter.isUndefined())
        if (auto ms = durationFromJson(offlineAfter); !ms)
            return fail(ErrorCode::Malformed, u"metadata.offline_after: "_s + ms.error().message);
    return {};
}

Result<void> checkChannelDraft(const ChannelDraft &draft)
{
    if (draft.name.size() > MaxNameLength)
        return fail(ErrorCode::Malformed, u"name: longer than %1 characters"_s.arg(MaxNameLength));
    return checkChannelContentType(draft.metadata.object());
}

ThingsService::ThingsService(storage::ThingRepository &things, storage::ChannelRepository &channels, QObject *parent)
    : QObject(parent), m_things(things), m_channels(channels)
{
    qRegisterMetaType<ThingsEvent>();
}

Result<QList<Thing>> ThingsService::createThings(const QString &owner, const QList<ThingDraft> &drafts)
{
    if (drafts.isEmpty() || drafts.size() > MaxBulkSize)
        return fail(ErrorCode::Malformed, u"between 1 and %1 things per request"_s.arg(MaxBulkSize));
    QList<Thing> things;
    const qint64 now = nowMs();
    for (qsizetype i = 0; i < drafts.size(); ++i) {
        const ThingDraft &d = drafts[i];
        if (auto ok = checkThingDraft(d); !ok)
            return fail(ErrorCode::Malformed, drafts.size() > 1 ? u"thing %1: "_s.arg(i) + ok.error().message
                                                                 : ok.error().message);
        things.append(Thing{newId(), owner, d.type, d.name, d.key.value_or(newId()), d.metadata, now, now});
    }
    if (auto inserted = m_things.insert(things); !inserted) {
        if (inserted.error().code == ErrorCode::Conflict)
            return fail(ErrorCode::Conflict, u"key: already in use"_s);
        return std::unexpected(inserted.error());
    }
    for (const Thing &t : things)
        Q_EMIT changed(ThingsEvent{ThingsEvent::Kind::ThingCreated, owner, t.id, {}, t.metadata.object()});
    return things;
}

Result<Thing> ThingsService::viewThing(const QString &owner, const QString &id)
{
    return m_things.byId(owner, id);
}

Result<Page<Thing>> ThingsService::listThings(const QString &owner, const PageQuery &query)
{
    return m_things.list(owner, query);
}

Result<Page<Thing>> ThingsService::listThingsOfChannel(const QString &owner, const QString &channelId,
                                                       const PageQuery &query)
{
    if (auto channel = m_channels.byId(owner, channelId); !channel)
        return std::unexpected(channel.error());
    return m_things.listByChannel(owner, channelId, query);
}

Result<Thing> ThingsService::updateThing(const QString &owner, const QString &id, const ThingDraft &draft)
{
    if (auto ok = checkThingDraft(draft); !ok)
        return std::unexpected(ok.error());
    auto thing = m_things.byId(owner, id);
    if (!thing)
        return thing;
    thing->type = draft.type;
    thing->name = draft.name;
    thing->metadata = draft.metadata;
    thing->updatedAt = nowMs();
    if (auto updated = m_things.update(*thing); !updated)
        return std::unexpected(updated.error());
    Q_EMIT changed(ThingsEvent{ThingsEvent::Kind::ThingUpdated, owner, id, {}, thing->metadata.object()});
    return thing;
}

Result<Thing> ThingsService::rotateKey(const QString &owner, const QString &id, const std::optional<QString> &key)
{
    if (key && (key->size() < MinKeyLength || key->size() > MaxKeyLength))
        return fail(ErrorCode::Malformed,
                    u"key: must have between %1 and %2 characters"_s.arg(MinKeyLength).arg(MaxKeyLength));
    auto thing = m_things.byId(owner, id);
    if (!thing)
        return thing;
    thing->key = key.value_or(newId());
    if (auto updated = m_things.updateKey(owner, id, thing->key); !updated) {
        if (updated.error().code == ErrorCode::Conflict)
            return fail(ErrorCode::Conflict, u"key: already in use"_s);
        return std::unexpected(updated.error());
    }
    Q_EMIT changed(ThingsEvent{ThingsEvent::Kind::ThingKeyChanged, owner, id, {}, {}});
    return thing;
}

Result<void> ThingsService::removeThing(const QString &owner, const QString &id)
{
    auto removed = m_things.remove(owner, id);
    if (!removed)
        return std::unexpected(removed.error());
    if (*removed)
        Q_EMIT changed(ThingsEvent{ThingsEvent::Kind::ThingRemoved, owner, id, {}, {}});
    return {};
}

Result<QList<Channel>> ThingsService::createChannels(const QString &owner, const QList<ChannelDraft> &drafts)
{
    if (drafts.isEmpty() || drafts.size() > MaxBulkSize)
        return fail(ErrorCode::Malformed, u"between 1 and %1 channels per request"_s.arg(MaxBulkSize));
    QList<Channel> channels;
    const qint64 now = nowMs();
    for (qsizetype i = 0; i < drafts.size(); ++i) {
        if (auto ok = checkChannelDraft(drafts[i]); !ok)
            return fail(ErrorCode::Malformed, drafts.size() > 1 ? u"channel %1: "_s.arg(i) + ok.error().message
                                                                 : ok.error().message);
        channels.append(Channel{newId(), owner, drafts[i].name, drafts[i].metadata, now, now});
    }
    if (auto inserted = m_channels.insert(channels); !inserted)
        return std::unexpected(inserted.error());
    for (const Channel &c : channels)
        Q_EMIT changed(ThingsEvent{ThingsEvent::Kind::ChannelCreated, owner, {}, c.id, c.metadata.object()});
    return channels;
}

Result<Channel> ThingsService::viewChannel(const QString &owner, const QString &id)
{
    return m_channels.byId(owner, id);
}

Result<Page<Channel>> ThingsService::listChannels(const QString &owner, const PageQuery &query)
{
    return m_channels.list(owner, query);
}

Result<Page<Channel>> ThingsService::listChannelsOfThing(const QString &owner, const QString &thingId,
                                                         const PageQuery &query)
{
    if (auto thing = m_things.byId(owner, thingId); !thing)
        return std::unexpected(thing.error());
    return m_channels.listByThing(owner, thingId, query);
}

Result<Channel> ThingsService::updateChannel(const QString &owner, const QString &id, const ChannelDraft &draft)
{
    if (auto ok = checkChannelDraft(draft); !ok)
        return std::unexpected(ok.error());
    auto channel = m_channels.byId(owner, id);
    if (!channel)
        return channel;
    channel->name = draft.name;
    channel->metadata = draft.metadata;
    channel->updatedAt = nowMs();
    if (auto updated = m_channels.update(*channel); !updated)
        return std::unexpected(updated.error());
    Q_EMIT changed(ThingsEvent{ThingsEvent::Kind::ChannelUpdated, owner, {}, id, channel->metadata.object()});
    return channel;
}

Result<void> ThingsService::removeChannel(const QString &owner, const QString &id)
{
    auto removed = m_channels.remove(owner, id);
    if (!removed)
        return std::unexpected(removed.error());
    if (*removed)
        Q_EMIT changed(ThingsEvent{ThingsEvent::Kind::ChannelRemoved, owner, {}, id, {}});
    return {};
}

Result<ThingsService::Counts> ThingsService::counts(const QString &owner)
{
    const PageQuery one{0, 1};
    auto things = m_things.list(owner, one);
    if (!things)
        return std::unexpected(things.error());
    auto channels = m_channels.list(owner, one);
    if (!channels)
        return std::unexpected(channels.error());
    auto connections = m_channels.countConnections(owner);
    if (!connections)
        return std::unexpected(connections.error());
    return Counts{things->total, channels->total, *connections};
}

Result<void> ThingsService::connect(const QString &owner, const QStringList &channelIds, const QStringList &thingIds)
{
    if (channelIds.isEmpty() || thingIds.isEmpty())
        return fail(ErrorCode::Malformed, u"channel_ids and thing_ids: must not be empty"_s);
    if (channelIds.size() * thingIds.size() > MaxBulkSize * 10)
        return fail(ErrorCode::Malformed, u"too many connections in one request"_s);
    if (auto ok = m_channels.connect(owner, channelIds, thingIds); !ok)
        return ok;
    for (const QString &c : channelIds)
        for (const QString &t : thingIds)
            Q_EMIT changed(ThingsEvent{ThingsEvent::Kind::Connected, owner, t, c, {}});
    return {};
}

Result<void> ThingsService::disconnect(const QString &owner, const QStringList &channelIds, const QStringList &thingIds)
{
    if (channelIds.isEmpty() || thingIds.isEmpty())
        return fail(ErrorCode::Malformed, u"channel_ids and thing_ids: must not be empty"_s);
    if (auto ok = m_channels.disconnect(owner, channelIds, thingIds); !ok)
        return ok;
    for (const QString &c : channelIds)
        for (const QString &t : thingIds)
            Q_EMIT changed(ThingsEvent{ThingsEvent::Kind::Disconnected, owner, t, c, {}});
    return {};
}

Result<QString> ThingsService::identify(const QString &key)
{
    if (key.isEmpty())
        return fail(ErrorCode::Unauthenticated, u"missing thing key"_s);
    auto thing = m_things.byKey(key);
    if (!thing) {
        if (thing.error().code == ErrorCode::NotFound)
            return fail(ErrorCode::Unauthenticated, u"unknown thing key"_s);
        return std::unexpected(thing.error());
    }
    const QByteArray a = key.toUtf8(), b = thing->key.toUtf8();
    if (a.size() != b.size() || sodium_memcmp(a.constData(), b.constData(), size_t(a.size())) != 0)
        return fail(ErrorCode::Unauthenticated, u"unknown thing key"_s);
    return thing->id;
}

Result<QString> ThingsService::canAccess(const QString &channelId, const QString &key)
{
    auto id = identify(key);
    if (!id)
        return id;
    if (auto ok = canAccessById(channelId, *id); !ok)
        return std::unexpected(ok.error());
    return id;
}

Result<void> ThingsService::canAccessById(const QString &channelId, const QString &thingId)
{
    auto connected = m_channels.isConnected(channelId, thingId);
    if (!connected)
        return std::unexpected(connected.error());
    if (!*connected)
        return fail(ErrorCode::Forbidden, u"thing is not connected to this channel"_s);
    return {};
}

Result<QString> ThingsService::keyOf(const QString &thingId)
{
    auto key = m_things.keyOf(thingId);
    if (!key && key.error().code == ErrorCode::NotFound)
        return fail(ErrorCode::Unauthenticated, u"unknown thing"_s);
    return key;
}

Result<QList<Thing>> ThingsService::thingsMentioning(const QString &word)
{
    return m_things.withMetadataMentioning(word);
}

Result<QList<Channel>> ThingsService::channelsMentioning(const QString &word)
{
    return m_channels.withMetadataMentioning(word);
}

Result<QString> ThingsService::contentTypeOf(const QString &channelId)
{
    auto metadata = m_channels.metadataOf(channelId);
    if (!metadata)
        return metadata.error().code == ErrorCode::NotFound ? Result<QString>(QString())
                                                            : std::unexpected(metadata.error());
    return channelContentType(metadata->object());
}

void ThingsService::ownerRemoved(const QString &owner)
{
    Q_EMIT changed(ThingsEvent{ThingsEvent::Kind::OwnerRemoved, owner, {}, {}, {}});
}

} // namespace mf::things
