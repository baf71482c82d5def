// publishOverCoap (devicepublisher.h): one confirmable POST with libcoap, driven by the caller's Qt event loop.

#include "devicepublisher.h"

#include <QHostInfo>
#include <QObject>
#include <QSocketNotifier>
#include <QTimer>
#include <array>
#include <coap3/coap.h>
#include <cstring>
#include <memory>
#include <mutex>

using namespace Qt::StringLiterals;

namespace mf::client {

namespace {

constexpr int AnswerMs = 10'000;

// RFC 7252 §12.3 and RFC 8428 §12: the Content-Formats a device would send. The adapter keeps its own table (a
// client does not link the adapters); these are the registered numbers, not a choice of ours.
std::optional<unsigned> contentFormat(QStringView contentType)
{
    struct Format
    {
        unsigned number;
        QLatin1StringView type;
    };
    static constexpr std::array<Format, 10> Formats{{
        {0, "text/plain"_L1},
        {41, "application/xml"_L1},
        {42, "application/octet-stream"_L1},
        {50, "application/json"_L1},
        {60, "application/cbor"_L1},
        {110, "application/senml+json"_L1},
        {111, "application/sensml+json"_L1},
        {112, "application/senml+cbor"_L1},
        {113, "application/sensml+cbor"_L1},
        {310, "application/senml+xml"_L1},
    }};
    const qsizetype semicolon = contentType.indexOf(u';');
    const QStringView bare = (semicolon < 0 ? contentType : contentType.left(semicolon)).trimmed();
    for (const Format &f : Formats)
        if (bare.compare(f.type, Qt::CaseInsensitive) == 0) return f.number;
    return std::nullopt;
}

ErrorCode errorFor(int klass, int detail)
{
    if (klass == 4 && detail == 1) return ErrorCode::Unauthenticated;
    if (klass == 4 && detail == 3) return ErrorCode::Forbidden;
    if (klass == 4 && detail == 4) return ErrorCode::NotFound;
    if (klass == 4 && detail == 13) return ErrorCode::TooLarge;
    if (klass == 4 && detail == 15) return ErrorCode::UnsupportedMediaType;
    if (klass == 4) return ErrorCode::Malformed;
    return ErrorCode::Unavailable;
}

// One exchange: its own libcoap context and client session, a socket notifier and a timer from
// coap_io_prepare_epoll (as the adapter does, learned.md), and an overall deadline. Deletes itself once finished.
// Threading: the thread that created it (libcoap 4.3.1 has no locking; one context is only touched from here).
class CoapPost final : public QObject
{
public:
    CoapPost(Pending<void> pending, DeviceTarget target, QByteArray payload)
        : m_pending(std::move(pending)), m_target(std::move(target)), m_payload(std::move(payload))
    {
        m_timer.setSingleShot(true);
        connect(&m_timer, &QTimer::timeout, this, &CoapPost::pump);
        QTimer::singleShot(AnswerMs, this, [this] {
            const QString where = u"%1:%2"_s.arg(m_target.host).arg(m_target.port);
            // DTLS discards records it cannot authenticate without a word (RFC 6347 4.1.2.7): a wrong key is silence.
            if (m_target.tls && !m_dtlsConnected)
                return finish(fail(ErrorCode::Unavailable,
                                   u"no DTLS session with the CoAP adapter at %1: it stays silent when the thing's "
                                   "key is wrong (or that is not its DTLS port)"_s.arg(where)));
            finish(fail(ErrorCode::Unavailable, u"no answer from the CoAP adapter at %1"_s.arg(where)));
        });
    }
    Q_DISABLE_COPY_MOVE(CoapPost)

    ~CoapPost() override
    {
        m_notifier.reset();
        if (m_session) coap_session_release(m_session);
        if (m_ctx) coap_free_context(m_ctx);
    }

