#include "client/simulator.h"
#include "commandtable.h"
#include "core/duration.h"
#include "core/unixsignals.h"
#include "output.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonObject>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace mf::cli {

using client::SimulationPlan;
using client::SimulationReport;
using client::Simulator;

namespace {

// The bundled backend's MQTT, WebSocket and CoAP ports, for adapter URLs derived from the REST URL.
constexpr int DefaultMqttPort = 1883;
constexpr int DefaultWsPort = 8186;
constexpr int DefaultCoapPort = 5683;

class Simulate final : public Command
{
public:
    Simulate()
        : Command(
              {{u"simulate"_s},
               u"[channel_id]"_s,
               u"Provision virtual things on a channel (a new one unless given) and publish realistic SenML at a "
               "rate until stopped (Ctrl-C), --count or --duration; prints what was sent, accepted and refused. "
               "For labs, demos and load."_s,
               0,
               1,
               true,
               {QCommandLineOption(u"things"_s, u"How many virtual things (default 5, at most 1000)."_s, u"n"_s),
                QCommandLineOption(u"rate"_s, u"Messages per second, all things together (default 10)."_s, u"n"_s),
                QCommandLineOption(u"protocol"_s, u"http (default), mqtt, ws (WebSocket) or coap."_s, u"protocol"_s),
                QCommandLineOption(u"pattern"_s, u"sine (default), walk or steps."_s, u"pattern"_s),
                QCommandLineOption(u"dropout"_s,
                                   u"Chance (0 to 1) per thing and 10 s to go silent for 30 to 90 s, so things go "
                                   "offline (default 0)."_s,
                                   u"p"_s),
                QCommandLineOption(u"invalid"_s, u"Share (0 to 1) of invalid SenML packs, refused (default 0)."_s,
                                   u"p"_s),
                QCommandLineOption(u"count"_s, u"Stop after this many messages."_s, u"n"_s),
                QCommandLineOption(u"duration"_s, u"Stop after this long (90s, 15m, 2h)."_s, u"duration"_s),
                QCommandLineOption(u"mqtt-url"_s, u"MQTT adapter (default tcp://<REST host>:1883)."_s, u"url"_s),
                QCommandLineOption(u"ws-url"_s, u"WebSocket adapter (default ws://<REST host>:8186)."_s, u"url"_s),
                QCommandLineOption(u"coap-url"_s, u"CoAP adapter (default coap://<REST host>:5683)."_s, u"url"_s),
                QCommandLineOption(u"cleanup"_s, u"Delete the virtual things (and a new channel) at the end."_s)}})
    {}

    int run(Context &ctx) override
    {
        auto plan = planFrom(ctx);
        if (!plan) return ctx.usageError(plan.error().message);
        Simulator simulator(ctx.client(), *plan);
        if (auto provisioned = simulator.provision().wait(); !provisioned) {
            (void)simulator.cleanUp().wait();
            return ctx.failed(provisioned.error());
        }
        ctx.note(u"simulating %1 things on channel %2 over %3 at %4 messages/s (Ctrl-C stops)"_s.arg(plan->things)
                     .arg(simulator.channelId(), plan->protocol)
                     .arg(plan->rate));
        QEventLoop loop;
        QObject::connect(&simulator, &Simulator::finished, &loop, &QEventLoop::quit);
        QObject::connect(&terminationSignals(), &mf::UnixSignalWatcher::terminationRequested, &simulator,
                         [&simulator](int) { simulator.stop(); });
        simulator.start();
        loop.exec();
        const SimulationReport report = simulator.report();
        if (ctx.isSet(u"cleanup"_s))
            if (auto cleaned = simulator.cleanUp().wait(); !cleaned) return ctx.failed(cleaned.error());
        const double rate = report.seconds > 0 ? double(report.sent) / report.seconds : 0;
        if (ctx.json()) {
            ctx.printJson(QJsonObject{{u"channel"_s, simulator.channelId()},
                                      {u"things"_s, QJsonArray::fromStringList(simulator.thingIds())},
                                      {u"sent"_s, report.sent},
                                      {u"accepted"_s, report.accepted},
                                      {u"refused"_s, report.refused},
                                      {u"failed"_s, report.failed},
                                      {u"seconds"_s, report.seconds},
                                      {u"cleaned_up"_s, ctx.isSet(u"cleanup"_s)}});
        } else {
            output::fields(
                ctx.out, {{u"channel"_s, simulator.channelId()},
                          {u"sent"_s, QString::number(report.sent)},
                          {u"accepted"_s, QString::number(report.accepted)},
                          {u"refused"_s, QString::number(report.refused)},
                          {u"failed"_s, QString::number(report.failed)},
                          {u"rate"_s, u"%1 messages/s over %2 s"_s.arg(rate, 0, 'f', 1).arg(report.seconds, 0, 'f', 1)},
                          {u"things"_s, ctx.isSet(u"cleanup"_s) ? u"deleted"_s : simulator.thingIds().join(u' ')}});
        }
        return report.failed > 0 ? ExitApiError : ExitSuccess;
    }

private:
    static Result<double> fraction(Context &ctx, const QString &option)
    {
        if (!ctx.isSet(option)) return 0.0;
        bool ok = false;
        const double p = ctx.value(option).toDouble(&ok);
        if (!ok || p < 0 || p > 1)
            return fail(ErrorCode::Malformed, u"--%1: must be a number from 0 to 1"_s.arg(option));
        return p;
    }

