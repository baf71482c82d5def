#pragma once

#include "core/error.h"
#include "storage/rulerepositories.h"

#include <QJsonObject>

namespace mf::rules {

// Bounds checked on every rule (docs/fleet.md "Alerts").
inline constexpr qint64 MaxRuleSeconds = 86'400;      // hold_seconds and nodata_seconds: at most a day
inline constexpr int DefaultMaxRulesPerOwner = 1'000; // MF_RULES_MAX

// A rule from its JSON over `base` (absent fields keep base's values, so PUT may change one field), checked as a
// whole: Malformed with a message naming the field. Channel ownership is checked by the caller.
Result<storage::Rule> ruleFromJson(const QJsonObject &body, const storage::Rule &base);
// Whether `name` is a valid SenML name (RFC 8428 §4.5.1); the problem, or empty.
QString senmlNameProblem(const QString &name);

QJsonObject toJson(const storage::Rule &rule);
QJsonObject toJson(const storage::Alert &alert);

} // namespace mf::rules
