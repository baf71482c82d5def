#include "rulejson.h"

#include <cmath>

using namespace Qt::StringLiterals;
using Condition = mf::storage::Rule::Condition;

namespace mf::rules {

namespace {

Result<void> readString(const QJsonObject &body, QLatin1StringView field, QString &out)
{
    const QJsonValue v = body.value(field);
    if (v.isUndefined()) return {};
    if (v.isNull()) {
        out.clear();
        return {};
    }
    if (!v.isString()) return fail(ErrorCode::Malformed, field + u": must be a string"_s);
    if (v.toString().size() > MaxNameLength) return fail(ErrorCode::Malformed, field + u": too long"_s);
    out = v.toString();
    return {};
}

Result<void> readNumber(const QJsonObject &body, QLatin1StringView field, double &out)
{
    const QJsonValue v = body.value(field);
    if (v.isUndefined()) return {};
    if (!v.isDouble() || !std::isfinite(v.toDouble()))
        return fail(ErrorCode::Malformed, field + u": must be a number"_s);
    out = v.toDouble();
    return {};
}

Result<void> readSeconds(const QJsonObject &body, QLatin1StringView field, qint64 &out)
{
    const QJsonValue v = body.value(field);
    if (v.isUndefined()) return {};
    const double d = v.toDouble(-1);
    if (!v.isDouble() || d != std::floor(d))
        return fail(ErrorCode::Malformed, field + u": must be a whole number of seconds"_s);
    if (d < 0 || d > MaxRuleSeconds)
        return fail(ErrorCode::Malformed, field + u": must be between 0 and %1 seconds (a day)"_s.arg(MaxRuleSeconds));
    out = qint64(d);
    return {};
}

} // namespace

QString senmlNameProblem(const QString &name)
{
    if (name.isEmpty()) return u"must not be empty"_s;
    if (name.size() > MaxNameLength) return u"too long"_s;
    for (qsizetype i = 0; i < name.size(); ++i) {
        const char16_t c = name.at(i).unicode();
        const bool alnum = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9');
        if (i == 0 && !alnum) return u"must start with a letter or digit (RFC 8428)"_s;
        if (!alnum && c != u'-' && c != u':' && c != u'.' && c != u'/' && c != u'_')
            return u"contains '%1'; a SenML name has only letters, digits and - : . / _"_s.arg(name.at(i));
    }
    return {};
}

Result<storage::Rule> ruleFromJson(const QJsonObject &body, const storage::Rule &base)
{
    storage::Rule r = base;
    for (const auto &[field, out] :
         {std::pair{"name"_L1, &r.name}, std::pair{"channel"_L1, &r.channel}, std::pair{"senml_name"_L1, &r.senmlName},
          std::pair{"publisher"_L1, &r.publisher}, std::pair{"notify_channel"_L1, &r.notifyChannel}})
        if (auto ok = readString(body, field, *out); !ok) return std::unexpected(ok.error());
    if (const QJsonValue c = body.value("condition"_L1); !c.isUndefined()) {
        auto condition = storage::conditionFromName(c.toString());
        if (!c.isString() || !condition)
            return fail(ErrorCode::Malformed, u"condition: must be \"above\", \"below\", \"outside\" or \"nodata\""_s);
        r.condition = *condition;
    }
    for (const auto &[field, out] : {std::pair{"threshold"_L1, &r.threshold}, std::pair{"low"_L1, &r.low},
                                     std::pair{"high"_L1, &r.high}, std::pair{"hysteresis"_L1, &r.hysteresis}})
        if (auto ok = readNumber(body, field, *out); !ok) return std::unexpected(ok.error());
    for (const auto &[field, out] :
         {std::pair{"hold_seconds"_L1, &r.holdSeconds}, std::pair{"nodata_seconds"_L1, &r.noDataSeconds}})
        if (auto ok = readSeconds(body, field, *out); !ok) return std::unexpected(ok.error());

    if (r.channel.isEmpty())
        return fail(ErrorCode::Malformed, u"channel: missing (the id of the channel whose records the rule watches)"_s);
    if (const QString problem = senmlNameProblem(r.senmlName); !problem.isEmpty())
        return fail(ErrorCode::Malformed, u"senml_name: "_s + problem);
    if (r.hysteresis < 0) return fail(ErrorCode::Malformed, u"hysteresis: must not be negative"_s);
    const bool isNew = base.id.isEmpty();
    if (isNew && !body.contains("condition"_L1))
        return fail(ErrorCode::Malformed, u"condition: missing (\"above\", \"below\", \"outside\" or \"nodata\")"_s);
    switch (r.condition) {
    case Condition::Above:
    case Condition::Below:
        if (isNew && !body.contains("threshold"_L1))
            return fail(ErrorCode::Malformed, u"threshold: missing (a number)"_s);
        break;
    case Condition::Outside:
        if (isNew && (!body.contains("low"_L1) || !body.contains("high"_L1)))
            return fail(ErrorCode::Malformed, u"low, high: both needed for \"outside\" (numbers, low < high)"_s);
        if (r.low >= r.high)
            return fail(ErrorCode::Malformed, u"low: must be below high (%1 ≥ %2)"_s.arg(r.low).arg(r.high));
        if (2 * r.hysteresis >= r.high - r.low)
            return fail(ErrorCode::Malformed, u"hysteresis: must be less than half of high - low"_s);
        break;
    case Condition::NoData:
        if (r.noDataSeconds < 1)
            return fail(ErrorCode::Malformed, u"nodata_seconds: needed for \"nodata\" (1 to %1)"_s.arg(MaxRuleSeconds));
        break;
    }
    return r;
}

QJsonObject toJson(const storage::Rule &r)
{
    QJsonObject o{{u"id"_s, r.id},
                  {u"name"_s, r.name},
                  {u"channel"_s, r.channel},
                  {u"senml_name"_s, r.senmlName},
                  {u"condition"_s, storage::conditionName(r.condition)},
                  {u"hold_seconds"_s, r.holdSeconds},
                  {u"hysteresis"_s, r.hysteresis},
                  {u"firing"_s, r.firing},
                  {u"created_at"_s, r.createdAt},
                  {u"updated_at"_s, r.updatedAt}};
    if (!r.publisher.isEmpty()) o.insert(u"publisher"_s, r.publisher);
    if (!r.notifyChannel.isEmpty()) o.insert(u"notify_channel"_s, r.notifyChannel);
    switch (r.condition) {
    case Condition::Above:
    case Condition::Below:
        o.insert(u"threshold"_s, r.threshold);
        break;
    case Condition::Outside:
        o.insert(u"low"_s, r.low);
        o.insert(u"high"_s, r.high);
        break;
    case Condition::NoData:
        o.insert(u"nodata_seconds"_s, r.noDataSeconds);
        break;
    }
    return o;
}

QJsonObject toJson(const storage::Alert &a)
{
    QJsonObject o{{u"id"_s, a.id},
                  {u"rule"_s, a.rule},
                  {u"rule_name"_s, a.ruleName},
                  {u"channel"_s, a.channel},
                  {u"senml_name"_s, a.senmlName},
                  {u"state"_s, a.firing ? u"firing"_s : u"cleared"_s},
                  {u"fired_at"_s, a.firedAt},
                  {u"acked"_s, a.ackedAt > 0}};
    if (a.value) o.insert(u"value"_s, *a.value);
    if (!a.firing) {
        o.insert(u"cleared_at"_s, a.clearedAt);
        if (a.clearValue) o.insert(u"clear_value"_s, *a.clearValue);
    }
    if (a.ackedAt > 0) o.insert(u"acked_at"_s, a.ackedAt);
    return o;
}

} // namespace mf::rules
