#include "backendprocess.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QProcessEnvironment>
#include <QSet>
#include <QStandardPaths>
#include <QTcpServer>
#include <QUdpSocket>

#ifdef Q_OS_UNIX
#include <csignal>
#include <sys/types.h>
#endif

using namespace Qt::StringLiterals;

namespace mf::client {

namespace {

constexpr int StartingPollMs = 100;
constexpr int RunningPollMs = 500;
constexpr int KillAfterMs = 10000;
constexpr qint64 RotateLogAt = 5 * 1024 * 1024;

#ifdef Q_OS_WIN
const QString ProgramName = u"mainflux-backend.exe"_s;
#else
const QString ProgramName = u"mainflux-backend"_s;
#endif

// A process that still runs (not a zombie) and is a mainflux-backend.
bool isBackendAlive(qint64 pid)
{
#ifdef Q_OS_LINUX
    if (pid <= 0 || ::kill(pid_t(pid), 0) != 0) return false;
    QFile stat(u"/proc/%1/stat"_s.arg(pid));
    if (stat.open(QIODevice::ReadOnly)) {
        const QByteArray text = stat.readAll();
        const qsizetype close = text.lastIndexOf(')');
        if (close > 0 && text.size() > close + 2 && text.at(close + 2) == 'Z') return false;
    }
    QFile cmdline(u"/proc/%1/cmdline"_s.arg(pid));
    return cmdline.open(QIODevice::ReadOnly) && cmdline.readAll().contains("mainflux-backend");
#else
    Q_UNUSED(pid);
    return false;
#endif
}

QByteArray readFrom(const QString &path, qint64 offset)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly) || !file.seek(offset)) return {};
    return file.readAll();
}

} // namespace

BackendProcess::BackendProcess(QObject *parent) : QObject(parent)
{
    connect(&m_poll, &QTimer::timeout, this, &BackendProcess::poll);
    m_killTimer.setSingleShot(true);
    connect(&m_killTimer, &QTimer::timeout, this, [this] {
        if (m_process) m_process->kill();
#ifdef Q_OS_UNIX
        if (m_attachedPid) ::kill(pid_t(m_attachedPid), SIGKILL);
#endif
    });
}

BackendProcess::~BackendProcess()
{
    m_poll.stop();
    if (m_keepRunning && m_state == State::Running) {
        // Keep the child alive past the GUI: a QProcess kills its child when destroyed, so it is deliberately not
        // destroyed (the OS reclaims it at exit). Output goes to files, so nothing breaks when the GUI is gone.
        if (m_process) {
            m_process->disconnect(this);
            m_process->setParent(nullptr);
            m_process = nullptr;
        }
        return;
    }
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->disconnect(this);
        m_process->terminate();
        if (!m_process->waitForFinished(KillAfterMs)) {
            m_process->kill();
            m_process->waitForFinished(2000);
        }
        removeStateFile();
    } else if (m_attachedPid && isBackendAlive(m_attachedPid)) {
#ifdef Q_OS_UNIX
        ::kill(pid_t(m_attachedPid), SIGTERM);
#endif
        removeStateFile();
    }
}

QString BackendProcess::findProgram(const QString &appDir)
{
    const QStringList candidates{QDir(appDir).filePath(ProgramName),
                                 QDir(appDir).filePath(u"../backend/"_s + ProgramName)};
    for (const QString &candidate : candidates) {
        const QFileInfo info(candidate);
        if (info.isFile() && info.isExecutable()) return info.canonicalFilePath();
    }
    return QStandardPaths::findExecutable(ProgramName);
}

QString BackendProcess::defaultDataDir()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + u"/mainflux"_s;
    const QString earlier = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/backend"_s;
    return !QFileInfo::exists(dir) && QFileInfo::exists(earlier) ? earlier : dir;
}

bool BackendProcess::isPortFree(int port, bool udp)
{
    if (port <= 0 || port >= 65536) return false;
    if (udp) {
        QUdpSocket probe;
        return probe.bind(QHostAddress::LocalHost, quint16(port), QAbstractSocket::DontShareAddress);
    }
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, quint16(port));
}

int BackendProcess::nextFreePort(int from, int tries, bool udp)
{
    for (int port = std::max(1, from); port < from + tries && port < 65536; ++port)
        if (isPortFree(port, udp)) return port;
    return 0;
}

