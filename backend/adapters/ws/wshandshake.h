#pragma once

#include "core/error.h"

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QUrlQuery>
#include <optional>

// The WebSocket adapter's look at an upgrade request before the handshake: pure functions, no sockets, so the
// gate's decisions are tested without a network.
namespace mf::adapters::ws {

// The request line and header block of an HTTP/1.1 request (everything up to the blank line).
struct RequestHead
{
    QByteArray method;
    QString path; // still percent-encoded
    QUrlQuery query;
    QHash<QByteArray, QByteArray> headers; // lower-case names; repeated headers joined with ", "

    QByteArray header(const QByteArray &lowerName) const { return headers.value(lowerName); }
    bool isWebSocketUpgrade() const;
};

// RFC 6455 §4.2.1: an opening handshake needs Sec-WebSocket-Key, the base64 of 16 bytes, and
// Sec-WebSocket-Version. nullopt when both are right; else the status (400; 426 for a version other than 13,
// §4.4, answered with Sec-WebSocket-Version: 13) and the reason.
struct HandshakeRefusal
{
    int status = 400;
    QString message;
};
std::optional<HandshakeRefusal> checkWebSocketHeaders(const RequestHead &request);

// Malformed when the request line or a header line cannot be read.
Result<RequestHead> parseRequestHead(const QByteArray &head);

// /channels/{id}/messages[/{subtopic...}]: the channel id (decoded) and the raw subtopic tail (still encoded, for
// bus::normalizeSubtopic). nullopt for any other path.
struct Route
{
    QString channelId;
    QString rawSubtopic;
};
std::optional<Route> matchRoute(const QString &path);

// Who is connecting. `Authorization: Thing <key>` or a raw value without a scheme is tried as a thing key first;
// `Bearer <token>` is only a user token (the owner's read-only stream). The header wins over ?authorization=.
struct Credential
{
    enum class Kind { None, ThingKey, UserToken, KeyOrToken };
    Kind kind = Kind::None;
    QString secret;
};
Credential credentialOf(const RequestHead &request);

// What a connection sends its subscribers.
enum class FrameFormat { Raw, Envelope };
// ?format=raw (default) | envelope; Malformed otherwise.
Result<FrameFormat> frameFormatOf(const RequestHead &request);

// The content type of the frames this connection publishes: Content-Type header, else ?content-type=, else "".
QString contentTypeOf(const RequestHead &request);

} // namespace mf::adapters::ws
