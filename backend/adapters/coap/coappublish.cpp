// Publishing: POST, Block1 uploads, and the request parked until the stream acked (a separate 2.04); retransmitted
// CON publishes get the same answer instead of a second publish.
#include "adapters/ingest/ingest.h"
#include "api/metrics.h"
#include "bus/subjects.h"
#include "coapinternal.h"
#include "coaprequest.h"
#include "contentformats.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace mf::adapters {

using namespace coap;

namespace {

constexpr qint64 ExchangeLifetimeMs = 247'000; // RFC 7252 §4.8.2
constexpr qsizetype MaxAnsweredExchanges = 100'000;

} // namespace

// A publish in named steps, each of which answers the request itself when it ends it: libcoap's second call for a
// parked request (or the device sending it again meanwhile), a retransmission answered already, who and where, the
// payload, the ingest check, then parking until the stream acked.
void CoapAdapter::post(coap_session_t *session, const coap_pdu_t *request, const coap_string_t *query,
                       coap_pdu_t *response)
{
    const QByteArray exchange = exchangeOf(session, request);
    if (answerParked(session, request, exchange, response)) return;
    if (answerAgain(exchange, response)) return;
    std::optional<Submission> submission = admitPublish(session, request, query, response);
    if (!submission || !readPayload(session, request, query, *submission, response)) return;
    auto envelope = m_ingest.prepare(std::move(*submission));
    if (!envelope) {
        if (envelope.error().code == ErrorCode::TooManyRequests) {
            uint8_t buf[4]; // MF_THING_RATE: a token comes within a second
            coap_add_option(response, COAP_OPTION_MAXAGE, coap_encode_var_safe(buf, sizeof buf, 1u), buf);
        }
        respond(response, codeFor(envelope.error().code), envelope.error().message);
        return;
    }
    park(session, request, exchange, *envelope, response);
}

bool CoapAdapter::answerParked(coap_session_t *session, const coap_pdu_t *request, const QByteArray &exchange,
                               coap_pdu_t *response)
{
    // Second call: libcoap re-invokes the handler with a copy of the request once the async was triggered.
    coap_async_t *async = coap_find_async(session, coap_pdu_get_token(request));
    if (!async) return false;
    const auto id = quint64(reinterpret_cast<quintptr>(coap_async_get_app_data(async)));
    if (const auto waiting = m_pending.value(id); waiting && !waiting->done) {
        // Not libcoap's second call (that comes once the stream acked) but a request from the device while the
        // first waits: the same one sent again gets an empty ACK again (no code; the 2.04 follows as for the
        // first copy), another one with the same token is refused.
        if (!exchange.isEmpty() && exchange == waiting->exchange) {
            count("retransmitted");
            return true;
        }
        count("bad request");
        respond(response, COAP_RESPONSE_CODE_BAD_REQUEST, u"a request with this token is already in progress"_s);
        return true;
    }
    const std::shared_ptr<PendingPublish> pending = m_pending.take(id);
    Answer answer;
    if (!pending || !pending->done) {
        answer = {COAP_RESPONSE_CODE_SERVICE_UNAVAILABLE, u"publish was not confirmed"_s};
    } else if (!pending->stored) { // counted by the ingest path
        answer = {COAP_RESPONSE_CODE_SERVICE_UNAVAILABLE, pending->stored.error().message};
    } else {
        answer = {COAP_RESPONSE_CODE_CHANGED, {}};
    }
    respond(response, coap_pdu_code_t(answer.code), answer.diagnostic);
    if (pending) {
        if (!pending->exchange.isEmpty()) remember(pending->exchange, std::move(answer));
        coap_session_release(pending->session); // libcoap holds its own reference until we return
    }
    return true; // libcoap frees the async after this call
}

bool CoapAdapter::answerAgain(const QByteArray &exchange, coap_pdu_t *response)
{
    const auto it = m_answered.constFind(exchange);
    if (exchange.isEmpty() || it == m_answered.constEnd()) return false;
    count("retransmitted"); // answered already: the same answer, not a second publish
    respond(response, coap_pdu_code_t(it->code), it->diagnostic);
    return true;
}

