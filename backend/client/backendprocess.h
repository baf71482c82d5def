#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QProcess>
#include <QTimer>
#include <QUrl>

namespace mf::client {

// The bundled mainflux-backend as a child of the GUI ("This computer" profile). It is started with
// `--data-dir <dir> --http-port <httpPort()>` (0, the default here, lets the backend take any free port; the
// dashboard sets the remembered one, 8180 at first). Before starting, every port it is about to listen on (REST, and
// those of the adapters it runs: WebSocket, MQTT, MQTT over WebSocket, CoAP over UDP) is tried: one taken by another
// program fails the start with takenPort() naming it, and alternativePort() offers a free one; only the REST port may
// instead move to the next free one by itself (setFindFreePort, the first run). Its stdout goes to <dir>/backend.out
// (where the one JSON ready line appears) and
// its stderr to <dir>/backend.log (the log the Backend page shows). Files rather than pipes so that a backend the
// user asked to keep running survives the GUI. The ready line is awaited with a timeout; a failure carries the reason
// and the tail of this run's log.
//
// If a backend that this class started earlier with "keep running" still runs for the same data dir
// (<dir>/gui-backend.json names its pid), start() attaches to it instead of starting another one.
//
// Threading: GUI thread. Ownership: the QProcess is a child, except when keepRunning() is set at destruction.
class BackendProcess final : public QObject
{
    Q_OBJECT

public:
    enum class State { Stopped, Starting, Running, Stopping, Failed };
    Q_ENUM(State)

    explicit BackendProcess(QObject *parent = nullptr);
    ~BackendProcess() override; // stops the backend unless keepRunning()
    Q_DISABLE_COPY_MOVE(BackendProcess)

    // Where the backend binary is: next to `appDir` (the GUI's directory), then ../backend/ of a build tree, then
    // PATH. Empty when none is found.
    static QString findProgram(const QString &appDir);
    // ~/.local/share/mainflux (<GenericDataLocation>/mainflux), the headless backend's default MF_DATA_DIR, so the
    // dashboard's backend and `mainflux-backend` share one folder. A dashboard data folder of earlier versions
    // (<AppDataLocation>/backend) is kept while the new one does not exist.
    static QString defaultDataDir();
    // Whether a TCP (or UDP) port on 127.0.0.1 can be listened on now; and the first such port of [from, from + tries).
    static bool isPortFree(int port, bool udp = false);
    static int nextFreePort(int from, int tries = 100, bool udp = false);
    // The ports a start checks: "http", "ws", "mqtt", "mqtt_ws", "coap" (UDP).
    static const QStringList &portNames();
    // A port's name for people: "REST", "WebSocket", "MQTT", "MQTT over WebSocket", "CoAP (UDP)".
    static QString portLabel(const QString &name);

    void setProgram(const QString &program) { m_program = program; }
    QString program() const { return m_program; }
    void setDataDir(const QString &dir) { m_dataDir = dir; }
    QString dataDir() const { return m_dataDir; }
    void setExtraArguments(const QStringList &args) { m_extraArgs = args; }
    void setHttpPort(int port) { m_httpPort = port; }
    int httpPort() const { return m_httpPort; }
    // The adapters' ports ("ws", "mqtt", "mqtt_ws", "coap"), passed as --ws-port, --mqtt-ws-port … (0: any free port);
    // a name never set keeps the backend's default (8186, 1883, 8880, 5683) or its MF_*_PORT environment variable.
    void setAdapterPort(const QString &name, int port) { m_adapterPorts.insert(name, port); }
    int adapterPort(const QString &name) const { return m_adapterPorts.value(name, -1); }
    // The port the next start listens on for `name` ("http" or an adapter's): the extra arguments' flag, else what was
    // set here, else the environment's MF_*_PORT, else the backend's default; 0: any free port; -1: that adapter does
    // not run (MF_SERVICES / --services leave it out).
    int plannedPort(const QString &name) const;
    void setFindFreePort(bool find) { m_findFreePort = find; }
    bool findFreePort() const { return m_findFreePort; }
    // The last start failed because one of its ports was taken by another program: which ("http", "mqtt", …; empty
    // when none) and its number, and a free port to use instead (UDP for "coap"; 0 when none is free nearby).
    bool isPortTaken() const { return !m_takenPortName.isEmpty(); }
    QString takenPortName() const { return m_takenPortName; }
    int takenPort() const { return m_takenPort; }
    int alternativePort() const;
    // Uses alternativePort() for the taken port (REST: setHttpPort, else setAdapterPort) and returns it; 0 if none.
    int useAlternativePort();
    void setStartTimeout(int ms) { m_timeoutMs = ms; }
    int startTimeout() const { return m_timeoutMs; }
    void setKeepRunning(bool keep) { m_keepRunning = keep; }
    bool keepRunning() const { return m_keepRunning; }

    State state() const { return m_state; }
    bool isAttached() const { return m_attachedPid != 0; }
    qint64 pid() const;
    QJsonObject readyInfo() const { return m_ready; }
    // The SHA-256 fingerprint of the certificate the backend serves (its ready line's tls.sha256, MF_TLS_CERT in its
    // environment), empty without TLS. The dashboard pins exactly it: the process it started told it over its own pipe.
    QByteArray tlsSha256() const;
    // The fingerprint a port of the ready line ("mqtt_tls", "ws", ...) serves: its own certificate's when the backend
    // runs with an override for that protocol (the ready line's tls.ports, MF_MQTT_TLS_CERT ...), else tlsSha256().
    QByteArray tlsSha256(const QString &portName) const;
    QUrl httpUrl() const;                // http://127.0.0.1:<ports.http>, https:// with TLS
    int port(const QString &name) const; // a port of the ready line ("http", "nats", "ws"); 0 when absent
    QString failureReason() const { return m_failure; }
    QString logFilePath() const;
    // The last `lines` lines of the log written since the last start().
    QStringList logTail(int lines = 20) const;
    // Fraction of the start timeout used, for a progress bar while Starting.
    int elapsedMs() const { return m_clock.isValid() ? int(m_clock.elapsed()) : 0; }

public Q_SLOTS:
    void start();
    void stop(); // SIGTERM, then SIGKILL after 10 s
    void restart();

Q_SIGNALS:
    void stateChanged(mf::client::BackendProcess::State state);
    void ready(const QJsonObject &info);
    void failed(const QString &reason);
    void logLines(const QStringList &lines); // new lines of the log while running

private:
    void setState(State state);
    void fail(const QString &reason);
    void poll();
    void onFinished(int exitCode, QProcess::ExitStatus status);
    bool tryAttach();
    void writeStateFile() const;
    void removeStateFile() const;
    QString stdoutPath() const;
    bool checkPorts(); // false: failed with the taken port named

    QString m_program;
    QString m_dataDir;
    QStringList m_extraArgs;
    int m_httpPort = 0;
    QHash<QString, int> m_adapterPorts;
    bool m_findFreePort = false;
    QString m_takenPortName;
    int m_takenPort = 0;
    int m_timeoutMs = 30000;
    bool m_keepRunning = false;
    bool m_restartPending = false;

    QProcess *m_process = nullptr;
    qint64 m_attachedPid = 0;
    State m_state = State::Stopped;
    QJsonObject m_ready;
    QString m_failure;
    qint64 m_logStart = 0; // offset of this run in backend.log
    qint64 m_logRead = 0;  // offset up to which logLines were emitted
    QTimer m_poll;
    QTimer m_killTimer;
    QElapsedTimer m_clock;
};

} // namespace mf::client
