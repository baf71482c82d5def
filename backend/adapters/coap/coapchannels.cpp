// One libcoap resource per channel (the unknown resource cannot be observed), created from the store at start and
// kept in step with ThingsEvents; access changes revalidate the channel's observers.
#include "coapinternal.h"

using namespace Qt::StringLiterals;

namespace mf::adapters {

using namespace coap;

void CoapAdapter::addChannel(const QString &id)
{
    if (!m_ctx || m_channels.contains(id) || id.isEmpty() || id.contains(u'/')) return;
    const QByteArray path = "channels/" + id.toUtf8() + "/messages";
    coap_str_const_t *uri =
        coap_new_str_const(reinterpret_cast<const uint8_t *>(path.constData()), size_t(path.size()));
    coap_resource_t *resource =
        coap_resource_init(uri, COAP_RESOURCE_FLAGS_RELEASE_URI | COAP_RESOURCE_FLAGS_NOTIFY_NON_ALWAYS);
    coap_register_request_handler(resource, COAP_REQUEST_GET, CoapCallbacks::request);
    coap_register_request_handler(resource, COAP_REQUEST_POST, CoapCallbacks::request);
    coap_resource_set_get_observable(resource, 1);
    coap_add_resource(m_ctx, resource);
    auto channel = std::make_shared<Channel>();
    channel->resource = resource;
    m_channels.insert(id, channel);
}

void CoapAdapter::removeChannel(const QString &id)
{
    const std::shared_ptr<Channel> channel = m_channels.take(id);
    if (!channel) return;
    reportObservers(*channel, true);
    channel->subscription.reset();
    channel->subtopics.reset();
    if (m_ctx && channel->resource) {
        ++m_depth;
        coap_delete_resource(m_ctx, channel->resource); // observers get a 4.04 notification
        --m_depth;
    }
    updateGauge();
    reschedule();
}

void CoapAdapter::resync()
{
    auto ids = m_listChannels ? m_listChannels() : Result<QStringList>{};
    if (!ids) {
        qCWarning(lcCoapAdapter).noquote() << "cannot list channels:" << ids.error().message;
        return;
    }
    const QSet<QString> now(ids->cbegin(), ids->cend());
    for (const QString &id : m_channels.keys())
        if (!now.contains(id)) removeChannel(id);
    for (const QString &id : *ids)
        addChannel(id);
}

void CoapAdapter::revalidate(const QString &channelId)
{
    const std::shared_ptr<Channel> channel = m_channels.value(channelId);
    if (channel && !channel->observers.isEmpty()) notify(channelId, nullptr);
}

void CoapAdapter::onThingsEvent(const things::ThingsEvent &event)
{
    using Kind = things::ThingsEvent::Kind;
    switch (event.kind) {
    case Kind::ChannelCreated:
        addChannel(event.channelId);
        break;
    case Kind::ChannelRemoved:
        removeChannel(event.channelId);
        break;
    case Kind::OwnerRemoved:
        resync();
        break;
    case Kind::Disconnected:
        revalidate(event.channelId);
        break;
    case Kind::ThingRemoved:
    case Kind::ThingKeyChanged:
        for (const QString &id : m_channels.keys())
            revalidate(id);
        break;
    default:
        break;
    }
}

} // namespace mf::adapters
