#include "commandtable.h"
#include "entitycommands.h"
#include "entitykinds.h"
#include "output.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace mf::cli {

namespace {

QCommandLineOption showKeysOption()
{
    return QCommandLineOption(u"show-keys"_s, u"Show thing keys in tables (JSON output always has them)."_s);
}

QList<QCommandLineOption> thingFieldOptions()
{
    return {QCommandLineOption(u"name"_s, u"Thing name."_s, u"name"_s),
            QCommandLineOption(u"type"_s, u"device (default) or app."_s, u"type"_s),
            QCommandLineOption(u"metadata"_s, u"Metadata as a JSON object."_s, u"json"_s),
            QCommandLineOption(u"key"_s, u"Choose the thing key instead of a generated one."_s, u"key"_s)};
}

class ThingsConnect final : public Command
{
public:
    explicit ThingsConnect(bool connecting)
        : Command({{u"things"_s, connecting ? u"connect"_s : u"disconnect"_s},
                   u"<thing_id> <channel_id>"_s,
                   connecting ? u"Connect a thing to a channel (it may then publish and subscribe there)."_s
                              : u"Disconnect a thing from a channel."_s,
                   2,
                   2}),
          m_connecting(connecting)
    {}
    int run(Context &ctx) override
    {
        auto &client = ctx.client();
        auto done = (m_connecting ? client.connectThing(ctx.arg(1), ctx.arg(0))
                                  : client.disconnectThing(ctx.arg(1), ctx.arg(0)))
                        .wait();
        if (!done) return ctx.failed(done.error());
        ctx.note(u"%1 thing %2 %3 channel %4"_s.arg(m_connecting ? u"connected"_s : u"disconnected"_s, ctx.arg(0),
                                                    m_connecting ? u"to"_s : u"from"_s, ctx.arg(1)));
        return ExitSuccess;
    }

private:
    bool m_connecting;
};

class ThingsKey final : public Command
{
public:
    ThingsKey()
        : Command({{u"things"_s, u"key"_s},
                   u"<thing_id> [new_key]"_s,
                   u"Replace a thing's key with a generated one (or the given one) and print it."_s,
                   1,
                   2})
    {}
    int run(Context &ctx) override
    {
        const std::optional<QString> given = ctx.args().size() > 1 ? std::optional(ctx.arg(1)) : std::nullopt;
        auto key = ctx.client().rotateThingKey(ctx.arg(0), given).wait();
        if (!key) return ctx.failed(key.error());
        if (ctx.json())
            ctx.printJson(QJsonObject{{u"id"_s, ctx.arg(0)}, {u"key"_s, *key}});
        else
            ctx.out << *key << Qt::endl;
        return ExitSuccess;
    }
};

class ThingsStatus final : public Command
{
public:
    ThingsStatus()
        : Command({{u"things"_s, u"status"_s},
                   u"<thing_id>"_s,
                   u"Show whether a thing is online, when it was last heard from, and its recent online/offline "
                   "changes (newest first)."_s,
                   1,
                   1})
    {}
    int run(Context &ctx) override
    {
        auto status = ctx.client().thingStatus(ctx.arg(0)).wait();
        if (!status) return ctx.failed(status.error());
        if (ctx.json()) {
            ctx.printJson(*status);
            return ExitSuccess;
        }
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const qint64 lastSeen = status->value("last_seen"_L1).toInteger();
        QList<std::pair<QString, QString>> fields{
            {u"thing"_s, status->value("thing"_L1).toString()},
            {u"status"_s, status->value("online"_L1).toBool() ? u"online"_s : u"offline"_s},
            {u"last seen"_s, lastSeen > 0 ? output::timeText(lastSeen) + u" ("_s + output::agoText(lastSeen, now) +
                                                u", "_s + status->value("last_protocol"_L1).toString() + u')'
                                          : u"never"_s}};
        if (const qint64 since = status->value("connected_since"_L1).toInteger(); since > 0)
            fields.append({u"connected since"_s, output::timeText(since)});
        output::fields(ctx.out, fields);
        QList<QStringList> rows;
        for (const QJsonValue &item : status->value("history"_L1).toArray()) {
            const QJsonObject e = item.toObject();
            rows.append({output::timeText(e.value("at"_L1).toInteger()),
                         e.value("online"_L1).toBool() ? u"online"_s : u"offline"_s, e.value("reason"_L1).toString(),
                         e.value("protocol"_L1).toString()});
        }
        if (!rows.isEmpty()) {
            ctx.out << '\n';
            output::table(ctx.out, {u"AT"_s, u"BECAME"_s, u"WHY"_s, u"PROTOCOL"_s}, rows);
        }
        return ExitSuccess;
    }
};

} // namespace

