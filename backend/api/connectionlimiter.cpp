#include "connectionlimiter.h"

#include <QTcpSocket>

namespace mf::api {

ConnectionLimiter::Verdict ConnectionLimiter::admit(QTcpSocket *socket)
{
    const QString address = socket->peerAddress().toString();
    if (m_total >= m_maxTotal)
        return Verdict::TooMany;
    int &count = m_perAddress[address];
    if (count >= m_maxPerAddress)
        return Verdict::TooManyFromAddress;
    ++count;
    ++m_total;
    // With the context as receiver: a socket destroyed after its server (a child deleted by ~QObject) finds the
    // connection already cut, never a destroyed limiter.
    QObject::connect(socket, &QObject::destroyed, m_context, [this, address] {
        --m_total;
        auto it = m_perAddress.find(address);
        if (it != m_perAddress.end() && --*it <= 0)
            m_perAddress.erase(it);
    });
    return Verdict::Admitted;
}

} // namespace mf::api
