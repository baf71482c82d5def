// (No raw string literals here: moc 6.4 loses the class after one.)
// TLS on every protocol with one certificate setting (issue 14 items 1 and 2), tried with the clients users run:
// curl --cacert (REST and HTTP adapter), mosquitto_pub/_sub --cafile (MQTT over TLS), coap-client-openssl -R
// (CoAP over DTLS), QWebSocket (WSS, and MQTT over WSS), mainflux-cli --ca / --insecure. Every client is refused
// when it does not trust the server's CA; a bad certificate or key stops mainflux-backend with a message naming the
// file; `--make-dev-cert` writes a pair those clients accept; no key, token or private key reaches a log.
#include "../adapters/coaptestclient.h"
#include "adapters/lora/loraadapter.h"
#include "api/metrics.h"
#include "client/devicepublisher.h"
#include "client/livestream.h"
#include "client/restclient.h"
#include "devcertificate.h"
#include "testbackend.h"
#include "toolrun.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace mf;
using mf::testing::HttpReply;

namespace {

constexpr int SafetyTimeoutMs = 60000; // only to end a hung run; no assertion depends on how fast things are

using mf::testing::runTool;
using mf::testing::tool;
using mf::testing::ToolRun;

// Every log line of the process, to prove no secret reaches one.
QStringList g_log;
QtMessageHandler g_previousHandler = nullptr;
void collectLog(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    g_log.append(message);
    if (g_previousHandler) g_previousHandler(type, context, message);
}

} // namespace

class TestTls : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    backend::DevCertificate m_good;    // the server's pair and the CA clients trust
    backend::DevCertificate m_other;   // another lab's CA: clients trusting only it must refuse the server
    backend::DevCertificate m_expired; // a pair that expired yesterday
    std::unique_ptr<testing::TestBackend> m_be;
    QByteArray m_token;
    QString m_thing, m_key, m_reader, m_readerKey, m_channel;
    QStringList m_pskKeys; // keys a PSK handshake used (secretsNeverLogged)

    backend::Backend &be() { return m_be->backend(); }
    QJsonObject ports() { return be().readyInfo().value("ports"_L1).toObject(); }
    quint16 port(const char *name) { return quint16(ports().value(QLatin1StringView(name)).toInt()); }
    QString field(const HttpReply &r, const char *name) { return r.json().value(QLatin1StringView(name)).toString(); }
    QString messagesPath() const { return u"/channels/%1/messages"_s.arg(m_channel); }
    QString senml(const QString &name) const { return u"[{\"n\":\"%1\",\"v\":1}]"_s.arg(name); }

    QJsonArray stored()
    {
        return m_be->get(messagesPath() + u"?limit=1000"_s, m_token).json().value("messages"_L1).toArray();
    }
    // A SenML record of that name, or a raw message (no content type given, as over WebSocket) that holds it.
    bool isStored(const QString &name)
    {
        for (const QJsonValue &m : stored()) {
            const QJsonObject message = m.toObject();
            if (message.value("name"_L1).toString() == name) return true;
            if (message.value("payload"_L1).toString().contains(u"\"%1\""_s.arg(name))) return true;
        }
        return false;
    }
    QString thing(const QString &name, QString *key)
    {
        const HttpReply r = m_be->post(u"/things"_s, {{u"name"_s, name}}, m_token);
        *key = field(r, "key");
        return field(r, "id");
    }
    // A QWebSocket trusting `ca` (empty: the system's CAs only), connected or not after the handshake.
    std::unique_ptr<QWebSocket> openWebSocket(const QUrl &url, const QString &ca, const QByteArray &subprotocol = {})
    {
        auto socket = std::make_unique<QWebSocket>();
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates(QSslConfiguration::systemCaCertificates());
        if (!ca.isEmpty()) tls.addCaCertificates(ca);
        socket->setSslConfiguration(tls);
        QNetworkRequest request(url);
        if (!subprotocol.isEmpty()) request.setRawHeader("Sec-WebSocket-Protocol", subprotocol);
        QSignalSpy connected(socket.get(), &QWebSocket::connected);
        QSignalSpy disconnected(socket.get(), &QWebSocket::disconnected);
        socket->open(request);
        QDeadlineTimer deadline(SafetyTimeoutMs);
        while (connected.isEmpty() && disconnected.isEmpty() && !deadline.hasExpired())
            QTest::qWait(10);
        return socket;
    }
    static QByteArray mqttString(const QByteArray &s)
    {
        return QByteArray(1, char(s.size() >> 8)) + char(s.size() & 0xff) + s;
    }
    static QByteArray mqttPacket(char type, const QByteArray &body)
    {
        QByteArray out(1, type);
        qsizetype length = body.size();
        do {
            char byte = char(length % 128);
            length /= 128;
            if (length > 0) byte = char(byte | 0x80);
            out += byte;
        } while (length > 0);
        return out + body;
    }

    // CoAP over DTLS with a pre-shared key: identity = thing id, key = thing key, on the certificate port.
    ToolRun coapPsk(const QString &identity, const QString &key, const QString &name, const QString &query = {})
    {
        const QString url =
            u"coaps://127.0.0.1:%1/channels/%2/messages%3"_s.arg(port("coap_dtls")).arg(m_channel, query);
        return runTool(tool(u"coap-client-openssl"_s), {u"-m"_s, u"post"_s, u"-t"_s, u"110"_s, u"-u"_s, identity,
                                                        u"-k"_s, key, u"-B"_s, u"5"_s, u"-e"_s, senml(name), url});
    }
    // coap-client exits 0 even on 4.xx and on a failed handshake: a 2.04 prints nothing, anything else prints.
    static bool changed(const ToolRun &run)
    {
        return run.exitCode == 0 && run.out.trimmed().isEmpty() && run.err.trimmed().isEmpty();
    }

    // As a dashboard that trusts nothing but what it pinned: the system's CAs only, not the lab CA. Returns the
    // default configuration to restore.
    static QSslConfiguration trustSystemCasOnly()
    {
        const QSslConfiguration saved = QSslConfiguration::defaultConfiguration();
        QSslConfiguration systemOnly = saved;
        systemOnly.setCaCertificates(QSslConfiguration::systemCaCertificates());
        QSslConfiguration::setDefaultConfiguration(systemOnly);
        return saved;
    }

