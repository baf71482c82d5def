#include "wsadapter.h"

#include "adapters/ingest/ingest.h"
#include "api/answerandclose.h"
#include "api/metrics.h"
#include "api/requesthead.h"
#include "bus/envelope.h"
#include "bus/natsconnection.h"
#include "bus/subjects.h"
#include "core/messagejson.h"
#include "core/senml/senml.h"
#include "services/writer/storedmessages.h"
#include "wshandshake.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSslServer>
#include <QStringDecoder>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcWsAdapter, "mainflux.adapter.ws")

namespace mf::adapters {

namespace {
constexpr char HandedOverProperty[] = "mf_ws_handed_over";
constexpr char PeerKeyProperty[] = "mf_ws_peer_key";

QString peerKey(const QHostAddress &address, quint16 port)
{
    return address.toString() + u'|' + QString::number(port);
}

// The payload as text when it is valid UTF-8 (sent as a text frame, byte for byte the same), else nullopt.
std::optional<QString> utf8Text(const QByteArray &payload)
{
    QStringDecoder utf8(QStringDecoder::Utf8);
    QString text = utf8(payload);
    if (utf8.hasError()) return std::nullopt;
    if (payload.startsWith("\xEF\xBB\xBF") && !text.startsWith(QChar(0xFEFF)))
        return std::nullopt; // a stripped BOM would change the bytes
    return text;
}

// The close reason is limited to 123 bytes by RFC 6455.
QString closeReason(const QString &reason)
{
    return reason.size() > 120 ? reason.left(120) : reason;
}
} // namespace

// A connection the gate has authorised, between the gate's decision and QWebSocketServer's handshake.
struct WsAdapter::Pending
{
    QString channelId;
    QString subtopic; // normalized; empty = every subtopic of the channel
    QString thingId;  // the publishing thing; empty for the owner's read-only stream
    QString userId;   // the owner, for the read-only stream
    ws::FrameFormat format = ws::FrameFormat::Raw;
    QString contentType;
    QPointer<QTcpSocket> tcp;
    const QObject *tcpIdentity = nullptr; // compared only, never dereferenced
    bool unmasked = false;                // the first frame came unmasked before the WebSocket existed
    bool events = false;                  // the user's event stream (/events), not a channel
};

struct WsAdapter::Client : Pending
{
    QPointer<QWebSocket> socket;
    bool closing = false;
    bool awaitingPong = false;
    quint64 presence = 0; // a thing's open session, for its online status (SessionPresence); 0: none
    bool readOnly() const { return thingId.isEmpty(); }
};

struct WsAdapter::ChannelFeed
{
    bus::Subscription exact;  // channel.<id>
    bus::Subscription nested; // channel.<id>.>
    QList<QWebSocket *> members;
};

WsAdapter::WsAdapter(things::AccessControl &access, bus::NatsConnection &nats, api::Metrics &metrics,
                     OwnerCheck ownerCheck, Ingest &ingest, WsOptions options, QObject *parent)
    : QObject(parent), m_access(access), m_nats(nats), m_metrics(metrics), m_ownerCheck(std::move(ownerCheck)),
      m_ingest(ingest), m_options(options),
      m_limiter(options.limits.maxConnections, options.limits.maxConnectionsPerAddress)
{
    if (m_options.tls) {
        auto *tls = new QSslServer(this);
        tls->setSslConfiguration(*m_options.tls);
        // A client that opens the connection but never finishes the handshake is dropped like a slow head.
        tls->setHandshakeTimeout(m_options.limits.headerTimeoutMs);
        connect(tls, &QSslServer::errorOccurred, this, [this](QSslSocket *, QAbstractSocket::SocketError error) {
            if (error == QAbstractSocket::SslHandshakeFailedError)
                m_metrics.increment("mf_tls_handshake_failures_total", "port=\"ws\"");
        });
        m_gate = tls;
    } else {
        m_gate = new QTcpServer(this);
    }
    // Not newConnection: QSslServer emits that at accept, while the socket is still handshaking and not yet queued;
    // it queues the socket (and says so with pendingConnectionAvailable) once encrypted.
    connect(m_gate, &QTcpServer::pendingConnectionAvailable, this, &WsAdapter::acceptGate);
    m_server = new QWebSocketServer(u"mainflux"_s, QWebSocketServer::NonSecureMode, this);
    m_server->setHandshakeTimeout(std::chrono::milliseconds(m_options.limits.headerTimeoutMs));
    connect(m_server, &QWebSocketServer::newConnection, this, &WsAdapter::acceptWebSocket);
    m_pingTimer = new QTimer(this);
    m_pingTimer->setInterval(m_options.pingIntervalMs);
    connect(m_pingTimer, &QTimer::timeout, this, &WsAdapter::pingAll);
    updateGauge();
}

WsAdapter::~WsAdapter()
{
    m_gate->close();
    const auto clients = m_clients;
    for (const auto &client : clients) {
        m_ingest.sessions().closed(client->presence);
        if (client->socket) {
            client->socket->disconnect(this);
            client->socket->abort();
        }
    }
    m_clients.clear();
    m_channels.clear(); // unsubscribes
}

Result<quint16> WsAdapter::listen(const QHostAddress &host, quint16 port)
{
    if (!m_gate->listen(host, port))
        return fail(ErrorCode::Unavailable,
                    u"WebSocket port %1:%2: %3"_s.arg(host.toString()).arg(port).arg(m_gate->errorString()));
    m_pingTimer->start();
    return m_gate->serverPort();
}

quint16 WsAdapter::port() const
{
    return m_gate->serverPort();
}

void WsAdapter::countMessage(const QByteArray &result)
{
    m_ingest.count(u"ws", result);
}

void WsAdapter::updateGauge()
{
    m_metrics.setGauge("mf_ws_connected_clients", {}, double(m_clients.size()));
    m_metrics.setGauge("mf_ws_channel_subscriptions", {}, double(m_channels.size()));
}

// --- the gate: everything before the handshake ---

void WsAdapter::acceptGate()
{
    while (QTcpSocket *socket = m_gate->nextPendingConnection()) {
        // Context m_gate, so that disconnect(this) in refuse() and on hand-over keeps this one.
        connect(socket, &QTcpSocket::disconnected, m_gate, [this, socket] {
            if (socket->property(HandedOverProperty).toBool()) {
                auto it = m_pending.find(socket->property(PeerKeyProperty).toString());
                if (it == m_pending.end() || (*it)->tcpIdentity != socket)
                    return;          // it became a WebSocket, which owns its lifetime now
                m_pending.erase(it); // the handshake failed in QWebSocketServer
            }
            socket->deleteLater();
        });
        if (const auto verdict = m_limiter.admit(socket); verdict != api::ConnectionLimiter::Verdict::Admitted) {
            const bool perAddress = verdict == api::ConnectionLimiter::Verdict::TooManyFromAddress;
            refuse(socket, 503,
                   perAddress ? u"more than %1 connections from this address"_s.arg(
                                    m_options.limits.maxConnectionsPerAddress)
                              : u"more than %1 connections"_s.arg(m_options.limits.maxConnections),
                   perAddress ? "too many connections from address" : "too many connections");
            continue;
        }
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { inspect(socket); });
        QTimer::singleShot(m_options.limits.headerTimeoutMs, socket, [this, socket] {
            if (socket->property(HandedOverProperty).toBool() || socket->state() != QAbstractSocket::ConnectedState)
                return;
            refuse(socket, 408,
                   u"the upgrade request did not arrive within %1 ms"_s.arg(m_options.limits.headerTimeoutMs),
                   "header timeout");
        });
        if (socket->bytesAvailable() > 0) inspect(socket);
    }
}

