#include "natsserverprocess.h"

#include "logging.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/prctl.h>
#endif

using namespace Qt::StringLiterals;

namespace mf::bus {

namespace {

constexpr int maxBackoffMs = 10000;
constexpr int initialBackoffMs = 250;
constexpr int stableAfterMs = 30000; // a child that ran this long resets the backoff
constexpr int restartReadyTimeoutMs = 10000;

quint16 pickFreePort()
{
    // nats-server's own "-p -1" random port is only visible in its log; pick one here instead.
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0)) return 0;
    return probe.serverPort();
}

// True once a NATS server answers on the port: it greets every client with "INFO {...}". Checking the
// greeting, not just the TCP connect, avoids mistaking another program on the port for our child.
bool natsAnswers(quint16 port, int waitMs)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(waitMs)) return false;
    QByteArray greeting;
    QDeadlineTimer deadline(std::max(waitMs, 500));
    while (greeting.size() < 5 && !deadline.hasExpired() && socket.waitForReadyRead(int(deadline.remainingTime())))
        greeting += socket.readAll();
    socket.abort();
    return greeting.startsWith("INFO ");
}

} // namespace

NatsServerProcess::NatsServerProcess(const QString &dataDir, quint16 port, QObject *parent)
    : QObject(parent), m_dataDir(dataDir), m_port(port), m_autoPort(port == 0)
{
    m_restartTimer = new QTimer(this);
    m_restartTimer->setSingleShot(true);
    connect(m_restartTimer, &QTimer::timeout, this, &NatsServerProcess::attemptRestart);
    m_readyTimer = new QTimer(this);
    m_readyTimer->setInterval(50);
    connect(m_readyTimer, &QTimer::timeout, this, &NatsServerProcess::pollReady);
    m_stableTimer = new QTimer(this);
    m_stableTimer->setSingleShot(true);
    connect(m_stableTimer, &QTimer::timeout, this, [this] { m_backoffMs = initialBackoffMs; });
}

NatsServerProcess::~NatsServerProcess()
{
    stop();
}

QString NatsServerProcess::findExecutable()
{
    const QString name = u"nats-server"_s;
    const QFileInfo bundled(QDir(QCoreApplication::applicationDirPath()).filePath(name));
    if (bundled.isFile() && bundled.isExecutable()) return bundled.absoluteFilePath();
    QString found = QStandardPaths::findExecutable(name);
    if (found.isEmpty()) found = QStandardPaths::findExecutable(name, {u"/usr/sbin"_s, u"/usr/local/sbin"_s});
    return found;
}

void NatsServerProcess::setExecutable(const QString &path)
{
    m_executable = path;
}

QString NatsServerProcess::url() const
{
    return u"nats://127.0.0.1:%1"_s.arg(m_port);
}

QString NatsServerProcess::logFilePath() const
{
    return QDir(m_dataDir).filePath(u"nats.log"_s);
}

bool NatsServerProcess::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

qint64 NatsServerProcess::processId() const
{
    return m_process ? m_process->processId() : 0;
}

QString NatsServerProcess::logTail() const
{
    QByteArray tail;
    QFile log(logFilePath());
    if (log.open(QIODevice::ReadOnly)) {
        log.seek(std::max<qint64>(0, log.size() - 1500));
        tail = log.readAll();
    }
    if (!m_outputTail.trimmed().isEmpty()) tail += "\n[stdout/stderr]\n" + m_outputTail.right(1000);
    tail = tail.trimmed();
    return tail.isEmpty() ? u"(the log is empty)"_s : QString::fromUtf8(tail);
}

Result<void> NatsServerProcess::launch()
{
    if (m_process) {
        m_process->disconnect(this);
        if (m_process->state() != QProcess::NotRunning) {
            m_process->kill();
            m_process->waitForFinished(2000);
        }
        m_process->deleteLater();
        m_process = nullptr;
    }
    m_outputTail.clear();

    auto *p = new QProcess(this);
    p->setProgram(m_executable);
    p->setArguments({u"-a"_s, u"127.0.0.1"_s, u"-p"_s, QString::number(m_port), u"-js"_s, u"-sd"_s, m_dataDir, u"-l"_s,
                     logFilePath()});
    p->setProcessChannelMode(QProcess::MergedChannels);
#ifdef Q_OS_LINUX
    // Runs in the child between fork and exec: stop with the parent instead of lingering on the port. SIGTERM,
    // not SIGKILL, so JetStream flushes what it acknowledged even when the backend itself was killed.
    p->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
#endif
    connect(p, &QProcess::readyRead, this, [this, p] {
        m_outputTail += p->readAll();
        if (m_outputTail.size() > 8192) m_outputTail = m_outputTail.right(4096);
    });
    connect(p, &QProcess::finished, this, &NatsServerProcess::onFinished);
    m_process = p;
    p->start();
    if (!p->waitForStarted(5000))
        return fail(ErrorCode::Unavailable, u"cannot start %1: %2"_s.arg(m_executable, p->errorString()));
    return {};
}

