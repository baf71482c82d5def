#pragma once

#include "api/keyfailurelimits.h"
#include "block1uploads.h"
#include "bus/envelope.h"
#include "bus/natsconnection.h"
#include "core/error.h"
#include "services/things/accesscontrol.h"
#include "services/things/thingsevent.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QSet>
#include <QTimer>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

struct coap_context_t;
struct coap_resource_t;
struct coap_session_t;
struct coap_pdu_t;
struct coap_string_t;
struct coap_bin_const_t;

class QSocketNotifier;

namespace mf::api {
class Metrics;
}

namespace mf::adapters {

class Ingest;
struct Submission;
struct CoapCallbacks;

// The CoAP message adapter (RFC 7252 over UDP, Observe RFC 7641, block-wise RFC 7959), on libcoap 4.3.1.
//
//   POST coap://host:port/channels/{id}/messages[/{subtopic...}]?authorization=<thing key>   publish
//   GET  coap://host:port/channels/{id}/messages?authorization=<thing key>  with Observe: 0  subscribe
//
// Over DTLS (coaps://) a device either sends its key in the query as above (server certificate only), or makes the
// DTLS session with a pre-shared key: PSK identity = thing id, PSK = thing key. The key is looked up through
// AccessControl::keyOf (CachedAccessControl: one question to the things service per thing, forgotten when its key
// changes); a request on such a session speaks for that thing and needs no ?authorization= (one given must be the
// same thing's key). Every request re-checks that the session's key is still the thing's key, so a rotated key or a
// removed thing ends what an open session may do at once. Certificates and PSK share the DTLS port.
//
// Block-wise uploads (Block1) are reassembled by the adapter (block1uploads.h says why not by libcoap): in order,
// bounded in size, in number per client address and in time. Block2 (large notifications) stays with libcoap.
//
// A CON publish sent again with the same message id from the same endpoint (RFC 7252 §4.5: its ACK or 2.04 was lost)
// is the same publish: while it waits for the stream it gets an empty ACK again, afterwards the same answer for
// EXCHANGE_LIFETIME (247 s, at most MaxAnsweredExchanges remembered); it is never published twice.
//
// Publishing answers 2.04 only once the message is in the durable stream: the request is parked with libcoap's
// async API (coap_register_async) — a CON request gets an empty ACK at once and the 2.04 as a separate response
// when the stream acks; nothing blocks the event loop.
// Every channel has a libcoap resource (the unknown resource cannot be observed), created from the store at start
// and kept current from ThingsEvents. Observers of one channel share one NATS subscription; each bus message is
// one notification round in which libcoap re-invokes the GET handler per observer with its original query, so
// access is checked on every notification.
//
// Code: one concern a file (coapadapter.cpp the context and loop, coappublish.cpp, coapobserve.cpp, coapchannels.cpp,
// coapaccess.cpp), sharing coapinternal.h.
//
// Access lost during a notification (a rotated key, a removed or disconnected thing) ends the observation with a
// 4.01/4.03 that the adapter sends itself once libcoap has returned, and libcoap drops the client endpoint's
// observations (coap_session_disconnected; any other observation of that endpoint is told 5.03, register again).
// The GET handler never answers a notification with 4.xx: libcoap 4.3.1 frees the observation when it does and then
// reads it (coap_notify_observers: obs->session after coap_delete_observer; fixed upstream after 4.3.1, obgm/libcoap
// PR 974), which crashed the backend when the freed memory had been reused.
//
// Threading: lives on the thread that created it (it needs an event loop); libcoap is driven from that loop with
// its epoll fd (QSocketNotifier) and a timer from coap_io_prepare_epoll. Not thread-safe.
class CoapAdapter final : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        qint64 maxBody = 1024 * 1024; // 4.13 above
        // Every notification round older than this sends CON notifications once, so observers that went away
        // without a word are found (RFC 7641 §4.5) and dropped after libcoap's retransmissions fail.
        int conNotifyIntervalMs = 30'000;
        // An unfinished block-wise upload is dropped this long after its last block (RFC 7252's EXCHANGE_LIFETIME
        // is 247 s; a device sends its next block within seconds).
        int uploadTimeoutMs = 30'000;
        int maxUploadsPerClient = 4;               // unfinished block-wise uploads per client IP address; 4.29 above
        qint64 maxUploadBuffer = 64 * 1024 * 1024; // bytes of unfinished uploads over all clients; 5.03 above
        int maxObserversPerClient = 64;            // Observe registrations per client IP address; 4.29 above
        bool udp = true;                           // false: no plaintext endpoint (listen()'s port is unused)
        // Set: CoAP over DTLS (coaps://) on this UDP port (0 = any free port) with the PEM certificate and key
        // (checked by the backend before); devices authenticate with their thing key as on plain CoAP, or with a
        // pre-shared key (identity = thing id, key = thing key) on the same port.
        std::optional<quint16> dtlsPort;
        QString certFile;
        QString keyFile;
        // Wrong keys counted per client address; past MF_KEY_FAILURES a request gets 4.29 Too Many Requests
        // (RFC 8516) with Max-Age = seconds to wait. Not owned; null = no limit.
        api::KeyFailureLimits *keyFailures = nullptr;
        // MF_COAP_MAX_SESSIONS: client sessions (one per client address and port, DTLS handshakes included)
        // libcoap keeps while idle; one more removes the least recently used idle one. 0 = unbounded.
        int maxSessions = 10'000;
    };
    // Lists every channel id in the store; called at start and when an owner's channels went away at once.
    using ChannelLister = std::function<Result<QStringList>()>;

    CoapAdapter(things::AccessControl &access, bus::NatsConnection &nats, api::Metrics &metrics, Ingest &ingest,
                ChannelLister channels, Options options, QObject *parent = nullptr);
    ~CoapAdapter() override;
    Q_DISABLE_COPY_MOVE(CoapAdapter)

    // Binds the UDP endpoint (port 0 = any free port) and creates the channel resources. Returns the bound port.
    Result<quint16> listen(const QHostAddress &host, quint16 port);
    quint16 port() const { return m_port; }         // 0 without the plaintext endpoint
    quint16 dtlsPort() const { return m_dtlsPort; } // 0 without DTLS
    int observerCount() const;

    void onThingsEvent(const mf::things::ThingsEvent &event);

