#pragma once

#include "entities.h"
#include "message.h"

#include <QJsonObject>

// The reader's JSON shape of a stored message (Mainflux reader fields, snake_case as in Mainflux 0.10+):
// channel, publisher, protocol, subtopic, name, unit, value | string_value | bool_value | data_value, sum, time,
// update_time; raw messages carry content_type and payload (text when it is UTF-8, else payload_base64).
namespace mf::json {

QJsonObject toJson(const StoredMessage &message);
StoredMessage messageFromJson(const QJsonObject &object);
QJsonObject messagePageToJson(const Page<StoredMessage> &page);

} // namespace mf::json
