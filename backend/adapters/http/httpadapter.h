#pragma once

#include "api/keyfailurelimits.h"
#include "api/router.h"
#include "services/things/accesscontrol.h"

#include <QHash>
#include <QObject>

#include <functional>

namespace mf::adapters {

class Ingest;

// The HTTP message adapter: POST /http/channels/{id}/messages[/{subtopic...}] with the thing key in Authorization
// (raw key, "Thing <key>", or Basic with thing id and key). The body goes through the shared ingest path (SenML
// checked, other content types untouched, no Content-Type: the channel's content_type). The answer is 202 only
// once the message is in the durable stream, 503 when the bus cannot take it.
class HttpAdapter final : public QObject
{
    Q_OBJECT

public:
    HttpAdapter(things::AccessControl &access, Ingest &ingest, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(HttpAdapter)

    // prefix: "/http" on the shared REST port (the Mainflux nginx layout), "" when the adapter has its own port.
    void addRoutes(api::Router &router, const QString &prefix = QStringLiteral("/http"));

    // A check of the body published on one subtopic (bus form, e.g. "lora.down"), run before anything is
    // published: an error becomes the HTTP answer (its code picks the status). Registered by the composition root.
    using BodyCheck = std::function<Result<void>(const QString &channelId, const QByteArray &body)>;
    void setBodyCheck(const QString &subtopic, BodyCheck check) { m_bodyChecks.insert(subtopic, std::move(check)); }
    // Wrong keys counted per client address; past the limit 429 with Retry-After. Not owned; null = no limit.
    void setKeyFailureLimits(api::KeyFailureLimits *limits) { m_keyFailures = limits; }

private:
    void publish(const api::ApiRequest &request, const api::DeferredReply &reply);
    Result<QString> authenticate(const api::ApiRequest &request, const QString &channelId);

    things::AccessControl &m_access;
    Ingest &m_ingest;
    QHash<QString, BodyCheck> m_bodyChecks;
    api::KeyFailureLimits *m_keyFailures = nullptr;
};

} // namespace mf::adapters
