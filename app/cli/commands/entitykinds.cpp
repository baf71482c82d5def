#include "entitykinds.h"

#include "core/duration.h"
#include "output.h"

using namespace Qt::StringLiterals;

namespace mf::cli {

QStringList ThingKind::fieldFlags()
{
    return {u"name"_s, u"type"_s, u"metadata"_s, u"key"_s};
}

QString ThingKind::fieldFlagsHint()
{
    return u"--name/--type/--metadata"_s;
}

void ThingKind::addFields(const Context &ctx, QJsonObject &body, bool creating)
{
    if (ctx.isSet(u"type"_s) || creating)
        body.insert(u"type"_s, ctx.isSet(u"type"_s) ? ctx.value(u"type"_s) : u"device"_s);
    if (ctx.isSet(u"key"_s)) body.insert(u"key"_s, ctx.value(u"key"_s));
}

QList<std::pair<QString, QString>> ThingKind::listOptions()
{
    return {{u"name"_s, u"filters"_s},
            {u"status"_s, u"filters"_s},
            {u"offline-for"_s, u"filters"_s},
            {u"by-last-seen"_s, u"orders"_s}};
}

Result<PageQuery> ThingKind::listQuery(const Context &ctx)
{
    PageQuery query = ctx.page();
    query.name = ctx.value(u"name"_s);
    query.status = ctx.value(u"status"_s);
    if (!query.status.isEmpty() && query.status != "online"_L1 && query.status != "offline"_L1)
        return fail(ErrorCode::Malformed, u"--status: give online or offline"_s);
    if (ctx.isSet(u"offline-for"_s)) {
        auto ms = parseDuration(ctx.value(u"offline-for"_s));
        if (!ms) return fail(ErrorCode::Malformed, u"--offline-for: "_s + ms.error().message);
        query.offlineForMs = *ms;
    }
    if (ctx.isSet(u"by-last-seen"_s)) {
        query.order = u"last_seen"_s;
        query.descending = true;
    }
    return query;
}

void ThingKind::printOne(Context &ctx, const Thing &thing)
{
    output::thing(ctx.out, thing, ctx.isSet(u"show-keys"_s));
}

void ThingKind::printList(Context &ctx, const QList<Thing> &things)
{
    output::things(ctx.out, things, ctx.isSet(u"show-keys"_s));
}

QStringList ChannelKind::fieldFlags()
{
    return {u"name"_s, u"metadata"_s};
}

QString ChannelKind::fieldFlagsHint()
{
    return u"--name/--metadata"_s;
}

QList<std::pair<QString, QString>> ChannelKind::listOptions()
{
    return {{u"name"_s, u"filters"_s}};
}

Result<PageQuery> ChannelKind::listQuery(const Context &ctx)
{
    PageQuery query = ctx.page();
    query.name = ctx.value(u"name"_s);
    return query;
}

void ChannelKind::printOne(Context &ctx, const Channel &channel)
{
    output::channel(ctx.out, channel);
}

void ChannelKind::printList(Context &ctx, const QList<Channel> &channels)
{
    output::channels(ctx.out, channels);
}

} // namespace mf::cli
