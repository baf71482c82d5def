// Device status and last values against a real backend (SQLite, and PostgreSQL as tst_fleetstatus_postgres): what
// a fleet operator reads over REST after devices talk over HTTP and MQTT, and what another user never sees.
// No raw string literals in this file: moc 6.4 loses the class after one.
#include "adapters/mqtt/mqttadapter.h"
#include "storage/database.h"
#include "storage/sql/sqlstatusrepositories.h"
#include "testbackend.h"

#include <QJsonArray>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::StringLiterals;
using mf::testing::HttpReply;

class TestFleetStatus : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<mf::testing::TestBackend> m_be;
    QByteArray m_token, m_otherToken;
    QString m_channel, m_fast, m_fastKey, m_mqtt, m_mqttKey;

    QJsonObject thing(const QString &id) { return m_be->get(u"/things/"_s + id, m_token).json(); }
    bool online(const QString &id) { return thing(id).value("online"_L1).toBool(); }
    std::pair<QString, QString> createThing(const QJsonObject &body)
    {
        const QJsonObject t = m_be->post(u"/things"_s, body, m_token).json();
        const QString id = t.value("id"_L1).toString();
        m_be->request("PUT", u"/channels/%1/things/%2"_s.arg(m_channel, id), {}, {}, m_token);
        return {id, t.value("key"_L1).toString()};
    }
    int publish(const QString &key, const QByteArray &senml)
    {
        return m_be->request("POST", u"/http/channels/%1/messages"_s.arg(m_channel), senml, "application/senml+json",
                             key.toLatin1())
            .status;
    }
    QStringList idsOf(const QString &query)
    {
        QStringList ids;
        for (const QJsonValue &t : m_be->get(u"/things?limit=100&"_s + query, m_token).json().value("things"_L1).toArray())
            ids.append(t.toObject().value("id"_L1).toString());
        return ids;
    }
    QJsonObject latestNamed(const QString &path, const QString &publisher, const QString &name)
    {
        for (const QJsonValue &v : m_be->get(path, m_token).json().value("values"_L1).toArray())
            if (v.toObject().value("publisher"_L1).toString() == publisher &&
                v.toObject().value("name"_L1).toString() == name)
                return v.toObject();
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(u"mosquitto_sub"_s).isEmpty())
            QFAIL("mosquitto-clients is not installed (scripts/install-deps.sh)");
        m_be = std::make_unique<mf::testing::TestBackend>();
        QVERIFY2(m_be->isRunning(), qPrintable(m_be->startError()));
        m_be->createUser(u"fleet@example.com"_s);
        m_token = m_be->token(u"fleet@example.com"_s);
        m_be->createUser(u"other@example.com"_s);
        m_otherToken = m_be->token(u"other@example.com"_s);
        m_channel = m_be->post(u"/channels"_s, {{u"name"_s, u"plant"_s}}, m_token).json().value("id"_L1).toString();
        QVERIFY(!m_channel.isEmpty());
        std::tie(m_fast, m_fastKey) =
            createThing({{u"name"_s, u"fast"_s}, {u"metadata"_s, QJsonObject{{u"offline_after"_s, u"2s"_s}}}});
        std::tie(m_mqtt, m_mqttKey) = createThing({{u"name"_s, u"mqtt"_s}});
        QVERIFY(!m_fast.isEmpty() && !m_mqtt.isEmpty());
    }

    void neverHeardFromIsOffline()
    {
        const QJsonObject t = thing(m_mqtt);
        QCOMPARE(t.value("online"_L1), QJsonValue(false));
        QVERIFY(!t.contains("last_seen"_L1));
        QCOMPARE(idsOf(u"status=offline"_s).size(), 2);
        QVERIFY(idsOf(u"status=online"_s).isEmpty());
    }

    void httpMessageBringsOnlineAndKeepsLastValues()
    {
        QCOMPARE(publish(m_fastKey, "[{\"bn\":\"p1:\",\"bu\":\"Cel\",\"n\":\"temp\",\"t\":1000,\"v\":20.5},{\"n\":\"temp\",\"t\":1010,\"v\":21.5},{\"n\":\"valve\",\"t\":1005,\"vb\":true}]"),
                 202);
        QTRY_VERIFY_WITH_TIMEOUT(online(m_fast), 5000);
        const QJsonObject t = thing(m_fast);
        QCOMPARE(t.value("last_protocol"_L1).toString(), u"http"_s);
        QVERIFY(t.value("last_seen"_L1).toInteger() > 0);
        QCOMPARE(idsOf(u"status=online"_s), QStringList{m_fast});

        const QString channelLatest = u"/channels/%1/latest"_s.arg(m_channel);
        QTRY_VERIFY_WITH_TIMEOUT(!latestNamed(channelLatest, m_fast, u"p1:temp"_s).isEmpty(), 5000);
        QCOMPARE(latestNamed(channelLatest, m_fast, u"p1:temp"_s).value("value"_L1).toDouble(), 21.5); // newer time
        QCOMPARE(latestNamed(channelLatest, m_fast, u"p1:temp"_s).value("unit"_L1).toString(), u"Cel"_s);
        QCOMPARE(latestNamed(channelLatest, m_fast, u"p1:valve"_s).value("bool_value"_L1).toBool(), true);
        // An older record arriving later does not replace the latest one.
        QCOMPARE(publish(m_fastKey, "[{\"bn\":\"p1:\",\"n\":\"temp\",\"t\":900,\"v\":-5}]"), 202);
        QCOMPARE(publish(m_fastKey, "[{\"bn\":\"p1:\",\"n\":\"valve\",\"t\":1020,\"vb\":false}]"), 202);
        QTRY_COMPARE_WITH_TIMEOUT(latestNamed(channelLatest, m_fast, u"p1:valve"_s).value("bool_value"_L1).toBool(),
                                  false, 5000);
        QCOMPARE(latestNamed(channelLatest, m_fast, u"p1:temp"_s).value("value"_L1).toDouble(), 21.5);
        // The thing's own view: the same values, per channel.
        const QJsonObject ofThing = latestNamed(u"/things/%1/latest"_s.arg(m_fast), m_fast, u"p1:temp"_s);
        QCOMPARE(ofThing.value("channel"_L1).toString(), m_channel);
        QCOMPARE(ofThing.value("value"_L1).toDouble(), 21.5);
    }

    void silenceTakesOfflineWithHistory()
    {
        // offline_after 2s in the thing's metadata; the default (5m) would keep it online.
        QTRY_VERIFY_WITH_TIMEOUT(!online(m_fast), 8000);
        const QJsonObject status = m_be->get(u"/things/%1/status"_s.arg(m_fast), m_token).json();
        QCOMPARE(status.value("online"_L1), QJsonValue(false));
        const QJsonArray history = status.value("history"_L1).toArray();
        QVERIFY2(history.size() >= 2, QJsonDocument(status).toJson().constData());
        QCOMPARE(history[0].toObject().value("reason"_L1).toString(), u"silent"_s);
        QCOMPARE(history[0].toObject().value("online"_L1), QJsonValue(false));
        QCOMPARE(history[1].toObject().value("reason"_L1).toString(), u"message"_s);
        QCOMPARE(history[1].toObject().value("protocol"_L1).toString(), u"http"_s);
        QVERIFY(idsOf(u"offline_for=1s"_s).contains(m_fast));
        QVERIFY(!idsOf(u"offline_for=1d"_s).contains(m_fast)); // silent for seconds, not a day
        QVERIFY(idsOf(u"offline_for=1d"_s).contains(m_mqtt));  // never heard from: offline for ever
    }

    void mqttConnectionIsOnlineUntilItCloses()
    {
        const quint16 port = m_be->backend().mqttAdapter()->port();
        QProcess sub;
        sub.start(u"mosquitto_sub"_s, {u"-h"_s, u"127.0.0.1"_s, u"-p"_s, QString::number(port), u"-u"_s, m_mqtt,
                                        u"-P"_s, m_mqttKey, u"-t"_s, u"channels/%1/messages"_s.arg(m_channel)});
        QVERIFY(sub.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(online(m_mqtt), 5000);
        QJsonObject t = thing(m_mqtt);
        QCOMPARE(t.value("last_protocol"_L1).toString(), u"mqtt"_s);
        QVERIFY(t.value("connected_since"_L1).toInteger() > 0);
        // Ordered by last seen, newest first: the MQTT thing was heard from after the HTTP one.
        QCOMPARE(idsOf(u"order=last_seen&dir=desc"_s), (QStringList{m_mqtt, m_fast}));
        sub.kill();
        sub.waitForFinished();
        QTRY_VERIFY_WITH_TIMEOUT(!online(m_mqtt), 5000); // no need to wait for the 5 minute silence
        t = thing(m_mqtt);
        QVERIFY(!t.contains("connected_since"_L1));
        const QJsonArray history =
            m_be->get(u"/things/%1/status"_s.arg(m_mqtt), m_token).json().value("history"_L1).toArray();
        QVERIFY(!history.isEmpty());
        QCOMPARE(history[0].toObject().value("reason"_L1).toString(), u"disconnected"_s);
    }

    void anotherUserSeesNothing()
    {
        for (const QString &path : {u"/things/%1/status"_s.arg(m_fast), u"/things/%1/latest"_s.arg(m_fast),
                                    u"/channels/%1/latest"_s.arg(m_channel), QString(u"/things/"_s + m_fast)}) {
            const HttpReply r = m_be->get(path, m_otherToken);
            QCOMPARE(r.status, 404);
            QVERIFY2(!r.body.contains(m_fast.toLatin1()), r.body.constData());
        }
        QCOMPARE(m_be->get(u"/things?status=offline"_s, m_otherToken).json().value("total"_L1).toInt(), 0);
        QCOMPARE(m_be->get(u"/channels/%1/latest"_s.arg(m_channel), {}).status, 401);
    }

    void refusedMessagesAreKeptWithTheirReason()
    {
        const QString path = u"/channels/%1/refusals"_s.arg(m_channel);
        // Invalid SenML over HTTP from a known thing.
        QCOMPARE(publish(m_fastKey, "[{\"n\":\"temp\",\"v\":\"warm\"}]"), 400);
        // A wrong key: the publisher is unknown, its address is kept, the key never.
        const QByteArray wrongKey = "not-a-key-0123456789abcdef";
        QCOMPARE(m_be->request("POST", u"/http/channels/%1/messages"_s.arg(m_channel), "[]", "application/senml+json",
                               wrongKey)
                     .status,
                 401);
        // Invalid SenML over MQTT.
        QProcess pub;
        pub.start(u"mosquitto_pub"_s, {u"-h"_s, u"127.0.0.1"_s, u"-p"_s,
                                        QString::number(m_be->backend().mqttAdapter()->port()), u"-u"_s, m_mqtt,
                                        u"-P"_s, m_mqttKey, u"-t"_s, u"channels/%1/messages"_s.arg(m_channel),
                                        u"-m"_s, u"hello"_s});
        QVERIFY(pub.waitForFinished(10000));
        QJsonArray refusals;
        QTRY_VERIFY_WITH_TIMEOUT((refusals = m_be->get(path, m_token).json().value("refusals"_L1).toArray()).size() >= 3,
                                 5000);
        QVERIFY2(!m_be->get(path, m_token).body.contains(wrongKey), "a refused key must never be shown");
        const auto find = [&](const QString &protocol, const QString &reasonStart) {
            for (const QJsonValue &v : std::as_const(refusals))
                if (v.toObject().value("protocol"_L1).toString() == protocol &&
                    v.toObject().value("reason"_L1).toString().startsWith(reasonStart))
                    return v.toObject();
            return QJsonObject();
        };
        const QJsonObject senml = find(u"http"_s, u"invalid SenML"_s);
        QCOMPARE(senml.value("thing"_L1).toString(), m_fast);
        QCOMPARE(senml.value("payload"_L1).toString(), u"[{\"n\":\"temp\",\"v\":\"warm\"}]"_s);
        QCOMPARE(senml.value("client"_L1).toString(), u"127.0.0.1"_s);
        const QJsonObject unknown = find(u"http"_s, u"unknown thing key"_s);
        QVERIFY2(!unknown.isEmpty(), QJsonDocument(refusals).toJson().constData());
        QCOMPARE(unknown.value("thing"_L1).toString(), QString());
        const QJsonObject mqtt = find(u"mqtt"_s, u"invalid SenML"_s);
        QCOMPARE(mqtt.value("thing"_L1).toString(), m_mqtt);
        QCOMPARE(mqtt.value("payload"_L1).toString(), u"hello"_s);
        // The thing's own view has its refusals only.
        const QJsonArray ofThing =
            m_be->get(u"/things/%1/refusals"_s.arg(m_fast), m_token).json().value("refusals"_L1).toArray();
        QVERIFY(!ofThing.isEmpty());
        for (const QJsonValue &v : ofThing)
            QCOMPARE(v.toObject().value("thing"_L1).toString(), m_fast);
        QCOMPARE(m_be->get(path, m_otherToken).status, 404);
        QCOMPARE(m_be->get(u"/things/%1/refusals"_s.arg(m_fast), m_otherToken).status, 404);
    }

    void refusalsStayBounded()
    {
        auto db = mf::storage::Database::open(m_be->databaseUrl(), m_be->dataDir());
        QVERIFY2(db.has_value(), db ? "" : qPrintable(db.error().message));
        mf::storage::SqlRefusalRepository repository(**db);
        QList<mf::Refusal> flood;
        for (int i = 0; i < 30; ++i)
            flood.append({1000 + i, i < 20 ? m_channel : u"unknown-%1"_s.arg(i), {}, u"coap"_s, u"10.0.0.1"_s,
                          u"flood %1"_s.arg(i), "x", 1});
        QVERIFY(repository.save(flood, 5, 12).has_value());
        auto kept = repository.ofChannel(u"nobody"_s, m_channel, 100);
        QCOMPARE(kept.error().code, mf::ErrorCode::NotFound);
        const QJsonArray refusals =
            m_be->get(u"/channels/%1/refusals"_s.arg(m_channel), m_token).json().value("refusals"_L1).toArray();
        QCOMPARE(refusals.size(), 2); // the 12 newest of all: 2 on this channel (18, 19) and 10 elsewhere
        QCOMPARE(refusals[0].toObject().value("reason"_L1).toString(), u"flood 19"_s);
        QCOMPARE(refusals[1].toObject().value("reason"_L1).toString(), u"flood 18"_s);
    }

    void storedStatusesCarryTheirOwnership()
    {
        // What the status service starts from after a restart: every stored status with its thing's owner and
        // metadata (offline_after) in one query; a status of a deleted thing is not loaded.
        auto db = mf::storage::Database::open(m_be->databaseUrl(), m_be->dataDir());
        QVERIFY2(db.has_value(), db ? "" : qPrintable(db.error().message));
        mf::storage::SqlThingStatusRepository repository(**db);
        QVERIFY(repository.save({{m_mqtt, {false, 1234, u"mqtt"_s, 0}, false, 0, {}}}, 10).has_value());
        auto stored = repository.loadAll();
        QVERIFY2(stored.has_value(), stored ? "" : qPrintable(stored.error().message));
        QVERIFY(stored->contains(m_fast));
        QCOMPARE(stored->value(m_fast).status.lastProtocol, u"http"_s);
        QCOMPARE(stored->value(m_mqtt).status.lastSeen, 1234);
        const QString owner = m_be->get(u"/users/me"_s, m_token).json().value("id"_L1).toString();
        QCOMPARE(stored->value(m_fast).ownership.owner, owner);
        QCOMPARE(stored->value(m_fast).ownership.metadata.object().value("offline_after"_L1).toString(), u"2s"_s);
        QVERIFY(stored->value(m_mqtt).ownership.metadata.isEmpty());
        const auto [gone, goneKey] = createThing({{u"name"_s, u"gone"_s}});
        QVERIFY(repository.save({{gone, {true, 99, u"http"_s, 0}, false, 0, {}}}, 10).has_value());
        QVERIFY(repository.loadAll()->contains(gone));
        QCOMPARE(m_be->request("DELETE", u"/things/"_s + gone, {}, {}, m_token).status, 204);
        QVERIFY(!repository.loadAll()->contains(gone));
    }

    void badQueriesAndMetadataAreRefused_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("reason");
        QTest::newRow("status") << u"/things?status=maybe"_s << u"status: must be"_s;
        QTest::newRow("offline_for") << u"/things?offline_for=soon"_s << u"offline_for: must be a duration"_s;
        QTest::newRow("offline_for zero") << u"/things?offline_for=0s"_s << u"offline_for: must be a duration"_s;
        QTest::newRow("order on channels") << u"/channels?order=last_seen"_s << u"order: must be"_s;
    }
    void badQueriesAndMetadataAreRefused()
    {
        QFETCH(QString, path);
        QFETCH(QString, reason);
        const HttpReply r = m_be->get(path, m_token);
        QCOMPARE(r.status, 400);
        QVERIFY2(r.error().startsWith(reason), qPrintable(r.error()));
    }

    void badOfflineAfterChangesNothing()
    {
        const int before = m_be->get(u"/things"_s, m_token).json().value("total"_L1).toInt();
        HttpReply r = m_be->post(u"/things"_s, {{u"metadata"_s, QJsonObject{{u"offline_after"_s, u"soon"_s}}}}, m_token);
        QCOMPARE(r.status, 400);
        QVERIFY2(r.error().startsWith(u"metadata.offline_after: must be a duration"_s), qPrintable(r.error()));
        QCOMPARE(m_be->get(u"/things"_s, m_token).json().value("total"_L1).toInt(), before);
        r = m_be->request("PUT", u"/things/"_s + m_fast, "{\"metadata\":{\"offline_after\":-3}}", "application/json",
                          m_token);
        QCOMPARE(r.status, 400);
        QCOMPARE(thing(m_fast).value("metadata"_L1).toObject().value("offline_after"_L1).toString(), u"2s"_s);
    }
};

QTEST_GUILESS_MAIN(TestFleetStatus)
#include "tst_fleetstatus.moc"
