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
    QString order = QStringLiteral("created"); // "created" | "name"
    bool descending = false;
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
