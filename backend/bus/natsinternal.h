#pragma once
// What natsconnection.cpp, natssubscription.cpp and durablemessage.cpp share: the cnats handles behind the public
// classes and the translation of cnats statuses into mf::Error. Not part of the bus's interface.

#include "natsconnection.h"

#include <QMetaObject>
#include <QMutex>
#include <atomic>
#include <memory>
#include <nats/nats.h>

namespace mf::bus {

// cnats' status text, with its last error detail when that adds something.
QString statusText(natsStatus s);
// Unavailable for the statuses that mean "not connected / no answer", Internal otherwise.
// The one rule from a NATS status to an error code: the bus being away (Unavailable: retry) or anything else.
ErrorCode errorCodeOf(natsStatus s);
std::unexpected<Error> natsFail(const QString &what, natsStatus s, jsErrCode ec = jsErrCode(0));
std::unexpected<Error> notConnected();

struct SubState
{
    QMutex mutex;
    QObject *context = nullptr; // nulled when the context is destroyed or the subscription is reset
    NatsConnection::MessageHandler handler;
    struct Delivery
    {
        QByteArray subject, data, replyTo;
    };
    QList<Delivery> queue;
    bool drainPosted = false;
    std::atomic<bool> active{true};
    QMetaObject::Connection contextDestroyed;

    // Runs on the context's thread: hands over everything queued so far in one go.
    void drain()
    {
        QList<Delivery> batch;
        {
            QMutexLocker lock(&mutex);
            batch.swap(queue);
            drainPosted = false;
        }
        for (const Delivery &m : std::as_const(batch)) {
            if (!active.load(std::memory_order_acquire)) return;
            handler(m.subject, m.data, m.replyTo);
        }
    }
};

struct Subscription::Private
{
    std::shared_ptr<SubState> state;
    QByteArray subject, queueGroup; // to subscribe again on a rebuilt connection
    QMutex subMutex;                // guards sub: the owner thread swaps it when the connection is rebuilt
    natsSubscription *sub = nullptr;

    ~Private()
    {
        state->active.store(false, std::memory_order_release);
        {
            QMutexLocker lock(&state->mutex);
            state->context = nullptr;
            state->queue.clear();
        }
        QObject::disconnect(state->contextDestroyed);
        QMutexLocker lock(&subMutex);
        natsSubscription_Unsubscribe(sub); // fails harmlessly if the connection is already closed
        natsSubscription_Destroy(sub);
    }
};

// Subscribes `state` on nc: each natsSubscription owns one closure, released when cnats completes it.
natsStatus subscribeState(natsSubscription **sub, natsConnection *nc, const QByteArray &subject,
                          const QByteArray &queueGroup, const std::shared_ptr<SubState> &state);

// One cnats connection with what hangs off it. NatsConnection replaces it when the server closes the connection
// for good (cnats does not reconnect after a server -ERR such as "maximum control line exceeded"); callers take a
// shared_ptr copy for the duration of a call, so a replaced link is destroyed only when nobody uses it any more.
struct Link
{
    quint64 generation = 0;
    natsOptions *opts = nullptr;
    natsConnection *nc = nullptr;
    jsCtx *js = nullptr;
    natsSubscription *inboxSub = nullptr;
    QByteArray inboxPrefix; // "_INBOX.<nuid>."

    Link() = default;
    Q_DISABLE_COPY_MOVE(Link)
    ~Link()
    {
        if (nc) natsConnection_Close(nc); // flushes; no-op if the server closed it
        natsSubscription_Destroy(inboxSub);
        jsCtx_Destroy(js);
        natsConnection_Destroy(nc);
        natsOptions_Destroy(opts);
    }
};

struct PullConsumer
{
    std::shared_ptr<Link> link; // natsSubscription_Destroy needs its connection: keep it alive
    natsSubscription *sub = nullptr;
    ~PullConsumer() { natsSubscription_Destroy(sub); }
};

struct DurableMessage::Private
{
    natsMsg *msg = nullptr;
    std::shared_ptr<PullConsumer> consumer; // natsMsg_Ack goes through the subscription: keep it alive
    QByteArray subject, data;
    quint64 sequence = 0, deliveries = 0;
    ~Private() { natsMsg_Destroy(msg); }
};

} // namespace mf::bus
