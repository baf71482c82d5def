#pragma once

// CoAP datagrams built and read by hand (RFC 7252 §3), for the inputs a well-behaved library never sends: Block1
// without Size1, blocks out of order, many Uri-Path options. A QUdpSocket client that acknowledges separate (CON)
// responses the way a device would. Single-threaded: waitFor() runs the Qt loop that runs the in-process backend.

#include <QByteArray>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QUdpSocket>
#include <algorithm>
#include <functional>
#include <optional>

namespace mf::testing {

struct RawCoap
{
    enum Type : quint8 { Con = 0, Non = 1, Ack = 2, Rst = 3 };
    enum Option : unsigned {
        UriPath = 11,
        ContentFormat = 12,
        MaxAge = 14,
        UriQuery = 15,
        Block2 = 23,
        Block1 = 27,
        Size1 = 60,
        RequestTag = 292,
    };

    quint8 type = Con;
    quint8 code = 2; // class << 5 | detail: 0.02 POST
    quint16 mid = 0;
    QByteArray token;
    QList<QPair<unsigned, QByteArray>> options; // any order; sorted when encoded
    QByteArray payload;

    int codeNumber() const { return (code >> 5) * 100 + (code & 0x1f); } // 2.31 -> 231

    static QByteArray encodeUint(unsigned value)
    {
        QByteArray out;
        while (value) {
            out.prepend(char(value & 0xff));
            value >>= 8;
        }
        return out;
    }
    static QByteArray block(unsigned num, bool more, unsigned szx)
    {
        return encodeUint(num << 4 | (more ? 8 : 0) | szx);
    }

    void addPath(const QByteArray &path)
    {
        for (const QByteArray &segment : path.split('/'))
            options.append({UriPath, segment});
    }
    std::optional<QByteArray> option(unsigned number) const
    {
        for (const auto &[n, v] : options)
            if (n == number) return v;
        return std::nullopt;
    }
    std::optional<unsigned> uintOption(unsigned number) const
    {
        const auto value = option(number);
        if (!value) return std::nullopt;
        unsigned out = 0;
        for (char c : *value)
            out = out << 8 | uchar(c);
        return out;
    }

    QByteArray encode() const
    {
        QByteArray out;
        out += char(0x40 | type << 4 | token.size());
        out += char(code);
        out += char(mid >> 8);
        out += char(mid & 0xff);
        out += token;
        auto sorted = options;
        std::stable_sort(sorted.begin(), sorted.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
        unsigned previous = 0;
        for (const auto &[number, value] : sorted) {
            const auto nibble = [](unsigned v, QByteArray *ext) -> unsigned {
                if (v < 13) return v;
                if (v < 269) {
                    *ext += char(v - 13);
                    return 13;
                }
                *ext += char((v - 269) >> 8);
                *ext += char((v - 269) & 0xff);
                return 14;
            };
            QByteArray deltaExt, lengthExt;
            const unsigned d = nibble(number - previous, &deltaExt);
            const unsigned l = nibble(unsigned(value.size()), &lengthExt);
            out += char(d << 4 | l);
            out += deltaExt + lengthExt + value;
            previous = number;
        }
        if (!payload.isEmpty()) out += char(0xff) + payload;
        return out;
    }

    static std::optional<RawCoap> decode(const QByteArray &in)
    {
        if (in.size() < 4 || (uchar(in[0]) >> 6) != 1) return std::nullopt;
        RawCoap m;
        m.type = (uchar(in[0]) >> 4) & 3;
        const int tkl = uchar(in[0]) & 0xf;
        m.code = uchar(in[1]);
        m.mid = quint16(uchar(in[2]) << 8 | uchar(in[3]));
        if (tkl > 8 || in.size() < 4 + tkl) return std::nullopt;
        m.token = in.mid(4, tkl);
        qsizetype i = 4 + tkl;
        unsigned number = 0;
        while (i < in.size()) {
            const uchar head = uchar(in[i++]);
            if (head == 0xff) {
                m.payload = in.mid(i);
                break;
            }
            const auto ext = [&](unsigned nibble) -> std::optional<unsigned> {
                if (nibble < 13) return nibble;
                if (nibble == 13 && i < in.size()) return uchar(in[i++]) + 13u;
                if (nibble == 14 && i + 1 < in.size()) {
                    const unsigned v = uchar(in[i]) << 8 | uchar(in[i + 1]);
                    i += 2;
                    return v + 269u;
                }
                return std::nullopt;
            };
            const auto delta = ext(head >> 4);
            const auto length = ext(head & 0xf);
            if (!delta || !length || i + qsizetype(*length) > in.size()) return std::nullopt;
            number += *delta;
            m.options.append({number, in.mid(i, *length)});
            i += *length;
        }
        return m;
    }
};

class RawCoapClient final
{
public:
    // local: the client's address; 127.0.0.2 is another client than 127.0.0.1 on Linux's loopback.
    explicit RawCoapClient(quint16 port, const QHostAddress &local = QHostAddress::LocalHost) : m_port(port)
    {
        m_socket.bind(local, 0);
    }
    Q_DISABLE_COPY_MOVE(RawCoapClient)

    quint16 nextMid() { return ++m_mid; }

    // Sends a datagram (given a fresh message id when it has none).
    void send(RawCoap message)
    {
        if (message.mid == 0) message.mid = nextMid();
        m_socket.writeDatagram(message.encode(), QHostAddress::LocalHost, m_port);
    }
    void sendBytes(const QByteArray &datagram) { m_socket.writeDatagram(datagram, QHostAddress::LocalHost, m_port); }

    // Runs the Qt loop until pred() holds or the time is up. Every CON that arrives is acknowledged (an empty ACK),
    // like a device acknowledges a separate response.
    bool waitFor(const std::function<bool()> &pred, int timeoutMs = 5000)
    {
        QElapsedTimer timer;
        timer.start();
        while (!pred()) {
            if (timer.elapsed() > timeoutMs) return false;
            QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
            while (m_socket.hasPendingDatagrams()) {
                QByteArray datagram(qsizetype(m_socket.pendingDatagramSize()), Qt::Uninitialized);
                m_socket.readDatagram(datagram.data(), datagram.size());
                const auto message = RawCoap::decode(datagram);
                if (!message) continue;
                m_received.append(*message);
                if (message->type == RawCoap::Con) {
                    RawCoap ack;
                    ack.type = RawCoap::Ack;
                    ack.code = 0;
                    ack.mid = message->mid;
                    m_socket.writeDatagram(ack.encode(), QHostAddress::LocalHost, m_port);
                }
            }
        }
        return true;
    }

    // The final response (not an empty ACK) with this token.
    std::optional<RawCoap> responseFor(const QByteArray &token) const
    {
        for (const RawCoap &m : m_received)
            if (m.code != 0 && m.token == token) return m;
        return std::nullopt;
    }
    // Sends and waits for the response with the message's token (piggybacked or separate).
    std::optional<RawCoap> call(const RawCoap &message, int timeoutMs = 5000)
    {
        send(message);
        waitFor([&] { return responseFor(message.token).has_value(); }, timeoutMs);
        return responseFor(message.token);
    }
    const QList<RawCoap> &received() const { return m_received; }
    void clear() { m_received.clear(); }

private:
    QUdpSocket m_socket;
    quint16 m_port;
    quint16 m_mid = 0x1000;
    QList<RawCoap> m_received;
};

} // namespace mf::testing
