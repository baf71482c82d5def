#pragma once

#include "tlstrust.h"

#include <QObject>
#include <QString>

class QSslSocket;
class QTcpServer;
class QTcpSocket;

namespace mf::client {

// A one-connection loopback relay that puts TLS, believed exactly as `trust` says (pin, CA file, system CAs,
// insecure), under a client library that cannot be given those rules: Paho (OpenSSL underneath) takes a CA file but
// no pin and no verification callback, and the dashboard's usual pin is a certificate no CA file can anchor (the
// dev certificate's leaf). Hand-written because of that; it only copies bytes.
//
// listen() opens 127.0.0.1 on a free port. The first connection to it starts the TLS connection to host:port; its
// bytes are held until the server's certificate was accepted (so nothing, e.g. an MQTT password, reaches a server
// the user does not trust) and then flow both ways; either side closing closes both; a second connection is refused.
// failure() says why the TLS side failed (a refused certificate names its fingerprint). Threading: the thread it
// lives on must run an event loop; the library may connect from any thread.
class TlsRelay final : public QObject
{
public:
    TlsRelay(QString host, int port, TlsTrust trust, QObject *parent = nullptr);
    ~TlsRelay() override;
    Q_DISABLE_COPY_MOVE(TlsRelay)

    bool listen();
    quint16 port() const;
    QString failure() const { return m_failure; }

private:
    void accept();
    void fail(const QString &why);
    void closeBoth();

    QString m_host;
    int m_port;
    TlsTrust m_trust;
    QTcpServer *m_server;
    QTcpSocket *m_local = nullptr;
    QSslSocket *m_remote = nullptr;
    QByteArray m_held; // from the local side until the handshake is accepted
    QString m_failure;
};

} // namespace mf::client