void WsAdapter::refuse(QTcpSocket *socket, int status, const QString &message, const QByteArray &countAs,
                       const QByteArray &extraHeaders)
{
    m_metrics.increment("mf_ws_connections_total", "result=\"" + countAs + '"');
    socket->disconnect(this); // no further inspection
    api::answerAndClose(socket, api::errorAnswer(status, message.toUtf8(), extraHeaders));
}

void WsAdapter::inspect(QTcpSocket *socket)
{
    const api::HttpLimits &limits = m_options.limits;
    const QByteArray peeked = socket->peek(qMax(limits.maxHeaderBytes, limits.maxRequestLine) + 4);
    const api::HeadCheck check = api::checkRequestHead(peeked, limits);
    if (check.state == api::HeadCheck::State::Refused)
        return refuse(socket, check.status, QString::fromUtf8(check.message), check.reason);
    if (check.state == api::HeadCheck::State::Incomplete) return; // wait for the rest
    auto head = ws::parseRequestHead(peeked.left(check.headLength).trimmed());
    if (!head) return refuse(socket, 400, head.error().message, "bad request");
    const bool events = head->path == "/events"_L1;
    const auto route = ws::matchRoute(head->path);
    if (!route && !events)
        return refuse(socket, 404, u"not found: WebSocket URLs are /channels/{id}/messages[/{subtopic}] and /events"_s,
                      "not found");
    if (head->method != "GET") return refuse(socket, 405, u"a WebSocket connection starts with GET"_s, "bad request");
    if (!head->isWebSocketUpgrade())
        return refuse(socket, 426, u"this URL speaks WebSocket only: send an upgrade request"_s, "bad request");
    if (const auto refusal = ws::checkWebSocketHeaders(*head))
        return refuse(socket, refusal->status, refusal->message, "bad request",
                      refusal->status == 426 ? "Sec-WebSocket-Version: 13\r\n" : "");
    if (events) return admitEventStream(socket, *head);
    auto subtopic = bus::normalizeSubtopic(route->rawSubtopic, bus::SubtopicUse::Publish);
    if (!subtopic) return refuse(socket, 400, subtopic.error().message, "bad request");
    auto format = ws::frameFormatOf(*head);
    if (!format) return refuse(socket, 400, format.error().message, "bad request");

    auto pending = std::make_shared<Pending>();
    pending->channelId = route->channelId;
    pending->subtopic = *subtopic;
    pending->format = *format;
    pending->contentType = ws::contentTypeOf(*head);
    pending->tcp = socket;
    pending->tcpIdentity = socket;

    const ws::Credential credential = ws::credentialOf(*head);
    using Kind = ws::Credential::Kind;
    if (m_options.keyFailures) {
        // Before the key is looked at: a right key from a locked-out address is refused too.
        if (const qint64 seconds = m_options.keyFailures->retryAfter(socket->peerAddress(), "ws"); seconds > 0)
            return refuse(socket, 429, m_options.keyFailures->message(seconds), "key failures",
                          "Retry-After: " + QByteArray::number(seconds) + "\r\n");
    }
    const auto keyFailed = [this, socket] {
        if (m_options.keyFailures)
            m_options.keyFailures->failed(socket->peerAddress(), "ws");
    };
    // A device refused before its connection opens: kept for the channel's (and the thing's) owner like a refused
    // HTTP publish, and on their event streams (the thing is named only when its key is known).
    const auto report = [this, socket, &route](const QString &thing, const QString &reason) {
        m_ingest.report({0, route->channelId, thing, u"ws"_s, socket->peerAddress().toString(), reason, {}, 0});
    };
    if (credential.kind == Kind::None || credential.secret.isEmpty()) {
        const QString reason = u"missing thing key: send Authorization: Thing <key> or ?authorization=<key>"_s;
        report({}, reason);
        return refuse(socket, 401, reason, "unauthorized");
    }
    bool asUser = credential.kind == Kind::UserToken;
    if (!asUser) {
        auto thing = m_access.canAccess(route->channelId, credential.secret);
        if (thing) {
            pending->thingId = *thing;
        } else if (thing.error().code == ErrorCode::Forbidden) {
            auto known = m_access.identify(credential.secret); // a right key on the wrong channel: whose it is
            report(known ? *known : QString(), thing.error().message);
            return refuse(socket, 403, thing.error().message, "forbidden");
        } else if (thing.error().code != ErrorCode::Unauthenticated) {
            return refuse(socket, 503, thing.error().message, "unavailable");
        } else if (credential.kind == Kind::KeyOrToken && credential.secret.count(u'.') == 2) {
            asUser = true; // a JWT: maybe the owner's dashboard stream
        } else {
            keyFailed();
            report({}, u"unknown thing key"_s);
            return refuse(socket, 401, u"unknown thing key"_s, "unauthorized");
        }
    }
    if (asUser) {
        auto user = m_ownerCheck ? m_ownerCheck(credential.secret, route->channelId)
                                 : Result<QString>(fail(ErrorCode::Unauthenticated, u"unknown credentials"_s));
        if (!user) {
            switch (user.error().code) {
            case ErrorCode::Unauthenticated:
                keyFailed();
                report({}, u"unknown thing key or user token"_s);
                return refuse(socket, 401, u"unknown thing key or user token"_s, "unauthorized");
            case ErrorCode::NotFound:
            case ErrorCode::Forbidden:
                return refuse(socket, 404, u"channel not found"_s, "not found");
            default:
                return refuse(socket, 503, user.error().message, "unavailable");
            }
        }
        pending->userId = *user;
        pending->format = ws::FrameFormat::Envelope; // the dashboard always wants to see who published what
    }

    handOver(socket, pending);
}

