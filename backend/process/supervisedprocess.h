#pragma once

#include "core/error.h"

#include <QObject>
#include <QString>
#include <functional>

class QHostAddress;
class QLoggingCategory;
class QProcess;
class QTimer;

namespace mf::process {

// What a SupervisedProcess needs to know about its child. The callbacks run on the supervisor's thread.
struct ChildSpec
{
    QString name;        // "nats-server": begins every log line and error message
    QString logFilePath; // the child's own log; its tail goes into error messages
    // What "ready" means, for "did not <readyVerb> on port 1883" and "exited before <readyGerund> on port 1883".
    QString readyVerb;   // "accept connections"
    QString readyGerund; // "accepting connections"
    // Called before every launch, restarts included, with the program already set: arguments, where the output
    // goes (by default it is kept in memory for logTail()), a config file to (re)write.
    std::function<Result<void>(QProcess &)> prepare;
    // True once the child answers as the server it is (a protocol greeting, not a bare TCP connect, so another
    // program on the port is not mistaken for it); may block up to waitMs.
    std::function<bool(int waitMs)> answers;
    std::function<quint16()> port;     // where it answers, for error messages
    std::function<QString()> location; // for log lines: "at nats://127.0.0.1:4222", "on port 1883"
};

// A child process started, waited for, supervised and stopped (DESIGN.md §3: children are restarted, logged and
// stopped with the backend). Lives on the thread that creates it; supervision needs that thread's event loop.
//   launch() + waitUntilReady(): start the child and block until it answers; on success supervision begins.
//   Supervised, a child that dies is reported (failed()) and launched again after a backoff of 250 ms doubling to
//   10 s, reset once a child has run for 30 s; restarted() follows when the new one answers.
//   stop() (and the destructor) ends supervision first, then the child: SIGTERM so it can shut down cleanly, SIGKILL
//   after 5 s. On Linux the child also gets SIGTERM when the thread that started it dies (PR_SET_PDEATHSIG), so a
//   crashed backend leaves no orphan holding a port.
// Log lines go to the category given, as "<name> <pid> ready <location>" and the like.
class SupervisedProcess final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SupervisedProcess)

public:
    using Category = const QLoggingCategory &(*)();
    static constexpr int initialBackoffMs = 250;
    static constexpr int maxBackoffMs = 10000;
    static constexpr int stableAfterMs = 30000;         // a child that ran this long resets the backoff
    static constexpr int restartReadyTimeoutMs = 10000; // a restarted child that does not answer by then is killed

    SupervisedProcess(ChildSpec child, Category category, QObject *parent = nullptr);
    ~SupervisedProcess() override;

    // Next to the application binary first, then PATH, then /usr/sbin and /usr/local/sbin (Debian installs servers
    // there, off a normal user's PATH). Empty if not found.
    static QString findExecutable(const QString &name);
    // A TCP port free on host right now (0 if none): a child told to use it may still lose it to another program.
    static quint16 pickFreePort(const QHostAddress &host);

    void setProgram(const QString &path) { m_program = path; }
    QString program() const { return m_program; }

    // Starts a child (killing one left from before) without waiting for it to answer.
    Result<void> launch();
    // Blocks until the launched child answers; then supervision begins. Fails with Unavailable and the log tail when
    // the child exits first or does not answer within readyTimeoutMs (then it is killed).
    Result<void> waitUntilReady(int readyTimeoutMs);
    void stop();

    bool isRunning() const;
    bool isSupervising() const { return m_supervising; }
    qint64 processId() const;
    int restartCount() const { return m_restarts; }
    // The end of the child's log file and of what it printed, or "(the log is empty)".
    QString logTail() const;

Q_SIGNALS:
    // The child died and a new one answers again.
    void restarted();
    // The child died, or a restart attempt failed; another attempt follows after the backoff.
    void failed(const QString &reason);

private:
    void discardProcess();
    void onFinished();
    void attemptRestart();
    void scheduleRestart(const QString &reason);
    void pollReady();

    ChildSpec m_child;
    Category m_category;
    QString m_program;
    bool m_supervising = false;
    int m_restarts = 0;
    int m_backoffMs = initialBackoffMs;
    QProcess *m_process = nullptr;
    QTimer *m_restartTimer = nullptr;
    QTimer *m_readyTimer = nullptr;
    QTimer *m_stableTimer = nullptr;
    qint64 m_readyDeadlineMs = 0;
    QByteArray m_outputTail;
};

} // namespace mf::process
