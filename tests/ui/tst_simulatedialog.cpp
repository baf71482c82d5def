#include "client/restclient.h"
#include "client/simulator.h"
#include "mainwindow.h"
#include "models/session.h"
#include "models/tokenstore.h"
#include "signedinsession.h"
#include "simulatedialog.h"
#include "testbackend.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QJsonArray>
#include <QJsonObject>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

using namespace Qt::StringLiterals;
using mf::ui::Session;
using mf::ui::SimulateDialog;

// The dashboard's "Simulate devices…" against a backend in-process, as an operator uses it for a demo: things
// provisioned without blocking, counts that match what the backend stored, over each protocol; a run that ends with
// the dialog; the things and channel deleted with one button. With MF_SCREENSHOT_DIR set, a running dialog is saved
// there as simulate.png.
class TestSimulateDialog : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void simulatesOverEachProtocol_data();
    void simulatesOverEachProtocol();
    void closingTheDialogEndsTheRun();
    void mainWindowOpensItAndEndsItWhenClosed();
    void dropoutsAreNotFailures();
    void signedOutCannotStart(); // signs out: last

private:
    qint64 storedMessages(const QString &channel);
    void waitUntilFinished(SimulateDialog &dialog);

    QTemporaryDir m_dir;
    QTranslator m_translator;
    bool m_english = true;
    std::unique_ptr<mf::testing::TestBackend> m_backend;
    std::unique_ptr<mf::ui::TokenStore> m_tokens;
    std::unique_ptr<Session> m_session;
};

qint64 TestSimulateDialog::storedMessages(const QString &channel)
{
    mf::client::RestClient *client = m_session->client();
    auto read = client->readMessages(channel, {}, {mf::client::Credential::Kind::UserToken, client->token()}).wait();
    return read ? read->value("total"_L1).toInteger() : -1;
}

void TestSimulateDialog::waitUntilFinished(SimulateDialog &dialog)
{
    QTRY_VERIFY_WITH_TIMEOUT(dialog.simulator() && dialog.simulator()->isFinished(), 20000);
    QTRY_VERIFY(dialog.startButton()->isEnabled()); // the dialog followed
}

void TestSimulateDialog::initTestCase()
{
    const QString language = qEnvironmentVariable("MF_LANG"); // de: the German screenshot (scripts/screenshots.sh)
    m_english = language.isEmpty() || language.startsWith(u"en"_s);
    QLocale::setDefault(m_english ? QLocale(QLocale::English, QLocale::UnitedStates) : QLocale(language));
    if (!m_english) {
        QVERIFY(m_translator.load(QLocale(language), u"mainflux"_s, u"_"_s, u":/i18n"_s));
        QCoreApplication::installTranslator(&m_translator);
    }
    m_backend = std::make_unique<mf::testing::TestBackend>();
    QVERIFY2(m_backend->isRunning(), qPrintable(m_backend->startError()));
    mf::testing::openSignedInSession(*m_backend, m_dir.filePath(u"config"_s), u"sim"_s, u"demo@example.com"_s, m_tokens,
                                     m_session);
    if (QTest::currentTestFailed()) return;
    // The adapters' real ports come from /cluster (a remote profile would otherwise assume the default ones).
    QTRY_VERIFY(m_session->endpointKnown(u"mqtt"_s) && m_session->endpointKnown(u"coap"_s));
}

void TestSimulateDialog::simulatesOverEachProtocol_data()
{
    QTest::addColumn<QString>("protocol");
    QTest::addColumn<int>("invalidPercent");
    QTest::addColumn<int>("refused");
    // 30 messages from 3 things; a fifth invalid where the adapter answers each message (MQTT QoS 0 does not).
    QTest::addRow("http") << u"http"_s << 20 << 6;
    QTest::addRow("mqtt") << u"mqtt"_s << 0 << 0;
    QTest::addRow("ws") << u"ws"_s << 20 << 6;
    QTest::addRow("coap") << u"coap"_s << 20 << 6;
}

