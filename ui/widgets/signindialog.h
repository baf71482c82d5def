#pragma once

#include <QDialog>

class QLineEdit;
class QLabel;
class QPushButton;
class QTabBar;

namespace mf::ui {

class Banner;
class BusyIndicator;
class Session;

// Sign in or create an account on the session's server. Errors (wrong password, sign-up closed) appear inline with
// the server's message; the dialog closes itself once the session is signed in. On a server without any account yet
// (Session::firstAccountPending) it opens on "Create account" and says that the first account administers the server.
// The line next to the button says why it is disabled (no e-mail, password too short, passwords differ).
class SignInDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit SignInDialog(Session *session, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(SignInDialog)

    void setMessage(const QString &message); // e.g. "your session expired"
    void setSignUp(bool signUp);
    QLineEdit *emailEdit() const { return m_email; }
    QLineEdit *passwordEdit() const { return m_password; }
    QPushButton *submitButton() const { return m_submit; }
    QString errorText() const;
    QString hintText() const; // why the button is disabled; empty when it is enabled
    QString noticeText() const; // the first-run notice; empty when not shown
    bool isSignUp() const;

private:
    void submit();
    void updateState();

    Session *m_session;
    QTabBar *m_tabs;
    QLabel *m_server;
    Banner *m_banner;
    QLineEdit *m_email;
    QLineEdit *m_password;
    QLineEdit *m_repeat;
    QLabel *m_repeatLabel;
    QLabel *m_hint;
    QLabel *m_notice;
    QPushButton *m_submit;
    BusyIndicator *m_busy;
};

} // namespace mf::ui
