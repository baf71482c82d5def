#pragma once

#include "core/message.h"
#include "storage/rulerepositories.h"

#include <QHash>
#include <QList>
#include <QString>
#include <memory>
#include <optional>

namespace mf::rules {

// A rule fired or cleared.
struct Transition
{
    QString rule;
    bool firing = true;
    std::optional<double> value; // the value that caused it (none for a no-data firing)
    qint64 at = 0;               // ms
    qint64 alertId = 0;          // clearing: the alert it clears (set by the engine from setAlertId())
};

// Evaluates normalized records against alert rules (pure logic, no clock of its own: every call gets the time, so
// tests drive it). Rules are indexed channel → SenML name → rules, so a record costs one hash lookup for a channel
// without rules; nothing is read from storage here.
//
// A value rule (above, below, outside) fires once its condition has held for `holdSeconds` (every record in that
// time kept it true; a record that ends it starts the wait again), at the record or at the tick that completes the
// hold. A firing rule clears at the first record back inside the band narrowed by `hysteresis` (above T clears below
// T - h, below T clears above T + h, outside [L, H] clears within [L + h, H - h]), so a value jittering around the
// threshold does not flap. A no-data rule fires at the tick when no record of its name (and publisher) came for
// `noDataSeconds` (counted from the last record, or from when the engine learnt the rule) and clears at the next one.
class RuleEngine final
{
public:
    // Replaces every rule; the state of rules that stay (same id) is kept.
    void setRules(const QList<storage::Rule> &rules, qint64 nowMs);
    // Adds or replaces one rule (a changed condition starts its hold again; a firing rule stays firing).
    void upsert(const storage::Rule &rule, qint64 nowMs);
    void remove(const QString &ruleId);
    // Every rule of the channel (removed) or the owner (removed); returns the ids dropped.
    QStringList removeChannel(const QString &channel);
    QStringList removeOwner(const QString &owner);
    // Marks the rule firing with its open alert (at start, from the alerts table; after a firing was stored).
    void setFiring(const QString &ruleId, qint64 alertId);

    // One normalized record; the transitions it causes.
    QList<Transition> evaluate(const StoredMessage &record, qint64 nowMs);
    // Holds that completed and no-data timers that ran out.
    QList<Transition> tick(qint64 nowMs);

    std::optional<storage::Rule> rule(const QString &ruleId) const;
    bool isFiring(const QString &ruleId) const;
    qsizetype size() const { return m_rules.size(); }
    // Rules whose notify channel is `channel`.
    QStringList notifying(const QString &channel) const;

private:
    struct State
    {
        storage::Rule rule;
        bool firing = false;
        qint64 alertId = 0;
        qint64 pendingSince = -1; // the condition holds since then (ms); -1: it does not
        std::optional<double> pendingValue;
        qint64 lastSeen = 0; // the last record (no-data), or when the rule was learnt
    };
    void index(State *state);
    void unindex(State *state);
    std::optional<Transition> evaluate(State &state, const StoredMessage &record, qint64 nowMs);

    // id → state; the index points into the states (stable: each is its own allocation), so a record costs no lookup
    // per rule.
    QHash<QString, std::shared_ptr<State>> m_rules;
    QHash<QString, QHash<QString, QList<State *>>> m_index; // channel → SenML name → states
};

} // namespace mf::rules
