#pragma once

// Test support: Debian's `mosquitto` on 127.0.0.1 (anonymous, no persistence) standing in for a LoRa network
// server's broker, restartable on the same port, plus mosquitto_pub / mosquitto_sub helpers.

#include "core/error.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>
#include <memory>

namespace mf::testing {

class MosquittoFixture final
{
public:
    ~MosquittoFixture() { stop(); }

    // port 0 = a free one; start() after stop() reuses the previous port.
    Result<void> start(quint16 port = 0)
    {
        if (!m_dir.isValid()) return fail(ErrorCode::Internal, QStringLiteral("no temporary directory"));
        if (port == 0) port = m_port;
        if (port == 0) {
            QTcpServer probe;
            if (!probe.listen(QHostAddress::LocalHost, 0))
                return fail(ErrorCode::Unavailable, QStringLiteral("no free port"));
            port = probe.serverPort();
        }
        m_port = port;
        QFile config(m_dir.filePath(QStringLiteral("mosquitto.conf")));
        if (!config.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return fail(ErrorCode::Internal, config.errorString());
        config.write("per_listener_settings false\nallow_anonymous true\npersistence false\nlog_dest stderr\n"
                     "log_type error\nlog_type warning\nmax_queued_messages 0\nlistener " +
                     QByteArray::number(port) + " 127.0.0.1\n");
        config.close();
        m_process = std::make_unique<QProcess>();
        m_process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_process->start(QStringLiteral("mosquitto"), {QStringLiteral("-c"), config.fileName()});
        if (!m_process->waitForStarted(5000))
            return fail(ErrorCode::Unavailable, QStringLiteral("mosquitto did not start: ") + m_process->errorString());
        // Ready when the port accepts connections (a port still in TIME_WAIT may take a moment to rebind).
        const QDeadlineTimer deadline(10000);
        while (!deadline.hasExpired()) {
            if (m_process->state() != QProcess::Running)
                return fail(ErrorCode::Unavailable, QStringLiteral("mosquitto exited"));
            QTcpSocket socket;
            socket.connectToHost(QHostAddress::LocalHost, port);
            if (socket.waitForConnected(200)) return {};
            QThread::msleep(50);
        }
        return fail(ErrorCode::Unavailable, QStringLiteral("mosquitto is not listening"));
    }

    void stop()
    {
        if (!m_process) return;
        m_process->kill();
        m_process->waitForFinished(5000);
        m_process.reset();
    }

    bool isRunning() const { return m_process && m_process->state() == QProcess::Running; }
    quint16 port() const { return m_port; }
    QString url() const { return QStringLiteral("tcp://127.0.0.1:%1").arg(m_port); }

    // mosquitto_pub -q 1 -t topic -m payload (-r with retain); true when it exited 0.
    bool publish(const QString &topic, const QByteArray &payload, bool retain = false) const
    {
        QProcess pub;
        QStringList args{
            QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"), QString::number(m_port),
            QStringLiteral("-q"), QStringLiteral("1"),         QStringLiteral("-t"), topic,
            QStringLiteral("-s")};
        if (retain) args << QStringLiteral("-r");
        pub.start(QStringLiteral("mosquitto_pub"), args);
        pub.write(payload);
        pub.closeWriteChannel();
        return pub.waitForFinished(10000) && pub.exitStatus() == QProcess::NormalExit && pub.exitCode() == 0;
    }

private:
    QTemporaryDir m_dir;
    quint16 m_port = 0;
    std::unique_ptr<QProcess> m_process;
};

// mosquitto_sub -v on some topics, collecting "topic payload" lines; ready() once it demonstrably receives.
class MosquittoSubscriber final
{
public:
    MosquittoSubscriber(quint16 port, const QStringList &topics)
    {
        QStringList args{QStringLiteral("-h"),  QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
                         QString::number(port), QStringLiteral("-v"),        QStringLiteral("-q"),
                         QStringLiteral("1"),   QStringLiteral("-t"),        QStringLiteral("probe/ready")};
        for (const QString &t : topics)
            args << QStringLiteral("-t") << t;
        m_process.start(QStringLiteral("mosquitto_sub"), args);
        m_port = port;
    }
    ~MosquittoSubscriber()
    {
        m_process.kill();
        m_process.waitForFinished(3000);
    }
    // Publishes probes until one comes back, so nothing published afterwards can be missed.
    bool waitReady(const MosquittoFixture &broker)
    {
        const QDeadlineTimer deadline(10000);
        while (!deadline.hasExpired()) {
            broker.publish(QStringLiteral("probe/ready"), "1");
            m_process.waitForReadyRead(300);
            if (m_buffer.append(m_process.readAllStandardOutput()).contains("probe/ready")) return true;
        }
        return false;
    }
    // Lines received on the given topics (probes left out).
    QList<QByteArray> lines()
    {
        m_buffer.append(m_process.readAllStandardOutput());
        QList<QByteArray> out;
        for (const QByteArray &line : m_buffer.split('\n'))
            if (!line.isEmpty() && !line.startsWith("probe/")) out.append(line);
        return out;
    }

private:
    QProcess m_process;
    QByteArray m_buffer;
    quint16 m_port = 0;
};

} // namespace mf::testing
