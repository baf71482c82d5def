#include "gatedtcpserver.h"

#include "answerandclose.h"
#include "metrics.h"
#include "requesthead.h"

#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>

namespace mf::api {

// Per-socket state, a child of the socket (goes with it).
class GatedTcpServer::Connection final : public QObject
{
public:
    explicit Connection(QTcpSocket *socket) : QObject(socket)
    {
        headerTimer.setSingleShot(true);
        idleTimer.setSingleShot(true);
    }

    QByteArray head;     // what arrived of the current request's head
    bool inHead = false; // false: between requests, or reading a body
    QTimer headerTimer;
    QTimer idleTimer;
};

GatedTcpServer::GatedTcpServer(qint64 maxBodyBytes, const HttpLimits &limits, Metrics &metrics, QObject *parent)
    : QTcpServer(parent), m_maxBody(maxBodyBytes), m_limits(limits), m_metrics(metrics),
      m_limiter(limits.maxConnections, limits.maxConnectionsPerAddress)
{
}

void GatedTcpServer::incomingConnection(qintptr descriptor)
{
    QSslSocket *tls = m_tls ? new QSslSocket(this) : nullptr;
    QTcpSocket *socket = tls ? tls : new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    if (tls) {
        tls->setSslConfiguration(*m_tls);
        connect(tls, &QAbstractSocket::errorOccurred, tls, [this](QAbstractSocket::SocketError error) {
            if (error == QAbstractSocket::SslHandshakeFailedError)
                m_metrics.increment("mf_tls_handshake_failures_total", "port=\"http\"");
        });
        tls->startServerEncryption(); // bytes before the handshake's end never reach readyRead
    }
    if (const auto verdict = m_limiter.admit(socket); verdict != ConnectionLimiter::Verdict::Admitted) {
        // Never given to QHttpServer: answered here, deleted once closed.
        connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
        const bool perAddress = verdict == ConnectionLimiter::Verdict::TooManyFromAddress;
        const QByteArray message =
            perAddress ? QByteArray("more than " + QByteArray::number(m_limits.maxConnectionsPerAddress) +
                                    " connections from this address")
                       : QByteArray("more than " + QByteArray::number(m_limits.maxConnections) + " connections");
        refuse(socket, nullptr, 503, perAddress ? "too many connections from address" : "too many connections",
               message);
        return;
    }
    auto *connection = new Connection(socket);
    connection->headerTimer.setInterval(m_limits.headerTimeoutMs);
    connection->idleTimer.setInterval(m_limits.idleTimeoutMs);
    connect(&connection->headerTimer, &QTimer::timeout, socket, [this, socket, connection] {
        refuse(socket, connection, 408, "header timeout",
               "the request head did not arrive within " + QByteArray::number(m_limits.headerTimeoutMs) + " ms");
    });
    connect(&connection->idleTimer, &QTimer::timeout, socket, [this, socket, connection] {
        if (socket->bytesToWrite() > 0) { // still answering: that is not idleness
            connection->idleTimer.start();
            return;
        }
        m_metrics.increment("mf_http_idle_closed_total");
        socket->disconnectFromHost();
    });
    connect(socket, &QTcpSocket::bytesWritten, connection, [connection] { connection->idleTimer.start(); });
    connect(socket, &QTcpSocket::readyRead, socket, [this, socket, connection] { inspect(socket, *connection); });
    connection->idleTimer.start();
    addPendingConnection(socket);
}

void GatedTcpServer::refuse(QTcpSocket *socket, Connection *connection, int status, const QByteArray &reason,
                            const QByteArray &message)
{
    m_metrics.increment("mf_http_refused_total", "reason=\"" + reason + '"');
    if (connection) {
        connection->headerTimer.stop();
        connection->idleTimer.stop();
        connection->head.clear();
        connection->inHead = false;
    }
    answerAndClose(socket, errorAnswer(status, message)); // QHttpServer never sees another byte; it deletes the socket
}

void GatedTcpServer::inspect(QTcpSocket *socket, Connection &connection)
{
    if (socket->state() != QAbstractSocket::ConnectedState)
        return;
    connection.idleTimer.start();
    if (!socket->isTransactionStarted()) { // QHttpServer is between requests: these bytes begin one
        connection.head.clear();
        connection.inHead = true;
        connection.headerTimer.start();
    } else if (!connection.inHead) {
        return; // reading a body: nothing to look at
    }
    // Look at no more than the limits plus a little: enough to see the head end or to know it is too long.
    const qint64 room = qMax(m_limits.maxHeaderBytes, m_limits.maxRequestLine) + 4 - connection.head.size();
    connection.head += socket->peek(qBound<qint64>(0, socket->bytesAvailable(), qMax<qint64>(room, 1)));
    const HeadCheck check = checkRequestHead(connection.head, m_limits);
    if (check.state == HeadCheck::State::Refused)
        return refuse(socket, &connection, check.status, check.reason, check.message);
    if (check.state == HeadCheck::State::Incomplete)
        return;
    connection.inHead = false;
    connection.head.clear();
    connection.headerTimer.stop();
    if (check.contentLength > m_maxBody * 16)
        return refuse(socket, &connection, 413, "body too large",
                      "request body larger than " + QByteArray::number(m_maxBody) + " bytes");
    if (check.http11 && check.expectContinue && check.hasBody)
        socket->write("HTTP/1.1 100 Continue\r\n\r\n");
}

} // namespace mf::api
