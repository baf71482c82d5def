#include "ruleshttp.h"

#include "core/ids.h"
#include "rulejson.h"

#include <QDateTime>
#include <QJsonArray>

using namespace Qt::StringLiterals;
using mf::api::ApiRequest;
using mf::api::ApiResponse;
using Method = mf::api::Router::Method;

namespace mf::rules {

namespace {

// The entities a rule names must be the owner's; an unknown or foreign one is NotFound, named.
Result<void> checkOwned(things::ThingsService &things, const QString &owner, const storage::Rule &rule)
{
    if (auto channel = things.viewChannel(owner, rule.channel); !channel)
        return fail(channel.error().code, u"channel: "_s + channel.error().message);
    if (!rule.notifyChannel.isEmpty())
        if (auto channel = things.viewChannel(owner, rule.notifyChannel); !channel)
            return fail(channel.error().code, u"notify_channel: "_s + channel.error().message);
    if (!rule.publisher.isEmpty())
        if (auto thing = things.viewThing(owner, rule.publisher); !thing)
            return fail(thing.error().code, u"publisher: "_s + thing.error().message);
    return {};
}

Result<storage::Rule> ruleFromRequest(const ApiRequest &req, things::ThingsService &things, const QString &owner,
                                      const storage::Rule &base)
{
    auto body = req.jsonObjectBody();
    if (!body) return std::unexpected(body.error());
    auto rule = ruleFromJson(*body, base);
    if (!rule) return rule;
    if (auto owned = checkOwned(things, owner, *rule); !owned) return std::unexpected(owned.error());
    return rule;
}

QJsonObject pageJson(qint64 total, qint64 offset, qint64 limit, const QString &field, const QJsonArray &items)
{
    return QJsonObject{{u"total"_s, total}, {u"offset"_s, offset}, {u"limit"_s, limit}, {field, items}};
}

} // namespace

void addRulesRoutes(api::Router &router, things::ThingsService &things, storage::RuleRepository &rules,
                    things::Authenticator authenticate, int maxRulesPerOwner, RuleChanged changed)
{
    const auto withUser = [authenticate](things::UserHandler handler) {
        return things::withUser(authenticate, std::move(handler));
    };
    router.add(Method::Post, u"/rules"_s,
               withUser([&things, &rules, maxRulesPerOwner, changed](const ApiRequest &req, const User &user) {
                   auto rule = ruleFromRequest(req, things, user.id, storage::Rule{});
                   if (!rule) return ApiResponse::error(rule.error());
                   rule->id = newId();
                   rule->owner = user.id;
                   rule->createdAt = rule->updatedAt = QDateTime::currentMSecsSinceEpoch();
                   if (auto created = rules.create(*rule, maxRulesPerOwner); !created)
                       return ApiResponse::error(created.error());
                   changed(user.id, rule->id);
                   return ApiResponse::json(toJson(*rule), 201).withHeader("Location", "/rules/" + rule->id.toLatin1());
               }));
    router.add(Method::Get, u"/rules"_s, withUser([&rules](const ApiRequest &req, const User &user) {
                   auto query = req.pageQuery();
                   if (!query) return ApiResponse::error(query.error());
                   auto page = rules.list(user.id, *query, req.query(u"channel"_s));
                   if (!page) return ApiResponse::error(page.error());
                   QJsonArray items;
                   for (const storage::Rule &r : page->items)
                       items.append(toJson(r));
                   return ApiResponse::json(pageJson(page->total, page->offset, page->limit, u"rules"_s, items));
               }));
    router.add(Method::Get, u"/rules/{id}"_s, withUser([&rules](const ApiRequest &req, const User &user) {
                   auto rule = rules.view(user.id, req.param(u"id"_s));
                   return rule ? ApiResponse::json(toJson(*rule)) : ApiResponse::error(rule.error());
               }));
    router.add(Method::Put, u"/rules/{id}"_s,
               withUser([&things, &rules, changed](const ApiRequest &req, const User &user) {
                   auto stored = rules.view(user.id, req.param(u"id"_s));
                   if (!stored) return ApiResponse::error(stored.error());
                   auto rule = ruleFromRequest(req, things, user.id, *stored);
                   if (!rule) return ApiResponse::error(rule.error());
                   rule->updatedAt = QDateTime::currentMSecsSinceEpoch();
                   if (auto updated = rules.update(*rule); !updated) return ApiResponse::error(updated.error());
                   changed(user.id, rule->id);
                   return ApiResponse::json(toJson(*rule));
               }));
    router.add(Method::Delete, u"/rules/{id}"_s, withUser([&rules, changed](const ApiRequest &req, const User &user) {
                   const QString id = req.param(u"id"_s);
                   if (auto removed = rules.remove(user.id, id); !removed) return ApiResponse::error(removed.error());
                   changed(user.id, id);
                   return ApiResponse::empty(204);
               }));
    router.add(Method::Get, u"/alerts"_s, withUser([&rules](const ApiRequest &req, const User &user) {
                   auto page = req.pageQuery();
                   if (!page) return ApiResponse::error(page.error());
                   storage::AlertQuery query{page->offset, page->limit, req.query(u"state"_s), req.query(u"rule"_s)};
                   if (!query.state.isEmpty() && query.state != "firing"_L1 && query.state != "cleared"_L1)
                       return ApiResponse::error(ErrorCode::Malformed, u"state: must be \"firing\" or \"cleared\""_s);
                   auto alerts = rules.alerts(user.id, query);
                   if (!alerts) return ApiResponse::error(alerts.error());
                   QJsonArray items;
                   for (const storage::Alert &a : alerts->items)
                       items.append(toJson(a));
                   return ApiResponse::json(pageJson(alerts->total, alerts->offset, alerts->limit, u"alerts"_s, items));
               }));
    router.add(Method::Post, u"/alerts/{id}/ack"_s, withUser([&rules](const ApiRequest &req, const User &user) {
                   bool ok = false;
                   const qint64 id = req.param(u"id"_s).toLongLong(&ok);
                   if (!ok || id <= 0) return ApiResponse::error(ErrorCode::NotFound, u"alert not found"_s);
                   auto alert = rules.ackAlert(user.id, id, QDateTime::currentMSecsSinceEpoch());
                   return alert ? ApiResponse::json(toJson(*alert)) : ApiResponse::error(alert.error());
               }));
}

} // namespace mf::rules
