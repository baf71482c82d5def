#include "profiledialog.h"

#include "client/restclient.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mf::ui {

ProfileDialog::ProfileDialog(const Profile &profile, QWidget *parent)
    : QDialog(parent), m_profile(profile), m_name(new QLineEdit(profile.name, this)),
      m_url(new QLineEdit(profile.url.toString(), this)), m_liveUrl(new QLineEdit(profile.liveUrl.toString(), this)),
      m_caFile(new QLineEdit(profile.caFile, this)), m_result(new QLabel(this))
{
    setWindowTitle(tr("Remote server"));
    m_url->setPlaceholderText(u"http://mainflux.example.com:8180"_s);
    m_liveUrl->setPlaceholderText(tr("optional, e.g. ws://mainflux.example.com:8186"));
    m_caFile->setPlaceholderText(tr("optional: PEM file of your own CA (the system's CAs are always trusted)"));
    auto *browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("CA certificate"), m_caFile->text(),
                                                          tr("PEM certificates (*.pem *.crt);;All files (*)"));
        if (!file.isEmpty()) m_caFile->setText(file);
    });
    auto *caRow = new QHBoxLayout;
    caRow->addWidget(m_caFile, 1);
    caRow->addWidget(browse);
    m_result->setWordWrap(true);
    auto *checkButton = new QPushButton(tr("Check"), this);
    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&URL:"), m_url);
    form->addRow(tr("&Live stream URL:"), m_liveUrl);
    form->addRow(tr("&CA file:"), caRow);
    form->addRow(checkButton, m_result);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(checkButton, &QPushButton::clicked, this, &ProfileDialog::check);
    auto update = [this] {
        const QUrl url = QUrl::fromUserInput(m_url->text());
        m_ok->setEnabled(!m_name->text().trimmed().isEmpty() && url.isValid() && !m_url->text().isEmpty());
    };
    connect(m_name, &QLineEdit::textChanged, this, update);
    connect(m_url, &QLineEdit::textChanged, this, update);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
    update();
    resize(520, sizeHint().height());
}

Profile ProfileDialog::profile() const
{
    Profile p = m_profile;
    p.kind = Profile::Kind::Remote;
    p.name = m_name->text().trimmed();
    p.url = QUrl::fromUserInput(m_url->text().trimmed());
    p.liveUrl = m_liveUrl->text().trimmed().isEmpty() ? QUrl() : QUrl(m_liveUrl->text().trimmed());
    p.caFile = m_caFile->text().trimmed();
    if (p.url != m_profile.url) p.pinnedSha256.clear(); // another server: its certificate is asked about anew
    return p;
}

void ProfileDialog::check()
{
    const auto trust = tlsTrust(profile());
    if (!trust) {
        m_result->setText(tr("✘ %1").arg(trust.error().message));
        return;
    }
    auto *client = new client::RestClient(profile().url, this);
    client->setTrust(*trust);
    client->setTimeout(5000);
    connect(client, &client::RestClient::certificateRefused, this, [this](const QSslCertificate &certificate) {
        m_refused = QString::fromLatin1(client::sha256Fingerprint(certificate));
    });
    m_refused.clear();
    m_result->setText(tr("Checking…"));
    client->health().then(this, [this, client](const Result<QJsonObject> &health) {
        if (!health && !m_refused.isEmpty() && profile().pinnedSha256.isEmpty()) {
            m_result->setText(tr("No authority this computer trusts has signed its certificate (SHA-256 %1): you "
                                 "will be asked whether to trust it when you connect.")
                                  .arg(m_refused));
            client->deleteLater();
            return;
        }
        if (!health) {
            m_result->setText(tr("✘ %1").arg(health.error().message));
            client->deleteLater();
            return;
        }
        client->version().then(this, [this, client](const Result<QJsonObject> &version) {
            m_result->setText(
                version ? tr("✔ %1 %2 answers")
                              .arg(version->value("service"_L1).toString(), version->value("version"_L1).toString())
                        : tr("✘ /version: %1").arg(version.error().message));
            client->deleteLater();
        });
    });
}

} // namespace mf::ui
