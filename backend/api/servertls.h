#pragma once

#include "core/error.h"

#include <QSslConfiguration>
#include <QString>

namespace mf::api {

// The server side of TLS for every listener that speaks it (REST, HTTP adapter, WebSocket, MQTT over WebSocket):
// the certificate chain and private key of MF_TLS_CERT / MF_TLS_KEY, read and checked once at start so that a bad
// file stops the backend with a message naming it instead of failing each handshake later.
//
// Checks: both files readable; the certificate file holds at least one PEM certificate (the first is the server's,
// the rest its chain); the key file holds an unencrypted PEM private key (RSA, EC or Ed25519) that belongs to the
// first certificate; that certificate is valid now (not expired, not before its start). TLS 1.2 or later; clients
// are not asked for certificates.
struct ServerTls
{
    QString certFile;
    QString keyFile;
    QSslConfiguration configuration;
    QByteArray sha256; // the server certificate's SHA-256 fingerprint, hex with colons (what clients pin)
};

// certSetting / keySetting: the settings the files came from, named in every error (a per-protocol override such as
// MF_MQTT_TLS_CERT, or MF_TLS_CERT / MF_TLS_KEY).
Result<ServerTls> loadServerTls(const QString &certFile, const QString &keyFile,
                                const QString &certSetting = QStringLiteral("MF_TLS_CERT"),
                                const QString &keySetting = QStringLiteral("MF_TLS_KEY"));

} // namespace mf::api
