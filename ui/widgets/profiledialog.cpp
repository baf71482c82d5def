#include "profiledialog.h"

#include "client/restclient.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mf::ui {

ProfileDialog::ProfileDialog(const Profile &profile, QWidget *parent)
    : QDialog(parent), m_profile(profile), m_name(new QLineEdit(profile.name, this)),
      m_url(new QLineEdit(profile.url.toString(), this)), m_liveUrl(new QLineEdit(profile.liveUrl.toString(), this)),
      m_insecure(new QCheckBox(tr("Accept self-signed TLS certificates"), this)), m_result(new QLabel(this))
{
    setWindowTitle(tr("Remote server"));
    m_url->setPlaceholderText(u"http://mainflux.example.com:8180"_s);
    m_liveUrl->setPlaceholderText(tr("optional, e.g. ws://mainflux.example.com:8186"));
    m_insecure->setChecked(profile.insecure);
    m_result->setWordWrap(true);
    auto *checkButton = new QPushButton(tr("Check"), this);
    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&URL:"), m_url);
    form->addRow(tr("&Live stream URL:"), m_liveUrl);
    form->addRow(QString(), m_insecure);
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
    p.insecure = m_insecure->isChecked();
    return p;
}

void ProfileDialog::check()
{
    auto *client = new client::RestClient(profile().url, this);
    client->setInsecure(m_insecure->isChecked());
    client->setTimeout(5000);
    m_result->setText(tr("Checking…"));
    client->health().then(this, [this, client](const Result<QJsonObject> &health) {
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
