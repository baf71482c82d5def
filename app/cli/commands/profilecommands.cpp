#include "commandtable.h"
#include "output.h"
#include "profilestore.h"

#include <QFileInfo>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace mf::cli {

namespace {

class ProfileSet final : public Command
{
public:
    ProfileSet()
        : Command({{u"profile"_s, u"set"_s},
                   u"<name>"_s,
                   u"Create or change a profile with the -m, --token, -i, -c, -f and --ws-url given on this command line."_s,
                   1,
                   1,
                   false,
                   {QCommandLineOption(u"ws-url"_s, u"WebSocket URL for msg watch (ws://host:8186)."_s, u"url"_s)}})
    {}
    int run(Context &ctx) override
    {
        QHash<QString, QString> values;
        // Only what is on this command line: the environment must not leak into the file.
        if (ctx.isSet(u"mainflux-url"_s)) values.insert(u"url"_s, ctx.value(u"mainflux-url"_s));
        if (ctx.isSet(u"token"_s)) values.insert(u"token"_s, ctx.value(u"token"_s));
        if (ctx.isSet(u"insecure"_s)) values.insert(u"insecure"_s, u"true"_s);
        if (ctx.isSet(u"ca"_s)) values.insert(u"ca"_s, QFileInfo(ctx.value(u"ca"_s)).absoluteFilePath());
        if (ctx.isSet(u"content-type"_s)) values.insert(u"content_type"_s, ctx.value(u"content-type"_s));
        if (ctx.isSet(u"format"_s)) values.insert(u"format"_s, ctx.value(u"format"_s));
        if (ctx.isSet(u"ws-url"_s)) values.insert(u"ws_url"_s, ctx.value(u"ws-url"_s));
        if (values.isEmpty())
            return ctx.usageError(u"nothing to set: give --mainflux-url, --token, --insecure, --ca, "
                                  "--content-type, --format or --ws-url"_s);
        auto saved = ctx.profiles().set(ctx.arg(0), values);
        if (!saved) return ctx.failed(saved.error());
        ctx.note(u"profile \"%1\" saved in %2"_s.arg(ctx.arg(0), ctx.profiles().path()));
        return ExitSuccess;
    }
};

class ProfileList final : public Command
{
public:
    ProfileList() : Command({{u"profile"_s, u"list"_s}, {}, u"List the profiles of the config file."_s, 0, 0, false}) {}
    int run(Context &ctx) override
    {
        const QStringList names = ctx.profiles().names();
        if (ctx.json()) {
            QJsonObject profiles;
            for (const QString &name : names)
                profiles.insert(name, ctx.profiles().values(name).value(u"url"_s));
            ctx.printJson(QJsonObject{{u"profiles"_s, profiles}});
            return ExitSuccess;
        }
        QList<QStringList> rows;
        for (const QString &name : names) {
            const auto values = ctx.profiles().values(name);
            rows.append({name, values.value(u"url"_s), values.contains(u"token"_s) ? u"yes"_s : u"no"_s});
        }
        output::table(ctx.out, {u"PROFILE"_s, u"URL"_s, u"TOKEN"_s}, rows);
        return ExitSuccess;
    }
};

class ProfileShow final : public Command
{
public:
    ProfileShow()
        : Command({{u"profile"_s, u"show"_s},
                   u"[name]"_s,
                   u"Show the settings in effect (or a profile's), with the token shortened."_s,
                   0,
                   1,
                   false})
    {}
    int run(Context &ctx) override
    {
        Settings s = ctx.settings();
        if (!ctx.arg(0).isEmpty()) {
            if (!ctx.profiles().contains(ctx.arg(0)))
                return ctx.failed(
                    {ErrorCode::NotFound, u"no profile named \"%1\" in %2"_s.arg(ctx.arg(0), ctx.profiles().path())});
            const auto values = ctx.profiles().values(ctx.arg(0));
            s.profile = ctx.arg(0);
            s.url = values.value(u"url"_s);
            s.token = values.value(u"token"_s);
            s.insecure = values.value(u"insecure"_s) == "true"_L1;
            s.caFile = values.value(u"ca"_s);
            s.contentType = values.value(u"content_type"_s);
            s.format = values.value(u"format"_s) == "json"_L1 ? Format::Json : Format::Table;
        }
        const QString token = s.token.isEmpty() ? QString() : s.token.left(8) + u"…"_s;
        const QString format = s.format == Format::Json ? u"json"_s : u"table"_s;
        if (ctx.json()) {
            ctx.printJson(QJsonObject{{u"profile"_s, s.profile},
                                      {u"url"_s, s.url},
                                      {u"token"_s, token},
                                      {u"insecure"_s, s.insecure},
                                      {u"ca"_s, s.caFile},
                                      {u"content_type"_s, s.contentType},
                                      {u"format"_s, format},
                                      {u"config"_s, ctx.profiles().path()}});
            return ExitSuccess;
        }
        output::fields(ctx.out, {{u"profile"_s, s.profile},
                                 {u"url"_s, s.url},
                                 {u"token"_s, token},
                                 {u"insecure"_s, s.insecure ? u"yes"_s : u"no"_s},
                                 {u"CA file"_s, s.caFile.isEmpty() ? u"(system CAs only)"_s : s.caFile},
                                 {u"content type"_s, s.contentType},
                                 {u"format"_s, format},
                                 {u"config file"_s, ctx.profiles().path()}});
        return ExitSuccess;
    }
};

class ProfileRemove final : public Command
{
public:
    ProfileRemove()
        : Command({{u"profile"_s, u"remove"_s}, u"<name>"_s, u"Remove a profile from the config file."_s, 1, 1, false})
    {}
    int run(Context &ctx) override
    {
        auto removed = ctx.profiles().remove(ctx.arg(0));
        if (!removed) return ctx.failed(removed.error());
        ctx.note(u"profile \"%1\" removed"_s.arg(ctx.arg(0)));
        return ExitSuccess;
    }
};

} // namespace

void addProfileCommands(CommandList &list)
{
    list.push_back(std::make_unique<ProfileSet>());
    list.push_back(std::make_unique<ProfileList>());
    list.push_back(std::make_unique<ProfileShow>());
    list.push_back(std::make_unique<ProfileRemove>());
}

} // namespace mf::cli
