// The plugin: events.things.
#include "plugininternal.h"
#include "services/things/thingseventnames.h"

namespace mf::mqtt {

// ---------------------------------------------------------------------------------------------- events

void Plugin::kickWhere(const std::string &thingId, const std::string &channel)
{
    bool any = false;
    {
        std::lock_guard lock(m_mutex);
        for (const auto &[ptr, info] : m_clients) {
            if (!thingId.empty() && info.thingId != thingId) continue;
            if (!channel.empty() && !info.channels.contains(channel)) continue;
            m_kicks.push_back(info.clientId);
            any = true;
        }
    }
    if (any) wake();
}

void Plugin::revalidateAll() // events thread: may block on requests
{
    std::vector<std::pair<std::string, std::string>> pairs; // (thing, channel)
    {
        std::lock_guard lock(m_mutex);
        for (const auto &[ptr, info] : m_clients)
            for (const std::string &c : info.channels)
                pairs.emplace_back(info.thingId, c);
    }
    std::set<std::string> lost;
    for (const auto &[thing, channel] : pairs) {
        QJsonObject reply;
        const Verdict v = request(bus::thingsAccessByIdSubject,
                                  {{QLatin1StringView("thing_id"), QString::fromStdString(thing)},
                                   {QLatin1StringView("channel"), QString::fromStdString(channel)}},
                                  reply);
        if (v == Verdict::Deny) lost.insert(thing);
    }
    for (const std::string &thing : lost)
        kickWhere(thing, {});
}

void Plugin::onEvent(natsMsg *msg) // cnats thread
{
    const QJsonObject e =
        QJsonDocument::fromJson(QByteArray(natsMsg_GetData(msg), natsMsg_GetDataLength(msg))).object();
    natsMsg_Destroy(msg);
    const std::string kind = jsonString(e, "kind"), thing = jsonString(e, "thing_id"),
                      channel = jsonString(e, "channel_id");
    if (kind == things::eventnames::thingCreated) {
        m_cache.forgetBadKeys();
    } else if (kind == things::eventnames::connected) {
        m_cache.forgetAccess(channel, thing);
    } else if (kind == things::eventnames::disconnected) {
        m_cache.forgetAccess(channel, thing);
        kickWhere(thing, channel);
    } else if (kind == things::eventnames::thingKeyChanged || kind == things::eventnames::thingRemoved) {
        m_cache.forgetThing(thing);
        m_cache.forgetBadKeys();
        kickWhere(thing, {});
        if (kind == things::eventnames::thingRemoved)
            if (const std::string error = m_owners->forgetThing(thing); !error.empty())
                std::fprintf(stderr, "mainflux-plugin: %s\n", error.c_str()); // not the broker thread
    } else if (kind == things::eventnames::channelUpdated || kind == things::eventnames::channelCreated) {
        m_cache.forgetChannel(channel); // its content_type may have changed: ask again on the next publish
    } else if (kind == things::eventnames::channelRemoved) {
        m_cache.forgetChannel(channel);
        kickWhere({}, channel);
        m_bus->dropChannel(channel);
        if (const std::string error = m_channelFile->remove(channel); !error.empty())
            std::fprintf(stderr, "mainflux-plugin: %s\n", error.c_str()); // not the broker thread: no mosquitto_log
    } else if (kind == things::eventnames::ownerRemoved) {
        m_cache.clear();
        revalidateAll();
    }
}

void Plugin::onBusReset() // cnats thread or BusLink's rebuild thread
{
    // Events may have been missed while disconnected: forget everything learnt before.
    m_cache.clear();
    std::fprintf(stderr, "mainflux-plugin: access cache cleared after a NATS reconnect\n");
}

} // namespace mf::mqtt
