#include "natsconnection.h"

#include "flushkicker.h"
#include "logging.h"
#include "natsinternal.h"

#include <QDeadlineTimer>
#include <QHash>
#include <QMutex>
#include <QPointer>
#include <QRandomGenerator>
#include <QThread>
#include <QTimer>
#include <atomic>
#include <nats/nats.h>
#include <vector>

Q_LOGGING_CATEGORY(lcBus, "mainflux.bus")

using namespace Qt::StringLiterals;

namespace mf::bus {

// ----------------------------------------------------------------------------------------------------------
// NatsConnection

struct NatsConnection::Private
{
    // Set by open(), replaced by rebuild(), cleared by close(); thread-safe calls take a copy through link().
    QMutex linkMutex;
    std::shared_ptr<Link> current;
    quint64 generations = 0;        // owner thread
    std::atomic<bool> closing{false}; // close() started: a closed connection is ours, not to be rebuilt
    Options options;
    QStringList urls;
    QString name;
    int rebuildAttempts = 0; // owner thread

    // Every live subscription, to subscribe it again on a rebuilt connection.
    QMutex subsMutex;
    QList<std::weak_ptr<Subscription::Private>> subs;

    std::shared_ptr<Link> link()
    {
        QMutexLocker lock(&linkMutex);
        return current;
    }

    // Completions (request replies, acks, connection events) are collected here from cnats threads and run
    // on the owner thread in batches; from there each goes to its context.
    struct Completion
    {
        QPointer<QObject> context;
        std::function<void()> call;
    };
    std::weak_ptr<Private> self; // for the closures that must keep Private alive
    QMutex completionMutex;
    NatsConnection *owner = nullptr; // guarded by completionMutex; null once the owner is being destroyed
    QList<Completion> completions;
    bool drainPosted = false;

    // Request/reply over one wildcard inbox subscription per link.
    struct PendingRequest
    {
        QPointer<QObject> context;
        ReplyHandler handler;
        QDeadlineTimer deadline;
        QByteArray subject;
    };
    QMutex requestMutex;
    QHash<quint64, PendingRequest> requests;
    quint64 nextRequestId = 0;
    QTimer *requestTimer = nullptr; // owner thread

    // publishDurable: the published natsMsg pointer identifies the ack (a resend publishes the same natsMsg).
    struct PendingAck
    {
        QPointer<QObject> context;
        AckHandler handler;
        QDeadlineTimer deadline; // for resends: Options::resendForMs from the first send
    };
    QMutex ackMutex;
    QHash<natsMsg *, PendingAck> acks;
    // Nats-Msg-Id of publishDurable: unique per connection object (random prefix) and message (counter).
    const QByteArray msgIdPrefix = QByteArray::number(QRandomGenerator::system()->generate64(), 36) + '-';
    std::atomic<quint64> nextMsgId{0};
    std::atomic<quint64> resends{0};
    std::atomic<bool> durableResends{false};
    // publishDurable with fewer acks than this outstanding is written at once instead of after cnats' 1 ms wait.
    static constexpr qsizetype kickBelowPending = 4;
    // Declared after `current`, so destroyed (joined) before it; lives as long as Private.
    std::unique_ptr<FlushKicker> kicker;

    // Pull consumers, one subscription per (stream, durable, thread) so workers fetch in parallel.
    QMutex pullMutex;
    QHash<QString, std::shared_ptr<PullConsumer>> pulls;
    QHash<QString, bool> consumersEnsured;

    void post(QPointer<QObject> context, std::function<void()> call)
    {
        QMutexLocker lock(&completionMutex);
        if (!owner) return;
        completions.append({std::move(context), std::move(call)});
        if (drainPosted) return;
        drainPosted = true;
        QMetaObject::invokeMethod(
            owner, [this] { drainCompletions(); }, Qt::QueuedConnection);
    }

    // Same, for work on the owner itself (signals, timers).
    void postToOwner(std::function<void()> call)
    {
        QMutexLocker lock(&completionMutex);
        if (!owner) return;
        completions.append({QPointer<QObject>(owner), std::move(call)});
        if (drainPosted) return;
        drainPosted = true;
        QMetaObject::invokeMethod(
            owner, [this] { drainCompletions(); }, Qt::QueuedConnection);
    }

    // Owner thread.
    void drainCompletions()
    {
        QList<Completion> batch;
        {
            QMutexLocker lock(&completionMutex);
            batch.swap(completions);
            drainPosted = false;
        }
        QThread *here = QThread::currentThread();
        for (Completion &c : batch) {
            if (!c.context) continue;
            if (c.context->thread() == here)
                c.call();
            else
                QMetaObject::invokeMethod(c.context.data(), std::move(c.call), Qt::QueuedConnection);
        }
    }

