#pragma once

// Test support: a TCP proxy between NATS clients and a real nats-server, on its own thread (the in-process backend
// may block its thread on NATS, which must not stall the proxy). It recognises the mosquitto plugin's connection
// by the name in its CONNECT line and can, on request, do to that one connection what nats-server does to a
// client it gives up on: send it an -ERR (cnats closes the connection for good on an -ERR it does not know, see
// cnats conn.c _processErr), and refuse its next connections. Every other connection (the backend's) is untouched.

#include <QHostAddress>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <atomic>
#include <memory>
#include <vector>

namespace mf::testing {

class NatsProxy final
{
public:
    explicit NatsProxy(quint16 upstreamPort) : m_core(new Core(upstreamPort))
    {
        m_core->moveToThread(&m_thread);
        QObject::connect(&m_thread, &QThread::finished, m_core, &QObject::deleteLater);
        m_thread.start();
        QMetaObject::invokeMethod(
            m_core, [this] { m_port = m_core->listen(); }, Qt::BlockingQueuedConnection);
    }
    ~NatsProxy()
    {
        m_thread.quit();
        m_thread.wait();
    }
    NatsProxy(const NatsProxy &) = delete;
    NatsProxy &operator=(const NatsProxy &) = delete;

    quint16 port() const { return m_port; }
    QString url() const { return QStringLiteral("nats://127.0.0.1:%1").arg(m_port); }

    // Sends `-ERR '<error>'` to each open plugin connection, exactly as nats-server words it; returns how many.
    int cutPlugin(const QByteArray &error = "maximum control line exceeded")
    {
        int n = 0;
        QMetaObject::invokeMethod(
            m_core, [&] { n = m_core->cutPlugin(error); }, Qt::BlockingQueuedConnection);
        return n;
    }
    // While set, a new plugin connection is dropped right after its CONNECT line (NATS unreachable for it).
    void setRefusePlugin(bool refuse) { m_core->refuse = refuse; }
    // Plugin connections that ended so far (closed by the plugin, or refused).
    int closedPluginConnections() const { return m_core->closed.load(); }
    int openPluginConnections()
    {
        int n = 0;
        QMetaObject::invokeMethod(
            m_core, [&] { n = m_core->openPluginConnections(); }, Qt::BlockingQueuedConnection);
        return n;
    }

private:
    class Core final : public QObject
    {
    public:
        explicit Core(quint16 upstream) : m_upstream(upstream) {}
        std::atomic<bool> refuse{false};
        std::atomic<int> closed{0};

        quint16 listen()
        {
            m_server = new QTcpServer(this); // created here, on the proxy thread
            connect(m_server, &QTcpServer::newConnection, this, [this] {
                while (QTcpSocket *client = m_server->nextPendingConnection())
                    accept(client);
            });
            return m_server->listen(QHostAddress::LocalHost, 0) ? m_server->serverPort() : 0;
        }
        int cutPlugin(const QByteArray &error)
        {
            int n = 0;
            for (const auto &link : m_links)
                if (link->plugin && link->client && link->client->state() == QAbstractSocket::ConnectedState) {
                    link->client->write("-ERR '" + error + "'\r\n");
                    link->client->flush();
                    ++n;
                }
            return n;
        }
        int openPluginConnections() const
        {
            int n = 0;
            for (const auto &link : m_links)
                n += link->plugin && link->client && link->client->state() == QAbstractSocket::ConnectedState;
            return n;
        }

    private:
        struct Link
        {
            QPointer<QTcpSocket> client, upstream;
            QByteArray head, pending;
            bool sniffed = false, plugin = false;
        };

        void accept(QTcpSocket *client)
        {
            auto link = std::make_shared<Link>();
            link->client = client;
            link->upstream = new QTcpSocket(client);
            m_links.push_back(link);
            QTcpSocket *upstream = link->upstream;
            connect(upstream, &QTcpSocket::connected, this, [link] {
                link->upstream->write(link->pending);
                link->pending.clear();
            });
            connect(upstream, &QTcpSocket::readyRead, this, [link] {
                if (link->client) link->client->write(link->upstream->readAll());
            });
            connect(upstream, &QTcpSocket::disconnected, this, [link] {
                if (link->client) link->client->disconnectFromHost();
            });
            connect(upstream, &QTcpSocket::errorOccurred, this, [link] {
                if (link->client) link->client->disconnectFromHost();
            });
            connect(client, &QTcpSocket::readyRead, this, [this, link] { fromClient(*link); });
            connect(client, &QTcpSocket::disconnected, this, [this, link] {
                if (link->plugin) ++closed;
                std::erase(m_links, link);
                link->client->deleteLater(); // its child, the upstream socket, goes with it
            });
            upstream->connectToHost(QHostAddress::LocalHost, m_upstream);
        }

        void fromClient(Link &link)
        {
            const QByteArray data = link.client->readAll();
            if (!link.sniffed) {
                // The client's first line is CONNECT {...,"name":"...",...}.
                link.head += data;
                const qsizetype end = link.head.indexOf("\r\n");
                if (end < 0 && link.head.size() < 64 * 1024) return forward(link, data);
                link.sniffed = true;
                link.plugin = link.head.left(end).contains("mainflux-mosquitto-plugin");
                link.head.clear();
                if (link.plugin && refuse) {
                    link.client->abort();
                    return;
                }
            }
            forward(link, data);
        }
        static void forward(Link &link, const QByteArray &data)
        {
            if (link.upstream->state() == QAbstractSocket::ConnectedState)
                link.upstream->write(data);
            else
                link.pending += data;
        }

        const quint16 m_upstream;
        QTcpServer *m_server = nullptr;
        std::vector<std::shared_ptr<Link>> m_links;
    };

    QThread m_thread;
    Core *m_core;
    quint16 m_port = 0;
};

} // namespace mf::testing
