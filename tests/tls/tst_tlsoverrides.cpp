// (No raw string literals here: moc 6.4 loses the class after one.)
// One certificate per protocol (issue 14 item 1, "optional per-protocol overrides"): MF_HTTP_TLS_CERT,
// MF_WS_TLS_CERT, MF_MQTT_TLS_CERT and MF_COAP_DTLS_CERT (each with its _KEY) replace MF_TLS_CERT on their
// protocol's ports only. Every certificate here comes from its own throw-away CA, so a client that trusts one CA
// only proves which certificate a port serves: curl --cacert (REST, HTTP adapter), mosquitto_pub --cafile (MQTT over
// TLS), QWebSocket (WSS, MQTT over WSS), coap-client-openssl -R (CoAP over DTLS). The ready line names the fingerprint
// of every port that serves another certificate than the REST port, and says nothing more with one certificate; a
// bad override stops mainflux-backend with a message naming the setting and the file. Also: a CoAP observation over
// DTLS ends when the client cancels it.
#include "../adapters/coaptestclient.h"
#include "api/metrics.h"
#include "devcertificate.h"
#include "testbackend.h"
#include "toolrun.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

using namespace Qt::StringLiterals;
using namespace mf;
using mf::testing::HttpReply;

namespace {

constexpr int SafetyTimeoutMs = 60000; // only to end a hung run; no assertion depends on how fast things are

using mf::testing::runTool;
using mf::testing::tool;
using mf::testing::ToolRun;

} // namespace