    void start()
    {
        const auto format = contentFormat(m_target.contentType);
        if (!m_target.contentType.isEmpty() && !format)
            return finish(fail(ErrorCode::UnsupportedMediaType,
                               u"CoAP has no Content-Format for \"%1\""_s.arg(m_target.contentType)));
        QHostInfo::lookupHost(m_target.host, this, [this, format](const QHostInfo &info) {
            if (info.error() != QHostInfo::NoError || info.addresses().isEmpty())
                return finish(
                    fail(ErrorCode::Unavailable, u"cannot resolve %1: %2"_s.arg(m_target.host, info.errorString())));
            if (auto sent = send(info.addresses().constFirst(), format); !sent) finish(std::move(sent));
        });
    }

private:
    Result<void> send(const QHostAddress &host, std::optional<unsigned> format)
    {
        static std::once_flag once;
        std::call_once(once, [] { coap_startup(); });
        m_ctx = coap_new_context(nullptr);
        if (!m_ctx) return fail(ErrorCode::Internal, u"libcoap: cannot create a context"_s);
        coap_context_set_block_mode(m_ctx, COAP_BLOCK_USE_LIBCOAP); // payloads over 1 KiB go as Block1
        coap_register_response_handler(m_ctx, &CoapPost::onResponse);
        coap_register_nack_handler(m_ctx, &CoapPost::onNack);
        coap_register_event_handler(m_ctx, &CoapPost::onEvent);

        coap_address_t server;
        coap_address_init(&server);
        if (host.protocol() == QAbstractSocket::IPv4Protocol) {
            server.addr.sin.sin_family = AF_INET;
            server.addr.sin.sin_addr.s_addr = htonl(host.toIPv4Address());
            server.addr.sin.sin_port = htons(quint16(m_target.port));
            server.size = sizeof(server.addr.sin);
        } else {
            const Q_IPV6ADDR v6 = host.toIPv6Address();
            server.addr.sin6.sin6_family = AF_INET6;
            memcpy(&server.addr.sin6.sin6_addr, &v6, sizeof v6);
            server.addr.sin6.sin6_port = htons(quint16(m_target.port));
            server.size = sizeof(server.addr.sin6);
        }
        if (m_target.tls) {
            // CoAP over DTLS as a device does it (docs/protocols.md): pre-shared key, identity = thing id,
            // key = thing key; no certificate is involved, so `trust` has nothing to decide here.
            if (!coap_dtls_is_supported())
                return fail(ErrorCode::Internal, u"libcoap was built without DTLS"_s);
            m_identity = m_target.thingId.toUtf8();
            m_key = m_target.thingKey.toUtf8();
            coap_dtls_cpsk_t psk;
            memset(&psk, 0, sizeof psk);
            psk.version = COAP_DTLS_CPSK_SETUP_VERSION;
            psk.psk_info.identity.s = reinterpret_cast<const uint8_t *>(m_identity.constData());
            psk.psk_info.identity.length = size_t(m_identity.size());
            psk.psk_info.key.s = reinterpret_cast<const uint8_t *>(m_key.constData());
            psk.psk_info.key.length = size_t(m_key.size());
            m_session = coap_new_client_session_psk2(m_ctx, nullptr, &server, COAP_PROTO_DTLS, &psk);
        } else {
            m_session = coap_new_client_session(m_ctx, nullptr, &server, COAP_PROTO_UDP);
        }
        if (!m_session)
            return fail(ErrorCode::Unavailable, u"libcoap: cannot open a session to %1"_s.arg(host.toString()));
        coap_session_set_app_data(m_session, this);

        coap_pdu_t *pdu = coap_new_pdu(COAP_MESSAGE_CON, COAP_REQUEST_CODE_POST, m_session);
        if (!pdu) return fail(ErrorCode::Internal, u"libcoap: cannot create a request"_s);
        std::array<uint8_t, 8> token{};
        size_t tokenLength = 0;
        coap_session_new_token(m_session, &tokenLength, token.data());
        coap_add_token(pdu, tokenLength, token.data());
        // Options in ascending number: Uri-Path (11) per segment, Content-Format (12), Uri-Query (15). The key goes
        // in the query because that is how a CoAP device authenticates to Mainflux (docs/protocols.md); it is never
        // logged here, and the exchange runs on loopback or the operator's own server.
        QStringList segments{u"channels"_s, m_target.channelId, u"messages"_s};
        segments += m_target.subtopic.trimmed().split(u'/', Qt::SkipEmptyParts);
        for (const QString &segment : std::as_const(segments)) {
            const QByteArray bytes = segment.toUtf8();
            coap_add_option(pdu, COAP_OPTION_URI_PATH, size_t(bytes.size()),
                            reinterpret_cast<const uint8_t *>(bytes.constData()));
        }
        if (format) {
            uint8_t buf[4];
            coap_add_option(pdu, COAP_OPTION_CONTENT_FORMAT, coap_encode_var_safe(buf, sizeof buf, *format), buf);
        }
        const QByteArray query = "authorization=" + m_target.thingKey.toUtf8();
        coap_add_option(pdu, COAP_OPTION_URI_QUERY, size_t(query.size()),
                        reinterpret_cast<const uint8_t *>(query.constData()));
        // m_payload outlives the exchange (it is a member), so libcoap may keep pointing into it for later blocks.
        if (!coap_add_data_large_request(m_session, pdu, size_t(m_payload.size()),
                                         reinterpret_cast<const uint8_t *>(m_payload.constData()), nullptr, nullptr)) {
            coap_delete_pdu(pdu);
            return fail(ErrorCode::Internal, u"libcoap: cannot add the payload"_s);
        }
        if (coap_send(m_session, pdu) == COAP_INVALID_MID)
            return fail(ErrorCode::Unavailable,
                        u"cannot send to the CoAP adapter at %1:%2"_s.arg(host.toString()).arg(m_target.port));

        const int fd = coap_context_get_coap_fd(m_ctx);
        if (fd < 0) return fail(ErrorCode::Internal, u"libcoap was built without epoll support"_s);
        m_notifier = std::make_unique<QSocketNotifier>(fd, QSocketNotifier::Read);
        connect(m_notifier.get(), &QSocketNotifier::activated, this, &CoapPost::pump);
        reschedule();
        return {};
    }