const QStringList &BackendProcess::portNames()
{
    static const QStringList names{u"http"_s, u"ws"_s, u"mqtt"_s, u"mqtt_ws"_s, u"coap"_s};
    return names;
}

QString BackendProcess::portLabel(const QString &name)
{
    if (name == u"http"_s) return tr("REST");
    if (name == u"ws"_s) return tr("WebSocket");
    if (name == u"mqtt"_s) return tr("MQTT");
    if (name == u"mqtt_ws"_s) return tr("MQTT over WebSocket");
    if (name == u"coap"_s) return tr("CoAP (UDP)");
    return name;
}

int BackendProcess::plannedPort(const QString &name) const
{
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const QString flag = u"--%1-port"_s.arg(QString(name).replace(u'_', u'-'));
    const QString envName = u"MF_%1_PORT"_s.arg(name.toUpper());
    // Which services run: the last --services (or --services=…) of the extra arguments, else MF_SERVICES, else all.
    QString services = env.value(u"MF_SERVICES"_s, u"all"_s);
    std::optional<int> flagged;
    for (qsizetype i = 0; i < m_extraArgs.size(); ++i) {
        const QString &arg = m_extraArgs[i];
        const auto valueOf = [&](const QString &option) -> std::optional<QString> {
            if (arg.startsWith(option + u'=')) return arg.mid(option.size() + 1);
            if (arg == option && i + 1 < m_extraArgs.size()) return m_extraArgs[++i];
            return std::nullopt;
        };
        if (auto v = valueOf(flag))
            flagged = v->toInt();
        else if (auto v = valueOf(u"--services"_s))
            services = *v;
    }
    if (name != u"http"_s) {
        const QString service = name == u"mqtt_ws"_s ? u"mqtt"_s : name;
        const QStringList runs = services.split(u',', Qt::SkipEmptyParts);
        bool running = false;
        for (const QString &s : runs)
            running = running || s.trimmed() == u"all"_s || s.trimmed() == service;
        if (!running) return -1;
    }
    if (flagged) return *flagged;
    if (name == u"http"_s) return m_httpPort;
    if (const int set = adapterPort(name); set >= 0) return set;
    if (env.contains(envName)) return env.value(envName).toInt();
    static const QHash<QString, int> defaults{
        {u"ws"_s, 8186}, {u"mqtt"_s, 1883}, {u"mqtt_ws"_s, 8880}, {u"coap"_s, 5683}};
    return defaults.value(name);
}

int BackendProcess::alternativePort() const
{
    if (m_takenPortName.isEmpty()) return 0;
    const bool udp = m_takenPortName == u"coap"_s;
    // Not one another of this backend's ports is planned on (8186 for REST would take the WebSocket's).
    QSet<int> planned;
    for (const QString &name : portNames())
        if (name != m_takenPortName) planned.insert(plannedPort(name));
    for (int port = m_takenPort + 1; port < m_takenPort + 100 && port < 65536; ++port)
        if (!planned.contains(port) && isPortFree(port, udp)) return port;
    return 0;
}

int BackendProcess::useAlternativePort()
{
    const int port = alternativePort();
    if (port == 0) return 0;
    if (m_takenPortName == u"http"_s)
        m_httpPort = port;
    else
        m_adapterPorts.insert(m_takenPortName, port);
    return port;
}

bool BackendProcess::checkPorts()
{
    m_takenPortName.clear();
    m_takenPort = 0;
    if (m_httpPort > 0 && !isPortFree(m_httpPort) && m_findFreePort) {
        if (const int other = nextFreePort(m_httpPort + 1); other > 0) m_httpPort = other;
    }
    for (const QString &name : portNames()) {
        const int port = plannedPort(name);
        if (port <= 0 || isPortFree(port, name == u"coap"_s)) continue;
        m_takenPortName = name;
        m_takenPort = port;
        m_logStart = m_logRead = QFileInfo(logFilePath()).size();
        fail(tr("the %1 port %2 is taken by another program").arg(portLabel(name)).arg(port));
        return false;
    }
    return true;
}

qint64 BackendProcess::pid() const
{
    if (m_attachedPid) return m_attachedPid;
    return m_process ? m_process->processId() : 0;
}

int BackendProcess::port(const QString &name) const
{
    return m_ready.value("ports"_L1).toObject().value(name).toInt();
}

