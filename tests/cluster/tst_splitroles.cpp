// Services split across processes on one nats-server (issue 13, first case): an edge process that runs only
// adapters (MF_SERVICES=http,ws,coap,mqtt) authenticates devices through the process that runs `things`, over the
// bus, and opens no database. Both are the real mainflux-backend executable; devices are real clients (HTTP,
// QWebSocket, Debian's mosquitto_pub and coap-client-openssl).
#include "../bus/natsfixture.h"
#include "backendprocess.h"
#include "testdatabase.h"

#include <QDir>
#include <QJsonArray>
#include <QSet>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

using namespace Qt::StringLiterals;
using namespace mf;
using mf::testing::BackendProcess;
using mf::testing::HttpReply;

class tst_SplitRoles : public QObject
{
    Q_OBJECT

    bus::test::NatsFixture m_nats;
    QTemporaryDir m_coreDir, m_edgeDir;
    std::unique_ptr<BackendProcess> m_core, m_edge;
    QByteArray m_token;
    QString m_channel, m_thing, m_key, m_stranger, m_strangerKey;

    QHash<QString, QString> common(const QString &dataDir)
    {
        return {{u"MF_DATA_DIR"_s, dataDir},     {u"MF_NATS_URL"_s, m_nats.url()},
                {u"MF_HTTP_PORT"_s, u"0"_s},     {u"MF_WS_PORT"_s, u"0"_s},
                {u"MF_COAP_PORT"_s, u"0"_s},     {u"MF_MQTT_PORT"_s, u"0"_s},
                {u"MF_MQTT_WS_PORT"_s, u"0"_s},  {u"MF_JWT_SECRET"_s, QString::fromLatin1(testing::TestBackend::JwtSecret)},
                {u"MF_LOG_LEVEL"_s, u"info"_s}};
    }
    std::pair<QString, QString> createThing(const QString &name)
    {
        const QJsonObject thing = m_core->request("POST", u"/things"_s, "{\"name\":\"" + name.toUtf8() + "\"}", "application/json", m_token).json();
        return {thing.value("id"_L1).toString(), thing.value("key"_L1).toString()};
    }
    // Runs a device client to completion; exit code and everything it printed.
    std::pair<int, QByteArray> run(const QString &program, const QStringList &args)
    {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(program, args);
        if (!p.waitForFinished(BackendProcess::SafetyTimeoutMs)) p.kill(), p.waitForFinished();
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAll()};
    }
    std::pair<int, QByteArray> mqttPublish(const QString &user, const QString &key, const QByteArray &payload)
    {
        return run(u"mosquitto_pub"_s, {u"-h"_s, u"127.0.0.1"_s, u"-p"_s, QString::number(m_edge->port("mqtt")),
                                        u"-u"_s, user, u"-P"_s, key, u"-q"_s, u"1"_s, u"-t"_s,
                                        u"channels/%1/messages"_s.arg(m_channel), u"-m"_s, QString::fromUtf8(payload)});
    }
    std::pair<int, QByteArray> coapPublish(const QString &key, const QByteArray &payload)
    {
        return run(QStandardPaths::findExecutable(u"coap-client-openssl"_s),
                   {u"-m"_s, u"post"_s, u"-t"_s, u"110"_s, u"-e"_s, QString::fromUtf8(payload),
                    u"coap://127.0.0.1:%1/channels/%2/messages?authorization=%3"_s.arg(m_edge->port("coap")).arg(
                        m_channel, key)});
    }
    int httpPublish(BackendProcess &process, const QString &key, const QByteArray &payload)
    {
        return process
            .request("POST", u"/http/channels/%1/messages"_s.arg(m_channel), payload, "application/senml+json",
                     key.toLatin1())
            .status;
    }
    qint64 storedTotal()
    {
        return m_core->request("GET", u"/channels/%1/messages?limit=100"_s.arg(m_channel), {}, {}, m_token)
            .json()
            .value("total"_L1)
            .toInteger();
    }

