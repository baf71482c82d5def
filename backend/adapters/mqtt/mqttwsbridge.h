#pragma once

#include "core/error.h"

#include <QHostAddress>
#include <QObject>
#include <QSslConfiguration>
#include <optional>

class QWebSocketServer;

namespace mf::adapters {

// MQTT over WebSocket in front of the broker (Debian's mosquitto has no websockets): a QWebSocketServer that
// speaks subprotocol "mqtt" (and "mqttv3.1") on path /mqtt (or /) and pipes binary frames both ways to the
// broker's TCP listener, one broker connection per WebSocket client. It never parses MQTT: credentials travel in
// CONNECT, so the plugin's authentication and ACL apply unchanged. The broker leg gets TCP_NODELAY once connected
// (MQTT.js writes many tiny frames; without it each message costs ~42 ms of Nagle + delayed ACK).
class MqttWsBridge final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MqttWsBridge)

public:
    // tls set: MQTT over WSS (the broker leg stays plaintext on the loopback or the broker's own address).
    MqttWsBridge(QHostAddress brokerHost, quint16 brokerPort, std::optional<QSslConfiguration> tls = {},
                 QObject *parent = nullptr);
    ~MqttWsBridge() override;

    // port 0 = any free port. Returns the bound port.
    Result<quint16> listen(const QHostAddress &host, quint16 port);
    quint16 port() const;
    int connections() const { return m_connections; }

private:
    void onNewConnection();

    QHostAddress m_brokerHost;
    quint16 m_brokerPort;
    QWebSocketServer *m_server;
    int m_connections = 0;
};

} // namespace mf::adapters
