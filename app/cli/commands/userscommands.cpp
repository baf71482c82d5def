#include "commandtable.h"
#include "core/entitiesjson.h"
#include "output.h"
#include "profilestore.h"

using namespace Qt::StringLiterals;

namespace mf::cli {

namespace {

int printUser(Context &ctx, const Result<User> &user)
{
    if (!user) return ctx.failed(user.error());
    if (ctx.json())
        ctx.printJson(json::toJson(*user));
    else
        output::user(ctx.out, *user);
    return ExitSuccess;
}

class UsersCreate final : public Command
{
public:
    UsersCreate()
        : Command({{u"users"_s, u"create"_s},
                   u"<email> <password>"_s,
                   u"Create an account (with an administrator's token when sign-up is closed)."_s,
                   2,
                   2,
                   false})
    {}
    int run(Context &ctx) override { return printUser(ctx, ctx.client().createUser(ctx.arg(0), ctx.arg(1)).wait()); }
};

class UsersToken final : public Command
{
public:
    UsersToken()
        : Command({{u"users"_s, u"token"_s},
                   u"<email> <password>"_s,
                   u"Sign in and print a user token (--save stores it in the profile)."_s,
                   2,
                   2,
                   false,
                   {QCommandLineOption(u"save"_s, u"Store the token (and the URL) in the active profile."_s)}})
    {}
    int run(Context &ctx) override
    {
        auto token = ctx.client().issueToken(ctx.arg(0), ctx.arg(1)).wait();
        if (!token) return ctx.failed(token.error());
        if (ctx.isSet(u"save"_s)) {
            auto saved =
                ctx.profiles().set(ctx.settings().profile, {{u"token"_s, *token}, {u"url"_s, ctx.settings().url}});
            if (!saved) return ctx.failed(saved.error());
            ctx.err << "saved the token in profile \"" << ctx.settings().profile << "\" of " << ctx.profiles().path()
                    << Qt::endl;
        }
        if (ctx.json())
            ctx.printJson(QJsonObject{{u"token"_s, *token}});
        else
            ctx.out << *token << Qt::endl;
        return ExitSuccess;
    }
};

class UsersMe final : public Command
{
public:
    UsersMe() : Command({{u"users"_s, u"me"_s}, {}, u"Show the signed-in user."_s, 0, 0}) {}
    int run(Context &ctx) override { return printUser(ctx, ctx.client().me().wait()); }
};

class UsersPassword final : public Command
{
public:
    UsersPassword()
        : Command({{u"users"_s, u"password"_s},
                   u"<old_password> <new_password>"_s,
                   u"Change your password (your tokens stop working; sign in again)."_s,
                   2,
                   2})
    {}
    int run(Context &ctx) override
    {
        auto changed = ctx.client().changePassword(ctx.arg(0), ctx.arg(1)).wait();
        if (!changed) return ctx.failed(changed.error());
        ctx.note(u"password changed; sign in again with `mainflux-cli users token`"_s);
        return ExitSuccess;
    }
};

class UsersList final : public Command
{
public:
    UsersList()
        : Command({{u"users"_s, u"list"_s},
                   {},
                   u"List users (administrators)."_s,
                   0,
                   0,
                   true,
                   {QCommandLineOption(u"email"_s, u"Only e-mails containing this text."_s, u"text"_s)}})
    {}
    int run(Context &ctx) override
    {
        PageQuery query = ctx.page();
        query.name = ctx.value(u"email"_s);
        auto page = ctx.client().users(query).wait();
        if (!page) return ctx.failed(page.error());
        if (ctx.json()) {
            ctx.printJson(json::pageToJson(*page, u"users"_s));
        } else {
            output::users(ctx.out, page->items);
            output::pageFooter(ctx.out, *page);
        }
        return ExitSuccess;
    }
};

class UsersGet final : public Command
{
public:
    UsersGet() : Command({{u"users"_s, u"get"_s}, u"<user_id>"_s, u"Show a user (administrators)."_s, 1, 1}) {}
    int run(Context &ctx) override { return printUser(ctx, ctx.client().user(ctx.arg(0)).wait()); }
};

class UsersEnable final : public Command
{
public:
    explicit UsersEnable(bool enable)
        : Command({{u"users"_s, enable ? u"enable"_s : u"disable"_s},
                   u"<user_id>"_s,
                   enable ? u"Let a disabled user sign in again (administrators)."_s
                          : u"Stop a user from signing in; their tokens stop working (administrators)."_s,
                   1,
                   1}),
          m_enable(enable)
    {}
    int run(Context &ctx) override { return printUser(ctx, ctx.client().setUserEnabled(ctx.arg(0), m_enable).wait()); }

private:
    bool m_enable;
};

class UsersDelete final : public Command
{
public:
    UsersDelete()
        : Command({{u"users"_s, u"delete"_s},
                   u"<user_id>"_s,
                   u"Delete a user with their things and channels (administrators)."_s,
                   1,
                   1})
    {}
    int run(Context &ctx) override
    {
        auto removed = ctx.client().removeUser(ctx.arg(0)).wait();
        if (!removed) return ctx.failed(removed.error());
        ctx.note(u"deleted user "_s + ctx.arg(0));
        return ExitSuccess;
    }
};

class UsersResetPassword final : public Command
{
public:
    UsersResetPassword()
        : Command({{u"users"_s, u"reset-password"_s},
                   u"<user_id> <new_password>"_s,
                   u"Set another user's password (administrators)."_s,
                   2,
                   2})
    {}
    int run(Context &ctx) override
    {
        auto reset = ctx.client().resetPassword(ctx.arg(0), ctx.arg(1)).wait();
        if (!reset) return ctx.failed(reset.error());
        ctx.note(u"password of user %1 reset"_s.arg(ctx.arg(0)));
        return ExitSuccess;
    }
};

} // namespace

void addUsersCommands(CommandList &list)
{
    list.push_back(std::make_unique<UsersCreate>());
    list.push_back(std::make_unique<UsersToken>());
    list.push_back(std::make_unique<UsersMe>());
    list.push_back(std::make_unique<UsersPassword>());
    list.push_back(std::make_unique<UsersList>());
    list.push_back(std::make_unique<UsersGet>());
    list.push_back(std::make_unique<UsersEnable>(true));
    list.push_back(std::make_unique<UsersEnable>(false));
    list.push_back(std::make_unique<UsersDelete>());
    list.push_back(std::make_unique<UsersResetPassword>());
}

} // namespace mf::cli
