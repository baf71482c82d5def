#pragma once

#include "entities.h"
#include "error.h"

#include <QJsonArray>
#include <QJsonObject>

// JSON shapes of the entities, shared by the server (writing responses) and the client SDK (reading them).
// Field names follow Mainflux 0.7 (`id`, `type`, `name`, `key`, `metadata`) with additive extras.
namespace mf::json {

QJsonObject toJson(const Thing &thing);
QJsonObject toJson(const Channel &channel);
QJsonObject toJson(const User &user); // never includes the password hash

Result<Thing> thingFromJson(const QJsonObject &object);
Result<Channel> channelFromJson(const QJsonObject &object);
Result<User> userFromJson(const QJsonObject &object);



// {"total", "offset", "limit", "<key>": [...]} as Mainflux 0.8+ pages.
template <typename T>
QJsonObject pageToJson(const Page<T> &page, const QString &key)
{
    QJsonArray items;
    for (const T &item : page.items)
        items.append(toJson(item));
    return QJsonObject{{QStringLiteral("total"), page.total},
                       {QStringLiteral("offset"), page.offset},
                       {QStringLiteral("limit"), page.limit},
                       {key, items}};
}

} // namespace mf::json
