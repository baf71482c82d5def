#pragma once

#include "signinlimits.h"
#include "usersservice.h"

#include "api/apirequest.h"
#include "api/router.h"

namespace mf::users {

// /users, /tokens, /password routes (Mainflux 0.7 shapes plus /users/me and administration). With `limits`, failed
// sign-ins are counted and POST /tokens answers 429 past them (signinlimits.h); it must outlive the router.
void addUsersRoutes(api::Router &router, UsersService &service, SignInLimits *limits = nullptr);

// The user behind the request's Authorization header (raw token or "Bearer <token>").
Result<User> authenticate(UsersService &service, const api::ApiRequest &request);

} // namespace mf::users
