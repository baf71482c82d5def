#pragma once

#include "core/error.h"

#include <QString>
#include <QStringList>

namespace mf::backend {

// What makeDevCertificate wrote.
struct DevCertificate
{
    QString caFile;    // the CA certificate clients trust (curl --cacert, mosquitto_pub --cafile, mainflux-cli --ca)
    QString certFile;  // MF_TLS_CERT
    QString keyFile;   // MF_TLS_KEY (0600)
    QStringList names; // the subject alternative names of the server certificate
    QString sha256;    // the server certificate's fingerprint
};

struct DevCertificateOptions
{
    QStringList extraNames;                     // more host names or addresses for the server certificate
    qint64 notBeforeSeconds = -3600;            // validity start relative to now (an hour back: clock skew)
    qint64 notAfterSeconds = 825LL * 24 * 3600; // validity end relative to now (tests make expired pairs)
};

// A certificate pair for labs and tests (`mainflux-backend --make-dev-cert DIR`): a throw-away CA (its key is never
// written, so it can sign nothing else) and a server certificate it signed for localhost, 127.0.0.1, ::1 and this
// machine's host name, both EC P-256, valid 825 days. Writes DIR/ca.pem, DIR/cert.pem and DIR/key.pem (mode 0600),
// creating DIR; refuses to overwrite any of them. OpenSSL's C API: no openssl executable needed.
Result<DevCertificate> makeDevCertificate(const QString &dir, const DevCertificateOptions &options = {});

} // namespace mf::backend
