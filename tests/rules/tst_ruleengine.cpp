// The rule engine's decisions with a fake clock: hold time, hysteresis, no data, outside a band, publisher filter,
// rules learnt and forgotten.
#include "services/rules/ruleengine.h"

#include <QTest>

using namespace Qt::StringLiterals;
using mf::StoredMessage;
using mf::rules::RuleEngine;
using mf::rules::Transition;
using mf::storage::Rule;

namespace {

Rule rule(const QString &id, Rule::Condition condition)
{
    Rule r;
    r.id = id;
    r.owner = u"owner"_s;
    r.channel = u"chan"_s;
    r.senmlName = u"temp"_s;
    r.condition = condition;
    return r;
}

StoredMessage record(double value, const QString &name = u"temp"_s, const QString &publisher = u"thing"_s)
{
    StoredMessage m;
    m.channel = u"chan"_s;
    m.name = name;
    m.publisher = publisher;
    m.value = value;
    return m;
}

// "+" for a firing, "-" for a clearing, per transition.
QString signs(const QList<Transition> &transitions)
{
    QString out;
    for (const Transition &t : transitions)
        out += t.firing ? u'+' : u'-';
    return out;
}

} // namespace

class TestRuleEngine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aboveFiresOnlyAfterHold()
    {
        RuleEngine engine;
        Rule r = rule(u"r"_s, Rule::Condition::Above);
        r.threshold = 30;
        r.holdSeconds = 10;
        engine.setRules({r}, 0);
        QCOMPARE(signs(engine.evaluate(record(31), 1'000)), u""_s); // the hold starts
        QCOMPARE(signs(engine.evaluate(record(35), 6'000)), u""_s); // still holding
        QCOMPARE(signs(engine.evaluate(record(29), 8'000)), u""_s); // back below: the hold starts again
        QCOMPARE(signs(engine.evaluate(record(31), 9'000)), u""_s);
        QCOMPARE(signs(engine.evaluate(record(32), 18'999)), u""_s);
        const QList<Transition> fired = engine.evaluate(record(33), 19'000);
        QCOMPARE(signs(fired), u"+"_s);
        QCOMPARE(fired.first().value, 33.0);
        QVERIFY(engine.isFiring(u"r"_s));
        QCOMPARE(signs(engine.evaluate(record(40), 20'000)), u""_s); // firing once, not per record
    }

    void holdCompletesOnTickWithoutNewRecords()
    {
        RuleEngine engine;
        Rule r = rule(u"r"_s, Rule::Condition::Above);
        r.threshold = 30;
        r.holdSeconds = 5;
        engine.setRules({r}, 0);
        engine.evaluate(record(31), 1'000);
        QCOMPARE(signs(engine.tick(5'999)), u""_s);
        const QList<Transition> fired = engine.tick(6'000);
        QCOMPARE(signs(fired), u"+"_s);
        QCOMPARE(fired.first().value, 31.0);
        QCOMPARE(signs(engine.tick(7'000)), u""_s);
    }

    void hysteresisPreventsFlapping()
    {
        RuleEngine engine;
        Rule r = rule(u"r"_s, Rule::Condition::Above);
        r.threshold = 30;
        r.hysteresis = 2;
        engine.setRules({r}, 0);
        engine.setFiring(u"r"_s, 0);
        QCOMPARE(signs(engine.evaluate(record(31), 1'000)), u""_s);
        // A value jittering just under the threshold does not clear, so it does not fire again either.
        QString seen;
        for (double v : {29.5, 30.5, 29.0, 30.2, 28.5, 31.0})
            seen += signs(engine.evaluate(record(v), 2'000));
        QCOMPARE(seen, u""_s);
        const QList<Transition> cleared = engine.evaluate(record(28), 3'000);
        QCOMPARE(signs(cleared), u"-"_s);
        QCOMPARE(cleared.first().value, 28.0);
        QCOMPARE(signs(engine.evaluate(record(30.5), 4'000)), u"+"_s);
    }

    void belowClearsAboveBandOnly()
    {
        RuleEngine engine;
        Rule r = rule(u"r"_s, Rule::Condition::Below);
        r.threshold = 10;
        r.hysteresis = 1;
        engine.setRules({r}, 0);
        QCOMPARE(signs(engine.evaluate(record(10), 1'000)), u""_s); // at the threshold is not below it
        QCOMPARE(signs(engine.evaluate(record(9.9), 2'000)), u"+"_s);
        QCOMPARE(signs(engine.evaluate(record(10.5), 3'000)), u""_s);
        QCOMPARE(signs(engine.evaluate(record(11), 4'000)), u"-"_s);
    }

    void outsideBand_data()
    {
        QTest::addColumn<QList<double>>("values");
        QTest::addColumn<QString>("expected");
        QTest::addRow("inside stays quiet") << QList<double>{10, 15, 20} << u""_s;
        QTest::addRow("above the band fires") << QList<double>{15, 21} << u"+"_s;
        QTest::addRow("below the band fires") << QList<double>{15, 9} << u"+"_s;
        QTest::addRow("clears only inside the narrowed band") << QList<double>{25, 19.5, 18} << u"+-"_s;
        QTest::addRow("from above to below stays firing") << QList<double>{25, 5, 30} << u"+"_s;
    }
    void outsideBand()
    {
        QFETCH(QList<double>, values);
        QFETCH(QString, expected);
        RuleEngine engine;
        Rule r = rule(u"r"_s, Rule::Condition::Outside);
        r.low = 10;
        r.high = 20;
        r.hysteresis = 1;
        engine.setRules({r}, 0);
        QString seen;
        qint64 now = 0;
        for (double v : values)
            seen += signs(engine.evaluate(record(v), now += 1'000));
        QCOMPARE(seen, expected);
    }

    void noDataFiresAndClears()
    {
        RuleEngine engine;
        Rule r = rule(u"r"_s, Rule::Condition::NoData);
        r.noDataSeconds = 60;
        engine.setRules({r}, 0);
        QCOMPARE(signs(engine.tick(59'999)), u""_s); // counted from when the rule was learnt
        engine.evaluate(record(1), 50'000);
        QCOMPARE(signs(engine.tick(109'999)), u""_s); // counted from the last record
        const QList<Transition> fired = engine.tick(110'000);
        QCOMPARE(signs(fired), u"+"_s);
        QVERIFY(!fired.first().value);
        QCOMPARE(signs(engine.tick(200'000)), u""_s); // once
        engine.setFiring(u"r"_s, 7);
        const QList<Transition> cleared = engine.evaluate(record(2), 201'000);
        QCOMPARE(signs(cleared), u"-"_s);
        QCOMPARE(cleared.first().alertId, 7);
        QCOMPARE(signs(engine.tick(260'000)), u""_s);
        QCOMPARE(signs(engine.tick(261'000)), u"+"_s);
    }

    void otherNamesChannelsAndPublishersAreIgnored()
    {
        RuleEngine engine;
        Rule r = rule(u"r"_s, Rule::Condition::Above);
        r.threshold = 0;
        r.publisher = u"sensor-1"_s;
        engine.setRules({r}, 0);
        QCOMPARE(signs(engine.evaluate(record(5, u"humidity"_s, u"sensor-1"_s), 1)), u""_s);
        QCOMPARE(signs(engine.evaluate(record(5, u"temp"_s, u"sensor-2"_s), 2)), u""_s);
        StoredMessage elsewhere = record(5, u"temp"_s, u"sensor-1"_s);
        elsewhere.channel = u"other"_s;
        QCOMPARE(signs(engine.evaluate(elsewhere, 3)), u""_s);
        StoredMessage text = record(5, u"temp"_s, u"sensor-1"_s);
        text.value.reset();
        text.stringValue = u"hot"_s;
        QCOMPARE(signs(engine.evaluate(text, 4)), u""_s);
        QCOMPARE(signs(engine.evaluate(record(5, u"temp"_s, u"sensor-1"_s), 5)), u"+"_s);
    }

    void restoredFiringDoesNotFireAgain()
    {
        RuleEngine engine;
        Rule r = rule(u"r"_s, Rule::Condition::Above);
        r.threshold = 30;
        engine.setRules({r}, 0);
        engine.setFiring(u"r"_s, 42); // what the rules service does at start for an open alert
        QCOMPARE(signs(engine.evaluate(record(35), 1'000)), u""_s);
        const QList<Transition> cleared = engine.evaluate(record(20), 2'000);
        QCOMPARE(signs(cleared), u"-"_s);
        QCOMPARE(cleared.first().alertId, 42);
    }

    void changesAndRemovals()
    {
        RuleEngine engine;
        Rule a = rule(u"a"_s, Rule::Condition::Above);
        a.threshold = 30;
        Rule b = rule(u"b"_s, Rule::Condition::Above);
        b.threshold = 50;
        engine.setRules({a, b}, 0);
        QCOMPARE(signs(engine.evaluate(record(40), 1)), u"+"_s);
        b.threshold = 35; // changed: now 40 is above it
        engine.upsert(b, 2);
        QCOMPARE(signs(engine.evaluate(record(40), 3)), u"+"_s);
        QVERIFY(engine.isFiring(u"a"_s)); // a changed label keeps a firing rule firing
        a.name = u"renamed"_s;
        engine.upsert(a, 4);
        QVERIFY(engine.isFiring(u"a"_s));
        QCOMPARE(engine.removeChannel(u"chan"_s).size(), 2);
        QCOMPARE(engine.size(), 0);
        QCOMPARE(signs(engine.evaluate(record(100), 5)), u""_s);
        engine.setRules({a}, 6);
        QCOMPARE(engine.removeOwner(u"someone else"_s).size(), 0);
        QCOMPARE(engine.removeOwner(u"owner"_s).size(), 1);
    }
};

QTEST_APPLESS_MAIN(TestRuleEngine)
#include "tst_ruleengine.moc"
