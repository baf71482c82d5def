#include "mainwindow.h"

#include "alertspage.h"
#include "backendpage.h"
#include "certificatedialog.h"
#include "channelspage.h"
#include "client/backendprocess.h"
#include "client/restclient.h"
#include "common.h"
#include "livepage.h"
#include "models/session.h"
#include "models/tokenstore.h"
#include "overviewpage.h"
#include "profiledialog.h"
#include "settingsdialog.h"
#include "signindialog.h"
#include "simulatedialog.h"
#include "thingspage.h"
#include "userspage.h"

#include <QAction>
#include <QCloseEvent>
#include <QComboBox>
#include <QFontDatabase>
#include <QJsonDocument>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace mf::ui {

namespace {
constexpr int AddProfileRole = Qt::UserRole + 1;
}

MainWindow::MainWindow(Session *session, QSettings &settings, QWidget *parent)
    : QMainWindow(parent), m_session(session), m_settings(settings), m_profiles(new QComboBox(this)),
      m_dot(new QLabel(this)), m_title(new QLabel(this)), m_userButton(new QToolButton(this)),
      m_notice(new Banner(this)), m_outer(new QStackedWidget(this)), m_connectionPanel(new QWidget(this)),
      m_connectionTitle(new QLabel(this)), m_connectionProgress(new QProgressBar(this)),
      m_connectionReason(new QLabel(this)), m_connectionLog(new QPlainTextEdit(this)),
      m_retry(new QPushButton(tr("Try again"), this)), m_otherPort(new QPushButton(this)), m_mainSplitter(new QSplitter(this)),
      m_nav(new QListWidget(this)), m_pages(new QStackedWidget(this)), m_statusBackend(new QLabel(this)),
      m_progressTimer(new QTimer(this)), m_overview(new OverviewPage(session, this)),
      m_things(new ThingsPage(session, this)), m_channels(new ChannelsPage(session, this)),
      m_live(new LivePage(session, this)), m_alerts(new AlertsPage(session, this)), m_users(new UsersPage(session, this)),
      m_backend(new BackendPage(session, this))
{
    setObjectName(u"mainWindow"_s);
    setWindowTitle(tr("Mainflux"));
    buildHeader();
    buildConnectionPanel();

    const QList<std::pair<DashboardPage *, QStyle::StandardPixmap>> pages{
        {m_overview, QStyle::SP_ComputerIcon}, {m_things, QStyle::SP_DriveNetIcon},
        {m_channels, QStyle::SP_DirLinkIcon},  {m_live, QStyle::SP_MediaPlay},
        {m_alerts, QStyle::SP_MessageBoxWarning}, {m_users, QStyle::SP_DirHomeIcon},
        {m_backend, QStyle::SP_DriveHDIcon}};
    for (const auto &[page, icon] : pages) {
        m_pages->addWidget(page);
        new QListWidgetItem(style()->standardIcon(icon), page->title(), m_nav);
        connect(page, &DashboardPage::statusMessage, this,
                [this](const QString &text) { statusBar()->showMessage(text, 5000); });
        connect(page, &DashboardPage::openLive, this, [this](const QString &channelId) {
            showPage(LiveIndex);
            m_live->watch(channelId);
        });
        connect(page, &DashboardPage::openThing, this, [this](const QString &thingId, const QString &name) {
            showPage(ThingsIndex);
            m_things->showThing(thingId, name);
        });
        connect(page, &DashboardPage::openAlert, this, [this](const QString &alertId) {
            showPage(AlertsIndex);
            m_alerts->showAlert(alertId);
        });
    }
    setUpAlerts();
    m_nav->setObjectName(u"navigation"_s);
    m_nav->setMaximumWidth(200);
    m_nav->setIconSize(QSize(20, 20));
    m_nav->setSpacing(2);
    connect(m_nav, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row < 0) return;
        m_pages->setCurrentIndex(row);
        m_title->setText(page(row)->title());
    });
    connect(m_backend, &BackendPage::keepRunningChanged, this,
            [this](bool keep) { m_settings.setValue(u"backend/keepRunning"_s, keep); });

    m_mainSplitter->setObjectName(u"mainSplitter"_s);
    m_mainSplitter->addWidget(m_nav);
    m_mainSplitter->addWidget(m_pages);
    m_mainSplitter->setStretchFactor(1, 1);
    m_mainSplitter->setSizes({170, 900});

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_notice);
    layout->addWidget(m_outer, 1);
    m_outer->addWidget(m_connectionPanel);
    m_outer->addWidget(m_mainSplitter);
    setCentralWidget(central);

    statusBar()->addPermanentWidget(m_statusBackend);
    buildActions();

    connect(session, &Session::stateChanged, this, &MainWindow::onSessionState);
    connect(session, &Session::healthChanged, this, &MainWindow::updateStatus);
    connect(session, &Session::userChanged, this, &MainWindow::updateStatus);
    connect(session, &Session::tokenExpired, this, [this](const QString &message) {
        showSignIn(tr("Your session ended (%1). Sign in again to continue where you were.").arg(message));
    });
    connect(session->tokens(), &TokenStore::noticeChanged, this,
            [this](const QString &notice) { m_notice->show(Banner::Kind::Warning, notice); });
    if (session->backend()) {
        // The REST port the backend got is kept for the next start (scripts and the CLI use it).
        connect(session->backend(), &client::BackendProcess::ready, this, [this] {
            client::BackendProcess *backend = m_session->backend();
            if (backend->httpPort() <= 0 || backend->isAttached()) return;
            m_settings.setValue(u"backend/httpPort"_s, backend->port(u"http"_s));
            backend->setFindFreePort(false);
        });
        connect(session->backend(), &client::BackendProcess::stateChanged, this, &MainWindow::updateStatus);
        connect(session->backend(), &client::BackendProcess::stateChanged, this, &MainWindow::onSessionState);
    }
    connect(m_progressTimer, &QTimer::timeout, this, [this] {
        if (m_session->backend())
            m_connectionProgress->setValue(
                std::min(m_session->backend()->elapsedMs(), m_connectionProgress->maximum()));
    });
    m_progressTimer->setInterval(100);

    fillProfiles();
    restoreState();
    onSessionState();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildHeader()
{
    auto *header = new QToolBar(tr("Header"), this);
    header->setObjectName(u"header"_s);
    header->setMovable(false);
    header->setFloatable(false);
    m_profiles->setObjectName(u"profiles"_s);
    m_profiles->setToolTip(tr("The backend this dashboard works with"));
    m_profiles->setMinimumContentsLength(16);
    header->addWidget(m_dot);
    header->addWidget(m_profiles);
    auto *gap = new QWidget(header);
    gap->setFixedWidth(24);
    header->addWidget(gap);
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    header->addWidget(m_title);
    auto *spacer = new QWidget(header);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    header->addWidget(spacer);
    m_userButton->setPopupMode(QToolButton::InstantPopup);
    m_userButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    auto *menu = new QMenu(m_userButton);
    menu->addAction(tr("Account and password…"), this, [this] { showPage(UsersIndex); });
    menu->addAction(tr("Settings…"), this, &MainWindow::openSettings);
    menu->addAction(tr("Simulate devices…"), this, &MainWindow::openSimulator)->setObjectName(u"simulateAction"_s);
    menu->addAction(tr("About Mainflux…"), this, [this] {
        QMessageBox::about(this, tr("About Mainflux"),
                           tr("<b>Mainflux</b> %1<br>An open IoT platform for the desktop, with a bundled backend.")
                               .arg(QStringLiteral(MF_VERSION)));
    });
    menu->addSeparator();
    menu->addAction(tr("Sign out"), m_session, &Session::signOut);
    m_userButton->setMenu(menu);
    header->addWidget(m_userButton);
    addToolBar(Qt::TopToolBarArea, header);

    connect(m_profiles, &QComboBox::activated, this, [this](int index) {
        if (m_profiles->itemData(index, AddProfileRole).toBool()) {
            Profile fresh;
            fresh.id = ProfileStore(m_settings).newId();
            fresh.kind = Profile::Kind::Remote;
            ProfileDialog dialog(fresh, this);
            if (dialog.exec() == QDialog::Accepted) {
                ProfileStore(m_settings).save(dialog.profile());
                fillProfiles();
                m_profiles->setCurrentIndex(m_profiles->findData(dialog.profile().id));
                ProfileStore(m_settings).setLastProfileId(dialog.profile().id);
                m_session->open(dialog.profile());
            } else {
                m_profiles->setCurrentIndex(m_profiles->findData(m_session->profile().id));
            }
            return;
        }
        const QString id = m_profiles->itemData(index).toString();
        if (id == m_session->profile().id && m_session->state() != Session::State::Failed) return;
        ProfileStore(m_settings).setLastProfileId(id);
        m_session->open(ProfileStore(m_settings).profile(id));
    });
}

