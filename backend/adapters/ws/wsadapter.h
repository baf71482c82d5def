#pragma once

#include "api/connectionlimiter.h"
#include "api/httplimits.h"
#include "api/keyfailurelimits.h"
#include "bus/natsconnection.h"
#include "core/error.h"
#include "services/things/accesscontrol.h"
#include "services/things/thingsevent.h"
#include "wshandshake.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

class QTcpServer;
class QTcpSocket;
class QTimer;
class QWebSocket;
class QWebSocketServer;

namespace mf::bus {
class NatsConnection;
}
namespace mf::api {
class Metrics;
}

namespace mf::adapters {

class Ingest;

struct WsOptions
{
    qint64 maxFrameBytes = 1 << 20;  // largest incoming message (MF_HTTP_MAX_BODY); larger ones close with 1009
    qint64 maxQueuedBytes = 1 << 20; // unsent bytes a subscriber may fall behind before it is dropped (1008)
    int pingIntervalMs = 30'000;     // a ping every interval; no pong (or frame) by the next one closes (1001)
    // Request line, head size and lines, the head's timeout (408) and connections per address and in total (503),
    // shared with the HTTP ports (MF_HTTP_*). The idle timeout does not apply: pings cover open WebSockets.
    api::HttpLimits limits;
    int closeTimeoutMs = 3'000;      // a closed client that does not answer the close frame is aborted after it
    // Set: the port speaks WSS only (wss://host:port/...); the gate's checks run on the decrypted stream.
    std::optional<QSslConfiguration> tls;
    // Wrong keys (and user tokens) counted per client address; past MF_KEY_FAILURES the upgrade gets 429 with
    // Retry-After. Not owned; null = no limit.
    api::KeyFailureLimits *keyFailures = nullptr;
};

// The channel owner's read-only stream: the user id when `token` is a valid user token of the channel's owner;
// Unauthenticated for a bad token, NotFound when the channel is not theirs (nothing is revealed). An empty
// `channelId` checks the token only (the user's event stream, /events).
using OwnerCheck = std::function<Result<QString>(const QString &token, const QString &channelId)>;

// The WebSocket adapter on its own port: ws://host:port/channels/{id}/messages[/{subtopic...}], and
// ws://host:port/events, a user's read-only stream of their own events (`Authorization: Bearer <token>` or
// ?authorization=<token>): every `events.status`, `events.alerts` and `events.refusals` bus event whose owner is that
// user, as a text frame {"type":"status"|"alerts"|"refusals", ...the event without its owner}. The dashboard follows
// it instead of polling.
//
// A QTcpServer gate reads the request head and decides before any handshake (404 path, 400 subtopic or format or
// handshake headers, 401 missing/unknown credentials, 403 thing not connected, 404 someone else's channel for a user
// token, 426 not an upgrade, 408/414/431/503 for the limits); good sockets go to
// QWebSocketServer::handleConnection(). Qt 6.4's frame parser ignores the mask bit, so the gate keeps watching the
// socket until the first frame's header arrives and closes with 1002 when it is unmasked (RFC 6455 §5.1). A thing's
// frames are published like the HTTP adapter does (durably, SenML validated; refusals come back as {"error": "..."}
// text frames and the connection stays open). Every message of the channel (any subtopic when the client gave none,
// else exactly its subtopic) from any protocol is delivered, except those the same thing published. One NATS
// subscription per channel serves all local clients of that channel. Access changes (ThingsEvent) close affected
// connections with 1008. Lives on one thread (the one that delivers ThingsEvents); not thread-safe.
class WsAdapter final : public QObject
{
    Q_OBJECT

public:
    WsAdapter(things::AccessControl &access, bus::NatsConnection &nats, api::Metrics &metrics, OwnerCheck ownerCheck,
              Ingest &ingest, WsOptions options = {}, QObject *parent = nullptr);
    ~WsAdapter() override;
    Q_DISABLE_COPY_MOVE(WsAdapter)

    // Unavailable when the port cannot be bound. Returns the bound port (useful with port 0).
    Result<quint16> listen(const QHostAddress &host, quint16 port);
    quint16 port() const;
    qsizetype clientCount() const { return m_clients.size(); }
    qsizetype channelSubscriptionCount() const { return m_channels.size(); }

    // Closes connections the event revokes: Disconnected (that thing on that channel), ThingRemoved and
    // ThingKeyChanged (that thing), ChannelRemoved (everyone on it), OwnerRemoved (re-checked).
    void onThingsEvent(const mf::things::ThingsEvent &event);

private:
    struct Pending;
    struct Client;
    struct ChannelFeed;

    void acceptGate();
    void inspect(QTcpSocket *socket);
    void refuse(QTcpSocket *socket, int status, const QString &message, const QByteArray &countAs,
                const QByteArray &extraHeaders = {});
    void guardFirstFrame(QTcpSocket *socket);
    void acceptWebSocket();
    void deliver(const QString &channelId, const QByteArray &data);
    void publishFrame(Client &client, const QByteArray &payload);
    void sendError(Client &client, const QString &message);
    bool sendText(Client &client, const QString &text);
    bool sendBinary(Client &client, const QByteArray &data);
    bool checkQueue(Client &client); // false (and closing with 1008) when the client fell too far behind
    void closeClient(Client &client, int code, const QString &reason);
    void dropClient(QWebSocket *socket);
    void pingAll();
    void countMessage(const QByteArray &result);
    void updateGauge();
    Result<void> subscribeChannel(const QString &channelId);
    void admitEventStream(QTcpSocket *socket, const ws::RequestHead &head);
    void handOver(QTcpSocket *socket, const std::shared_ptr<Pending> &pending);
    Result<void> subscribeEvents();
    void deliverEvent(const QByteArray &subject, const QByteArray &data);

    things::AccessControl &m_access;
    bus::NatsConnection &m_nats;
    api::Metrics &m_metrics;
    OwnerCheck m_ownerCheck;
    Ingest &m_ingest;
    WsOptions m_options;
    api::ConnectionLimiter m_limiter;
    QTcpServer *m_gate = nullptr;                       // child
    QWebSocketServer *m_server = nullptr;               // child
    QTimer *m_pingTimer = nullptr;                      // child
    QHash<QString, std::shared_ptr<Pending>> m_pending; // "address|port" → decided, waiting for the handshake
    QHash<QWebSocket *, std::shared_ptr<Client>> m_clients;
    QHash<QString, std::shared_ptr<ChannelFeed>> m_channels; // channel id → shared subscription + its clients
    std::vector<bus::Subscription> m_eventFeeds; // events.status, .alerts, .refusals: once the first /events
};

} // namespace mf::adapters