// Authorised: QWebSocketServer reads the same bytes (peek consumed nothing) and answers the handshake.
void WsAdapter::handOver(QTcpSocket *socket, const std::shared_ptr<Pending> &pending)
{
    socket->disconnect(this);
    socket->setProperty(HandedOverProperty, true);
    const QString key = peerKey(socket->peerAddress(), socket->peerPort());
    socket->setProperty(PeerKeyProperty, key);
    m_pending.insert(key, pending);
    guardFirstFrame(socket); // connected before QWebSocket's own readyRead slot, so it always runs first
    m_server->handleConnection(socket);
}

// Qt 6.4's QWebSocketFrame reads the mask bit and unmasks when it is set, but never requires it, and no API exposes
// a frame's header. The gate's slot on the TCP socket runs before QWebSocket's (connected first), so it sees the
// first frame's header before Qt parses it; an unmasked one is dropped unread and the connection closed with 1002.
// Later frames are not checked: that would need a second frame parser kept in step with Qt's.
void WsAdapter::guardFirstFrame(QTcpSocket *socket)
{
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(socket, &QTcpSocket::readyRead, this, [this, socket, connection] {
        const QByteArray peeked = socket->peek(2);
        if (peeked.startsWith("GE")) return; // QWebSocketServer has not read the handshake yet
        if (peeked.size() < 2) return;
        disconnect(*connection);
        if ((quint8(peeked.at(1)) & 0x80) != 0) return; // masked, as RFC 6455 §5.1 requires
        socket->readAll();                                // never parsed by QWebSocket
        m_metrics.increment("mf_ws_protocol_errors_total", "reason=\"unmasked frame\"");
        const QString reason = u"frames from a client must be masked (RFC 6455 section 5.1)"_s;
        for (const auto &client : std::as_const(m_clients))
            if (client->tcpIdentity == socket)
                return closeClient(*client, QWebSocketProtocol::CloseCodeProtocolError, reason);
        if (auto it = m_pending.find(socket->property(PeerKeyProperty).toString());
            it != m_pending.end() && (*it)->tcpIdentity == socket)
            (*it)->unmasked = true; // closed as soon as the WebSocket exists
    });
}

