#pragma once

#include <QHash>
#include <QString>

class QObject;
class QTcpSocket;

namespace mf::api {

// Counts the open connections of one listening port, in total and per client address, so that one client cannot
// take every file descriptor. A socket admitted is counted until it is destroyed (QHttpServer and QWebSocket
// delete theirs when the peer goes away). One thread (the port's); not thread-safe.
class ConnectionLimiter final
{
public:
    // `context` owns the limiter (directly or as a member): the bookkeeping stops with it.
    ConnectionLimiter(QObject *context, int maxTotal, int maxPerAddress)
        : m_context(context), m_maxTotal(maxTotal), m_maxPerAddress(maxPerAddress)
    {
    }

    enum class Verdict { Admitted, TooManyFromAddress, TooMany };
    // Admitted sockets are counted until destroyed; the others are not counted (the caller refuses and closes).
    Verdict admit(QTcpSocket *socket);
    int total() const { return m_total; }

private:
    QObject *m_context;
    int m_maxTotal;
    int m_maxPerAddress;
    int m_total = 0;
    QHash<QString, int> m_perAddress;
};

} // namespace mf::api
