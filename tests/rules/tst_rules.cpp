// Alert rules and alerts against a real backend (SQLite, and PostgreSQL as tst_rules_postgres): rules over REST with
// their bad inputs and bounds, firing and clearing from HTTP messages with hysteresis, the alert published on the
// notify channel, acknowledgement, another user who never sees any of it, and a restart of the rules process that
// neither repeats nor loses a firing. The rules service runs as a real mainflux-backend process (MF_SERVICES=rules)
// beside this test's backend, so it can be stopped and started again.
// No raw string literals in this file: moc 6.4 loses the class after one.
#include "backendprocess.h"
#include "bus/natsconnection.h"
#include "bus/natsserverprocess.h"
#include "testbackend.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using mf::testing::BackendProcess;
using mf::testing::HttpReply;

namespace {
constexpr int RulesMax = 8;
}

class TestRules : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<mf::testing::TestBackend> m_be;
    std::unique_ptr<BackendProcess> m_rules;
    QTemporaryDir m_rulesDir;
    QByteArray m_token, m_otherToken;
    QString m_channel, m_notify, m_otherChannel, m_thing, m_key;

    std::unique_ptr<BackendProcess> startRulesProcess()
    {
        const QString db =
            m_be->databaseUrl().isEmpty() ? u"sqlite:"_s + m_be->dataDir() + u"/mainflux.db"_s : m_be->databaseUrl();
        auto process = std::make_unique<BackendProcess>(
            QStringLiteral(MF_BACKEND_EXECUTABLE),
            QHash<QString, QString>{{u"MF_DATA_DIR"_s, m_rulesDir.path()},
                                    {u"MF_NATS_URL"_s, m_be->backend().natsServer()->url()},
                                    {u"MF_DB_URL"_s, db},
                                    {u"MF_JWT_SECRET"_s, QString::fromLatin1(mf::testing::TestBackend::JwtSecret)},
                                    {u"MF_SERVICES"_s, u"rules"_s},
                                    {u"MF_HTTP_PORT"_s, u"0"_s}});
        if (process->waitReady().isEmpty())
            qWarning().noquote() << "rules process did not start:" << process->startError();
        return process;
    }
    int publish(const QByteArray &senml)
    {
        return m_be
            ->request("POST", u"/http/channels/%1/messages"_s.arg(m_channel), senml, "application/senml+json",
                      m_key.toLatin1())
            .status;
    }
    int publishTemp(double value) { return publish("[{\"n\":\"temp\",\"v\":" + QByteArray::number(value) + "}]"); }
    HttpReply createRule(const QJsonObject &body, const QByteArray &token)
    {
        return m_be->post(u"/rules"_s, body, token);
    }
    QJsonObject aboveRule(double threshold)
    {
        return {{u"name"_s, u"too hot"_s},      {u"channel"_s, m_channel},   {u"senml_name"_s, u"temp"_s},
                {u"condition"_s, u"above"_s},   {u"threshold"_s, threshold}, {u"hysteresis"_s, 2},
                {u"notify_channel"_s, m_notify}};
    }
    QJsonArray alertsOf(const QString &rule, const QString &state = {})
    {
        QString query = u"/alerts?limit=100&rule="_s + rule;
        if (!state.isEmpty()) query += u"&state="_s + state;
        return m_be->get(query, m_token).json().value("alerts"_L1).toArray();
    }
    qint64 ruleCount(const QByteArray &token)
    {
        return m_be->get(u"/rules"_s, token).json().value("total"_L1).toInteger();
    }
    QStringList notifyStates(const QString &rule)
    {
        QStringList states;
        const QJsonObject page =
            m_be->get(u"/channels/%1/messages?limit=100&name=alert:state"_s.arg(m_notify), m_token).json();
        const QJsonArray messages = page.value("messages"_L1).toArray();
        // Each pack holds alert:state and alert:rule at the same time; the test's rules fire at distinct times.
        const QJsonArray rules = m_be->get(u"/channels/%1/messages?limit=100&name=alert:rule"_s.arg(m_notify), m_token)
                                     .json()
                                     .value("messages"_L1)
                                     .toArray();
        for (const QJsonValue &m : messages)
            for (const QJsonValue &r : rules)
                if (r.toObject().value("string_value"_L1).toString() == rule &&
                    r.toObject().value("time"_L1) == m.toObject().value("time"_L1))
                    states.append(m.toObject().value("string_value"_L1).toString());
        return states;
    }