void MainWindow::fillProfiles()
{
    m_profiles->clear();
    for (const Profile &p : ProfileStore(m_settings).profiles())
        m_profiles->addItem(p.isLocal() ? p.name : u"%1 (%2)"_s.arg(p.name, p.url.host()), p.id);
    m_profiles->addItem(tr("Add remote server…"));
    m_profiles->setItemData(m_profiles->count() - 1, true, AddProfileRole);
    m_profiles->setCurrentIndex(std::max(0, m_profiles->findData(m_session->profile().id)));
}

void MainWindow::buildConnectionPanel()
{
    QFont big = m_connectionTitle->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    m_connectionTitle->setFont(big);
    m_connectionTitle->setWordWrap(true);
    m_connectionReason->setWordWrap(true);
    m_connectionReason->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_connectionLog->setReadOnly(true);
    m_connectionLog->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_connectionLog->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_connectionLog->setObjectName(u"connectionLog"_s);
    connect(m_retry, &QPushButton::clicked, this, [this] { m_session->open(m_session->profile()); });
    m_otherPort->setObjectName(u"useAnotherPort"_s);
    m_otherPort->hide();
    connect(m_otherPort, &QPushButton::clicked, this, [this] {
        client::BackendProcess *backend = m_session->backend();
        if (!backend) return;
        const QString name = backend->takenPortName();
        const int port = backend->useAlternativePort();
        if (port == 0) return;
        m_settings.setValue(backendPortKey(name), port); // remembered (Settings shows it)
        m_session->open(m_session->profile());
    });
    auto *layout = new QVBoxLayout(m_connectionPanel);
    layout->setContentsMargins(40, 30, 40, 30);
    layout->addWidget(m_connectionTitle);
    layout->addWidget(m_connectionProgress);
    layout->addWidget(m_connectionReason);
    layout->addWidget(m_connectionLog, 1);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_retry);
    buttons->addWidget(m_otherPort);
    buttons->addStretch();
    layout->addLayout(buttons);
    layout->addStretch(); // takes the room of the log when it is hidden (a port taken: nothing was started)
}

