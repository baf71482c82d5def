#include "servertls.h"

#include <QDateTime>
#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <memory>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

using namespace Qt::StringLiterals;

namespace mf::api {

namespace {

Result<QByteArray> readFile(const QString &setting, const QString &path)
{
    if (path.trimmed().isEmpty())
        return fail(ErrorCode::Malformed, u"%1 is empty: give the path of a PEM file"_s.arg(setting));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(ErrorCode::Malformed, u"%1: cannot read %2: %3"_s.arg(setting, path, file.errorString()));
    return file.readAll();
}

// Whether the private key in keyPem is the one of the first certificate in certPem (Qt has no such check).
bool keyMatches(const QByteArray &certPem, const QByteArray &keyPem)
{
    const std::unique_ptr<BIO, decltype(&BIO_free)> certBio(BIO_new_mem_buf(certPem.constData(), int(certPem.size())),
                                                            &BIO_free);
    const std::unique_ptr<BIO, decltype(&BIO_free)> keyBio(BIO_new_mem_buf(keyPem.constData(), int(keyPem.size())),
                                                           &BIO_free);
    const std::unique_ptr<X509, decltype(&X509_free)> cert(PEM_read_bio_X509(certBio.get(), nullptr, nullptr, nullptr),
                                                           &X509_free);
    // An empty passphrase callback result: an encrypted key fails here instead of prompting on the terminal.
    const auto noPassphrase = [](char *, int, int, void *) { return 0; };
    const std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
        PEM_read_bio_PrivateKey(keyBio.get(), nullptr, noPassphrase, nullptr), &EVP_PKEY_free);
    return cert && key && X509_check_private_key(cert.get(), key.get()) == 1;
}

QSslKey parseKey(const QByteArray &pem)
{
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Ec, QSsl::Rsa, QSsl::Dsa}) {
        QSslKey key(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull()) return key;
    }
    // Ed25519 and other keys Qt cannot classify: handed to the TLS backend as they are.
    const std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.constData(), int(pem.size())), &BIO_free);
    const auto noPassphrase = [](char *, int, int, void *) { return 0; };
    EVP_PKEY *raw = PEM_read_bio_PrivateKey(bio.get(), nullptr, noPassphrase, nullptr);
    if (!raw) return {};
    return QSslKey(Qt::HANDLE(raw), QSsl::PrivateKey); // takes ownership
}

} // namespace

Result<ServerTls> loadServerTls(const QString &certFile, const QString &keyFile, const QString &certSetting,
                                const QString &keySetting)
{
    auto certPem = readFile(certSetting, certFile);
    if (!certPem) return std::unexpected(certPem.error());
    auto keyPem = readFile(keySetting, keyFile);
    if (!keyPem) return std::unexpected(keyPem.error());

    const QList<QSslCertificate> chain = QSslCertificate::fromData(*certPem, QSsl::Pem);
    if (chain.isEmpty() || chain.first().isNull())
        return fail(ErrorCode::Malformed,
                    u"%1: %2 holds no PEM certificate (-----BEGIN CERTIFICATE-----)"_s.arg(certSetting, certFile));
    if (keyPem->contains("ENCRYPTED"))
        return fail(ErrorCode::Malformed, u"%1: %2 is encrypted with a passphrase; give an unencrypted key "
                                          "(readable only by the backend's user)"_s.arg(keySetting, keyFile));
    const QSslKey key = parseKey(*keyPem);
    if (key.isNull())
        return fail(ErrorCode::Malformed,
                    u"%1: %2 holds no PEM private key (-----BEGIN PRIVATE KEY-----)"_s.arg(keySetting, keyFile));
    if (!keyMatches(*certPem, *keyPem))
        return fail(ErrorCode::Malformed,
                    u"%1: %2 is not the private key of the certificate in %3"_s.arg(keySetting, keyFile, certFile));
    const QSslCertificate &leaf = chain.first();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (leaf.expiryDate() < now)
        return fail(ErrorCode::Malformed, u"%1: the certificate in %2 expired on %3"_s.arg(
                                              certSetting, certFile, leaf.expiryDate().toString(Qt::ISODate)));
    if (leaf.effectiveDate() > now)
        return fail(ErrorCode::Malformed, u"%1: the certificate in %2 is not valid before %3"_s.arg(
                                              certSetting, certFile, leaf.effectiveDate().toString(Qt::ISODate)));

    ServerTls tls;
    tls.certFile = certFile;
    tls.keyFile = keyFile;
    tls.configuration = QSslConfiguration::defaultConfiguration();
    tls.configuration.setLocalCertificateChain(chain);
    tls.configuration.setPrivateKey(key);
    tls.configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    tls.configuration.setProtocol(QSsl::TlsV1_2OrLater);
    tls.sha256 = leaf.digest(QCryptographicHash::Sha256).toHex(':').toUpper();
    return tls;
}

} // namespace mf::api
