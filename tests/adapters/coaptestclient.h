#pragma once

// A small libcoap client for the CoAP adapter tests: sends requests, records every response and notification.
// Single-threaded: waitFor() alternates libcoap's I/O with the Qt event loop that runs the in-process backend.

#include <QByteArray>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QList>
#include <chrono>
#include <coap3/coap.h>
#include <cstring>
#include <functional>
#include <optional>

namespace mf::testing {

struct CoapReply
{
    int code = 0; // class * 100 + detail: 204, 401, ...
    coap_pdu_type_t type = COAP_MESSAGE_ACK;
    std::optional<unsigned> contentFormat;
    std::optional<unsigned> observe;
    QByteArray token;
    QByteArray payload;
    std::chrono::steady_clock::time_point receivedAt;
};

class CoapTestClient final
{
public:
    explicit CoapTestClient(quint16 port) : CoapTestClient(port, {}, {}) {}
    // With an identity: CoAP over DTLS with that pre-shared key (the adapter's PSK: thing id and thing key).
    CoapTestClient(quint16 port, const QByteArray &pskIdentity, const QByteArray &pskKey)
        : m_identity(pskIdentity), m_key(pskKey)
    {
        coap_startup();
        m_ctx = coap_new_context(nullptr);
        coap_set_app_data(m_ctx, this);
        coap_context_set_block_mode(m_ctx, COAP_BLOCK_USE_LIBCOAP | COAP_BLOCK_SINGLE_BODY);
        coap_register_response_handler(m_ctx, &CoapTestClient::onResponse);
        coap_address_t dst;
        coap_address_init(&dst);
        dst.addr.sin.sin_family = AF_INET;
        dst.addr.sin.sin_addr.s_addr = htonl(0x7f000001);
        dst.addr.sin.sin_port = htons(port);
        dst.size = sizeof(dst.addr.sin);
        if (m_identity.isEmpty()) {
            m_session = coap_new_client_session(m_ctx, nullptr, &dst, COAP_PROTO_UDP);
            return;
        }
        coap_dtls_cpsk_t psk;
        memset(&psk, 0, sizeof psk);
        psk.version = COAP_DTLS_CPSK_SETUP_VERSION;
        psk.psk_info.identity = {size_t(m_identity.size()), reinterpret_cast<const uint8_t *>(m_identity.constData())};
        psk.psk_info.key = {size_t(m_key.size()), reinterpret_cast<const uint8_t *>(m_key.constData())};
        m_session = coap_new_client_session_psk2(m_ctx, nullptr, &dst, COAP_PROTO_DTLS, &psk);
    }
    ~CoapTestClient()
    {
        coap_session_release(m_session);
        coap_free_context(m_ctx);
    }
    Q_DISABLE_COPY_MOVE(CoapTestClient)

    struct Request
    {
        coap_pdu_code_t method = COAP_REQUEST_CODE_POST;
        QByteArray path;  // "channels/x/messages"
        QByteArray query; // "authorization=KEY"; empty: none
        QByteArray payload;
        std::optional<unsigned> contentFormat;
        std::optional<unsigned> observe;
        bool confirmable = true;
        QList<QPair<unsigned, QByteArray>> extraOptions;
    };

    // Returns the token of the request.
    QByteArray send(const Request &r)
    {
        coap_pdu_t *pdu = coap_pdu_init(r.confirmable ? COAP_MESSAGE_CON : COAP_MESSAGE_NON, r.method,
                                        coap_new_message_id(m_session), coap_session_max_pdu_size(m_session));
        uint8_t token[8];
        size_t tokenLength = 0;
        coap_session_new_token(m_session, &tokenLength, token);
        coap_add_token(pdu, tokenLength, token);
        coap_optlist_t *options = nullptr;
        uint8_t buf[4];
        if (r.observe)
            coap_insert_optlist(&options, coap_new_optlist(COAP_OPTION_OBSERVE,
                                                           coap_encode_var_safe(buf, sizeof buf, *r.observe), buf));
        for (const QByteArray &segment : r.path.split('/'))
            coap_insert_optlist(&options, coap_new_optlist(COAP_OPTION_URI_PATH, size_t(segment.size()),
                                                           reinterpret_cast<const uint8_t *>(segment.constData())));
        if (r.contentFormat)
            coap_insert_optlist(&options,
                                coap_new_optlist(COAP_OPTION_CONTENT_FORMAT,
                                                 coap_encode_var_safe(buf, sizeof buf, *r.contentFormat), buf));
        if (!r.query.isEmpty())
            for (const QByteArray &part : r.query.split('&'))
                coap_insert_optlist(&options, coap_new_optlist(COAP_OPTION_URI_QUERY, size_t(part.size()),
                                                               reinterpret_cast<const uint8_t *>(part.constData())));
        for (const auto &[number, value] : r.extraOptions)
            coap_insert_optlist(&options, coap_new_optlist(number, size_t(value.size()),
                                                           reinterpret_cast<const uint8_t *>(value.constData())));
        coap_add_optlist_pdu(pdu, &options);
        coap_delete_optlist(options);
        if (!r.payload.isEmpty()) {
            auto *copy = new QByteArray(r.payload);
            coap_add_data_large_request(
                m_session, pdu, size_t(copy->size()), reinterpret_cast<const uint8_t *>(copy->constData()),
                [](coap_session_t *, void *p) { delete static_cast<QByteArray *>(p); }, copy);
        }
        coap_send(m_session, pdu);
        return QByteArray(reinterpret_cast<const char *>(token), qsizetype(tokenLength));
    }