    void postReply(PendingRequest &&r, Result<QByteArray> result)
    {
        post(r.context, [h = std::move(r.handler), res = std::move(result)] { h(res); });
    }

    void postAck(PendingAck &&a, Result<void> result)
    {
        post(a.context, [h = std::move(a.handler), res = std::move(result)] { h(res); });
    }

    // Owner thread.
    void sweepRequests()
    {
        QList<PendingRequest> expired;
        {
            QMutexLocker lock(&requestMutex);
            for (auto it = requests.begin(); it != requests.end();) {
                if (it->deadline.hasExpired()) {
                    expired.append(std::move(*it));
                    it = requests.erase(it);
                } else {
                    ++it;
                }
            }
            if (requests.isEmpty()) requestTimer->stop();
        }
        for (PendingRequest &r : expired) {
            const QString msg = u"no reply to %1 in time"_s.arg(QString::fromUtf8(r.subject));
            postReply(std::move(r), fail(ErrorCode::Unavailable, msg));
        }
    }

    void failAllPending(const QString &why)
    {
        QHash<quint64, PendingRequest> reqs;
        {
            QMutexLocker lock(&requestMutex);
            reqs.swap(requests);
        }
        for (PendingRequest &r : reqs)
            postReply(std::move(r), fail(ErrorCode::Unavailable, why));
    }

    // ---- cnats callbacks (cnats threads) ----

    // The closure of a link's closed callback: which generation closed, and the reference that keeps Private
    // alive for the cnats threads of that link (released by the callback, the last one of a connection).
    struct LinkClosure
    {
        std::shared_ptr<Private> d;
        quint64 generation;
    };

    static void onDisconnected(natsConnection *nc, void *closure)
    {
        auto *d = static_cast<Private *>(closure);
        if (natsConnection_IsClosed(nc)) return; // closed, not lost: onClosed decides what to do
        qCWarning(lcBus) << "NATS disconnected; reconnecting";
        d->postToOwner([d] {
            // Replies to requests in flight are lost with the connection; say so now instead of at the timeout.
            d->failAllPending(u"the message bus (NATS) connection was lost"_s);
            Q_EMIT d->owner->disconnected();
        });
    }

    static void onReconnected(natsConnection *nc, void *closure)
    {
        auto *d = static_cast<Private *>(closure);
        char url[256] = {};
        natsConnection_GetConnectedUrl(nc, url, sizeof url);
        qCInfo(lcBus) << "NATS reconnected to" << url;
        d->postToOwner([d] { Q_EMIT d->owner->reconnected(); });
    }

    // A rebuilt link that could not connect at once (RetryOnFailedConnect) got through.
    static void onLateConnect(natsConnection *nc, void *closure)
    {
        onReconnected(nc, closure);
    }

    static void onClosed(natsConnection *nc, void *closure)
    {
        std::unique_ptr<LinkClosure> c(static_cast<LinkClosure *>(closure));
        Private *d = c->d.get();
        if (d->closing.load(std::memory_order_acquire)) return;
        // Not our close(): the server ended the connection for good (cnats does not reconnect after a server
        // -ERR such as "maximum control line exceeded" or "maximum payload violation"). Build a new one.
        const char *text = nullptr;
        natsConnection_GetLastError(nc, &text);
        const QString why = text && *text ? QString::fromUtf8(text) : u"closed by the server"_s;
        d->postToOwner([d, generation = c->generation, why] { d->rebuild(generation, why); });
    }

    // Owner thread. Replaces the closed link `generation` (if it is still the current one) by a new connection
    // that connects in the background, with every live subscription subscribed again on it. Requests and durable
    // publishes in flight on the closed link are answered Unavailable at once.
    void rebuild(quint64 generation, const QString &why)
    {
        if (closing.load(std::memory_order_acquire) || !owner) return;
        {
            QMutexLocker lock(&linkMutex);
            if (!current || current->generation != generation) return;
        }
        if (rebuildAttempts == 0) {
            qCWarning(lcBus).noquote() << u"the NATS server closed the connection (%1); opening a new one"_s.arg(why);
            failAllPending(u"the message bus (NATS) connection was closed"_s);
            failAllAcks(u"the message bus (NATS) connection was closed before the message was stored"_s);
            Q_EMIT owner->disconnected();
        }
        auto fresh = makeLink(true);
        if (!fresh) {
            const int delay = std::min(options.maxReconnectDelayMs, 50 << std::min(++rebuildAttempts, 10));
            qCWarning(lcBus).noquote() << "cannot open a new NATS connection:" << fresh.error().message << "(retrying)";
            QTimer::singleShot(delay, owner, [this, generation, why] { rebuild(generation, why); });
            return;
        }
        rebuildAttempts = 0;
        resubscribeAll(**fresh);
        {
            QMutexLocker lock(&pullMutex);
            pulls.clear(); // bound to the closed link; fetch() binds again
            consumersEnsured.clear();
        }
        const bool connected = natsConnection_Status((*fresh)->nc) == NATS_CONN_STATUS_CONNECTED;
        {
            QMutexLocker lock(&linkMutex);
            current = std::move(*fresh);
        }
        if (connected) {
            qCInfo(lcBus) << "NATS connection rebuilt";
            Q_EMIT owner->reconnected();
        }
    }

