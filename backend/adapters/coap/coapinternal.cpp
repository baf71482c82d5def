#include "coapinternal.h"

#include <QHostAddress>
#include <cstring>

Q_LOGGING_CATEGORY(lcCoapAdapter, "mainflux.adapter.coap")

namespace mf::adapters::coap {

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

// A response code with an optional diagnostic payload (RFC 7252 §5.5.2: no Content-Format).
void respond(coap_pdu_t *response, coap_pdu_code_t code, const QString &diagnostic)
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

QByteArray tokenOf(const coap_pdu_t *request)
{
    const coap_bin_const_t token = coap_pdu_get_token(request);
    return QByteArray(reinterpret_cast<const char *>(token.s), qsizetype(token.length));
}

QByteArray observerKey(const coap_session_t *session, const QByteArray &token)
{
    const auto address = reinterpret_cast<quintptr>(session);
    return QByteArray(reinterpret_cast<const char *>(&address), sizeof address) + token;
}

QByteArray observerKey(const coap_session_t *session, const coap_pdu_t *request)
{
    return observerKey(session, tokenOf(request));
}

QByteArray tokenOfKey(const QByteArray &key)
{
    return key.mid(sizeof(quintptr));
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

} // namespace mf::adapters::coap
