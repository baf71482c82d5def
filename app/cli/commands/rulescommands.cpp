#include "commandtable.h"
#include "output.h"

#include <QJsonArray>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace mf::cli {

namespace {

// Flag → JSON field of a rule; numbers are sent as numbers, the rest as strings (the server checks them all).
struct RuleFlag
{
    QString flag;
    QString field;
    QString help;
    QString valueName;
    bool numeric;
};

const QList<RuleFlag> &ruleFlags()
{
    static const QList<RuleFlag> flags{
        {u"channel"_s, u"channel"_s, u"Channel whose records the rule watches."_s, u"id"_s, false},
        {u"senml-name"_s, u"senml_name"_s, u"SenML name watched (bn + n, e.g. boiler:temp)."_s, u"name"_s, false},
        {u"condition"_s, u"condition"_s, u"above, below, outside (a low..high band) or nodata."_s, u"condition"_s,
         false},
        {u"threshold"_s, u"threshold"_s, u"Threshold of above and below."_s, u"number"_s, true},
        {u"low"_s, u"low"_s, u"Low end of the band (outside)."_s, u"number"_s, true},
        {u"high"_s, u"high"_s, u"High end of the band (outside)."_s, u"number"_s, true},
        {u"nodata"_s, u"nodata_seconds"_s, u"Seconds without a record before a nodata rule fires (1-86400)."_s,
         u"seconds"_s, true},
        {u"hold"_s, u"hold_seconds"_s, u"Seconds the condition must hold before the rule fires (0-86400)."_s,
         u"seconds"_s, true},
        {u"hysteresis"_s, u"hysteresis"_s, u"How far back inside the value must come before the alert clears."_s,
         u"number"_s, true},
        {u"notify"_s, u"notify_channel"_s, u"Channel on which firing and clearing are published (subtopic alerts)."_s,
         u"id"_s, false},
        {u"publisher"_s, u"publisher"_s, u"Only records of this thing."_s, u"thing_id"_s, false},
        {u"rule-name"_s, u"name"_s, u"A label for the rule."_s, u"text"_s, false},
    };
    return flags;
}

QList<QCommandLineOption> ruleOptions()
{
    QList<QCommandLineOption> options;
    for (const RuleFlag &f : ruleFlags())
        options.append(QCommandLineOption(f.flag, f.help, f.valueName));
    return options;
}

// The rule as JSON: the <json> argument, or the flags given.
Result<QJsonObject> ruleBody(Context &ctx, const QString &jsonArgument)
{
    QJsonObject body;
    for (const RuleFlag &f : ruleFlags()) {
        if (!ctx.isSet(f.flag)) continue;
        if (!f.numeric) {
            body.insert(f.field, ctx.value(f.flag));
            continue;
        }
        bool ok = false;
        const double number = ctx.value(f.flag).toDouble(&ok);
        if (!ok) return fail(ErrorCode::Malformed, u"--%1: \"%2\" is not a number"_s.arg(f.flag, ctx.value(f.flag)));
        body.insert(f.field, number);
    }
    if (!jsonArgument.isEmpty()) {
        if (!body.isEmpty()) return fail(ErrorCode::Malformed, u"give either a JSON rule or flags, not both"_s);
        auto parsed = parseJsonArgument(u"rule"_s, jsonArgument);
        if (!parsed) return std::unexpected(parsed.error());
        if (!parsed->isObject()) return fail(ErrorCode::Malformed, u"rule: must be a JSON object"_s);
        return parsed->toObject();
    }
    if (body.isEmpty())
        return fail(ErrorCode::Malformed, u"give a JSON rule or --channel/--senml-name/--condition/..."_s);
    return body;
}

QString conditionText(const QJsonObject &r)
{
    const QString condition = r.value("condition"_L1).toString();
    QString text;
    if (condition == "above"_L1 || condition == "below"_L1)
        text = u"%1 %2"_s.arg(condition).arg(r.value("threshold"_L1).toDouble());
    else if (condition == "outside"_L1)
        text = u"outside %1..%2"_s.arg(r.value("low"_L1).toDouble()).arg(r.value("high"_L1).toDouble());
    else
        text = u"no data %1 s"_s.arg(r.value("nodata_seconds"_L1).toInteger());
    if (const qint64 hold = r.value("hold_seconds"_L1).toInteger(); hold > 0) text += u" for %1 s"_s.arg(hold);
    return text;
}

void printRules(QTextStream &out, const QJsonObject &body)
{
    QList<QStringList> rows;
    for (const QJsonValue &v : body.value("rules"_L1).toArray()) {
        const QJsonObject r = v.toObject();
        rows.append({r.value("id"_L1).toString(), r.value("name"_L1).toString(), r.value("channel"_L1).toString(),
                     r.value("senml_name"_L1).toString(), conditionText(r),
                     r.value("firing"_L1).toBool() ? u"FIRING"_s : u"ok"_s});
    }
    output::table(out, {u"ID"_s, u"NAME"_s, u"CHANNEL"_s, u"SENML NAME"_s, u"CONDITION"_s, u"STATE"_s}, rows);
    out << u"%1 of %2 rules"_s.arg(rows.size()).arg(body.value("total"_L1).toInteger()) << Qt::endl;
}

void printRule(QTextStream &out, const QJsonObject &r)
{
    QList<std::pair<QString, QString>> fields{{u"id"_s, r.value("id"_L1).toString()},
                                              {u"name"_s, r.value("name"_L1).toString()},
                                              {u"channel"_s, r.value("channel"_L1).toString()},
                                              {u"senml name"_s, r.value("senml_name"_L1).toString()},
                                              {u"condition"_s, conditionText(r)},
                                              {u"hysteresis"_s, QString::number(r.value("hysteresis"_L1).toDouble())},
                                              {u"state"_s, r.value("firing"_L1).toBool() ? u"FIRING"_s : u"ok"_s}};
    if (r.contains("publisher"_L1)) fields.append({u"publisher"_s, r.value("publisher"_L1).toString()});
    if (r.contains("notify_channel"_L1)) fields.append({u"notify channel"_s, r.value("notify_channel"_L1).toString()});
    output::fields(out, fields);
}

int printRuleResult(Context &ctx, const Result<QJsonObject> &rule)
{
    if (!rule) return ctx.failed(rule.error());
    if (ctx.json())
        ctx.printJson(*rule);
    else
        printRule(ctx.out, *rule);
    return ExitSuccess;
}

void printAlerts(QTextStream &out, const QJsonObject &body)
{
    QList<QStringList> rows;
    for (const QJsonValue &v : body.value("alerts"_L1).toArray()) {
        const QJsonObject a = v.toObject();
        const bool firing = a.value("state"_L1).toString() == "firing"_L1;
        const QString value = a.contains("value"_L1) ? QString::number(a.value("value"_L1).toDouble()) : u"-"_s;
        rows.append({QString::number(a.value("id"_L1).toInteger()), firing ? u"FIRING"_s : u"cleared"_s,
                     a.value("rule_name"_L1).toString().isEmpty() ? a.value("rule"_L1).toString()
                                                                  : a.value("rule_name"_L1).toString(),
                     a.value("senml_name"_L1).toString(), value, output::timeText(a.value("fired_at"_L1).toInteger()),
                     firing ? u"-"_s : output::timeText(a.value("cleared_at"_L1).toInteger()),
                     a.value("acked"_L1).toBool() ? u"yes"_s : u"no"_s});
    }
    output::table(
        out, {u"ID"_s, u"STATE"_s, u"RULE"_s, u"SENML NAME"_s, u"VALUE"_s, u"FIRED"_s, u"CLEARED"_s, u"ACKED"_s}, rows);
    out << u"%1 of %2 alerts"_s.arg(rows.size()).arg(body.value("total"_L1).toInteger()) << Qt::endl;
}

QUrlQuery pageOf(Context &ctx)
{
    const PageQuery page = ctx.page();
    QUrlQuery query;
    query.addQueryItem(u"offset"_s, QString::number(page.offset));
    query.addQueryItem(u"limit"_s, QString::number(page.limit));
    return query;
}

class RulesCreate final : public Command
{
public:
    RulesCreate()
        : Command({{u"rules"_s, u"create"_s},
                   u"[json]"_s,
                   u"Create an alert rule from JSON ({\"channel\": \"<id>\", \"senml_name\": \"temp\", "
                   "\"condition\": \"above\", \"threshold\": 30}) or from flags."_s,
                   0,
                   1,
                   true,
                   ruleOptions()})
    {}
    int run(Context &ctx) override
    {
        auto body = ruleBody(ctx, ctx.arg(0));
        if (!body) return ctx.usageError(body.error().message);
        return printRuleResult(ctx, ctx.client().createRule(*body).wait());
    }
};

class RulesGet final : public Command
{
public:
    RulesGet()
        : Command({{u"rules"_s, u"get"_s},
                   u"[rule_id|all]"_s,
                   u"Show one rule, or list your rules (paged with --offset/--limit, filtered with --channel, "
                   "--name)."_s,
                   0,
                   1,
                   true,
                   {QCommandLineOption(u"channel"_s, u"Only the rules of this channel."_s, u"id"_s),
                    QCommandLineOption(u"name"_s, u"Only rules whose label or SenML name contains this text."_s,
                                       u"text"_s)}})
    {}
    int run(Context &ctx) override
    {
        if (!ctx.arg(0).isEmpty() && ctx.arg(0) != "all"_L1)
            return printRuleResult(ctx, ctx.client().rule(ctx.arg(0)).wait());
        QUrlQuery query = pageOf(ctx);
        for (const QString &filter : {u"channel"_s, u"name"_s})
            if (ctx.isSet(filter)) query.addQueryItem(filter, ctx.value(filter));
        auto rules = ctx.client().rules(query).wait();
        if (!rules) return ctx.failed(rules.error());
        if (ctx.json())
            ctx.printJson(*rules);
        else
            printRules(ctx.out, *rules);
        return ExitSuccess;
    }
};

class RulesUpdate final : public Command
{
public:
    RulesUpdate()
        : Command({{u"rules"_s, u"update"_s},
                   u"<rule_id> [json]"_s,
                   u"Change a rule: the fields given (JSON or flags) replace the stored ones."_s,
                   1,
                   2,
                   true,
                   ruleOptions()})
    {}
    int run(Context &ctx) override
    {
        auto body = ruleBody(ctx, ctx.arg(1));
        if (!body) return ctx.usageError(body.error().message);
        return printRuleResult(ctx, ctx.client().updateRule(ctx.arg(0), *body).wait());
    }
};

class RulesDelete final : public Command
{
public:
    RulesDelete() : Command({{u"rules"_s, u"delete"_s}, u"<rule_id>"_s, u"Delete a rule and its alerts."_s, 1, 1}) {}
    int run(Context &ctx) override
    {
        auto removed = ctx.client().removeRule(ctx.arg(0)).wait();
        if (!removed) return ctx.failed(removed.error());
        ctx.note(u"deleted rule "_s + ctx.arg(0));
        return ExitSuccess;
    }
};

class AlertsGet final : public Command
{
public:
    AlertsGet()
        : Command({{u"alerts"_s, u"get"_s},
                   {},
                   u"List alerts, newest first: firing and cleared (--state), of one rule (--rule)."_s,
                   0,
                   0,
                   true,
                   {QCommandLineOption(u"state"_s, u"Only firing or only cleared alerts."_s, u"firing|cleared"_s),
                    QCommandLineOption(u"rule"_s, u"Only this rule's alerts."_s, u"rule_id"_s)}})
    {}
    int run(Context &ctx) override
    {
        const QString state = ctx.value(u"state"_s);
        if (!state.isEmpty() && state != "firing"_L1 && state != "cleared"_L1)
            return ctx.usageError(u"--state: give firing or cleared"_s);
        QUrlQuery query = pageOf(ctx);
        for (const QString &filter : {u"state"_s, u"rule"_s})
            if (ctx.isSet(filter)) query.addQueryItem(filter, ctx.value(filter));
        auto alerts = ctx.client().alerts(query).wait();
        if (!alerts) return ctx.failed(alerts.error());
        if (ctx.json())
            ctx.printJson(*alerts);
        else
            printAlerts(ctx.out, *alerts);
        return ExitSuccess;
    }
};

class AlertsAck final : public Command
{
public:
    AlertsAck() : Command({{u"alerts"_s, u"ack"_s}, u"<alert_id>"_s, u"Acknowledge an alert."_s, 1, 1}) {}
    int run(Context &ctx) override
    {
        auto alert = ctx.client().ackAlert(ctx.arg(0)).wait();
        if (!alert) return ctx.failed(alert.error());
        if (ctx.json())
            ctx.printJson(*alert);
        else
            ctx.note(u"acknowledged alert "_s + ctx.arg(0));
        return ExitSuccess;
    }
};

} // namespace

void addRulesCommands(CommandList &list)
{
    list.push_back(std::make_unique<RulesCreate>());
    list.push_back(std::make_unique<RulesGet>());
    list.push_back(std::make_unique<RulesUpdate>());
    list.push_back(std::make_unique<RulesDelete>());
    list.push_back(std::make_unique<AlertsGet>());
    list.push_back(std::make_unique<AlertsAck>());
}

} // namespace mf::cli
