#include "provisioner.h"

#include <QJsonArray>
#include <QSet>

using namespace Qt::StringLiterals;

namespace mf::cli {

namespace {

Result<std::optional<QJsonObject>> optionalMetadata(const QJsonObject &object, const QString &where)
{
    if (!object.contains("metadata"_L1)) return std::optional<QJsonObject>();
    if (!object.value("metadata"_L1).isObject())
        return fail(ErrorCode::Malformed, where + u": metadata must be a JSON object"_s);
    return std::optional(object.value("metadata"_L1).toObject());
}

Result<QString> requiredName(const QJsonValue &value, const QString &where, QSet<QString> &seen)
{
    if (!value.isObject()) return fail(ErrorCode::Malformed, where + u": must be an object"_s);
    const QString name = value.toObject().value("name"_L1).toString();
    if (name.trimmed().isEmpty()) return fail(ErrorCode::Malformed, where + u": name is missing or empty"_s);
    if (seen.contains(name)) return fail(ErrorCode::Malformed, where + u": name \"%1\" appears twice"_s.arg(name));
    seen.insert(name);
    return name;
}

} // namespace

Result<ProvisionPlan> ProvisionPlan::fromJson(const QJsonObject &object)
{
    static const QSet<QString> known{u"things"_s, u"channels"_s, u"connections"_s};
    for (const QString &key : object.keys())
        if (!known.contains(key))
            return fail(ErrorCode::Malformed, u"unknown key \"%1\" (things, channels, connections)"_s.arg(key));
    for (const QString &key : known)
        if (object.contains(key) && !object.value(key).isArray())
            return fail(ErrorCode::Malformed, key + u": must be an array"_s);

    ProvisionPlan plan;
    QSet<QString> thingNames;
    const QJsonArray things = object.value("things"_L1).toArray();
    for (qsizetype i = 0; i < things.size(); ++i) {
        const QString where = u"things[%1]"_s.arg(i);
        auto name = requiredName(things[i], where, thingNames);
        if (!name) return std::unexpected(name.error());
        const QJsonObject t = things[i].toObject();
        ThingSpec spec{*name, std::nullopt, std::nullopt};
        if (t.contains("type"_L1)) {
            const QString type = t.value("type"_L1).toString();
            if (type != "device"_L1 && type != "app"_L1)
                return fail(ErrorCode::Malformed, where + u": type must be \"device\" or \"app\""_s);
            spec.type = type;
        }
        auto metadata = optionalMetadata(t, where);
        if (!metadata) return std::unexpected(metadata.error());
        spec.metadata = *metadata;
        plan.things.append(spec);
    }
    QSet<QString> channelNames;
    const QJsonArray channels = object.value("channels"_L1).toArray();
    for (qsizetype i = 0; i < channels.size(); ++i) {
        const QString where = u"channels[%1]"_s.arg(i);
        auto name = requiredName(channels[i], where, channelNames);
        if (!name) return std::unexpected(name.error());
        auto metadata = optionalMetadata(channels[i].toObject(), where);
        if (!metadata) return std::unexpected(metadata.error());
        plan.channels.append({*name, *metadata});
    }
    const QJsonArray connections = object.value("connections"_L1).toArray();
    for (qsizetype i = 0; i < connections.size(); ++i) {
        const QString where = u"connections[%1]"_s.arg(i);
        const QJsonObject c = connections[i].toObject();
        const QString channel = c.value("channel"_L1).toString();
        if (channel.isEmpty()) return fail(ErrorCode::Malformed, where + u": channel (a channel name) is missing"_s);
        if (!c.value("things"_L1).isArray())
            return fail(ErrorCode::Malformed, where + u": things must be an array of thing names"_s);
        Connection connection{channel, {}};
        for (const QJsonValue &thing : c.value("things"_L1).toArray()) {
            if (!thing.isString() || thing.toString().isEmpty())
                return fail(ErrorCode::Malformed, where + u": things must be an array of thing names"_s);
            connection.things.append(thing.toString());
        }
        plan.connections.append(connection);
    }
    return plan;
}

template <typename T>
Result<QList<T>> Provisioner::listAll(const std::function<client::Pending<Page<T>>(const PageQuery &)> &list)
{
    QList<T> all;
    PageQuery query;
    query.limit = MaxPageLimit;
    for (;;) {
        auto page = list(query).wait();
        if (!page) return std::unexpected(page.error());
        all.append(page->items);
        query.offset += page->items.size();
        if (page->items.isEmpty() || query.offset >= page->total) return all;
    }
}

namespace {

// name → entity, refusing names that several entities share (updating one of them would be a guess).
template <typename T>
Result<QHash<QString, T>> byName(const QList<T> &items, const QString &kind)
{
    QHash<QString, T> map;
    QSet<QString> duplicated;
    for (const T &item : items) {
        if (map.contains(item.name)) duplicated.insert(item.name);
        map.insert(item.name, item);
    }
    if (!duplicated.isEmpty()) {
        QStringList names = duplicated.values();
        names.sort();
        return fail(ErrorCode::Conflict,
                    u"several %1s are named %2 on the server; rename them so names are unique"_s.arg(
                        kind, names.join(u", "_s)));
    }
    return map;
}

} // namespace

Result<QList<ProvisionChange>> Provisioner::apply(const ProvisionPlan &plan,
                                                  const std::function<void(const ProvisionChange &)> &report)
{
    QList<ProvisionChange> changes;
    const auto record = [&](ProvisionChange change) {
        changes.append(change);
        if (report) report(change);
    };

    // Everything is looked up and checked before the first change.
    auto allThings = listAll<Thing>([this](const PageQuery &q) { return m_client.things(q); });
    if (!allThings) return std::unexpected(allThings.error());
    auto things = byName(*allThings, u"thing"_s);
    if (!things) return std::unexpected(things.error());
    auto allChannels = listAll<Channel>([this](const PageQuery &q) { return m_client.channels(q); });
    if (!allChannels) return std::unexpected(allChannels.error());
    auto channels = byName(*allChannels, u"channel"_s);
    if (!channels) return std::unexpected(channels.error());

    QSet<QString> plannedThings, plannedChannels;
    for (const auto &t : plan.things)
        plannedThings.insert(t.name);
    for (const auto &c : plan.channels)
        plannedChannels.insert(c.name);
    for (const auto &connection : plan.connections) {
        if (!plannedChannels.contains(connection.channel) && !channels->contains(connection.channel))
            return fail(
                ErrorCode::NotFound,
                u"connections: channel \"%1\" is neither in the file nor on the server"_s.arg(connection.channel));
        for (const QString &thing : connection.things)
            if (!plannedThings.contains(thing) && !things->contains(thing))
                return fail(ErrorCode::NotFound,
                            u"connections: thing \"%1\" is neither in the file nor on the server"_s.arg(thing));
    }

    for (const auto &spec : plan.things) {
        const auto existing = things->constFind(spec.name);
        if (existing == things->constEnd()) {
            QJsonObject body{{u"name"_s, spec.name}, {u"type"_s, spec.type.value_or(u"device"_s)}};
            if (spec.metadata) body.insert(u"metadata"_s, *spec.metadata);
            auto created = m_client.createThing(body).wait();
            if (!created) return std::unexpected(created.error());
            things->insert(spec.name, *created);
            record({u"created"_s, u"thing"_s, spec.name, created->id});
            continue;
        }
        QJsonObject changes;
        if (spec.type && *spec.type != existing->type) changes.insert(u"type"_s, *spec.type);
        if (spec.metadata && *spec.metadata != existing->metadata.object()) changes.insert(u"metadata"_s, *spec.metadata);
        if (changes.isEmpty()) {
            record({u"unchanged"_s, u"thing"_s, spec.name, existing->id});
            continue;
        }
        auto updated = m_client.updateThing(existing->id, changes).wait();
        if (!updated) return std::unexpected(updated.error());
        record({u"updated"_s, u"thing"_s, spec.name, updated->id});
    }

    QSet<QString> newChannels;
    for (const auto &spec : plan.channels) {
        const auto existing = channels->constFind(spec.name);
        if (existing == channels->constEnd()) {
            QJsonObject body{{u"name"_s, spec.name}};
            if (spec.metadata) body.insert(u"metadata"_s, *spec.metadata);
            auto created = m_client.createChannel(body).wait();
            if (!created) return std::unexpected(created.error());
            channels->insert(spec.name, *created);
            newChannels.insert(spec.name);
            record({u"created"_s, u"channel"_s, spec.name, created->id});
            continue;
        }
        if (!spec.metadata || *spec.metadata == existing->metadata.object()) {
            record({u"unchanged"_s, u"channel"_s, spec.name, existing->id});
            continue;
        }
        auto updated = m_client.updateChannel(existing->id, QJsonObject{{u"metadata"_s, *spec.metadata}}).wait();
        if (!updated) return std::unexpected(updated.error());
        record({u"updated"_s, u"channel"_s, spec.name, updated->id});
    }

    for (const auto &connection : plan.connections) {
        const Channel channel = channels->value(connection.channel);
        QSet<QString> connected;
        if (!newChannels.contains(connection.channel)) {
            auto current = listAll<Thing>(
                [this, &channel](const PageQuery &q) { return m_client.thingsOfChannel(channel.id, q); });
            if (!current) return std::unexpected(current.error());
            for (const Thing &t : *current)
                connected.insert(t.id);
        }
        for (const QString &thingName : connection.things) {
            const Thing thing = things->value(thingName);
            const QString label = thingName + u" -> "_s + connection.channel;
            if (connected.contains(thing.id)) {
                record({u"unchanged"_s, u"connection"_s, label, channel.id});
                continue;
            }
            auto done = m_client.connectThing(channel.id, thing.id).wait();
            if (!done) return std::unexpected(done.error());
            connected.insert(thing.id);
            record({u"connected"_s, u"connection"_s, label, channel.id});
        }
    }
    return changes;
}

} // namespace mf::cli
