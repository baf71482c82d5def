#pragma once

#include "core/error.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QStringList>
#include <functional>
#include <memory>

namespace mf::bus {

class NatsConnection;

// A live subscription. Move-only RAII handle: destroying it (or reset()) unsubscribes.
// Once reset() returns on the context's thread, the handler is never called again; from another thread a
// delivery already handed over may still run once. If the context object is destroyed first, deliveries
// simply stop (the handle may outlive it). The handle may also outlive its NatsConnection.
class Subscription final
{
public:
    Subscription() = default;
    Subscription(Subscription &&other) noexcept = default;
    Subscription &operator=(Subscription &&other) noexcept;
    ~Subscription();
    Q_DISABLE_COPY(Subscription)

    void reset();
    bool isActive() const { return d != nullptr; }

private:
    friend class NatsConnection;
    struct Private;
    std::shared_ptr<Private> d;
};

// One message taken from a durable JetStream pull consumer by NatsConnection::fetch(). Copyable value;
// copies share the underlying message, so ack() it once. Data is copied out at fetch time.
// Threading: ack()/nak() may be called from any thread (typically the worker that fetched it).
class DurableMessage final
{
public:
    QByteArray subject() const;
    QByteArray data() const;
    quint64 streamSequence() const;
    quint64 deliveries() const; // 1 on first delivery, >1 when redelivered after no ack in time or a nak

    // Acknowledge after the work is committed (e.g. the database transaction); until then the server
    // redelivers it after the consumer's ack wait. Fire-and-forget on the wire: Unavailable if not connected.
    Result<void> ack() const;
    // Ask for redelivery now instead of after the ack wait.
    Result<void> nak() const;

private:
    friend class NatsConnection;
    struct Private;
    std::shared_ptr<Private> d;
};

// A connection to NATS (cnats), with Qt-friendly delivery. Create and open() it on one thread (its
// "owner" thread, which needs an event loop); the signals are emitted there.
//
// Threading: publish(), respond(), request(), publishDurable(), subscribe(), ensureStream(),
// ensureConsumer() and fetch() are thread-safe once open() has succeeded and until close(). Handlers are
// never called on cnats threads: each runs on the thread of the `context` object passed with it, through a
// queued call, and is skipped if the context has been destroyed by then.
// Reconnection is automatic and unbounded (exponential backoff with jitter, capped at
// Options::maxReconnectDelayMs); subscriptions and pull consumers survive it. When the server closes the
// connection for good (cnats gives up on any server -ERR, e.g. "maximum control line exceeded"), a new connection
// replaces it at once: subscriptions are made again on it, requests and durable publishes in flight are answered
// Unavailable, and disconnected()/reconnected() are emitted as for a lost connection.
class NatsConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NatsConnection)

