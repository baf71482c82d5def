#pragma once

#include <QJsonObject>
#include <QMetaType>
#include <QString>

namespace mf::things {

// What changed in the things service. Adapters invalidate their caches from these and the LoRa adapter builds
// its routes from them; on the bus they travel on the events subject.
struct ThingsEvent
{
    enum class Kind {
        ThingCreated,
        ThingUpdated,
        ThingRemoved,
        ThingKeyChanged,
        ChannelCreated,
        ChannelUpdated,
        ChannelRemoved,
        Connected,
        Disconnected,
        OwnerRemoved, // a user and everything they owned are gone
    };
    Kind kind = Kind::ThingCreated;
    QString owner;
    QString thingId;
    QString channelId;
    QJsonObject metadata; // of the thing or channel, for created/updated
};

QString eventKindName(ThingsEvent::Kind kind);

} // namespace mf::things

Q_DECLARE_METATYPE(mf::things::ThingsEvent)