QByteArray BackendProcess::tlsSha256() const
{
    return m_ready.value("tls"_L1).toObject().value("sha256"_L1).toString().toLatin1().toUpper();
}

QByteArray BackendProcess::tlsSha256(const QString &portName) const
{
    const QString own = m_ready.value("tls"_L1).toObject().value("ports"_L1).toObject().value(portName).toString();
    return own.isEmpty() ? tlsSha256() : own.toLatin1().toUpper();
}

QUrl BackendProcess::httpUrl() const
{
    const int http = port(u"http"_s);
    const QString scheme = tlsSha256().isEmpty() ? u"http"_s : u"https"_s; // with MF_TLS_CERT every port is TLS
    return http > 0 ? QUrl(u"%1://127.0.0.1:%2"_s.arg(scheme).arg(http)) : QUrl();
}

QString BackendProcess::logFilePath() const
{
    return QDir(m_dataDir).filePath(u"backend.log"_s);
}

QString BackendProcess::stdoutPath() const
{
    return QDir(m_dataDir).filePath(u"backend.out"_s);
}

QStringList BackendProcess::logTail(int lines) const
{
    const QString text = QString::fromUtf8(readFrom(logFilePath(), m_logStart));
    QStringList all = text.split(u'\n', Qt::SkipEmptyParts);
    if (all.size() > lines) all = all.mid(all.size() - lines);
    return all;
}

void BackendProcess::start()
{
    if (m_state == State::Starting || m_state == State::Running || m_state == State::Stopping) return;
    m_failure.clear();
    m_ready = {};
    if (m_dataDir.isEmpty()) m_dataDir = defaultDataDir();
    if (m_program.isEmpty()) m_program = findProgram(QCoreApplication::applicationDirPath());
    if (m_program.isEmpty()) {
        m_logStart = m_logRead = QFileInfo(logFilePath()).size();
        fail(tr("mainflux-backend was not found next to the dashboard, in the build tree or on PATH"));
        return;
    }
    if (!QDir().mkpath(m_dataDir)) {
        fail(tr("cannot create the data directory %1").arg(m_dataDir));
        return;
    }
    if (tryAttach()) return;
    if (!checkPorts()) return;

    if (QFileInfo(logFilePath()).size() > RotateLogAt) {
        QFile::remove(logFilePath() + u".1"_s);
        QFile::rename(logFilePath(), logFilePath() + u".1"_s);
    }
    m_logStart = m_logRead = QFileInfo(logFilePath()).size();
    QFile::remove(stdoutPath());

    delete m_process;
    m_process = new QProcess(this);
    m_process->setProgram(m_program);
    QStringList arguments{u"--data-dir"_s, m_dataDir, u"--http-port"_s, QString::number(m_httpPort)};
    for (auto it = m_adapterPorts.cbegin(); it != m_adapterPorts.cend(); ++it)
        if (it.value() >= 0)
            arguments << u"--%1-port"_s.arg(QString(it.key()).replace(u'_', u'-')) << QString::number(it.value());
    m_process->setArguments(arguments + m_extraArgs);
    m_process->setStandardOutputFile(stdoutPath(), QIODevice::Truncate);
    m_process->setStandardErrorFile(logFilePath(), QIODevice::Append);
    m_process->setStandardInputFile(QProcess::nullDevice());
    connect(m_process, &QProcess::finished, this, &BackendProcess::onFinished);
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart) fail(tr("cannot start %1: %2").arg(m_program, m_process->errorString()));
    });
    m_clock.start();
    setState(State::Starting);
    m_process->start();
    m_poll.start(StartingPollMs);
}

bool BackendProcess::tryAttach()
{
    QFile file(QDir(m_dataDir).filePath(u"gui-backend.json"_s));
    if (!file.open(QIODevice::ReadOnly)) return false;
    const QJsonObject info = QJsonDocument::fromJson(file.readAll()).object();
    const qint64 pid = info.value("pid"_L1).toInteger();
    if (!isBackendAlive(pid)) {
        file.remove();
        return false;
    }
    m_attachedPid = pid;
    m_ready = info;
    m_logStart = m_logRead = QFileInfo(logFilePath()).size();
    setState(State::Running);
    m_poll.start(RunningPollMs);
    Q_EMIT ready(m_ready);
    return true;
}

