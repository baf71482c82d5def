#include "commandtable.h"
#include "entitycommands.h"
#include "entitykinds.h"
#include "output.h"

using namespace Qt::StringLiterals;

namespace mf::cli {

namespace {

QList<QCommandLineOption> channelFieldOptions()
{
    return {QCommandLineOption(u"name"_s, u"Channel name."_s, u"name"_s),
            QCommandLineOption(u"metadata"_s, u"Metadata as a JSON object."_s, u"json"_s)};
}

} // namespace

void addChannelsCommands(CommandList &list)
{
    list.push_back(std::make_unique<CreateCommand<ChannelKind>>(CommandSpec{
        {u"channels"_s, u"create"_s},
        u"[json]"_s,
        u"Create a channel from JSON ({\"name\":\"c1\"}; an array creates many) or from --name/--metadata."_s,
        0,
        1,
        true,
        channelFieldOptions()}));
    list.push_back(std::make_unique<GetCommand<ChannelKind>>(
        CommandSpec{{u"channels"_s, u"get"_s},
                    u"[channel_id|all]"_s,
                    u"Show one channel, or list your channels (paged with --offset/--limit, filtered with --name)."_s,
                    0,
                    1,
                    true,
                    {QCommandLineOption(u"name"_s, u"Only channels whose name contains this text."_s, u"text"_s)}}));
    list.push_back(std::make_unique<UpdateCommand<ChannelKind>>(
        CommandSpec{{u"channels"_s, u"update"_s},
                    u"<channel_id> [json]"_s,
                    u"Change a channel's name or metadata (fields not given stay as they are)."_s,
                    1,
                    2,
                    true,
                    channelFieldOptions()}));
    list.push_back(std::make_unique<DeleteCommand<ChannelKind>>(
        CommandSpec{{u"channels"_s, u"delete"_s}, u"<channel_id>"_s, u"Delete a channel."_s, 1, 1}));
    list.push_back(std::make_unique<ConnectedCommand<ThingKind>>(
        CommandSpec{{u"channels"_s, u"things"_s},
                    u"<channel_id>"_s,
                    u"List the things connected to a channel."_s,
                    1,
                    1,
                    true,
                    {QCommandLineOption(u"show-keys"_s, u"Show thing keys in the table."_s)}},
        &client::RestClient::thingsOfChannel));
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
        [](client::RestClient &client, const QString &id) { return client.refusalsOfChannel(id); }, output::refusals));
}

} // namespace mf::cli
