#pragma once

#include <QHash>
#include <QMultiHash>
#include <QString>
#include <QStringList>
#include <optional>

namespace mf::adapters {

// Which things are which LoRa devices and which channels are which network-server applications, from their
// metadata. Several things may claim one EUI (and several channels one application): an uplink then goes to every
// connected (thing, channel) pair. Connections themselves are not kept here: AccessControl answers them.
// A plain value, used on one thread.
class LoraRoutes final
{
public:
    // nullopt removes the entity's route (metadata without LoRa identity, or removal).
    void setThing(const QString &thingId, const std::optional<QString> &devEui);
    void setChannel(const QString &channelId, const std::optional<QString> &applicationId);
    void clear();

    QStringList thingsOf(const QString &devEui) const { return m_devices.values(devEui); }
    QStringList channelsOf(const QString &applicationId) const { return m_applications.values(applicationId); }
    std::optional<QString> applicationOf(const QString &channelId) const;
    qsizetype deviceCount() const { return m_thingEui.size(); }
    qsizetype applicationCount() const { return m_channelApp.size(); }

private:
    QMultiHash<QString, QString> m_devices;      // dev EUI → thing ids
    QHash<QString, QString> m_thingEui;          // thing id → dev EUI
    QMultiHash<QString, QString> m_applications; // application id → channel ids
    QHash<QString, QString> m_channelApp;        // channel id → application id
};

} // namespace mf::adapters
