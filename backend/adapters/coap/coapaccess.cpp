// Who a request speaks for: the thing key in the query or the DTLS session's pre-shared key, and the lockout of
// addresses that sent too many wrong keys.
#include "adapters/ingest/ingest.h"
#include "api/keyfailurelimits.h"
#include "api/metrics.h"
#include "coapinternal.h"
#include "coaprequest.h"

#include <QHostAddress>
#include <sodium.h>

using namespace Qt::StringLiterals;

namespace mf::adapters {

using namespace coap;

namespace {

constexpr size_t MaxPskIdentity = 128; // a thing id is a UUID; OpenSSL's own limit is 128 bytes

bool sameSecret(const QByteArray &a, const uint8_t *b, size_t length)
{
    return b && size_t(a.size()) == length && sodium_memcmp(a.constData(), b, length) == 0;
}

} // namespace

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

void CoapAdapter::reportRefusal(const coap_session_t *session, const QString &channelId, const coap_string_t *query,
                                const Error &error, const coap_pdu_t *request)
{
    QString thing;
    if (isPskSession(session)) {
        thing = pskIdentity(session); // the handshake proved it (with the key the thing had then)
    } else if (error.code != ErrorCode::Unauthenticated) {
        if (auto key = keyFromQuery(query); key)
            if (auto known = m_access.identify(*key); known) thing = *known; // a right key on the wrong channel
    }
    size_t length = 0;
    const uint8_t *data = nullptr;
    QByteArray payload;
    if (request && coap_get_data(request, &length, &data)) // one block of a block-wise upload at most: its head
        payload = QByteArray(reinterpret_cast<const char *>(data), qsizetype(std::min<size_t>(length, 4096)));
    m_ingest.report({0, channelId, thing, u"coap"_s, clientAddress(session, false), error.message, payload, 0});
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

} // namespace mf::adapters
