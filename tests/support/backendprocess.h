#pragma once

#include "testbackend.h"

#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QProcess>
#include <memory>

namespace mf::testing {

// The real mainflux-backend executable as a child process (as scripts, systemd and the desktop launcher run it),
// started with only the given MF_* settings (the test's own MF_* environment is dropped), plus a blocking HTTP
// client for it. The process is killed when this object goes.
class BackendProcess final
{
public:
    static constexpr int SafetyTimeoutMs = 60000; // only ends a hung run; no assertion depends on speed

    BackendProcess(const QString &executable, const QHash<QString, QString> &settings,
                   const QStringList &args = {});
    ~BackendProcess();
    Q_DISABLE_COPY_MOVE(BackendProcess)

    QProcess &process() { return m_process; }
    // Waits for the ready line; empty when the process ended (or hung) first — stderr is then in startError().
    QJsonObject waitReady();
    QString startError() const { return m_error; }
    quint16 port(const char *name) const;
    // SIGTERM, then waits; true when it exited cleanly with code 0.
    bool stop();

    HttpReply request(const QByteArray &method, const QString &path, const QByteArray &body = {},
                      const QByteArray &contentType = "application/json", const QByteArray &authorization = {});

private:
    QProcess m_process;
    QJsonObject m_ready;
    QString m_error;
    QNetworkAccessManager m_network;
};

} // namespace mf::testing