void MainWindow::buildActions()
{
    auto add = [this](const QString &text, const QKeySequence &keys, auto slot) {
        auto *action = new QAction(text, this);
        action->setShortcut(keys);
        action->setShortcutContext(Qt::WindowShortcut);
        connect(action, &QAction::triggered, this, slot);
        addAction(action);
        return action;
    };
    add(tr("New"), QKeySequence::New, [this] { page(currentPage())->newItem(); });
    add(tr("Delete"), QKeySequence::Delete, [this] { page(currentPage())->deleteSelected(); });
    add(tr("Refresh"), QKeySequence(Qt::Key_F5), [this] { page(currentPage())->refresh(); });
    add(tr("Filter"), QKeySequence::Find, [this] { page(currentPage())->focusFilter(); });
    add(tr("Live view"), QKeySequence(Qt::CTRL | Qt::Key_L), [this] {
        const QString channel = page(currentPage())->selectedChannelId();
        showPage(LiveIndex);
        if (!channel.isEmpty()) m_live->watch(channel);
    });
    add(tr("Settings"), QKeySequence(Qt::CTRL | Qt::Key_Comma), &MainWindow::openSettings);
    add(tr("Quit"), QKeySequence::Quit, &QWidget::close);
}

void MainWindow::showPage(int index)
{
    m_nav->setCurrentRow(index);
}

int MainWindow::currentPage() const
{
    return std::max(0, m_nav->currentRow());
}

DashboardPage *MainWindow::page(int index) const
{
    return static_cast<DashboardPage *>(m_pages->widget(index));
}

SignInDialog *MainWindow::signInDialog() const
{
    return m_signIn;
}

CertificateDialog *MainWindow::certificateDialog() const
{
    return m_certificate;
}

