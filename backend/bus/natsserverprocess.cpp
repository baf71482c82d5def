#include "natsserverprocess.h"

#include "logging.h"
#include "process/supervisedprocess.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTcpSocket>

using namespace Qt::StringLiterals;

namespace mf::bus {

namespace {

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
    process::ChildSpec child;
    child.name = u"nats-server"_s;
    child.logFilePath = logFilePath();
    child.readyVerb = u"accept connections"_s;
    child.readyGerund = u"accepting connections"_s;
    child.prepare = [this](QProcess &p) -> Result<void> {
        p.setArguments({u"-a"_s, u"127.0.0.1"_s, u"-p"_s, QString::number(m_port), u"-js"_s, u"-sd"_s, m_dataDir,
                        u"-l"_s, logFilePath()});
        return {};
    };
    child.answers = [this](int waitMs) { return natsAnswers(m_port, waitMs); };
    child.port = [this] { return m_port; };
    child.location = [this] { return QString(u"at "_s + url()); };
    m_child = new process::SupervisedProcess(std::move(child), lcBus, this);
    connect(m_child, &process::SupervisedProcess::restarted, this, &NatsServerProcess::restarted);
    connect(m_child, &process::SupervisedProcess::failed, this, &NatsServerProcess::failed);
}

NatsServerProcess::~NatsServerProcess()
{
    stop();
}

QString NatsServerProcess::findExecutable()
{
    return process::SupervisedProcess::findExecutable(u"nats-server"_s);
}

void NatsServerProcess::setExecutable(const QString &path)
{
    m_child->setProgram(path);
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
    return m_child->isRunning();
}

qint64 NatsServerProcess::processId() const
{
    return m_child->processId();
}

int NatsServerProcess::restartCount() const
{
    return m_child->restartCount();
}

Result<void> NatsServerProcess::start(int readyTimeoutMs)
{
    if (isRunning() && m_child->isSupervising()) return {};
    if (m_child->program().isEmpty()) m_child->setProgram(findExecutable());
    if (m_child->program().isEmpty())
        return fail(ErrorCode::Unavailable,
                    u"nats-server not found next to %1, on PATH or in /usr/sbin; install it (apt install nats-server) "
                    u"or point MF_NATS_URL at a running NATS"_s.arg(QCoreApplication::applicationDirPath()));
    if (!QDir().mkpath(m_dataDir))
        return fail(ErrorCode::Unavailable, u"cannot create the NATS data directory %1"_s.arg(m_dataDir));

    Result<void> ready;
    // An auto-picked port can be taken between probing and binding: then try another one. (nats-server's own
    // "-p -1" random port is only visible in its log, so the port is picked here.)
    for (int attempt = 0; attempt < (m_autoPort ? 3 : 1); ++attempt) {
        if (m_autoPort && (attempt > 0 || m_port == 0))
            m_port = process::SupervisedProcess::pickFreePort(QHostAddress::LocalHost);
        if (m_port == 0)
            return fail(ErrorCode::Unavailable, u"cannot find a free TCP port on 127.0.0.1 for nats-server"_s);
        QFile::remove(logFilePath()); // so the tail in an error message is about this attempt
        if (auto r = m_child->launch(); !r) return r;
        ready = m_child->waitUntilReady(readyTimeoutMs);
        if (ready || !ready.error().message.contains(u"address already in use"_s, Qt::CaseInsensitive)) break;
    }
    return ready;
}

void NatsServerProcess::stop()
{
    m_child->stop();
}

} // namespace mf::bus
