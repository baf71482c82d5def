#include "wakeconnection.h"

#include <arpa/inet.h>
#include <cerrno>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace mf::mqtt {

namespace {

void putString(std::string &out, const std::string &s)
{
    out += char((s.size() >> 8) & 0xff);
    out += char(s.size() & 0xff);
    out += s;
}

void putLength(std::string &out, size_t n)
{
    do {
        unsigned char b = n % 128;
        n /= 128;
        if (n > 0) b |= 0x80;
        out += char(b);
    } while (n > 0);
}

} // namespace

WakeConnection::~WakeConnection()
{
    close();
}

bool WakeConnection::connect(const std::string &host, int port, const std::string &clientId,
                             const std::string &username, const std::string &password)
{
    close();
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *found = nullptr;
    const std::string service = std::to_string(port);
    if (getaddrinfo(host.c_str(), service.c_str(), &hints, &found) != 0 || !found) return false;
    int fd = -1;
    for (addrinfo *a = found; a; a = a->ai_next) {
        fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) continue;
        if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0) break;
        ::close(fd);
        fd = -1;
    }
    freeaddrinfo(found);
    if (fd < 0) return false;
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

    std::string body;
    putString(body, "MQTT");
    body += char(4);    // 3.1.1
    body += char(0xC2); // username, password, clean session
    body += char(0);    // keepalive 0: never expires
    body += char(0);
    putString(body, clientId);
    putString(body, username);
    putString(body, password);
    std::string packet(1, char(0x10));
    putLength(packet, body.size());
    packet += body;
    if (::send(fd, packet.data(), packet.size(), MSG_NOSIGNAL) != ssize_t(packet.size())) {
        ::close(fd);
        return false;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    m_fd.store(fd);
    return true;
}

void WakeConnection::wake()
{
    const int fd = m_fd.load();
    if (fd < 0) return;
    char junk[512];
    while (::recv(fd, junk, sizeof junk, MSG_DONTWAIT) > 0) {
    }
    static const char pingreq[2] = {char(0xC0), 0};
    if (::send(fd, pingreq, 2, MSG_NOSIGNAL | MSG_DONTWAIT) < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
        // Broken: let TICK reconnect. Only one thread wins the exchange and closes.
        int expected = fd;
        if (m_fd.compare_exchange_strong(expected, -1)) ::close(fd);
    }
}

void WakeConnection::close()
{
    const int fd = m_fd.exchange(-1);
    if (fd >= 0) ::close(fd);
}

} // namespace mf::mqtt
