#include "coapadapter.h"

#include "adapters/ingest/ingest.h"
#include "api/metrics.h"
#include "bus/subjects.h"
#include "coaprequest.h"
#include "contentformats.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QLoggingCategory>
#include <QPointer>
#include <QSocketNotifier>
#include <coap3/coap.h>
#include <mutex>
#include <sodium.h>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcCoapAdapter, "mainflux.adapter.coap")

namespace mf::adapters {

namespace {

using coap::keyFromQuery;
using coap::optionValue;
using coap::parsePath;

constexpr size_t MaxInlinePayload = 1024;      // larger notifications go block-wise (RFC 7959 Block2)
constexpr qint64 ExchangeLifetimeMs = 247'000; // RFC 7252 §4.8.2
constexpr qsizetype MaxAnsweredExchanges = 100'000;
constexpr size_t MaxPskIdentity = 128; // a thing id is a UUID; OpenSSL's own limit is 128 bytes

// True for a DTLS session made with a pre-shared key (libcoap records the identity the client gave).
bool isPskSession(const coap_session_t *session)
{
    if (coap_session_get_proto(session) != COAP_PROTO_DTLS) return false;
    const coap_bin_const_t *identity = coap_session_get_psk_identity(session);
    return identity && identity->length > 0;
}

QString pskIdentity(const coap_session_t *session)
{
    const coap_bin_const_t *identity = coap_session_get_psk_identity(session);
    return identity ? QString::fromUtf8(reinterpret_cast<const char *>(identity->s), qsizetype(identity->length))
                    : QString();
}

bool sameSecret(const QByteArray &a, const uint8_t *b, size_t length)
{
    return b && size_t(a.size()) == length && sodium_memcmp(a.constData(), b, length) == 0;
}

void logFromLibcoap(coap_log_t level, const char *message)
{
    const QString text = QString::fromUtf8(message).trimmed();
    if (level <= LOG_WARNING)
        qCWarning(lcCoapAdapter).noquote() << "libcoap:" << text;
    else
        qCDebug(lcCoapAdapter).noquote() << "libcoap:" << text;
}

void startLibcoap()
{
    static std::once_flag once;
    std::call_once(once, [] {
        coap_startup();
        coap_set_log_handler(logFromLibcoap);
        coap_set_log_level(LOG_WARNING);
    });
}

// A response code with an optional diagnostic payload (RFC 7252 §5.5.2: no Content-Format).
void respond(coap_pdu_t *response, coap_pdu_code_t code, const QString &diagnostic = {})
{
    coap_pdu_set_code(response, code);
    if (!diagnostic.isEmpty()) {
        const QByteArray text = diagnostic.toUtf8();
        coap_add_data(response, size_t(text.size()), reinterpret_cast<const uint8_t *>(text.constData()));
    }
}

coap_pdu_code_t codeFor(ErrorCode code)
{
    switch (code) {
    case ErrorCode::Unauthenticated:
        return COAP_RESPONSE_CODE_UNAUTHORIZED;
    case ErrorCode::Forbidden:
        return COAP_RESPONSE_CODE_FORBIDDEN;
    case ErrorCode::NotFound:
        return COAP_RESPONSE_CODE_NOT_FOUND;
    case ErrorCode::Malformed:
        return COAP_RESPONSE_CODE_BAD_REQUEST;
    case ErrorCode::Unavailable:
        return COAP_RESPONSE_CODE_SERVICE_UNAVAILABLE;
    case ErrorCode::TooManyRequests:
        return coap_pdu_code_t(COAP_RESPONSE_CODE(429));
    default:
        return COAP_RESPONSE_CODE_INTERNAL_ERROR;
    }
}

QByteArray observerKey(const coap_session_t *session, const coap_pdu_t *request)
{
    const coap_bin_const_t token = coap_pdu_get_token(request);
    const auto address = reinterpret_cast<quintptr>(session);
    return QByteArray(reinterpret_cast<const char *>(&address), sizeof address) +
           QByteArray(reinterpret_cast<const char *>(token.s), qsizetype(token.length));
}

const coap_session_t *sessionOfKey(const QByteArray &key)
{
    quintptr address = 0;
    memcpy(&address, key.constData(), sizeof address);
    return reinterpret_cast<const coap_session_t *>(address);
}

// The client's IP address (the unit every per-client limit counts), with ":port" for what one endpoint owns.
QString clientAddress(const coap_session_t *session, bool withPort)
{
    const coap_address_t *remote = coap_session_get_addr_remote(session);
    if (!remote) return {};
    const QHostAddress host(&remote->addr.sa);
    if (!withPort) return host.toString();
    const quint16 port =
        ntohs(remote->addr.sa.sa_family == AF_INET6 ? remote->addr.sin6.sin6_port : remote->addr.sin.sin_port);
    return host.toString() + u':' + QString::number(port);
}

// What identifies a CON request's retransmissions: the client endpoint and the message id. Empty for NON.
QByteArray exchangeOf(const coap_session_t *session, const coap_pdu_t *request)
{
    if (coap_pdu_get_type(request) != COAP_MESSAGE_CON) return {};
    return clientAddress(session, true).toUtf8() + '#' + QByteArray::number(coap_pdu_get_mid(request));
}

bool isSessionKey(const QByteArray &key, const coap_session_t *session)
{
    const auto address = reinterpret_cast<quintptr>(session);
    return key.startsWith(QByteArray(reinterpret_cast<const char *>(&address), sizeof address));
}

} // namespace

// The libcoap callbacks. They find the adapter through the context's app data (null once it is being destroyed).
struct CoapCallbacks
{
    static CoapAdapter *adapter(coap_session_t *session)
    {
        return static_cast<CoapAdapter *>(coap_get_app_data(coap_session_get_context(session)));
    }
    static void request(coap_resource_t *resource, coap_session_t *session, const coap_pdu_t *request,
                        const coap_string_t *query, coap_pdu_t *response)
    {
        CoapAdapter *self = adapter(session);
        if (!self) {
            respond(response, COAP_RESPONSE_CODE_SERVICE_UNAVAILABLE, u"shutting down"_s);
            return;
        }
        self->handleRequest(resource, session, request, query, response);
    }
    static const coap_bin_const_t *psk(coap_bin_const_t *identity, coap_session_t *session, void *)
    {
        CoapAdapter *self = adapter(session);
        return self ? self->pskFor(identity, session) : nullptr;
    }
    static int event(coap_session_t *session, const coap_event_t event)
    {
        if (event == COAP_EVENT_SERVER_SESSION_DEL)
            if (CoapAdapter *self = adapter(session)) {
                self->sessionGone(session);
                self->sessionsChanged(-1);
            }
        if (event == COAP_EVENT_SERVER_SESSION_NEW)
            if (CoapAdapter *self = adapter(session)) self->sessionsChanged(+1);
        return 0;
    }
};

struct CoapAdapter::Channel
{
    coap_resource_t *resource = nullptr;
    bus::Subscription subscription;     // channel.<id>
    bus::Subscription subtopics;        // channel.<id>.>
    QSet<QByteArray> observers;         // session + token, refreshed by every notification round
    QElapsedTimer sinceConNotification; // RFC 7641 §4.5: a CON now and then finds observers that are gone
};

struct CoapAdapter::PendingPublish
{
    coap_session_t *session = nullptr; // referenced while pending
    QByteArray token;
    QByteArray exchange; // client address:port + message id of the request (libcoap's copy has a new one)
    bool done = false;
    Result<void> stored;
};

struct CoapAdapter::Round
{
    QString channelId;
    const bus::Envelope *message = nullptr; // null: revalidation round (access changed), answered 2.03 Valid
    QSet<QByteArray> seen;
};

CoapAdapter::CoapAdapter(things::AccessControl &access, bus::NatsConnection &nats, api::Metrics &metrics,
                         Ingest &ingest, ChannelLister channels, Options options, QObject *parent)
    : QObject(parent), m_access(access), m_nats(nats), m_metrics(metrics), m_ingest(ingest),
      m_listChannels(std::move(channels)), m_options(options),
      m_uploads({options.maxBody, options.maxUploadsPerClient, options.uploadTimeoutMs, options.maxUploadBuffer})
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &CoapAdapter::pump);
    m_uploadSweep.setInterval(std::clamp(options.uploadTimeoutMs / 4, 50, 5000));
    connect(&m_uploadSweep, &QTimer::timeout, this, &CoapAdapter::sweepUploads);
}

