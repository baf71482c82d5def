#pragma once

// Test support: a minimal MQTT 3.1.1 QoS 1 publisher on a QTcpSocket that knows exactly which messages got a PUBACK.
// A library client (libmosquitto, Paho) resends unacknowledged messages after a reconnect, which blurs "what was the
// device told": this one never resends. A message whose PUBACK did not arrive before the connection dropped is
// abandoned (it may or may not be stored); every acknowledged one must be stored, exactly once. After a drop it
// connects again (every 100 ms) and goes on with the next message, as a device that keeps measuring would.

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QTcpSocket>
#include <QTimer>
#include <functional>

namespace mf::testing {

class Qos1Publisher final : public QObject
{
public:
    // Publishes [{"n":"<name>","v":i}] for i in [0, total) on `topic`, at most `window` messages in flight.
    Qos1Publisher(QString clientId, QString user, QString password, QString topic, QString name, int total,
                  int window = 10)
        : m_clientId(std::move(clientId)), m_user(std::move(user)), m_password(std::move(password)),
          m_topic(std::move(topic)), m_name(std::move(name)), m_total(total), m_window(window)
    {
        connect(&m_socket, &QTcpSocket::connected, this, &Qos1Publisher::sendConnect);
        connect(&m_socket, &QTcpSocket::readyRead, this, &Qos1Publisher::onReadyRead);
        connect(&m_socket, &QTcpSocket::disconnected, this, &Qos1Publisher::onDropped);
        connect(&m_socket, &QTcpSocket::errorOccurred, this, [this] {
            if (m_socket.state() != QTcpSocket::ConnectedState) onDropped();
        });
        m_retry.setSingleShot(true);
        m_retry.setInterval(100);
        connect(&m_retry, &QTimer::timeout, this, &Qos1Publisher::open);
    }

    // The socket is destroyed after the members it signals into: disconnected first.
    ~Qos1Publisher() override
    {
        m_socket.disconnect(this);
        m_socket.abort();
    }

    void start(quint16 port)
    {
        m_port = port;
        m_running = true;
        open();
    }
    void stop()
    {
        m_running = false;
        m_retry.stop();
        m_socket.abort();
        m_inFlight.clear();
    }
    // Called on every PUBACK, from inside the flow: a test kills a process there, with messages in flight.
    void setOnAck(std::function<void()> onAck) { m_onAck = std::move(onAck); }

    bool finished() const { return m_next >= m_total && m_inFlight.isEmpty(); }
    const QSet<int> &acknowledged() const { return m_acked; }
    int abandoned() const { return m_abandoned; }
    int connections() const { return m_connections; }
    const QString &name() const { return m_name; }

private:
    void open()
    {
        if (!m_running || finished()) return;
        m_socket.abort();
        m_buffer.clear();
        m_connected = false;
        m_socket.connectToHost(QStringLiteral("127.0.0.1"), m_port);
    }

    static QByteArray remainingLength(int n)
    {
        QByteArray out;
        do {
            char byte = char(n % 128);
            n /= 128;
            if (n > 0) byte = char(byte | 0x80);
            out += byte;
        } while (n > 0);
        return out;
    }
    static QByteArray utf8Field(const QString &s)
    {
        const QByteArray b = s.toUtf8();
        return QByteArray(1, char(b.size() >> 8)) + char(b.size() & 0xff) + b;
    }
    static QByteArray packet(quint8 type, const QByteArray &body)
    {
        return char(type) + remainingLength(int(body.size())) + body;
    }

    void sendConnect()
    {
        // MQTT 3.1.1, clean session, user name and password, keep-alive 60 s.
        const QByteArray body = utf8Field(QStringLiteral("MQTT")) + char(4) + char(0xC2) + char(0) + char(60) +
                                utf8Field(m_clientId) + utf8Field(m_user) + utf8Field(m_password);
        m_socket.write(packet(0x10, body));
    }

    void fill()
    {
        while (m_connected && m_next < m_total && m_inFlight.size() < m_window) {
            m_packetId = m_packetId % 65535 + 1;
            const int i = m_next++;
            m_inFlight.insert(m_packetId, i);
            const QByteArray payload = "[{\"n\":\"" + m_name.toUtf8() + "\",\"v\":" + QByteArray::number(i) + "}]";
            const QByteArray body = utf8Field(m_topic) + char(m_packetId >> 8) + char(m_packetId & 0xff) + payload;
            m_socket.write(packet(0x32, body)); // PUBLISH, QoS 1
        }
    }

    void onReadyRead()
    {
        m_buffer += m_socket.readAll();
        while (m_buffer.size() >= 2) {
            int length = 0, shift = 0, pos = 1;
            bool complete = false;
            while (pos < m_buffer.size() && pos <= 4) {
                const auto byte = quint8(m_buffer[pos++]);
                length += (byte & 0x7f) << shift;
                shift += 7;
                if (!(byte & 0x80)) {
                    complete = true;
                    break;
                }
            }
            if (!complete || m_buffer.size() < pos + length) return;
            const auto type = quint8(m_buffer[0]) & 0xf0;
            const QByteArray body = m_buffer.mid(pos, length);
            m_buffer.remove(0, pos + length);
            if (type == 0x20 && body.size() >= 2) { // CONNACK
                if (body[1] != 0) {
                    m_socket.abort();
                    onDropped();
                    return;
                }
                m_connected = true;
                ++m_connections;
                fill();
            } else if (type == 0x40 && body.size() >= 2) { // PUBACK
                const int id = (quint8(body[0]) << 8) | quint8(body[1]);
                const auto it = m_inFlight.find(id);
                if (it != m_inFlight.end()) {
                    m_acked.insert(*it);
                    m_inFlight.erase(it);
                    if (m_onAck) m_onAck();
                }
                if (!m_connected) return; // the hook closed the socket
                fill();
            }
        }
    }

    void onDropped()
    {
        m_connected = false;
        m_abandoned += int(m_inFlight.size()); // never resent: their fate is unknown to this device
        m_inFlight.clear();
        if (m_running && !finished() && !m_retry.isActive()) m_retry.start();
    }

    const QString m_clientId, m_user, m_password, m_topic, m_name;
    const int m_total, m_window;
    quint16 m_port = 0;
    bool m_running = false, m_connected = false;
    QTcpSocket m_socket;
    QTimer m_retry;
    QByteArray m_buffer;
    int m_packetId = 0, m_next = 0, m_abandoned = 0, m_connections = 0;
    QHash<int, int> m_inFlight; // packet id -> message index
    std::function<void()> m_onAck;
    QSet<int> m_acked;
};

} // namespace mf::testing