private Q_SLOTS:
    void initTestCase()
    {
        const auto started = m_nats.start();
        QVERIFY2(started, started ? "" : qPrintable(started.error().message));
        auto dbUrl = testing::testDatabaseUrl();
        QVERIFY2(dbUrl, dbUrl ? "" : qPrintable(dbUrl.error().message));

        auto core = common(m_coreDir.path());
        core.insert(u"MF_SERVICES"_s, u"users,things,normalizer,writer,reader,http"_s);
        core.insert(u"MF_DB_URL"_s, *dbUrl);
        m_core = std::make_unique<BackendProcess>(QStringLiteral(MF_BACKEND_EXECUTABLE), core);
        QVERIFY2(!m_core->waitReady().isEmpty(), qPrintable(m_core->startError()));

        auto edge = common(m_edgeDir.path());
        edge.insert(u"MF_SERVICES"_s, u"http,ws,coap,mqtt"_s);
        m_edge = std::make_unique<BackendProcess>(QStringLiteral(MF_BACKEND_EXECUTABLE), edge);
        QVERIFY2(!m_edge->waitReady().isEmpty(), qPrintable(m_edge->startError()));

        QCOMPARE(m_core->request("POST", u"/users"_s, "{\"email\":\"ann@example.com\",\"password\":\"12345678\"}").status,
                 201);
        m_token = m_core->request("POST", u"/tokens"_s, "{\"email\":\"ann@example.com\",\"password\":\"12345678\"}")
                      .json()
                      .value("token"_L1)
                      .toString()
                      .toLatin1();
        QVERIFY(!m_token.isEmpty());
        m_channel = m_core->request("POST", u"/channels"_s, "{\"name\":\"c\"}", "application/json", m_token)
                        .json()
                        .value("id"_L1)
                        .toString();
        std::tie(m_thing, m_key) = createThing(u"device"_s);
        std::tie(m_stranger, m_strangerKey) = createThing(u"not connected"_s);
        QCOMPARE(m_core->request("PUT", u"/channels/%1/things/%2"_s.arg(m_channel, m_thing), {}, {}, m_token).status,
                 200);
    }

    void edgeOpensNoDatabase()
    {
        QVERIFY(m_edge->waitReady().value("database"_L1).isNull());
        QVERIFY(!QFileInfo::exists(QDir(m_edgeDir.path()).filePath(u"mainflux.db"_s)));
        QVERIFY(!m_core->waitReady().value("database"_L1).toString().isEmpty());
    }

    void edgeAuthenticatesEveryProtocolThroughTheCore()
    {
        QCOMPARE(httpPublish(*m_edge, m_key, "[{\"n\":\"http\",\"v\":1}]"), 202);

        const auto mqtt = mqttPublish(m_thing, m_key, "[{\"n\":\"mqtt\",\"v\":2}]");
        QVERIFY2(mqtt.first == 0, mqtt.second.constData());

        const auto coap = coapPublish(m_key, "[{\"n\":\"coap\",\"v\":3}]");
        QVERIFY2(coap.first == 0 && coap.second.trimmed().isEmpty(), coap.second.constData());

        QWebSocket ws;
        bool connected = false;
        connect(&ws, &QWebSocket::connected, &ws, [&] { connected = true; });
        QNetworkRequest request(QUrl(u"ws://127.0.0.1:%1/channels/%2/messages"_s.arg(m_edge->port("ws")).arg(m_channel)));
        request.setRawHeader("Authorization", "Thing " + m_key.toLatin1());
        ws.open(request);
        QTRY_VERIFY(connected);
        ws.sendTextMessage(u"[{\"n\":\"ws\",\"v\":4}]"_s);
        ws.flush();

        QTRY_COMPARE(storedTotal(), 4);
        ws.close();
    }

    void edgeRefusesUnknownAndUnconnectedKeys()
    {
        const HttpReply unknown = m_edge->request("POST", u"/http/channels/%1/messages"_s.arg(m_channel),
                                                  "[{\"n\":\"x\",\"v\":1}]", "application/senml+json", "nope");
        QCOMPARE(unknown.status, 401);
        QCOMPARE(httpPublish(*m_edge, m_strangerKey, "[{\"n\":\"x\",\"v\":1}]"), 403);
        const auto mqtt = mqttPublish(m_thing, u"nope"_s, "[{\"n\":\"x\",\"v\":1}]");
        QVERIFY2(mqtt.first != 0, mqtt.second.constData());
        const auto coap = coapPublish(u"nope"_s, "[{\"n\":\"x\",\"v\":1}]");
        QVERIFY2(coap.second.contains("4.01"), coap.second.constData());
        QCOMPARE(storedTotal(), 4);
    }

    void accessChangesOnTheCoreReachTheEdge()
    {
        QCOMPARE(httpPublish(*m_edge, m_key, "[{\"n\":\"before\",\"v\":1}]"), 202); // cached on the edge now
        QCOMPARE(m_core->request("DELETE", u"/channels/%1/things/%2"_s.arg(m_channel, m_thing), {}, {}, m_token).status,
                 204);
        QTRY_COMPARE(httpPublish(*m_edge, m_key, "[{\"n\":\"after\",\"v\":1}]"), 403);
    }

    // GET /cluster on any process lists every process with its services and ports (from their announcements).
    void clusterViewListsEveryProcess()
    {
        const auto services = [](const QJsonObject &p) { return p.value("services"_L1).toVariant().toStringList(); };
        QJsonArray processes;
        QTRY_VERIFY((processes = m_edge->request("GET", u"/cluster"_s).json().value("processes"_L1).toArray()).size() == 2);
        QSet<QString> seen;
        for (const QJsonValue &v : std::as_const(processes)) {
            const QJsonObject p = v.toObject();
            seen.insert(services(p).join(u','));
            QCOMPARE(p.value("state"_L1).toString(), u"pass"_s);
            QVERIFY(p.value("ports"_L1).toObject().value("http"_L1).toInt() > 0);
        }
        QCOMPARE(seen, (QSet<QString>{u"users,things,normalizer,writer,reader,http"_s, u"http,ws,coap,mqtt"_s}));
        QCOMPARE(processes.first().toObject().value("id"_L1), m_edge->request("GET", u"/cluster"_s).json().value("self"_L1));
    }

    // Bad configuration of the cluster, not of a device: without the things process an edge cannot tell a good key
    // from a bad one, so it must say "unavailable" (503), never "unknown key" (401).
    void edgeWithoutTheCoreAnswersUnavailable()
    {
        QVERIFY(m_core->stop());
        const HttpReply reply = m_edge->request("POST", u"/http/channels/%1/messages"_s.arg(m_channel),
                                                "[{\"n\":\"x\",\"v\":1}]", "application/senml+json",
                                                m_strangerKey.toLatin1());
        QCOMPARE(reply.status, 503);
        QVERIFY2(reply.error().contains("things service did not answer"_L1), reply.body.constData());
        // ... and the cluster view on the edge says the core stopped answering (after three missed announcements).
        const auto coreState = [this] {
            for (const QJsonValue &v : m_edge->request("GET", u"/cluster"_s).json().value("processes"_L1).toArray())
                if (v.toObject().value("services"_L1).toVariant().toStringList().contains(u"things"_s))
                    return v.toObject().value("state"_L1).toString();
            return QString();
        };
        QTRY_COMPARE_WITH_TIMEOUT(coreState(), u"stopped answering"_s, 20000);
    }

    void cleanupTestCase()
    {
        m_edge.reset();
        m_core.reset();
    }
};

QTEST_GUILESS_MAIN(tst_SplitRoles)
#include "tst_splitroles.moc"
