// Trust on first use in the dashboard (issue 14 item 2) against the real mainflux-backend with certificates from
// `mainflux-backend --make-dev-cert`: the first connection shows the certificate (fingerprint, subject, issuer,
// validity) and asks; "Trust" pins it in the profile and later connections ask nothing; a server that presents
// another certificate is refused with a warning naming both fingerprints, and trusting the new one takes a second
// confirmation; cancelling leaves the stored profile as it was. With MF_SCREENSHOT_DIR the question is saved as
// tofu.png (docs/screenshots).
#include "backendprocess.h"
#include "certificatedialog.h"
#include "client/tlstrust.h"
#include "mainwindow.h"
#include "models/profiles.h"
#include "models/session.h"
#include "models/tokenstore.h"
#include "profiledialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QLabel>
#include <QLibraryInfo>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

using namespace Qt::StringLiterals;
using mf::testing::BackendProcess;
using mf::ui::CertificateDialog;
using mf::ui::MainWindow;
using mf::ui::Profile;
using mf::ui::ProfileStore;
using mf::ui::Session;

namespace {
constexpr char ProfileId[] = "lab";

struct DevCert
{
    QString dir, cert, key, ca;
    QByteArray sha256; // as --make-dev-cert prints it
};
} // namespace

class TestCertificateTrust : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void firstConnectionShowsTheCertificate();
    void cancelLeavesTheProfileUnchanged();
    void trustPinsAndReconnectingAsksNothing();
    void changedCertificateIsRefusedWithAWarning();
    void trustingTheNewCertificateTakesASecondConfirmation();
    void caFileOfTheProfileIsTrustedWithoutAsking();
    void unreadableCaFileIsNamed();
    void profileDialogCheckNamesTheCertificate();

private:
    DevCert makeCert(const QString &name);
    void startServer(const DevCert &cert, quint16 port);
    Profile stored() { return ProfileStore(*m_settings).profile(QString::fromLatin1(ProfileId)); }
    QMap<QString, QVariant> storedGroup();
    void open(const Profile &profile);
    void clickRetry();
    QList<QPushButton *> visibleButtons(CertificateDialog *dialog);
    void shoot(QWidget *widget, const QString &name);

    QTemporaryDir m_dir;
    QTranslator m_appTranslator;
    bool m_english = true;
    DevCert m_first, m_second;
    std::unique_ptr<BackendProcess> m_server;
    QByteArray m_served; // the fingerprint the running server's ready line names
    quint16 m_port = 0;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<mf::ui::TokenStore> m_tokens;
    std::unique_ptr<Session> m_session;
    std::unique_ptr<MainWindow> m_window;
};

DevCert TestCertificateTrust::makeCert(const QString &name)
{
    DevCert cert;
    cert.dir = m_dir.filePath(name);
    QProcess make;
    make.start(QStringLiteral(MF_BACKEND_EXECUTABLE), {u"--make-dev-cert"_s, cert.dir});
    if (!make.waitForFinished(BackendProcess::SafetyTimeoutMs) || make.exitCode() != 0)
        qFatal("--make-dev-cert failed: %s", make.readAllStandardError().constData());
    const QByteArray out = make.readAllStandardOutput();
    const qsizetype at = out.indexOf("SHA-256 fingerprint: ");
    cert.sha256 = out.mid(at + 21, 95);
    cert.cert = QDir(cert.dir).filePath(u"cert.pem"_s);
    cert.key = QDir(cert.dir).filePath(u"key.pem"_s);
    cert.ca = QDir(cert.dir).filePath(u"ca.pem"_s);
    return cert;
}

void TestCertificateTrust::startServer(const DevCert &cert, quint16 port)
{
    if (m_server) QVERIFY(m_server->stop());
    m_server = std::make_unique<BackendProcess>(QStringLiteral(MF_BACKEND_EXECUTABLE),
                                                QHash<QString, QString>{{u"MF_DATA_DIR"_s, cert.dir + u"/data"_s},
                                                                        {u"MF_SERVICES"_s, u"users,things,http"_s},
                                                                        {u"MF_HTTP_HOST"_s, u"127.0.0.1"_s},
                                                                        {u"MF_HTTP_PORT"_s, QString::number(port)},
                                                                        {u"MF_TLS_CERT"_s, cert.cert},
                                                                        {u"MF_TLS_KEY"_s, cert.key}});
    const QJsonObject ready = m_server->waitReady();
    QVERIFY2(!ready.isEmpty(), qPrintable(m_server->startError()));
    m_port = m_server->port("http");
    m_served = ready.value("tls"_L1).toObject().value("sha256"_L1).toString().toLatin1();
    QCOMPARE(m_served, cert.sha256);
}

