#pragma once

#include "storage/database.h"
#include "storage/rulerepositories.h"

namespace mf::storage {

class SqlRuleRepository final : public RuleRepository
{
public:
    explicit SqlRuleRepository(Database &db) : m_db(db) {}
    Result<void> create(const Rule &rule, int maxPerOwner) override;
    Result<void> update(const Rule &rule) override;
    Result<void> remove(const QString &owner, const QString &id) override;
    Result<Rule> view(const QString &owner, const QString &id) override;
    Result<Rule> byId(const QString &id) override;
    Result<Page<Rule>> list(const QString &owner, const PageQuery &query, const QString &channel) override;
    Result<QList<Rule>> loadAll() override;

    Result<qint64> openAlert(const Alert &alert, int historyPerRule) override;
    Result<void> clearAlert(qint64 id, qint64 at, std::optional<double> value) override;
    Result<QList<Alert>> firingAlerts() override;
    Result<Page<Alert>> alerts(const QString &owner, const AlertQuery &query) override;
    Result<Alert> ackAlert(const QString &owner, qint64 id, qint64 at) override;

private:
    Database &m_db;
};

} // namespace mf::storage
