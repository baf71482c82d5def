#pragma once

#include <QDialog>
#include <QSslCertificate>

class QLabel;
class QPushButton;

namespace mf::ui {

// Trust on first use: a server's certificate that no trusted authority signed, shown with what identifies it
// (SHA-256 fingerprint, subject, issuer, validity) so the user can compare it with what the server's administrator
// gives; "Trust" accepts, and the caller pins the fingerprint in the profile.
// With `pinned` set the certificate *changed*: a warning names both fingerprints, Cancel is the default, and
// "Trust the new certificate…" asks a second time before it accepts.
class CertificateDialog final : public QDialog
{
    Q_OBJECT

public:
    CertificateDialog(const QString &server, const QSslCertificate &certificate, const QByteArray &pinned,
                      QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(CertificateDialog)

    QSslCertificate certificate() const { return m_certificate; }
    bool isChange() const { return !m_pinned.isEmpty(); }
    // For tests: what the user reads.
    QString headingText() const;
    QString messageText() const;
    QString fingerprintText() const;
    QString detailsText() const; // subject, issuer and validity
    QPushButton *trustButton() const { return m_trust; }
    QPushButton *cancelButton() const { return m_cancel; }

private:
    void onTrust();

    QSslCertificate m_certificate;
    QByteArray m_pinned;
    QLabel *m_heading;
    QLabel *m_message;
    QLabel *m_fingerprint;
    QLabel *m_subject;
    QLabel *m_issuer;
    QLabel *m_validity;
    QPushButton *m_trust;
    QPushButton *m_cancel;
    bool m_confirming = false;
};

} // namespace mf::ui
