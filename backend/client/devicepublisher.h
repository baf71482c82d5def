#pragma once

#include "pending.h"
#include "tlstrust.h"

#include <QString>

class QObject;

namespace mf::client {

// Where and as whom a test message is sent: a thing's id and key, a channel (and subtopic), and the adapter's host
// and port. The key is used to authenticate only (a header, the MQTT password, or for CoAP the URI query, which is
// how a CoAP device authenticates), never logged.
struct DeviceTarget
{
    QString host;
    int port = 0;
    QString channelId;
    QString subtopic; // "room1/temp"; empty: the channel
    QString thingId;
    QString thingKey;
    QString contentType;
    // The server's TLS ports (a server with MF_TLS_CERT): wss:// and MQTT over TLS, believed as `trust` says; CoAP
    // over DTLS with the thing's id and key as pre-shared key.
    bool tls = false;
    TlsTrust trust;
};

// Sends one message as a thing over the WebSocket adapter (ws:// or, with target.tls,
// wss://host:port/channels/<id>/messages[/<subtopic>], "Authorization: Thing <key>" and the content type as headers)
// and closes. The adapter answers a refused frame with {"error": "..."}; a frame without an answer within `answerMs`
// counts as accepted. A refused handshake (401, 403, 404) or an unreachable adapter fail with the reason. Threading:
// the caller's thread.
Pending<void> publishOverWebSocket(const DeviceTarget &target, const QByteArray &payload, int answerMs = 1000);

// Sends one message as a thing over MQTT 5 (tcp://host:port, or with target.tls MQTT over TLS through a TlsRelay
// that believes the server as target.trust says; username thing id, password key, QoS 1 to
// channels/<id>/messages[/<subtopic>], the content type as the MQTT 5 property) and disconnects. Success is the
// broker's PUBACK with reason code 0; a refused connection or a PUBACK reason code of 0x80 or more fail with it.
// Threading: Paho's blocking calls run on a thread of their own (at most 5 s each); the result is delivered on the
// caller's thread, which must run an event loop (the QCoreApplication's thread).
Pending<void> publishOverMqtt(const DeviceTarget &target, const QByteArray &payload);

// Sends one message as a thing over CoAP (with target.tls: coaps://, DTLS with the thing's id and key as pre-shared
// key; DTLS answers a wrong key with silence, so that fails after 10 s saying so): a confirmable POST to coap://host:port/channels/<id>/messages[/<subtopic>]
// with ?authorization=<key> and the Content-Format of the content type (one CoAP has no number for fails at once),
// in blocks when large. Success is a 2.xx answer (the adapter answers 2.04 once the message is on the bus); a 4.xx
// or 5.xx fails with the adapter's diagnostic text; no answer within 10 s fails too. Threading: the caller's thread,
// which must run an event loop (libcoap is driven from it).
Pending<void> publishOverCoap(const DeviceTarget &target, const QByteArray &payload);

} // namespace mf::client
