#pragma once

#include "accesscontrol.h"
#include "thingsevent.h"

#include <QHash>
#include <QObject>
#include <QSet>

namespace mf::things {

// Caches positive answers of another AccessControl (keys → thing ids and back, channel/thing connections) and drops them
// when a ThingsEvent says they may no longer hold: disconnect, thing or channel removal, key rotation, user
// removal. Negative answers are never cached, so a new connection works at once. Channels' content types are
// cached whatever they are and dropped when the channel is created, updated or removed. Not thread-safe: use it on the
// thread that delivers the events.
class CachedAccessControl final : public QObject, public AccessControl
{
    Q_OBJECT

public:
    explicit CachedAccessControl(AccessControl &source, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(CachedAccessControl)

    Result<QString> identify(const QString &key) override;
    Result<QString> canAccess(const QString &channelId, const QString &key) override;
    Result<void> canAccessById(const QString &channelId, const QString &thingId) override;
    Result<QString> keyOf(const QString &thingId) override;
    Result<QString> contentTypeOf(const QString &channelId) override;

    void onEvent(const mf::things::ThingsEvent &event);

    qsizetype cachedKeys() const { return m_keys.size(); }
    qsizetype cachedConnections() const { return m_connections.size(); }

private:
    struct KeyEntry
    {
        QString thingId;
        QByteArray key; // compared in constant time on every hit
    };
    void forgetThing(const QString &thingId);

    AccessControl &m_source;
    QHash<QByteArray, KeyEntry> m_keys;        // SHA-256 of the key → entry
    QHash<QString, QString> m_keysById;        // thing id → key (keyOf, for DTLS PSK)
    QSet<QPair<QString, QString>> m_connections; // (channel id, thing id)
    QHash<QString, QString> m_contentTypes;      // channel id → its content_type ("" = none named)
};

inline constexpr qsizetype MaxCachedEntries = 200'000;

} // namespace mf::things
