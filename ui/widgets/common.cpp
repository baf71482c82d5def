#include "common.h"

#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QStyle>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mf::ui {

Banner::Banner(QWidget *parent) : QFrame(parent), m_label(new QLabel(this))
{
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *close = new QToolButton(this);
    close->setAutoRaise(true);
    close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    close->setToolTip(tr("Dismiss"));
    connect(close, &QToolButton::clicked, this, &QWidget::hide);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    layout->addWidget(m_label, 1);
    layout->addWidget(close, 0, Qt::AlignTop);
    hide();
}

void Banner::show(Kind kind, const QString &text)
{
    QPalette p = palette();
    const QColor background = kind == Kind::Error     ? QColor(0xfd, 0xe2, 0xe1)
                              : kind == Kind::Warning ? QColor(0xff, 0xf3, 0xcd)
                                                      : QColor(0xdd, 0xee, 0xff);
    p.setColor(QPalette::Window, background);
    p.setColor(QPalette::WindowText, QColor(0x20, 0x20, 0x20));
    setPalette(p);
    m_label->setText(text);
    setVisible(!text.isEmpty());
}

QString Banner::text() const
{
    return isVisible() ? m_label->text() : QString();
}

EmptyState::EmptyState(QWidget *parent)
    : QWidget(parent), m_title(new QLabel(this)), m_hint(new QLabel(this)), m_buttons(new QWidget(this))
{
    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    m_title->setFont(big);
    m_title->setAlignment(Qt::AlignCenter);
    m_hint->setAlignment(Qt::AlignCenter);
    m_hint->setWordWrap(true);
    auto *buttons = new QHBoxLayout(m_buttons);
    buttons->addStretch();
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->addStretch();
    layout->addWidget(m_title);
    layout->addWidget(m_hint);
    layout->addWidget(m_buttons);
    layout->addStretch(2);
}

void EmptyState::setText(const QString &title, const QString &hint)
{
    m_title->setText(title);
    m_hint->setText(hint);
}

QPushButton *EmptyState::addButton(const QString &text)
{
    auto *button = new QPushButton(text, m_buttons);
    auto *layout = static_cast<QHBoxLayout *>(m_buttons->layout());
    layout->insertWidget(layout->count() - 1, button);
    return button;
}

SecretField::SecretField(QWidget *parent)
    : QWidget(parent), m_edit(new QLineEdit(this)), m_reveal(new QToolButton(this)), m_copy(new QToolButton(this))
{
    m_edit->setReadOnly(true);
    m_edit->setEchoMode(QLineEdit::Password);
    m_reveal->setText(tr("Show"));
    m_reveal->setCheckable(true);
    m_reveal->setToolTip(tr("Show or hide the secret"));
    m_copy->setText(tr("Copy"));
    m_copy->setToolTip(tr("Copy to the clipboard"));
    connect(m_reveal, &QToolButton::toggled, this, [this](bool on) {
        m_reveal->setText(on ? tr("Hide") : tr("Show"));
        render();
    });
    connect(m_copy, &QToolButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_secret);
        Q_EMIT copied();
    });
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_reveal);
    layout->addWidget(m_copy);
}

void SecretField::setSecret(const QString &secret)
{
    m_secret = secret;
    m_reveal->setChecked(false);
    render();
}

bool SecretField::isRevealed() const
{
    return m_reveal->isChecked();
}

void SecretField::render()
{
    m_edit->setEchoMode(isRevealed() ? QLineEdit::Normal : QLineEdit::Password);
    m_edit->setText(m_secret);
    m_copy->setEnabled(!m_secret.isEmpty());
    m_reveal->setEnabled(!m_secret.isEmpty());
}

CopyField::CopyField(QWidget *parent) : QWidget(parent), m_edit(new QLineEdit(this))
{
    m_edit->setReadOnly(true);
    auto *copy = new QToolButton(this);
    copy->setText(tr("Copy"));
    copy->setToolTip(tr("Copy to the clipboard"));
    connect(copy, &QToolButton::clicked, this, [this] {
        QApplication::clipboard()->setText(m_edit->text());
        Q_EMIT copied(m_edit->text());
    });
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_edit, 1);
    layout->addWidget(copy);
}

void CopyField::setText(const QString &text)
{
    m_edit->setText(text);
    m_edit->setCursorPosition(0);
}

QString CopyField::text() const
{
    return m_edit->text();
}

BusyIndicator::BusyIndicator(QWidget *parent)
    : QWidget(parent), m_bar(new QProgressBar(this)), m_delay(new QTimer(this))
{
    m_bar->setRange(0, 0);
    m_bar->setMaximumWidth(120);
    m_bar->setMaximumHeight(12);
    m_bar->setTextVisible(false);
    m_bar->hide();
    m_delay->setSingleShot(true);
    m_delay->setInterval(200);
    connect(m_delay, &QTimer::timeout, this, [this] { m_bar->setVisible(m_busy); });
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 0);
    layout->addWidget(m_bar);
    setFixedWidth(128);
}

void BusyIndicator::setBusy(bool busy)
{
    m_busy = busy;
    if (busy) {
        m_delay->start();
    } else {
        m_delay->stop();
        m_bar->hide();
    }
}

QString accountFormProblem(const QString &email, const QString &password, const std::optional<QString> &repeat)
{
    constexpr int MinPassword = 8; // the users service's rule
    const QString address = email.trimmed();
    if (address.isEmpty()) return QCoreApplication::translate("AccountForm", "Enter an e-mail address.");
    if (!address.contains(u'@')) return QCoreApplication::translate("AccountForm", "The e-mail address needs an @.");
    if (password.isEmpty()) return QCoreApplication::translate("AccountForm", "Enter a password.");
    if (!repeat) return {};
    if (password.size() < MinPassword)
        return QCoreApplication::translate("AccountForm", "The password is too short: at least %1 characters (%2 so far).")
            .arg(MinPassword)
            .arg(password.size());
    if (repeat->isEmpty()) return QCoreApplication::translate("AccountForm", "Repeat the password.");
    if (*repeat != password) return QCoreApplication::translate("AccountForm", "The passwords differ.");
    return {};
}

} // namespace mf::ui
