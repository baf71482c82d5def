#pragma once

#include "command.h"
#include "commandtable.h"
#include "core/entitiesjson.h"
#include "output.h"

#include <QJsonArray>
#include <QJsonObject>

// The commands `things` and `channels` share, written once: create (one from JSON or flags, many from a JSON array),
// get (one, or a page of the list), update, delete, and the list of connected entities. Each is a template over a
// Kind (ThingKind, ChannelKind in entitykinds.h): the entity's words, its client calls, its list filters and its table.
// The command specs (descriptions, options) stay written out where the commands are listed (thingscommands.cpp,
// channelscommands.cpp), and what only one entity has (a thing's key, status, connect) stays there too.
namespace mf::cli {

// The entity as JSON: the <json> argument if given, else built from the Kind's field flags (--name, --metadata, ...).
template <typename Kind>
Result<QJsonValue> entityBody(Context &ctx, const QString &jsonArgument, bool creating)
{
    bool hasFlags = false;
    for (const QString &flag : Kind::fieldFlags())
        hasFlags = hasFlags || ctx.isSet(flag);
    if (!jsonArgument.isEmpty()) {
        if (hasFlags)
            return fail(
                ErrorCode::Malformed,
                QStringLiteral("give either a JSON %1 or %2, not both").arg(Kind::singular(), Kind::fieldFlagsHint()));
        return parseJsonArgument(Kind::singular(), jsonArgument);
    }
    if (!hasFlags)
        return fail(ErrorCode::Malformed,
                    QStringLiteral("give a JSON %1 or %2").arg(Kind::singular(), Kind::fieldFlagsHint()));
    QJsonObject body;
    if (ctx.isSet(QStringLiteral("name"))) body.insert(QStringLiteral("name"), ctx.value(QStringLiteral("name")));
    Kind::addFields(ctx, body, creating);
    auto metadata = metadataOption(ctx);
    if (!metadata) return std::unexpected(metadata.error());
    if (ctx.isSet(QStringLiteral("metadata"))) body.insert(QStringLiteral("metadata"), *metadata);
    return QJsonValue(body);
}

// One entity as the server answered it: JSON, or the Kind's "field  value" block.
template <typename Kind>
int printEntity(Context &ctx, const Result<typename Kind::Entity> &entity)
{
    if (!entity) return ctx.failed(entity.error());
    if (ctx.json())
        ctx.printJson(json::toJson(*entity));
    else
        Kind::printOne(ctx, *entity);
    return ExitSuccess;
}

// A page of entities: {"<plural>": [...], "total": ...} or the Kind's table and a "showing 1-10 of 42" footer.
template <typename Kind>
int printPage(Context &ctx, const Result<Page<typename Kind::Entity>> &page)
{
    if (!page) return ctx.failed(page.error());
    if (ctx.json()) {
        ctx.printJson(json::pageToJson(*page, Kind::plural()));
    } else {
        Kind::printList(ctx, page->items);
        output::pageFooter(ctx.out, *page);
    }
    return ExitSuccess;
}

// `<group> create [json]`
template <typename Kind>
class CreateCommand final : public Command
{
public:
    using Command::Command;
    int run(Context &ctx) override
    {
        auto body = entityBody<Kind>(ctx, ctx.arg(0), true);
        if (!body) return ctx.usageError(body.error().message);
        if (body->isObject()) return printEntity<Kind>(ctx, (ctx.client().*Kind::create)(body->toObject()).wait());
        auto created = (ctx.client().*Kind::createMany)(body->toArray()).wait();
        if (!created) return ctx.failed(created.error());
        if (ctx.json()) {
            QJsonArray entities;
            for (const auto &entity : *created)
                entities.append(json::toJson(entity));
            ctx.printJson(QJsonObject{{Kind::plural(), entities}});
        } else {
            Kind::printList(ctx, *created);
        }
        return ExitSuccess;
    }
};

// `<group> get [id|all]`: one entity, or a page of the list with the Kind's filters (which do not apply to one).
template <typename Kind>
class GetCommand final : public Command
{
public:
    using Command::Command;
    int run(Context &ctx) override
    {
        if (!ctx.arg(0).isEmpty() && ctx.arg(0) != QLatin1StringView("all")) {
            for (const auto &[option, does] : Kind::listOptions())
                if (ctx.isSet(option))
                    return ctx.usageError(QStringLiteral("--%1 %2 lists; it does not apply to one %3")
                                              .arg(option, does, Kind::singular()));
            return printEntity<Kind>(ctx, (ctx.client().*Kind::get)(ctx.arg(0)).wait());
        }
        auto query = Kind::listQuery(ctx);
        if (!query) return ctx.usageError(query.error().message);
        return printPage<Kind>(ctx, (ctx.client().*Kind::list)(*query).wait());
    }
};

// `<group> update <id> [json]`: only the fields given change.
template <typename Kind>
class UpdateCommand final : public Command
{
public:
    using Command::Command;
    int run(Context &ctx) override
    {
        auto body = entityBody<Kind>(ctx, ctx.arg(1), false);
        if (!body) return ctx.usageError(body.error().message);
        if (!body->isObject()) return ctx.usageError(Kind::singular() + QStringLiteral(": must be a JSON object"));
        return printEntity<Kind>(ctx, (ctx.client().*Kind::update)(ctx.arg(0), body->toObject()).wait());
    }
};

// `<group> delete <id>`
template <typename Kind>
class DeleteCommand final : public Command
{
public:
    using Command::Command;
    int run(Context &ctx) override
    {
        auto removed = (ctx.client().*Kind::remove)(ctx.arg(0)).wait();
        if (!removed) return ctx.failed(removed.error());
        ctx.note(QStringLiteral("deleted %1 %2").arg(Kind::singular(), ctx.arg(0)));
        return ExitSuccess;
    }
};

// `things channels <id>`, `channels things <id>`: a page of the entities of Kind connected to the given one.
template <typename Kind>
class ConnectedCommand final : public Command
{
public:
    // RestClient::channelsOfThing or RestClient::thingsOfChannel.
    using Fetch = client::Pending<Page<typename Kind::Entity>> (client::RestClient::*)(const QString &id,
                                                                                       const PageQuery &query);
    ConnectedCommand(CommandSpec spec, Fetch fetch) : Command(std::move(spec)), m_fetch(fetch) {}
    int run(Context &ctx) override
    {
        return printPage<Kind>(ctx, (ctx.client().*m_fetch)(ctx.arg(0), ctx.page()).wait());
    }

private:
    Fetch m_fetch;
};

} // namespace mf::cli