CoapAdapter::~CoapAdapter()
{
    m_timer.stop();
    m_notifier.reset();
    for (const auto &channel : std::as_const(m_channels)) {
        channel->subscription.reset();
        channel->subtopics.reset();
    }
    if (m_ctx) {
        coap_set_app_data(m_ctx, nullptr);
        for (const auto &pending : std::as_const(m_pending))
            coap_session_release(pending->session);
        m_pending.clear();
        coap_free_context(m_ctx);
    }
    m_metrics.setGauge("mf_adapter_observers", "protocol=\"coap\"", 0);
}

Result<quint16> CoapAdapter::listen(const QHostAddress &host, quint16 port)
{
    startLibcoap();
    if (!coap_async_is_supported())
        return fail(ErrorCode::Internal, u"this libcoap was built without async (separate response) support"_s);
    m_ctx = coap_new_context(nullptr);
    if (!m_ctx) return fail(ErrorCode::Internal, u"libcoap: cannot create a context"_s);
    coap_set_app_data(m_ctx, this);
    // Not COAP_BLOCK_SINGLE_BODY: its Block1 reassembly crashes without Size1 (block1uploads.h). Without it libcoap
    // hands every Block1 block to the handler (receiveBlock) and still answers Block2 for large notifications.
    coap_context_set_block_mode(m_ctx, COAP_BLOCK_USE_LIBCOAP);
    coap_register_event_handler(m_ctx, CoapCallbacks::event);
    if (m_options.maxSessions > 0) {
        coap_context_set_max_idle_sessions(m_ctx, unsigned(m_options.maxSessions));
        coap_context_set_max_handshake_sessions(m_ctx, unsigned(m_options.maxSessions));
    }

    if (m_options.udp) {
        auto bound = addEndpoint(host, port, false);
        if (!bound) return std::unexpected(bound.error());
        m_port = *bound;
    }
    if (m_options.dtlsPort) {
        if (!coap_dtls_is_supported())
            return fail(ErrorCode::Internal, u"this libcoap has no DTLS: the backend needs libcoap-3-openssl"_s);
        // Pre-shared keys and certificates on the same port: identity = thing id, key = thing key (pskFor).
        coap_dtls_spsk_t psk;
        memset(&psk, 0, sizeof psk);
        psk.version = COAP_DTLS_SPSK_SETUP_VERSION;
        psk.validate_id_call_back = CoapCallbacks::psk;
        if (!coap_context_set_psk2(m_ctx, &psk))
            return fail(ErrorCode::Internal, u"libcoap refused the pre-shared key setup for DTLS"_s);
        // libcoap keeps the pointers and reads the files again for each DTLS session: the bytes live in members.
        m_certPath = QFile::encodeName(m_options.certFile);
        m_keyPath = QFile::encodeName(m_options.keyFile);
        coap_dtls_pki_t pki;
        memset(&pki, 0, sizeof pki);
        pki.version = COAP_DTLS_PKI_SETUP_VERSION;
        pki.verify_peer_cert = 0; // devices authenticate with their thing key, as on plain CoAP
        pki.pki_key.key_type = COAP_PKI_KEY_PEM;
        pki.pki_key.key.pem.public_cert = m_certPath.constData();
        pki.pki_key.key.pem.private_key = m_keyPath.constData();
        if (!coap_context_set_pki(m_ctx, &pki))
            return fail(ErrorCode::Malformed, u"libcoap refused the certificate %1 or key %2 for DTLS"_s.arg(
                                                  m_options.certFile, m_options.keyFile));
        auto bound = addEndpoint(host, *m_options.dtlsPort, true);
        if (!bound) return std::unexpected(bound.error());
        m_dtlsPort = *bound;
    }

    // Anything that is not a channel resource: POST with a subtopic, and clear 4.04s for the rest.
    coap_resource_t *unknown = coap_resource_unknown_init2(CoapCallbacks::request, 0); // PUT → 4.05 below
    coap_register_request_handler(unknown, COAP_REQUEST_POST, CoapCallbacks::request);
    coap_register_request_handler(unknown, COAP_REQUEST_GET, CoapCallbacks::request);
    coap_add_resource(m_ctx, unknown);

    auto channels = m_listChannels ? m_listChannels() : Result<QStringList>{};
    if (!channels) return std::unexpected(channels.error());
    for (const QString &id : *channels)
        addChannel(id);

    const int fd = coap_context_get_coap_fd(m_ctx);
    if (fd < 0) return fail(ErrorCode::Internal, u"libcoap was built without epoll support"_s);
    m_notifier = std::make_unique<QSocketNotifier>(fd, QSocketNotifier::Read);
    connect(m_notifier.get(), &QSocketNotifier::activated, this, &CoapAdapter::pump);
    reschedule();
    if (m_port) qCInfo(lcCoapAdapter).noquote() << "CoAP on" << u"coap://%1:%2"_s.arg(host.toString()).arg(m_port);
    if (m_dtlsPort)
        qCInfo(lcCoapAdapter).noquote() << "CoAP over DTLS on"
                                        << u"coaps://%1:%2"_s.arg(host.toString()).arg(m_dtlsPort);
    qCInfo(lcCoapAdapter) << m_channels.size() << "CoAP channel resources";
    return m_port;
}