// --- connected clients ---

void WsAdapter::acceptWebSocket()
{
    while (m_server->hasPendingConnections()) {
        QWebSocket *socket = m_server->nextPendingConnection();
        if (!socket) break;
        const std::shared_ptr<Pending> pending = m_pending.take(peerKey(socket->peerAddress(), socket->peerPort()));
        if (!pending) {
            qCWarning(lcWsAdapter) << "a WebSocket handshake completed without a gate decision; closing it";
            socket->close(QWebSocketProtocol::CloseCodeBadOperation, u"internal error"_s);
            socket->deleteLater();
            continue;
        }
        auto client = std::make_shared<Client>();
        static_cast<Pending &>(*client) = *pending;
        client->socket = socket;
        // Qt 6.4 has these limits on QWebSocket only; set before the event loop reads the first frame.
        socket->setMaxAllowedIncomingFrameSize(quint64(m_options.maxFrameBytes));
        socket->setMaxAllowedIncomingMessageSize(quint64(m_options.maxFrameBytes));
        // The gate's socket belongs to the gate server unless QWebSocket took it: free it with the WebSocket.
        if (QTcpSocket *tcp = pending->tcp.data(); tcp && tcp->parent() == m_gate)
            connect(socket, &QObject::destroyed, tcp, [tcp] { tcp->deleteLater(); });
        m_clients.insert(socket, client);
        if (client->unmasked) {
            closeClient(*client, QWebSocketProtocol::CloseCodeProtocolError,
                        u"frames from a client must be masked (RFC 6455 section 5.1)"_s);
        }
        connect(socket, &QWebSocket::disconnected, this, [this, socket] { dropClient(socket); });
        connect(socket, &QWebSocket::textMessageReceived, this, [this, socket](const QString &text) {
            if (auto c = m_clients.value(socket)) publishFrame(*c, text.toUtf8());
        });
        connect(socket, &QWebSocket::binaryMessageReceived, this, [this, socket](const QByteArray &data) {
            if (auto c = m_clients.value(socket)) publishFrame(*c, data);
        });
        connect(socket, &QWebSocket::pong, this, [this, socket] {
            if (auto c = m_clients.value(socket)) c->awaitingPong = false;
        });
        if (client->events) {
            if (auto subscribed = subscribeEvents(); !subscribed)
                closeClient(*client, QWebSocketProtocol::CloseCodeBadOperation,
                            u"message bus unavailable: "_s + subscribed.error().message);
            m_metrics.increment("mf_ws_connections_total", "result=\"event stream\"");
            updateGauge();
            continue;
        }
        if (auto subscribed = subscribeChannel(client->channelId); !subscribed) {
            closeClient(*client, QWebSocketProtocol::CloseCodeBadOperation,
                        u"message bus unavailable: "_s + subscribed.error().message);
            continue;
        }
        m_channels.value(client->channelId)->members.append(socket);
        if (!client->readOnly()) client->presence = m_ingest.sessions().opened(client->thingId, u"ws"_s);
        m_metrics.increment("mf_ws_connections_total",
                            client->readOnly() ? "result=\"owner stream\"" : "result=\"accepted\"");
        updateGauge();
    }
}

