#include "mqttwsbridge.h"

#include <QLoggingCategory>
#include <QTcpSocket>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace Qt::StringLiterals;

Q_DECLARE_LOGGING_CATEGORY(lcMosquitto)

namespace mf::adapters {

MqttWsBridge::MqttWsBridge(QHostAddress brokerHost, quint16 brokerPort, std::optional<QSslConfiguration> tls,
                           QObject *parent)
    : QObject(parent), m_brokerHost(std::move(brokerHost)), m_brokerPort(brokerPort),
      m_server(new QWebSocketServer(u"mainflux-mqtt-ws"_s,
                                    tls ? QWebSocketServer::SecureMode : QWebSocketServer::NonSecureMode, this))
{
    if (tls) m_server->setSslConfiguration(*tls);
    // Without a matching subprotocol Qt still answers 101 but without the header, and MQTT clients give up.
    m_server->setSupportedSubprotocols({u"mqtt"_s, u"mqttv3.1"_s});
    connect(m_server, &QWebSocketServer::newConnection, this, &MqttWsBridge::onNewConnection);
}

MqttWsBridge::~MqttWsBridge()
{
    m_server->close();
}

Result<quint16> MqttWsBridge::listen(const QHostAddress &host, quint16 port)
{
    if (!m_server->listen(host, port))
        return fail(ErrorCode::Unavailable, u"MQTT over WebSocket: cannot listen on %1:%2: %3"_s.arg(
                                                host.toString(), QString::number(port), m_server->errorString()));
    return m_server->serverPort();
}

quint16 MqttWsBridge::port() const
{
    return m_server->serverPort();
}

void MqttWsBridge::onNewConnection()
{
    while (QWebSocket *ws = m_server->nextPendingConnection()) {
        const QString path = ws->requestUrl().path();
        if ((path != "/mqtt"_L1 && path != "/"_L1 && !path.isEmpty()) || ws->subprotocol().isEmpty()) {
            ws->close(QWebSocketProtocol::CloseCodeProtocolError, u"use path /mqtt with subprotocol mqtt"_s);
            ws->deleteLater();
            continue;
        }
        ++m_connections;
        auto *tcp = new QTcpSocket(ws); // one broker connection per WebSocket client; dies with it
        connect(tcp, &QTcpSocket::connected, tcp, [tcp] {
            // Must be set after connecting: Qt 6.4 ignores it before connectToHost().
            tcp->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        });
        connect(ws, &QWebSocket::binaryFrameReceived, tcp, [tcp](const QByteArray &frame, bool) { tcp->write(frame); });
        connect(ws, &QWebSocket::textMessageReceived, ws, [ws](const QString &) {
            ws->close(QWebSocketProtocol::CloseCodeDatatypeNotSupported, u"MQTT over WebSocket is binary only"_s);
        });
        connect(tcp, &QTcpSocket::readyRead, ws, [tcp, ws] { ws->sendBinaryMessage(tcp->readAll()); });
        connect(tcp, &QTcpSocket::disconnected, ws, [ws] { ws->close(); });
        connect(tcp, &QAbstractSocket::errorOccurred, ws, [ws](QAbstractSocket::SocketError e) {
            // RemoteHostClosedError comes with every normal close by the broker: `disconnected` handles it.
            if (e != QAbstractSocket::RemoteHostClosedError && ws->state() == QAbstractSocket::ConnectedState)
                ws->close(QWebSocketProtocol::CloseCodeBadOperation, u"MQTT broker unavailable"_s);
        });
        connect(ws, &QWebSocket::disconnected, this, [this, ws, tcp] {
            --m_connections;
            tcp->disconnectFromHost();
            ws->deleteLater();
        });
        tcp->connectToHost(m_brokerHost, m_brokerPort); // writes before `connected` are buffered
    }
}

} // namespace mf::adapters
