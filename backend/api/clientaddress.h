#pragma once

#include <QHostAddress>
#include <string>

namespace mf::api {

// The key under which limits count a client address: IPv4 as dotted quad (also when it arrives IPv4-mapped on a
// dual-stack socket), IPv6 by its /64 prefix ("2001:db8:1:2::/64"), since one IPv6 host usually holds a whole /64.
inline std::string clientAddressKey(const QHostAddress &address)
{
    bool v4 = false;
    const quint32 ipv4 = address.toIPv4Address(&v4);
    if (v4)
        return QHostAddress(ipv4).toString().toStdString();
    if (address.protocol() != QAbstractSocket::IPv6Protocol)
        return address.toString().toStdString();
    Q_IPV6ADDR bytes = address.toIPv6Address();
    for (int i = 8; i < 16; ++i)
        bytes[i] = 0;
    return QHostAddress(bytes).toString().toStdString() + "/64";
}

} // namespace mf::api
