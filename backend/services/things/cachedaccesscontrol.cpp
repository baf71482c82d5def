#include "cachedaccesscontrol.h"

#include <QCryptographicHash>

#include <sodium.h>

using namespace Qt::StringLiterals;

namespace mf::things {

CachedAccessControl::CachedAccessControl(AccessControl &source, QObject *parent) : QObject(parent), m_source(source)
{
}

Result<QString> CachedAccessControl::identify(const QString &key)
{
    const QByteArray utf8 = key.toUtf8();
    const QByteArray digest = QCryptographicHash::hash(utf8, QCryptographicHash::Sha256);
    if (const auto it = m_keys.constFind(digest); it != m_keys.constEnd()) {
        if (it->key.size() == utf8.size() &&
            sodium_memcmp(it->key.constData(), utf8.constData(), size_t(utf8.size())) == 0)
            return it->thingId;
    }
    auto id = m_source.identify(key);
    if (id) {
        if (m_keys.size() >= MaxCachedEntries)
            m_keys.clear();
        m_keys.insert(digest, KeyEntry{*id, utf8});
    }
    return id;
}

Result<QString> CachedAccessControl::canAccess(const QString &channelId, const QString &key)
{
    auto id = identify(key);
    if (!id)
        return id;
    if (auto ok = canAccessById(channelId, *id); !ok)
        return std::unexpected(ok.error());
    return id;
}

Result<void> CachedAccessControl::canAccessById(const QString &channelId, const QString &thingId)
{
    const QPair<QString, QString> pair{channelId, thingId};
    if (m_connections.contains(pair))
        return {};
    auto ok = m_source.canAccessById(channelId, thingId);
    if (ok) {
        if (m_connections.size() >= MaxCachedEntries)
            m_connections.clear();
        m_connections.insert(pair);
    }
    return ok;
}

Result<QString> CachedAccessControl::keyOf(const QString &thingId)
{
    if (const auto it = m_keysById.constFind(thingId); it != m_keysById.constEnd())
        return *it;
    auto key = m_source.keyOf(thingId);
    if (key) {
        if (m_keysById.size() >= MaxCachedEntries)
            m_keysById.clear();
        m_keysById.insert(thingId, *key);
    }
    return key;
}

Result<QString> CachedAccessControl::contentTypeOf(const QString &channelId)
{
    if (const auto it = m_contentTypes.constFind(channelId); it != m_contentTypes.constEnd())
        return *it;
    auto type = m_source.contentTypeOf(channelId);
    if (type) {
        if (m_contentTypes.size() >= MaxCachedEntries)
            m_contentTypes.clear();
        m_contentTypes.insert(channelId, *type);
    }
    return type;
}

void CachedAccessControl::forgetThing(const QString &thingId)
{
    m_keys.removeIf([&](const auto &it) { return it.value().thingId == thingId; });
    m_keysById.remove(thingId);
    m_connections.removeIf([&](const QPair<QString, QString> &p) { return p.second == thingId; });
}

void CachedAccessControl::onEvent(const ThingsEvent &event)
{
    using Kind = ThingsEvent::Kind;
    switch (event.kind) {
    case Kind::ThingRemoved:
        forgetThing(event.thingId);
        break;
    case Kind::ThingKeyChanged:
        m_keys.removeIf([&](const auto &it) { return it.value().thingId == event.thingId; });
        m_keysById.remove(event.thingId);
        break;
    case Kind::ChannelCreated:
    case Kind::ChannelUpdated:
        m_contentTypes.remove(event.channelId);
        break;
    case Kind::ChannelRemoved:
        m_contentTypes.remove(event.channelId);
        m_connections.removeIf([&](const QPair<QString, QString> &p) { return p.first == event.channelId; });
        break;
    case Kind::Disconnected:
        m_connections.remove({event.channelId, event.thingId});
        break;
    case Kind::OwnerRemoved:
        m_keys.clear();
        m_keysById.clear();
        m_connections.clear();
        m_contentTypes.clear();
        break;
    case Kind::ThingCreated:
    case Kind::ThingUpdated:
    case Kind::Connected:
        break;
    }
}

} // namespace mf::things