Result<void> NatsServerProcess::start(int readyTimeoutMs)
{
    if (isRunning() && m_supervising) return {};
    if (m_executable.isEmpty()) m_executable = findExecutable();
    if (m_executable.isEmpty())
        return fail(ErrorCode::Unavailable,
                    u"nats-server not found next to %1, on PATH or in /usr/sbin; install it (apt install nats-server) "
                    u"or point MF_NATS_URL at a running NATS"_s.arg(QCoreApplication::applicationDirPath()));
    if (!QDir().mkpath(m_dataDir))
        return fail(ErrorCode::Unavailable, u"cannot create the NATS data directory %1"_s.arg(m_dataDir));

    QString lastError;
    // An auto-picked port can be taken between probing and binding: then try another one.
    for (int attempt = 0; attempt < (m_autoPort ? 3 : 1); ++attempt) {
        if (m_autoPort && (attempt > 0 || m_port == 0)) m_port = pickFreePort();
        if (m_port == 0)
            return fail(ErrorCode::Unavailable, u"cannot find a free TCP port on 127.0.0.1 for nats-server"_s);
        QFile::remove(logFilePath()); // so the tail in an error message is about this attempt
        if (auto r = launch(); !r) return r;

        QDeadlineTimer deadline(readyTimeoutMs);
        bool ready = false, exited = false;
        while (!deadline.hasExpired()) {
            if (natsAnswers(m_port, 100)) {
                ready = true;
                break;
            }
            if (m_process->waitForFinished(25)) { // also a short sleep between attempts
                exited = true;
                break;
            }
        }
        if (ready) {
            m_supervising = true;
            m_backoffMs = initialBackoffMs;
            m_stableTimer->start(stableAfterMs);
            qCInfo(lcBus) << "nats-server" << m_process->processId() << "ready at" << url();
            return {};
        }
        if (exited) {
            lastError = u"nats-server exited with code %1 before accepting connections on port %2. Log tail:\n%3"_s.arg(
                QString::number(m_process->exitCode()), QString::number(m_port), logTail());
        } else {
            lastError = u"nats-server did not accept connections on port %1 within %2 ms. Log tail:\n%3"_s.arg(
                QString::number(m_port), QString::number(readyTimeoutMs), logTail());
            m_process->kill();
            m_process->waitForFinished(2000);
        }
        if (!lastError.contains(u"address already in use"_s, Qt::CaseInsensitive)) break;
    }
    return fail(ErrorCode::Unavailable, lastError);
}

void NatsServerProcess::stop()
{
    m_supervising = false;
    m_restartTimer->stop();
    m_readyTimer->stop();
    m_stableTimer->stop();
    if (!m_process) return;
    m_process->disconnect(this);
    if (m_process->state() != QProcess::NotRunning) {
        m_process->terminate(); // SIGTERM: nats-server shuts down cleanly and syncs JetStream
        if (!m_process->waitForFinished(5000)) {
            qCWarning(lcBus) << "nats-server did not stop on SIGTERM; killing it";
            m_process->kill();
            m_process->waitForFinished(2000);
        }
    }
    delete m_process;
    m_process = nullptr;
}

void NatsServerProcess::onFinished()
{
    if (!m_supervising) return;
    m_readyTimer->stop();
    m_stableTimer->stop();
    const QString how = m_process->exitStatus() == QProcess::CrashExit
                            ? u"was killed or crashed"_s
                            : u"exited with code %1"_s.arg(m_process->exitCode());
    const QString reason =
        u"nats-server %1; restarting in %2 ms. Log tail:\n%3"_s.arg(how, QString::number(m_backoffMs), logTail());
    qCWarning(lcBus).noquote() << reason;
    m_restartTimer->start(m_backoffMs);
    m_backoffMs = std::min(m_backoffMs * 2, maxBackoffMs);
    Q_EMIT failed(reason);
}

void NatsServerProcess::attemptRestart()
{
    if (!m_supervising) return;
    if (auto r = launch(); !r) {
        const QString reason = r.error().message;
        qCWarning(lcBus).noquote() << reason;
        m_restartTimer->start(m_backoffMs);
        m_backoffMs = std::min(m_backoffMs * 2, maxBackoffMs);
        Q_EMIT failed(reason);
        return;
    }
    m_readyDeadlineMs = QDeadlineTimer(restartReadyTimeoutMs).deadline();
    m_readyTimer->start();
}

void NatsServerProcess::pollReady()
{
    if (!isRunning()) {
        m_readyTimer->stop(); // onFinished() schedules the next attempt
        return;
    }
    if (natsAnswers(m_port, 50)) {
        m_readyTimer->stop();
        ++m_restarts;
        m_stableTimer->start(stableAfterMs);
        qCInfo(lcBus) << "nats-server restarted:" << m_process->processId() << "at" << url();
        Q_EMIT restarted();
        return;
    }
    if (QDeadlineTimer::current().deadline() > m_readyDeadlineMs) {
        m_readyTimer->stop();
        Q_EMIT failed(
            u"restarted nats-server did not accept connections within %1 ms; killing it"_s.arg(restartReadyTimeoutMs));
        m_process->kill(); // onFinished() schedules the next attempt
    }
}

} // namespace mf::bus