// Asked once per connection attempt ("Try again" asks again); only "Trust" changes the profile: it pins exactly the
// certificate shown, and the profile connects again with it.
void MainWindow::askAboutCertificate()
{
    const QSslCertificate certificate = m_session->refusedCertificate();
    if (m_certificate || certificate.isNull() || m_session->state() != Session::State::Failed) return;
    const Profile profile = m_session->profile();
    m_certificate = new CertificateDialog(profile.url.toString(QUrl::RemoveUserInfo | QUrl::StripTrailingSlash),
                                          certificate, profile.pinnedSha256, this);
    m_certificate->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_certificate, &QDialog::accepted, this, [this, certificate, id = profile.id] {
        if (m_session->profile().id != id) return;
        Profile trusted = ProfileStore(m_settings).profile(id);
        trusted.pinnedSha256 = client::sha256Fingerprint(certificate);
        ProfileStore(m_settings).save(trusted);
        m_session->open(trusted);
    });
    m_certificate->open();
}

bool MainWindow::isShowingPages() const
{
    return m_outer->currentWidget() == m_mainSplitter;
}

QString MainWindow::statusText() const
{
    return m_statusBackend->text();
}

QString MainWindow::connectionText() const
{
    return m_connectionTitle->text() + u'\n' + m_connectionReason->text() + u'\n' + m_connectionLog->toPlainText();
}

void MainWindow::openInitialProfile()
{
    ProfileStore store(m_settings);
    const Profile profile = store.profile(store.lastProfileId());
    m_profiles->setCurrentIndex(std::max(0, m_profiles->findData(profile.id)));
    m_session->open(profile);
}

void MainWindow::onSessionState()
{
    const Session::State state = m_session->state();
    const bool local = m_session->profile().isLocal();
    m_progressTimer->stop();
    switch (state) {
    case Session::State::Idle:
    case Session::State::Launching:
    case Session::State::Connecting: {
        m_outer->setCurrentWidget(m_connectionPanel);
        m_retry->hide();
        m_otherPort->hide();
        m_connectionLog->hide();
        m_connectionReason->clear();
        const bool launching = state == Session::State::Launching && local && m_session->backend();
        m_connectionTitle->setText(launching ? tr("Starting the backend on this computer…")
                                             : tr("Connecting to %1…").arg(m_session->profile().name));
        if (launching) {
            m_connectionProgress->setRange(0, m_session->backend()->startTimeout());
            m_progressTimer->start();
        } else {
            m_connectionProgress->setRange(0, 0);
        }
        m_connectionProgress->show();
        break;
    }
    case Session::State::Failed: {
        m_outer->setCurrentWidget(m_connectionPanel);
        m_connectionProgress->hide();
        m_retry->show();
        const bool portTaken = local && m_session->backend() && m_session->backend()->isPortTaken();
        if (const client::BackendProcess *backend = m_session->backend(); portTaken) {
            const int next = backend->alternativePort();
            const QString label = client::BackendProcess::portLabel(backend->takenPortName());
            m_otherPort->setText(tr("Use port %1 for %2 instead").arg(next).arg(label));
            m_otherPort->setToolTip(tr("Start the backend with the next free %1 port and remember it (Settings)")
                                        .arg(label));
            m_otherPort->setVisible(next > 0);
        }
        const bool untrusted = !m_session->refusedCertificate().isNull();
        m_connectionTitle->setText(local       ? tr("The backend on this computer could not start")
                                   : untrusted ? tr("%1: its certificate is not trusted").arg(m_session->profile().name)
                                               : tr("%1 cannot be reached").arg(m_session->profile().name));
        m_connectionReason->setText(
            m_session->failure() +
            (local && !portTaken ? tr("\n\nLast lines of the backend's log (%1):")
                         .arg(m_session->backend() ? m_session->backend()->logFilePath() : QString())
                   : QString()));
        const QStringList tail = local && m_session->backend() ? m_session->backend()->logTail(20) : QStringList();
        m_connectionLog->setPlainText(tail.isEmpty() ? tr("(the backend wrote nothing)") : tail.join(u'\n'));
        m_connectionLog->setVisible(local && !portTaken); // not started: no log of this run
        if (untrusted) QTimer::singleShot(0, this, &MainWindow::askAboutCertificate);
        break;
    }
    case Session::State::SignedOut:
        m_outer->setCurrentWidget(m_mainSplitter);
        QTimer::singleShot(0, this, [this] {
            if (m_session->state() == Session::State::SignedOut && !m_signIn) showSignIn({});
        });
        break;
    case Session::State::SignedIn: {
        m_outer->setCurrentWidget(m_mainSplitter);
        const QString key = m_session->profile().id + u'|' + m_session->user().id + u'|' + m_session->serverUrl();
        if (key != m_readyFor) {
            m_readyFor = key;
            // The live tabs of this profile's last session come back (opened once the channels are listed).
            m_live->restoreSession(QJsonDocument::fromJson(
                m_settings.value(u"live/session/"_s + m_session->profile().id).toByteArray()).object());
            for (int i = 0; i < PageCount; ++i)
                page(i)->sessionReady();
        } else {
            page(currentPage())->refresh(); // signed in again after an expiry: continue on the same page
        }
        break;
    }
    }
    updateStatus();
}

