#pragma once

// Shared by the CoAP adapter's files (coapadapter.cpp: the libcoap context and loop; coappublish.cpp: publishes,
// parked until the stream acks; coapobserve.cpp: Observe and notification rounds; coapchannels.cpp: one resource per
// channel, kept in step with ThingsEvents; coapaccess.cpp: keys, DTLS pre-shared keys and lockouts). Internal: not
// included outside this folder.

#include "bus/natsconnection.h"
#include "coapadapter.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QSet>
#include <QString>
#include <coap3/coap.h>

Q_DECLARE_LOGGING_CATEGORY(lcCoapAdapter)

namespace mf::adapters::coap {

// True for a DTLS session made with a pre-shared key (libcoap records the identity the client gave).
bool isPskSession(const coap_session_t *session);
QString pskIdentity(const coap_session_t *session);

// A response code with an optional diagnostic payload (RFC 7252 §5.5.2: no Content-Format).
void respond(coap_pdu_t *response, coap_pdu_code_t code, const QString &diagnostic = {});
coap_pdu_code_t codeFor(ErrorCode code);

// An observation: the session's address and the request's token.
QByteArray observerKey(const coap_session_t *session, const coap_pdu_t *request);
QByteArray observerKey(const coap_session_t *session, const QByteArray &token);
QByteArray tokenOf(const coap_pdu_t *request);
QByteArray tokenOfKey(const QByteArray &key);
const coap_session_t *sessionOfKey(const QByteArray &key);
bool isSessionKey(const QByteArray &key, const coap_session_t *session);

// The client's IP address (the unit every per-client limit counts), with ":port" for what one endpoint owns.
QString clientAddress(const coap_session_t *session, bool withPort);
// What identifies a CON request's retransmissions: the client endpoint and the message id. Empty for NON.
QByteArray exchangeOf(const coap_session_t *session, const coap_pdu_t *request);

} // namespace mf::adapters::coap

namespace mf::adapters {

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
            coap::respond(response, COAP_RESPONSE_CODE_SERVICE_UNAVAILABLE, QStringLiteral("shutting down"));
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
    bus::Subscription subscription;      // channel.<id>
    bus::Subscription subtopics;         // channel.<id>.>
    QSet<QByteArray> observers;          // session + token, refreshed by every notification round
    QHash<QByteArray, QString> things;   // observer → the thing it speaks for (set when it registered)
    QHash<QByteArray, quint64> presence; // observer → its open session (SessionPresence), for the thing's status
    QElapsedTimer sinceConNotification;  // RFC 7641 §4.5: a CON now and then finds observers that are gone
};

struct CoapAdapter::PendingPublish
{
    coap_session_t *session = nullptr; // referenced while pending
    QByteArray token;
    QByteArray exchange; // client address:port + message id of the request (libcoap's copy has a new one)
    bool done = false;
    Result<void> stored;
};

// An observation whose access was found gone inside a notification (the session is referenced until it is ended).
struct CoapAdapter::Refusal
{
    coap_session_t *session = nullptr;
    QByteArray token;
    QString channelId;
    int code = 0; // coap_pdu_code_t
    QString diagnostic;
};

struct CoapAdapter::Round
{
    QString channelId;
    const bus::Envelope *message = nullptr; // null: revalidation round (access changed), answered 2.03 Valid
    QSet<QByteArray> seen;
};

} // namespace mf::adapters
