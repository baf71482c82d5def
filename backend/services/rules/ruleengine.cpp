#include "ruleengine.h"

#include <QSet>
#include <utility>

using Condition = mf::storage::Rule::Condition;

namespace mf::rules {

namespace {

std::optional<double> numeric(const StoredMessage &record)
{
    if (record.value) return record.value;
    if (record.boolValue) return *record.boolValue ? 1.0 : 0.0;
    return record.sum;
}

bool violates(const storage::Rule &r, double v)
{
    switch (r.condition) {
    case Condition::Above:
        return v > r.threshold;
    case Condition::Below:
        return v < r.threshold;
    case Condition::Outside:
        return v < r.low || v > r.high;
    case Condition::NoData:
        return false;
    }
    return false;
}

bool clears(const storage::Rule &r, double v)
{
    switch (r.condition) {
    case Condition::Above:
        return v <= r.threshold - r.hysteresis;
    case Condition::Below:
        return v >= r.threshold + r.hysteresis;
    case Condition::Outside:
        return v >= r.low + r.hysteresis && v <= r.high - r.hysteresis;
    case Condition::NoData:
        return true;
    }
    return false;
}

bool sameCondition(const storage::Rule &a, const storage::Rule &b)
{
    return a.condition == b.condition && a.threshold == b.threshold && a.low == b.low && a.high == b.high &&
           a.noDataSeconds == b.noDataSeconds && a.holdSeconds == b.holdSeconds && a.senmlName == b.senmlName &&
           a.publisher == b.publisher && a.channel == b.channel;
}

} // namespace

void RuleEngine::index(State *state)
{
    m_index[state->rule.channel][state->rule.senmlName].append(state);
}

void RuleEngine::unindex(State *state)
{
    auto channel = m_index.find(state->rule.channel);
    if (channel == m_index.end()) return;
    auto names = channel->find(state->rule.senmlName);
    if (names != channel->end()) {
        names->removeAll(state);
        if (names->isEmpty()) channel->erase(names);
    }
    if (channel->isEmpty()) m_index.erase(channel);
}

void RuleEngine::setRules(const QList<storage::Rule> &rules, qint64 nowMs)
{
    QSet<QString> keep;
    for (const storage::Rule &rule : rules) {
        keep.insert(rule.id);
        upsert(rule, nowMs);
    }
    const QStringList ids = m_rules.keys();
    for (const QString &id : ids)
        if (!keep.contains(id)) remove(id);
}

void RuleEngine::upsert(const storage::Rule &rule, qint64 nowMs)
{
    auto it = m_rules.find(rule.id);
    if (it == m_rules.end()) {
        auto state = std::make_shared<State>();
        state->rule = rule;
        state->lastSeen = nowMs;
        index(state.get());
        m_rules.insert(rule.id, std::move(state));
        return;
    }
    State *state = it->get();
    if (!sameCondition(state->rule, rule)) {
        state->pendingSince = -1;
        state->pendingValue.reset();
        state->lastSeen = nowMs;
    }
    unindex(state);
    state->rule = rule;
    index(state);
}

void RuleEngine::remove(const QString &ruleId)
{
    auto it = m_rules.find(ruleId);
    if (it == m_rules.end()) return;
    unindex(it->get());
    m_rules.erase(it);
}

QStringList RuleEngine::removeChannel(const QString &channel)
{
    QStringList gone;
    for (const auto &state : std::as_const(m_rules))
        if (state->rule.channel == channel) gone.append(state->rule.id);
    for (const QString &id : std::as_const(gone))
        remove(id);
    return gone;
}

QStringList RuleEngine::removeOwner(const QString &owner)
{
    QStringList gone;
    for (const auto &state : std::as_const(m_rules))
        if (state->rule.owner == owner) gone.append(state->rule.id);
    for (const QString &id : std::as_const(gone))
        remove(id);
    return gone;
}

void RuleEngine::setFiring(const QString &ruleId, qint64 alertId)
{
    auto it = m_rules.find(ruleId);
    if (it == m_rules.end()) return;
    State &state = **it;
    state.firing = true;
    state.alertId = alertId;
    state.pendingSince = -1;
}

QList<Transition> RuleEngine::evaluate(const StoredMessage &record, qint64 nowMs)
{
    QList<Transition> out;
    const auto channel = m_index.constFind(record.channel);
    if (channel == m_index.cend()) return out;
    const auto states = channel->constFind(record.name);
    if (states == channel->cend()) return out;
    for (State *state : *states) {
        if (!state->rule.publisher.isEmpty() && state->rule.publisher != record.publisher) continue;
        if (auto transition = evaluate(*state, record, nowMs)) out.append(*transition);
    }
    return out;
}

std::optional<Transition> RuleEngine::evaluate(State &state, const StoredMessage &record, qint64 nowMs)
{
    const storage::Rule &r = state.rule;
    state.lastSeen = nowMs;
    const std::optional<double> value = numeric(record);
    if (r.condition == Condition::NoData) {
        if (!state.firing) return std::nullopt;
        state.firing = false;
        return Transition{r.id, false, value, nowMs, std::exchange(state.alertId, 0)};
    }
    if (!value) return std::nullopt; // a string or data value says nothing about a threshold
    if (state.firing) {
        if (!clears(r, *value)) return std::nullopt;
        state.firing = false;
        return Transition{r.id, false, value, nowMs, std::exchange(state.alertId, 0)};
    }
    if (!violates(r, *value)) {
        state.pendingSince = -1;
        state.pendingValue.reset();
        return std::nullopt;
    }
    if (state.pendingSince < 0) state.pendingSince = nowMs;
    state.pendingValue = value;
    if (nowMs - state.pendingSince < r.holdSeconds * 1000) return std::nullopt;
    state.firing = true;
    state.pendingSince = -1;
    return Transition{r.id, true, value, nowMs, 0};
}

QList<Transition> RuleEngine::tick(qint64 nowMs)
{
    QList<Transition> out;
    for (const auto &owned : std::as_const(m_rules)) {
        State &state = *owned;
        if (state.firing) continue;
        const storage::Rule &r = state.rule;
        if (r.condition == Condition::NoData) {
            if (nowMs - state.lastSeen >= (r.noDataSeconds + r.holdSeconds) * 1000) {
                state.firing = true;
                out.append(Transition{r.id, true, std::nullopt, nowMs, 0});
            }
        } else if (state.pendingSince >= 0 && nowMs - state.pendingSince >= r.holdSeconds * 1000) {
            state.firing = true;
            state.pendingSince = -1;
            out.append(Transition{r.id, true, state.pendingValue, nowMs, 0});
        }
    }
    return out;
}

std::optional<storage::Rule> RuleEngine::rule(const QString &ruleId) const
{
    const auto it = m_rules.constFind(ruleId);
    return it == m_rules.cend() ? std::nullopt : std::optional((*it)->rule);
}

bool RuleEngine::isFiring(const QString &ruleId) const
{
    const auto it = m_rules.constFind(ruleId);
    return it != m_rules.cend() && (*it)->firing;
}

QStringList RuleEngine::notifying(const QString &channel) const
{
    QStringList ids;
    for (const auto &state : m_rules)
        if (state->rule.notifyChannel == channel) ids.append(state->rule.id);
    return ids;
}

} // namespace mf::rules