Result<void> WsAdapter::subscribeChannel(const QString &channelId)
{
    if (m_channels.contains(channelId)) return {};
    auto feed = std::make_shared<ChannelFeed>();
    const auto handler = [this, channelId](QByteArray, QByteArray data, QByteArray) { deliver(channelId, data); };
    const QByteArray subject = bus::channelSubject(channelId);
    auto exact = m_nats.subscribe(subject, {}, this, handler);
    if (!exact) return std::unexpected(exact.error());
    auto nested = m_nats.subscribe(subject + ".>", {}, this, handler);
    if (!nested) return std::unexpected(nested.error());
    feed->exact = std::move(*exact);
    feed->nested = std::move(*nested);
    m_channels.insert(channelId, feed);
    return {};
}

void WsAdapter::dropClient(QWebSocket *socket)
{
    const std::shared_ptr<Client> client = m_clients.take(socket);
    if (!client) return;
    m_ingest.sessions().closed(client->presence); // the thing goes offline now unless it has another session
    if (auto it = m_channels.find(client->channelId); it != m_channels.end()) {
        (*it)->members.removeAll(socket);
        if ((*it)->members.isEmpty()) m_channels.erase(it); // the last local client: unsubscribe
    }
    socket->deleteLater();
    updateGauge();
}

void WsAdapter::closeClient(Client &client, int code, const QString &reason)
{
    if (client.closing || !client.socket) return;
    client.closing = true;
    qCDebug(lcWsAdapter).noquote() << "closing" << client.channelId
                                   << (client.readOnly() ? client.userId : client.thingId) << code << reason;
    QPointer<QWebSocket> socket = client.socket;
    socket->close(QWebSocketProtocol::CloseCode(code), closeReason(reason));
    // A peer that never answers the close frame (or never reads) is cut off.
    QTimer::singleShot(m_options.closeTimeoutMs, socket, [socket] {
        if (socket) socket->abort();
    });
}

void WsAdapter::sendError(Client &client, const QString &message)
{
    sendText(client,
             QString::fromUtf8(QJsonDocument(QJsonObject{{u"error"_s, message}}).toJson(QJsonDocument::Compact)));
}