    // Owner thread (or open()). `retryInBackground`: do not fail when no server answers now, keep trying.
    Result<std::shared_ptr<Link>> makeLink(bool retryInBackground)
    {
        auto link = std::make_shared<Link>();
        link->generation = ++generations;
        std::vector<QByteArray> urlBytes;
        std::vector<const char *> urlPtrs;
        for (const QString &u : std::as_const(urls))
            urlBytes.push_back(u.trimmed().toUtf8());
        for (const QByteArray &u : urlBytes)
            urlPtrs.push_back(u.constData());
        const QByteArray nameBytes = name.toUtf8();

        natsStatus s = natsOptions_Create(&link->opts);
        natsOptions *opts = link->opts;
        if (s == NATS_OK) s = natsOptions_SetServers(opts, urlPtrs.data(), int(urlPtrs.size()));
        if (s == NATS_OK) s = natsOptions_SetName(opts, nameBytes.constData());
        if (s == NATS_OK) s = natsOptions_SetMaxReconnect(opts, -1);
        if (s == NATS_OK) s = natsOptions_SetCustomReconnectDelay(opts, &Private::reconnectDelay, this);
        if (s == NATS_OK) s = natsOptions_SetTimeout(opts, options.connectTimeoutMs);
        // A server that stops answering without closing the socket (frozen, a dead route) is noticed after about
        // three pings instead of cnats' default of four minutes, so /health and reconnects follow reality.
        if (s == NATS_OK) s = natsOptions_SetPingInterval(opts, 5000);
        if (s == NATS_OK) s = natsOptions_SetMaxPingsOut(opts, 2);
        if (s == NATS_OK) s = natsOptions_SetDisconnectedCB(opts, &Private::onDisconnected, this);
        if (s == NATS_OK) s = natsOptions_SetReconnectedCB(opts, &Private::onReconnected, this);
        if (s == NATS_OK) s = natsOptions_SetErrorHandler(opts, &Private::onError, this);
        if (s == NATS_OK && retryInBackground)
            s = natsOptions_SetRetryOnFailedConnect(opts, true, &Private::onLateConnect, this);
        auto *closure = new LinkClosure{self.lock(), link->generation};
        if (s == NATS_OK) s = natsOptions_SetClosedCB(opts, &Private::onClosed, closure);
        if (s != NATS_OK) {
            delete closure;
            return natsFail(u"invalid NATS options"_s, s);
        }

        s = natsConnection_Connect(&link->nc, opts);
        if (s != NATS_OK && !(retryInBackground && s == NATS_NOT_YET_CONNECTED)) {
            delete closure; // no connection, so no closed callback
            link->nc = nullptr;
            return fail(ErrorCode::Unavailable,
                        u"cannot connect to NATS at %1: %2"_s.arg(urls.join(u", "_s), statusText(s)));
        }

        jsOptions jo;
        jsOptions_Init(&jo);
        jo.PublishAsync.MaxPending = options.maxPendingAcks;
        jo.PublishAsync.AckHandler = &Private::onPubAck;
        jo.PublishAsync.AckHandlerClosure = this;
        jo.PublishAsync.StallWait = options.stallWaitMs;
        s = natsConnection_JetStream(&link->js, link->nc, &jo);

        natsInbox *inbox = nullptr;
        if (s == NATS_OK) s = natsInbox_Create(&inbox);
        if (s == NATS_OK) {
            link->inboxPrefix = QByteArray(inbox) + '.';
            natsInbox_Destroy(inbox);
            s = natsConnection_Subscribe(&link->inboxSub, link->nc, QByteArray(link->inboxPrefix + '*').constData(),
                                         &Private::onInboxMessage, this);
        }
        if (s == NATS_OK) s = natsSubscription_SetPendingLimits(link->inboxSub, -1, -1);
        if (s != NATS_OK) return natsFail(u"cannot set up the NATS connection"_s, s); // ~Link closes it
        return link;
    }