void TestSimulateDialog::simulatesOverEachProtocol()
{
    QFETCH(QString, protocol);
    QFETCH(int, invalidPercent);
    QFETCH(int, refused);
    SimulateDialog dialog(m_session.get());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    dialog.thingsBox()->setValue(3);
    dialog.rateBox()->setValue(100);
    dialog.countBox()->setValue(30);
    dialog.invalidBox()->setValue(invalidPercent);
    dialog.protocolBox()->setCurrentIndex(dialog.protocolBox()->findData(protocol));
    dialog.patternBox()->setCurrentIndex(dialog.patternBox()->findData(u"walk"_s));
    QVERIFY2(dialog.startButton()->isEnabled(), qPrintable(dialog.hintText()));
    QVERIFY(!dialog.cleanUpButton()->isVisible());

    QTest::mouseClick(dialog.startButton(), Qt::LeftButton);
    // Start returned before the things exist: provisioning runs while the dialog stays responsive.
    QVERIFY(dialog.simulator());
    QVERIFY(!dialog.simulator()->isRunning());
    QVERIFY(dialog.simulator()->thingIds().isEmpty());
    QVERIFY(!dialog.startButton()->isEnabled());
    QVERIFY(dialog.stopButton()->isEnabled());
    waitUntilFinished(dialog);
    QVERIFY2(dialog.errorText().isEmpty(), qPrintable(dialog.errorText()));
    QCOMPARE(dialog.shownCount(u"sent"_s), u"30"_s);
    QCOMPARE(dialog.shownCount(u"accepted"_s), QString::number(30 - refused));
    QCOMPARE(dialog.shownCount(u"refused"_s), QString::number(refused));
    QCOMPARE(dialog.shownCount(u"failed"_s), u"0"_s);

    // The things appear on their new channel, and what was accepted is stored (two records a pack).
    const QString channel = dialog.simulator()->channelId();
    const QStringList things = dialog.simulator()->thingIds();
    QCOMPARE(things.size(), 3);
    mf::client::RestClient *client = m_session->client();
    auto members = client->thingsOfChannel(channel, mf::PageQuery{}).wait();
    QVERIFY(members);
    QCOMPARE(members->total, 3);
    QStringList names;
    for (const mf::Thing &thing : members->items)
        names.append(thing.name);
    names.sort();
    QCOMPARE(names, (QStringList{u"sim-1"_s, u"sim-2"_s, u"sim-3"_s}));
    QTRY_COMPARE_WITH_TIMEOUT(storedMessages(channel), qint64(2 * (30 - refused)), 15000);
    if (refused > 0)
        QTRY_COMPARE_WITH_TIMEOUT(client->refusalsOfChannel(channel).wait()->value("total"_L1).toInt(), refused, 5000);

    // The channel's live view is one button away.
    QSignalSpy live(&dialog, &SimulateDialog::openLive);
    QVERIFY(dialog.liveButton()->isEnabled());
    QTest::mouseClick(dialog.liveButton(), Qt::LeftButton);
    QCOMPARE(live.count(), 1);
    QCOMPARE(live.first().first().toString(), channel);

    // Stopped: the things and the channel go with one button.
    QVERIFY(dialog.cleanUpButton()->isVisible());
    QVERIFY2(dialog.cleanUpButton()->text().contains(u"3"_s), qPrintable(dialog.cleanUpButton()->text()));
    QTest::mouseClick(dialog.cleanUpButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog.simulator(), 10000);
    QVERIFY2(dialog.errorText().isEmpty(), qPrintable(dialog.errorText()));
    QVERIFY(!dialog.cleanUpButton()->isVisible());
    for (const QString &id : things) {
        auto gone = client->thing(id).wait();
        QVERIFY(!gone);
        QCOMPARE(gone.error().code, mf::ErrorCode::NotFound);
    }
    auto channelGone = client->channel(channel).wait();
    QVERIFY(!channelGone);
    QCOMPARE(channelGone.error().code, mf::ErrorCode::NotFound);
}

void TestSimulateDialog::closingTheDialogEndsTheRun()
{
    // Until stopped, over MQTT (connections and timers to end); closing the dialog ends the run and frees everything.
    QPointer<SimulateDialog> dialog = new SimulateDialog(m_session.get());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    dialog->thingsBox()->setValue(2);
    dialog->rateBox()->setValue(50);
    dialog->protocolBox()->setCurrentIndex(dialog->protocolBox()->findData(u"mqtt"_s));
    QCOMPARE(dialog->countBox()->value(), 0); // until stopped
    QTest::mouseClick(dialog->startButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->shownCount(u"sent"_s).toInt() >= 10, 10000); // live counts
    QVERIFY(dialog->simulator()->isRunning());
    if (const QString dir = qEnvironmentVariable("MF_SCREENSHOT_DIR"); !dir.isEmpty()) {
        QDir().mkpath(dir);
        QVERIFY(dialog->grab().save(QDir(dir).filePath(u"simulate.png"_s)));
    }
    const QString channel = dialog->simulator()->channelId();
    const QStringList things = dialog->simulator()->thingIds();
    QTest::keyClick(dialog.data(), Qt::Key_Escape); // as an operator closes it
    QTRY_VERIFY(dialog.isNull());                   // deleted, its simulator with it
    // The things stay as ordinary things; the MQTT sessions ended with the run.
    mf::client::RestClient *client = m_session->client();
    for (const QString &id : things) {
        QTRY_VERIFY_WITH_TIMEOUT(!client->thing(id).wait()->status.online, 5000);
        QVERIFY(client->removeThing(id).wait());
    }
    QVERIFY(client->removeChannel(channel).wait());
}

