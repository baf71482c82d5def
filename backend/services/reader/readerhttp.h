#pragma once

#include "api/router.h"
#include "services/things/accesscontrol.h"
#include "storage/repositories.h"

#include <functional>

namespace mf::reader {

// Says whether the request's user token belongs to the owner of the channel: the user's id, or an error
// (Unauthenticated when the credential is not a user token at all, NotFound when it is not their channel).
using ChannelOwnerCheck = std::function<Result<QString>(const api::ApiRequest &request, const QString &channelId)>;

// GET /channels/{id}/messages: the channel's stored messages, newest first, for the channel owner's token or the
// key of a thing connected to it. Filters: from, to (seconds), name, publisher, subtopic, protocol; paging with
// offset and limit (1..1000).
void addReaderRoutes(api::Router &router, storage::MessageRepository &messages, things::AccessControl &access,
                     ChannelOwnerCheck ownerCheck);

} // namespace mf::reader