    // Owner thread: subscribes every live Subscription again on `link` and drops the handles of the old one.
    void resubscribeAll(const Link &link)
    {
        QList<std::shared_ptr<Subscription::Private>> live;
        {
            QMutexLocker lock(&subsMutex);
            for (auto it = subs.begin(); it != subs.end();) {
                if (auto p = it->lock()) {
                    live.append(std::move(p));
                    ++it;
                } else {
                    it = subs.erase(it);
                }
            }
        }
        for (const auto &p : std::as_const(live)) {
            natsSubscription *fresh = nullptr;
            const natsStatus s = subscribeState(&fresh, link.nc, p->subject, p->queueGroup, p->state);
            if (s != NATS_OK)
                qCCritical(lcBus) << "cannot subscribe to" << p->subject << "again:" << natsStatus_GetText(s);
            QMutexLocker lock(&p->subMutex);
            natsSubscription_Destroy(p->sub); // of the closed connection
            p->sub = fresh;
        }
    }

    void failAllAcks(const QString &why)
    {
        QHash<natsMsg *, PendingAck> pending;
        {
            QMutexLocker lock(&ackMutex);
            pending.swap(acks); // cnats still owns the messages; a late callback finds no entry and frees them
        }
        for (PendingAck &a : pending)
            postAck(std::move(a), fail(ErrorCode::Unavailable, why));
    }

    static void onError(natsConnection *, natsSubscription *sub, natsStatus err, void *)
    {
        qCWarning(lcBus) << "NATS async error" << natsStatus_GetText(err) << "subscription"
                         << (sub ? natsSubscription_GetSubject(sub) : "-");
    }

    static int64_t reconnectDelay(natsConnection *, int attempts, void *closure)
    {
        auto *d = static_cast<Private *>(closure);
        const int64_t base = std::min<int64_t>(d->options.maxReconnectDelayMs, 50LL << std::min(attempts, 10));
        return base + QRandomGenerator::global()->bounded(int(base / 4 + 1));
    }

    static void onInboxMessage(natsConnection *, natsSubscription *, natsMsg *msg, void *closure)
    {
        auto *d = static_cast<Private *>(closure);
        const QByteArray subject(natsMsg_GetSubject(msg));
        const quint64 id = subject.mid(subject.lastIndexOf('.') + 1).toULongLong();
        const bool noResponders = natsMsg_IsNoResponders(msg);
        const QByteArray data(natsMsg_GetData(msg), natsMsg_GetDataLength(msg));
        natsMsg_Destroy(msg);

        PendingRequest r;
        {
            QMutexLocker lock(&d->requestMutex);
            auto it = d->requests.find(id);
            if (it == d->requests.end()) return; // late reply after the timeout
            r = std::move(*it);
            d->requests.erase(it);
        }
        if (noResponders)
            d->postReply(std::move(r),
                         fail(ErrorCode::Unavailable, u"no responder for %1"_s.arg(QString::fromUtf8(r.subject))));
        else
            d->postReply(std::move(r), data);
    }

    // A message published while resends were on carries its id; only such a message may be sent again.
    static bool hasMsgId(natsMsg *msg)
    {
        const char *id = nullptr;
        return natsMsgHeader_Get(msg, "Nats-Msg-Id", &id) == NATS_OK && id && *id;
    }

    // cnats thread (the ack handler). Sends msg again under its Nats-Msg-Id if its deadline allows; true when cnats
    // owns it again (its ack or timeout comes back to onPubAck).
    bool resend(jsCtx *js, natsMsg *msg)
    {
        qint64 remaining;
        {
            QMutexLocker lock(&ackMutex);
            const auto it = acks.constFind(msg);
            if (it == acks.constEnd()) return false; // close() or a rebuilt connection already answered it
            remaining = it->deadline.remainingTime();
        }
        if (remaining <= 0 || closing.load(std::memory_order_acquire)) return false;
        jsPubOptions po;
        jsPubOptions_Init(&po);
        po.MaxWait = std::min<qint64>(options.ackAttemptMs, remaining);
        natsMsg *again = msg; // nulled by cnats when it takes the message
        if (js_PublishMsgAsync(js, &again, &po) != NATS_OK) return false;
        const quint64 n = resends.fetch_add(1, std::memory_order_relaxed) + 1;
        if (n == 1 || n % 1000 == 0)
            qCWarning(lcBus).noquote() << u"no ack from the message stream in %1 ms: sending again under the same "
                                          "message id (%2 resends so far)"_s.arg(options.ackAttemptMs).arg(n);
        return true;
    }

