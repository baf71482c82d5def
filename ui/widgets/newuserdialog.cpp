#include "newuserdialog.h"

#include "common.h"
#include "models/session.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mf::ui {

NewUserDialog::NewUserDialog(Session *session, QWidget *parent)
    : QDialog(parent), m_session(session), m_banner(new Banner(this)), m_email(new QLineEdit(this)),
      m_password(new QLineEdit(this)), m_repeat(new QLineEdit(this)), m_hint(new QLabel(this)),
      m_create(new QPushButton(tr("Create"), this)), m_busy(new BusyIndicator(this))
{
    setWindowTitle(tr("New user"));
    setObjectName(u"newUserDialog"_s);
    m_email->setPlaceholderText(tr("name@example.com"));
    m_password->setEchoMode(QLineEdit::Password);
    m_repeat->setEchoMode(QLineEdit::Password);
    m_hint->setObjectName(u"submitHint"_s);
    m_hint->setWordWrap(true);
    m_create->setDefault(true);

    auto *form = new QFormLayout;
    form->addRow(tr("&E-mail:"), m_email);
    form->addRow(tr("Initial &password:"), m_password);
    form->addRow(tr("&Repeat password:"), m_repeat);
    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_create, QDialogButtonBox::AcceptRole);
    buttons->addButton(QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_create, &QPushButton::clicked, this, &NewUserDialog::submit);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addLayout(form);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_hint, 1);
    bottom->addWidget(m_busy);
    bottom->addWidget(buttons);
    layout->addLayout(bottom);
    for (QLineEdit *edit : {m_email, m_password, m_repeat})
        connect(edit, &QLineEdit::textChanged, this, &NewUserDialog::updateState);
    updateState();
}

QString NewUserDialog::hintText() const
{
    return m_hint->text();
}

QString NewUserDialog::errorText() const
{
    return m_banner->isVisible() ? m_banner->text() : QString();
}

void NewUserDialog::updateState()
{
    const QString why = m_busy->isBusy() ? tr("Creating the account…")
                                         : accountFormProblem(m_email->text(), m_password->text(), m_repeat->text());
    m_hint->setText(why);
    m_create->setEnabled(why.isEmpty());
}

void NewUserDialog::submit()
{
    if (!m_create->isEnabled() || !m_session->client()) return;
    m_banner->hide();
    m_busy->setBusy(true);
    updateState();
    const QString email = m_email->text().trimmed();
    m_session->client()->createUser(email, m_password->text()).then(this, [this](const Result<User> &user) {
        m_busy->setBusy(false);
        updateState();
        if (!user) {
            m_banner->showError(tr("Could not create the account: %1").arg(user.error().message));
            return; // the input stays: correct it and create again
        }
        m_created = user->email;
        accept();
    });
}

} // namespace mf::ui