    static Result<SimulationPlan> planFrom(Context &ctx)
    {
        SimulationPlan plan;
        plan.channelId = ctx.arg(0);
        bool ok = true;
        if (ctx.isSet(u"things"_s)) plan.things = ctx.value(u"things"_s).toInt(&ok);
        if (!ok || plan.things < 1 || plan.things > 1000)
            return fail(ErrorCode::Malformed, u"--things: must be an integer from 1 to 1000"_s);
        if (ctx.isSet(u"rate"_s)) plan.rate = ctx.value(u"rate"_s).toDouble(&ok);
        if (!ok || !(plan.rate >= 0.1 && plan.rate <= 1000))
            return fail(ErrorCode::Malformed, u"--rate: must be a number from 0.1 to 1000"_s);
        if (ctx.isSet(u"protocol"_s)) plan.protocol = ctx.value(u"protocol"_s);
        if (!QStringList{u"http"_s, u"mqtt"_s, u"ws"_s, u"coap"_s}.contains(plan.protocol))
            return fail(ErrorCode::Malformed, u"--protocol: give http, mqtt, ws or coap"_s);
        if (ctx.isSet(u"pattern"_s)) plan.pattern = ctx.value(u"pattern"_s);
        if (plan.pattern != "sine"_L1 && plan.pattern != "walk"_L1 && plan.pattern != "steps"_L1)
            return fail(ErrorCode::Malformed, u"--pattern: give sine, walk or steps"_s);
        auto dropout = fraction(ctx, u"dropout"_s);
        if (!dropout) return std::unexpected(dropout.error());
        plan.dropout = *dropout;
        auto invalid = fraction(ctx, u"invalid"_s);
        if (!invalid) return std::unexpected(invalid.error());
        plan.invalid = *invalid;
        if (ctx.isSet(u"count"_s)) plan.count = ctx.value(u"count"_s).toLongLong(&ok);
        if (!ok || plan.count < 0) return fail(ErrorCode::Malformed, u"--count: must be a positive integer"_s);
        if (ctx.isSet(u"duration"_s)) {
            auto ms = parseDuration(ctx.value(u"duration"_s));
            if (!ms) return fail(ErrorCode::Malformed, u"--duration: "_s + ms.error().message);
            plan.durationMs = *ms;
        }
        const QUrl rest(ctx.settings().url);
        plan.mqttUrl = ctx.isSet(u"mqtt-url"_s) ? ctx.value(u"mqtt-url"_s)
                                                : u"tcp://%1:%2"_s.arg(rest.host()).arg(DefaultMqttPort);
        if (!plan.mqttUrl.startsWith(u"tcp://"_s))
            return fail(ErrorCode::Malformed, u"--mqtt-url: \"%1\" is not a tcp://host:port URL"_s.arg(plan.mqttUrl));
        plan.wsUrl =
            ctx.isSet(u"ws-url"_s) ? ctx.value(u"ws-url"_s) : u"ws://%1:%2"_s.arg(rest.host()).arg(DefaultWsPort);
        if (!plan.wsUrl.startsWith(u"ws://"_s) && !plan.wsUrl.startsWith(u"wss://"_s))
            return fail(ErrorCode::Malformed, u"--ws-url: \"%1\" is not a ws://host:port URL"_s.arg(plan.wsUrl));
        while (plan.wsUrl.endsWith(u'/'))
            plan.wsUrl.chop(1);
        plan.coapUrl = ctx.isSet(u"coap-url"_s) ? ctx.value(u"coap-url"_s)
                                                : u"coap://%1:%2"_s.arg(rest.host()).arg(DefaultCoapPort);
        if (!plan.coapUrl.startsWith(u"coap://"_s) || QUrl(plan.coapUrl).host().isEmpty())
            return fail(ErrorCode::Malformed, u"--coap-url: \"%1\" is not a coap://host:port URL"_s.arg(plan.coapUrl));
        return plan;
    }
};

} // namespace

void addSimulateCommands(CommandList &list)
{
    list.push_back(std::make_unique<Simulate>());
}

} // namespace mf::cli