QMap<QString, QVariant> TestCertificateTrust::storedGroup()
{
    QMap<QString, QVariant> values;
    m_settings->sync();
    m_settings->beginGroup(u"profiles/"_s + QString::fromLatin1(ProfileId));
    for (const QString &key : m_settings->allKeys())
        values.insert(key, m_settings->value(key));
    m_settings->endGroup();
    return values;
}

void TestCertificateTrust::open(const Profile &profile)
{
    m_session->open(profile);
}

void TestCertificateTrust::clickRetry()
{
    for (QPushButton *button : m_window->findChildren<QPushButton *>())
        if (button->isVisible() && button->text() == MainWindow::tr("Try again")) {
            QTest::mouseClick(button, Qt::LeftButton);
            return;
        }
    QFAIL("no visible \"Try again\" button");
}

QList<QPushButton *> TestCertificateTrust::visibleButtons(CertificateDialog *dialog)
{
    QList<QPushButton *> buttons;
    for (QPushButton *button : dialog->findChild<QDialogButtonBox *>()->findChildren<QPushButton *>())
        if (button->isVisible()) buttons.append(button);
    return buttons;
}

void TestCertificateTrust::shoot(QWidget *widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("MF_SCREENSHOT_DIR");
    if (dir.isEmpty()) return;
    QDir().mkpath(dir);
    QTest::qWait(150); // let pending paints settle
    QVERIFY(widget->grab().save(QDir(dir).filePath(name + u".png"_s)));
}

void TestCertificateTrust::initTestCase()
{
    const QString language = qEnvironmentVariable("MF_LANG");
    if (language.isEmpty() || language.startsWith(u"en"_s)) {
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    } else {
        m_english = false;
        QLocale::setDefault(QLocale(language));
        QVERIFY(m_appTranslator.load(QLocale(language), u"mainflux"_s, u"_"_s, u":/i18n"_s));
        QCoreApplication::installTranslator(&m_appTranslator);
    }
    m_first = makeCert(u"first"_s);
    m_second = makeCert(u"second"_s);
    QVERIFY(m_first.sha256 != m_second.sha256);
    startServer(m_first, 0);
    m_settings = std::make_unique<QSettings>(m_dir.filePath(u"settings.ini"_s), QSettings::IniFormat);
    m_tokens = std::make_unique<mf::ui::TokenStore>(u"mainflux-test"_s, m_dir.filePath(u"config"_s));
    m_tokens->setMode(mf::ui::TokenStore::Mode::File);
    m_session = std::make_unique<Session>(nullptr, m_tokens.get());
    Profile profile;
    profile.id = QString::fromLatin1(ProfileId);
    profile.name = u"Lab server"_s;
    profile.kind = Profile::Kind::Remote;
    profile.url = QUrl(u"https://127.0.0.1:%1"_s.arg(m_port));
    ProfileStore(*m_settings).save(profile);
    ProfileStore(*m_settings).setLastProfileId(profile.id);
    m_window = std::make_unique<MainWindow>(m_session.get(), *m_settings);
    m_window->resize(1100, 700);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestCertificateTrust::firstConnectionShowsTheCertificate()
{
    m_window->openInitialProfile();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->certificateDialog(), BackendProcess::SafetyTimeoutMs);
    CertificateDialog *dialog = m_window->certificateDialog();
    QCOMPARE(m_session->state(), Session::State::Failed);
    QVERIFY(!dialog->isChange());
    QVERIFY(dialog->isVisible());
    // What the user compares with the administrator's: the fingerprint the server printed, and who it claims to be.
    QCOMPARE(dialog->fingerprintText(), QString::fromLatin1(m_first.sha256));
    QVERIFY2(dialog->detailsText().contains(u"CN=localhost"_s), qPrintable(dialog->detailsText()));
    QVERIFY2(dialog->detailsText().contains(u"Mainflux development CA"_s), qPrintable(dialog->detailsText()));
    QVERIFY(dialog->headingText().contains(u"https://127.0.0.1:%1"_s.arg(m_port)));
    const QList<QPushButton *> buttons = visibleButtons(dialog);
    QCOMPARE(buttons.size(), 2);
    if (m_english) {
        QCOMPARE(dialog->trustButton()->text(), u"Trust"_s);
        QVERIFY2(m_window->connectionText().contains(u"not trusted"_s), qPrintable(m_window->connectionText()));
    }
    shoot(dialog, u"tofu"_s);
}

