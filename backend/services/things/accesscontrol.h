#pragma once

#include "core/error.h"

#include <QString>

namespace mf::things {

// The questions every adapter asks: may this thing key publish/subscribe on this channel, and how are messages
// on it read when they do not say?
// Implemented in-process (CachedAccessControl) or over NATS request/reply to the things service.
class AccessControl
{
public:
    virtual ~AccessControl() = default;
    // Thing id for a key: Unauthenticated when the key is unknown.
    virtual Result<QString> identify(const QString &key) = 0;
    // Thing id when the key's thing is connected to the channel: Unauthenticated for an unknown key,
    // Forbidden when not connected (or the channel does not exist: nothing is revealed).
    virtual Result<QString> canAccess(const QString &channelId, const QString &key) = 0;
    // Forbidden unless the thing is connected to the channel.
    virtual Result<void> canAccessById(const QString &channelId, const QString &thingId) = 0;
    // The thing's key, for CoAP over DTLS with a pre-shared key (identity = thing id, key = thing key).
    // Unauthenticated for an unknown thing. The answer is a secret: compare it in constant time, never log it.
    virtual Result<QString> keyOf(const QString &thingId) = 0;
    // The content type the channel's metadata names (`content_type`) for messages that name none; empty when it
    // names none or the channel does not exist (nothing is revealed). Unavailable when it cannot be learnt now.
    virtual Result<QString> contentTypeOf(const QString &channelId) = 0;
};

} // namespace mf::things
