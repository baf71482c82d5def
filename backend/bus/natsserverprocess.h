#pragma once

#include "core/error.h"

#include <QObject>
#include <QString>

namespace mf::process {
class SupervisedProcess;
}

namespace mf::bus {

// The bundled nats-server as a supervised child process (DESIGN.md §3, embedded default):
//   nats-server -a 127.0.0.1 -p <port> -js -sd <dataDir> -l <dataDir>/nats.log
// (nats-server appends "jetstream" to -sd itself, so the streams live in <dataDir>/jetstream).
// Supervised by process::SupervisedProcess (restart on the same port with backoff 250 ms doubling to 10 s, stop on
// destruction with SIGTERM then SIGKILL, PR_SET_PDEATHSIG); clients reconnect by themselves. Lives on the thread
// that creates it (needs an event loop for supervision).
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
    int restartCount() const;

Q_SIGNALS:
    // The child died and a new one accepts connections again.
    void restarted();
    // The child died, or a restart attempt failed; another attempt follows after the backoff.
    void failed(const QString &reason);

private:
    QString m_dataDir;
    quint16 m_port = 0;
    bool m_autoPort = false;
    process::SupervisedProcess *m_child = nullptr;
};

} // namespace mf::bus
