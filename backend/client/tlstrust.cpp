#include "tlstrust.h"

#include <QNetworkReply>
#include <QSslSocket>
#include <QWebSocket>

namespace mf::client {

QSslConfiguration TlsTrust::configuration() const
{
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    // With a pin no CA vouches for anything: every handshake then reports its certificate through sslErrors, where
    // the pin is compared before a single byte (a token in a URL) goes out.
    if (!pinnedSha256.isEmpty() && !insecure)
        tls.setCaCertificates({});
    else if (!caCertificates.isEmpty())
        tls.addCaCertificates(caCertificates);
    return tls;
}

QByteArray sha256Fingerprint(const QSslCertificate &certificate)
{
    return certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper();
}

namespace {

// The decision for a handshake that did not verify against the configured CAs: true = go on.
bool accept(const TlsTrust &trust, const QSslCertificate &peer)
{
    if (trust.insecure) return true;
    return !trust.pinnedSha256.isEmpty() && !peer.isNull() && sha256Fingerprint(peer) == trust.pinnedSha256;
}

QSslCertificate peerOf(const QSslConfiguration &tls, const QList<QSslError> &errors)
{
    if (!tls.peerCertificate().isNull()) return tls.peerCertificate();
    for (const QSslError &error : errors)
        if (!error.certificate().isNull()) return error.certificate();
    return QSslCertificate();
}

} // namespace

void applyTrust(QNetworkReply *reply, const TlsTrust &trust, const CertificateRefused &refused)
{
#if QT_CONFIG(ssl)
    QObject::connect(reply, &QNetworkReply::sslErrors, reply, [reply, trust, refused](const QList<QSslError> &errors) {
        const QSslCertificate peer = peerOf(reply->sslConfiguration(), errors);
        if (accept(trust, peer))
            reply->ignoreSslErrors();
        else if (refused)
            refused(peer);
    });
    if (trust.pinnedSha256.isEmpty() || trust.insecure) return;
    QObject::connect(reply, &QNetworkReply::encrypted, reply, [reply, trust, refused] {
        const QSslCertificate peer = reply->sslConfiguration().peerCertificate();
        if (sha256Fingerprint(peer) == trust.pinnedSha256) return;
        if (refused) refused(peer);
        reply->abort();
    });
#else
    Q_UNUSED(reply);
    Q_UNUSED(trust);
    Q_UNUSED(refused);
#endif
}

namespace {

// QWebSocket and QSslSocket: the same configuration and decision (their sslErrors signals differ only in type).
template <typename Socket>
void applySocketTrust(Socket *socket, const TlsTrust &trust, const CertificateRefused &refused)
{
#if QT_CONFIG(ssl)
    socket->setSslConfiguration(trust.configuration());
    QObject::connect(socket, &Socket::sslErrors, socket, [socket, trust, refused](const QList<QSslError> &errors) {
        const QSslCertificate peer = peerOf(socket->sslConfiguration(), errors);
        if (accept(trust, peer))
            socket->ignoreSslErrors();
        else if (refused)
            refused(peer);
    });
#else
    Q_UNUSED(socket);
    Q_UNUSED(trust);
    Q_UNUSED(refused);
#endif
}

} // namespace

void applyTrust(QWebSocket *socket, const TlsTrust &trust, const CertificateRefused &refused)
{
    applySocketTrust(socket, trust, refused);
}

void applyTrust(QSslSocket *socket, const TlsTrust &trust, const CertificateRefused &refused)
{
    applySocketTrust(socket, trust, refused);
}

} // namespace mf::client