public:
    // Called on the context's thread. `replyTo` is empty unless the sender expects a reply (see respond()).
    using MessageHandler = std::function<void(QByteArray subject, QByteArray data, QByteArray replyTo)>;
    // Called on the context's thread: the reply's payload, or Unavailable (not connected, no responder,
    // timeout).
    using ReplyHandler = std::function<void(Result<QByteArray> reply)>;
    // Called on the context's thread once the message is stored in a stream (success), or with an error:
    // Unavailable (not connected, too many acks outstanding, no ack in time (Options), no stream for the subject)
    // or Internal. Exactly once per publishDurable().
    using AckHandler = std::function<void(Result<void> stored)>;

    struct Options
    {
        int ackTimeoutMs = 5000; // publishDurable: give up on an ack after this long (one send)
        // publishDurable with setDurableResends(true): send the same message again (same Nats-Msg-Id, so the stream
        // stores it once) when no ack came within ackAttemptMs, until resendForMs from the first send. A publish is
        // answered soon after a new stream leader is elected or the connection moved to a surviving node; resendForMs
        // covers an election in nats-server 2.9 (followers wait a fixed 4-9 s for a dead leader before they stand).
        int ackAttemptMs = 1000;
        int resendForMs = 10000;
        int maxPendingAcks = 65536;     // publishDurable: acks outstanding before publishes stall
        int stallWaitMs = 50;           // publishDurable: how long a stalled publish may block the caller
        int maxReconnectDelayMs = 2000; // cap of the reconnect backoff
        int connectTimeoutMs = 2000;    // per attempt
    };

    explicit NatsConnection(QObject *parent = nullptr);
    ~NatsConnection() override;

    // Connects to the first reachable URL (nats://host:port, comma-free; several for a cluster). Fails with
    // Unavailable if none answers now; after success it reconnects forever.
    Result<void> open(const QStringList &urls, const QString &name);
    Result<void> open(const QStringList &urls, const QString &name, const Options &options);
    // Flushes what is buffered, then closes. Outstanding publishDurable/request handlers are dropped.
    void close();

    bool isConnected() const;
    QString connectedUrl() const;

    // Core NATS, at-most-once. Buffered by cnats while reconnecting (8 MB), then Unavailable.
    Result<void> publish(const QByteArray &subject, const QByteArray &data);
    // Round trip to the server: everything published before it has been processed by the server.
    Result<void> flush(int timeoutMs = 2000);

    // `queueGroup` empty = plain subscription; otherwise each message goes to one member of the group.
    // No pending-limit: a slow handler never causes drops (memory grows instead). Deliveries that pile up
    // are handed over in batches, one queued call per batch. The subscription is registered on the server
    // when this returns (it flushes).
    Result<Subscription> subscribe(const QByteArray &subject, const QByteArray &queueGroup, QObject *context,
                                   MessageHandler handler);

    // Asynchronous request/reply over one shared inbox subscription. The handler is called exactly once
    // (unless the context is gone, or close() comes first).
    void request(const QByteArray &subject, const QByteArray &data, int timeoutMs, QObject *context,
                 ReplyHandler handler);
    Result<void> respond(const QByteArray &replyTo, const QByteArray &data);
    // Blocking request/reply, for callers whose interface is synchronous (e.g. an access check of an edge process
    // that does not run the things service). Blocks the calling thread up to timeoutMs: keep it short and cache
    // the answers. Unavailable when not connected, nobody answers, or no reply in time.
    Result<QByteArray> requestBlocking(const QByteArray &subject, const QByteArray &data, int timeoutMs);

    // JetStream. Creates the stream, or updates its subject list and replica count if it exists. Blocking (one API
    // round trip). `replicas` > 1 needs a JetStream cluster of at least that many nodes. Its duplicate window (two
    // Options::resendForMs) is what makes publishDurable's resends store once.
    Result<void> ensureStream(const QString &name, const QStringList &subjects, bool fileStorage, int replicas = 1);
    // How many servers the connection knows: the configured URLs plus those the cluster announced.
    int knownServers() const;
    // Publishes to a stream without blocking and calls the handler when the server acked it (the point where
    // "accepted" may be answered, e.g. HTTP 202). Fails fast with Unavailable while disconnected. See
    // setDurableResends() for what happens while no ack comes.
    void publishDurable(const QByteArray &subject, const QByteArray &data, QObject *context, AckHandler handler);
    // On: publishDurable gives each message a unique Nats-Msg-Id and sends it again under it every
    // Options::ackAttemptMs without an ack (a stream leader died, the connection moved), until Options::resendForMs;
    // JetStream stores it once within the stream's duplicate window. For replicated streams, whose leader can die.
    // Off (the default): one send, answered by its ack or after ackTimeoutMs. The ids cost a quarter to a third
    // of the durable publish rate (tests/bus/bench_bus, BENCH_RESENDS=1), so a single server, which elects no
    // leaders, goes without.
    // Thread-safe; applies to publishes made after the call.
    void setDurableResends(bool on);

    // Creates (if missing) a durable pull consumer with explicit acks. `filter` empty = the whole stream
    // (much faster on memory streams than a filter like "channel.>"). `ackWaitMs`: redelivery delay of
    // unacked messages. Called implicitly by fetch() with the default ack wait.
    Result<void> ensureConsumer(const QString &stream, const QString &durable, const QByteArray &filter,
                                int ackWaitMs = 30000);
    // Blocking: waits up to timeoutMs for at least one message and returns up to `batch` (an empty list on
    // timeout). Meant for a worker thread; never call it on a thread that runs UI or HTTP. Safe to call from
    // several threads; each message goes to one caller.
    Result<QList<DurableMessage>> fetch(const QString &stream, const QString &durable, const QByteArray &filter,
                                        int batch, int timeoutMs);

Q_SIGNALS:
    void disconnected();
    void reconnected();

private:
    struct Private;
    std::shared_ptr<Private> d;
};

} // namespace mf::bus
