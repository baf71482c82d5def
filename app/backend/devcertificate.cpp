#include "devcertificate.h"

#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QSslCertificate>
#include <QSysInfo>
#include <memory>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

using namespace Qt::StringLiterals;

namespace mf::backend {

namespace {

using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using Cert = std::unique_ptr<X509, decltype(&X509_free)>;
using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;

bool addExtension(X509 *cert, X509 *issuer, int nid, const QByteArray &value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION *extension = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.constData());
    if (!extension) return false;
    const bool added = X509_add_ext(cert, extension, -1) == 1;
    X509_EXTENSION_free(extension);
    return added;
}

// A certificate for `key` named `commonName` with a random 128-bit serial; the issuer name and extensions are set by
// the caller. 825 days by default: the longest validity browsers' rules accept for a server certificate.
Cert newCertificate(EVP_PKEY *key, const QByteArray &commonName, const DevCertificateOptions &options)
{
    Cert cert(X509_new(), &X509_free);
    if (!cert) return cert;
    unsigned char serial[16];
    RAND_bytes(serial, sizeof serial);
    serial[0] &= 0x7f; // positive
    BIGNUM *number = BN_bin2bn(serial, sizeof serial, nullptr);
    BN_to_ASN1_INTEGER(number, X509_get_serialNumber(cert.get()));
    BN_free(number);
    X509_set_version(cert.get(), X509_VERSION_3);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), long(options.notBeforeSeconds));
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), long(options.notAfterSeconds));
    X509_set_pubkey(cert.get(), key);
    X509_NAME *name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char *>("Mainflux development"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char *>(commonName.constData()), -1, -1, 0);
    return cert;
}

QByteArray pem(X509 *cert)
{
    Bio bio(BIO_new(BIO_s_mem()), &BIO_free);
    PEM_write_bio_X509(bio.get(), cert);
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, qsizetype(size));
}

QByteArray pem(EVP_PKEY *key)
{
    Bio bio(BIO_new(BIO_s_mem()), &BIO_free);
    PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, qsizetype(size));
}

Result<void> writeNew(const QString &path, const QByteArray &data, QFileDevice::Permissions permissions)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, permissions))
        return fail(ErrorCode::Conflict, u"cannot create %1: %2"_s.arg(path, file.errorString()));
    if (file.write(data) != data.size() || !file.flush())
        return fail(ErrorCode::Unavailable, u"cannot write %1: %2"_s.arg(path, file.errorString()));
    return {};
}

} // namespace

Result<DevCertificate> makeDevCertificate(const QString &dirPath, const DevCertificateOptions &options)
{
    const QDir dir(dirPath);
    if (!QDir().mkpath(dir.absolutePath()))
        return fail(ErrorCode::Unavailable, u"cannot create %1"_s.arg(dir.absolutePath()));
    DevCertificate out;
    out.caFile = dir.absoluteFilePath(u"ca.pem"_s);
    out.certFile = dir.absoluteFilePath(u"cert.pem"_s);
    out.keyFile = dir.absoluteFilePath(u"key.pem"_s);
    for (const QString &path : {out.caFile, out.certFile, out.keyFile})
        if (QFile::exists(path))
            return fail(ErrorCode::Conflict, u"%1 already exists: remove it or choose another directory"_s.arg(path));

    out.names = QStringList{u"localhost"_s, u"127.0.0.1"_s, u"::1"_s};
    const QString host = QSysInfo::machineHostName();
    if (!host.isEmpty() && !out.names.contains(host)) out.names.append(host);
    for (const QString &name : options.extraNames)
        if (!name.isEmpty() && !out.names.contains(name)) out.names.append(name);
    QStringList alternatives;
    for (const QString &name : std::as_const(out.names))
        alternatives.append((QHostAddress(name).isNull() ? u"DNS:"_s : u"IP:"_s) + name);

    const Key caKey(EVP_EC_gen("P-256"), &EVP_PKEY_free);
    const Key serverKey(EVP_EC_gen("P-256"), &EVP_PKEY_free);
    if (!caKey || !serverKey) return fail(ErrorCode::Internal, u"OpenSSL could not generate an EC key"_s);

    const Cert ca = newCertificate(caKey.get(), "Mainflux development CA (" + host.toUtf8() + ')', options);
    const Cert server = newCertificate(serverKey.get(), "localhost", options);
    if (!ca || !server) return fail(ErrorCode::Internal, u"OpenSSL could not create a certificate"_s);
    X509_set_issuer_name(ca.get(), X509_get_subject_name(ca.get()));
    X509_set_issuer_name(server.get(), X509_get_subject_name(ca.get()));
    const bool extended =
        addExtension(ca.get(), ca.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0") &&
        addExtension(ca.get(), ca.get(), NID_key_usage, "critical,keyCertSign,cRLSign") &&
        addExtension(ca.get(), ca.get(), NID_subject_key_identifier, "hash") &&
        addExtension(server.get(), ca.get(), NID_basic_constraints, "critical,CA:FALSE") &&
        addExtension(server.get(), ca.get(), NID_key_usage, "critical,digitalSignature,keyEncipherment") &&
        addExtension(server.get(), ca.get(), NID_ext_key_usage, "serverAuth") &&
        addExtension(server.get(), ca.get(), NID_subject_alt_name, alternatives.join(u',').toUtf8()) &&
        addExtension(server.get(), ca.get(), NID_authority_key_identifier, "keyid");
    if (!extended) return fail(ErrorCode::Internal, u"OpenSSL refused a certificate extension"_s);
    if (X509_sign(ca.get(), caKey.get(), EVP_sha256()) <= 0 || X509_sign(server.get(), caKey.get(), EVP_sha256()) <= 0)
        return fail(ErrorCode::Internal, u"OpenSSL could not sign the certificates"_s);

    const QByteArray serverPem = pem(server.get());
    if (auto written = writeNew(out.keyFile, pem(serverKey.get()), QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        !written)
        return std::unexpected(written.error());
    const auto readable =
        QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther;
    if (auto written = writeNew(out.certFile, serverPem, readable); !written) return std::unexpected(written.error());
    if (auto written = writeNew(out.caFile, pem(ca.get()), readable); !written) return std::unexpected(written.error());
    out.sha256 = QString::fromLatin1(
        QSslCertificate(serverPem, QSsl::Pem).digest(QCryptographicHash::Sha256).toHex(':').toUpper());
    return out;
}

} // namespace mf::backend