bool WsAdapter::sendText(Client &client, const QString &text)
{
    if (client.closing || !client.socket) return false;
    client.socket->sendTextMessage(text);
    return checkQueue(client);
}

bool WsAdapter::sendBinary(Client &client, const QByteArray &data)
{
    if (client.closing || !client.socket) return false;
    client.socket->sendBinaryMessage(data);
    return checkQueue(client);
}

bool WsAdapter::checkQueue(Client &client)
{
    QWebSocket *socket = client.socket;
    if (socket->bytesToWrite() > m_options.maxQueuedBytes) {
        socket->flush(); // what the kernel takes now does not count against the client
        if (socket->bytesToWrite() > m_options.maxQueuedBytes) {
            m_metrics.increment("mf_ws_slow_clients_total");
            closeClient(client, QWebSocketProtocol::CloseCodePolicyViolated,
                        u"too slow: more than %1 bytes unsent"_s.arg(m_options.maxQueuedBytes));
            return false;
        }
    }
    return true;
}

void WsAdapter::publishFrame(Client &client, const QByteArray &payload)
{
    client.awaitingPong = false; // any frame proves the peer is alive
    if (client.closing) return;
    if (client.readOnly()) {
        countMessage("read only");
        sendError(client, client.events ? u"the event stream is read-only"_s
                                        : u"this is the channel owner's read-only stream: publish with a thing key"_s);
        return;
    }
    QPointer<QWebSocket> socket = client.socket;
    m_ingest.submit({client.channelId, client.thingId, u"ws"_s, client.subtopic, client.contentType, payload}, this,
                    [this, socket](Result<void> accepted) {
                        if (accepted) return;
                        if (auto c = m_clients.value(socket.data())) sendError(*c, accepted.error().message);
                    });
}

// --- fan-out ---

void WsAdapter::deliver(const QString &channelId, const QByteArray &data)
{
    const std::shared_ptr<ChannelFeed> feed = m_channels.value(channelId);
    if (!feed) return;
    auto envelope = bus::Envelope::decode(data);
    if (!envelope) {
        qCDebug(lcWsAdapter) << "skipping an undecodable message on channel" << channelId;
        return;
    }
    // Built at most once per message, whatever the number of clients.
    std::optional<std::optional<QString>> text; // outer: computed yet; inner: nullopt = not UTF-8
    std::optional<QString> enveloped;
    const auto payloadText = [&]() -> const std::optional<QString> & {
        if (!text) text.emplace(utf8Text(envelope->payload));
        return *text;
    };
    const auto envelopeFrame = [&]() -> const QString & {
        if (!enveloped) {
            QJsonObject o{{u"channel"_s, envelope->channel},          {u"publisher"_s, envelope->publisher},
                          {u"protocol"_s, envelope->protocol},        {u"subtopic"_s, envelope->subtopic},
                          {u"content_type"_s, envelope->contentType}, {u"time"_s, double(envelope->createdNs) / 1e9}};
            if (const auto &t = payloadText())
                o.insert(u"payload"_s, *t);
            else
                o.insert(u"payload_base64"_s, QString::fromLatin1(envelope->payload.toBase64()));
            if (senml::formatForContentType(envelope->contentType)) {
                auto stored = writer::toStoredMessages(*envelope, 0, QDateTime::currentMSecsSinceEpoch() / 1000.0);
                if (stored) {
                    QJsonArray records;
                    for (const StoredMessage &m : *stored)
                        records.append(json::toJson(m));
                    o.insert(u"records"_s, records);
                }
            }
            enveloped = QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
        }
        return *enveloped;
    };
    const QList<QWebSocket *> members = feed->members; // send() may close clients
    for (QWebSocket *socket : members) {
        const std::shared_ptr<Client> client = m_clients.value(socket);
        if (!client || client->closing) continue;
        if (!client->subtopic.isEmpty() && client->subtopic != envelope->subtopic) continue;
        if (!client->thingId.isEmpty() && client->thingId == envelope->publisher)
            continue; // never echo a thing's own messages (Mainflux behaviour)
        if (client->format == ws::FrameFormat::Envelope)
            sendText(*client, envelopeFrame());
        else if (const auto &t = payloadText())
            sendText(*client, *t);
        else
            sendBinary(*client, envelope->payload);
        m_metrics.increment("mf_ws_frames_sent_total");
    }
}

