#pragma once

#include "api/router.h"
#include "services/things/accesscontrol.h"

#include <QObject>

namespace mf::bus {
class NatsConnection;
}
namespace mf::api {
class Metrics;
}

namespace mf::adapters {

// The HTTP message adapter: POST /http/channels/{id}/messages[/{subtopic...}] with the thing key in Authorization
// (raw key, "Thing <key>", or Basic with thing id and key). SenML (JSON, CBOR) is validated before anything is
// published; other content types pass through untouched. The answer is 202 only once the message is in the
// durable stream, 503 when the bus cannot take it.
class HttpAdapter final : public QObject
{
    Q_OBJECT

public:
    HttpAdapter(things::AccessControl &access, bus::NatsConnection &nats, api::Metrics &metrics, QString origin,
                QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(HttpAdapter)

    // prefix: "/http" on the shared REST port (the Mainflux nginx layout), "" when the adapter has its own port.
    void addRoutes(api::Router &router, const QString &prefix = QStringLiteral("/http"));

private:
    void publish(const api::ApiRequest &request, const api::DeferredReply &reply);
    Result<QString> authenticate(const api::ApiRequest &request, const QString &channelId);
    void count(const QByteArray &result);

    things::AccessControl &m_access;
    bus::NatsConnection &m_nats;
    api::Metrics &m_metrics;
    QString m_origin;
};

} // namespace mf::adapters
