#pragma once

#include <QMainWindow>
#include <QPointer>

class QComboBox;
class QLabel;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSettings;
class QSplitter;
class QStackedWidget;
class QSystemTrayIcon;
class QTimer;
class QToolButton;

namespace mf::ui {

class Banner;
class AlertsPage;
class CertificateDialog;
class BackendPage;
class ChannelsPage;
class LivePage;
class OverviewPage;
class DashboardPage;
class Session;
class SignInDialog;
class SimulateDialog;
class ThingsPage;
class UsersPage;

// The dashboard window: profile switcher, page title and user menu on top; navigation on the left; one page per
// concern; the backend's state in the status bar. It composes pages and routes shortcuts and navigation between
// them; the pages do the work. While the session launches or connects, a panel shows progress (and, on failure, the
// reason and the backend's last log lines) in place of the pages.
class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    enum PageIndex {
        OverviewIndex,
        ThingsIndex,
        ChannelsIndex,
        LiveIndex,
        AlertsIndex,
        UsersIndex,
        BackendIndex,
        PageCount
    };

    MainWindow(Session *session, QSettings &settings, QWidget *parent = nullptr);
    ~MainWindow() override;
    Q_DISABLE_COPY_MOVE(MainWindow)

    void showPage(int index);
    int currentPage() const;
    DashboardPage *page(int index) const;
    // The failure page's "Use another port…" (shown when the bundled backend's REST port is taken).
    QPushButton *otherPortButton() const { return m_otherPort; }
    OverviewPage *overviewPage() const { return m_overview; }
    ThingsPage *thingsPage() const { return m_things; }
    ChannelsPage *channelsPage() const { return m_channels; }
    LivePage *livePage() const { return m_live; }
    AlertsPage *alertsPage() const { return m_alerts; }
    UsersPage *usersPage() const { return m_users; }
    BackendPage *backendPage() const { return m_backend; }
    SignInDialog *signInDialog() const;
    // Trust on first use: open while the session failed on a certificate it does not trust; null otherwise.
    CertificateDialog *certificateDialog() const;
    QString statusText() const;
    QString connectionText() const;
    bool isShowingPages() const;
    // Opens the last profile (or "This computer").
    void openInitialProfile();
    // "Simulate devices…" in the user menu: the simulator dialog (one at a time, closed with the window).
    SimulateDialog *openSimulator();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildHeader();
    void buildConnectionPanel();
    void buildActions();
    void setUpAlerts();
    void onSessionState();
    void showSignIn(const QString &message);
    void askAboutCertificate();
    void updateStatus();
    void fillProfiles();
    void openSettings();
    void saveState();
    void restoreState();

    Session *m_session;
    QSettings &m_settings;
    QComboBox *m_profiles;
    QLabel *m_dot;
    QLabel *m_title;
    QToolButton *m_userButton;
    Banner *m_notice;
    QStackedWidget *m_outer;
    QWidget *m_connectionPanel;
    QLabel *m_connectionTitle;
    QProgressBar *m_connectionProgress;
    QLabel *m_connectionReason;
    QPlainTextEdit *m_connectionLog;
    QPushButton *m_retry;
    QPushButton *m_otherPort; // "Use another port" when the bundled backend's REST port is taken
    QSplitter *m_mainSplitter;
    QListWidget *m_nav;
    QStackedWidget *m_pages;
    QLabel *m_statusBackend;
    QTimer *m_progressTimer;
    OverviewPage *m_overview;
    ThingsPage *m_things;
    ChannelsPage *m_channels;
    LivePage *m_live;
    AlertsPage *m_alerts;
    QSystemTrayIcon *m_tray = nullptr; // only where the desktop has a tray
    UsersPage *m_users;
    BackendPage *m_backend;
    QPointer<SignInDialog> m_signIn;
    QPointer<CertificateDialog> m_certificate;
    QPointer<SimulateDialog> m_simulator;
    QString m_readyFor; // "<profile id>|<user id>|<server>" the pages were last loaded for
};

} // namespace mf::ui
