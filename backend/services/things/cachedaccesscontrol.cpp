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

namespace {
// A cached string answer of the source: looked up once, kept until forgotten (the whole map is dropped at the bound).
template<typename Fetch>
Result<QString> cachedAnswer(QHash<QString, QString> &cache, const QString &id, Fetch fetch)
{
    if (const auto it = cache.constFind(id); it != cache.constEnd())
        return *it;
    auto answer = fetch(id);
    if (answer) {
        if (cache.size() >= MaxCachedEntries)
            cache.clear();
        cache.insert(id, *answer);
    }
    return answer;
}
} // namespace

Result<QString> CachedAccessControl::keyOf(const QString &thingId)
{
    return cachedAnswer(m_keysById, thingId, [this](const QString &id) { return m_source.keyOf(id); });
}

Result<QString> CachedAccessControl::contentTypeOf(const QString &channelId)
{
    return cachedAnswer(m_contentTypes, channelId, [this](const QString &id) { return m_source.contentTypeOf(id); });
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