private slots:
    void initTestCase()
    {
        g_previousHandler = qInstallMessageHandler(collectLog);
        QVERIFY(m_dir.isValid());
        auto good = backend::makeDevCertificate(m_dir.filePath(u"good"_s));
        QVERIFY2(good, good ? "" : qPrintable(good.error().message));
        m_good = *good;
        auto other = backend::makeDevCertificate(m_dir.filePath(u"other"_s));
        QVERIFY2(other, other ? "" : qPrintable(other.error().message));
        m_other = *other;
        backend::DevCertificateOptions past;
        past.notBeforeSeconds = -10 * 24 * 3600;
        past.notAfterSeconds = -24 * 3600;
        auto expired = backend::makeDevCertificate(m_dir.filePath(u"expired"_s), past);
        QVERIFY2(expired, expired ? "" : qPrintable(expired.error().message));
        m_expired = *expired;
        // The test's own HTTP client (TestBackend::request) trusts the lab CA, as `--cacert` does for curl.
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.addCaCertificates(m_good.caFile);
        QSslConfiguration::setDefaultConfiguration(tls);

        m_be = std::make_unique<testing::TestBackend>(QHash<QString, QString>{{u"MF_TLS_CERT"_s, m_good.certFile},
                                                                              {u"MF_TLS_KEY"_s, m_good.keyFile},
                                                                              {u"MF_HTTP_ADAPTER_PORT"_s, u"0"_s},
                                                                              {u"MF_MQTT_TLS_PORT"_s, u"0"_s},
                                                                              {u"MF_COAP_DTLS_PORT"_s, u"0"_s},
                                                                              {u"MF_LOG_LEVEL"_s, u"debug"_s}});
        QVERIFY2(m_be->isRunning(), qPrintable(m_be->startError()));
        QVERIFY(m_be->baseUrl().startsWith("https://"_L1));
        m_be->createUser(u"ann@example.com"_s);
        m_token = m_be->token(u"ann@example.com"_s);
        m_thing = thing(u"boiler"_s, &m_key);
        m_reader = thing(u"display"_s, &m_readerKey);
        m_channel = field(m_be->post(u"/channels"_s, {{u"name"_s, u"room"_s}}, m_token), "id");
        for (const QString &t : {m_thing, m_reader})
            QCOMPARE(m_be->request("PUT", u"/channels/%1/things/%2"_s.arg(m_channel, t), {}, {}, m_token).status, 200);
    }

    void cleanupTestCase()
    {
        m_be.reset();
        qInstallMessageHandler(g_previousHandler);
    }

    void readyLineNamesTheTlsPorts()
    {
        const QJsonObject tls = be().readyInfo().value("tls"_L1).toObject();
        QCOMPARE(tls.value("enabled"_L1).toBool(), true);
        QCOMPARE(tls.value("sha256"_L1).toString(), m_good.sha256);
        for (const char *name : {"http", "http_adapter", "ws", "mqtt", "mqtt_tls", "mqtt_ws", "coap", "coap_dtls"})
            QVERIFY2(port(name) != 0, name);
    }

    void curlVerifiesHttps()
    {
        const QString curl = tool(u"curl"_s);
        QVERIFY(!curl.isEmpty());
        const QString health = u"https://localhost:%1/health"_s.arg(port("http"));
        ToolRun run = runTool(curl, {u"-sS"_s, u"--cacert"_s, m_good.caFile, health});
        QVERIFY2(run.exitCode == 0 && run.out.contains("\"status\""), qPrintable(run.all()));
        // By address too (the certificate names 127.0.0.1).
        run = runTool(curl,
                      {u"-sS"_s, u"--cacert"_s, m_good.caFile, u"https://127.0.0.1:%1/version"_s.arg(port("http"))});
        QVERIFY2(run.exitCode == 0 && run.out.contains("mainflux-backend"), qPrintable(run.all()));
        // Not trusted: the system's CAs only, and another lab's CA. curl's 60 = peer certificate cannot be verified.
        run = runTool(curl, {u"-sS"_s, health});
        QVERIFY2(run.exitCode == 60, qPrintable(run.all()));
        run = runTool(curl, {u"-sS"_s, u"--cacert"_s, m_other.caFile, health});
        QVERIFY2(run.exitCode == 60, qPrintable(run.all()));
        // Plain HTTP to the TLS port gets no HTTP answer.
        run = runTool(curl, {u"-sS"_s, u"-o"_s, u"/dev/null"_s, u"-w"_s, u"%{http_code}"_s,
                             u"http://localhost:%1/health"_s.arg(port("http"))});
        QVERIFY2(run.exitCode != 0 && !run.out.startsWith('2'), qPrintable(run.all()));

        // Publishing through both HTTP ports: the REST port's /http and the separate adapter port.
        const QStringList publish{u"-sS"_s,
                                  u"--cacert"_s,
                                  m_good.caFile,
                                  u"-o"_s,
                                  u"/dev/null"_s,
                                  u"-w"_s,
                                  u"%{http_code}"_s,
                                  u"-H"_s,
                                  u"Authorization: Thing "_s + m_key,
                                  u"-H"_s,
                                  u"Content-Type: application/senml+json"_s};
        run = runTool(curl,
                      publish + QStringList{u"-d"_s, senml(u"https-rest"_s),
                                            u"https://localhost:%1/http%2"_s.arg(port("http")).arg(messagesPath())});
        QVERIFY2(run.exitCode == 0 && run.out == "202", qPrintable(run.all()));
        run = runTool(curl,
                      publish + QStringList{u"-d"_s, senml(u"https-adapter"_s),
                                            u"https://localhost:%1%2"_s.arg(port("http_adapter")).arg(messagesPath())});
        QVERIFY2(run.exitCode == 0 && run.out == "202", qPrintable(run.all()));
        QTRY_VERIFY_WITH_TIMEOUT(isStored(u"https-rest"_s) && isStored(u"https-adapter"_s), SafetyTimeoutMs);
    }

    void connectionLimitsHoldOverTls()
    {
        // The gate still answers what it refuses, now inside TLS: an oversized request line is 414.
        const QString curl = tool(u"curl"_s);
        const QString path = u"/health?"_s + QString(10000, u'x');
        const ToolRun run = runTool(curl, {u"-sS"_s, u"--cacert"_s, m_good.caFile, u"-o"_s, u"/dev/null"_s, u"-w"_s,
                                           u"%{http_code}"_s, u"https://localhost:%1%2"_s.arg(port("http")).arg(path)});
        QVERIFY2(run.out == "414", qPrintable(run.all()));
    }

    void mosquittoClientsVerifyMqttOverTls()
    {
        const QString pub = tool(u"mosquitto_pub"_s), sub = tool(u"mosquitto_sub"_s);
        QVERIFY(!pub.isEmpty() && !sub.isEmpty());
        const QString topic = u"channels/%1/messages"_s.arg(m_channel);
        const QString tlsPort = QString::number(port("mqtt_tls"));
        // A subscriber over TLS (the display thing) receives what the boiler publishes over TLS.
        QProcess subscriber;
        subscriber.start(sub, {u"-h"_s, u"localhost"_s, u"-p"_s, tlsPort, u"--cafile"_s, m_good.caFile, u"-u"_s,
                               m_reader, u"-P"_s, m_readerKey, u"-t"_s, topic, u"-C"_s, u"1"_s, u"-W"_s, u"60"_s});
        QVERIFY(subscriber.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(be().metrics().value("mf_mqtt_connected_clients", {}) >= 1, SafetyTimeoutMs);
        const QStringList common{u"-h"_s, u"localhost"_s, u"-p"_s, tlsPort, u"-u"_s, m_thing,
                                 u"-P"_s, m_key,          u"-t"_s, topic,   u"-q"_s, u"1"_s};
        ToolRun run = runTool(pub, common + QStringList{u"--cafile"_s, m_good.caFile, u"-m"_s, senml(u"mqtts"_s)});
        QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
        QTRY_VERIFY_WITH_TIMEOUT(subscriber.state() == QProcess::NotRunning, SafetyTimeoutMs);
        QVERIFY2(subscriber.readAllStandardOutput().contains("mqtts"), subscriber.readAllStandardError().constData());
        QTRY_VERIFY_WITH_TIMEOUT(isStored(u"mqtts"_s), SafetyTimeoutMs);

        // Another lab's CA: the handshake fails, nothing is published.
        run = runTool(pub, common + QStringList{u"--cafile"_s, m_other.caFile, u"-m"_s, senml(u"mqtts-wrong-ca"_s)});
        QVERIFY2(run.exitCode != 0, qPrintable(run.all()));
        // Plaintext MQTT on the TLS port is refused too.
        run = runTool(pub, {u"-h"_s, u"localhost"_s, u"-p"_s, tlsPort, u"-u"_s, m_thing, u"-P"_s, m_key, u"-t"_s, topic,
                            u"-m"_s, senml(u"plain-on-tls"_s)});
        QVERIFY2(run.exitCode != 0, qPrintable(run.all()));
        // The plaintext listener stays (MF_TLS_PLAINTEXT defaults to true).
        run = runTool(pub, {u"-h"_s, u"127.0.0.1"_s, u"-p"_s, QString::number(port("mqtt")), u"-u"_s, m_thing, u"-P"_s,
                            m_key, u"-t"_s, topic, u"-q"_s, u"1"_s, u"-m"_s, senml(u"mqtt-plain"_s)});
        QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
        QTRY_VERIFY_WITH_TIMEOUT(isStored(u"mqtt-plain"_s), SafetyTimeoutMs);
        QVERIFY(!isStored(u"mqtts-wrong-ca"_s));
        QVERIFY(!isStored(u"plain-on-tls"_s));
    }

    // Runs before coapClientVerifiesDtls: the first DTLS handshake of the backend is a PSK one (libcoap 4.3.1 failed
    // it when certificates were set up before the pre-shared keys).
    void coapPreSharedKeys()
    {
        QVERIFY(!tool(u"coap-client-openssl"_s).isEmpty());
        // The right key: 2.04 without ?authorization=, stored as that thing's message.
        ToolRun run = coapPsk(m_thing, m_key, u"psk-right"_s);
        QVERIFY2(changed(run), qPrintable(run.all()));
        QTRY_VERIFY_WITH_TIMEOUT(isStored(u"psk-right"_s), SafetyTimeoutMs);
        bool byThing = false;
        for (const QJsonValue &m : stored())
            if (m.toObject().value("name"_L1).toString() == "psk-right"_L1)
                byThing = m.toObject().value("publisher"_L1).toString() == m_thing;
        QVERIFY(byThing);
        // ?authorization= on a PSK session must be the same thing's key.
        run = coapPsk(m_thing, m_key, u"psk-own-key"_s, u"?authorization="_s + m_key);
        QVERIFY2(changed(run), qPrintable(run.all()));
        run = coapPsk(m_thing, m_key, u"psk-other-key"_s, u"?authorization="_s + m_readerKey);
        QVERIFY2(run.all().contains("4.01"_L1), qPrintable(run.all()));
        // A wrong key and an unknown identity: no DTLS session, nothing answered.
        run = coapPsk(m_thing, m_key.left(m_key.size() - 1) + u'x', u"psk-wrong-key"_s);
        QVERIFY2(!changed(run), qPrintable(run.all()));
        run = coapPsk(u"00000000-0000-0000-0000-000000000000"_s, m_key, u"psk-unknown-identity"_s);
        QVERIFY2(!changed(run), qPrintable(run.all()));
        // A key given as another thing's id does not open that thing either.
        run = coapPsk(m_reader, m_key, u"psk-crossed"_s);
        QVERIFY2(!changed(run), qPrintable(run.all()));

        // A rotated key: the old one is refused by the very next handshake, the new one works.
        QString oldKey;
        const QString rotating = thing(u"rotating"_s, &oldKey);
        QCOMPARE(m_be->request("PUT", u"/channels/%1/things/%2"_s.arg(m_channel, rotating), {}, {}, m_token).status,
                 200);
        run = coapPsk(rotating, oldKey, u"psk-before-rotation"_s);
        QVERIFY2(changed(run), qPrintable(run.all()));
        const HttpReply rotated = m_be->request("PATCH", u"/things/%1/key"_s.arg(rotating), {}, {}, m_token);
        QCOMPARE(rotated.status, 200);
        const QString newKey = field(rotated, "key");
        QVERIFY(!newKey.isEmpty() && newKey != oldKey);
        run = coapPsk(rotating, oldKey, u"psk-old-key"_s);
        QVERIFY2(!changed(run), qPrintable(run.all()));
        run = coapPsk(rotating, newKey, u"psk-new-key"_s);
        QVERIFY2(changed(run), qPrintable(run.all()));
        QTRY_VERIFY_WITH_TIMEOUT(isStored(u"psk-new-key"_s), SafetyTimeoutMs);
        QVERIFY(isStored(u"psk-before-rotation"_s));
        QVERIFY(isStored(u"psk-own-key"_s));
        for (const QString &refused :
             {u"psk-other-key"_s, u"psk-wrong-key"_s, u"psk-unknown-identity"_s, u"psk-crossed"_s, u"psk-old-key"_s})
            QVERIFY2(!isStored(refused), qPrintable(refused));
        m_pskKeys = {oldKey, newKey};
    }

    // A DTLS session made with a key speaks for nobody once the key changed: the next request on the same session
    // gets 4.01, nothing more is stored from it.
    void coapPskSessionEndsWithTheKey()
    {
        QString key;
        const QString device = thing(u"long-session"_s, &key);
        QCOMPARE(m_be->request("PUT", u"/channels/%1/things/%2"_s.arg(m_channel, device), {}, {}, m_token).status, 200);
        testing::CoapTestClient client(port("coap_dtls"), device.toUtf8(), key.toUtf8());
        testing::CoapTestClient::Request publish;
        publish.path = "channels/" + m_channel.toLatin1() + "/messages";
        publish.contentFormat = 110;
        publish.payload = senml(u"psk-session-1"_s).toUtf8();
        auto reply = client.call(publish, SafetyTimeoutMs);
        QVERIFY(reply);
        QCOMPARE(reply->code, 204);
        QCOMPARE(m_be->request("PATCH", u"/things/%1/key"_s.arg(device), {}, {}, m_token).status, 200);
        publish.payload = senml(u"psk-session-2"_s).toUtf8();
        reply = client.call(publish, SafetyTimeoutMs);
        QVERIFY(reply);
        QCOMPARE(reply->code, 401);
        QTRY_VERIFY_WITH_TIMEOUT(isStored(u"psk-session-1"_s), SafetyTimeoutMs);
        QVERIFY(!isStored(u"psk-session-2"_s));
        m_pskKeys.append(key);
    }

    void coapClientVerifiesDtls()
    {
        const QString coap = tool(u"coap-client-openssl"_s);
        QVERIFY(!coap.isEmpty());
        const QString url = u"coaps://127.0.0.1:%1/channels/%2/messages?authorization=%3"_s.arg(port("coap_dtls"))
                                .arg(m_channel, m_key);
        ToolRun run = runTool(
            coap, {u"-m"_s, u"post"_s, u"-t"_s, u"110"_s, u"-R"_s, m_good.caFile, u"-e"_s, senml(u"coaps"_s), url});
        // coap-client exits 0 even on 4.xx: a 2.04 prints nothing, anything else prints its code.
        QVERIFY2(run.exitCode == 0 && run.out.trimmed().isEmpty(), qPrintable(run.all()));
        QTRY_VERIFY_WITH_TIMEOUT(isStored(u"coaps"_s), SafetyTimeoutMs);
        // A wrong key inside DTLS is still 4.01.
        run = runTool(
            coap,
            {u"-m"_s, u"post"_s, u"-R"_s, m_good.caFile, u"-e"_s, u"x"_s,
             u"coaps://127.0.0.1:%1/channels/%2/messages?authorization=wrong"_s.arg(port("coap_dtls")).arg(m_channel)});
        QVERIFY2(run.all().contains("4.01"_L1), qPrintable(run.all()));
        // Trusting another CA: no session, nothing stored.
        run = runTool(coap, {u"-m"_s, u"post"_s, u"-t"_s, u"110"_s, u"-R"_s, m_other.caFile, u"-B"_s, u"5"_s, u"-e"_s,
                             senml(u"coaps-wrong-ca"_s), url});
        QVERIFY2(run.all().contains("certificate verify failed"_L1), qPrintable(run.all()));
        QVERIFY(!isStored(u"coaps-wrong-ca"_s));
    }

    void webSocketsSpeakWss()
    {
        const QUrl url(u"wss://localhost:%1%2?authorization=%3"_s.arg(port("ws")).arg(messagesPath(), m_readerKey));
        auto untrusted = openWebSocket(url, {});
        QVERIFY(untrusted->state() != QAbstractSocket::ConnectedState);
        auto otherCa = openWebSocket(url, m_other.caFile);
        QVERIFY(otherCa->state() != QAbstractSocket::ConnectedState);

        auto display = openWebSocket(url, m_good.caFile);
        QCOMPARE(display->state(), QAbstractSocket::ConnectedState);
        QSignalSpy received(display.get(), &QWebSocket::textMessageReceived);
        // What the boiler sends over HTTPS reaches the display over WSS, and what the display sends is stored.
        QCOMPARE(m_be->request("POST", u"/http"_s + messagesPath(), senml(u"to-wss"_s).toUtf8(),
                               "application/senml+json", m_key.toLatin1())
                     .status,
                 202);
        QTRY_VERIFY_WITH_TIMEOUT(!received.isEmpty(), SafetyTimeoutMs);
        QVERIFY(received.first().first().toString().contains("to-wss"_L1));
        display->sendTextMessage(senml(u"from-wss"_s));
        QTRY_VERIFY_WITH_TIMEOUT(isStored(u"from-wss"_s), SafetyTimeoutMs);
        QCOMPARE(received.size(), 1); // no {"error": ...} came back
        // A refusal before the handshake still reaches the client through TLS (401 for a wrong key).
        const QUrl wrong(u"wss://localhost:%1%2?authorization=wrong"_s.arg(port("ws")).arg(messagesPath()));
        auto refused = openWebSocket(wrong, m_good.caFile);
        QVERIFY(refused->state() != QAbstractSocket::ConnectedState);
        QTRY_VERIFY(be().metrics().value("mf_ws_connections_total", "result=\"unauthorized\"") >= 1);
    }

    void mqttOverWss()
    {
        const QUrl url(u"wss://localhost:%1/mqtt"_s.arg(port("mqtt_ws")));
        QCOMPARE(openWebSocket(url, {}, "mqtt")->state() == QAbstractSocket::ConnectedState, false);
        auto socket = openWebSocket(url, m_good.caFile, "mqtt");
        QCOMPARE(socket->state(), QAbstractSocket::ConnectedState);
        QByteArray frames;
        connect(socket.get(), &QWebSocket::binaryMessageReceived, this,
                [&frames](const QByteArray &f) { frames += f; });
        // MQTT 3.1.1 CONNECT (clean session, user name and password), then a QoS 0 PUBLISH.
        const QByteArray connectBody = mqttString("MQTT") + char(4) + char(0xC2) + char(0) + char(60) +
                                       mqttString("tls-wss") + mqttString(m_thing.toLatin1()) +
                                       mqttString(m_key.toLatin1());
        socket->sendBinaryMessage(mqttPacket(0x10, connectBody));
        QTRY_VERIFY_WITH_TIMEOUT(frames.size() >= 4, SafetyTimeoutMs);
        QCOMPARE(frames.left(4), QByteArray("\x20\x02\x00\x00", 4)); // CONNACK, accepted
        const QByteArray topic = "channels/" + m_channel.toLatin1() + "/messages";
        socket->sendBinaryMessage(mqttPacket(0x30, mqttString(topic) + senml(u"mqtt-wss"_s).toUtf8()));
        QTRY_VERIFY_WITH_TIMEOUT(isStored(u"mqtt-wss"_s), SafetyTimeoutMs);
    }

    void cliVerifiesTheServer()
    {
        const QString cli = QStringLiteral(MF_CLI_EXECUTABLE);
        const QString url = u"https://localhost:%1"_s.arg(port("http"));
        const QHash<QString, QString> env{{u"MF_CLI_CONFIG"_s, m_dir.filePath(u"cli.conf"_s)}};
        ToolRun run = runTool(cli, {u"-m"_s, url, u"version"_s}, env);
        QVERIFY2(run.exitCode != 0 && run.all().contains("--ca"_L1), qPrintable(run.all()));
        run = runTool(cli, {u"-m"_s, url, u"--ca"_s, m_other.caFile, u"version"_s}, env);
        QVERIFY2(run.exitCode != 0, qPrintable(run.all()));
        run = runTool(cli, {u"-m"_s, url, u"--ca"_s, m_good.caFile, u"version"_s}, env);
        QVERIFY2(run.exitCode == 0 && run.all().contains(QStringLiteral(MF_VERSION)), qPrintable(run.all()));
        run = runTool(cli, {u"-m"_s, url, u"--insecure"_s, u"version"_s}, env);
        QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
        run = runTool(cli, {u"-m"_s, url, u"--ca"_s, m_dir.filePath(u"missing.pem"_s), u"version"_s}, env);
        QVERIFY2(run.exitCode != 0 && run.all().contains("missing.pem"_L1), qPrintable(run.all()));
        // Saved in a profile, the CA file is used without the flag.
        run = runTool(cli, {u"profile"_s, u"set"_s, u"lab"_s, u"-m"_s, url, u"--ca"_s, m_good.caFile}, env);
        QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
        run = runTool(cli, {u"--profile"_s, u"lab"_s, u"version"_s}, env);
        QVERIFY2(run.exitCode == 0, qPrintable(run.all()));
    }

    void restClientPinsAFingerprint()
    {
        const QSslConfiguration saved = trustSystemCasOnly();
        const auto restore = qScopeGuard([&saved] { QSslConfiguration::setDefaultConfiguration(saved); });
        const QUrl url(u"https://localhost:%1"_s.arg(port("http")));

        client::RestClient unpinned(url);
        auto refused = unpinned.version().wait();
        QVERIFY(!refused);
        QVERIFY2(refused.error().message.contains("TLS handshake failed"_L1), qPrintable(refused.error().message));

        client::RestClient pinned(url);
        pinned.setPinnedSha256(m_good.sha256.toLatin1()); // self-signed for this client: only the pin vouches
        auto version = pinned.version().wait();
        QVERIFY2(version, version ? "" : qPrintable(version.error().message));

        client::RestClient changed(url);
        changed.setPinnedSha256(m_other.sha256.toLatin1());
        auto mismatch = changed.version().wait();
        QVERIFY(!mismatch);
        QVERIFY2(mismatch.error().message.contains("not the pinned one"_L1) &&
                     mismatch.error().message.contains(m_good.sha256),
                 qPrintable(mismatch.error().message));
        // A certificate a CA vouches for is still refused when it is not the pinned one.
        QSslConfiguration::setDefaultConfiguration(saved);
        client::RestClient trusted(url);
        trusted.setPinnedSha256(m_other.sha256.toLatin1());
        auto vouched = trusted.version().wait();
        QVERIFY(!vouched);
        QVERIFY2(vouched.error().message.contains("not the pinned one"_L1), qPrintable(vouched.error().message));
    }

    // The dashboard's event and live streams believe what its RestClient believes (client/tlstrust.h): a pinned
    // certificate opens wss://, any other is refused before the token in the URL goes out.
    void liveStreamUsesTheSameTrust()
    {
        const QSslConfiguration saved = trustSystemCasOnly();
        const auto restore = qScopeGuard([&saved] { QSslConfiguration::setDefaultConfiguration(saved); });
        const QUrl wss(u"wss://localhost:%1"_s.arg(port("ws")));

        client::TlsTrust trust;
        trust.pinnedSha256 = m_good.sha256.toLatin1();
        client::LiveStream pinned;
        pinned.setTrust(trust);
        pinned.openEvents(wss, QString::fromLatin1(m_token));
        QTRY_COMPARE_WITH_TIMEOUT(pinned.state(), client::LiveStream::State::Open, SafetyTimeoutMs);

        for (const QByteArray &pin : {QByteArray(), m_other.sha256.toLatin1()}) { // unpinned, or another pin
            trust.pinnedSha256 = pin;
            client::LiveStream refused;
            refused.setTrust(trust);
            QSignalSpy seen(&refused, &client::LiveStream::certificateRefused);
            refused.openEvents(wss, QString::fromLatin1(m_token));
            QTRY_VERIFY_WITH_TIMEOUT(!seen.isEmpty(), SafetyTimeoutMs);
            QCOMPARE(client::sha256Fingerprint(seen.first().first().value<QSslCertificate>()),
                     m_good.sha256.toLatin1());
            QVERIFY(!refused.everConnected());
        }
    }

    // The dashboard's "Send…" as a device to a server with TLS (client/devicepublisher.h): MQTT over TLS believes the
    // server exactly as the profile does (a pin, a CA file, or neither: refused), through TlsRelay under Paho; CoAP
    // goes over DTLS with the thing's id and key as pre-shared key.
    void devicePublishersUseTheTlsPorts()
    {
        const QSslConfiguration saved = trustSystemCasOnly();
        const auto restore = qScopeGuard([&saved] { QSslConfiguration::setDefaultConfiguration(saved); });
        client::DeviceTarget target{u"localhost"_s, port("mqtt_tls"), m_channel, {}, m_thing, m_key,
                                    u"application/senml+json"_s};
        target.tls = true;
        const auto publish = [&](const QString &name) {
            return client::publishOverMqtt(target, senml(name).toUtf8()).wait();
        };

        target.trust.pinnedSha256 = m_good.sha256.toLatin1();
        auto sent = publish(u"panel-mqtts-pinned"_s);
        QVERIFY2(sent, sent ? "" : qPrintable(sent.error().message));

        target.trust.pinnedSha256 = m_other.sha256.toLatin1(); // another server's pin: the certificate seen is named
        auto refused = publish(u"panel-mqtts-other-pin"_s);
        QVERIFY(!refused);
        QVERIFY2(refused.error().message.contains(m_good.sha256), qPrintable(refused.error().message));

        target.trust.pinnedSha256.clear(); // no pin, the system's CAs only: the lab certificate is not believed
        refused = publish(u"panel-mqtts-unpinned"_s);
        QVERIFY(!refused);
        QVERIFY2(refused.error().message.contains("not trusted"_L1), qPrintable(refused.error().message));

        target.trust.caCertificates = QSslCertificate::fromPath(m_good.caFile); // the profile's CA file
        sent = publish(u"panel-mqtts-ca"_s);
        QVERIFY2(sent, sent ? "" : qPrintable(sent.error().message));

        target.port = port("coap_dtls");
        auto coap = client::publishOverCoap(target, senml(u"panel-coaps"_s).toUtf8()).wait();
        QVERIFY2(coap, coap ? "" : qPrintable(coap.error().message));
        target.thingKey = m_key.left(m_key.size() - 1) + u'x';
        coap = client::publishOverCoap(target, senml(u"panel-coaps-wrong-key"_s).toUtf8()).wait();
        QVERIFY(!coap);
        QVERIFY2(coap.error().message.contains("DTLS"_L1), qPrintable(coap.error().message)); // silence, said so

        for (const QString &name : {u"panel-mqtts-pinned"_s, u"panel-mqtts-ca"_s, u"panel-coaps"_s})
            QTRY_VERIFY2_WITH_TIMEOUT(isStored(name), qPrintable(name), SafetyTimeoutMs);
        for (const QString &name :
             {u"panel-mqtts-other-pin"_s, u"panel-mqtts-unpinned"_s, u"panel-coaps-wrong-key"_s})
            QVERIFY2(!isStored(name), qPrintable(name));
    }

    void plaintextCanBeSwitchedOff()
    {
        testing::TestBackend strict({{u"MF_TLS_CERT"_s, m_good.certFile},
                                     {u"MF_TLS_KEY"_s, m_good.keyFile},
                                     {u"MF_TLS_PLAINTEXT"_s, u"false"_s},
                                     {u"MF_MQTT_TLS_PORT"_s, u"0"_s},
                                     {u"MF_COAP_DTLS_PORT"_s, u"0"_s}});
        QVERIFY2(strict.isRunning(), qPrintable(strict.startError()));
        const QJsonObject ports = strict.backend().readyInfo().value("ports"_L1).toObject();
        QVERIFY(!ports.contains("mqtt"_L1));
        QVERIFY(!ports.contains("coap"_L1));
        QVERIFY(ports.value("mqtt_tls"_L1).toInt() != 0);
        QVERIFY(ports.value("coap_dtls"_L1).toInt() != 0);
        QCOMPARE(strict.backend().coapPort(), quint16(0));
        QCOMPARE(strict.get(u"/health"_s, {}).status, 200); // HTTPS
    }

    void loraAdapterVerifiesItsBroker()
    {
        // A network server's broker that speaks only TLS, with the lab certificate.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 brokerPort = probe.serverPort();
        probe.close();
        QFile config(m_dir.filePath(u"lora-broker.conf"_s));
        QVERIFY(config.open(QIODevice::WriteOnly));
        // `user`: a mosquitto started as root otherwise drops to the mosquitto user, who cannot read the 0600 key.
        const passwd *self = getpwuid(geteuid());
        QVERIFY(self);
        config.write("user " + QByteArray(self->pw_name) +
                     "\nallow_anonymous true\npersistence false\nlog_dest stderr\nlistener " +
                     QByteArray::number(brokerPort) + " 127.0.0.1\ncertfile " + QFile::encodeName(m_good.certFile) +
                     "\nkeyfile " + QFile::encodeName(m_good.keyFile) + '\n');
        config.close();
        QProcess broker;
        broker.start(tool(u"mosquitto"_s).isEmpty() ? u"/usr/sbin/mosquitto"_s : tool(u"mosquitto"_s),
                     {u"-c"_s, config.fileName()});
        QVERIFY(broker.waitForStarted());
        const auto stopBroker = qScopeGuard([&broker] {
            broker.kill();
            broker.waitForFinished();
        });
        const QString url = u"ssl://localhost:%1"_s.arg(brokerPort);
        const QString appId = u"17c82e96-be03-4f38-aef3-f83d48582d97"_s, eui = u"0101010101010101"_s;

        testing::TestBackend lora({{u"MF_LORA_MQTT_URL"_s, url},
                                   {u"MF_LORA_MQTT_CA"_s, m_good.caFile},
                                   {u"MF_LORA_CLIENT_ID"_s, u"mainflux-lora-tls"_s}});
        QVERIFY2(lora.isRunning(), qPrintable(lora.startError()));
        QTRY_VERIFY_WITH_TIMEOUT(lora.backend().loraAdapter()->isBrokerConnected(), SafetyTimeoutMs);
        lora.createUser(u"lora@example.com"_s);
        const QByteArray token = lora.token(u"lora@example.com"_s);
        const QString device = lora.post(u"/things"_s,
                                         {{u"name"_s, u"sensor"_s},
                                          {u"metadata"_s, QJsonObject{{u"lora"_s, QJsonObject{{u"dev_eui"_s, eui}}}}}},
                                         token)
                                   .json()
                                   .value("id"_L1)
                                   .toString();
        const QString channel =
            lora.post(u"/channels"_s,
                      {{u"name"_s, u"app"_s},
                       {u"metadata"_s, QJsonObject{{u"lora"_s, QJsonObject{{u"app_id"_s, appId}}}}}},
                      token)
                .json()
                .value("id"_L1)
                .toString();
        QCOMPARE(lora.request("PUT", u"/channels/%1/things/%2"_s.arg(channel, device), {}, {}, token).status, 200);
        // A ChirpStack v4 uplink over TLS reaches the store.
        const QByteArray uplink =
            QJsonDocument(
                QJsonObject{{u"deviceInfo"_s, QJsonObject{{u"applicationId"_s, appId}, {u"devEui"_s, eui}}},
                            {u"fCnt"_s, 1},
                            {u"fPort"_s, 1},
                            {u"data"_s, QString::fromLatin1(QByteArray("[{\"n\":\"lora-tls\",\"v\":1}]").toBase64())}})
                .toJson(QJsonDocument::Compact);
        const ToolRun pub =
            runTool(tool(u"mosquitto_pub"_s),
                    {u"-h"_s, u"localhost"_s, u"-p"_s, QString::number(brokerPort), u"--cafile"_s, m_good.caFile,
                     u"-q"_s, u"1"_s, u"-t"_s, u"application/%1/device/%2/event/up"_s.arg(appId, eui), u"-m"_s,
                     QString::fromUtf8(uplink)});
        QVERIFY2(pub.exitCode == 0, qPrintable(pub.all()));
        const auto storedOnChannel = [&] {
            return lora.get(u"/channels/%1/messages?limit=100"_s.arg(channel), token).json().value("total"_L1).toInt();
        };
        QTRY_VERIFY_WITH_TIMEOUT(storedOnChannel() >= 1, SafetyTimeoutMs);

        // Trusting another lab's CA, the adapter refuses the broker (and says so) instead of connecting.
        const qsizetype logMark = g_log.size();
        testing::TestBackend wrongCa({{u"MF_LORA_MQTT_URL"_s, url},
                                      {u"MF_LORA_MQTT_CA"_s, m_other.caFile},
                                      {u"MF_LORA_CLIENT_ID"_s, u"mainflux-lora-tls-2"_s}});
        QVERIFY2(wrongCa.isRunning(), qPrintable(wrongCa.startError()));
        const auto refusalLogged = [&] {
            for (qsizetype i = logMark; i < g_log.size(); ++i)
                if (g_log.at(i).contains("cannot connect to the LoRa broker"_L1)) return true;
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(refusalLogged(), SafetyTimeoutMs);
        QVERIFY(!wrongCa.backend().loraAdapter()->isBrokerConnected());
    }

    void secretsNeverLogged()
    {
        QFile keyFile(m_good.keyFile);
        QVERIFY(keyFile.open(QIODevice::ReadOnly));
        const QList<QByteArray> keyLines = keyFile.readAll().split('\n');
        const QString keyBody = QString::fromLatin1(keyLines.value(1)); // a line of the private key itself
        QVERIFY(keyBody.size() > 20);
        QFile mosquittoLog(QDir(m_be->dataDir()).filePath(u"mosquitto/mosquitto.log"_s));
        QVERIFY(mosquittoLog.open(QIODevice::ReadOnly));
        const QString all = g_log.join(u'\n') + QString::fromUtf8(mosquittoLog.readAll());
        QVERIFY(g_log.size() > 10); // debug logging was on: there was something to look at
        for (const QString &secret : QStringList{m_key, m_readerKey, QString::fromLatin1(m_token), keyBody} + m_pskKeys)
            QVERIFY2(!all.contains(secret), qPrintable(secret.left(6) + u"… appears in a log"_s));
    }

    // --- the real executable: --make-dev-cert and refusals at start ---

    void makeDevCertWritesAPairClientsTrust()
    {
        const QString dir = m_dir.filePath(u"made"_s);
        QProcess p;
        p.start(QStringLiteral(MF_BACKEND_EXECUTABLE), {u"--make-dev-cert"_s, dir});
        QVERIFY(p.waitForFinished(SafetyTimeoutMs));
        QCOMPARE(p.exitCode(), 0);
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        QVERIFY2(out.contains("MF_TLS_CERT="_L1) && out.contains("ca.pem"_L1), qPrintable(out));
        struct stat info
        {
        };
        QCOMPARE(::stat(QFile::encodeName(dir + u"/key.pem"_s).constData(), &info), 0);
        QCOMPARE(info.st_mode & 0777, 0600u);
        const QList<QSslCertificate> server = QSslCertificate::fromPath(dir + u"/cert.pem"_s);
        const QList<QSslCertificate> ca = QSslCertificate::fromPath(dir + u"/ca.pem"_s);
        QCOMPARE(server.size(), 1);
        QCOMPARE(ca.size(), 1);
        QVERIFY(server.first().issuerInfo(QSslCertificate::CommonName) ==
                ca.first().subjectInfo(QSslCertificate::CommonName));
        // The pair is accepted by the backend's own checks, and a second run refuses to overwrite it.
        QVERIFY(api::loadServerTls(dir + u"/cert.pem"_s, dir + u"/key.pem"_s).has_value());
        p.start(QStringLiteral(MF_BACKEND_EXECUTABLE), {u"--make-dev-cert"_s, dir});
        QVERIFY(p.waitForFinished(SafetyTimeoutMs));
        QVERIFY(p.exitCode() != 0);
        QVERIFY(p.readAllStandardError().contains("already exists"));
    }

    void badCertificateStopsTheStart_data()
    {
        QTest::addColumn<QString>("cert");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("named"); // the file (or setting) the error must name

        QFile garbage(m_dir.filePath(u"garbage.pem"_s));
        QVERIFY(garbage.open(QIODevice::WriteOnly));
        garbage.write("not a certificate\n");
        garbage.close();
        const QString missing = m_dir.filePath(u"missing.pem"_s);
        QTest::addRow("missing certificate") << missing << m_good.keyFile << missing;
        QTest::addRow("missing key") << m_good.certFile << missing << missing;
        QTest::addRow("certificate not PEM") << garbage.fileName() << m_good.keyFile << garbage.fileName();
        QTest::addRow("key not PEM") << m_good.certFile << garbage.fileName() << garbage.fileName();
        QTest::addRow("key of another certificate") << m_good.certFile << m_other.keyFile << m_other.keyFile;
        QTest::addRow("key as certificate") << m_good.keyFile << m_good.keyFile << m_good.keyFile;
        QTest::addRow("expired") << m_expired.certFile << m_expired.keyFile << m_expired.certFile;
        QTest::addRow("certificate without key") << m_good.certFile << QString() << u"MF_TLS_KEY"_s;
    }
    void badCertificateStopsTheStart()
    {
        QFETCH(QString, cert);
        QFETCH(QString, key);
        QFETCH(QString, named);
        QTemporaryDir data;
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString &name : env.keys())
            if (name.startsWith("MF_"_L1)) env.remove(name);
        env.insert(u"MF_DATA_DIR"_s, data.path());
        env.insert(u"MF_HTTP_PORT"_s, u"0"_s);
        env.insert(u"MF_TLS_CERT"_s, cert);
        env.insert(u"MF_TLS_KEY"_s, key);
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(MF_BACKEND_EXECUTABLE), QStringList{});
        QVERIFY(p.waitForFinished(SafetyTimeoutMs));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() != 0, qPrintable(err));
        QVERIFY2(err.contains(named), qPrintable(err));
        QVERIFY(!p.readAllStandardOutput().contains("ready")); // never announced itself
    }
};

QTEST_GUILESS_MAIN(TestTls)
#include "tst_tls.moc"