    // Ends the observation made with this token (RFC 7641 §3.6: a GET with Observe: 1), the way coap-client does:
    // libcoap sends the token the server saw (with block-wise transfers on, it is not the one send() returned). False
    // when libcoap knows no such observation.
    bool cancelObservation(const QByteArray &token)
    {
        QByteArray copy = token;
        coap_binary_t t{size_t(copy.size()), reinterpret_cast<uint8_t *>(copy.data())};
        return coap_cancel_observe(m_session, &t, COAP_MESSAGE_CON) != 0;
    }

    // Runs libcoap and the Qt loop until pred() holds or the time is up.
    bool waitFor(const std::function<bool()> &pred, int timeoutMs = 5000)
    {
        QElapsedTimer timer;
        timer.start();
        while (!pred()) {
            if (timer.elapsed() > timeoutMs) return false;
            coap_io_process(m_ctx, 1);
            QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        }
        return true;
    }
    void spin(int ms)
    {
        waitFor([] { return false; }, ms);
    }

    // Sends and waits for the (final) response with this token.
    std::optional<CoapReply> call(const Request &r, int timeoutMs = 5000)
    {
        const QByteArray token = send(r);
        std::optional<CoapReply> reply;
        waitFor(
            [&] {
                for (const CoapReply &x : m_replies)
                    if (x.token == token) {
                        reply = x;
                        return true;
                    }
                return false;
            },
            timeoutMs);
        return reply;
    }

    coap_session_t *session() const { return m_session; }
    qsizetype replyCount() const { return m_replies.size(); }
    void clearReplies() { m_replies.clear(); }

    QList<CoapReply> repliesFor(const QByteArray &token) const
    {
        QList<CoapReply> out;
        for (const CoapReply &x : m_replies)
            if (x.token == token) out.append(x);
        return out;
    }

private:
    QByteArray m_identity, m_key; // libcoap keeps pointers to them
    static coap_response_t onResponse(coap_session_t *session, const coap_pdu_t *, const coap_pdu_t *received,
                                      const coap_mid_t)
    {
        auto *self = static_cast<CoapTestClient *>(coap_get_app_data(coap_session_get_context(session)));
        CoapReply reply;
        reply.receivedAt = std::chrono::steady_clock::now();
        const coap_pdu_code_t code = coap_pdu_get_code(received);
        reply.code = COAP_RESPONSE_CLASS(code) * 100 + (code & 0x1f);
        reply.type = coap_pdu_get_type(received);
        const coap_bin_const_t token = coap_pdu_get_token(received);
        reply.token = QByteArray(reinterpret_cast<const char *>(token.s), qsizetype(token.length));
        coap_opt_iterator_t it;
        if (const coap_opt_t *o = coap_check_option(received, COAP_OPTION_CONTENT_FORMAT, &it))
            reply.contentFormat = coap_decode_var_bytes(coap_opt_value(o), coap_opt_length(o));
        if (const coap_opt_t *o = coap_check_option(received, COAP_OPTION_OBSERVE, &it))
            reply.observe = coap_decode_var_bytes(coap_opt_value(o), coap_opt_length(o));
        size_t length = 0, offset = 0, total = 0;
        const uint8_t *data = nullptr;
        if (coap_get_data_large(received, &length, &data, &offset, &total))
            reply.payload = QByteArray(reinterpret_cast<const char *>(data), qsizetype(length));
        self->m_replies.append(reply);
        return COAP_RESPONSE_OK;
    }

    coap_context_t *m_ctx = nullptr;
    coap_session_t *m_session = nullptr;
    QList<CoapReply> m_replies;
};

} // namespace mf::testing
