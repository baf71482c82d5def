#pragma once

#include "core/entities.h"
#include "core/error.h"

#include <QList>
#include <QString>

namespace mf::things {

// The things service's answer for adapters that route devices by metadata (LoRa: a thing's dev_eui, a channel's
// app_id): every thing and channel of every owner whose metadata mentions a word (case-insensitive, a coarse
// pre-filter: callers check the metadata precisely). Asked at start and after an owner went; ThingsEvents carry
// the changes in between. Implemented by ThingsService, so such adapters need no repository.
class MetadataDirectory
{
public:
    virtual ~MetadataDirectory() = default;
    virtual Result<QList<Thing>> thingsMentioning(const QString &word) = 0;
    virtual Result<QList<Channel>> channelsMentioning(const QString &word) = 0;
};

} // namespace mf::things
