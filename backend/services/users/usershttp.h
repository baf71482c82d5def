#pragma once

#include "usersservice.h"

#include "api/apirequest.h"
#include "api/router.h"

namespace mf::users {

// /users, /tokens, /password routes (Mainflux 0.7 shapes plus /users/me and administration).
void addUsersRoutes(api::Router &router, UsersService &service);

// The user behind the request's Authorization header (raw token or "Bearer <token>").
Result<User> authenticate(UsersService &service, const api::ApiRequest &request);

} // namespace mf::users
