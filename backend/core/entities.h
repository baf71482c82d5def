#pragma once

#include "metadata.h"

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

namespace mf {

// Timestamps are milliseconds since the Unix epoch (UTC) everywhere: identical in SQLite and PostgreSQL.
struct User
{
    QString id;
    QString email;
    QString passwordHash; // Argon2id string from libsodium; never leaves the server
    bool admin = false;
    bool enabled = true;
    qint64 tokenVersion = 0; // bumped on password change and disable: older tokens stop working
    qint64 createdAt = 0;
};

// Whether a thing is heard from (services/status): online while it has an MQTT connection or sent a message within
// its offline-after time. Times in ms; 0 when never.
struct ThingStatus
{
    bool online = false;
    qint64 lastSeen = 0;
    QString lastProtocol;
    qint64 connectedSince = 0; // MQTT: when its first open connection began
    bool operator==(const ThingStatus &) const = default;
};

struct Thing
{
    QString id;
    QString owner; // user id
    QString type;  // "device" | "app"
    QString name;
    QString key;   // secret: shown only to the owner
    Metadata metadata;
    qint64 createdAt = 0;
    qint64 updatedAt = 0;
    ThingStatus status; // read with the thing; never written through the things repository
};

struct Channel
{
    QString id;
    QString owner;
    QString name;
    Metadata metadata;
    qint64 createdAt = 0;
    qint64 updatedAt = 0;
};

// Paging and filtering of lists. `name` is a case-insensitive substring filter.
struct PageQuery
{
    qint64 offset = 0;
    qint64 limit = 10;
    QString name;
    QString order = QStringLiteral("created"); // "created" | "name" | "last_seen" (things only)
    bool descending = false;
    // Things only: "online" | "offline" | "" (any); offlineForMs > 0 keeps things offline and silent at least that
    // long before nowMs.
    QString status;
    qint64 offlineForMs = 0;
    qint64 nowMs = 0;
};

template <typename T>
struct Page
{
    QList<T> items;
    qint64 total = 0;
    qint64 offset = 0;
    qint64 limit = 0;
};

inline constexpr qint64 MaxPageLimit = 100;
inline constexpr qsizetype MaxNameLength = 1024;

} // namespace mf

Q_DECLARE_METATYPE(mf::Thing)
Q_DECLARE_METATYPE(mf::Channel)
