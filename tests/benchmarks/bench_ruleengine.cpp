// bench_ruleengine: the rules service's per-record work without the bus, in records/s on one core: decoding the
// normalized record (the reader's JSON shape, as on senml.>) and RuleEngine::evaluate, with 0 rules, 1,000 rules on
// other names of the channel, and 1,000 rules on the record's own name (every one evaluated: the worst case).
// Prints a markdown table; run by bench-rules.sh (docs/BENCHMARKS.md, "Alert rules").
#include "core/messagejson.h"
#include "services/rules/ruleengine.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QTextStream>
#include <cstdio>

using namespace Qt::StringLiterals;
using mf::storage::Rule;

namespace {

constexpr int Records = 200'000;

QList<Rule> rules(int count, const QString &name)
{
    QList<Rule> out;
    for (int i = 0; i < count; ++i) {
        Rule r;
        r.id = u"rule-%1"_s.arg(i);
        r.owner = u"owner"_s;
        r.channel = u"channel"_s;
        r.senmlName = name.isEmpty() ? u"other-%1"_s.arg(i) : name;
        r.condition = Rule::Condition::Above;
        r.threshold = 1000 + i; // never reached
        r.hysteresis = 1;
        out.append(r);
    }
    return out;
}

} // namespace

int main()
{
    mf::StoredMessage record;
    record.channel = u"channel"_s;
    record.publisher = u"thing"_s;
    record.protocol = u"http"_s;
    record.name = u"urn:dev:bench:temp"_s;
    record.unit = u"Cel"_s;
    record.value = 21.5;
    record.time = 1.7e9;
    const QByteArray wire = QJsonDocument(mf::json::toJson(record)).toJson(QJsonDocument::Compact);

    QTextStream out(stdout);
    out << "| rules on the channel | records/s (decode + evaluate) | records/s (evaluate only) |\n|---|---|---|\n";
    const std::pair<QString, QList<Rule>> cases[] = {
        {u"none"_s, {}},
        {u"1,000 on other names"_s, rules(1000, {})},
        {u"1,000 on the record's name"_s, rules(1000, record.name)},
    };
    for (const auto &[label, set] : cases) {
        mf::rules::RuleEngine engine;
        engine.setRules(set, 0);
        qint64 transitions = 0;
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < Records; ++i) {
            const mf::StoredMessage decoded = mf::json::messageFromJson(QJsonDocument::fromJson(wire).object());
            transitions += engine.evaluate(decoded, i).size();
        }
        const double both = Records / (timer.nsecsElapsed() / 1e9);
        timer.restart();
        for (int i = 0; i < Records; ++i)
            transitions += engine.evaluate(record, i).size();
        const double evaluate = Records / (timer.nsecsElapsed() / 1e9);
        if (transitions != 0)
            std::fprintf(stderr, "unexpected transitions: %lld\n", static_cast<long long>(transitions));
        out << "| " << label << " | " << qRound64(both) << " | " << qRound64(evaluate) << " |\n";
    }
    return 0;
}
