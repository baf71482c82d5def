#pragma once

#include <QHash>
#include <QString>
#include <QtGlobal>
#include <memory>

class QObject;
class QTcpSocket;

namespace mf::api {

// Counts the open connections of one listening port, in total and per client address, so that one client cannot
// take every file descriptor. A socket admitted is counted until it is destroyed (QHttpServer and QWebSocket
// delete theirs when the peer goes away). One thread (the port's); not thread-safe.
class ConnectionLimiter final
{
public:
    ConnectionLimiter(int maxTotal, int maxPerAddress);
    ~ConnectionLimiter();
    Q_DISABLE_COPY_MOVE(ConnectionLimiter)

    enum class Verdict { Admitted, TooManyFromAddress, TooMany };
    // Admitted sockets are counted until destroyed; the others are not counted (the caller refuses and closes).
    Verdict admit(QTcpSocket *socket);
    int total() const { return m_total; }

private:
    // The receiver of the sockets' destroyed() connections: private, so that an owner calling
    // socket->disconnect(owner) (to stop inspecting a refused socket) cannot cut the count, and the bookkeeping
    // stops when the limiter goes.
    std::unique_ptr<QObject> m_guard;
    int m_maxTotal;
    int m_maxPerAddress;
    int m_total = 0;
    QHash<QString, int> m_perAddress;
};

} // namespace mf::api