void TestCertificateTrust::cancelLeavesTheProfileUnchanged()
{
    const QMap<QString, QVariant> before = storedGroup();
    CertificateDialog *dialog = m_window->certificateDialog();
    QVERIFY(dialog);
    QTest::mouseClick(dialog->cancelButton(), Qt::LeftButton);
    QTRY_VERIFY(!m_window->certificateDialog());
    QCOMPARE(storedGroup(), before);
    QVERIFY(stored().pinnedSha256.isEmpty());
    QCOMPARE(m_session->state(), Session::State::Failed); // nothing was sent: still refused, "Try again" asks again
}

void TestCertificateTrust::trustPinsAndReconnectingAsksNothing()
{
    clickRetry();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->certificateDialog(), BackendProcess::SafetyTimeoutMs);
    QTest::mouseClick(m_window->certificateDialog()->trustButton(), Qt::LeftButton);
    QCOMPARE(stored().pinnedSha256, m_first.sha256);
    // Connected: the server answered /health and /version over TLS and the sign-in comes next.
    QTRY_COMPARE_WITH_TIMEOUT(m_session->state(), Session::State::SignedOut, BackendProcess::SafetyTimeoutMs);

    // A later connection (the profile as stored) trusts exactly that certificate and asks nothing.
    QSignalSpy states(m_session.get(), &Session::stateChanged);
    open(stored());
    QTRY_COMPARE_WITH_TIMEOUT(m_session->state(), Session::State::SignedOut, BackendProcess::SafetyTimeoutMs);
    for (const QList<QVariant> &state : states)
        QVERIFY(state.at(0).value<Session::State>() != Session::State::Failed);
    QVERIFY(!m_window->certificateDialog());
}

void TestCertificateTrust::changedCertificateIsRefusedWithAWarning()
{
    startServer(m_second, m_port); // the same server, now with another certificate
    const QMap<QString, QVariant> before = storedGroup();
    open(stored());
    QTRY_VERIFY_WITH_TIMEOUT(m_window->certificateDialog(), BackendProcess::SafetyTimeoutMs);
    CertificateDialog *dialog = m_window->certificateDialog();
    QCOMPARE(m_session->state(), Session::State::Failed);
    QVERIFY(dialog->isChange());
    // The warning names the fingerprint that was trusted and the one presented now.
    QVERIFY2(dialog->messageText().contains(QString::fromLatin1(m_first.sha256)), qPrintable(dialog->messageText()));
    QVERIFY2(dialog->messageText().contains(QString::fromLatin1(m_second.sha256)), qPrintable(dialog->messageText()));
    QCOMPARE(dialog->fingerprintText(), QString::fromLatin1(m_second.sha256));
    // Nothing but Cancel (the default) and the explicit trust of the new certificate.
    const QList<QPushButton *> buttons = visibleButtons(dialog);
    QCOMPARE(buttons.size(), 2);
    QVERIFY(buttons.contains(dialog->cancelButton()) && buttons.contains(dialog->trustButton()));
    QVERIFY(dialog->cancelButton()->isDefault());
    if (m_english) {
        QVERIFY2(dialog->headingText().contains(u"has changed"_s), qPrintable(dialog->headingText()));
        QCOMPARE(dialog->trustButton()->text(), u"Trust the new certificate…"_s);
    }
    shoot(dialog, u"tofu-changed"_s);
    QTest::mouseClick(dialog->cancelButton(), Qt::LeftButton);
    QTRY_VERIFY(!m_window->certificateDialog());
    QCOMPARE(storedGroup(), before);
}

