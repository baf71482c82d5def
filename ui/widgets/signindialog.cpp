#include "signindialog.h"

#include "common.h"
#include "models/session.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTabBar>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mf::ui {

SignInDialog::SignInDialog(Session *session, QWidget *parent)
    : QDialog(parent), m_session(session), m_tabs(new QTabBar(this)), m_server(new QLabel(this)),
      m_banner(new Banner(this)), m_email(new QLineEdit(this)), m_password(new QLineEdit(this)),
      m_repeat(new QLineEdit(this)), m_repeatLabel(new QLabel(tr("&Repeat password:"), this)),
      m_hint(new QLabel(this)), m_notice(new QLabel(this)),
      m_submit(new QPushButton(this)), m_busy(new BusyIndicator(this))
{
    setWindowTitle(tr("Sign in"));
    setObjectName(u"signInDialog"_s);
    m_tabs->addTab(tr("Sign in"));
    m_tabs->addTab(tr("Create account"));
    m_server->setText(tr("Server: %1 (%2)").arg(session->profile().name, session->serverUrl()));
    m_server->setWordWrap(true);
    m_email->setPlaceholderText(tr("name@example.com"));
    m_email->setText(session->profile().email);
    m_password->setEchoMode(QLineEdit::Password);
    m_repeat->setEchoMode(QLineEdit::Password);
    m_repeatLabel->setBuddy(m_repeat);
    m_submit->setDefault(true);
    m_submit->setObjectName(u"submit"_s);
    m_hint->setObjectName(u"submitHint"_s);
    m_hint->setWordWrap(true);
    m_notice->setObjectName(u"firstAccountNotice"_s);
    m_notice->setWordWrap(true);
    m_notice->setText(tr("This server has no account yet. The account you create now is its administrator: it "
                         "manages the other users."));
    m_notice->setVisible(session->firstAccountPending());

    auto *form = new QFormLayout;
    form->addRow(tr("&E-mail:"), m_email);
    form->addRow(tr("&Password:"), m_password);
    form->addRow(m_repeatLabel, m_repeat);
    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_submit, QDialogButtonBox::AcceptRole);
    buttons->addButton(QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_submit, &QPushButton::clicked, this, &SignInDialog::submit);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs);
    layout->addWidget(m_server);
    layout->addWidget(m_notice);
    layout->addWidget(m_banner);
    layout->addLayout(form);
    // The reason a button is disabled gets a row of its own: squeezed beside the buttons it was cut off.
    layout->addWidget(m_hint);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_busy);
    bottom->addWidget(buttons, 1);
    layout->addLayout(bottom);
    setTabOrder(m_email, m_password);
    setTabOrder(m_password, m_repeat);

    connect(m_tabs, &QTabBar::currentChanged, this, &SignInDialog::updateState);
    connect(m_email, &QLineEdit::textChanged, this, &SignInDialog::updateState);
    connect(m_password, &QLineEdit::textChanged, this, &SignInDialog::updateState);
    connect(m_repeat, &QLineEdit::textChanged, this, &SignInDialog::updateState);
    connect(session, &Session::signInFailed, this, [this](const QString &message) {
        m_busy->setBusy(false);
        m_banner->showError(message);
        updateState();
    });
    connect(session, &Session::stateChanged, this, [this](Session::State state) {
        if (state == Session::State::SignedIn) accept();
        if (state == Session::State::Failed || state == Session::State::Idle) reject();
    });
    if (session->firstAccountPending()) {
        m_tabs->setCurrentIndex(1);
        m_email->setFocus();
    } else if (!m_email->text().isEmpty()) {
        m_password->setFocus();
    }
    updateState();
}

void SignInDialog::setMessage(const QString &message)
{
    m_banner->show(Banner::Kind::Warning, message);
}

void SignInDialog::setSignUp(bool signUp)
{
    m_tabs->setCurrentIndex(signUp ? 1 : 0);
}

QString SignInDialog::errorText() const
{
    return m_banner->text();
}

QString SignInDialog::hintText() const
{
    return m_hint->text();
}

QString SignInDialog::noticeText() const
{
    return m_notice->isVisible() ? m_notice->text() : QString();
}

bool SignInDialog::isSignUp() const
{
    return m_tabs->currentIndex() == 1;
}

void SignInDialog::updateState()
{
    const bool signUp = m_tabs->currentIndex() == 1;
    m_repeat->setVisible(signUp);
    m_repeatLabel->setVisible(signUp);
    m_submit->setText(signUp ? tr("Create account") : tr("Sign in"));
    setWindowTitle(signUp ? tr("Create account") : tr("Sign in"));
    const QString why = m_busy->isBusy() ? (signUp ? tr("Creating the account…") : tr("Signing in…"))
                                         : accountFormProblem(m_email->text(), m_password->text(),
                                                              signUp ? std::optional(m_repeat->text()) : std::nullopt);
    m_hint->setText(why);
    m_submit->setEnabled(why.isEmpty());
}

void SignInDialog::submit()
{
    if (!m_submit->isEnabled()) return;
    m_banner->hide();
    m_busy->setBusy(true);
    if (m_tabs->currentIndex() == 1)
        m_session->signUp(m_email->text().trimmed(), m_password->text());
    else
        m_session->signIn(m_email->text().trimmed(), m_password->text());
    updateState();
}

} // namespace mf::ui
