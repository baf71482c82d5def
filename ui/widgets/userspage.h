#pragma once

#include "core/entities.h"
#include "dashboardpage.h"

class QAction;
class QGroupBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace mf::ui {

class Banner;
class UsersModel;

// Users: for administrators every account (create, disable/enable, delete, reset password); for everyone their own
// profile and a password change.
class UsersPage final : public DashboardPage
{
    Q_OBJECT

public:
    explicit UsersPage(Session *session, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(UsersPage)

    QString title() const override { return tr("Users"); }
    void refresh() override;
    void newItem() override;
    void deleteSelected() override;
    void focusFilter() override;
    UsersModel *model() const { return m_model; }

private:
    User selectedUser() const;
    void toggleEnabled();
    void resetPassword();
    void changePassword();
    void updateActions();

    UsersModel *m_model;
    Banner *m_banner;
    QGroupBox *m_adminBox;
    QLabel *m_notAdmin;
    QTableView *m_view;
    QLineEdit *m_filter;
    QAction *m_new;
    QAction *m_toggle;
    QAction *m_delete;
    QAction *m_reset;
    QLabel *m_me;
    QLineEdit *m_oldPassword;
    QLineEdit *m_newPassword;
};

} // namespace mf::ui