private:
    struct Channel;
    struct PendingPublish;
    struct Round;
    struct Refusal;
    struct Answer
    {
        int code = 0; // coap_pdu_code_t
        QString diagnostic;
    };

    friend struct CoapCallbacks; // the libcoap callbacks

    // The libcoap context, its endpoints and the loop driven from Qt (coapadapter.cpp).
    void handleRequest(coap_resource_t *resource, coap_session_t *session, const coap_pdu_t *request,
                       const coap_string_t *query, coap_pdu_t *response);
    Result<quint16> addEndpoint(const QHostAddress &host, quint16 port, bool dtls);
    void pump();
    void reschedule();
    // coap_io_prepare_epoll: libcoap's due work (notification rounds, separate responses, retransmissions, idle
    // sessions); a GET handler call in here is a notification. Milliseconds to the next due work (0: none).
    unsigned prepareIo();
    void sessionsChanged(int delta); // mf_coap_sessions
    void count(const QByteArray &result);

    // Publishing (coappublish.cpp). post() runs the steps below; a step that ends the request has set the response.
    void post(coap_session_t *session, const coap_pdu_t *request, const coap_string_t *query, coap_pdu_t *response);
    // libcoap's second call for a parked publish (the 2.04 or 5.03), or the device's copy of it meanwhile.
    bool answerParked(coap_session_t *session, const coap_pdu_t *request, const QByteArray &exchange,
                      coap_pdu_t *response);
    // A retransmission of a publish answered already: the same answer again.
    bool answerAgain(const QByteArray &exchange, coap_pdu_t *response);
    // Path, key, lockout, access and subtopic: the submission without its payload, or nullopt (answered).
    std::optional<Submission> admitPublish(coap_session_t *session, const coap_pdu_t *request,
                                           const coap_string_t *query, coap_pdu_t *response);
    // The payload (whole, or assembled from Block1 blocks) and its content type; false when answered.
    bool readPayload(coap_session_t *session, const coap_pdu_t *request, const coap_string_t *query,
                     Submission &submission, coap_pdu_t *response);
    // Parks the request until the stream acked the envelope (then answerParked() answers it).
    void park(coap_session_t *session, const coap_pdu_t *request, const QByteArray &exchange,
              const bus::Envelope &envelope, coap_pdu_t *response);
    // One Block1 block (option: its coap_opt_t): the whole body once the last block is in; nullopt when the response
    // is set (2.31 or 4.xx).
    std::optional<coap::Block1Uploads::Outcome> receiveBlock(coap_session_t *session, const coap_pdu_t *request,
                                                             const coap_string_t *query, const uint8_t *option,
                                                             std::optional<unsigned> format, coap_pdu_t *response);
    void sweepUploads();
    // Answered CON publishes by exchange (client address:port + message id), for retransmissions; oldest first.
    void remember(const QByteArray &exchange, Answer answer);

    // Observe (coapobserve.cpp).
    void get(coap_resource_t *resource, coap_session_t *session, const coap_pdu_t *request, const coap_string_t *query,
             coap_pdu_t *response);
    int observersOf(const QString &client) const;
    void notify(const QString &channelId, const bus::Envelope *message);
    void deliver(const QByteArray &data);
    void ensureSubscribed(Channel &channel, const QString &channelId);
    void sessionGone(coap_session_t *session);
    void updateGauge();
    // The observations refused during notifications: their 4.xx, and libcoap drops their endpoints' observations.
    // Runs only outside libcoap (m_depth == 0).
    void endRefusedObservations();
    void sendFinal(coap_session_t *session, const QByteArray &token, int code, const QString &diagnostic);
    // Tells SessionPresence which observations of the channel began and ended since the last call: an observing
    // thing is online (last_protocol coap) until its last observation ends. `gone`: the channel went away.
    void reportObservers(Channel &channel, bool gone = false);

    // One resource per channel (coapchannels.cpp).
    void addChannel(const QString &id);
    void removeChannel(const QString &id);
    void resync();
    void revalidate(const QString &channelId);

    // Who a request speaks for (coapaccess.cpp).
    // 4.29 with Max-Age when the session's address is locked out for wrong keys (answered: true).
    bool refuseLockedOut(const coap_session_t *session, coap_pdu_t *response);
    void keyFailed(const coap_session_t *session);
    // The thing a request speaks for, if it may use the channel: the DTLS PSK identity of its session, else the
    // ?authorization= key.
    Result<QString> authorize(const coap_session_t *session, const QString &channelId, const coap_string_t *query);
    // A request refused before ingest, kept for the channel's owner (and the thing's, when its key or DTLS identity
    // names one) with the reason and the client's address, like a refused HTTP publish. Never the key.
    void reportRefusal(const coap_session_t *session, const QString &channelId, const coap_string_t *query,
                       const Error &error, const coap_pdu_t *request);
    // The pre-shared key for a DTLS handshake naming `identity` (a thing id); null refuses the handshake. Called by
    // libcoap from inside coap_io_process; the answer stays valid until the next call (libcoap copies it).
    const coap_bin_const_t *pskFor(const coap_bin_const_t *identity, const coap_session_t *session);

    things::AccessControl &m_access;
    bus::NatsConnection &m_nats;
    api::Metrics &m_metrics;
    Ingest &m_ingest;
    ChannelLister m_listChannels;
    Options m_options;
    int m_sessions = 0;

    coap_context_t *m_ctx = nullptr;
    std::unique_ptr<QSocketNotifier> m_notifier;
    QTimer m_timer;
    quint16 m_port = 0;
    quint16 m_dtlsPort = 0;
    QByteArray m_certPath; // libcoap reads these for every DTLS session
    QByteArray m_keyPath;
    QByteArray m_pskKey; // the last PSK handed to libcoap (pskFor)
    QHash<QString, std::shared_ptr<Channel>> m_channels;
    QHash<quint64, std::shared_ptr<PendingPublish>> m_pending;
    QHash<QByteArray, Answer> m_answered;
    std::deque<std::pair<qint64, QByteArray>> m_answeredOrder; // (answered at, ms since epoch; exchange)
    quint64 m_nextPending = 0;
    coap::Block1Uploads m_uploads;
    QTimer m_uploadSweep;
    Round *m_round = nullptr;       // set while a notification round runs the GET handlers
    int m_depth = 0;                // > 0 while libcoap runs (rounds must not start from inside it)
    bool m_notifying = false;       // libcoap runs coap_io_prepare_epoll: GET handler calls are notifications
    std::vector<Refusal> m_refused; // refused in notifications, ended by endRefusedObservations()
};

} // namespace mf::adapters