Result<quint16> CoapAdapter::addEndpoint(const QHostAddress &host, quint16 port, bool dtls)
{
    coap_address_t address;
    coap_address_init(&address);
    if (host.protocol() == QAbstractSocket::IPv4Protocol) {
        address.addr.sin.sin_family = AF_INET;
        address.addr.sin.sin_addr.s_addr = htonl(host.toIPv4Address());
        address.addr.sin.sin_port = htons(port);
        address.size = sizeof(address.addr.sin);
    } else {
        const Q_IPV6ADDR v6 = host.toIPv6Address();
        address.addr.sin6.sin6_family = AF_INET6;
        memcpy(&address.addr.sin6.sin6_addr, &v6, sizeof v6);
        address.addr.sin6.sin6_port = htons(port);
        address.size = sizeof(address.addr.sin6);
    }
    coap_endpoint_t *endpoint = coap_new_endpoint(m_ctx, &address, dtls ? COAP_PROTO_DTLS : COAP_PROTO_UDP);
    if (!endpoint)
        return fail(ErrorCode::Unavailable, u"cannot listen for CoAP%1 on udp %2:%3 (in use?)"_s
                                                .arg(dtls ? u" over DTLS"_s : QString(), host.toString())
                                                .arg(port));
    // The endpoint's description carries the bound address ("127.0.0.1:40123"): the only public way in 4.3.1 to
    // read back the port chosen for port 0.
    const QString description = QString::fromLatin1(coap_endpoint_str(endpoint));
    const qsizetype colon = description.lastIndexOf(u':');
    qsizetype end = colon + 1;
    while (end < description.size() && description[end].isDigit())
        ++end;
    const quint16 bound = quint16(description.mid(colon + 1, end - colon - 1).toUInt());
    if (bound == 0) return fail(ErrorCode::Internal, u"cannot tell the bound CoAP port from \"%1\""_s.arg(description));
    return bound;
}