    static void onPubAck(jsCtx *js, natsMsg *msg, jsPubAck *pa, jsPubAckErr *pae, void *closure)
    {
        auto *d = static_cast<Private *>(closure);
        // No answer in time (a stream leader election, a connection that moved to another node): the same message
        // again; JetStream drops a second copy that arrives within the duplicate window and acks it as stored.
        if (!pa && pae && pae->Err == NATS_TIMEOUT && hasMsgId(msg) && d->resend(js, msg)) return;
        PendingAck a;
        bool found = false;
        {
            QMutexLocker lock(&d->ackMutex);
            auto it = d->acks.find(msg);
            if (it != d->acks.end()) {
                a = std::move(*it);
                d->acks.erase(it);
                found = true;
            }
        }
        Result<void> result;
        if (!pa) {
            const natsStatus s = pae ? pae->Err : NATS_ERR;
            QString why = u"the message bus did not store the message: "_s + QString::fromUtf8(natsStatus_GetText(s));
            if (pae && pae->ErrText) why += u" ("_s + QString::fromUtf8(pae->ErrText) + u')';
            result = fail(errorCodeOf(s), why);
        }
        natsMsg_Destroy(msg); // the ack handler owns the message
        if (found) d->postAck(std::move(a), std::move(result));
    }
};

NatsConnection::NatsConnection(QObject *parent) : QObject(parent), d(std::make_shared<Private>())
{
    d->self = d;
    d->owner = this;
    d->kicker = std::make_unique<FlushKicker>([d = d.get()] {
        if (const auto link = d->link()) natsConnection_FlushTimeout(link->nc, 1000); // fails fast when disconnected
    });
    d->requestTimer = new QTimer(this);
    d->requestTimer->setInterval(20);
    connect(d->requestTimer, &QTimer::timeout, this, [this] { d->sweepRequests(); });
}

NatsConnection::~NatsConnection()
{
    {
        QMutexLocker lock(&d->completionMutex);
        d->owner = nullptr;
        d->completions.clear();
    }
    close();
}

Result<void> NatsConnection::open(const QStringList &urls, const QString &name)
{
    return open(urls, name, Options{});
}

Result<void> NatsConnection::open(const QStringList &urls, const QString &name, const Options &options)
{
    if (d->link()) return fail(ErrorCode::Internal, u"NatsConnection::open called twice"_s);
    if (urls.isEmpty()) return fail(ErrorCode::Malformed, u"no NATS URL given"_s);
    d->options = options;
    d->urls = urls;
    d->name = name;
    d->closing.store(false, std::memory_order_release);
    auto link = d->makeLink(false);
    if (!link) return std::unexpected(link.error());
    {
        QMutexLocker lock(&d->linkMutex);
        d->current = std::move(*link);
    }
    qCInfo(lcBus) << "connected to NATS at" << connectedUrl();
    return {};
}

void NatsConnection::close()
{
    std::shared_ptr<Link> link;
    {
        QMutexLocker lock(&d->linkMutex);
        link.swap(d->current);
    }
    if (!link) return;
    d->closing.store(true, std::memory_order_release);
    {
        QMutexLocker lock(&d->pullMutex);
        d->pulls.clear();
        d->consumersEnsured.clear();
    }
    natsConnection_Close(link->nc); // flushes; the closed callback releases its LinkClosure later
    {
        QMutexLocker lock(&d->ackMutex);
        d->acks.clear();
    }
    {
        QMutexLocker lock(&d->requestMutex);
        d->requests.clear();
    }
    // Destroyed here unless a DurableMessage still holds its consumer (then with the last one).
}

bool NatsConnection::isConnected() const
{
    const auto link = d->link();
    return link && natsConnection_Status(link->nc) == NATS_CONN_STATUS_CONNECTED;
}

QString NatsConnection::connectedUrl() const
{
    const auto link = d->link();
    if (!link) return {};
    char url[512] = {};
    if (natsConnection_GetConnectedUrl(link->nc, url, sizeof url) != NATS_OK) return {};
    return QString::fromUtf8(url);
}

Result<void> NatsConnection::publish(const QByteArray &subject, const QByteArray &data)
{
    const auto link = d->link();
    if (!link) return notConnected();
    const natsStatus s = natsConnection_Publish(link->nc, subject.constData(), data.constData(), int(data.size()));
    if (s != NATS_OK) return natsFail(u"publish to %1 failed"_s.arg(QString::fromUtf8(subject)), s);
    return {};
}

Result<void> NatsConnection::flush(int timeoutMs)
{
    const auto link = d->link();
    if (!link) return notConnected();
    const natsStatus s = natsConnection_FlushTimeout(link->nc, timeoutMs);
    if (s != NATS_OK) return natsFail(u"flush failed"_s, s);
    return {};
}

Result<Subscription> NatsConnection::subscribe(const QByteArray &subject, const QByteArray &queueGroup,
                                               QObject *context, MessageHandler handler)
{
    const auto link = d->link();
    if (!link) return notConnected();
    if (!context || !handler) return fail(ErrorCode::Internal, u"subscribe needs a context object and a handler"_s);

    auto state = std::make_shared<SubState>();
    state->context = context;
    state->handler = std::move(handler);
    // Direct connection: runs in the context's destructor on its thread, before its memory goes away.
    state->contextDestroyed = QObject::connect(
        context, &QObject::destroyed, context,
        [weak = std::weak_ptr<SubState>(state)] {
            if (auto s = weak.lock()) {
                QMutexLocker lock(&s->mutex);
                s->context = nullptr;
            }
        },
        Qt::DirectConnection);

    natsSubscription *sub = nullptr;
    if (const natsStatus s = subscribeState(&sub, link->nc, subject, queueGroup, state); s != NATS_OK) {
        QObject::disconnect(state->contextDestroyed);
        return natsFail(u"subscribe to %1 failed"_s.arg(QString::fromUtf8(subject)), s);
    }

    Subscription handle;
    handle.d = std::make_shared<Subscription::Private>();
    handle.d->state = std::move(state);
    handle.d->subject = subject;
    handle.d->queueGroup = queueGroup;
    handle.d->sub = sub;
    {
        QMutexLocker lock(&d->subsMutex);
        d->subs.removeIf([](const std::weak_ptr<Subscription::Private> &w) { return w.expired(); });
        d->subs.append(handle.d);
    }
    // Make sure the server knows the interest before the caller goes on (e.g. asks someone to publish).
    natsConnection_FlushTimeout(link->nc, 2000);
    return handle;
}

void NatsConnection::request(const QByteArray &subject, const QByteArray &data, int timeoutMs, QObject *context,
                             ReplyHandler handler)
{
    const auto link = d->link();
    if (!link || natsConnection_Status(link->nc) != NATS_CONN_STATUS_CONNECTED) {
        d->post(context, [h = std::move(handler)] { h(notConnected()); });
        return;
    }
    Private::PendingRequest pending{context, std::move(handler), QDeadlineTimer(timeoutMs), subject};
    quint64 id;
    {
        QMutexLocker lock(&d->requestMutex);
        id = ++d->nextRequestId;
        d->requests.insert(id, std::move(pending));
    }
    const QByteArray reply = link->inboxPrefix + QByteArray::number(id);
    const natsStatus s = natsConnection_PublishRequest(link->nc, subject.constData(), reply.constData(),
                                                       data.constData(), int(data.size()));
    if (s != NATS_OK) {
        Private::PendingRequest r;
        {
            QMutexLocker lock(&d->requestMutex);
            r = d->requests.take(id);
        }
        if (r.handler)
            d->postReply(std::move(r), natsFail(u"request to %1 failed"_s.arg(QString::fromUtf8(subject)), s));
        return;
    }
    // Arm the timeout sweep on the owner thread.
    if (QThread::currentThread() == thread()) {
        if (!d->requestTimer->isActive()) d->requestTimer->start();
    } else {
        d->postToOwner([this] {
            if (!d->requestTimer->isActive()) d->requestTimer->start();
        });
    }
}

Result<void> NatsConnection::respond(const QByteArray &replyTo, const QByteArray &data)
{
    if (replyTo.isEmpty()) return fail(ErrorCode::Malformed, u"respond: the message has no reply subject"_s);
    return publish(replyTo, data);
}

Result<QByteArray> NatsConnection::requestBlocking(const QByteArray &subject, const QByteArray &data, int timeoutMs)
{
    const auto link = d->link();
    if (!link || natsConnection_Status(link->nc) != NATS_CONN_STATUS_CONNECTED) return notConnected();
    natsMsg *reply = nullptr;
    const natsStatus s =
        natsConnection_Request(&reply, link->nc, subject.constData(), data.constData(), int(data.size()), timeoutMs);
    if (s == NATS_NO_RESPONDERS)
        return fail(ErrorCode::Unavailable, u"no responder for %1"_s.arg(QString::fromUtf8(subject)));
    if (s == NATS_TIMEOUT)
        return fail(ErrorCode::Unavailable, u"no reply to %1 in time"_s.arg(QString::fromUtf8(subject)));
    if (s != NATS_OK) return natsFail(u"request to %1 failed"_s.arg(QString::fromUtf8(subject)), s);
    QByteArray out(natsMsg_GetData(reply), natsMsg_GetDataLength(reply));
    natsMsg_Destroy(reply);
    return out;
}

int NatsConnection::knownServers() const
{
    const auto link = d->link();
    if (!link) return 0;
    char **servers = nullptr;
    int count = 0;
    if (natsConnection_GetServers(link->nc, &servers, &count) != NATS_OK) return 0;
    for (int i = 0; i < count; ++i)
        free(servers[i]);
    free(servers);
    return count;
}

Result<void> NatsConnection::ensureStream(const QString &name, const QStringList &subjects, bool fileStorage,
                                          int replicas)
{
    const auto link = d->link();
    if (!link) return notConnected();
    const QByteArray nameBytes = name.toUtf8();
    std::vector<QByteArray> subjectBytes;
    std::vector<const char *> subjectPtrs;
    for (const QString &s : subjects)
        subjectBytes.push_back(s.toUtf8());
    for (const QByteArray &s : subjectBytes)
        subjectPtrs.push_back(s.constData());

    jsStreamConfig sc;
    jsStreamConfig_Init(&sc);
    sc.Name = nameBytes.constData();
    sc.Subjects = subjectPtrs.data();
    sc.SubjectsLen = int(subjectPtrs.size());
    sc.Storage = fileStorage ? js_FileStorage : js_MemoryStorage;
    sc.Replicas = int64_t(std::max(1, replicas));
    // publishDurable's resends arrive within resendForMs of the first copy; ids are remembered (in memory, on every
    // replica) only this long, instead of the server's default two minutes.
    sc.Duplicates = int64_t(2) * std::max(d->options.resendForMs, 1000) * 1000000;

    jsStreamInfo *si = nullptr;
    jsErrCode ec = jsErrCode(0);
    natsStatus s = js_AddStream(&si, link->js, &sc, nullptr, &ec);
    if (s != NATS_OK && ec == JSStreamNameExistErr) {
        ec = jsErrCode(0);
        s = js_UpdateStream(&si, link->js, &sc, nullptr, &ec);
    }
    jsStreamInfo_Destroy(si);
    if (s != NATS_OK) return natsFail(u"cannot create or update stream %1"_s.arg(name), s, ec);
    return {};
}

void NatsConnection::publishDurable(const QByteArray &subject, const QByteArray &data, QObject *context,
                                    AckHandler handler)
{
    const auto link = d->link();
    if (!link || natsConnection_Status(link->nc) != NATS_CONN_STATUS_CONNECTED) {
        d->post(context, [h = std::move(handler)] { h(notConnected()); });
        return;
    }
    natsMsg *msg = nullptr;
    natsStatus s = natsMsg_Create(&msg, subject.constData(), nullptr, data.constData(), int(data.size()));
    if (s != NATS_OK) {
        d->post(context, [h = std::move(handler), e = natsFail(u"cannot create message"_s, s)] { h(e); });
        return;
    }
    natsMsg *const key = msg;
    bool alone;
    {
        QMutexLocker lock(&d->ackMutex);
        alone = d->acks.size() < Private::kickBelowPending;
        // Before publishing: the ack may come at once.
        d->acks.insert(key, {context, std::move(handler), QDeadlineTimer(d->options.resendForMs)});
    }
    jsPubOptions po;
    jsPubOptions_Init(&po);
    QByteArray msgId;
    if (d->durableResends.load(std::memory_order_relaxed)) {
        msgId = d->msgIdPrefix + QByteArray::number(++d->nextMsgId, 36);
        po.MsgId = msgId.constData(); // set as a header of msg: resends carry it too
        po.MaxWait = std::min(d->options.ackAttemptMs, d->options.resendForMs);
    } else {
        po.MaxWait = d->options.ackTimeoutMs;
    }
    s = js_PublishMsgAsync(link->js, &msg, &po);
    if (s == NATS_OK) {
        if (alone) d->kicker->kick();
        return;
    }
    natsMsg_Destroy(msg); // still ours on failure
    Private::PendingAck a;
    {
        QMutexLocker lock(&d->ackMutex);
        a = d->acks.take(key);
    }
    if (a.handler) {
        const QString why = s == NATS_TIMEOUT ? u"too many messages waiting for the bus to store them"_s
                                              : u"cannot publish to the bus: "_s + statusText(s);
        d->postAck(std::move(a), fail(ErrorCode::Unavailable, why));
    }
}

void NatsConnection::setDurableResends(bool on)
{
    d->durableResends.store(on, std::memory_order_relaxed);
}

Result<void> NatsConnection::ensureConsumer(const QString &stream, const QString &durable, const QByteArray &filter,
                                            int ackWaitMs)
{
    const auto link = d->link();
    if (!link) return notConnected();
    const QByteArray streamBytes = stream.toUtf8(), durableBytes = durable.toUtf8();
    jsConsumerInfo *ci = nullptr;
    jsErrCode ec = jsErrCode(0);
    natsStatus s = js_GetConsumerInfo(&ci, link->js, streamBytes.constData(), durableBytes.constData(), nullptr, &ec);
    jsConsumerInfo_Destroy(ci);
    ci = nullptr;
    if (s == NATS_OK) return {};
    if (s != NATS_NOT_FOUND && ec != JSConsumerNotFoundErr)
        return natsFail(u"cannot look up consumer %1 of stream %2"_s.arg(durable, stream), s, ec);

    jsConsumerConfig cc;
    jsConsumerConfig_Init(&cc);
    cc.Durable = durableBytes.constData();
    cc.AckPolicy = js_AckExplicit;
    cc.AckWait = int64_t(ackWaitMs) * 1000000;
    cc.MaxAckPending = 65536;
    if (!filter.isEmpty()) cc.FilterSubject = filter.constData();
    ec = jsErrCode(0);
    s = js_AddConsumer(&ci, link->js, streamBytes.constData(), &cc, nullptr, &ec);
    jsConsumerInfo_Destroy(ci);
    if (s != NATS_OK) return natsFail(u"cannot create consumer %1 on stream %2"_s.arg(durable, stream), s, ec);
    return {};
}

Result<QList<DurableMessage>> NatsConnection::fetch(const QString &stream, const QString &durable,
                                                    const QByteArray &filter, int batch, int timeoutMs)
{
    const auto link = d->link();
    if (!link) return notConnected();
    const QString key = stream + u'\n' + durable + u'\n' + QString::number(quintptr(QThread::currentThreadId()));
    std::shared_ptr<PullConsumer> consumer;
    {
        QMutexLocker lock(&d->pullMutex);
        consumer = d->pulls.value(key);
    }
    if (consumer && consumer->link != link) consumer.reset(); // bound to a connection that was replaced
    if (!consumer) {
        const QString consumerKey = stream + u'\n' + durable;
        bool ensured;
        {
            QMutexLocker lock(&d->pullMutex);
            ensured = d->consumersEnsured.contains(consumerKey);
        }
        if (!ensured) {
            if (auto r = ensureConsumer(stream, durable, filter); !r) return std::unexpected(r.error());
            QMutexLocker lock(&d->pullMutex);
            d->consumersEnsured.insert(consumerKey, true);
        }
        const QByteArray streamBytes = stream.toUtf8(), durableBytes = durable.toUtf8();
        jsSubOptions so;
        jsSubOptions_Init(&so);
        so.Stream = streamBytes.constData();
        so.Consumer = durableBytes.constData();
        consumer = std::make_shared<PullConsumer>();
        consumer->link = link;
        jsErrCode ec = jsErrCode(0);
        // Bind to the existing consumer; an empty subject is accepted when binding (no filter trap).
        const natsStatus s =
            js_PullSubscribe(&consumer->sub, link->js, filter.constData(), durableBytes.constData(), nullptr, &so, &ec);
        if (s != NATS_OK) return natsFail(u"cannot bind to consumer %1 of stream %2"_s.arg(durable, stream), s, ec);
        natsSubscription_SetPendingLimits(consumer->sub, -1, -1);
        QMutexLocker lock(&d->pullMutex);
        d->pulls.insert(key, consumer);
    }

    natsMsgList list = {nullptr, 0};
    jsErrCode ec = jsErrCode(0);
    const natsStatus s = natsSubscription_Fetch(&list, consumer->sub, batch, timeoutMs, &ec);
    QList<DurableMessage> out;
    if (s == NATS_TIMEOUT) return out;
    if (s != NATS_OK) {
        natsMsgList_Destroy(&list);
        return natsFail(u"fetch from %1/%2 failed"_s.arg(stream, durable), s, ec);
    }
    out.reserve(list.Count);
    for (int i = 0; i < list.Count; ++i) {
        DurableMessage m;
        m.d = std::make_shared<DurableMessage::Private>();
        m.d->msg = list.Msgs[i];
        list.Msgs[i] = nullptr; // ownership moves to m
        m.d->consumer = consumer;
        m.d->subject = QByteArray(natsMsg_GetSubject(m.d->msg));
        m.d->data = QByteArray(natsMsg_GetData(m.d->msg), natsMsg_GetDataLength(m.d->msg));
        jsMsgMetaData *meta = nullptr;
        if (natsMsg_GetMetaData(&meta, m.d->msg) == NATS_OK) {
            m.d->sequence = meta->Sequence.Stream;
            m.d->deliveries = meta->NumDelivered;
            jsMsgMetaData_Destroy(meta);
        }
        out.append(std::move(m));
    }
    natsMsgList_Destroy(&list);
    return out;
}

} // namespace mf::bus
