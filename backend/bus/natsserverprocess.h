#pragma once

#include "core/error.h"

#include <QObject>
#include <QString>

class QProcess;
class QTimer;

namespace mf::bus {

// The bundled nats-server as a supervised child process (DESIGN.md §3, embedded default):
//   nats-server -a 127.0.0.1 -p <port> -js -sd <dataDir> -l <dataDir>/nats.log
// (nats-server appends "jetstream" to -sd itself, so the streams live in <dataDir>/jetstream).
// Lives on the thread that creates it (needs an event loop for supervision). If the child dies it is
// restarted on the same port with backoff (250 ms doubling to 10 s); clients reconnect by themselves.
// The child is stopped on destruction (SIGTERM, then SIGKILL after 5 s) and, on Linux, also dies with
// the thread that started it (PR_SET_PDEATHSIG), so a crashed backend leaves no orphan holding the port.
class NatsServerProcess final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NatsServerProcess)

public:
    // port 0: pick a free port on 127.0.0.1 (kept across restarts).
    explicit NatsServerProcess(const QString &dataDir, quint16 port = 0, QObject *parent = nullptr);
    ~NatsServerProcess() override;

    // Next to the application binary first, then PATH, then /usr/sbin and /usr/local/sbin (Debian installs
    // nats-server in /usr/sbin, which is not on a normal user's PATH). Empty if not found.
    static QString findExecutable();
    // Use this binary instead of searching (tests, packaging).
    void setExecutable(const QString &path);

    // Starts the child and blocks until it answers as a NATS server on its port (normally ~100 ms).
    // Fails with Unavailable and a message that includes the tail of its log if it exits or does not
    // answer within readyTimeoutMs. Starts supervision on success.
    Result<void> start(int readyTimeoutMs = 10000);
    // Stops supervision and the child. Also done by the destructor.
    void stop();

    bool isRunning() const;
    quint16 port() const { return m_port; }
    QString url() const; // nats://127.0.0.1:<port>
    QString logFilePath() const;
    qint64 processId() const;
    int restartCount() const { return m_restarts; }

Q_SIGNALS:
    // The child died and a new one accepts connections again.
    void restarted();
    // The child died, or a restart attempt failed; another attempt follows after the backoff.
    void failed(const QString &reason);

private:
    Result<void> launch();
    void onFinished();
    void attemptRestart();
    void pollReady();
    QString logTail() const;

    QString m_dataDir;
    QString m_executable;
    quint16 m_port = 0;
    bool m_autoPort = false;
    bool m_supervising = false;
    int m_restarts = 0;
    int m_backoffMs = 250;
    QProcess *m_process = nullptr;
    QTimer *m_restartTimer = nullptr;
    QTimer *m_readyTimer = nullptr;
    QTimer *m_stableTimer = nullptr;
    qint64 m_readyDeadlineMs = 0;
    QByteArray m_outputTail;
};

} // namespace mf::bus
