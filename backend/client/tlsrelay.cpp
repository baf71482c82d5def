#include "tlsrelay.h"

#include <QSslSocket>
#include <QTcpServer>

using namespace Qt::StringLiterals;

namespace mf::client {

TlsRelay::TlsRelay(QString host, int port, TlsTrust trust, QObject *parent)
    : QObject(parent), m_host(std::move(host)), m_port(port), m_trust(std::move(trust)), m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &TlsRelay::accept);
}

TlsRelay::~TlsRelay()
{
    closeBoth();
}

bool TlsRelay::listen()
{
    return m_server->listen(QHostAddress::LocalHost, 0);
}

quint16 TlsRelay::port() const
{
    return m_server->serverPort();
}

void TlsRelay::accept()
{
    while (QTcpSocket *extra = m_server->nextPendingConnection()) {
        if (m_local) {
            extra->abort(); // one connection only
            extra->deleteLater();
            continue;
        }
        m_local = extra;
    }
    if (m_remote || !m_local) return;
    m_server->close();
    m_remote = new QSslSocket(this);
    applyTrust(m_remote, m_trust, [this](const QSslCertificate &certificate) {
        fail(u"the server's certificate (SHA-256 %1) is not trusted"_s.arg(
            QString::fromLatin1(sha256Fingerprint(certificate))));
    });
    connect(m_local, &QTcpSocket::readyRead, this, [this] {
        const QByteArray bytes = m_local->readAll();
        if (m_remote && m_remote->isEncrypted())
            m_remote->write(bytes);
        else
            m_held += bytes;
    });
    connect(m_remote, &QSslSocket::encrypted, this, [this] {
        m_remote->write(m_held);
        m_held.clear();
    });
    connect(m_remote, &QSslSocket::readyRead, this, [this] { m_local->write(m_remote->readAll()); });
    connect(m_remote, &QSslSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (error != QAbstractSocket::RemoteHostClosedError)
            fail(u"%1:%2: %3"_s.arg(m_host).arg(m_port).arg(m_remote->errorString()));
        else
            closeBoth();
    });
    connect(m_remote, &QSslSocket::disconnected, this, &TlsRelay::closeBoth);
    connect(m_local, &QTcpSocket::disconnected, this, &TlsRelay::closeBoth);
    m_remote->connectToHostEncrypted(m_host, quint16(m_port));
}

void TlsRelay::fail(const QString &why)
{
    if (m_failure.isEmpty()) m_failure = why;
    closeBoth();
}

void TlsRelay::closeBoth()
{
    m_held.clear();
    if (m_remote) {
        m_remote->disconnect(this);
        m_remote->abort();
        m_remote->deleteLater();
        m_remote = nullptr;
    }
    if (m_local) {
        m_local->disconnect(this);
        m_local->flush();
        m_local->disconnectFromHost();
        m_local->deleteLater();
        m_local = nullptr;
    }
}

} // namespace mf::client