void BackendProcess::writeStateFile() const
{
    QFile file(QDir(m_dataDir).filePath(u"gui-backend.json"_s));
    if (file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        file.write(QJsonDocument(m_ready).toJson(QJsonDocument::Compact));
}

void BackendProcess::removeStateFile() const
{
    QFile::remove(QDir(m_dataDir).filePath(u"gui-backend.json"_s));
}

void BackendProcess::stop()
{
    m_restartPending = false;
    if (m_attachedPid) {
#ifdef Q_OS_UNIX
        ::kill(pid_t(m_attachedPid), SIGTERM);
#endif
        setState(State::Stopping);
        m_killTimer.start(KillAfterMs);
        m_poll.start(StartingPollMs);
        return;
    }
    if (!m_process || m_process->state() == QProcess::NotRunning) {
        if (m_state != State::Failed) setState(State::Stopped);
        return;
    }
    setState(State::Stopping);
    m_process->terminate();
    m_killTimer.start(KillAfterMs);
}

void BackendProcess::restart()
{
    if (m_state == State::Running || m_state == State::Starting) {
        stop();
        m_restartPending = true;
    } else {
        start();
    }
}

void BackendProcess::poll()
{
    const QByteArray fresh = readFrom(logFilePath(), m_logRead);
    const qsizetype lastNewline = fresh.lastIndexOf('\n');
    if (lastNewline >= 0) {
        m_logRead += lastNewline + 1;
        const QStringList lines = QString::fromUtf8(fresh.left(lastNewline)).split(u'\n', Qt::SkipEmptyParts);
        if (!lines.isEmpty()) Q_EMIT logLines(lines);
    }

    if (m_attachedPid && !isBackendAlive(m_attachedPid)) {
        const bool stopping = m_state == State::Stopping;
        m_attachedPid = 0;
        m_killTimer.stop();
        removeStateFile();
        if (stopping) {
            m_poll.stop();
            setState(State::Stopped);
            if (m_restartPending) start();
        } else {
            fail(tr("the backend stopped unexpectedly"));
        }
        return;
    }

    if (m_state != State::Starting) return;
    const QByteArray out = readFrom(stdoutPath(), 0);
    for (const QByteArray &line : out.split('\n')) {
        const QJsonObject object = QJsonDocument::fromJson(line).object();
        if (object.value("event"_L1).toString() == "ready"_L1) {
            m_ready = object;
            writeStateFile();
            m_poll.start(RunningPollMs);
            setState(State::Running);
            Q_EMIT ready(m_ready);
            return;
        }
    }
    if (m_clock.elapsed() > m_timeoutMs) {
        const QString reason = tr("the backend did not become ready within %1 s").arg(m_timeoutMs / 1000);
        if (m_process) {
            m_process->disconnect(this);
            m_process->kill();
            m_process->waitForFinished(2000);
        }
        fail(reason);
    }
}

void BackendProcess::onFinished(int exitCode, QProcess::ExitStatus status)
{
    m_killTimer.stop();
    poll(); // the last log lines
    const State was = m_state;
    if (was == State::Stopping) {
        m_poll.stop();
        removeStateFile();
        setState(State::Stopped);
        if (m_restartPending) {
            m_restartPending = false;
            start();
        }
        return;
    }
    removeStateFile();
    // The backend's own explanation is its last "mainflux-backend: ..." line (config errors, ports in use, locks).
    QString why;
    const QStringList tail = logTail(50);
    for (auto it = tail.crbegin(); it != tail.crend(); ++it) {
        if (it->startsWith("mainflux-backend: "_L1) || it->contains(" error "_L1) || it->contains(" fatal "_L1)) {
            why = *it;
            break;
        }
    }
    QString reason = status == QProcess::CrashExit ? tr("the backend crashed")
                     : was == State::Starting ? tr("the backend exited with code %1 before it was ready").arg(exitCode)
                                              : tr("the backend stopped unexpectedly (exit code %1)").arg(exitCode);
    if (!why.isEmpty()) reason += u": "_s + why;
    fail(reason);
}

void BackendProcess::fail(const QString &reason)
{
    m_poll.stop();
    m_failure = reason;
    setState(State::Failed);
    Q_EMIT failed(reason);
}

void BackendProcess::setState(State state)
{
    if (m_state == state) return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

} // namespace mf::client