    void pump()
    {
        if (!m_ctx || m_finished) return;
        coap_io_process(m_ctx, COAP_IO_NO_WAIT);
        reschedule();
    }

    // Retransmissions and the ACK of a separate response are libcoap's timed work.
    void reschedule()
    {
        if (!m_ctx || m_finished) return;
        coap_tick_t now;
        coap_ticks(&now);
        const unsigned next = coap_io_prepare_epoll(m_ctx, now);
        m_timer.start(next ? int(next) : 1000);
    }

    void finish(Result<void> result)
    {
        if (m_finished) return;
        m_finished = true;
        m_timer.stop();
        if (m_notifier) m_notifier->setEnabled(false);
        m_pending.finish(std::move(result));
        deleteLater(); // not now: this may run inside coap_io_process
    }

    static coap_response_t onResponse(coap_session_t *session, const coap_pdu_t *, const coap_pdu_t *received,
                                      const coap_mid_t)
    {
        auto *self = static_cast<CoapPost *>(coap_session_get_app_data(session));
        const int code = int(coap_pdu_get_code(received));
        if (!self || code == 0) return COAP_RESPONSE_OK; // the empty ACK before the adapter's separate response
        const int klass = code >> 5, detail = code & 0x1f;
        if (klass == 2) {
            self->finish({});
            return COAP_RESPONSE_OK;
        }
        size_t length = 0;
        const uint8_t *data = nullptr;
        QString diagnostic;
        if (coap_get_data(received, &length, &data))
            diagnostic = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(length));
        const QString status = u"%1.%2"_s.arg(klass).arg(qlonglong(detail), 2, 10, QChar(u'0'));
        self->finish(fail(errorFor(klass, detail), diagnostic.isEmpty() ? u"the CoAP adapter answered %1"_s.arg(status)
                                                                        : u"%1 (CoAP %2)"_s.arg(diagnostic, status)));
        return COAP_RESPONSE_OK;
    }

    static void onNack(coap_session_t *session, const coap_pdu_t *, const coap_nack_reason_t reason, const coap_mid_t)
    {
        auto *self = static_cast<CoapPost *>(coap_session_get_app_data(session));
        if (!self) return;
        const QString where = u"%1:%2"_s.arg(self->m_target.host).arg(self->m_target.port);
        switch (reason) {
        case COAP_NACK_RST:
            return self->finish(fail(ErrorCode::Unavailable, u"the CoAP server at %1 reset the request"_s.arg(where)));
        case COAP_NACK_TOO_MANY_RETRIES:
            return self->finish(fail(ErrorCode::Unavailable, u"no answer from the CoAP adapter at %1"_s.arg(where)));
        case COAP_NACK_TLS_FAILED: // the adapter refuses a PSK identity or key it does not know
            return self->finish(fail(ErrorCode::Unauthenticated,
                                     u"the DTLS handshake with %1 failed: the adapter did not accept this thing's id "
                                     "and key"_s.arg(where)));
        default:
            return self->finish(fail(ErrorCode::Unavailable, u"cannot reach the CoAP adapter at %1"_s.arg(where)));
        }
    }

    // The DTLS session: made (the key was accepted), or refused by an alert (most refusals are silence, see above).
    static int onEvent(coap_session_t *session, const coap_event_t event)
    {
        auto *self = static_cast<CoapPost *>(coap_session_get_app_data(session));
        if (!self) return 0;
        if (event == COAP_EVENT_DTLS_CONNECTED) self->m_dtlsConnected = true;
        if (event == COAP_EVENT_DTLS_ERROR && !self->m_dtlsConnected)
            self->finish(fail(ErrorCode::Unauthenticated, u"the CoAP adapter at %1:%2 refused the DTLS handshake with "
                                                          "this thing's id and key"_s.arg(self->m_target.host)
                                                              .arg(self->m_target.port)));
        return 0;
    }

    Pending<void> m_pending;
    DeviceTarget m_target;
    QByteArray m_payload;
    QByteArray m_identity, m_key; // DTLS PSK: the thing's id and key, alive as long as the session
    coap_context_t *m_ctx = nullptr;
    coap_session_t *m_session = nullptr;
    std::unique_ptr<QSocketNotifier> m_notifier;
    QTimer m_timer;
    bool m_finished = false;
    bool m_dtlsConnected = false;
};

} // namespace

Pending<void> publishOverCoap(const DeviceTarget &target, const QByteArray &payload)
{
    Pending<void> pending;
    auto *post = new CoapPost(pending, target, payload);
    post->start();
    return pending;
}

} // namespace mf::client