void MainWindow::showSignIn(const QString &message)
{
    if (m_signIn) {
        if (!message.isEmpty()) m_signIn->setMessage(message);
        return;
    }
    m_signIn = new SignInDialog(m_session, this);
    m_signIn->setAttribute(Qt::WA_DeleteOnClose);
    if (!message.isEmpty()) m_signIn->setMessage(message);
    m_signIn->open();
}

void MainWindow::updateStatus()
{
    const Session::State state = m_session->state();
    QString backend;
    QColor dot(0x9e, 0x9e, 0x9e);
    client::BackendProcess *process = m_session->backend();
    const bool local = m_session->profile().isLocal() && process;
    if (state == Session::State::Failed) {
        backend = tr("Backend: failed — %1").arg(m_session->failure());
        dot = QColor(0xc6, 0x28, 0x28);
    } else if (state == Session::State::Launching) {
        backend = tr("Backend: starting…");
        dot = QColor(0xf9, 0xa8, 0x25);
    } else if (state == Session::State::Connecting) {
        backend = tr("Backend: connecting…");
        dot = QColor(0xf9, 0xa8, 0x25);
    } else if (local && process->state() == client::BackendProcess::State::Stopped) {
        backend = tr("Backend: stopped");
    } else if (state == Session::State::SignedIn || state == Session::State::SignedOut) {
        const bool healthy = m_session->isHealthy();
        backend =
            healthy ? tr("Backend: running · services ok · v%1 · %2").arg(m_session->version(), m_session->serverUrl())
                    : tr("Backend: degraded — /health does not pass · %1").arg(m_session->serverUrl());
        dot = healthy ? QColor(0x2e, 0x7d, 0x32) : QColor(0xf9, 0xa8, 0x25);
    } else {
        backend = tr("Backend: not connected");
    }
    m_statusBackend->setText(backend);
    m_dot->setText(u"<span style=\"color:%1; font-size:16px\">●</span>"_s.arg(dot.name()));
    m_dot->setToolTip(backend);
    const User user = m_session->user();
    m_userButton->setText(state == Session::State::SignedIn ? user.email : tr("Not signed in"));
    m_userButton->setEnabled(state == Session::State::SignedIn);
}

void MainWindow::openSettings()
{
    SettingsDialog::Values values;
    values.tokenStore = m_settings.value(u"tokens/store"_s, u"automatic"_s).toString();
    values.keepBackendRunning = m_settings.value(u"backend/keepRunning"_s, false).toBool();
    values.language = m_settings.value(u"language"_s).toString();
    values.backendHttpPort = m_session->backend() && m_session->backend()->httpPort() > 0
                                 ? m_session->backend()->httpPort()
                                 : m_settings.value(u"backend/httpPort"_s, 8180).toInt();
    values.backendWsPort = m_settings.value(u"backend/wsPort"_s, values.backendWsPort).toInt();
    values.backendMqttPort = m_settings.value(u"backend/mqttPort"_s, values.backendMqttPort).toInt();
    values.backendCoapPort = m_settings.value(u"backend/coapPort"_s, values.backendCoapPort).toInt();
    values.backendMqttWsPort = m_settings.value(backendPortKey(u"mqtt_ws"_s), values.backendMqttWsPort).toInt();
    SettingsDialog dialog(values, m_session->tokens()->notice(), this);
    if (dialog.exec() != QDialog::Accepted) return;
    const SettingsDialog::Values chosen = dialog.values();
    m_settings.setValue(u"tokens/store"_s, chosen.tokenStore);
    m_settings.setValue(u"backend/keepRunning"_s, chosen.keepBackendRunning);
    m_settings.setValue(u"language"_s, chosen.language);
    if (chosen.backendHttpPort != values.backendHttpPort) {
        m_settings.setValue(u"backend/httpPort"_s, chosen.backendHttpPort);
        if (m_session->backend()) {
            m_session->backend()->setHttpPort(chosen.backendHttpPort);
            m_session->backend()->setFindFreePort(false);
        }
    }
    const std::pair<QString, int> adapterPorts[] = {{u"ws"_s, chosen.backendWsPort},
                                                    {u"mqtt"_s, chosen.backendMqttPort},
                                                    {u"coap"_s, chosen.backendCoapPort},
                                                    {u"mqtt_ws"_s, chosen.backendMqttWsPort}};
    for (const auto &[name, port] : adapterPorts) {
        m_settings.setValue(backendPortKey(name), port);
        if (m_session->backend()) m_session->backend()->setAdapterPort(name, port);
    }
    m_session->tokens()->setMode(TokenStore::modeFromString(chosen.tokenStore));
    if (m_session->backend()) m_session->backend()->setKeepRunning(chosen.keepBackendRunning);
    // Move the current token to the chosen store.
    if (m_session->client() && !m_session->client()->token().isEmpty())
        m_session->tokens()->save(m_session->profile().id, m_session->client()->token());
}

