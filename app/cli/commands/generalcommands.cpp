#include "commandtable.h"
#include "output.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace mf::cli {

namespace {

class VersionCommand final : public Command
{
public:
    VersionCommand()
        : Command({{u"version"_s}, {}, u"Show the CLI's and the server's version (GET /version)."_s, 0, 0, false})
    {}
    int run(Context &ctx) override
    {
        auto version = ctx.client().version().wait();
        if (!version) return ctx.failed(version.error());
        if (ctx.json()) {
            ctx.printJson(*version);
        } else {
            output::fields(ctx.out, {{u"cli"_s, QStringLiteral(MF_VERSION)},
                                     {u"server"_s, u"%1 %2"_s.arg(version->value("service"_L1).toString(),
                                                                  version->value("version"_L1).toString())}});
        }
        return ExitSuccess;
    }
};

class HealthCommand final : public Command
{
public:
    HealthCommand() : Command({{u"health"_s}, {}, u"Check that the server answers (GET /health)."_s, 0, 0, false}) {}
    int run(Context &ctx) override
    {
        auto health = ctx.client().health().wait();
        if (!health) return ctx.failed(health.error());
        if (ctx.json())
            ctx.printJson(*health);
        else
            ctx.out << health->value("status"_L1).toString() << Qt::endl;
        return ExitSuccess;
    }
};

class ClusterCommand final : public Command
{
public:
    ClusterCommand()
        : Command({{u"cluster"_s},
                   {},
                   u"List every process of the cluster: services, state, host, ports, messages per second (GET "
                   "/cluster)."_s,
                   0,
                   0,
                   false})
    {}
    int run(Context &ctx) override
    {
        auto cluster = ctx.client().cluster().wait();
        if (!cluster) return ctx.failed(cluster.error());
        if (ctx.json()) {
            ctx.printJson(*cluster);
            return ExitSuccess;
        }
        QList<QStringList> rows;
        QStringList why; // under the table: a row's state alone does not say what to do about it
        for (const QJsonValue &value : cluster->value("processes"_L1).toArray()) {
            const QJsonObject p = value.toObject();
            const QString shortId = p.value("id"_L1).toString().left(8);
            if (const QString reason = p.value("reason"_L1).toString(); !reason.isEmpty())
                why.append(u"%1 refused: %2"_s.arg(shortId, reason));
            if (const QString conflict = p.value("conflict"_L1).toString(); !conflict.isEmpty())
                why.append(u"%1 conflict: %2"_s.arg(shortId, conflict));
            QStringList ports;
            const QJsonObject portMap = p.value("ports"_L1).toObject();
            for (auto it = portMap.constBegin(); it != portMap.constEnd(); ++it)
                ports.append(u"%1=%2"_s.arg(it.key()).arg(it.value().toInt()));
            QString version = p.value("version"_L1).toString();
            if (p.value("version_differs"_L1).toBool()) version += u" (differs)"_s;
            rows.append({shortId, p.value("services"_L1).toVariant().toStringList().join(u','),
                         p.value("state"_L1).toString(), u"%1:%2"_s.arg(p.value("host"_L1).toString()).arg(p.value("pid"_L1).toInt()),
                         version, ports.join(u' '),
                         u"%1 / %2"_s.arg(p.value("accepted_per_s"_L1).toDouble()).arg(p.value("stored_per_s"_L1).toDouble())});
        }
        output::table(ctx.out, {u"ID"_s, u"SERVICES"_s, u"STATE"_s, u"HOST:PID"_s, u"VERSION"_s, u"PORTS"_s,
                                u"ACCEPTED/STORED PER S"_s},
                      rows);
        if (!why.isEmpty()) ctx.out << u'\n' << why.join(u'\n') << u'\n';
        return ExitSuccess;
    }
};

} // namespace

void addGeneralCommands(CommandList &list)
{
    list.push_back(std::make_unique<VersionCommand>());
    list.push_back(std::make_unique<HealthCommand>());
    list.push_back(std::make_unique<ClusterCommand>());
}

} // namespace mf::cli
