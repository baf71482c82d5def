#include "supervisedprocess.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTimer>

#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/prctl.h>
#endif

using namespace Qt::StringLiterals;

namespace mf::process {

SupervisedProcess::SupervisedProcess(ChildSpec child, Category category, QObject *parent)
    : QObject(parent), m_child(std::move(child)), m_category(category)
{
    m_restartTimer = new QTimer(this);
    m_restartTimer->setSingleShot(true);
    connect(m_restartTimer, &QTimer::timeout, this, &SupervisedProcess::attemptRestart);
    m_readyTimer = new QTimer(this);
    m_readyTimer->setInterval(50);
    connect(m_readyTimer, &QTimer::timeout, this, &SupervisedProcess::pollReady);
    m_stableTimer = new QTimer(this);
    m_stableTimer->setSingleShot(true);
    connect(m_stableTimer, &QTimer::timeout, this, [this] { m_backoffMs = initialBackoffMs; });
}

SupervisedProcess::~SupervisedProcess()
{
    stop();
}

QString SupervisedProcess::findExecutable(const QString &name)
{
    const QFileInfo bundled(QDir(QCoreApplication::applicationDirPath()).filePath(name));
    if (bundled.isFile() && bundled.isExecutable()) return bundled.absoluteFilePath();
    QString found = QStandardPaths::findExecutable(name);
    if (found.isEmpty()) found = QStandardPaths::findExecutable(name, {u"/usr/sbin"_s, u"/usr/local/sbin"_s});
    return found;
}

quint16 SupervisedProcess::pickFreePort(const QHostAddress &host)
{
    QTcpServer probe;
    if (!probe.listen(host, 0)) return 0;
    return probe.serverPort();
}

bool SupervisedProcess::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

qint64 SupervisedProcess::processId() const
{
    return m_process ? m_process->processId() : 0;
}

QString SupervisedProcess::logTail() const
{
    QByteArray tail;
    QFile log(m_child.logFilePath);
    if (log.open(QIODevice::ReadOnly)) {
        log.seek(std::max<qint64>(0, log.size() - 1500));
        tail = log.readAll();
    }
    if (!m_outputTail.trimmed().isEmpty()) tail += "\n[stdout/stderr]\n" + m_outputTail.right(1000);
    tail = tail.trimmed();
    return tail.isEmpty() ? u"(the log is empty)"_s : QString::fromUtf8(tail);
}

void SupervisedProcess::discardProcess()
{
    if (!m_process) return;
    m_process->disconnect(this);
    if (m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(2000);
    }
    m_process->deleteLater();
    m_process = nullptr;
}

Result<void> SupervisedProcess::launch()
{
    discardProcess();
    m_outputTail.clear();

    auto *p = new QProcess(this);
    p->setProgram(m_program);
    p->setProcessChannelMode(QProcess::MergedChannels);
    if (auto prepared = m_child.prepare(*p); !prepared) {
        delete p;
        return prepared;
    }
#ifdef Q_OS_LINUX
    // Runs in the child between fork and exec: stop with the parent instead of lingering on the port. SIGTERM, not
    // SIGKILL, so the child saves what it acknowledged (JetStream, Mosquitto's persistence) even when the backend
    // itself was killed.
    p->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
#endif
    connect(p, &QProcess::readyRead, this, [this, p] {
        m_outputTail += p->readAll();
        if (m_outputTail.size() > 8192) m_outputTail = m_outputTail.right(4096);
    });
    connect(p, &QProcess::finished, this, &SupervisedProcess::onFinished);
    m_process = p;
    p->start();
    if (!p->waitForStarted(5000))
        return fail(ErrorCode::Unavailable, u"cannot start %1: %2"_s.arg(m_program, p->errorString()));
    return {};
}

Result<void> SupervisedProcess::waitUntilReady(int readyTimeoutMs)
{
    if (!m_process) return fail(ErrorCode::Internal, u"%1 was not launched"_s.arg(m_child.name));
    QDeadlineTimer deadline(readyTimeoutMs);
    while (!deadline.hasExpired()) {
        if (m_child.answers(100)) {
            m_supervising = true;
            m_backoffMs = initialBackoffMs;
            m_stableTimer->start(stableAfterMs);
            qCInfo(m_category).noquote() << m_child.name << m_process->processId() << "ready" << m_child.location();
            return {};
        }
        // NotRunning: it may have ended while the caller's event loop ran since launch(). The wait is also a short
        // pause between two probes.
        if (m_process->state() == QProcess::NotRunning || m_process->waitForFinished(25)) {
            return fail(ErrorCode::Unavailable, u"%1 exited with code %2 before %3 on port %4. Log tail:\n%5"_s.arg(
                                                    m_child.name, QString::number(m_process->exitCode()),
                                                    m_child.readyGerund, QString::number(m_child.port()), logTail()));
        }
    }
    const QString error = u"%1 did not %2 on port %3 within %4 ms. Log tail:\n%5"_s.arg(
        m_child.name, m_child.readyVerb, QString::number(m_child.port()), QString::number(readyTimeoutMs), logTail());
    m_process->kill();
    m_process->waitForFinished(2000);
    return fail(ErrorCode::Unavailable, error);
}

void SupervisedProcess::stop()
{
    m_supervising = false;
    m_restartTimer->stop();
    m_readyTimer->stop();
    m_stableTimer->stop();
    if (!m_process) return;
    m_process->disconnect(this);
    if (m_process->state() != QProcess::NotRunning) {
        m_process->terminate(); // SIGTERM: the child shuts down cleanly
        if (!m_process->waitForFinished(5000)) {
            qCWarning(m_category).noquote() << m_child.name << "did not stop on SIGTERM; killing it";
            m_process->kill();
            m_process->waitForFinished(2000);
        }
    }
    delete m_process;
    m_process = nullptr;
}

void SupervisedProcess::scheduleRestart(const QString &reason)
{
    qCWarning(m_category).noquote() << reason;
    m_restartTimer->start(m_backoffMs);
    m_backoffMs = std::min(m_backoffMs * 2, maxBackoffMs);
    Q_EMIT failed(reason);
}

void SupervisedProcess::onFinished()
{
    if (!m_supervising) return;
    m_readyTimer->stop();
    m_stableTimer->stop();
    const QString how = m_process->exitStatus() == QProcess::CrashExit
                            ? u"was killed or crashed"_s
                            : u"exited with code %1"_s.arg(m_process->exitCode());
    scheduleRestart(
        u"%1 %2; restarting in %3 ms. Log tail:\n%4"_s.arg(m_child.name, how, QString::number(m_backoffMs), logTail()));
}

void SupervisedProcess::attemptRestart()
{
    if (!m_supervising) return;
    if (auto r = launch(); !r) {
        scheduleRestart(r.error().message);
        return;
    }
    m_readyDeadlineMs = QDeadlineTimer(restartReadyTimeoutMs).deadline();
    m_readyTimer->start();
}

void SupervisedProcess::pollReady()
{
    if (!isRunning()) {
        m_readyTimer->stop(); // onFinished() schedules the next attempt
        return;
    }
    if (m_child.answers(50)) {
        m_readyTimer->stop();
        ++m_restarts;
        m_stableTimer->start(stableAfterMs);
        qCInfo(m_category).noquote() << m_child.name << "restarted:" << m_process->processId() << m_child.location();
        Q_EMIT restarted();
        return;
    }
    if (QDeadlineTimer::current().deadline() > m_readyDeadlineMs) {
        m_readyTimer->stop();
        Q_EMIT failed(u"restarted %1 did not %2 within %3 ms; killing it"_s.arg(
            m_child.name, m_child.readyVerb, QString::number(restartReadyTimeoutMs)));
        m_process->kill(); // onFinished() schedules the next attempt
    }
}

} // namespace mf::process