void WsAdapter::pingAll()
{
    for (const auto &client : std::as_const(m_clients)) {
        if (client->closing || !client->socket) continue;
        if (client->awaitingPong) {
            closeClient(*client, QWebSocketProtocol::CloseCodeGoingAway, u"no pong to the last ping"_s);
            continue;
        }
        client->awaitingPong = true;
        client->socket->ping();
    }
}

// --- access changes ---

void WsAdapter::onThingsEvent(const things::ThingsEvent &event)
{
    using Kind = things::ThingsEvent::Kind;
    const auto clients = m_clients.values();
    for (const auto &client : clients) {
        QString reason;
        switch (event.kind) {
        case Kind::Disconnected:
            if (client->thingId == event.thingId && client->channelId == event.channelId)
                reason = u"the thing was disconnected from the channel"_s;
            break;
        case Kind::ThingRemoved:
            if (client->thingId == event.thingId) reason = u"the thing was removed"_s;
            break;
        case Kind::ThingKeyChanged:
            if (client->thingId == event.thingId) reason = u"the thing key was changed"_s;
            break;
        case Kind::ChannelRemoved:
            if (client->channelId == event.channelId) reason = u"the channel was removed"_s;
            break;
        case Kind::OwnerRemoved:
            if (client->readOnly() ? client->userId == event.owner
                                   : !m_access.canAccessById(client->channelId, client->thingId).has_value())
                reason = u"the owner was removed"_s;
            break;
        default:
            break;
        }
        if (!reason.isEmpty()) closeClient(*client, QWebSocketProtocol::CloseCodePolicyViolated, reason);
    }
}

// --- the user's event stream (/events) ---

void WsAdapter::admitEventStream(QTcpSocket *socket, const ws::RequestHead &head)
{
    const ws::Credential credential = ws::credentialOf(head);
    if (credential.kind == ws::Credential::Kind::ThingKey || credential.secret.isEmpty())
        return refuse(socket, 401, u"the event stream needs a user token: Authorization: Bearer <token>"_s,
                      "unauthorized");
    auto user = m_ownerCheck ? m_ownerCheck(credential.secret, QString())
                             : Result<QString>(fail(ErrorCode::Unauthenticated, u"unknown credentials"_s));
    if (!user)
        return user.error().code == ErrorCode::Unauthenticated
                   ? refuse(socket, 401, u"unknown user token"_s, "unauthorized")
                   : refuse(socket, 503, user.error().message, "unavailable");
    auto pending = std::make_shared<Pending>();
    pending->userId = *user;
    pending->events = true;
    pending->tcp = socket;
    pending->tcpIdentity = socket;
    handOver(socket, pending);
}

Result<void> WsAdapter::subscribeEvents()
{
    if (!m_eventFeeds.empty()) return {};
    for (const QByteArray &subject :
         {QByteArray("events.status"), QByteArray("events.alerts"), QByteArray("events.refusals")}) {
        auto feed = m_nats.subscribe(subject, {}, this, [this](QByteArray s, QByteArray data, QByteArray) {
            deliverEvent(s, data);
        });
        if (!feed) {
            m_eventFeeds.clear();
            return std::unexpected(feed.error());
        }
        m_eventFeeds.push_back(std::move(*feed));
    }
    return {};
}

void WsAdapter::deliverEvent(const QByteArray &subject, const QByteArray &data)
{
    QJsonObject event = QJsonDocument::fromJson(data).object();
    const QString owner = event.take(u"owner"_s).toString();
    if (owner.isEmpty()) return;
    event.insert(u"type"_s, QString::fromLatin1(subject.mid(subject.lastIndexOf('.') + 1)));
    const QString frame = QString::fromUtf8(QJsonDocument(event).toJson(QJsonDocument::Compact));
    const auto clients = m_clients.values();
    for (const auto &client : clients)
        if (client->events && client->userId == owner) sendText(*client, frame);
}

} // namespace mf::adapters
