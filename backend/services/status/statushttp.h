#pragma once

#include "api/router.h"
#include "services/things/thingshttp.h"
#include "storage/statusrepositories.h"

namespace mf::status {

// GET /things/{id}/status (the thing's status and its history of online/offline changes, newest first),
// GET /things/{id}/latest and GET /channels/{id}/latest (the last value of every SenML name, in the reader's message
// shape), GET /things/{id}/refusals and GET /channels/{id}/refusals (refused messages, newest first, with the reason
// and the payload's first bytes) for the owner's user token. Another user's thing or channel is 404, like an unknown
// one.
// A refusal as REST and the event stream show it: the payload's head as text when it is UTF-8, else base64.
QJsonObject refusalJson(const Refusal &refusal);

void addStatusRoutes(api::Router &router, things::ThingsService &things, storage::ThingStatusRepository &statuses,
                     storage::LatestValueRepository &latest, storage::RefusalRepository &refusals,
                     things::Authenticator authenticate);

} // namespace mf::status
