#include "logging.h"
#include "natsinternal.h"

using namespace Qt::StringLiterals;

namespace mf::bus {

Subscription &Subscription::operator=(Subscription &&other) noexcept
{
    d = std::move(other.d);
    return *this;
}

Subscription::~Subscription() = default;

void Subscription::reset()
{
    d.reset();
}

namespace {

// cnats delivery thread. We own msg.
void onSubscriptionMessage(natsConnection *, natsSubscription *, natsMsg *msg, void *closure)
{
    const auto &state = *static_cast<std::shared_ptr<SubState> *>(closure);
    SubState::Delivery m;
    m.subject = QByteArray(natsMsg_GetSubject(msg));
    m.data = QByteArray(natsMsg_GetData(msg), natsMsg_GetDataLength(msg));
    if (const char *reply = natsMsg_GetReply(msg)) m.replyTo = QByteArray(reply);
    natsMsg_Destroy(msg);

    QMutexLocker lock(&state->mutex);
    if (!state->context) return;
    state->queue.append(std::move(m));
    if (state->drainPosted) return;
    state->drainPosted = true;
    // The context cannot be destroyed while we hold the mutex: its destroyed() handler takes it first.
    QMetaObject::invokeMethod(
        state->context,
        [weak = std::weak_ptr<SubState>(state)] {
            if (auto s = weak.lock()) s->drain();
        },
        Qt::QueuedConnection);
}

// cnats thread, after the subscription is closed and its last callback returned.
void onSubscriptionComplete(void *closure)
{
    delete static_cast<std::shared_ptr<SubState> *>(closure);
}

} // namespace

natsStatus subscribeState(natsSubscription **sub, natsConnection *nc, const QByteArray &subject,
                          const QByteArray &queueGroup, const std::shared_ptr<SubState> &state)
{
    auto *closure = new std::shared_ptr<SubState>(state);
    const natsStatus s =
        queueGroup.isEmpty()
            ? natsConnection_Subscribe(sub, nc, subject.constData(), &onSubscriptionMessage, closure)
            : natsConnection_QueueSubscribe(sub, nc, subject.constData(), queueGroup.constData(), &onSubscriptionMessage,
                                            closure);
    if (s != NATS_OK) {
        delete closure;
        return s;
    }
    if (natsSubscription_SetOnCompleteCB(*sub, &onSubscriptionComplete, closure) != NATS_OK)
        qCWarning(lcBus) << "cannot set the completion callback of" << subject << "- a few bytes will leak";
    natsSubscription_SetPendingLimits(*sub, -1, -1);
    return NATS_OK;
}

} // namespace mf::bus