void MainWindow::saveState()
{
    m_settings.setValue(u"window/geometry"_s, saveGeometry());
    m_settings.setValue(u"window/state"_s, QMainWindow::saveState());
    m_settings.setValue(u"window/page"_s, currentPage());
    m_settings.setValue(u"window/mainSplitter"_s, m_mainSplitter->saveState());
    m_settings.setValue(u"window/thingsSplitter"_s, m_things->splitter()->saveState());
    m_settings.setValue(u"window/channelsSplitter"_s, m_channels->splitter()->saveState());
    m_settings.setValue(u"window/liveSplitter"_s, m_live->splitterState());
    if (!m_session->profile().id.isEmpty() && !m_readyFor.isEmpty())
        m_settings.setValue(u"live/session/"_s + m_session->profile().id,
                            QJsonDocument(m_live->sessionState()).toJson(QJsonDocument::Compact));
}

void MainWindow::restoreState()
{
    if (!restoreGeometry(m_settings.value(u"window/geometry"_s).toByteArray())) resize(1180, 760);
    QMainWindow::restoreState(m_settings.value(u"window/state"_s).toByteArray());
    m_mainSplitter->restoreState(m_settings.value(u"window/mainSplitter"_s).toByteArray());
    m_things->splitter()->restoreState(m_settings.value(u"window/thingsSplitter"_s).toByteArray());
    m_channels->splitter()->restoreState(m_settings.value(u"window/channelsSplitter"_s).toByteArray());
    m_live->restoreSplitterState(m_settings.value(u"window/liveSplitter"_s).toByteArray());
    showPage(std::clamp(m_settings.value(u"window/page"_s, 0).toInt(), 0, PageCount - 1));
}

SimulateDialog *MainWindow::openSimulator()
{
    if (!m_simulator) {
        m_simulator = new SimulateDialog(m_session, this);
        m_simulator->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_simulator, &SimulateDialog::openLive, this, [this](const QString &channelId) {
            showPage(LiveIndex);
            m_live->watch(channelId);
            raise();
            activateWindow();
        });
    }
    m_simulator->show();
    m_simulator->raise();
    return m_simulator;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_simulator) m_simulator->close(); // a run ends with the window
    saveState();
    event->accept();
}

// Firing alerts: their count beside "Alerts" in the navigation and on the tray icon, and a desktop notification
// (the status bar where the desktop has no tray).
void MainWindow::setUpAlerts()
{
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(windowIcon().isNull() ? style()->standardIcon(QStyle::SP_ComputerIcon)
                                                            : windowIcon(),
                                     this);
        m_tray->setToolTip(tr("Mainflux"));
        connect(m_tray, &QSystemTrayIcon::activated, this, [this] {
            showNormal();
            raise();
            activateWindow();
            showPage(AlertsIndex);
        });
        m_tray->show();
    }
    connect(m_alerts, &AlertsPage::activeCountChanged, this, [this](int count) {
        const QString title = count > 0 ? tr("Alerts (%1)").arg(count) : m_alerts->title();
        m_nav->item(AlertsIndex)->setText(title);
        if (m_tray) m_tray->setToolTip(count > 0 ? tr("Mainflux: %n alert(s) firing", nullptr, count) : tr("Mainflux"));
    });
    connect(m_alerts, &AlertsPage::alertFired, this, [this](const QString &title, const QString &text) {
        if (m_tray) m_tray->showMessage(title, text, QSystemTrayIcon::Warning, 10'000);
        statusBar()->showMessage(title + u": "_s + text, 10'000);
    });
}

} // namespace mf::ui
