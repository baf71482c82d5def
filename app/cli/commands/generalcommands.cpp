#include "commandtable.h"
#include "output.h"

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

} // namespace

void addGeneralCommands(CommandList &list)
{
    list.push_back(std::make_unique<VersionCommand>());
    list.push_back(std::make_unique<HealthCommand>());
}

} // namespace mf::cli