class TestTlsOverrides : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    // Five pairs, each with its own CA: the default one and one per protocol.
    backend::DevCertificate m_base, m_http, m_ws, m_mqtt, m_coap;
    std::unique_ptr<testing::TestBackend> m_be; // MF_TLS_CERT plus the WebSocket, MQTT and CoAP overrides
    QByteArray m_token;
    QString m_thing, m_key, m_channel;
    QString m_sender, m_senderKey; // publishes what the boiler observes (an observer never gets its own messages)

    backend::Backend &be() { return m_be->backend(); }
    QJsonObject ports() { return be().readyInfo().value("ports"_L1).toObject(); }
    quint16 port(const char *name) { return quint16(ports().value(QLatin1StringView(name)).toInt()); }
    QString messagesPath() const { return u"/channels/%1/messages"_s.arg(m_channel); }
    QString senml(const QString &name) const { return u"[{\"n\":\"%1\",\"v\":1}]"_s.arg(name); }

    bool isStored(const QString &name)
    {
        const HttpReply r = m_be->get(messagesPath() + u"?limit=1000"_s, m_token);
        for (const QJsonValue &m : r.json().value("messages"_L1).toArray())
            if (m.toObject().value("name"_L1).toString() == name) return true;
        return false;
    }
    // What the backend says about itself in /cluster (its own entry), as a remote dashboard reads it.
    static QJsonObject announced(testing::TestBackend &backend)
    {
        const QJsonObject cluster = backend.get(u"/cluster"_s, {}).json();
        for (const QJsonValue &process : cluster.value("processes"_L1).toArray())
            if (process.toObject().value("id"_L1) == cluster.value("self"_L1)) return process.toObject();
        return {};
    }
    backend::DevCertificate makeCert(const QString &name)
    {
        auto cert = backend::makeDevCertificate(m_dir.filePath(name));
        if (!cert) qFatal("makeDevCertificate: %s", qPrintable(cert.error().message));
        return *cert;
    }
    // A QWebSocket trusting only `ca` (and the system's CAs): connected or not after the handshake.
    static bool webSocketConnects(const QUrl &url, const QString &ca, const QByteArray &subprotocol = {})
    {
        QWebSocket socket;
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates(QSslConfiguration::systemCaCertificates());
        tls.addCaCertificates(ca);
        socket.setSslConfiguration(tls);
        QNetworkRequest request(url);
        if (!subprotocol.isEmpty()) request.setRawHeader("Sec-WebSocket-Protocol", subprotocol);
        QSignalSpy connected(&socket, &QWebSocket::connected);
        QSignalSpy disconnected(&socket, &QWebSocket::disconnected);
        socket.open(request);
        QDeadlineTimer deadline(SafetyTimeoutMs);
        while (connected.isEmpty() && disconnected.isEmpty() && !deadline.hasExpired())
            QTest::qWait(10);
        return socket.state() == QAbstractSocket::ConnectedState;
    }
    // Whether a TLS handshake with localhost:port verifies when only `ca` (and the system's CAs) is trusted.
    static bool handshakeVerifies(quint16 onPort, const QString &ca)
    {
        QSslSocket socket;
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates(QSslConfiguration::systemCaCertificates());
        tls.addCaCertificates(ca);
        socket.setSslConfiguration(tls);
        QSignalSpy encrypted(&socket, &QSslSocket::encrypted);
        QSignalSpy failed(&socket, &QSslSocket::errorOccurred);
        socket.connectToHostEncrypted(u"localhost"_s, onPort);
        QDeadlineTimer deadline(SafetyTimeoutMs);
        while (encrypted.isEmpty() && failed.isEmpty() && !deadline.hasExpired())
            QTest::qWait(10);
        return !encrypted.isEmpty();
    }
    ToolRun curlHealth(const QString &ca, quint16 onPort)
    {
        return runTool(tool(u"curl"_s), {u"-sS"_s, u"--cacert"_s, ca, u"https://localhost:%1/health"_s.arg(onPort)});
    }
    ToolRun mosquittoPub(const QString &ca, quint16 onPort, const QString &name)
    {
        return runTool(tool(u"mosquitto_pub"_s),
                       {u"-h"_s, u"localhost"_s, u"-p"_s, QString::number(onPort), u"--cafile"_s, ca, u"-u"_s, m_thing,
                        u"-P"_s, m_key, u"-t"_s, u"channels/%1/messages"_s.arg(m_channel), u"-q"_s, u"1"_s, u"-m"_s,
                        senml(name)});
    }
    ToolRun coapPost(const QString &ca, const QString &name)
    {
        const QString url = u"coaps://127.0.0.1:%1/channels/%2/messages?authorization=%3"_s.arg(port("coap_dtls"))
                                .arg(m_channel, m_key);
        return runTool(tool(u"coap-client-openssl"_s), {u"-m"_s, u"post"_s, u"-t"_s, u"110"_s, u"-R"_s, ca, u"-B"_s,
                                                        u"5"_s, u"-e"_s, senml(name), url});
    }
    static QHash<QString, QString> tlsPorts()
    {
        return {{u"MF_HTTP_ADAPTER_PORT"_s, u"0"_s}, {u"MF_MQTT_TLS_PORT"_s, u"0"_s}, {u"MF_COAP_DTLS_PORT"_s, u"0"_s}};
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_base = makeCert(u"base"_s);
        m_http = makeCert(u"http"_s);
        m_ws = makeCert(u"ws"_s);
        m_mqtt = makeCert(u"mqtt"_s);
        m_coap = makeCert(u"coap"_s);
        // The test's own HTTP client (TestBackend::request) trusts the CAs of both REST certificates used here.
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.addCaCertificates(m_base.caFile);
        tls.addCaCertificates(m_http.caFile);
        QSslConfiguration::setDefaultConfiguration(tls);

        QHash<QString, QString> settings = tlsPorts();
        settings.insert({{u"MF_TLS_CERT"_s, m_base.certFile},
                         {u"MF_TLS_KEY"_s, m_base.keyFile},
                         {u"MF_WS_TLS_CERT"_s, m_ws.certFile},
                         {u"MF_WS_TLS_KEY"_s, m_ws.keyFile},
                         {u"MF_MQTT_TLS_CERT"_s, m_mqtt.certFile},
                         {u"MF_MQTT_TLS_KEY"_s, m_mqtt.keyFile},
                         {u"MF_COAP_DTLS_CERT"_s, m_coap.certFile},
                         {u"MF_COAP_DTLS_KEY"_s, m_coap.keyFile}});
        m_be = std::make_unique<testing::TestBackend>(settings);
        QVERIFY2(m_be->isRunning(), qPrintable(m_be->startError()));
        m_be->createUser(u"ann@example.com"_s);
        m_token = m_be->token(u"ann@example.com"_s);
        const HttpReply thing = m_be->post(u"/things"_s, {{u"name"_s, u"boiler"_s}}, m_token);
        m_thing = thing.json().value("id"_L1).toString();
        m_key = thing.json().value("key"_L1).toString();
        m_channel = m_be->post(u"/channels"_s, {{u"name"_s, u"room"_s}}, m_token).json().value("id"_L1).toString();
        const HttpReply sender = m_be->post(u"/things"_s, {{u"name"_s, u"sender"_s}}, m_token);
        m_sender = sender.json().value("id"_L1).toString();
        m_senderKey = sender.json().value("key"_L1).toString();
        for (const QString &thing : {m_thing, m_sender})
            QCOMPARE(m_be->request("PUT", u"/channels/%1/things/%2"_s.arg(m_channel, thing), {}, {}, m_token).status,
                     200);
    }

    void cleanupTestCase() { m_be.reset(); }

    void readyLineNamesEachPortsCertificate()
    {
        const QJsonObject tls = be().readyInfo().value("tls"_L1).toObject();
        QCOMPARE(tls.value("enabled"_L1).toBool(), true);
        QCOMPARE(tls.value("sha256"_L1).toString(), m_base.sha256); // the REST port's
        const QJsonObject expected{{u"ws"_s, m_ws.sha256},
                                   {u"mqtt_tls"_s, m_mqtt.sha256},
                                   {u"mqtt_ws"_s, m_mqtt.sha256},
                                   {u"coap_dtls"_s, m_coap.sha256}};
        QCOMPARE(tls.value("ports"_L1).toObject(), expected); // not http nor http_adapter: they serve tls.sha256
        // The same in what the process announces on the bus (a remote dashboard reads it in /cluster).
        QTRY_COMPARE_WITH_TIMEOUT(announced(*m_be).value("tls"_L1).toObject(), tls, SafetyTimeoutMs);
    }

    void httpsPortsKeepTheDefaultCertificate()
    {
        QVERIFY(!tool(u"curl"_s).isEmpty());
        for (const char *name : {"http", "http_adapter"}) {
            ToolRun run = curlHealth(m_base.caFile, port(name));
            QVERIFY2(run.exitCode == 0 && run.out.contains("\"status\""),
                     qPrintable(QString::fromLatin1(name) + u": "_s + run.all()));
            run = curlHealth(m_mqtt.caFile, port(name)); // 60: the peer certificate cannot be verified
            QVERIFY2(run.exitCode == 60, qPrintable(QString::fromLatin1(name) + u": "_s + run.all()));
        }
    }

    void mqttOverTlsServesItsOwnCertificate()
    {
        QVERIFY(!tool(u"mosquitto_pub"_s).isEmpty());
        ToolRun run = mosquittoPub(m_mqtt.caFile, port("mqtt_tls"), u"mqtt-own-cert"_s);
        QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
        run = mosquittoPub(m_base.caFile, port("mqtt_tls"), u"mqtt-default-ca"_s);
        QVERIFY2(run.exitCode != 0, qPrintable(run.all()));
        QTRY_VERIFY_WITH_TIMEOUT(isStored(u"mqtt-own-cert"_s), SafetyTimeoutMs);
        QVERIFY(!isStored(u"mqtt-default-ca"_s));
    }

    void mqttOverWssServesTheMqttCertificate()
    {
        const QUrl url(u"wss://localhost:%1/mqtt"_s.arg(port("mqtt_ws")));
        QVERIFY(webSocketConnects(url, m_mqtt.caFile, "mqtt"));
        QVERIFY(!webSocketConnects(url, m_base.caFile, "mqtt"));
    }

    void webSocketServesItsOwnCertificate()
    {
        const QUrl url(u"wss://localhost:%1%2?authorization=%3"_s.arg(port("ws")).arg(messagesPath(), m_key));
        QVERIFY(webSocketConnects(url, m_ws.caFile));
        QVERIFY(!webSocketConnects(url, m_base.caFile));
    }

    void coapOverDtlsServesItsOwnCertificate()
    {
        QVERIFY(!tool(u"coap-client-openssl"_s).isEmpty());
        ToolRun run = coapPost(m_coap.caFile, u"coaps-own-cert"_s);
        // coap-client exits 0 even on 4.xx: a 2.04 prints nothing, anything else prints.
        QVERIFY2(run.exitCode == 0 && run.out.trimmed().isEmpty() && run.err.trimmed().isEmpty(),
                 qPrintable(run.all()));
        run = coapPost(m_base.caFile, u"coaps-default-ca"_s);
        QVERIFY2(run.all().contains("certificate verify failed"_L1), qPrintable(run.all()));
        QTRY_VERIFY_WITH_TIMEOUT(isStored(u"coaps-own-cert"_s), SafetyTimeoutMs);
        QVERIFY(!isStored(u"coaps-default-ca"_s));
    }

    // RFC 7641 §3.6 over DTLS (pre-shared key: thing id and key): the client's GET with Observe: 1 and the
    // observation's token ends it in the adapter. A second observer is the sentinel: once it has the next message,
    // the cancelled one would have had it too.
    void coapDtlsObservationEndsWhenCancelled()
    {
        const auto observers = [this] { return be().metrics().value("mf_adapter_observers", "protocol=\"coap\""); };
        QCOMPARE(observers(), 0.0);
        testing::CoapTestClient::Request observe;
        observe.method = COAP_REQUEST_CODE_GET;
        observe.path = "channels/" + m_channel.toLatin1() + "/messages";
        observe.observe = COAP_OBSERVE_ESTABLISH;
        const auto publish = [this](const QString &name) {
            return m_be
                ->request("POST", u"/http"_s + messagesPath(), senml(name).toUtf8(), "application/senml+json",
                          m_senderKey.toLatin1())
                .status;
        };

        testing::CoapTestClient client(port("coap_dtls"), m_thing.toUtf8(), m_key.toUtf8());
        const QByteArray token = client.send(observe);
        QVERIFY(client.waitFor([&] { return !client.repliesFor(token).isEmpty(); }, SafetyTimeoutMs));
        QCOMPARE(client.repliesFor(token).first().code, 205);
        QVERIFY(client.repliesFor(token).first().observe.has_value());
        QTRY_COMPARE_WITH_TIMEOUT(observers(), 1.0, SafetyTimeoutMs);
        QCOMPARE(publish(u"observed-over-dtls"_s), 202);
        QVERIFY(client.waitFor([&] { return client.repliesFor(token).last().payload.contains("observed-over-dtls"); },
                               SafetyTimeoutMs));

        QVERIFY(client.cancelObservation(token));
        QVERIFY(client.waitFor([&] { return !client.repliesFor(token).last().observe.has_value(); }, SafetyTimeoutMs));
        QTRY_COMPARE_WITH_TIMEOUT(observers(), 0.0, SafetyTimeoutMs);
        const qsizetype ended = client.repliesFor(token).size();

        testing::CoapTestClient sentinel(port("coap_dtls"), m_thing.toUtf8(), m_key.toUtf8());
        const QByteArray watching = sentinel.send(observe);
        QVERIFY(sentinel.waitFor([&] { return !sentinel.repliesFor(watching).isEmpty(); }, SafetyTimeoutMs));
        QCOMPARE(publish(u"after-cancel"_s), 202);
        QVERIFY(sentinel.waitFor(
            [&] {
                client.spin(1); // the cancelled client's session is served meanwhile
                return sentinel.repliesFor(watching).last().payload.contains("after-cancel");
            },
            SafetyTimeoutMs));
        client.spin(1);
        QCOMPARE(client.repliesFor(token).size(), ended);
    }

    // MF_HTTP_TLS_CERT alone: the REST port serves it (tls.sha256 is its fingerprint), every other TLS port falls
    // back to MF_TLS_CERT and is named with it.
    void otherPortsFallBackToTheDefaultCertificate()
    {
        QHash<QString, QString> settings = tlsPorts();
        settings.insert({{u"MF_TLS_CERT"_s, m_base.certFile},
                         {u"MF_TLS_KEY"_s, m_base.keyFile},
                         {u"MF_HTTP_TLS_CERT"_s, m_http.certFile},
                         {u"MF_HTTP_TLS_KEY"_s, m_http.keyFile}});
        testing::TestBackend other(settings);
        QVERIFY2(other.isRunning(), qPrintable(other.startError()));
        const QJsonObject ready = other.backend().readyInfo();
        const QJsonObject otherPorts = ready.value("ports"_L1).toObject();
        const QJsonObject tls = ready.value("tls"_L1).toObject();
        QCOMPARE(tls.value("sha256"_L1).toString(), m_http.sha256);
        const QJsonObject expected{{u"ws"_s, m_base.sha256},
                                   {u"mqtt_tls"_s, m_base.sha256},
                                   {u"mqtt_ws"_s, m_base.sha256},
                                   {u"coap_dtls"_s, m_base.sha256}};
        QCOMPARE(tls.value("ports"_L1).toObject(), expected);

        for (const char *name : {"http", "http_adapter"}) {
            const quint16 p = quint16(otherPorts.value(QLatin1StringView(name)).toInt());
            ToolRun run = curlHealth(m_http.caFile, p);
            QVERIFY2(run.exitCode == 0 && run.out.contains("\"status\""), qPrintable(run.all()));
            run = curlHealth(m_base.caFile, p);
            QVERIFY2(run.exitCode == 60, qPrintable(run.all()));
        }
        // The other TLS ports: a handshake verifies against the default certificate's CA, not the REST one's.
        for (const char *name : {"ws", "mqtt_tls", "mqtt_ws"}) {
            const quint16 p = quint16(otherPorts.value(QLatin1StringView(name)).toInt());
            QVERIFY2(handshakeVerifies(p, m_base.caFile), name);
            QVERIFY2(!handshakeVerifies(p, m_http.caFile), name);
        }
        // CoAP over DTLS: the boiler is no thing of this backend, so a verified session ends in 4.01.
        const QString coaps = u"coaps://127.0.0.1:%1/channels/%2/messages?authorization=%3"_s
                                  .arg(otherPorts.value("coap_dtls"_L1).toInt())
                                  .arg(m_channel, m_key);
        ToolRun run = runTool(tool(u"coap-client-openssl"_s),
                              {u"-m"_s, u"post"_s, u"-R"_s, m_base.caFile, u"-B"_s, u"5"_s, u"-e"_s, u"x"_s, coaps});
        QVERIFY2(run.all().contains("4.01"_L1), qPrintable(run.all()));
        run = runTool(tool(u"coap-client-openssl"_s),
                      {u"-m"_s, u"post"_s, u"-R"_s, m_http.caFile, u"-B"_s, u"5"_s, u"-e"_s, u"x"_s, coaps});
        QVERIFY2(run.all().contains("certificate verify failed"_L1), qPrintable(run.all()));
    }

    // One certificate for every port (also when an override names the same certificate): the ready line's "tls"
    // is what it was before overrides existed, and the announcement has no "tls".
    void oneCertificateReadsAsBefore_data()
    {
        QTest::addColumn<bool>("sameAsOverride");
        QTest::addRow("MF_TLS_CERT only") << false;
        QTest::addRow("an override with the same pair") << true;
    }
    void oneCertificateReadsAsBefore()
    {
        QFETCH(bool, sameAsOverride);
        QHash<QString, QString> settings = tlsPorts();
        settings.insert({{u"MF_TLS_CERT"_s, m_base.certFile}, {u"MF_TLS_KEY"_s, m_base.keyFile}});
        if (sameAsOverride)
            settings.insert({{u"MF_MQTT_TLS_CERT"_s, m_base.certFile}, {u"MF_MQTT_TLS_KEY"_s, m_base.keyFile}});
        testing::TestBackend single(settings);
        QVERIFY2(single.isRunning(), qPrintable(single.startError()));
        const QJsonObject tls = single.backend().readyInfo().value("tls"_L1).toObject();
        QCOMPARE(QJsonDocument(tls).toJson(QJsonDocument::Compact),
                 u"{\"enabled\":true,\"sha256\":\"%1\"}"_s.arg(m_base.sha256).toUtf8());
        QTRY_VERIFY_WITH_TIMEOUT(announced(single).contains("ports"_L1), SafetyTimeoutMs);
        QVERIFY(!announced(single).contains("tls"_L1));
    }

    void badOverrideStopsTheStart_data()
    {
        QTest::addColumn<QStringList>("settings"); // NAME=value
        QTest::addColumn<QStringList>("named");    // what the error must name

        QFile garbage(m_dir.filePath(u"garbage.pem"_s));
        QVERIFY(garbage.open(QIODevice::WriteOnly));
        garbage.write("not a certificate\n");
        garbage.close();
        const QString missing = m_dir.filePath(u"missing.pem"_s);
        const QString base = u"MF_TLS_CERT="_s + m_base.certFile, baseKey = u"MF_TLS_KEY="_s + m_base.keyFile;
        QTest::addRow("missing MQTT certificate")
            << QStringList{base, baseKey, u"MF_MQTT_TLS_CERT="_s + missing, u"MF_MQTT_TLS_KEY="_s + m_mqtt.keyFile}
            << QStringList{u"MF_MQTT_TLS_CERT"_s, missing};
        QTest::addRow("WebSocket key of another certificate")
            << QStringList{base, baseKey, u"MF_WS_TLS_CERT="_s + m_ws.certFile, u"MF_WS_TLS_KEY="_s + m_mqtt.keyFile}
            << QStringList{u"MF_WS_TLS_KEY"_s, m_mqtt.keyFile};
        QTest::addRow("CoAP certificate not PEM")
            << QStringList{base, baseKey, u"MF_COAP_DTLS_CERT="_s + garbage.fileName(),
                           u"MF_COAP_DTLS_KEY="_s + m_coap.keyFile}
            << QStringList{u"MF_COAP_DTLS_CERT"_s, garbage.fileName()};
        QTest::addRow("HTTP key not PEM") << QStringList{base, baseKey, u"MF_HTTP_TLS_CERT="_s + m_http.certFile,
                                                         u"MF_HTTP_TLS_KEY="_s + garbage.fileName()}
                                          << QStringList{u"MF_HTTP_TLS_KEY"_s, garbage.fileName()};
        QTest::addRow("certificate without key")
            << QStringList{base, baseKey, u"MF_HTTP_TLS_CERT="_s + m_http.certFile}
            << QStringList{u"MF_HTTP_TLS_CERT is set but MF_HTTP_TLS_KEY is not"_s};
        QTest::addRow("override without MF_TLS_CERT")
            << QStringList{u"MF_MQTT_TLS_CERT="_s + m_mqtt.certFile, u"MF_MQTT_TLS_KEY="_s + m_mqtt.keyFile}
            << QStringList{u"MF_MQTT_TLS_CERT needs MF_TLS_CERT"_s};
    }
    void badOverrideStopsTheStart()
    {
        QFETCH(QStringList, settings);
        QFETCH(QStringList, named);
        QTemporaryDir data;
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString &name : env.keys())
            if (name.startsWith("MF_"_L1)) env.remove(name);
        env.insert(u"MF_DATA_DIR"_s, data.path());
        env.insert(u"MF_HTTP_PORT"_s, u"0"_s);
        for (const QString &setting : settings)
            env.insert(setting.section(u'=', 0, 0), setting.section(u'=', 1));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(MF_BACKEND_EXECUTABLE), QStringList{});
        QVERIFY(p.waitForFinished(SafetyTimeoutMs));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() != 0, qPrintable(err));
        for (const QString &part : named)
            QVERIFY2(err.contains(part), qPrintable(part + u" not in: "_s + err));
        QVERIFY(!p.readAllStandardOutput().contains("ready")); // never announced itself
    }
};

QTEST_GUILESS_MAIN(TestTlsOverrides)
#include "tst_tlsoverrides.moc"