int CoapAdapter::observerCount() const
{
    int n = 0;
    for (const auto &channel : m_channels)
        n += int(channel->observers.size());
    return n;
}

void CoapAdapter::count(const QByteArray &result)
{
    m_ingest.count(u"coap", result);
}

void CoapAdapter::updateGauge()
{
    m_metrics.setGauge("mf_adapter_observers", "protocol=\"coap\"", observerCount());
}

void CoapAdapter::pump()
{
    if (!m_ctx) return;
    ++m_depth;
    coap_io_process(m_ctx, COAP_IO_NO_WAIT);
    --m_depth;
    reschedule();
}

// Also runs libcoap's due work: triggered asyncs (separate responses) and dirty observers (notifications).
void CoapAdapter::reschedule()
{
    if (!m_ctx) return;
    coap_tick_t now;
    coap_ticks(&now);
    ++m_depth;
    const unsigned next = coap_io_prepare_epoll(m_ctx, now);
    --m_depth;
    m_timer.start(next ? int(next) : 1000);
}

void CoapAdapter::handleRequest(coap_resource_t *resource, coap_session_t *session, const coap_pdu_t *request,
                                const coap_string_t *query, coap_pdu_t *response)
{
    switch (coap_pdu_get_code(request)) {
    case COAP_REQUEST_CODE_POST:
        post(session, request, query, response);
        return;
    case COAP_REQUEST_CODE_GET:
        get(resource, session, request, query, response);
        return;
    default:
        respond(response, COAP_RESPONSE_CODE_NOT_ALLOWED, u"use POST to publish or GET with Observe to subscribe"_s);
    }
}

