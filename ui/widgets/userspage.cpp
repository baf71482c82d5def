#include "userspage.h"

#include "client/restclient.h"
#include "common.h"
#include "newuserdialog.h"
#include "models/session.h"
#include "models/usersmodel.h"

#include <QAction>
#include <QFormLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mf::ui {

UsersPage::UsersPage(Session *session, QWidget *parent)
    : DashboardPage(session, parent), m_model(new UsersModel(this)), m_banner(new Banner(this)),
      m_adminBox(new QGroupBox(tr("All accounts"), this)), m_notAdmin(new QLabel(this)), m_view(new QTableView(this)),
      m_filter(new QLineEdit(this)), m_me(new QLabel(this)), m_oldPassword(new QLineEdit(this)),
      m_newPassword(new QLineEdit(this))
{
    setObjectName(u"usersPage"_s);
    auto *toolbar = new QToolBar(this);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_new = toolbar->addAction(tr("New user…"), this, &UsersPage::newItem);
    m_toggle = toolbar->addAction(tr("Disable"), this, &UsersPage::toggleEnabled);
    m_delete = toolbar->addAction(tr("Delete"), this, &UsersPage::deleteSelected);
    m_reset = toolbar->addAction(tr("Reset password…"), this, &UsersPage::resetPassword);
    toolbar->addAction(tr("Refresh"), this, &UsersPage::refresh)->setToolTip(tr("Reload (F5)"));
    auto *spacer = new QWidget(toolbar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    toolbar->addWidget(spacer);
    m_filter->setPlaceholderText(tr("Filter by e-mail… (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setMaximumWidth(260);
    toolbar->addWidget(m_filter);

    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->resizeSection(UsersModel::EmailColumn, 240);
    auto *adminLayout = new QVBoxLayout(m_adminBox);
    adminLayout->addWidget(toolbar);
    adminLayout->addWidget(m_view);
    m_notAdmin->setText(tr("Only administrators see and manage all accounts."));
    m_notAdmin->setWordWrap(true);

    auto *meBox = new QGroupBox(tr("My account"), this);
    m_oldPassword->setEchoMode(QLineEdit::Password);
    m_newPassword->setEchoMode(QLineEdit::Password);
    m_newPassword->setPlaceholderText(tr("at least 8 characters"));
    auto *change = new QPushButton(tr("Change password"), meBox);
    auto *meLayout = new QFormLayout(meBox);
    meLayout->addRow(m_me);
    meLayout->addRow(tr("Current password:"), m_oldPassword);
    meLayout->addRow(tr("New password:"), m_newPassword);
    meLayout->addRow(QString(), change);
    connect(change, &QPushButton::clicked, this, &UsersPage::changePassword);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_banner);
    layout->addWidget(meBox);
    layout->addWidget(m_notAdmin);
    layout->addWidget(m_adminBox, 1);

    connect(m_filter, &QLineEdit::textChanged, m_model, &PagedTableModel::setFilter);
    connect(m_model, &PagedTableModel::errorOccurred, this, [this](const QString &m) { m_banner->showError(m); });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &UsersPage::updateActions);
    connect(m_model, &QAbstractItemModel::modelReset, this, &UsersPage::updateActions);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &UsersPage::updateActions);
    updateActions();
}

void UsersPage::refresh()
{
    m_banner->hide();
    const User me = session()->user();
    m_me->setText(
        tr("Signed in as <b>%1</b> (%2)").arg(me.email.toHtmlEscaped(), me.admin ? tr("administrator") : tr("user")));
    m_adminBox->setVisible(me.admin);
    m_notAdmin->setVisible(!me.admin);
    if (!me.admin) return;
    if (m_model->client() != session()->client())
        m_model->setClient(session()->client());
    else
        m_model->reload();
}

void UsersPage::focusFilter()
{
    m_filter->setFocus();
}

User UsersPage::selectedUser() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? User{} : m_model->userAt(rows.first().row());
}

void UsersPage::updateActions()
{
    const User user = selectedUser();
    const bool self = user.id == session()->user().id;
    m_toggle->setEnabled(!user.id.isEmpty() && !self);
    m_toggle->setText(user.enabled ? tr("Disable") : tr("Enable"));
    m_delete->setEnabled(!user.id.isEmpty() && !self);
    m_reset->setEnabled(!user.id.isEmpty());
    // A disabled action says why (its tooltip, shown on hover of the greyed button).
    const QString why = user.id.isEmpty() ? tr("Select an account first") : self ? tr("Not your own account") : QString();
    m_toggle->setToolTip(why.isEmpty() ? (user.enabled ? tr("Disable the account: it can no longer sign in")
                                                       : tr("Enable the account"))
                                       : why);
    m_delete->setToolTip(why.isEmpty() ? tr("Delete the account") : why);
    m_reset->setToolTip(user.id.isEmpty() ? tr("Select an account first") : tr("Set a new password for the account"));
}

void UsersPage::newItem()
{
    if (!session()->user().admin) return;
    auto *dialog = new NewUserDialog(session(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        Q_EMIT statusMessage(tr("Account %1 created").arg(dialog->createdEmail()));
        m_model->reload();
    });
    dialog->open();
}

void UsersPage::toggleEnabled()
{
    const User user = selectedUser();
    if (user.id.isEmpty()) return;
    session()->client()->setUserEnabled(user.id, !user.enabled).then(this, [this](const Result<User> &updated) {
        if (!updated) {
            m_banner->showError(updated.error().message);
            return;
        }
        m_model->replaceUser(*updated);
        Q_EMIT statusMessage(updated->enabled ? tr("%1 enabled").arg(updated->email)
                                              : tr("%1 disabled; their tokens stop working").arg(updated->email));
    });
}

void UsersPage::deleteSelected()
{
    const User user = selectedUser();
    if (user.id.isEmpty() || user.id == session()->user().id) return;
    if (QMessageBox::warning(
            this, tr("Delete account"),
            tr("Delete the account %1 with all its things and channels? This cannot be undone.").arg(user.email),
            QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel) != QMessageBox::Yes)
        return;
    session()->client()->removeUser(user.id).then(this, [this, user](const Result<void> &r) {
        if (!r) {
            m_banner->showError(r.error().message);
            return;
        }
        m_model->removeIds({user.id});
        Q_EMIT statusMessage(tr("Account %1 deleted").arg(user.email));
    });
}

void UsersPage::resetPassword()
{
    const User user = selectedUser();
    if (user.id.isEmpty()) return;
    bool ok = false;
    const QString password = QInputDialog::getText(
        this, tr("Reset password"), tr("New password for %1:").arg(user.email), QLineEdit::Password, {}, &ok);
    if (!ok) return;
    session()->client()->resetPassword(user.id, password).then(this, [this, user](const Result<void> &r) {
        if (!r) {
            m_banner->showError(r.error().message);
            return;
        }
        Q_EMIT statusMessage(tr("Password of %1 reset").arg(user.email));
    });
}

void UsersPage::changePassword()
{
    session()
        ->client()
        ->changePassword(m_oldPassword->text(), m_newPassword->text())
        .then(this, [this](const Result<void> &r) {
            if (!r) {
                m_banner->showError(tr("Password not changed: %1").arg(r.error().message));
                return;
            }
            // The change ends every token of the account, this one too: sign in again with the new password.
            const QString password = m_newPassword->text();
            m_oldPassword->clear();
            m_newPassword->clear();
            session()->signIn(session()->user().email, password);
            m_banner->show(Banner::Kind::Info, tr("Password changed. Other sign-ins of this account end now."));
        });
}

} // namespace mf::ui
