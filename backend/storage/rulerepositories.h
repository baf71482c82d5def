#pragma once

#include "core/entities.h"
#include "core/error.h"

#include <QList>
#include <QString>
#include <optional>

// Storage of alert rules and their alerts (services/rules, docs/fleet.md "Alerts"). Separate from repositories.h so
// that the entity repositories' users do not depend on it.
namespace mf::storage {

// A condition on one SenML name of a channel (checked by services/rules/rulevalidation before it is stored).
struct Rule
{
    enum class Condition { Above, Below, Outside, NoData };

    QString id;
    QString owner;
    QString channel;
    QString name;      // the rule's own label (may be empty)
    QString senmlName; // the watched SenML name (resolved: bn + n)
    QString publisher; // only this thing's records; empty: any publisher
    Condition condition = Condition::Above;
    double threshold = 0; // above, below
    double low = 0;       // outside
    double high = 0;      // outside
    qint64 noDataSeconds = 0;
    qint64 holdSeconds = 0; // the condition must hold this long before the rule fires
    double hysteresis = 0;  // a firing rule clears only once the value is this far back inside
    QString notifyChannel;  // firing and clearing are published here as SenML; empty: not published
    qint64 createdAt = 0;   // ms since the epoch
    qint64 updatedAt = 0;
    bool firing = false; // read only: whether the rule's latest alert is still firing

    friend bool operator==(const Rule &, const Rule &) = default;
};

QString conditionName(Rule::Condition condition);
std::optional<Rule::Condition> conditionFromName(const QString &name);

// One firing of a rule: opened when it fired, cleared later (or still firing).
struct Alert
{
    qint64 id = 0;
    QString rule;
    QString owner;
    bool firing = true;
    qint64 firedAt = 0;          // ms
    std::optional<double> value; // the value that fired it (none for no-data)
    qint64 clearedAt = 0;
    std::optional<double> clearValue;
    qint64 ackedAt = 0;
    // Of the rule, for lists.
    QString ruleName;
    QString channel;
    QString senmlName;
};

struct AlertQuery
{
    qint64 offset = 0;
    qint64 limit = 10;
    QString state; // "firing", "cleared" or "" (both)
    QString rule;  // only this rule's alerts
};

class RuleRepository
{
public:
    virtual ~RuleRepository() = default;
    // Conflict when the owner already has `maxPerOwner` rules.
    virtual Result<void> create(const Rule &rule, int maxPerOwner) = 0;
    virtual Result<void> update(const Rule &rule) = 0;                        // NotFound unless it is the owner's
    virtual Result<void> remove(const QString &owner, const QString &id) = 0; // NotFound unless it is the owner's
    virtual Result<Rule> view(const QString &owner, const QString &id) = 0;   // NotFound unless it is the owner's
    virtual Result<Rule> byId(const QString &id) = 0;                         // for the rules service
    // Oldest first; `query.name` filters on the rule's label or SenML name; `channel` non-empty: that channel's only.
    virtual Result<Page<Rule>> list(const QString &owner, const PageQuery &query, const QString &channel) = 0;
    virtual Result<QList<Rule>> loadAll() = 0;

    // A rule fired: a new firing alert, its id. Then the rule keeps its newest `historyPerRule` alerts.
    virtual Result<qint64> openAlert(const Alert &alert, int historyPerRule) = 0;
    // The firing alert `id` cleared.
    virtual Result<void> clearAlert(qint64 id, qint64 at, std::optional<double> value) = 0;
    // Every alert still firing (restored by the rules service at start).
    virtual Result<QList<Alert>> firingAlerts() = 0;
    // Newest first.
    virtual Result<Page<Alert>> alerts(const QString &owner, const AlertQuery &query) = 0;
    // NotFound unless the alert is the owner's; acknowledging twice keeps the first time.
    virtual Result<Alert> ackAlert(const QString &owner, qint64 id, qint64 at) = 0;
};

} // namespace mf::storage