std::optional<Submission> CoapAdapter::admitPublish(coap_session_t *session, const coap_pdu_t *request,
                                                    const coap_string_t *query, coap_pdu_t *response)
{
    const auto path = parsePath(request);
    if (!path) {
        count("not found");
        respond(response, COAP_RESPONSE_CODE_NOT_FOUND, u"unknown path: publish to /channels/{id}/messages"_s);
        return std::nullopt;
    }
    if (!isPskSession(session)) {
        auto key = keyFromQuery(query);
        if (!key) {
            count(key.error().code == ErrorCode::Malformed ? "bad request" : "unauthorized");
            reportRefusal(session, path->channelId, query, key.error(), request);
            respond(response, codeFor(key.error().code), key.error().message);
            return std::nullopt;
        }
    }
    if (refuseLockedOut(session, response)) return std::nullopt;
    // Who and where before any payload is kept: an unknown client cannot make the adapter buffer blocks.
    auto thing = authorize(session, path->channelId, query);
    if (!thing && thing.error().code == ErrorCode::Unauthenticated) keyFailed(session);
    if (!thing) {
        count(thing.error().code == ErrorCode::Forbidden   ? "forbidden"
              : thing.error().code == ErrorCode::Malformed ? "bad request"
                                                           : "unauthorized");
        if (thing.error().code != ErrorCode::Unavailable)
            reportRefusal(session, path->channelId, query, thing.error(), request);
        respond(response, codeFor(thing.error().code), thing.error().message);
        return std::nullopt;
    }
    auto subtopic = bus::normalizeSubtopic(path->subtopic);
    if (!subtopic) {
        count("invalid subtopic");
        reportRefusal(session, path->channelId, query, subtopic.error(), request);
        respond(response, COAP_RESPONSE_CODE_BAD_REQUEST, subtopic.error().message);
        return std::nullopt;
    }
    return Submission{path->channelId, *thing, u"coap"_s, *subtopic, {}, {}, clientAddress(session, false)};
}

bool CoapAdapter::readPayload(coap_session_t *session, const coap_pdu_t *request, const coap_string_t *query,
                              Submission &submission, coap_pdu_t *response)
{
    std::optional<unsigned> contentFormat = optionValue(request, COAP_OPTION_CONTENT_FORMAT);
    QByteArray payload;
    coap_opt_iterator_t blockIt;
    if (const coap_opt_t *block1 = coap_check_option(request, COAP_OPTION_BLOCK1, &blockIt)) {
        auto whole = receiveBlock(session, request, query, block1, contentFormat, response);
        if (!whole) return false; // 2.31 for the next block, or refused
        payload = std::move(whole->body);
        if (whole->contentFormat >= 0) contentFormat = unsigned(whole->contentFormat);
    } else {
        size_t length = 0;
        const uint8_t *data = nullptr;
        if (coap_get_data(request, &length, &data))
            payload = QByteArray(reinterpret_cast<const char *>(data), qsizetype(length));
    }
    if (payload.size() > m_options.maxBody) {
        count("too large");
        uint8_t buf[4];
        coap_add_option(response, COAP_OPTION_SIZE1, coap_encode_var_safe(buf, sizeof buf, unsigned(m_options.maxBody)),
                        buf);
        respond(response, COAP_RESPONSE_CODE_REQUEST_TOO_LARGE,
                u"payload of %1 bytes is larger than %2"_s.arg(payload.size()).arg(m_options.maxBody));
        return false;
    }
    if (payload.isEmpty()) {
        count("bad request");
        respond(response, COAP_RESPONSE_CODE_BAD_REQUEST, u"empty payload"_s);
        return false;
    }
    // No Content-Format: the channel's content_type, if it names one (raw JSON devices), else passed through raw.
    submission.contentType = coap::contentTypeFor(contentFormat);
    submission.payload = std::move(payload);
    return true;
}

void CoapAdapter::park(coap_session_t *session, const coap_pdu_t *request, const QByteArray &exchange,
                       const bus::Envelope &envelope, coap_pdu_t *response)
{
    // Park the request: no response code now means an empty ACK for CON (nothing for NON); the 2.04 follows as a
    // separate response when the stream acked.
    coap_async_t *async = coap_register_async(session, request, 0);
    if (!async) {
        count("bad request");
        respond(response, COAP_RESPONSE_CODE_BAD_REQUEST, u"a request with this token is already in progress"_s);
        return;
    }
    const coap_bin_const_t token = coap_pdu_get_token(request);
    const quint64 id = ++m_nextPending;
    auto pending = std::make_shared<PendingPublish>();
    pending->session = coap_session_reference(session);
    pending->token = QByteArray(reinterpret_cast<const char *>(token.s), qsizetype(token.length));
    pending->exchange = exchange;
    m_pending.insert(id, pending);
    coap_async_set_app_data(async, reinterpret_cast<void *>(quintptr(id)));

    m_ingest.publish(envelope, this, [this, id](Result<void> stored) {
        const std::shared_ptr<PendingPublish> pending = m_pending.value(id);
        if (!pending) return;
        pending->done = true;
        pending->stored = std::move(stored);
        const auto finish = [this, id] {
            const std::shared_ptr<PendingPublish> p = m_pending.value(id);
            if (!p || !m_ctx) return;
            const coap_bin_const_t t{size_t(p->token.size()), reinterpret_cast<const uint8_t *>(p->token.constData())};
            if (coap_async_t *a = coap_find_async(p->session, t)) {
                coap_async_trigger(a);
                reschedule(); // runs the handler again and sends the response now
            } else {
                m_pending.remove(id);
                coap_session_release(p->session);
            }
        };
        if (m_depth > 0) // a synchronous failure from inside the first handler call
            QMetaObject::invokeMethod(this, finish, Qt::QueuedConnection);
        else
            finish();
    });
}

