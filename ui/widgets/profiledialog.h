#pragma once

#include "models/profiles.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace mf::ui {

// Adds or edits a remote server profile; "Check" asks the URL for /health and /version before saving.
class ProfileDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit ProfileDialog(const Profile &profile, QWidget *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ProfileDialog)
    Profile profile() const;

private:
    void check();

    Profile m_profile;
    QLineEdit *m_name;
    QLineEdit *m_url;
    QLineEdit *m_liveUrl;
    QCheckBox *m_insecure;
    QLabel *m_result;
    QPushButton *m_ok;
};

} // namespace mf::ui
