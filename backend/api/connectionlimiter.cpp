#include "connectionlimiter.h"

#include <QTcpSocket>

namespace mf::api {

ConnectionLimiter::ConnectionLimiter(int maxTotal, int maxPerAddress)
    : m_guard(std::make_unique<QObject>()), m_maxTotal(maxTotal), m_maxPerAddress(maxPerAddress)
{
}

ConnectionLimiter::~ConnectionLimiter() = default;

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
    // A socket destroyed after the limiter (a child deleted by ~QObject) finds the connection already cut.
    QObject::connect(socket, &QObject::destroyed, m_guard.get(), [this, address] {
        --m_total;
        auto it = m_perAddress.find(address);
        if (it != m_perAddress.end() && --*it <= 0)
            m_perAddress.erase(it);
    });
    return Verdict::Admitted;
}

} // namespace mf::api
