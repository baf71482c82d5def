#pragma once

#include <QList>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <functional>

class QNetworkReply;
class QSslSocket;
class QWebSocket;

namespace mf::client {

// Which servers a client believes, for every connection it makes to one backend (REST, WebSocket streams,
// WebSocket publishing): the system's CAs plus `caCertificates`, or, with a pin, exactly the certificate with
// that SHA-256 fingerprint (self-signed or not; a certificate a CA vouches for is refused too when it is not the
// pinned one: the pin is what the user agreed to). `insecure` accepts any certificate (mainflux-cli --insecure).
struct TlsTrust
{
    QList<QSslCertificate> caCertificates;
    QByteArray pinnedSha256; // upper-case hex with colons, as sha256Fingerprint() and `--make-dev-cert` print it
    bool insecure = false;

    // The default configuration (system CAs) with caCertificates added.
    QSslConfiguration configuration() const;
};

// "AB:CD:…" (32 upper-case hex pairs), the form the backend's ready line (tls.sha256) prints.
QByteArray sha256Fingerprint(const QSslCertificate &certificate);

// Called with the server's certificate when a handshake was refused because of it: it did not verify and no pin
// matched it, or it is not the pinned one. The connection fails as well; this says what was seen.
using CertificateRefused = std::function<void(const QSslCertificate &certificate)>;

// Applies `trust` to a request or socket before it connects: the CA list, ignoring the verification errors of the
// pinned certificate (or of any, when insecure), and aborting a connection to any other certificate than the pinned
// one even when it verifies. `refused` may be empty.
void applyTrust(QNetworkReply *reply, const TlsTrust &trust, const CertificateRefused &refused);
void applyTrust(QWebSocket *socket, const TlsTrust &trust, const CertificateRefused &refused);
void applyTrust(QSslSocket *socket, const TlsTrust &trust, const CertificateRefused &refused);

} // namespace mf::client
