#include "certificatedialog.h"

#include "client/tlstrust.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mf::ui {

namespace {

// "CN=…, O=…" of a subject or issuer, in the order the certificate names them.
QString distinguishedName(const QSslCertificate &certificate, bool issuer)
{
    QStringList parts;
    const QList<QByteArray> attributes =
        issuer ? certificate.issuerInfoAttributes() : certificate.subjectInfoAttributes();
    for (const QByteArray &attribute : attributes) {
        const QStringList values = issuer ? certificate.issuerInfo(attribute) : certificate.subjectInfo(attribute);
        for (const QString &value : values)
            parts.append(QString::fromLatin1(attribute) + u'=' + value);
    }
    return parts.join(u", "_s);
}

QLabel *selectable(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

CertificateDialog::CertificateDialog(const QString &server, const QSslCertificate &certificate,
                                     const QByteArray &pinned, QWidget *parent)
    : QDialog(parent), m_certificate(certificate), m_pinned(pinned), m_heading(new QLabel(this)),
      m_message(selectable(this)), m_fingerprint(selectable(this)), m_subject(selectable(this)),
      m_issuer(selectable(this)), m_validity(selectable(this))
{
    const QString seen = QString::fromLatin1(client::sha256Fingerprint(certificate));
    QFont big = m_heading->font();
    big.setPointSizeF(big.pointSizeF() * 1.25);
    big.setBold(true);
    m_heading->setFont(big);
    m_heading->setWordWrap(true);
    m_fingerprint->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_fingerprint->setText(seen);
    m_subject->setText(distinguishedName(certificate, false));
    m_issuer->setText(distinguishedName(certificate, true));
    const QLocale locale;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QString validity = tr("%1 to %2")
                           .arg(locale.toString(certificate.effectiveDate().toLocalTime(), QLocale::ShortFormat),
                                locale.toString(certificate.expiryDate().toLocalTime(), QLocale::ShortFormat));
    if (certificate.expiryDate() < now)
        validity += u' ' + tr("(expired)");
    else if (certificate.effectiveDate() > now)
        validity += u' ' + tr("(not yet valid)");
    m_validity->setText(validity);

    auto *buttons = new QDialogButtonBox(this);
    m_cancel = buttons->addButton(QDialogButtonBox::Cancel);
    if (isChange()) {
        setWindowTitle(tr("Server certificate changed"));
        m_heading->setText(tr("⚠ The certificate of %1 has changed").arg(server));
        m_message->setText(
            tr("You trusted the certificate with SHA-256 fingerprint\n%1\nThe server now presents\n%2\n\nIf its "
               "administrator did not replace the certificate, someone may be intercepting the connection: cancel, "
               "and ask them.")
                .arg(QString::fromLatin1(pinned), seen));
        m_trust = buttons->addButton(tr("Trust the new certificate…"), QDialogButtonBox::AcceptRole);
        m_cancel->setDefault(true);
        m_cancel->setFocus();
    } else {
        setWindowTitle(tr("Unverified server certificate"));
        m_heading->setText(tr("Do you trust the certificate of %1?").arg(server));
        m_message->setText(tr("No certificate authority this computer trusts has signed it (a self-signed or lab "
                              "certificate). Compare its fingerprint with the one the server's administrator gives "
                              "you (mainflux-backend prints it when it starts). Once trusted, this profile accepts "
                              "exactly this certificate and refuses any other."));
        m_trust = buttons->addButton(tr("Trust"), QDialogButtonBox::AcceptRole);
    }
    connect(m_trust, &QPushButton::clicked, this, &CertificateDialog::onTrust);
    connect(m_cancel, &QPushButton::clicked, this, &QDialog::reject);

    auto *form = new QFormLayout;
    form->addRow(tr("SHA-256 fingerprint:"), m_fingerprint);
    form->addRow(tr("Subject:"), m_subject);
    form->addRow(tr("Issuer:"), m_issuer);
    form->addRow(tr("Valid:"), m_validity);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_heading);
    layout->addWidget(m_message);
    layout->addLayout(form);
    layout->addStretch();
    layout->addWidget(buttons);
    resize(640, sizeHint().height());
}

void CertificateDialog::onTrust()
{
    if (!isChange() || m_confirming) {
        accept();
        return;
    }
    // The second confirmation of a changed certificate, in place: a click that slipped is not enough.
    m_confirming = true;
    m_heading->setText(tr("Really trust the new certificate?"));
    m_message->setText(tr("From now on this profile accepts only the certificate\n%1\nand refuses the one you "
                          "trusted before. Do this only when the server's administrator confirmed this fingerprint.")
                           .arg(fingerprintText()));
    m_trust->setText(tr("Yes, trust the new certificate"));
}

QString CertificateDialog::headingText() const
{
    return m_heading->text();
}

QString CertificateDialog::messageText() const
{
    return m_message->text();
}

QString CertificateDialog::fingerprintText() const
{
    return m_fingerprint->text();
}

QString CertificateDialog::detailsText() const
{
    return m_subject->text() + u'\n' + m_issuer->text() + u'\n' + m_validity->text();
}

} // namespace mf::ui
