#include "rulesservice.h"

#include "api/metrics.h"
#include "bus/subjects.h"
#include "core/messagejson.h"
#include "rulejson.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcRules, "mainflux.rules")

namespace mf::rules {

namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace

RulesService::RulesService(bus::NatsConnection &nats, storage::RuleRepository &repository, Publish publish,
                           RulesOptions options, api::Metrics *metrics, QObject *parent)
    : QObject(parent), m_nats(nats), m_repository(repository), m_publish(std::move(publish)), m_metrics(metrics),
      m_options(options)
{
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, &RulesService::tick);
}

Result<void> RulesService::start()
{
    // Rule changes first: one made while the rules load is applied after them.
    auto changes = m_nats.subscribe(rulesEventsSubject, {}, this,
                                    [this](QByteArray, QByteArray data, QByteArray) { onRuleChanged(data); });
    if (!changes) return std::unexpected(changes.error());
    m_subscriptions.push_back(std::move(*changes));
    auto rules = m_repository.loadAll();
    if (!rules) return std::unexpected(rules.error());
    m_engine.setRules(*rules, nowMs());
    auto firing = m_repository.firingAlerts();
    if (!firing) return std::unexpected(firing.error());
    for (const storage::Alert &alert : *firing)
        m_engine.setFiring(alert.rule, alert.id);
    auto records = m_nats.subscribe(bus::allSenmlSubject, "rules", this,
                                    [this](QByteArray, QByteArray data, QByteArray) { onRecord(data); });
    if (!records) return std::unexpected(records.error());
    m_subscriptions.push_back(std::move(*records));
    qCInfo(lcRules).noquote() << u"%1 rules loaded, %2 firing"_s.arg(rules->size()).arg(firing->size());
    m_timer.start();
    return {};
}

void RulesService::onRecord(const QByteArray &data)
{
    ++m_evaluated;
    if (m_metrics) m_metrics->increment("mf_rules_records_total");
    if (m_engine.size() == 0) return;
    const StoredMessage record = json::messageFromJson(QJsonDocument::fromJson(data).object());
    if (record.protocol == QLatin1StringView(rulesProtocol)) return;
    if (const QList<Transition> transitions = m_engine.evaluate(record, nowMs()); !transitions.isEmpty())
        apply(transitions);
}

void RulesService::tick()
{
    if (const QList<Transition> transitions = m_engine.tick(nowMs()); !transitions.isEmpty()) apply(transitions);
}

void RulesService::onRuleChanged(const QByteArray &data)
{
    reload(QJsonDocument::fromJson(data).object().value("rule"_L1).toString());
}

// A control-path read: the rule as stored now (gone: removed).
void RulesService::reload(const QString &ruleId)
{
    if (ruleId.isEmpty()) return;
    auto rule = m_repository.byId(ruleId);
    if (rule) {
        m_engine.upsert(*rule, nowMs());
    } else if (rule.error().code == ErrorCode::NotFound) {
        m_engine.remove(ruleId);
    } else {
        qCWarning(lcRules).noquote() << "rule" << ruleId << "not reloaded:" << rule.error().message;
    }
}

void RulesService::onThingsEvent(const things::ThingsEvent &event)
{
    using Kind = things::ThingsEvent::Kind;
    if (event.kind == Kind::ChannelRemoved) {
        m_engine.removeChannel(event.channelId);
        for (const QString &id : m_engine.notifying(event.channelId))
            reload(id); // its notify channel was cleared by the database
    } else if (event.kind == Kind::OwnerRemoved) {
        m_engine.removeOwner(event.owner);
    }
}

void RulesService::apply(const QList<Transition> &transitions)
{
    for (const Transition &t : transitions) {
        const std::optional<storage::Rule> rule = m_engine.rule(t.rule);
        if (!rule) continue;
        storage::Alert alert;
        alert.rule = rule->id;
        alert.owner = rule->owner;
        alert.ruleName = rule->name;
        alert.channel = rule->channel;
        alert.senmlName = rule->senmlName;
        if (t.firing) {
            alert.firedAt = t.at;
            alert.value = t.value;
            auto id = m_repository.openAlert(alert, m_options.historyPerRule);
            if (!id) {
                // Not stored: the rule fires again at its next record (or tick) instead of firing unrecorded.
                qCWarning(lcRules).noquote() << "firing of rule" << rule->id << "not stored:" << id.error().message;
                m_engine.remove(rule->id);
                if (id.error().code != ErrorCode::NotFound) // NotFound: the rule was removed meanwhile
                    m_engine.upsert(*rule, t.at);
                continue;
            }
            alert.id = *id;
            m_engine.setFiring(rule->id, *id);
        } else {
            alert.id = t.alertId;
            alert.firing = false;
            alert.clearedAt = t.at;
            alert.clearValue = t.value;
            if (auto cleared = m_repository.clearAlert(t.alertId, t.at, t.value); !cleared)
                qCWarning(lcRules).noquote()
                    << "clearing of rule" << rule->id << "not stored:" << cleared.error().message;
        }
        notify(*rule, alert);
        if (m_metrics)
            m_metrics->increment("mf_rules_transitions_total", t.firing ? "state=\"firing\"" : "state=\"cleared\"");
        Q_EMIT transitioned(alert);
    }
}

// The transition as SenML on the notify channel: alert:state ("firing"|"cleared"), alert:value, alert:rule (id),
// alert:rule_name, alert:senml_name, at the transition's time.
void RulesService::notify(const storage::Rule &rule, const storage::Alert &alert)
{
    const QJsonObject event{{u"owner"_s, rule.owner}, {u"alert"_s, toJson(alert)}};
    (void)m_nats.publish(alertsEventsSubject, QJsonDocument(event).toJson(QJsonDocument::Compact));
    if (rule.notifyChannel.isEmpty() || !m_publish) return;
    const qint64 at = alert.firing ? alert.firedAt : alert.clearedAt;
    QJsonArray pack{QJsonObject{{u"bn"_s, u"alert:"_s},
                                {u"bt"_s, double(at) / 1000.0},
                                {u"n"_s, u"state"_s},
                                {u"vs"_s, alert.firing ? u"firing"_s : u"cleared"_s}},
                    QJsonObject{{u"n"_s, u"rule"_s}, {u"vs"_s, rule.id}},
                    QJsonObject{{u"n"_s, u"senml_name"_s}, {u"vs"_s, rule.senmlName}}};
    if (!rule.name.isEmpty()) pack.append(QJsonObject{{u"n"_s, u"rule_name"_s}, {u"vs"_s, rule.name}});
    if (const auto value = alert.firing ? alert.value : alert.clearValue)
        pack.append(QJsonObject{{u"n"_s, u"value"_s}, {u"v"_s, *value}});
    bus::Envelope envelope;
    envelope.channel = rule.notifyChannel;
    envelope.protocol = QString::fromLatin1(rulesProtocol);
    envelope.contentType = u"application/senml+json"_s;
    envelope.subtopic = QString::fromLatin1(alertsSubtopic);
    envelope.payload = QJsonDocument(pack).toJson(QJsonDocument::Compact);
    envelope.createdNs = at * 1'000'000;
    m_publish(envelope);
}

} // namespace mf::rules
