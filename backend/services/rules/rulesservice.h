#pragma once

#include "bus/envelope.h"
#include "bus/natsconnection.h"
#include "ruleengine.h"
#include "services/things/thingsevent.h"
#include "storage/rulerepositories.h"

#include <QObject>

namespace mf::api {
class Metrics;
}
#include <QTimer>
#include <functional>
#include <vector>

namespace mf::rules {

// Subject of rule changes: {"owner", "rule"} after a rule was created, changed or removed over REST.
inline constexpr char rulesEventsSubject[] = "events.rules";
// Subject of firing and clearing, one JSON event per transition: {"owner", "alert": <the GET /alerts shape>}.
inline constexpr char alertsEventsSubject[] = "events.alerts";
// Subtopic of the SenML messages published on a rule's notify channel.
inline constexpr char alertsSubtopic[] = "alerts";
// Protocol named in those messages; records of this protocol are not evaluated (no rule fires on an alert).
inline constexpr char rulesProtocol[] = "rules";

struct RulesOptions
{
    int historyPerRule = 100; // newest alerts kept per rule
};

// The rules service (docs/fleet.md "Alerts"): evaluates every normalized record (`senml.>`, queue group "rules", so
// two processes never evaluate one record twice) with a RuleEngine held in memory, loaded at start and kept current
// from `events.rules` and the things events (a removed channel or user takes its rules along). No database read per
// record: storage is touched only when a rule fires or clears. Each transition is stored in the alerts table, sent on
// `events.alerts`, and published as a SenML pack on the rule's notify channel (subtopic "alerts") through
// `publish`, the normal ingest path, so any device receives it over any protocol. At start the firing alerts are
// restored, so a restart neither fires a rule again nor loses a firing.
class RulesService final : public QObject
{
    Q_OBJECT

public:
    using Publish = std::function<void(const bus::Envelope &envelope)>;

    // `metrics` (may be null) counts mf_rules_records_total (records evaluated) and mf_rules_transitions_total.
    RulesService(bus::NatsConnection &nats, storage::RuleRepository &repository, Publish publish, RulesOptions options,
                 api::Metrics *metrics = nullptr, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(RulesService)

    Result<void> start();
    // Holds and no-data timers; the timer calls it every second.
    void tick();
    quint64 receivedRecords() const { return m_evaluated; } // every record heard, with or without rules
    const RuleEngine &engine() const { return m_engine; }

public Q_SLOTS:
    void onThingsEvent(const mf::things::ThingsEvent &event);

Q_SIGNALS:
    // After a transition was stored and published (for in-process listeners).
    void transitioned(const mf::storage::Alert &alert);

private:
    void onRecord(const QByteArray &data);
    void onRuleChanged(const QByteArray &data);
    void reload(const QString &ruleId);
    void apply(const QList<Transition> &transitions);
    void notify(const storage::Rule &rule, const storage::Alert &alert);

    bus::NatsConnection &m_nats;
    storage::RuleRepository &m_repository;
    Publish m_publish;
    api::Metrics *m_metrics;
    RulesOptions m_options;
    RuleEngine m_engine;
    std::vector<bus::Subscription> m_subscriptions;
    QTimer m_timer;
    quint64 m_evaluated = 0; // records heard
};

} // namespace mf::rules
