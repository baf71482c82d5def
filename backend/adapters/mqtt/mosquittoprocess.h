#pragma once

#include "core/error.h"

#include <QHostAddress>
#include <QObject>
#include <QString>

namespace mf::process {
class SupervisedProcess;
}

namespace mf::adapters {

// What the generated mosquitto.conf says (see MosquittoProcess::configText()).
struct MosquittoSettings
{
    QString dataDir;           // the config, the log and the persistence file go to <dataDir>/mosquitto/
    QHostAddress host;         // listener address (MF_HTTP_HOST)
    quint16 port = 1883;       // 0 = pick a free port (kept across restarts)
    QString natsUrl;           // comma-separated nats:// URLs for the plugin
    QString instance;          // the plugin's origin id on the bus (loop guard)
    QString pluginPath;        // empty = findPlugin()
    int authTimeoutMs = 100;   // how long BASIC_AUTH/ACL_CHECK may wait for the things service on a cache miss
    int storeTimeoutMs = 1000; // how long a QoS 1/2 publish may wait for the message stream's ack (then refused)
    QString defaultContentType = QStringLiteral("application/senml+json");
    int keyFailures = 1000;      // MF_KEY_FAILURES: wrong keys per client address in keyWindowMs; 0 = no limit
    qint64 keyWindowMs = 60'000; // MF_KEY_WINDOW
    double thingRate = 0;        // MF_THING_RATE: publishes per thing a second; 0 = no limit
    // MF_MQTT_MAX_CONNECTIONS: things connected at once over every listener (TCP, TLS, WebSocket), counted by the
    // plugin; 0 = no limit.
    int maxConnections = 4096;
    // MQTT over TLS: a second listener on host:tlsPort with this certificate and key (PEM files the child reads;
    // checked by the backend before). Empty certFile = no TLS listener. tlsPort 0 = a free port (kept across restarts).
    QString certFile;
    QString keyFile;
    quint16 tlsPort = 8883;
    // false: the plaintext listener moves to the loopback address on a free port, unannounced. It stays because the
    // plugin wakes the broker's loop through it and the MQTT-over-WebSocket bridge connects to it.
    bool plaintext = true;
};

// A stock Debian `mosquitto` (2.0) with mainflux-mosquitto-plugin as a supervised child process: the MQTT adapter
// of the embedded default (DESIGN.md §3). The config is generated into <dataDir>/mosquitto/mosquitto.conf on
// every start. Supervised by process::SupervisedProcess: if the child dies it is restarted on the same port with
// backoff (250 ms doubling to 10 s); it is stopped on destruction (SIGTERM, SIGKILL after 5 s) and dies with the
// backend (PR_SET_PDEATHSIG). Lives on the thread that creates it.
class MosquittoProcess final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MosquittoProcess)

public:
    explicit MosquittoProcess(MosquittoSettings settings, QObject *parent = nullptr);
    ~MosquittoProcess() override;

    // Next to the application binary, then PATH, then /usr/sbin and /usr/local/sbin. Empty if not found.
    static QString findExecutable();
    // mainflux-mosquitto-plugin.so next to the application binary, in ../lib/mainflux and the install lib dir,
    // then in the build tree this binary was built in. Empty if not found.
    static QString findPlugin();
    void setExecutable(const QString &path);

    // Writes the config, starts the child and blocks until it answers MQTT on its port (a CONNACK to a probe
    // CONNECT, which also proves the plugin is loaded). Fails with Unavailable and the log tail otherwise.
    Result<void> start(int readyTimeoutMs = 10000);
    // start() in two halves, so the caller can do other work while mosquitto loads (~0.2-0.4 s, most of the bundled
    // backend's cold start): begin() checks the ports and starts the child without waiting; finishStart() waits for
    // it as start() does (and tries other ports when they were chosen automatically and got taken meanwhile).
    Result<void> begin();
    Result<void> finishStart(int readyTimeoutMs = 10000);
    void stop();

    bool isRunning() const;
    quint16 port() const { return m_settings.port; }
    quint16 tlsPort() const { return m_settings.certFile.isEmpty() ? 0 : m_settings.tlsPort; }
    QHostAddress connectHost() const; // where local clients (the WS bridge, tests) reach the listener
    qint64 processId() const;
    int restartCount() const;
    QString configPath() const;
    QString logFilePath() const;
    QString configText() const;

Q_SIGNALS:
    void restarted();
    void failed(const QString &reason);

private:
    Result<void> launchAttempt();
    Result<void> writeConfig() const;
    QHostAddress plainHost() const; // where the plaintext listener binds

    MosquittoSettings m_settings;
    bool m_autoPort = false;
    bool m_autoTlsPort = false;
    bool m_launched = false; // begin() started a child that finishStart() has not yet seen ready
    int m_attempt = 0;       // of begin()/finishStart(): ports are picked again after "Address already in use"
    process::SupervisedProcess *m_child = nullptr;
};

} // namespace mf::adapters
