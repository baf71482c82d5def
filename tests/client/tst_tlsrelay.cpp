// TlsRelay (client/tlsrelay.h), what the dashboard's MQTT over TLS rests on: with a real TLS server (QSslServer and a
// `--make-dev-cert` pair), bytes flow both ways once the certificate is accepted, and none reach a server the trust
// refuses (the MQTT CONNECT carries the thing key); one connection only; an unreachable server is named.
#include "client/tlsrelay.h"
#include "devcertificate.h"

#include <QSignalSpy>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

using namespace Qt::StringLiterals;
using namespace mf;

class TestTlsRelay : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    backend::DevCertificate m_cert;
    QSslServer m_server;
    QByteArray m_received; // what the server decrypted, over every connection
    int m_handshakes = 0;  // connections the server saw begin

    client::TlsTrust pinned(const QByteArray &sha256) const
    {
        client::TlsTrust trust;
        trust.pinnedSha256 = sha256;
        return trust;
    }

    // A client of the relay, connected.
    static std::unique_ptr<QTcpSocket> connectTo(const client::TlsRelay &relay)
    {
        auto socket = std::make_unique<QTcpSocket>();
        socket->connectToHost(QHostAddress::LocalHost, relay.port());
        if (!socket->waitForConnected(5000)) return nullptr;
        return socket;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto cert = backend::makeDevCertificate(m_dir.path());
        QVERIFY2(cert, cert ? "" : qPrintable(cert.error().message));
        m_cert = *cert;
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificateChain(QSslCertificate::fromPath(m_cert.certFile));
        QFile keyFile(m_cert.keyFile);
        QVERIFY(keyFile.open(QIODevice::ReadOnly));
        tls.setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Ec)); // --make-dev-cert makes P-256 keys
        QVERIFY(!tls.privateKey().isNull());
        m_server.setSslConfiguration(tls);
        connect(&m_server, &QSslServer::startedEncryptionHandshake, this, [this] { ++m_handshakes; });
        connect(&m_server, &QTcpServer::pendingConnectionAvailable, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    const QByteArray bytes = socket->readAll();
                    m_received += bytes;
                    socket->write("pong:" + bytes);
                });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
        QVERIFY(m_server.listen(QHostAddress::LocalHost, 0));
    }

    void init()
    {
        m_received.clear();
        m_handshakes = 0;
    }

    void pinnedServerGetsTheBytesAndAnswers()
    {
        client::TlsRelay relay(u"localhost"_s, m_server.serverPort(), pinned(m_cert.sha256.toLatin1()));
        QVERIFY(relay.listen());
        auto socket = connectTo(relay);
        QVERIFY(socket);
        socket->write("hello"); // before the handshake ends: held, then sent
        QTRY_COMPARE(m_received, QByteArray("hello"));
        QByteArray answer;
        QTRY_VERIFY((answer += socket->readAll()) == "pong:hello");
        QVERIFY(relay.failure().isEmpty());
    }

    void refusedServerReceivesNothing_data()
    {
        QTest::addColumn<QByteArray>("pin");
        QTest::newRow("another pin") << QByteArray(32, char(0xAA)).toHex(':').toUpper();
        QTest::newRow("no pin, system CAs only") << QByteArray();
    }

    void refusedServerReceivesNothing()
    {
        QFETCH(QByteArray, pin);
        client::TlsRelay relay(u"localhost"_s, m_server.serverPort(), pinned(pin));
        QVERIFY(relay.listen());
        auto socket = connectTo(relay);
        QVERIFY(socket);
        QSignalSpy closed(socket.get(), &QTcpSocket::disconnected);
        socket->write("CONNECT with the thing key");
        QTRY_VERIFY(!closed.isEmpty());
        QVERIFY(m_handshakes >= 1);                                                     // the server was reached …
        QVERIFY2(relay.failure().contains(m_cert.sha256), qPrintable(relay.failure())); // … its certificate named …
        QCOMPARE(m_received, QByteArray());                                             // … and sent nothing
    }

    void oneConnectionOnly()
    {
        client::TlsRelay relay(u"localhost"_s, m_server.serverPort(), pinned(m_cert.sha256.toLatin1()));
        QVERIFY(relay.listen());
        auto first = connectTo(relay);
        QVERIFY(first);
        first->write("first");
        QTRY_COMPARE(m_received, QByteArray("first"));
        QTcpSocket second;
        second.connectToHost(QHostAddress::LocalHost, relay.port());
        // Refused outright (the relay stopped listening) or accepted and closed at once: never relayed.
        QTRY_VERIFY(second.state() == QAbstractSocket::UnconnectedState);
        QCOMPARE(m_received, QByteArray("first"));
    }

    void unreachableServerIsNamed()
    {
        QTcpServer closed; // a port nobody listens on any more
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        const quint16 port = closed.serverPort();
        closed.close();
        client::TlsRelay relay(u"localhost"_s, port, pinned(m_cert.sha256.toLatin1()));
        QVERIFY(relay.listen());
        auto socket = connectTo(relay);
        QVERIFY(socket);
        QSignalSpy gone(socket.get(), &QTcpSocket::disconnected);
        QTRY_VERIFY(!gone.isEmpty());
        QVERIFY2(relay.failure().contains(QString::number(port)), qPrintable(relay.failure()));
    }
};

QTEST_GUILESS_MAIN(TestTlsRelay)
#include "tst_tlsrelay.moc"
