#pragma once

#include "models/profiles.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace mf::ui {

// Adds or edits a remote server profile; "Check" asks the URL for /health and /version before saving. TLS: the
// system's CAs, plus a CA file of the profile; a self-signed server is asked about once when the profile connects
// (CertificateDialog) and its certificate pinned, so there is no "accept any certificate" here.
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
    QLineEdit *m_caFile;
    QLabel *m_result;
    QString m_refused; // fingerprint of the certificate the last check refused
    QPushButton *m_ok;
};

} // namespace mf::ui
