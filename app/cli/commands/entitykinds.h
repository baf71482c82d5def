#pragma once

#include "command.h"

#include <QJsonArray>
#include <QJsonObject>

// What the shared entity commands (entitycommands.h) need to know of things and of channels: the words, the client
// calls (RestClient member functions), the field flags of create/update, the list filters of `get`, and the tables.
// Only static members: a Kind is a template argument, never an object.
namespace mf::cli {

struct ThingKind
{
    using Entity = Thing;
    static QString singular() { return QStringLiteral("thing"); }
    static QString plural() { return QStringLiteral("things"); }

    static constexpr auto create = &client::RestClient::createThing;
    static constexpr auto createMany = &client::RestClient::createThings;
    static constexpr auto get = &client::RestClient::thing;
    static constexpr auto list = &client::RestClient::things;
    static constexpr auto update = &client::RestClient::updateThing;
    static constexpr auto remove = &client::RestClient::removeThing;

    // --name, --type, --metadata, --key; a new thing is a device unless --type says otherwise.
    static QStringList fieldFlags();
    static QString fieldFlagsHint();
    static void addFields(const Context &ctx, QJsonObject &body, bool creating);
    // --name, --status, --offline-for, --by-last-seen: what each does to the list, and the query they make.
    static QList<std::pair<QString, QString>> listOptions();
    static Result<PageQuery> listQuery(const Context &ctx);

    // Keys only with --show-keys.
    static void printOne(Context &ctx, const Thing &thing);
    static void printList(Context &ctx, const QList<Thing> &things);
};

struct ChannelKind
{
    using Entity = Channel;
    static QString singular() { return QStringLiteral("channel"); }
    static QString plural() { return QStringLiteral("channels"); }

    static constexpr auto create = &client::RestClient::createChannel;
    static constexpr auto createMany = &client::RestClient::createChannels;
    static constexpr auto get = &client::RestClient::channel;
    static constexpr auto list = &client::RestClient::channels;
    static constexpr auto update = &client::RestClient::updateChannel;
    static constexpr auto remove = &client::RestClient::removeChannel;

    // --name, --metadata.
    static QStringList fieldFlags();
    static QString fieldFlagsHint();
    static void addFields(const Context &, QJsonObject &, bool) {}
    // --name.
    static QList<std::pair<QString, QString>> listOptions();
    static Result<PageQuery> listQuery(const Context &ctx);

    static void printOne(Context &ctx, const Channel &channel);
    static void printList(Context &ctx, const QList<Channel> &channels);
};

} // namespace mf::cli