void TestCertificateTrust::trustingTheNewCertificateTakesASecondConfirmation()
{
    clickRetry();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->certificateDialog(), BackendProcess::SafetyTimeoutMs);
    CertificateDialog *dialog = m_window->certificateDialog();
    QVERIFY(dialog->isChange());
    QTest::mouseClick(dialog->trustButton(), Qt::LeftButton);
    // One click is not enough: the dialog asks again, the pin is still the old one.
    QVERIFY(dialog->isVisible());
    QCOMPARE(stored().pinnedSha256, m_first.sha256);
    QVERIFY2(dialog->messageText().contains(QString::fromLatin1(m_second.sha256)), qPrintable(dialog->messageText()));
    if (m_english) QCOMPARE(dialog->trustButton()->text(), u"Yes, trust the new certificate"_s);
    QTest::mouseClick(dialog->trustButton(), Qt::LeftButton);
    QCOMPARE(stored().pinnedSha256, m_second.sha256);
    QTRY_COMPARE_WITH_TIMEOUT(m_session->state(), Session::State::SignedOut, BackendProcess::SafetyTimeoutMs);
}

void TestCertificateTrust::caFileOfTheProfileIsTrustedWithoutAsking()
{
    Profile profile = stored();
    profile.pinnedSha256.clear();
    profile.caFile = m_second.ca; // the lab CA that signed the server's certificate
    QSignalSpy states(m_session.get(), &Session::stateChanged);
    open(profile);
    QTRY_COMPARE_WITH_TIMEOUT(m_session->state(), Session::State::SignedOut, BackendProcess::SafetyTimeoutMs);
    for (const QList<QVariant> &state : states)
        QVERIFY(state.at(0).value<Session::State>() != Session::State::Failed);
    QVERIFY(!m_window->certificateDialog());

    profile.caFile = m_first.ca; // another lab's CA vouches for nothing here: asked about, as without a CA file
    open(profile);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->certificateDialog(), BackendProcess::SafetyTimeoutMs);
    QCOMPARE(m_window->certificateDialog()->fingerprintText(), QString::fromLatin1(m_second.sha256));
    QTest::mouseClick(m_window->certificateDialog()->cancelButton(), Qt::LeftButton);
    QTRY_VERIFY(!m_window->certificateDialog());
}

void TestCertificateTrust::unreadableCaFileIsNamed()
{
    Profile profile = stored();
    profile.caFile = m_dir.filePath(u"missing-ca.pem"_s);
    open(profile);
    QCOMPARE(m_session->state(), Session::State::Failed);
    QVERIFY2(m_session->failure().contains(profile.caFile), qPrintable(m_session->failure()));
    QVERIFY2(m_window->connectionText().contains(profile.caFile), qPrintable(m_window->connectionText()));
    QVERIFY(m_session->refusedCertificate().isNull());
}

// The profile dialog's "Check" does not trust a self-signed server either: it says so with the fingerprint and that
// connecting will ask. Another URL in the dialog drops the pin of the old one.
void TestCertificateTrust::profileDialogCheckNamesTheCertificate()
{
    Profile profile = stored();
    profile.caFile.clear();
    profile.pinnedSha256.clear();
    mf::ui::ProfileDialog dialog(profile, m_window.get());
    dialog.show();
    QPushButton *check = nullptr;
    for (QPushButton *button : dialog.findChildren<QPushButton *>())
        if (button->text() == mf::ui::ProfileDialog::tr("Check")) check = button;
    QVERIFY(check);
    QTest::mouseClick(check, Qt::LeftButton);
    const auto shown = [&dialog] {
        QStringList texts;
        for (const QLabel *label : dialog.findChildren<QLabel *>())
            texts.append(label->text());
        return texts.join(u'\n');
    };
    QTRY_VERIFY_WITH_TIMEOUT(shown().contains(QString::fromLatin1(m_second.sha256)), BackendProcess::SafetyTimeoutMs);
    if (m_english) QVERIFY2(shown().contains(u"asked whether to trust it"_s), qPrintable(shown()));

    profile.pinnedSha256 = m_second.sha256;
    mf::ui::ProfileDialog edit(profile, m_window.get());
    QCOMPARE(edit.profile().pinnedSha256, m_second.sha256); // unchanged URL: the pin stays
    QLineEdit *url = nullptr;
    for (QLineEdit *line : edit.findChildren<QLineEdit *>())
        if (line->text() == profile.url.toString()) url = line;
    QVERIFY(url);
    url->setText(u"https://localhost:%1"_s.arg(m_port));
    QVERIFY(edit.profile().pinnedSha256.isEmpty());
}

QTEST_MAIN(TestCertificateTrust)
#include "tst_certificatetrust.moc"
