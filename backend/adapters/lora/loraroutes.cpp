#include "loraroutes.h"

namespace mf::adapters {

void LoraRoutes::setThing(const QString &thingId, const std::optional<QString> &devEui)
{
    if (const auto old = m_thingEui.constFind(thingId); old != m_thingEui.cend()) {
        m_devices.remove(*old, thingId);
        m_thingEui.erase(old);
    }
    if (devEui) {
        m_devices.insert(*devEui, thingId);
        m_thingEui.insert(thingId, *devEui);
    }
}

void LoraRoutes::setChannel(const QString &channelId, const std::optional<QString> &applicationId)
{
    if (const auto old = m_channelApp.constFind(channelId); old != m_channelApp.cend()) {
        m_applications.remove(*old, channelId);
        m_channelApp.erase(old);
    }
    if (applicationId) {
        m_applications.insert(*applicationId, channelId);
        m_channelApp.insert(channelId, *applicationId);
    }
}

void LoraRoutes::clear()
{
    m_devices.clear();
    m_thingEui.clear();
    m_applications.clear();
    m_channelApp.clear();
}

std::optional<QString> LoraRoutes::applicationOf(const QString &channelId) const
{
    const auto it = m_channelApp.constFind(channelId);
    if (it == m_channelApp.cend()) return std::nullopt;
    return *it;
}

} // namespace mf::adapters
