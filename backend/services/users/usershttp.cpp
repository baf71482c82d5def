#include "usershttp.h"

#include "api/clientaddress.h"
#include "core/entitiesjson.h"

using namespace Qt::StringLiterals;
using mf::api::ApiRequest;
using mf::api::ApiResponse;
using Method = mf::api::Router::Method;

namespace mf::users {

namespace {

struct Credentials
{
    QString email;
    QString password;
};

Result<QString> stringField(const QJsonObject &body, QLatin1StringView field)
{
    const QJsonValue value = body.value(field);
    if (value.isUndefined() || value.isNull())
        return fail(ErrorCode::Malformed, field + u": missing"_s);
    if (!value.isString())
        return fail(ErrorCode::Malformed, field + u": must be a string"_s);
    return value.toString();
}

// Mainflux 0.7 decoded these case-insensitively ({"Email": ...}); accept both spellings.
Result<Credentials> credentials(const ApiRequest &request)
{
    auto body = request.jsonObjectBody();
    if (!body)
        return std::unexpected(body.error());
    QJsonObject lower;
    for (auto it = body->constBegin(); it != body->constEnd(); ++it)
        lower.insert(it.key().toLower(), it.value());
    auto email = stringField(lower, "email"_L1);
    if (!email)
        return std::unexpected(email.error());
    auto password = stringField(lower, "password"_L1);
    if (!password)
        return std::unexpected(password.error());
    return Credentials{email->trimmed(), *password};
}

// "/users/me/..." names the caller on every /users/{id} route.
QString targetId(const ApiRequest &request, const User &caller)
{
    const QString id = request.param(u"id"_s);
    return id == "me"_L1 ? caller.id : id;
}

ApiResponse userCreated(const User &user)
{
    return ApiResponse::json(json::toJson(user), 201).withHeader("Location", "/users/" + user.id.toLatin1());
}

} // namespace

Result<User> authenticate(UsersService &service, const ApiRequest &request)
{
    return service.identify(request.authorization());
}

void addUsersRoutes(api::Router &router, UsersService &service, SignInLimits *limits)
{
    // Routes that hash or verify a password answer later: the work runs on the service's thread pool.
    router.addAsync(Method::Post, u"/users"_s, [&service](const ApiRequest &req, api::DeferredReply reply) {
        // An administrator's token creates an account even when sign-up is closed; any other token (or a stale
        // one a client still sends) is ignored and the request is an ordinary sign-up.
        std::optional<User> caller;
        if (!req.authorization().isEmpty()) {
            if (auto user = authenticate(service, req); user && user->admin)
                caller = *user;
        }
        auto creds = credentials(req);
        if (!creds)
            return reply.send(ApiResponse::error(creds.error()));
        service.registerUser(creds->email, creds->password, caller ? &*caller : nullptr, [reply](Result<User> user) {
            reply.send(user ? userCreated(*user) : ApiResponse::error(user.error()));
        });
    });

    router.addAsync(Method::Post, u"/tokens"_s, [&service, limits](const ApiRequest &req, api::DeferredReply reply) {
        auto creds = credentials(req);
        if (!creds)
            return reply.send(ApiResponse::error(creds.error()));
        const std::string address = api::clientAddressKey(req.raw().remoteAddress());
        if (limits) {
            if (auto refusal = limits->refusal(creds->email, address))
                return reply.send(*refusal);
        }
        const QString email = creds->email;
        service.issueToken(email, creds->password, [reply, limits, email, address](Result<QString> token) {
            if (limits && token)
                limits->succeeded(email);
            else if (limits && token.error().code == ErrorCode::Unauthenticated)
                limits->failed(email, address);
            reply.send(token ? ApiResponse::json(QJsonObject{{u"token"_s, *token}}, 201)
                             : ApiResponse::error(token.error()));
        });
    });

    router.add(Method::Get, u"/users/me"_s, [&service](const ApiRequest &req) {
        auto user = authenticate(service, req);
        return user ? ApiResponse::json(json::toJson(*user)) : ApiResponse::error(user.error());
    });

    router.addAsync(Method::Patch, u"/password"_s, [&service](const ApiRequest &req, api::DeferredReply reply) {
        auto user = authenticate(service, req);
        if (!user)
            return reply.send(ApiResponse::error(user.error()));
        auto body = req.jsonObjectBody();
        if (!body)
            return reply.send(ApiResponse::error(body.error()));
        auto oldPassword = stringField(*body, "old_password"_L1);
        if (!oldPassword)
            return reply.send(ApiResponse::error(oldPassword.error()));
        auto password = stringField(*body, "password"_L1);
        if (!password)
            return reply.send(ApiResponse::error(password.error()));
        service.changePassword(*user, *oldPassword, *password, [reply](Result<void> changed) {
            reply.send(changed ? ApiResponse::empty(204) : ApiResponse::error(changed.error()));
        });
    });

    router.add(Method::Get, u"/users"_s, [&service](const ApiRequest &req) {
        auto user = authenticate(service, req);
        if (!user)
            return ApiResponse::error(user.error());
        auto query = req.pageQuery();
        if (!query)
            return ApiResponse::error(query.error());
        query->name = req.query(u"email"_s).isEmpty() ? query->name : req.query(u"email"_s);
        auto page = service.listUsers(*user, *query);
        return page ? ApiResponse::json(json::pageToJson(*page, u"users"_s)) : ApiResponse::error(page.error());
    });

    router.add(Method::Get, u"/users/{id}"_s, [&service](const ApiRequest &req) {
        auto user = authenticate(service, req);
        if (!user)
            return ApiResponse::error(user.error());
        auto found = service.viewUser(*user, targetId(req, *user));
        return found ? ApiResponse::json(json::toJson(*found)) : ApiResponse::error(found.error());
    });

    router.add(Method::Patch, u"/users/{id}"_s, [&service](const ApiRequest &req) {
        auto user = authenticate(service, req);
        if (!user)
            return ApiResponse::error(user.error());
        auto body = req.jsonObjectBody();
        if (!body)
            return ApiResponse::error(body.error());
        const QJsonValue enabled = body->value("enabled"_L1);
        if (!enabled.isBool())
            return ApiResponse::error(ErrorCode::Malformed, u"enabled: missing or not a boolean"_s);
        auto updated = service.setEnabled(*user, targetId(req, *user), enabled.toBool());
        return updated ? ApiResponse::json(json::toJson(*updated)) : ApiResponse::error(updated.error());
    });

    router.addAsync(Method::Put, u"/users/{id}/password"_s,
                    [&service](const ApiRequest &req, api::DeferredReply reply) {
                        auto user = authenticate(service, req);
                        if (!user)
                            return reply.send(ApiResponse::error(user.error()));
                        auto body = req.jsonObjectBody();
                        if (!body)
                            return reply.send(ApiResponse::error(body.error()));
                        auto password = stringField(*body, "password"_L1);
                        if (!password)
                            return reply.send(ApiResponse::error(password.error()));
                        service.resetPassword(*user, targetId(req, *user), *password, [reply](Result<void> reset) {
                            reply.send(reset ? ApiResponse::empty(204) : ApiResponse::error(reset.error()));
                        });
                    });

    router.add(Method::Delete, u"/users/{id}"_s, [&service](const ApiRequest &req) {
        auto user = authenticate(service, req);
        if (!user)
            return ApiResponse::error(user.error());
        auto removed = service.removeUser(*user, targetId(req, *user));
        return removed ? ApiResponse::empty(204) : ApiResponse::error(removed.error());
    });
}

} // namespace mf::users
