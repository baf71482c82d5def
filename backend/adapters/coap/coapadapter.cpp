#include "coapadapter.h"

#include "adapters/ingest/ingest.h"
#include "api/metrics.h"
#include "coapinternal.h"

#include <QFile>
#include <QSocketNotifier>
#include <cstring>
#include <mutex>
#include <sys/epoll.h>
#include <utility>

using namespace Qt::StringLiterals;

namespace mf::adapters {

using namespace coap;

namespace {

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

} // namespace

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

void CoapAdapter::count(const QByteArray &result)
{
    m_ingest.count(u"coap", result);
}

// What coap_io_process(COAP_IO_NO_WAIT) does, in two steps so that the GET handler can tell a notification
// (prepareIo) from a request (coap_io_do_epoll). Its cache expiry is unused here; its last check of separate
// responses is done by reschedule().
void CoapAdapter::pump()
{
    if (!m_ctx) return;
    ++m_depth;
    prepareIo();
    epoll_event events[COAP_MAX_EPOLL_EVENTS];
    int n = 0;
    do {
        n = epoll_wait(coap_context_get_coap_fd(m_ctx), events, COAP_MAX_EPOLL_EVENTS, 0);
        if (n > 0) coap_io_do_epoll(m_ctx, events, size_t(n));
    } while (n == COAP_MAX_EPOLL_EVENTS);
    --m_depth;
    reschedule();
}

unsigned CoapAdapter::prepareIo()
{
    coap_tick_t now;
    coap_ticks(&now);
    const bool outer = !std::exchange(m_notifying, true);
    const unsigned next = coap_io_prepare_epoll(m_ctx, now);
    if (outer) m_notifying = false;
    return next;
}

// Also runs libcoap's due work: triggered asyncs (separate responses) and dirty observers (notifications), then
// ends what the notifications refused.
void CoapAdapter::reschedule()
{
    if (!m_ctx) return;
    ++m_depth;
    const unsigned next = prepareIo();
    --m_depth;
    endRefusedObservations();
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

void CoapAdapter::sessionsChanged(int delta)
{
    m_sessions = qMax(0, m_sessions + delta);
    m_metrics.setGauge("mf_coap_sessions", {}, m_sessions);
}

} // namespace mf::adapters