std::optional<coap::Block1Uploads::Outcome>
CoapAdapter::receiveBlock(coap_session_t *session, const coap_pdu_t *request, const coap_string_t *query,
                          const uint8_t *option, std::optional<unsigned> format, coap_pdu_t *response)
{
    using Outcome = coap::Block1Uploads::Outcome;
    QString reason;
    const auto block = coap::Block1Uploads::parse(
        QByteArrayView(reinterpret_cast<const char *>(coap_opt_value(option)), coap_opt_length(option)), &reason);
    if (!block) {
        count("bad request");
        respond(response, COAP_RESPONSE_CODE_BAD_REQUEST, reason);
        return std::nullopt;
    }
    size_t length = 0;
    const uint8_t *data = nullptr;
    if (!coap_get_data(request, &length, &data)) length = 0;

    // One upload: this client endpoint, this path and query, this Request-Tag (RFC 9175). Tokens may change per block.
    QByteArray key = clientAddress(session, true).toUtf8() + '\n';
    if (coap_string_t *uri = coap_get_uri_path(request)) {
        key += QByteArray(reinterpret_cast<const char *>(uri->s), qsizetype(uri->length));
        coap_delete_string(uri);
    }
    key += '\n';
    if (query) key += QByteArray(reinterpret_cast<const char *>(query->s), qsizetype(query->length));
    coap_opt_iterator_t it;
    if (const coap_opt_t *tag = coap_check_option(request, COAP_OPTION_RTAG, &it))
        key += '\n' + QByteArray(reinterpret_cast<const char *>(coap_opt_value(tag)), coap_opt_length(tag)).toHex();

    const auto size1 = optionValue(request, COAP_OPTION_SIZE1);
    Outcome outcome = m_uploads.add(key, clientAddress(session, false), *block,
                                    QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(length)),
                                    size1 ? std::optional<quint64>(*size1) : std::nullopt, format ? int(*format) : -1);
    uint8_t buf[4];
    switch (outcome.kind) {
    case Outcome::Complete:
        return outcome;
    case Outcome::Continue:
        // libcoap adds the Block1 option itself when it tracks the upload too; not after it forgot it (93 s).
        if (!coap_check_option(response, COAP_OPTION_BLOCK1, &it))
            coap_add_option(response, COAP_OPTION_BLOCK1,
                            coap_encode_var_safe(buf, sizeof buf, block->num << 4 | 0x8 | block->szx), buf);
        coap_pdu_set_code(response, COAP_RESPONSE_CODE_CONTINUE);
        if (!m_uploadSweep.isActive()) m_uploadSweep.start();
        return std::nullopt;
    case Outcome::Refused:
        count(outcome.metric);
        if (outcome.code == 413)
            coap_add_option(response, COAP_OPTION_SIZE1,
                            coap_encode_var_safe(buf, sizeof buf, unsigned(m_options.maxBody)), buf);
        if (outcome.code == 429 || outcome.code == 503)
            coap_add_option(response, COAP_OPTION_MAXAGE,
                            coap_encode_var_safe(buf, sizeof buf, unsigned(outcome.retryAfterS)), buf);
        respond(response, coap_pdu_code_t(COAP_RESPONSE_CODE(outcome.code)), outcome.reason);
        return std::nullopt;
    }
    return std::nullopt;
}

void CoapAdapter::remember(const QByteArray &exchange, Answer answer)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    while (!m_answeredOrder.empty() &&
           (m_answeredOrder.front().first < now - ExchangeLifetimeMs || m_answered.size() >= MaxAnsweredExchanges)) {
        m_answered.remove(m_answeredOrder.front().second);
        m_answeredOrder.pop_front();
    }
    if (!m_answered.contains(exchange)) m_answeredOrder.emplace_back(now, exchange);
    m_answered.insert(exchange, std::move(answer));
}

void CoapAdapter::sweepUploads()
{
    if (const int expired = m_uploads.expire(); expired > 0) {
        m_metrics.increment("mf_adapter_messages_total", "protocol=\"coap\",result=\"upload expired\"", expired);
        qCDebug(lcCoapAdapter) << expired << "unfinished block-wise uploads expired";
    }
    if (m_uploads.size() == 0) m_uploadSweep.stop();
}

} // namespace mf::adapters