void TestSimulateDialog::mainWindowOpensItAndEndsItWhenClosed()
{
    // The user menu's "Simulate devices…" opens one dialog; its live button shows the channel on the Live page; closing
    // the window ends the run (the dialog and its simulator are gone).
    QSettings settings(m_dir.filePath(u"gui.ini"_s), QSettings::IniFormat);
    mf::ui::MainWindow window(m_session.get(), settings);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *action = window.findChild<QAction *>(u"simulateAction"_s);
    QVERIFY(action);
    action->trigger();
    QPointer<SimulateDialog> dialog = window.findChild<SimulateDialog *>();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    action->trigger();
    QCOMPARE(window.findChildren<SimulateDialog *>().size(), 1); // the same one again
    dialog->thingsBox()->setValue(2);
    dialog->rateBox()->setValue(20);
    QTest::mouseClick(dialog->startButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->shownCount(u"sent"_s).toInt() >= 3, 10000);
    const QString channel = dialog->simulator()->channelId();
    const QStringList things = dialog->simulator()->thingIds();
    window.showPage(mf::ui::MainWindow::OverviewIndex);
    QTest::mouseClick(dialog->liveButton(), Qt::LeftButton);
    QCOMPARE(window.currentPage(), int(mf::ui::MainWindow::LiveIndex));
    QVERIFY(window.close());
    QTRY_VERIFY(dialog.isNull());
    mf::client::RestClient *client = m_session->client();
    for (const QString &id : things)
        QVERIFY(client->removeThing(id).wait());
    QVERIFY(client->removeChannel(channel).wait());
}

void TestSimulateDialog::signedOutCannotStart()
{
    SimulateDialog dialog(m_session.get());
    QVERIFY(dialog.startButton()->isEnabled());
    m_session->signOut();
    QTRY_COMPARE(m_session->state(), Session::State::SignedOut);
    QVERIFY(!dialog.startButton()->isEnabled());
    QVERIFY(!dialog.hintText().isEmpty()); // says why
    if (m_english) QVERIFY2(dialog.hintText().contains(u"Sign in"_s), qPrintable(dialog.hintText()));
}

QTEST_MAIN(TestSimulateDialog)
// Things in dropouts disconnect and connect again; a device that is reconnecting does not publish, so nothing is
// counted as failed (the dashboard showed 201 failed of 336 at 50 % dropouts) and the run still reaches its count.
void TestSimulateDialog::dropoutsAreNotFailures()
{
    mf::client::SimulationPlan plan;
    plan.things = 2;
    plan.rate = 40;
    plan.count = 60;
    plan.protocol = u"mqtt"_s;
    plan.mqttUrl = u"tcp://127.0.0.1:%1"_s.arg(m_session->devicePort(u"mqtt"_s));
    plan.dropout = 1; // every draw sends each thing that is online into a silence
    plan.dropoutCheckMs = 300;
    plan.silenceMinMs = 400;
    plan.silenceSpanMs = 0;
    mf::client::Simulator simulator(*m_session->client(), plan);
    auto provisioned = simulator.provision().wait();
    QVERIFY2(provisioned, provisioned ? "" : qPrintable(provisioned.error().message));
    QSignalSpy finished(&simulator, &mf::client::Simulator::finished);
    simulator.start();
    QVERIFY(finished.wait(60'000));
    const mf::client::SimulationReport report = simulator.report();
    QCOMPARE(report.sent, 60);
    QCOMPARE(report.failed, 0);
    QCOMPARE(report.accepted, 60);
    // The dropouts happened: every thing went offline (its MQTT disconnect) more than once.
    const auto offlines = [this](const QString &thingId) {
        const auto status = m_session->client()->thingStatus(thingId).wait();
        int count = 0;
        if (status)
            for (const QJsonValue &change : status->value("history"_L1).toArray())
                count += change.toObject().value("online"_L1) == QJsonValue(false) ? 1 : 0;
        return count;
    };
    for (const QString &id : simulator.thingIds())
        QTRY_VERIFY_WITH_TIMEOUT(offlines(id) >= 2, 10'000);
    QVERIFY(simulator.cleanUp().wait());
}

#include "tst_simulatedialog.moc"