void CoapAdapter::post(coap_session_t *session, const coap_pdu_t *request, const coap_string_t *query,
                       coap_pdu_t *response)
{
    // Second call: libcoap re-invokes the handler with a copy of the request once the async was triggered.
    const coap_bin_const_t token = coap_pdu_get_token(request);
    const QByteArray exchange = exchangeOf(session, request);
    if (coap_async_t *async = coap_find_async(session, token)) {
        const auto id = quint64(reinterpret_cast<quintptr>(coap_async_get_app_data(async)));
        if (const auto waiting = m_pending.value(id); waiting && !waiting->done) {
            // Not libcoap's second call (that comes once the stream acked) but a request from the device while the
            // first waits: the same one sent again gets an empty ACK again (no code; the 2.04 follows as for the
            // first copy), another one with the same token is refused.
            if (!exchange.isEmpty() && exchange == waiting->exchange) {
                count("retransmitted");
                return;
            }
            count("bad request");
            respond(response, COAP_RESPONSE_CODE_BAD_REQUEST, u"a request with this token is already in progress"_s);
            return;
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
        return; // libcoap frees the async after this call
    }
    if (const auto it = m_answered.constFind(exchange); !exchange.isEmpty() && it != m_answered.constEnd()) {
        count("retransmitted"); // answered already: the same answer, not a second publish
        respond(response, coap_pdu_code_t(it->code), it->diagnostic);
        return;
    }

    const auto path = parsePath(request);
    if (!path) {
        count("not found");
        respond(response, COAP_RESPONSE_CODE_NOT_FOUND, u"unknown path: publish to /channels/{id}/messages"_s);
        return;
    }
    if (!isPskSession(session)) {
        auto key = keyFromQuery(query);
        if (!key) {
            count(key.error().code == ErrorCode::Malformed ? "bad request" : "unauthorized");
            respond(response, codeFor(key.error().code), key.error().message);
            return;
        }
    }
    if (refuseLockedOut(session, response)) return;
    // Who and where before any payload is kept: an unknown client cannot make the adapter buffer blocks.
    auto thing = authorize(session, path->channelId, query);
    if (!thing && thing.error().code == ErrorCode::Unauthenticated) keyFailed(session);
    if (!thing) {
        count(thing.error().code == ErrorCode::Forbidden   ? "forbidden"
              : thing.error().code == ErrorCode::Malformed ? "bad request"
                                                           : "unauthorized");
        respond(response, codeFor(thing.error().code), thing.error().message);
        return;
    }
    auto subtopic = bus::normalizeSubtopic(path->subtopic);
    if (!subtopic) {
        count("invalid subtopic");
        respond(response, COAP_RESPONSE_CODE_BAD_REQUEST, subtopic.error().message);
        return;
    }

    std::optional<unsigned> contentFormat = optionValue(request, COAP_OPTION_CONTENT_FORMAT);
    QByteArray payload;
    coap_opt_iterator_t blockIt;
    if (const coap_opt_t *block1 = coap_check_option(request, COAP_OPTION_BLOCK1, &blockIt)) {
        auto whole = receiveBlock(session, request, query, block1, contentFormat, response);
        if (!whole) return; // 2.31 for the next block, or refused
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
        return;
    }
    if (payload.isEmpty()) {
        count("bad request");
        respond(response, COAP_RESPONSE_CODE_BAD_REQUEST, u"empty payload"_s);
        return;
    }

    // No Content-Format: the channel's content_type, if it names one (raw JSON devices), else passed through raw.
    auto envelope = m_ingest.prepare(
        {path->channelId, *thing, u"coap"_s, *subtopic, coap::contentTypeFor(contentFormat), std::move(payload)});
    if (!envelope) {
        if (envelope.error().code == ErrorCode::TooManyRequests) {
            uint8_t buf[4]; // MF_THING_RATE: a token comes within a second
            coap_add_option(response, COAP_OPTION_MAXAGE, coap_encode_var_safe(buf, sizeof buf, 1u), buf);
        }
        respond(response, codeFor(envelope.error().code), envelope.error().message);
        return;
    }

    // Park the request: no response code now means an empty ACK for CON (nothing for NON); the 2.04 follows as a
    // separate response when the stream acked.
    coap_async_t *async = coap_register_async(session, request, 0);
    if (!async) {
        count("bad request");
        respond(response, COAP_RESPONSE_CODE_BAD_REQUEST, u"a request with this token is already in progress"_s);
        return;
    }
    const quint64 id = ++m_nextPending;
    auto pending = std::make_shared<PendingPublish>();
    pending->session = coap_session_reference(session);
    pending->token = QByteArray(reinterpret_cast<const char *>(token.s), qsizetype(token.length));
    pending->exchange = exchange;
    m_pending.insert(id, pending);
    coap_async_set_app_data(async, reinterpret_cast<void *>(quintptr(id)));

    m_ingest.publish(*envelope, this, [this, id](Result<void> stored) {
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

void CoapAdapter::sessionsChanged(int delta)
{
    m_sessions = qMax(0, m_sessions + delta);
    m_metrics.setGauge("mf_coap_sessions", {}, m_sessions);
}

bool CoapAdapter::refuseLockedOut(const coap_session_t *session, coap_pdu_t *response)
{
    if (!m_options.keyFailures) return false;
    const qint64 seconds = m_options.keyFailures->retryAfter(QHostAddress(clientAddress(session, false)), "coap");
    if (seconds <= 0) return false;
    count("key failures");
    uint8_t buf[4];
    coap_add_option(response, COAP_OPTION_MAXAGE, coap_encode_var_safe(buf, sizeof buf, unsigned(seconds)), buf);
    respond(response, coap_pdu_code_t(COAP_RESPONSE_CODE(429)), m_options.keyFailures->message(seconds));
    return true;
}

void CoapAdapter::keyFailed(const coap_session_t *session)
{
    if (m_options.keyFailures) m_options.keyFailures->failed(QHostAddress(clientAddress(session, false)), "coap");
}

Result<QString> CoapAdapter::authorize(const coap_session_t *session, const QString &channelId,
                                       const coap_string_t *query)
{
    if (!isPskSession(session)) {
        auto key = keyFromQuery(query);
        if (!key) return std::unexpected(key.error());
        return m_access.canAccess(channelId, *key);
    }
    const QString thingId = pskIdentity(session);
    auto current = m_access.keyOf(thingId);
    if (!current) {
        if (current.error().code != ErrorCode::Unauthenticated) return std::unexpected(current.error());
        return fail(ErrorCode::Unauthenticated, u"the thing of this DTLS session was removed"_s);
    }
    // The session was made with the key the thing had then: after a rotation it speaks for nobody.
    const coap_bin_const_t *used = coap_session_get_psk_key(session);
    if (!used || !sameSecret(current->toUtf8(), used->s, used->length))
        return fail(ErrorCode::Unauthenticated, u"the thing's key changed: make a new DTLS session with the new key"_s);
    if (auto key = keyFromQuery(query); key) {
        auto id = m_access.identify(*key);
        if (!id || *id != thingId)
            return fail(ErrorCode::Unauthenticated, u"?authorization= is not the key of this DTLS session's thing"_s);
    } else if (key.error().code == ErrorCode::Malformed) {
        return std::unexpected(key.error());
    }
    if (auto ok = m_access.canAccessById(channelId, thingId); !ok) return std::unexpected(ok.error());
    return thingId;
}

const coap_bin_const_t *CoapAdapter::pskFor(const coap_bin_const_t *identity, const coap_session_t *session)
{
    static coap_bin_const_t answer; // libcoap copies it before the next handshake can ask
    const auto refuse = [this](const char *reason) -> const coap_bin_const_t * {
        m_metrics.increment("mf_coap_psk_handshakes_total", "result=\"" + QByteArray(reason) + '"');
        return nullptr;
    };
    if (!identity || identity->length == 0 || identity->length > MaxPskIdentity) return refuse("bad identity");
    if (m_options.keyFailures &&
        m_options.keyFailures->retryAfter(QHostAddress(clientAddress(session, false)), "coap") > 0)
        return refuse("key failures");
    const QString thingId = QString::fromUtf8(reinterpret_cast<const char *>(identity->s), qsizetype(identity->length));
    auto key = m_access.keyOf(thingId);
    if (!key) {
        if (key.error().code == ErrorCode::Unauthenticated) keyFailed(session);
        qCDebug(lcCoapAdapter).noquote() << "DTLS PSK refused for" << clientAddress(session, true) << ":"
                                         << key.error().message;
        return refuse(key.error().code == ErrorCode::Unauthenticated ? "unknown thing" : "unavailable");
    }
    m_pskKey = key->toUtf8();
    answer.s = reinterpret_cast<const uint8_t *>(m_pskKey.constData());
    answer.length = size_t(m_pskKey.size());
    m_metrics.increment("mf_coap_psk_handshakes_total", "result=\"key given\"");
    return &answer;
}

void CoapAdapter::sweepUploads()
{
    if (const int expired = m_uploads.expire(); expired > 0) {
        m_metrics.increment("mf_adapter_messages_total", "protocol=\"coap\",result=\"upload expired\"", expired);
        qCDebug(lcCoapAdapter) << expired << "unfinished block-wise uploads expired";
    }
    if (m_uploads.size() == 0) m_uploadSweep.stop();
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

    if (m_round && m_round->channelId == path->channelId) {
        // A notification for one observer. A 4.xx here ends the observation (libcoap drops the observer).
        if (!thing) {
            m_metrics.increment("mf_adapter_notifications_total", "protocol=\"coap\",result=\"access lost\"");
            respond(response, codeFor(thing.error().code), thing.error().message);
            return;
        }
        m_round->seen.insert(observer);
        const bus::Envelope *message = m_round->message;
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
    channel->observers.removeIf([session](const QByteArray &key) { return isSessionKey(key, session); });
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
    if (observed) {
        coap_tick_t now;
        coap_ticks(&now);
        coap_io_prepare_epoll(m_ctx, now); // runs coap_check_notify: the handlers, and the sends
    }
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
    updateGauge();
    reschedule();
}

void CoapAdapter::addChannel(const QString &id)
{
    if (!m_ctx || m_channels.contains(id) || id.isEmpty() || id.contains(u'/')) return;
    const QByteArray path = "channels/" + id.toUtf8() + "/messages";
    coap_str_const_t *uri =
        coap_new_str_const(reinterpret_cast<const uint8_t *>(path.constData()), size_t(path.size()));
    coap_resource_t *resource =
        coap_resource_init(uri, COAP_RESOURCE_FLAGS_RELEASE_URI | COAP_RESOURCE_FLAGS_NOTIFY_NON_ALWAYS);
    coap_register_request_handler(resource, COAP_REQUEST_GET, CoapCallbacks::request);
    coap_register_request_handler(resource, COAP_REQUEST_POST, CoapCallbacks::request);
    coap_resource_set_get_observable(resource, 1);
    coap_add_resource(m_ctx, resource);
    auto channel = std::make_shared<Channel>();
    channel->resource = resource;
    m_channels.insert(id, channel);
}

void CoapAdapter::removeChannel(const QString &id)
{
    const std::shared_ptr<Channel> channel = m_channels.take(id);
    if (!channel) return;
    channel->subscription.reset();
    channel->subtopics.reset();
    if (m_ctx && channel->resource) {
        ++m_depth;
        coap_delete_resource(m_ctx, channel->resource); // observers get a 4.04 notification
        --m_depth;
    }
    updateGauge();
    reschedule();
}

void CoapAdapter::resync()
{
    auto ids = m_listChannels ? m_listChannels() : Result<QStringList>{};
    if (!ids) {
        qCWarning(lcCoapAdapter).noquote() << "cannot list channels:" << ids.error().message;
        return;
    }
    const QSet<QString> now(ids->cbegin(), ids->cend());
    for (const QString &id : m_channels.keys())
        if (!now.contains(id)) removeChannel(id);
    for (const QString &id : *ids)
        addChannel(id);
}

void CoapAdapter::revalidate(const QString &channelId)
{
    const std::shared_ptr<Channel> channel = m_channels.value(channelId);
    if (channel && !channel->observers.isEmpty()) notify(channelId, nullptr);
}

void CoapAdapter::sessionGone(coap_session_t *session)
{
    bool changed = false;
    for (const auto &channel : std::as_const(m_channels))
        changed =
            channel->observers.removeIf([session](const QByteArray &key) { return isSessionKey(key, session); }) > 0 ||
            changed;
    if (changed) updateGauge();
}

void CoapAdapter::onThingsEvent(const things::ThingsEvent &event)
{
    using Kind = things::ThingsEvent::Kind;
    switch (event.kind) {
    case Kind::ChannelCreated:
        addChannel(event.channelId);
        break;
    case Kind::ChannelRemoved:
        removeChannel(event.channelId);
        break;
    case Kind::OwnerRemoved:
        resync();
        break;
    case Kind::Disconnected:
        revalidate(event.channelId);
        break;
    case Kind::ThingRemoved:
    case Kind::ThingKeyChanged:
        for (const QString &id : m_channels.keys())
            revalidate(id);
        break;
    default:
        break;
    }
}

} // namespace mf::adapters
