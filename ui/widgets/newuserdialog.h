#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace mf::ui {

class Banner;
class BusyIndicator;
class Session;

// "New user…" of the Users page (administrators): e-mail, initial password and its repeat in one dialog. "Create"
// says next to it why it is disabled; a server error (the address is taken, sign-up rules) appears inline and the
// input stays for a correction. Closes itself once the account exists.
class NewUserDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit NewUserDialog(Session *session, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(NewUserDialog)

    QLineEdit *emailEdit() const { return m_email; }
    QLineEdit *passwordEdit() const { return m_password; }
    QLineEdit *repeatEdit() const { return m_repeat; }
    QPushButton *createButton() const { return m_create; }
    QString hintText() const; // why Create is disabled (empty when it is enabled)
    QString errorText() const;
    QString createdEmail() const { return m_created; }

private:
    void updateState();
    void submit();

    Session *m_session;
    Banner *m_banner;
    QLineEdit *m_email;
    QLineEdit *m_password;
    QLineEdit *m_repeat;
    QLabel *m_hint;
    QPushButton *m_create;
    BusyIndicator *m_busy;
    QString m_created;
};

} // namespace mf::ui
