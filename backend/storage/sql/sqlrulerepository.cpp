#include "sqlrulerepository.h"

#include "sqlquery.h"
#include "storage/sqlerror.h"

using namespace Qt::StringLiterals;

namespace mf::storage {

QString conditionName(Rule::Condition condition)
{
    switch (condition) {
    case Rule::Condition::Above:
        return u"above"_s;
    case Rule::Condition::Below:
        return u"below"_s;
    case Rule::Condition::Outside:
        return u"outside"_s;
    case Rule::Condition::NoData:
        return u"nodata"_s;
    }
    return {};
}

std::optional<Rule::Condition> conditionFromName(const QString &name)
{
    for (Rule::Condition c :
         {Rule::Condition::Above, Rule::Condition::Below, Rule::Condition::Outside, Rule::Condition::NoData})
        if (conditionName(c) == name) return c;
    return std::nullopt;
}

namespace {

const QString ruleColumns = u"r.id, r.owner, r.channel, r.name, r.senml_name, r.publisher, r.condition, r.threshold, "
                            "r.low, r.high, r.nodata_seconds, r.hold_seconds, r.hysteresis, r.notify_channel, "
                            "r.created_at, r.updated_at, EXISTS (SELECT 1 FROM alerts a WHERE a.rule = r.id AND "
                            "a.firing = ?)"_s;

Rule ruleFrom(const QSqlQuery &q)
{
    Rule r;
    r.id = q.value(0).toString();
    r.owner = q.value(1).toString();
    r.channel = q.value(2).toString();
    r.name = q.value(3).toString();
    r.senmlName = q.value(4).toString();
    r.publisher = q.value(5).toString();
    r.condition = conditionFromName(q.value(6).toString()).value_or(Rule::Condition::Above);
    r.threshold = q.value(7).toDouble();
    r.low = q.value(8).toDouble();
    r.high = q.value(9).toDouble();
    r.noDataSeconds = q.value(10).toLongLong();
    r.holdSeconds = q.value(11).toLongLong();
    r.hysteresis = q.value(12).toDouble();
    r.notifyChannel = q.value(13).toString();
    r.createdAt = q.value(14).toLongLong();
    r.updatedAt = q.value(15).toLongLong();
    r.firing = q.value(16).toBool();
    return r;
}

QVariant optionalDouble(std::optional<double> value)
{
    return value ? QVariant(*value) : QVariant(QMetaType::fromType<double>());
}

QVariant notifyValue(const QString &channel)
{
    return channel.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(channel);
}

// The bound columns of a rule after id and owner, in the order of the INSERT and UPDATE below.
QVariantList ruleValues(const Rule &r)
{
    return {
        r.channel, text(r.name),    r.senmlName,   text(r.publisher), conditionName(r.condition),  r.threshold, r.low,
        r.high,    r.noDataSeconds, r.holdSeconds, r.hysteresis,      notifyValue(r.notifyChannel)};
}

Result<Rule> oneRule(Database &db, const QString &where, const QVariantList &binds)
{
    auto q = runQuery(db.connection(), u"SELECT %1 FROM rules r WHERE %2"_s.arg(ruleColumns, where),
                      QVariantList{true} + binds, u"read rule"_s);
    if (!q) return std::unexpected(q.error());
    if (!q->next()) return fail(ErrorCode::NotFound, u"rule not found"_s);
    return ruleFrom(*q);
}

const QString alertColumns = u"a.id, a.rule, a.owner, a.firing, a.fired_at, a.value, a.cleared_at, a.clear_value, "
                             "a.acked_at, r.name, r.channel, r.senml_name"_s;

Alert alertFrom(const QSqlQuery &q)
{
    Alert a;
    a.id = q.value(0).toLongLong();
    a.rule = q.value(1).toString();
    a.owner = q.value(2).toString();
    a.firing = q.value(3).toBool();
    a.firedAt = q.value(4).toLongLong();
    if (!q.value(5).isNull()) a.value = q.value(5).toDouble();
    a.clearedAt = q.value(6).toLongLong();
    if (!q.value(7).isNull()) a.clearValue = q.value(7).toDouble();
    a.ackedAt = q.value(8).toLongLong();
    a.ruleName = q.value(9).toString();
    a.channel = q.value(10).toString();
    a.senmlName = q.value(11).toString();
    return a;
}

} // namespace

Result<void> SqlRuleRepository::create(const Rule &rule, int maxPerOwner)
{
    QSqlDatabase db = m_db.connection();
    Transaction tx(db);
    auto count = runQuery(db, u"SELECT COUNT(*) FROM rules WHERE owner = ?"_s, {rule.owner}, u"count rules"_s);
    if (!count) return std::unexpected(count.error());
    if (count->next() && count->value(0).toLongLong() >= maxPerOwner)
        return fail(ErrorCode::Conflict,
                    u"you have %1 rules, the most allowed (MF_RULES_MAX); remove one first"_s.arg(maxPerOwner));
    auto inserted =
        runQuery(db,
                 u"INSERT INTO rules (id, owner, channel, name, senml_name, publisher, condition, "
                 "threshold, low, high, nodata_seconds, hold_seconds, hysteresis, notify_channel, "
                 "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s,
                 QVariantList{rule.id, rule.owner} + ruleValues(rule) + QVariantList{rule.createdAt, rule.updatedAt},
                 u"store rule"_s);
    if (!inserted) return std::unexpected(inserted.error());
    return tx.commit();
}

Result<void> SqlRuleRepository::update(const Rule &rule)
{
    auto q = runQuery(m_db.connection(),
                      u"UPDATE rules SET channel = ?, name = ?, senml_name = ?, publisher = ?, condition = ?, "
                      "threshold = ?, low = ?, high = ?, nodata_seconds = ?, hold_seconds = ?, hysteresis = ?, "
                      "notify_channel = ?, updated_at = ? WHERE id = ? AND owner = ?"_s,
                      ruleValues(rule) + QVariantList{rule.updatedAt, rule.id, rule.owner}, u"update rule"_s);
    if (!q) return std::unexpected(q.error());
    if (q->numRowsAffected() == 0) return fail(ErrorCode::NotFound, u"rule not found"_s);
    return {};
}

Result<void> SqlRuleRepository::remove(const QString &owner, const QString &id)
{
    auto q =
        runQuery(m_db.connection(), u"DELETE FROM rules WHERE id = ? AND owner = ?"_s, {id, owner}, u"remove rule"_s);
    if (!q) return std::unexpected(q.error());
    if (q->numRowsAffected() == 0) return fail(ErrorCode::NotFound, u"rule not found"_s);
    return {};
}

Result<Rule> SqlRuleRepository::view(const QString &owner, const QString &id)
{
    return oneRule(m_db, u"r.id = ? AND r.owner = ?"_s, {id, owner});
}

Result<Rule> SqlRuleRepository::byId(const QString &id)
{
    return oneRule(m_db, u"r.id = ?"_s, {id});
}

Result<Page<Rule>> SqlRuleRepository::list(const QString &owner, const PageQuery &query, const QString &channel)
{
    QString where = u" WHERE r.owner = ?"_s;
    QVariantList binds{owner};
    if (!channel.isEmpty()) {
        where += u" AND r.channel = ?"_s;
        binds.append(channel);
    }
    if (!query.name.isEmpty()) {
        where += u" AND (LOWER(r.name) LIKE ? ESCAPE '!' OR LOWER(r.senml_name) LIKE ? ESCAPE '!')"_s;
        binds << likePattern(query.name) << likePattern(query.name);
    }
    QSqlDatabase db = m_db.connection();
    auto total = runQuery(db, u"SELECT COUNT(*) FROM rules r"_s + where, binds, u"count rules"_s);
    if (!total) return std::unexpected(total.error());
    Page<Rule> page{{}, total->next() ? total->value(0).toLongLong() : 0, query.offset, query.limit};
    const QString order = query.order == "name"_L1 ? u"r.name"_s : u"r.created_at"_s;
    const QString dir = query.descending ? u" DESC"_s : u""_s;
    auto rows = runQuery(
        db, u"SELECT %1 FROM rules r%2 ORDER BY %3%4, r.id%4 LIMIT ? OFFSET ?"_s.arg(ruleColumns, where, order, dir),
        QVariantList{true} + binds + QVariantList{query.limit, query.offset}, u"list rules"_s);
    if (!rows) return std::unexpected(rows.error());
    while (rows->next())
        page.items.append(ruleFrom(*rows));
    return page;
}

Result<QList<Rule>> SqlRuleRepository::loadAll()
{
    auto q = runQuery(m_db.connection(), u"SELECT %1 FROM rules r"_s.arg(ruleColumns), {true}, u"read rules"_s);
    if (!q) return std::unexpected(q.error());
    QList<Rule> rules;
    while (q->next())
        rules.append(ruleFrom(*q));
    return rules;
}

Result<qint64> SqlRuleRepository::openAlert(const Alert &alert, int historyPerRule)
{
    QSqlDatabase db = m_db.connection();
    Transaction tx(db);
    // A rule removed meanwhile has no row to refer to: nothing is stored (NotFound).
    auto inserted =
        runQuery(db,
                 u"INSERT INTO alerts (rule, owner, firing, fired_at, value) SELECT ?, owner, ?, ?, ? "
                 "FROM rules WHERE id = ? RETURNING id"_s,
                 {alert.rule, true, alert.firedAt, optionalDouble(alert.value), alert.rule}, u"store alert"_s);
    if (!inserted) return std::unexpected(inserted.error());
    if (!inserted->next()) return fail(ErrorCode::NotFound, u"rule not found"_s);
    const qint64 id = inserted->value(0).toLongLong();
    inserted->finish();
    auto pruned = runQuery(db,
                           u"DELETE FROM alerts WHERE rule = ? AND id <= (SELECT id FROM alerts WHERE rule = ? "
                           "ORDER BY id DESC LIMIT 1 OFFSET ?)"_s,
                           {alert.rule, alert.rule, historyPerRule}, u"prune alerts"_s);
    if (!pruned) return std::unexpected(pruned.error());
    if (auto committed = tx.commit(); !committed) return std::unexpected(committed.error());
    return id;
}

Result<void> SqlRuleRepository::clearAlert(qint64 id, qint64 at, std::optional<double> value)
{
    auto q = runQuery(m_db.connection(),
                      u"UPDATE alerts SET firing = ?, cleared_at = ?, clear_value = ? WHERE id = ? AND firing = ?"_s,
                      {false, at, optionalDouble(value), id, true}, u"clear alert"_s);
    if (!q) return std::unexpected(q.error());
    return {};
}

Result<QList<Alert>> SqlRuleRepository::firingAlerts()
{
    auto q = runQuery(m_db.connection(),
                      u"SELECT %1 FROM alerts a JOIN rules r ON r.id = a.rule WHERE a.firing = ?"_s.arg(alertColumns),
                      {true}, u"read firing alerts"_s);
    if (!q) return std::unexpected(q.error());
    QList<Alert> alerts;
    while (q->next())
        alerts.append(alertFrom(*q));
    return alerts;
}

Result<Page<Alert>> SqlRuleRepository::alerts(const QString &owner, const AlertQuery &query)
{
    QString where = u" WHERE a.owner = ?"_s;
    QVariantList binds{owner};
    if (!query.state.isEmpty()) {
        where += u" AND a.firing = ?"_s;
        binds.append(query.state == "firing"_L1);
    }
    if (!query.rule.isEmpty()) {
        where += u" AND a.rule = ?"_s;
        binds.append(query.rule);
    }
    QSqlDatabase db = m_db.connection();
    const QString from = u" FROM alerts a JOIN rules r ON r.id = a.rule"_s;
    auto total = runQuery(db, u"SELECT COUNT(*)"_s + from + where, binds, u"count alerts"_s);
    if (!total) return std::unexpected(total.error());
    Page<Alert> page{{}, total->next() ? total->value(0).toLongLong() : 0, query.offset, query.limit};
    auto rows = runQuery(db, u"SELECT "_s + alertColumns + from + where + u" ORDER BY a.id DESC LIMIT ? OFFSET ?"_s,
                         binds + QVariantList{query.limit, query.offset}, u"list alerts"_s);
    if (!rows) return std::unexpected(rows.error());
    while (rows->next())
        page.items.append(alertFrom(*rows));
    return page;
}

Result<Alert> SqlRuleRepository::ackAlert(const QString &owner, qint64 id, qint64 at)
{
    auto q =
        runQuery(m_db.connection(), u"UPDATE alerts SET acked_at = ? WHERE id = ? AND owner = ? AND acked_at = 0"_s,
                 {at, id, owner}, u"acknowledge alert"_s);
    if (!q) return std::unexpected(q.error());
    auto read = runQuery(
        m_db.connection(),
        u"SELECT %1 FROM alerts a JOIN rules r ON r.id = a.rule WHERE a.id = ? AND a.owner = ?"_s.arg(alertColumns),
        {id, owner}, u"read alert"_s);
    if (!read) return std::unexpected(read.error());
    if (!read->next()) return fail(ErrorCode::NotFound, u"alert not found"_s);
    return alertFrom(*read);
}

} // namespace mf::storage
