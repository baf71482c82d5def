#include "backendprocess.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <csignal>

using namespace Qt::StringLiterals;

namespace mf::testing {

BackendProcess::BackendProcess(const QString &executable, const QHash<QString, QString> &settings,
                               const QStringList &args)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &key : env.keys())
        if (key.startsWith("MF_"_L1)) env.remove(key);
    for (auto it = settings.cbegin(); it != settings.cend(); ++it)
        env.insert(it.key(), it.value());
    m_process.setProcessEnvironment(env);
    m_process.start(executable, args);
}

BackendProcess::~BackendProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(SafetyTimeoutMs);
    }
}

QJsonObject BackendProcess::waitReady()
{
    if (!m_ready.isEmpty()) return m_ready;
    QDeadlineTimer deadline(SafetyTimeoutMs);
    while (!m_process.canReadLine() && m_process.state() != QProcess::NotRunning && !deadline.hasExpired())
        m_process.waitForReadyRead(100);
    if (m_process.canReadLine())
        m_ready = QJsonDocument::fromJson(m_process.readLine()).object();
    else
        m_error = QString::fromUtf8(m_process.readAllStandardError());
    return m_ready;
}

quint16 BackendProcess::port(const char *name) const
{
    return quint16(m_ready.value("ports"_L1).toObject().value(QLatin1StringView(name)).toInt());
}

bool BackendProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning) return false;
    ::kill(pid_t(m_process.processId()), SIGTERM);
    return m_process.waitForFinished(SafetyTimeoutMs) && m_process.exitStatus() == QProcess::NormalExit &&
           m_process.exitCode() == 0;
}

HttpReply BackendProcess::request(const QByteArray &method, const QString &path, const QByteArray &body,
                                  const QByteArray &contentType, const QByteArray &authorization)
{
    return sendAndWait(m_network, QUrl(u"http://127.0.0.1:%1%2"_s.arg(port("http")).arg(path)), method, body,
                       body.isEmpty() ? QByteArray() : contentType, authorization);
}

} // namespace mf::testing
