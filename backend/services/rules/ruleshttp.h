#pragma once

#include "api/router.h"
#include "services/things/thingshttp.h"
#include "storage/rulerepositories.h"

#include <functional>

namespace mf::rules {

// Called after a rule was created, changed or removed (owner, rule id), so that the rules service learns it (the
// backend publishes it on `events.rules`).
using RuleChanged = std::function<void(const QString &owner, const QString &ruleId)>;

// POST/GET /rules, GET/PUT/DELETE /rules/{id}, GET /alerts (?state=firing|cleared, ?rule=, offset, limit) and
// POST /alerts/{id}/ack, for the owner's user token (docs/fleet.md "Alerts" has the JSON). A rule's channel, notify
// channel and publisher must be the owner's (404 like an unknown one); another user's rule or alert is 404.
void addRulesRoutes(api::Router &router, things::ThingsService &things, storage::RuleRepository &rules,
                    things::Authenticator authenticate, int maxRulesPerOwner, RuleChanged changed);

} // namespace mf::rules