void addThingsCommands(CommandList &list)
{
    list.push_back(std::make_unique<CreateCommand<ThingKind>>(
        CommandSpec{{u"things"_s, u"create"_s},
                    u"[json]"_s,
                    u"Create a thing from JSON ({\"type\":\"device\",\"name\":\"t1\"}; an array creates many) or from "
                    "--name/--type/--metadata."_s,
                    0,
                    1,
                    true,
                    thingFieldOptions() << showKeysOption()}));
    list.push_back(std::make_unique<GetCommand<ThingKind>>(CommandSpec{
        {u"things"_s, u"get"_s},
        u"[thing_id|all]"_s,
        u"Show one thing, or list your things (paged with --offset/--limit, filtered with --name, "
        "--status, --offline-for; --by-last-seen lists the most recently heard from first)."_s,
        0,
        1,
        true,
        {QCommandLineOption(u"name"_s, u"Only things whose name contains this text."_s, u"text"_s),
         QCommandLineOption(u"status"_s, u"Only online or only offline things."_s, u"online|offline"_s),
         QCommandLineOption(u"offline-for"_s,
                            u"Only things offline and silent at least this long (90s, 15m, 2h, 1d)."_s, u"duration"_s),
         QCommandLineOption(u"by-last-seen"_s, u"Most recently heard from first."_s), showKeysOption()}}));
    list.push_back(std::make_unique<UpdateCommand<ThingKind>>(
        CommandSpec{{u"things"_s, u"update"_s},
                    u"<thing_id> [json]"_s,
                    u"Change a thing's name, type or metadata (fields not given stay as they are)."_s,
                    1,
                    2,
                    true,
                    QList<QCommandLineOption>(thingFieldOptions().mid(0, 3)) << showKeysOption()}));
    list.push_back(std::make_unique<DeleteCommand<ThingKind>>(
        CommandSpec{{u"things"_s, u"delete"_s}, u"<thing_id>"_s, u"Delete a thing."_s, 1, 1}));
    list.push_back(std::make_unique<ThingsConnect>(true));
    list.push_back(std::make_unique<ThingsConnect>(false));
    list.push_back(std::make_unique<ThingsKey>());
    list.push_back(std::make_unique<ConnectedCommand<ChannelKind>>(
        CommandSpec{
            {u"things"_s, u"channels"_s}, u"<thing_id>"_s, u"List the channels a thing is connected to."_s, 1, 1},
        &client::RestClient::channelsOfThing));
    list.push_back(std::make_unique<ThingsStatus>());
    list.push_back(std::make_unique<ShowCommand>(
        CommandSpec{{u"things"_s, u"latest"_s},
                    u"<thing_id>"_s,
                    u"The last value of every SenML name the thing sent, per channel."_s,
                    1,
                    1},
        [](client::RestClient &client, const QString &id) { return client.latestOfThing(id); }, output::latestValues));
    list.push_back(std::make_unique<ShowCommand>(
        CommandSpec{{u"things"_s, u"refusals"_s},
                    u"<thing_id>"_s,
                    u"The thing's refused messages, newest first: why, from where, and their first bytes."_s,
                    1,
                    1},
        [](client::RestClient &client, const QString &id) { return client.refusalsOfThing(id); }, output::refusals));
}

} // namespace mf::cli
