// Observe (RFC 7641): registrations on a channel's resource, one NATS subscription per observed channel, and the
// notification rounds in which libcoap runs the GET handler once per observer.
#include "adapters/ingest/ingest.h"
#include "api/metrics.h"
#include "bus/subjects.h"
#include "coapinternal.h"
#include "coaprequest.h"
#include "contentformats.h"

using namespace Qt::StringLiterals;

namespace mf::adapters {

using namespace coap;

namespace {

constexpr size_t MaxInlinePayload = 1024; // larger notifications go block-wise (RFC 7959 Block2)

} // namespace

int CoapAdapter::observerCount() const
{
    int n = 0;
    for (const auto &channel : m_channels)
        n += int(channel->observers.size());
    return n;
}

void CoapAdapter::updateGauge()
{
    m_metrics.setGauge("mf_adapter_observers", "protocol=\"coap\"", observerCount());
}

int CoapAdapter::observersOf(const QString &client) const
{
    int n = 0;
    for (const auto &channel : m_channels)
        for (const QByteArray &key : std::as_const(channel->observers))
            n += clientAddress(sessionOfKey(key), false) == client ? 1 : 0;
    return n;
}

void CoapAdapter::get(coap_resource_t *resource, coap_session_t *session, const coap_pdu_t *request,
                      const coap_string_t *query, coap_pdu_t *response)
{
    const auto path = parsePath(request);
    const std::shared_ptr<Channel> channel = path ? m_channels.value(path->channelId) : nullptr;
    if (!path || !path->subtopic.isEmpty() || !channel || channel->resource != resource) {
        respond(response, COAP_RESPONSE_CODE_NOT_FOUND,
                path && !path->subtopic.isEmpty()
                    ? u"observe /channels/{id}/messages: it carries the messages of every subtopic"_s
                    : u"no such channel; observe /channels/{id}/messages"_s);
        return;
    }
    const bool credentials = isPskSession(session) || keyFromQuery(query).has_value();
    auto thing = authorize(session, path->channelId, query);
    const QByteArray observer = observerKey(session, request);

    if (m_notifying) {
        // A notification for one observer: of this round, or one libcoap held back from an earlier round. Never
        // 4.xx here (coapadapter.h: libcoap 4.3.1 would read the observation it freed); a refused observer gets
        // an empty 2.03 now and its 4.xx from endRefusedObservations() once libcoap has returned.
        if (!thing) {
            m_metrics.increment("mf_adapter_notifications_total", "protocol=\"coap\",result=\"access lost\"");
            m_refused.push_back({coap_session_reference(session), tokenOf(request), path->channelId,
                                 int(codeFor(thing.error().code)), thing.error().message});
            coap_pdu_set_code(response, COAP_RESPONSE_CODE_VALID);
            return;
        }
        const bool ofThisRound = m_round && m_round->channelId == path->channelId;
        if (ofThisRound)
            m_round->seen.insert(observer);
        else
            channel->observers.insert(observer); // still observing (a round may have missed it)
        const bus::Envelope *message = ofThisRound ? m_round->message : nullptr;
        if (!message || message->publisher == *thing) {
            // Nothing new for this observer (revalidation, or its own message: Mainflux does not echo).
            coap_pdu_set_code(response, COAP_RESPONSE_CODE_VALID);
            return;
        }
        m_metrics.increment("mf_adapter_notifications_total", "protocol=\"coap\",result=\"sent\"");
        coap_pdu_set_code(response, COAP_RESPONSE_CODE_CONTENT);
        const auto format = coap::contentFormatFor(message->contentType);
        if (size_t(message->payload.size()) <= MaxInlinePayload) {
            if (format) {
                uint8_t buf[4];
                coap_add_option(response, COAP_OPTION_CONTENT_FORMAT, coap_encode_var_safe(buf, sizeof buf, *format),
                                buf);
            }
            coap_add_data(response, size_t(message->payload.size()),
                          reinterpret_cast<const uint8_t *>(message->payload.constData()));
        } else {
            // Block2: libcoap keeps the body until the last block went out, then releases our copy.
            auto *copy = new QByteArray(message->payload);
            coap_add_data_large_response(
                resource, session, request, response, query,
                uint16_t(format.value_or(COAP_MEDIATYPE_APPLICATION_OCTET_STREAM)), -1, 0, size_t(copy->size()),
                reinterpret_cast<const uint8_t *>(copy->constData()),
                [](coap_session_t *, void *p) { delete static_cast<QByteArray *>(p); }, copy);
        }
        return;
    }

    if (credentials && m_options.keyFailures) {
        // Looked up above already (a notification round needs it); a locked-out address is refused all the same.
        if (refuseLockedOut(session, response)) return;
        if (!thing && thing.error().code == ErrorCode::Unauthenticated) keyFailed(session);
    }
    if (!thing) {
        if (thing.error().code != ErrorCode::Unavailable)
            reportRefusal(session, path->channelId, query, thing.error(), nullptr);
        respond(response, codeFor(thing.error().code), thing.error().message);
        return;
    }
    const auto observe = optionValue(request, COAP_OPTION_OBSERVE);
    if (!observe) {
        respond(response, COAP_RESPONSE_CODE_BAD_REQUEST,
                u"GET subscribes: send Observe: 0 (coap-client -s <seconds>); stored messages are read over HTTP"_s);
        return;
    }
    if (*observe == COAP_OBSERVE_CANCEL) {
        channel->observers.remove(observer);
        reportObservers(*channel);
        updateGauge();
        coap_pdu_set_code(response, COAP_RESPONSE_CODE_CONTENT);
        return;
    }
    if (channel->observers.contains(observer)) {
        // Already observing (a re-registration, or libcoap retrying a notification it had to hold back).
        coap_pdu_set_code(response, COAP_RESPONSE_CODE_VALID);
        return;
    }
    // libcoap keeps one observation per endpoint and request: a new token replaced the endpoint's older one.
    if (channel->observers.removeIf([session](const QByteArray &key) { return isSessionKey(key, session); }) > 0)
        reportObservers(*channel);
    if (const QString client = clientAddress(session, false); observersOf(client) >= m_options.maxObserversPerClient) {
        // A 4.xx ends the registration libcoap already made (RFC 7641 §4.1: the server may refuse to add one).
        m_metrics.increment("mf_coap_observe_refused_total", "reason=\"too many observers\"");
        respond(response, COAP_RESPONSE_CODE_TOO_MANY_REQUESTS,
                u"%1 observations from this address already; cancel one first"_s.arg(m_options.maxObserversPerClient));
        return;
    }
    ensureSubscribed(*channel, path->channelId);
    if (!channel->subscription.isActive()) {
        respond(response, COAP_RESPONSE_CODE_SERVICE_UNAVAILABLE, u"message bus unavailable"_s);
        return;
    }
    channel->observers.insert(observer);
    channel->things.insert(observer, *thing);
    reportObservers(*channel);
    updateGauge();
    coap_pdu_set_code(response, COAP_RESPONSE_CODE_CONTENT); // the registration: no message yet
}

void CoapAdapter::ensureSubscribed(Channel &channel, const QString &channelId)
{
    if (channel.subscription.isActive()) return;
    const auto handler = [this](const QByteArray &, const QByteArray &data, const QByteArray &) { deliver(data); };
    auto own = m_nats.subscribe(bus::channelSubject(channelId), {}, this, handler);
    auto below = m_nats.subscribe(bus::channelSubject(channelId) + ".>", {}, this, handler);
    if (!own || !below) {
        qCWarning(lcCoapAdapter).noquote()
            << "cannot subscribe to channel" << channelId << ":" << (own ? below.error().message : own.error().message);
        return;
    }
    channel.subscription = std::move(*own);
    channel.subtopics = std::move(*below);
    channel.sinceConNotification.start();
}

void CoapAdapter::deliver(const QByteArray &data)
{
    auto envelope = bus::Envelope::decode(data);
    if (!envelope) {
        qCWarning(lcCoapAdapter).noquote() << "dropping an undecodable bus message:" << envelope.error().message;
        return;
    }
    notify(envelope->channel, &*envelope);
}

// One notification round: libcoap calls the GET handler once per observer of the channel, now.
void CoapAdapter::notify(const QString &channelId, const bus::Envelope *message)
{
    const std::shared_ptr<Channel> channel = m_channels.value(channelId);
    if (!channel || !channel->resource || !m_ctx) return;
    if (m_depth > 0) { // never from inside libcoap: run it right after
        std::optional<bus::Envelope> copy;
        if (message) copy = *message;
        QMetaObject::invokeMethod(
            this, [this, channelId, copy] { notify(channelId, copy ? &*copy : nullptr); }, Qt::QueuedConnection);
        return;
    }
    const bool confirmable = channel->sinceConNotification.isValid() &&
                             channel->sinceConNotification.hasExpired(m_options.conNotifyIntervalMs);
    if (confirmable) {
        coap_resource_set_mode(channel->resource, COAP_RESOURCE_FLAGS_NOTIFY_CON);
        channel->sinceConNotification.restart();
    }
    Round round{channelId, message, {}};
    m_round = &round;
    ++m_depth;
    const bool observed = coap_resource_notify_observers(channel->resource, nullptr) != 0;
    if (observed) prepareIo(); // runs coap_check_notify: the handlers, and the sends
    --m_depth;
    m_round = nullptr;
    if (confirmable) coap_resource_set_mode(channel->resource, COAP_RESOURCE_FLAGS_NOTIFY_NON);
    if (!observed) {
        // Nobody observes any more: drop the subscription until someone registers again.
        channel->observers.clear();
        channel->subscription.reset();
        channel->subtopics.reset();
    } else {
        channel->observers = round.seen;
    }
    reportObservers(*channel);
    updateGauge();
    reschedule();
}

void CoapAdapter::endRefusedObservations()
{
    if (m_depth > 0 || !m_ctx || m_refused.empty()) return;
    std::vector<Refusal> refused;
    refused.swap(m_refused);
    ++m_depth;
    QList<coap_session_t *> sessions;
    for (const Refusal &r : refused) {
        if (const auto channel = m_channels.value(r.channelId))
            channel->observers.remove(observerKey(r.session, r.token));
        sendFinal(r.session, r.token, r.code, r.diagnostic);
        if (!sessions.contains(r.session)) sessions.append(r.session);
    }
    for (coap_session_t *session : std::as_const(sessions)) {
        // libcoap 4.3.1 can drop a single observation safely only on the client's word (RST, deregistration), but
        // all of an endpoint's at once: the endpoint's other observations end too and are told to register again.
        for (const auto &channel : std::as_const(m_channels)) {
            channel->observers.removeIf([&](const QByteArray &key) {
                if (!isSessionKey(key, session)) return false;
                sendFinal(session, tokenOfKey(key), COAP_RESPONSE_CODE_SERVICE_UNAVAILABLE,
                          u"the observations of this endpoint were ended (another lost its access): register again"_s);
                return true;
            });
        }
        coap_session_disconnected(session, COAP_NACK_NOT_DELIVERABLE);
    }
    for (const Refusal &r : refused)
        coap_session_release(r.session);
    --m_depth;
    updateGauge();
}

// A final notification (no Observe option): RFC 7641 §3.2, a non-2.xx ends the client's observation.
void CoapAdapter::sendFinal(coap_session_t *session, const QByteArray &token, int code, const QString &diagnostic)
{
    coap_pdu_t *pdu = coap_pdu_init(COAP_MESSAGE_NON, coap_pdu_code_t(code), coap_new_message_id(session),
                                    coap_session_max_pdu_size(session));
    if (!pdu) return;
    if (!coap_add_token(pdu, size_t(token.size()), reinterpret_cast<const uint8_t *>(token.constData()))) {
        coap_delete_pdu(pdu);
        return;
    }
    respond(pdu, coap_pdu_code_t(code), diagnostic);
    if (coap_send(session, pdu) == COAP_INVALID_MID)
        qCDebug(lcCoapAdapter).noquote() << "cannot send the end of an observation to" << clientAddress(session, true);
}

void CoapAdapter::sessionGone(coap_session_t *session)
{
    bool changed = false;
    for (const auto &channel : std::as_const(m_channels)) {
        if (channel->observers.removeIf([session](const QByteArray &key) { return isSessionKey(key, session); }) == 0)
            continue;
        reportObservers(*channel);
        changed = true;
    }
    if (changed) updateGauge();
}

void CoapAdapter::reportObservers(Channel &channel, bool gone)
{
    SessionPresence &sessions = m_ingest.sessions();
    for (auto it = channel.presence.begin(); it != channel.presence.end();) {
        if (!gone && channel.observers.contains(it.key())) {
            ++it;
            continue;
        }
        sessions.closed(it.value());
        channel.things.remove(it.key());
        it = channel.presence.erase(it);
    }
    if (gone) return;
    for (const QByteArray &observer : std::as_const(channel.observers)) {
        if (channel.presence.contains(observer)) continue;
        const auto thing = channel.things.constFind(observer);
        if (thing != channel.things.cend()) channel.presence.insert(observer, sessions.opened(*thing, u"coap"_s));
    }
    // Registrations refused after the thing was noted, and observers libcoap dropped before a round saw them.
    channel.things.removeIf(
        [&channel](QHash<QByteArray, QString>::iterator entry) { return !channel.observers.contains(entry.key()); });
}

} // namespace mf::adapters
