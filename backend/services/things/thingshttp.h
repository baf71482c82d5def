#pragma once

#include "thingsservice.h"

#include "api/apirequest.h"
#include "api/router.h"

#include <functional>

namespace mf::things {

using Authenticator = std::function<Result<User>(const api::ApiRequest &)>;
using UserHandler = std::function<api::ApiResponse(const api::ApiRequest &, const User &)>;

// A route handler that authenticates the user first (an error answers at once) and then runs `handler`.
std::function<api::ApiResponse(const api::ApiRequest &)> withUser(Authenticator authenticate, UserHandler handler);

// /things, /channels, connections and key rotation (Mainflux 0.7 routes plus the 0.8–0.10 additions).
void addThingsRoutes(api::Router &router, ThingsService &service, Authenticator authenticate);

} // namespace mf::things