private Q_SLOTS:
    void initTestCase()
    {
        // No rules service in this process: it runs in the child started below.
        m_be = std::make_unique<mf::testing::TestBackend>(
            QHash<QString, QString>{{u"MF_SERVICES"_s, u"users,things,http,normalizer,writer,reader"_s},
                                    {u"MF_RULES_MAX"_s, QString::number(RulesMax)}});
        QVERIFY2(m_be->isRunning(), qPrintable(m_be->startError()));
        m_be->createUser(u"ops@example.com"_s);
        m_token = m_be->token(u"ops@example.com"_s);
        m_be->createUser(u"other@example.com"_s);
        m_otherToken = m_be->token(u"other@example.com"_s);
        m_channel = m_be->post(u"/channels"_s, {{u"name"_s, u"plant"_s}}, m_token).json().value("id"_L1).toString();
        m_notify = m_be->post(u"/channels"_s, {{u"name"_s, u"alerts"_s}}, m_token).json().value("id"_L1).toString();
        m_otherChannel =
            m_be->post(u"/channels"_s, {{u"name"_s, u"theirs"_s}}, m_otherToken).json().value("id"_L1).toString();
        const QJsonObject thing = m_be->post(u"/things"_s, {{u"name"_s, u"boiler"_s}}, m_token).json();
        m_thing = thing.value("id"_L1).toString();
        m_key = thing.value("key"_L1).toString();
        QVERIFY(!m_channel.isEmpty() && !m_notify.isEmpty() && !m_otherChannel.isEmpty() && !m_thing.isEmpty());
        QCOMPARE(m_be->request("PUT", u"/channels/%1/things/%2"_s.arg(m_channel, m_thing), {}, {}, m_token).status,
                 200);
        m_rules = startRulesProcess();
        QVERIFY(m_rules->process().state() == QProcess::Running);
    }

    void badRulesAreRefusedAndNothingIsStored_data()
    {
        QTest::addColumn<QJsonObject>("change"); // applied over a valid rule
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("error");
        QTest::addRow("unknown channel") << QJsonObject{{u"channel"_s, u"no-such-channel"_s}} << 404 << u"channel"_s;
        QTest::addRow("another user's channel") << QJsonObject{{u"channel"_s, u"OTHER"_s}} << 404 << u"channel"_s;
        QTest::addRow("another user's notify channel")
            << QJsonObject{{u"notify_channel"_s, u"OTHER"_s}} << 404 << u"notify_channel"_s;
        QTest::addRow("unknown publisher") << QJsonObject{{u"publisher"_s, u"nobody"_s}} << 404 << u"publisher"_s;
        QTest::addRow("no channel") << QJsonObject{{u"channel"_s, QJsonValue()}} << 400 << u"channel"_s;
        QTest::addRow("empty name") << QJsonObject{{u"senml_name"_s, u""_s}} << 400 << u"senml_name"_s;
        QTest::addRow("invalid name") << QJsonObject{{u"senml_name"_s, u"temp!"_s}} << 400 << u"senml_name"_s;
        QTest::addRow("unknown condition") << QJsonObject{{u"condition"_s, u"hotter"_s}} << 400 << u"condition"_s;
        QTest::addRow("text threshold") << QJsonObject{{u"threshold"_s, u"30"_s}} << 400 << u"threshold"_s;
        QTest::addRow("low not below high")
            << QJsonObject{{u"condition"_s, u"outside"_s}, {u"low"_s, 5}, {u"high"_s, 5}} << 400 << u"low"_s;
        QTest::addRow("outside without a band") << QJsonObject{{u"condition"_s, u"outside"_s}} << 400 << u"low"_s;
        QTest::addRow("hold over a day") << QJsonObject{{u"hold_seconds"_s, 86401}} << 400 << u"hold_seconds"_s;
        QTest::addRow("negative hold") << QJsonObject{{u"hold_seconds"_s, -1}} << 400 << u"hold_seconds"_s;
        QTest::addRow("fractional hold") << QJsonObject{{u"hold_seconds"_s, 1.5}} << 400 << u"hold_seconds"_s;
        QTest::addRow("nodata without seconds")
            << QJsonObject{{u"condition"_s, u"nodata"_s}} << 400 << u"nodata_seconds"_s;
        QTest::addRow("nodata over a day")
            << QJsonObject{{u"condition"_s, u"nodata"_s}, {u"nodata_seconds"_s, 100000}} << 400 << u"nodata_seconds"_s;
        QTest::addRow("negative hysteresis") << QJsonObject{{u"hysteresis"_s, -1}} << 400 << u"hysteresis"_s;
    }
    void badRulesAreRefusedAndNothingIsStored()
    {
        QFETCH(QJsonObject, change);
        QFETCH(int, status);
        QFETCH(QString, error);
        QJsonObject body = aboveRule(30);
        for (auto it = change.begin(); it != change.end(); ++it)
            body.insert(it.key(), it.value() == QJsonValue(u"OTHER"_s) ? QJsonValue(m_otherChannel) : it.value());
        for (auto it = change.begin(); it != change.end(); ++it)
            if (it.value().isNull()) body.remove(it.key());
        const qint64 before = ruleCount(m_token);
        const HttpReply reply = createRule(body, m_token);
        QCOMPARE(reply.status, status);
        QVERIFY2(reply.error().startsWith(error), qPrintable(reply.error()));
        QCOMPARE(ruleCount(m_token), before);
    }

    void rulesBelongToTheirOwner()
    {
        const HttpReply created = createRule(aboveRule(100), m_token);
        QCOMPARE(created.status, 201);
        const QString id = created.json().value("id"_L1).toString();
        QCOMPARE(created.headers.value("location"), "/rules/" + id.toLatin1());
        QCOMPARE(created.json().value("threshold"_L1).toDouble(), 100.0);
        QCOMPARE(created.json().value("firing"_L1), QJsonValue(false));

        HttpReply changed = m_be->request("PUT", u"/rules/"_s + id, "{\"threshold\":90,\"hold_seconds\":5}",
                                          "application/json", m_token);
        QCOMPARE(changed.status, 200);
        const QJsonObject rule = m_be->get(u"/rules/"_s + id, m_token).json();
        QCOMPARE(rule.value("threshold"_L1).toDouble(), 90.0);
        QCOMPARE(rule.value("hold_seconds"_L1).toInteger(), 5);
        QCOMPARE(rule.value("senml_name"_L1).toString(), u"temp"_s); // kept
        // A bad change is refused and leaves the rule as it was.
        QCOMPARE(m_be->request("PUT", u"/rules/"_s + id, "{\"condition\":\"outside\",\"low\":9,\"high\":1}",
                               "application/json", m_token)
                     .status,
                 400);
        QCOMPARE(m_be->get(u"/rules/"_s + id, m_token).json(), rule);

        // Another user sees none of it and changes nothing.
        QCOMPARE(m_be->get(u"/rules/"_s + id, m_otherToken).status, 404);
        QCOMPARE(m_be->request("PUT", u"/rules/"_s + id, "{\"threshold\":1}", "application/json", m_otherToken).status,
                 404);
        QCOMPARE(m_be->request("DELETE", u"/rules/"_s + id, {}, {}, m_otherToken).status, 404);
        QCOMPARE(ruleCount(m_otherToken), 0);
        QCOMPARE(m_be->get(u"/rules/"_s + id, m_token).json(), rule);
        QCOMPARE(m_be->get(u"/rules"_s, {}).status, 401);

        QCOMPARE(m_be->request("DELETE", u"/rules/"_s + id, {}, {}, m_token).status, 204);
        QCOMPARE(m_be->get(u"/rules/"_s + id, m_token).status, 404);
    }

    void rulesPerOwnerAreBounded()
    {
        m_be->createUser(u"many@example.com"_s);
        const QByteArray token = m_be->token(u"many@example.com"_s);
        const QString channel =
            m_be->post(u"/channels"_s, {{u"name"_s, u"many"_s}}, token).json().value("id"_L1).toString();
        const QJsonObject body{
            {u"channel"_s, channel}, {u"senml_name"_s, u"x"_s}, {u"condition"_s, u"below"_s}, {u"threshold"_s, 0}};
        for (int i = 0; i < RulesMax; ++i)
            QCOMPARE(createRule(body, token).status, 201);
        const HttpReply refused = createRule(body, token);
        QCOMPARE(refused.status, 409);
        QVERIFY2(refused.error().contains("MF_RULES_MAX"_L1), qPrintable(refused.error()));
        QCOMPARE(ruleCount(token), RulesMax);
    }

    void firesOnceClearsWithHysteresisAndNotifies()
    {
        // What the dashboard will listen to: one events.alerts event per transition, naming the owner.
        mf::bus::NatsConnection nats;
        QVERIFY(nats.open({m_be->backend().natsServer()->url()}, u"tst_rules"_s).has_value());
        QList<QJsonObject> events;
        auto subscription =
            nats.subscribe("events.alerts", {}, this, [&events](QByteArray, QByteArray data, QByteArray) {
                events.append(QJsonDocument::fromJson(data).object());
            });
        QVERIFY(subscription.has_value());
        const QString owner = m_be->get(u"/users/me"_s, m_token).json().value("id"_L1).toString();

        const HttpReply created = createRule(aboveRule(30), m_token);
        QCOMPARE(created.status, 201);
        const QString rule = created.json().value("id"_L1).toString();
        // The rule reaches the rules process over the bus: a record evaluated before it would not fire, so publish
        // until it fires (only values above the threshold: at most one firing can result).
        QTRY_VERIFY_WITH_TIMEOUT((publishTemp(31) == 202 && !alertsOf(rule, u"firing"_s).isEmpty()), 10000);
        QCOMPARE(publishTemp(35), 202);
        QCOMPARE(publishTemp(29), 202); // under the threshold, not under threshold - hysteresis
        QCOMPARE(publishTemp(27.5), 202);
        QTRY_VERIFY_WITH_TIMEOUT(!alertsOf(rule, u"cleared"_s).isEmpty(), 10000);
        const QJsonArray alerts = alertsOf(rule);
        QCOMPARE(alerts.size(), 1); // fired once for 31 and 35
        const QJsonObject alert = alerts.first().toObject();
        QCOMPARE(alert.value("state"_L1).toString(), u"cleared"_s);
        QCOMPARE(alert.value("value"_L1).toDouble(), 31.0);
        QCOMPARE(alert.value("clear_value"_L1).toDouble(), 27.5); // 29 did not clear it
        QCOMPARE(alert.value("rule_name"_L1).toString(), u"too hot"_s);
        QVERIFY(alert.value("cleared_at"_L1).toInteger() >= alert.value("fired_at"_L1).toInteger());
        QCOMPARE(m_be->get(u"/rules/"_s + rule, m_token).json().value("firing"_L1), QJsonValue(false));
        QTRY_COMPARE_WITH_TIMEOUT(events.size(), 2, 5000);
        for (const QJsonObject &event : std::as_const(events)) {
            QCOMPARE(event.value("owner"_L1).toString(), owner);
            QCOMPARE(event.value("alert"_L1).toObject().value("rule"_L1).toString(), rule);
        }
        QCOMPARE(events[0].value("alert"_L1).toObject().value("state"_L1).toString(), u"firing"_s);
        QCOMPARE(events[1].value("alert"_L1).toObject().value("state"_L1).toString(), u"cleared"_s);
        QCOMPARE(events[1].value("alert"_L1).toObject().value("id"_L1), alert.value("id"_L1));
        // Firing and clearing were published on the notify channel and stored like any message.
        QTRY_COMPARE_WITH_TIMEOUT(notifyStates(rule), (QStringList{u"cleared"_s, u"firing"_s}), 10000);

        // Acknowledged by its owner only.
        const QString ack = u"/alerts/%1/ack"_s.arg(alert.value("id"_L1).toInteger());
        QCOMPARE(m_be->request("POST", ack, {}, {}, m_otherToken).status, 404);
        QCOMPARE(m_be->get(u"/alerts"_s, m_otherToken).json().value("total"_L1).toInteger(), 0);
        const HttpReply acked = m_be->request("POST", ack, {}, {}, m_token);
        QCOMPARE(acked.status, 200);
        QCOMPARE(acked.json().value("acked"_L1), QJsonValue(true));
        QCOMPARE(alertsOf(rule).first().toObject().value("acked"_L1), QJsonValue(true));
        QCOMPARE(m_be->request("POST", u"/alerts/999999/ack"_s, {}, {}, m_token).status, 404);
        QCOMPARE(m_be->get(u"/alerts?state=burning"_s, m_token).status, 400);
        QCOMPARE(m_be->request("DELETE", u"/rules/"_s + rule, {}, {}, m_token).status, 204);
    }

    void restartNeitherRepeatsNorLosesAFiring()
    {
        QJsonObject body = aboveRule(50);
        body.insert(u"senml_name"_s, u"pressure"_s);
        const HttpReply created = createRule(body, m_token);
        QCOMPARE(created.status, 201);
        const QString rule = created.json().value("id"_L1).toString();
        const auto pressure = [this](double v) {
            return publish("[{\"n\":\"pressure\",\"v\":" + QByteArray::number(v) + "}]");
        };
        QTRY_VERIFY_WITH_TIMEOUT((pressure(60) == 202 && !alertsOf(rule, u"firing"_s).isEmpty()), 10000);

        QVERIFY(m_rules->stop());
        m_rules = startRulesProcess();
        QVERIFY(m_rules->process().state() == QProcess::Running);
        // Still above after the restart: no second firing. The rules process hears records again once its queue
        // subscription is in place; a clearing value shows that, and it clears the alert opened before the restart.
        QCOMPARE(pressure(70), 202);
        QTRY_VERIFY_WITH_TIMEOUT((pressure(10) == 202 && !alertsOf(rule, u"cleared"_s).isEmpty()), 10000);
        const QJsonArray alerts = alertsOf(rule);
        QCOMPARE(alerts.size(), 1);
        QCOMPARE(alerts.first().toObject().value("value"_L1).toDouble(), 60.0);
        QCOMPARE(alerts.first().toObject().value("clear_value"_L1).toDouble(), 10.0);
    }

    void removedChannelTakesItsRules()
    {
        const QString channel =
            m_be->post(u"/channels"_s, {{u"name"_s, u"short-lived"_s}}, m_token).json().value("id"_L1).toString();
        QJsonObject body = aboveRule(1);
        body.insert(u"channel"_s, channel);
        const QString rule = createRule(body, m_token).json().value("id"_L1).toString();
        QVERIFY(!rule.isEmpty());
        QCOMPARE(m_be->request("DELETE", u"/channels/"_s + channel, {}, {}, m_token).status, 204);
        QCOMPARE(m_be->get(u"/rules/"_s + rule, m_token).status, 404);
    }

    void cleanupTestCase()
    {
        if (m_rules) QVERIFY(m_rules->stop());
    }
};

QTEST_GUILESS_MAIN(TestRules)
#include "tst_rules.moc"
