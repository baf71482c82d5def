#pragma once

#include <QFrame>
#include <QLabel>
#include <QPointer>
#include <QWidget>

#include <optional>

class QLineEdit;
class QPushButton;
class QToolButton;
class QProgressBar;
class QTimer;

namespace mf::ui {

// A coloured strip at the top of a page or dialog: errors with the server's message, notices, hints.
class Banner final : public QFrame
{
    Q_OBJECT

public:
    enum class Kind { Error, Warning, Info };
    explicit Banner(QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(Banner)

    void show(Kind kind, const QString &text);
    void showError(const QString &text) { show(Kind::Error, text); }
    QString text() const;

private:
    QLabel *m_label;
};

// "Nothing here yet" with a sentence that teaches and the buttons that fix it.
class EmptyState final : public QWidget
{
    Q_OBJECT

public:
    explicit EmptyState(QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(EmptyState)

    void setText(const QString &title, const QString &hint);
    QPushButton *addButton(const QString &text);

private:
    QLabel *m_title;
    QLabel *m_hint;
    QWidget *m_buttons;
};

// A secret (thing key, token) shown masked with reveal and copy buttons; copy reports through `copied`.
class SecretField final : public QWidget
{
    Q_OBJECT

public:
    explicit SecretField(QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(SecretField)

    void setSecret(const QString &secret);
    QString secret() const { return m_secret; }
    bool isRevealed() const;
    QToolButton *revealButton() const { return m_reveal; }
    QToolButton *copyButton() const { return m_copy; }

Q_SIGNALS:
    void copied();

private:
    void render();
    QString m_secret;
    QLineEdit *m_edit;
    QToolButton *m_reveal;
    QToolButton *m_copy;
};

// A read-only value with a copy button (IDs, endpoints).
class CopyField final : public QWidget
{
    Q_OBJECT

public:
    explicit CopyField(QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(CopyField)
    void setText(const QString &text);
    QString text() const;

Q_SIGNALS:
    void copied(const QString &text);

private:
    QLineEdit *m_edit;
};

// An indeterminate progress bar that appears only when work takes longer than ~200 ms.
class BusyIndicator final : public QWidget
{
    Q_OBJECT

public:
    explicit BusyIndicator(QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(BusyIndicator)
    void setBusy(bool busy);
    bool isBusy() const { return m_busy; }

private:
    QProgressBar *m_bar;
    QTimer *m_delay;
    bool m_busy = false;
};

// Why an account form (e-mail, password, repeat) cannot be submitted yet, for the line next to its disabled button;
// empty when it can. Without `repeat` (signing in) any non-empty password will do; with it (a new account) the
// password needs the users service's minimum length and the repeat must match.
QString accountFormProblem(const QString &email, const QString &password,
                           const std::optional<QString> &repeat = std::nullopt);

} // namespace mf::ui
