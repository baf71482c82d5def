#include "commandtable.h"
#include "core/entitiesjson.h"
#include "output.h"

using namespace Qt::StringLiterals;

namespace mf::cli {

namespace {

QList<QCommandLineOption> channelFieldOptions()
{
    return {QCommandLineOption(u"name"_s, u"Channel name."_s, u"name"_s),
            QCommandLineOption(u"metadata"_s, u"Metadata as a JSON object."_s, u"json"_s)};
}

Result<QJsonValue> channelBody(Context &ctx, const QString &jsonArgument)
{
    const bool hasFlags = ctx.isSet(u"name"_s) || ctx.isSet(u"metadata"_s);
    if (!jsonArgument.isEmpty()) {
        if (hasFlags) return fail(ErrorCode::Malformed, u"give either a JSON channel or --name/--metadata, not both"_s);
        return parseJsonArgument(u"channel"_s, jsonArgument);
    }
    if (!hasFlags) return fail(ErrorCode::Malformed, u"give a JSON channel or --name/--metadata"_s);
    QJsonObject body;
    if (ctx.isSet(u"name"_s)) body.insert(u"name"_s, ctx.value(u"name"_s));
    auto metadata = metadataOption(ctx);
    if (!metadata) return std::unexpected(metadata.error());
    if (ctx.isSet(u"metadata"_s)) body.insert(u"metadata"_s, *metadata);
    return QJsonValue(body);
}

int printChannel(Context &ctx, const Result<Channel> &channel)
{
    if (!channel) return ctx.failed(channel.error());
    if (ctx.json())
        ctx.printJson(json::toJson(*channel));
    else
        output::channel(ctx.out, *channel);
    return ExitSuccess;
}

class ChannelsCreate final : public Command
{
public:
    ChannelsCreate()
        : Command(
              {{u"channels"_s, u"create"_s},
               u"[json]"_s,
               u"Create a channel from JSON ({\"name\":\"c1\"}; an array creates many) or from --name/--metadata."_s,
               0,
               1,
               true,
               channelFieldOptions()})
    {}
    int run(Context &ctx) override
    {
        auto body = channelBody(ctx, ctx.arg(0));
        if (!body) return ctx.usageError(body.error().message);
        if (body->isObject()) return printChannel(ctx, ctx.client().createChannel(body->toObject()).wait());
        auto created = ctx.client().createChannels(body->toArray()).wait();
        if (!created) return ctx.failed(created.error());
        if (ctx.json()) {
            QJsonArray channels;
            for (const Channel &c : *created)
                channels.append(json::toJson(c));
            ctx.printJson(QJsonObject{{u"channels"_s, channels}});
        } else {
            output::channels(ctx.out, *created);
        }
        return ExitSuccess;
    }
};

class ChannelsGet final : public Command
{
public:
    ChannelsGet()
        : Command({{u"channels"_s, u"get"_s},
                   u"[channel_id|all]"_s,
                   u"Show one channel, or list your channels (paged with --offset/--limit, filtered with --name)."_s,
                   0,
                   1,
                   true,
                   {QCommandLineOption(u"name"_s, u"Only channels whose name contains this text."_s, u"text"_s)}})
    {}
    int run(Context &ctx) override
    {
        if (!ctx.arg(0).isEmpty() && ctx.arg(0) != "all"_L1) {
            if (ctx.isSet(u"name"_s))
                return ctx.usageError(u"--name filters lists; it does not apply to one channel"_s);
            return printChannel(ctx, ctx.client().channel(ctx.arg(0)).wait());
        }
        PageQuery query = ctx.page();
        query.name = ctx.value(u"name"_s);
        auto page = ctx.client().channels(query).wait();
        if (!page) return ctx.failed(page.error());
        if (ctx.json()) {
            ctx.printJson(json::pageToJson(*page, u"channels"_s));
        } else {
            output::channels(ctx.out, page->items);
            output::pageFooter(ctx.out, *page);
        }
        return ExitSuccess;
    }
};

class ChannelsUpdate final : public Command
{
public:
    ChannelsUpdate()
        : Command({{u"channels"_s, u"update"_s},
                   u"<channel_id> [json]"_s,
                   u"Change a channel's name or metadata (fields not given stay as they are)."_s,
                   1,
                   2,
                   true,
                   channelFieldOptions()})
    {}
    int run(Context &ctx) override
    {
        auto body = channelBody(ctx, ctx.arg(1));
        if (!body) return ctx.usageError(body.error().message);
        if (!body->isObject()) return ctx.usageError(u"channel: must be a JSON object"_s);
        return printChannel(ctx, ctx.client().updateChannel(ctx.arg(0), body->toObject()).wait());
    }
};

class ChannelsDelete final : public Command
{
public:
    ChannelsDelete() : Command({{u"channels"_s, u"delete"_s}, u"<channel_id>"_s, u"Delete a channel."_s, 1, 1}) {}
    int run(Context &ctx) override
    {
        auto removed = ctx.client().removeChannel(ctx.arg(0)).wait();
        if (!removed) return ctx.failed(removed.error());
        ctx.note(u"deleted channel "_s + ctx.arg(0));
        return ExitSuccess;
    }
};

class ChannelsThings final : public Command
{
public:
    ChannelsThings()
        : Command({{u"channels"_s, u"things"_s},
                   u"<channel_id>"_s,
                   u"List the things connected to a channel."_s,
                   1,
                   1,
                   true,
                   {QCommandLineOption(u"show-keys"_s, u"Show thing keys in the table."_s)}})
    {}
    int run(Context &ctx) override
    {
        auto page = ctx.client().thingsOfChannel(ctx.arg(0), ctx.page()).wait();
        if (!page) return ctx.failed(page.error());
        if (ctx.json()) {
            ctx.printJson(json::pageToJson(*page, u"things"_s));
        } else {
            output::things(ctx.out, page->items, ctx.isSet(u"show-keys"_s));
            output::pageFooter(ctx.out, *page);
        }
        return ExitSuccess;
    }
};

} // namespace

void addChannelsCommands(CommandList &list)
{
    list.push_back(std::make_unique<ChannelsCreate>());
    list.push_back(std::make_unique<ChannelsGet>());
    list.push_back(std::make_unique<ChannelsUpdate>());
    list.push_back(std::make_unique<ChannelsDelete>());
    list.push_back(std::make_unique<ChannelsThings>());
    list.push_back(std::make_unique<ShowCommand>(
        CommandSpec{{u"channels"_s, u"latest"_s},
                    u"<channel_id>"_s,
                    u"The last value of every SenML name on the channel, per publishing thing."_s,
                    1,
                    1},
        [](client::RestClient &client, const QString &id) { return client.latestOfChannel(id); },
        output::latestValues));
    list.push_back(std::make_unique<ShowCommand>(
        CommandSpec{{u"channels"_s, u"refusals"_s},
                    u"<channel_id>"_s,
                    u"Messages refused on the channel, newest first: why, from which thing or address, and their "
                    "first bytes."_s,
                    1,
                    1},
        [](client::RestClient &client, const QString &id) { return client.refusalsOfChannel(id); },
        output::refusals));
}

} // namespace mf::cli
