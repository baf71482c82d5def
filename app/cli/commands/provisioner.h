#pragma once

#include "client/restclient.h"

#include <functional>

namespace mf::cli {

// A desired state: `provision apply` makes the server match it, creating or updating by name.
struct ProvisionPlan
{
    struct ThingSpec
    {
        QString name;
        std::optional<QString> type;         // absent: "device" on creation, left alone on update
        std::optional<QJsonObject> metadata; // absent: {} on creation, left alone on update
    };
    struct ChannelSpec
    {
        QString name;
        std::optional<QJsonObject> metadata;
    };
    struct Connection
    {
        QString channel;
        QStringList things;
    };
    QList<ThingSpec> things;
    QList<ChannelSpec> channels;
    QList<Connection> connections;

    // {"things":[{"name","type","metadata"}],"channels":[{"name","metadata"}],
    //  "connections":[{"channel":"name","things":["name",...]}]}; every problem is reported with its place.
    static Result<ProvisionPlan> fromJson(const QJsonObject &object);
};

struct ProvisionChange
{
    QString action; // created | updated | unchanged | connected
    QString kind;   // thing | channel | connection
    QString name;   // for connections "<thing> -> <channel>"
    QString id;     // thing or channel id (channel id for connections)
};

// Applies a plan through the REST client, idempotently: things and channels are matched by exact name (a name that
// is not unique among the caller's entities is an error, never a guess); nothing is deleted. Reports every decision
// to `report` as it happens, so a failure midway still shows what was done.
class Provisioner final
{
public:
    explicit Provisioner(client::RestClient &client) : m_client(client) {}

    Result<QList<ProvisionChange>> apply(const ProvisionPlan &plan,
                                         const std::function<void(const ProvisionChange &)> &report);

private:
    template <typename T>
    Result<QList<T>> listAll(const std::function<client::Pending<Page<T>>(const PageQuery &)> &list);

    client::RestClient &m_client;
};

} // namespace mf::cli
