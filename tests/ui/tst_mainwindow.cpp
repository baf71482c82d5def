#include "alertspage.h"
#include "backendpage.h"
#include "channelspage.h"
#include "client/backendprocess.h"
#include "client/livestream.h"
#include "client/restclient.h"
#include "entitydialog.h"
#include "livepage.h"
#include "mainwindow.h"
#include "overviewpage.h"
#include "ruledialog.h"
#include "backendpage.h"

#include <QTableWidget>
#include "models/channelsmodel.h"
#include "models/livefiltermodel.h"
#include "models/livemessagesmodel.h"
#include "models/session.h"
#include "models/thingsmodel.h"
#include "models/tokenstore.h"
#include "newuserdialog.h"
#include "signindialog.h"
#include "userspage.h"
#include "models/usersmodel.h"
#include "services/rules/rulesservice.h"
#include "testbackend.h"
#include "thingspage.h"
#include "attentionlists.h"
#include "livechart.h"
#include "statusstrip.h"
#include "thinghistory.h"

#include <QApplication>
#include <QChart>
#include <QLineSeries>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QListWidget>
#include <QSignalSpy>
#include <QTreeWidget>
#include <QTabWidget>
#include <QDir>
#include <QHeaderView>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QTcpServer>
#include <QUdpSocket>
#include <QTest>
#include <QThread>
#include <QTranslator>
#include <QLibraryInfo>

using namespace Qt::StringLiterals;
using mf::ui::MainWindow;
using mf::ui::Session;

// Clicks through the dashboard against a backend in-process (a "remote" profile): sign-up, a thing created, seen in
// the table, deleted after a confirmation naming it; an expired token leads back to sign-in on the same page.
// With MF_SCREENSHOT_DIR set, the main pages are saved there as PNG (docs/screenshots).
class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void signInErrorsShowInline();
    void signUp();
    void newUserIsOneDialog();
    void createThingAndSeeIt();
    void liveListsChannelsCreatedElsewhere();
    void deleteThingWithConfirmation();
    void thingDetailsShowStatusValuesAndRefusals();
    void thingsPageFollowsStatusEvents();
    void alertRuleFiresNotifiesAndIsAcknowledged();
    void overviewListsFollowTheEventStream();
    void thingHistoryShowsStatusStripAndValueChart();
    void expiredTokenLeadsBackToSignIn();
    void liveViewStreamsOverWebSocket();
    void overviewShowsConnectionsServicesAndRate();
    void remoteServerAnnouncesPortsAndProcesses();
    void liveViewFallsBackToPolling();
    void screenshots();
    void localBackendFailureShowsReason();
    void localBackendOverviewShowsRealPorts();
    void takenPortOffersAnother();
    void takenMqttPortOffersAnother();
    void takenCoapPortIsNamed();
    void cleanupTestCase();

private:
    void shoot(QWidget *widget, const QString &name);
    void selectRow(QTableView *view, int row);
    void activate();

    QTemporaryDir m_dir;
    QTranslator m_qtTranslator, m_appTranslator;
    bool m_english = true; // MF_LANG=de (the German screenshots) skips the checks of English wording
    std::unique_ptr<mf::testing::TestBackend> m_backend;
    std::unique_ptr<QSettings> m_settings;
    std::unique_ptr<mf::ui::TokenStore> m_tokens;
    std::unique_ptr<Session> m_session;
    std::unique_ptr<MainWindow> m_window;
};

void TestMainWindow::shoot(QWidget *widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("MF_SCREENSHOT_DIR");
    if (dir.isEmpty()) return;
    QDir().mkpath(dir);
    QTest::qWait(150); // let pending paints and delayed busy indicators settle
    QVERIFY(widget->grab().save(QDir(dir).filePath(name + u".png"_s)));
}

void TestMainWindow::selectRow(QTableView *view, int row)
{
    const QRect rect = view->visualRect(view->model()->index(row, 0));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, rect.center());
}

// Shortcuts reach the active window only; dialogs closing leave the offscreen platform without one.
void TestMainWindow::activate()
{
    m_window->activateWindow();
    QApplication::setActiveWindow(m_window.get());
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
}

void TestMainWindow::initTestCase()
{
    const QString language = qEnvironmentVariable("MF_LANG");
    if (language.isEmpty() || language.startsWith(u"en"_s)) {
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    } else {
        // What the app does with the language setting (app/gui/main.cpp).
        m_english = false;
        const QLocale locale(language);
        QLocale::setDefault(locale);
        if (m_qtTranslator.load(locale, u"qtbase"_s, u"_"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
            QCoreApplication::installTranslator(&m_qtTranslator);
        QVERIFY(m_appTranslator.load(locale, u"mainflux"_s, u"_"_s, u":/i18n"_s));
        QCoreApplication::installTranslator(&m_appTranslator);
    }
    m_backend = std::make_unique<mf::testing::TestBackend>();
    QVERIFY2(m_backend->isRunning(), qPrintable(m_backend->startError()));
    m_settings = std::make_unique<QSettings>(m_dir.filePath(u"settings.ini"_s), QSettings::IniFormat);
    m_tokens = std::make_unique<mf::ui::TokenStore>(u"mainflux-test"_s, m_dir.filePath(u"config"_s));
    m_tokens->setMode(mf::ui::TokenStore::Mode::File);
    m_session = std::make_unique<Session>(nullptr, m_tokens.get());
    mf::ui::Profile profile;
    profile.id = u"test"_s;
    profile.name = u"Lab server"_s;
    profile.kind = mf::ui::Profile::Kind::Remote;
    profile.url = QUrl(m_backend->baseUrl());
    // The in-process backend's WebSocket adapter is on a free port: name it in the profile, as a remote user would.
    const int wsPort = m_backend->backend().readyInfo().value("ports"_L1).toObject().value("ws"_L1).toInt();
    QVERIFY(wsPort > 0);
    profile.liveUrl = QUrl(u"ws://127.0.0.1:%1"_s.arg(wsPort));
    mf::ui::ProfileStore(*m_settings).save(profile);
    mf::ui::ProfileStore(*m_settings).setLastProfileId(profile.id);
    m_window = std::make_unique<MainWindow>(m_session.get(), *m_settings);
    m_window->resize(1200, 760);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_window->openInitialProfile();
    QTRY_COMPARE(m_session->state(), Session::State::SignedOut);
    QTRY_VERIFY(m_window->signInDialog());
    // First run: the server has no account yet, so the dialog opens on "Create account" and says the first account
    // administers the server.
    QVERIFY(m_session->firstAccountPending());
    QVERIFY(m_window->signInDialog()->isSignUp());
    QVERIFY(!m_window->signInDialog()->noticeText().isEmpty());
    if (m_english)
        QVERIFY2(m_window->signInDialog()->noticeText().contains(u"administrator"_s),
                 qPrintable(m_window->signInDialog()->noticeText()));
}

void TestMainWindow::signInErrorsShowInline()
{
    mf::ui::SignInDialog *dialog = m_window->signInDialog();
    QVERIFY(dialog->isVisible());
    dialog->setSignUp(false);
    QVERIFY(!dialog->submitButton()->isEnabled());
    QVERIFY(!dialog->hintText().isEmpty()); // says why next to the disabled button
    QTest::keyClicks(dialog->emailEdit(), u"ann@example.com"_s);
    QTest::keyClicks(dialog->passwordEdit(), u"wrong-password"_s);
    QTest::mouseClick(dialog->submitButton(), Qt::LeftButton);
    QTRY_VERIFY(!dialog->errorText().isEmpty()); // the server's message, in the dialog
    QVERIFY(dialog->isVisible());
    QCOMPARE(m_session->state(), Session::State::SignedOut);
}

void TestMainWindow::signUp()
{
    mf::ui::SignInDialog *dialog = m_window->signInDialog();
    dialog->setSignUp(true);
    dialog->passwordEdit()->clear();
    QTest::keyClicks(dialog->passwordEdit(), u"short"_s);
    QVERIFY(!dialog->submitButton()->isEnabled());
    if (m_english) QVERIFY2(dialog->hintText().contains(u"too short"_s), qPrintable(dialog->hintText()));
    // The whole reason is shown, not its first lines (beside the buttons it was cut off after "(5").
    auto *hint = dialog->findChild<QLabel *>(u"submitHint"_s);
    QVERIFY(hint);
    QTRY_VERIFY2(hint->isVisible() && hint->height() >= hint->heightForWidth(hint->width()),
                 qPrintable(u"%1 px of %2"_s.arg(hint->height()).arg(hint->heightForWidth(hint->width()))));
    QTest::keyClicks(dialog->passwordEdit(), u"-horse"_s); // "short-horse"
    auto *repeat = dialog->findChildren<QLineEdit *>().at(2);
    QTest::keyClicks(repeat, u"short-horsf"_s);
    QVERIFY(!dialog->submitButton()->isEnabled());
    if (m_english) QVERIFY2(dialog->hintText().contains(u"differ"_s), qPrintable(dialog->hintText()));
    dialog->passwordEdit()->clear();
    repeat->clear();
    QTest::keyClicks(dialog->passwordEdit(), u"correct-horse"_s);
    QTest::keyClicks(repeat, u"correct-horse"_s);
    QVERIFY(dialog->submitButton()->isEnabled());
    QVERIFY(dialog->hintText().isEmpty());
    shoot(dialog, u"sign-in"_s);
    QTest::mouseClick(dialog->submitButton(), Qt::LeftButton);
    QTRY_COMPARE(m_session->state(), Session::State::SignedIn);
    QTRY_VERIFY(!m_window->signInDialog());
    QCOMPARE(m_session->user().email, u"ann@example.com"_s);
    if (m_english) QVERIFY(m_window->statusText().contains(u"running"_s));
    QCOMPARE(*m_tokens->load(u"test"_s).wait(), m_session->client()->token()); // kept for the next start
    QVERIFY(m_session->user().admin); // the first account administers
    QVERIFY(!m_session->firstAccountPending());
}

void TestMainWindow::newUserIsOneDialog()
{
    // "New user…" on the Users page: one dialog; a server error appears in it and the input stays.
    m_window->showPage(MainWindow::UsersIndex);
    mf::ui::UsersPage *page = m_window->usersPage();
    QTRY_COMPARE_WITH_TIMEOUT(page->model()->rowCount(), 1, 5000);
    page->newItem();
    mf::ui::NewUserDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = page->findChild<mf::ui::NewUserDialog *>()));
    QVERIFY(!dialog->createButton()->isEnabled());
    QVERIFY(!dialog->hintText().isEmpty());
    QTest::keyClicks(dialog->emailEdit(), u"ann@example.com"_s); // taken
    QTest::keyClicks(dialog->passwordEdit(), u"initial-pass"_s);
    QVERIFY(!dialog->createButton()->isEnabled()); // no repeat yet
    QTest::keyClicks(dialog->repeatEdit(), u"initial-pass"_s);
    QVERIFY(dialog->createButton()->isEnabled());
    QTest::mouseClick(dialog->createButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->errorText().isEmpty(), 5000);
    QVERIFY(dialog->isVisible());
    QCOMPARE(dialog->passwordEdit()->text(), u"initial-pass"_s); // kept for a correction
    QCOMPARE(dialog->repeatEdit()->text(), u"initial-pass"_s);
    shoot(dialog, u"new-user"_s);
    dialog->emailEdit()->clear();
    QTest::keyClicks(dialog->emailEdit(), u"bob@example.com"_s);
    QTest::mouseClick(dialog->createButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!page->findChild<mf::ui::NewUserDialog *>(), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(page->model()->rowCount(), 2, 5000);
    auto bob = m_session->client()->users({}).wait();
    QVERIFY(bob.has_value());
    QCOMPARE(bob->items.size(), 2);
}

void TestMainWindow::createThingAndSeeIt()
{
    m_window->showPage(MainWindow::ThingsIndex);
    mf::ui::ThingsPage *page = m_window->thingsPage();
    QTRY_VERIFY(page->model()->hasLoaded());
    QVERIFY(!page->view()->isVisible()); // the empty state teaches instead
    activate();
    QTest::keyClick(m_window.get(), Qt::Key_N, Qt::ControlModifier);
    mf::ui::EntityDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = page->findChild<mf::ui::EntityDialog *>()));
    QTest::keyClicks(dialog->nameEdit(), u"boiler-7"_s);
    dialog->metadataEdit()->setPlainText(u"{\"room\": \"basement\",}"_s);
    QVERIFY(!dialog->okButton()->isEnabled());
    if (m_english) QVERIFY2(dialog->metadataError().startsWith(u"Line 1, column"_s), qPrintable(dialog->metadataError()));
    dialog->metadataEdit()->setPlainText(u"{\"room\": \"basement\"}"_s);
    QVERIFY(dialog->okButton()->isEnabled());
    QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
    QTRY_COMPARE(page->model()->rowCount(), 1);
    QCOMPARE(page->model()->index(0, mf::ui::ThingsModel::NameColumn).data().toString(), u"boiler-7"_s);
    QCOMPARE(page->model()->thingAt(0).metadata.object().value("room"_L1).toString(), u"basement"_s);
    QTRY_VERIFY(page->view()->isVisible());
}

// A channel made with the CLI or curl while the dashboard is open is in the Live page's list when the page is shown
// (it said "No channels yet" until a restart or F5).
void TestMainWindow::liveListsChannelsCreatedElsewhere()
{
    m_window->showPage(MainWindow::LiveIndex);
    auto *chooser = m_window->livePage()->findChild<QComboBox *>(u"liveChannelChooser"_s);
    QVERIFY(chooser);
    QTRY_COMPARE(chooser->count(), 0);
    m_window->showPage(MainWindow::ThingsIndex);
    auto created = m_session->client()->createChannel(QJsonObject{{u"name"_s, u"made-elsewhere"_s}}).wait();
    QVERIFY2(created, created ? "" : qPrintable(created.error().message));
    m_window->showPage(MainWindow::LiveIndex);
    QTRY_COMPARE(chooser->count(), 1);
    QCOMPARE(chooser->itemData(0).toString(), created->id);
    QVERIFY(m_session->client()->removeChannel(created->id).wait());
    // The Things page too (it said "No things yet" beside the simulator's things), keeping the selected row.
    mf::ui::ThingsPage *things = m_window->thingsPage();
    m_window->showPage(MainWindow::ThingsIndex);
    QTRY_COMPARE(things->model()->rowCount(), 1);
    selectRow(things->view(), 0);
    const QString selected = things->model()->thingAt(0).id;
    m_window->showPage(MainWindow::LiveIndex);
    auto thing = m_session->client()->createThing(QJsonObject{{u"name"_s, u"a-made-elsewhere"_s}}).wait();
    QVERIFY2(thing, thing ? "" : qPrintable(thing.error().message));
    m_window->showPage(MainWindow::OverviewIndex); // its counts are read again too
    QTRY_COMPARE(m_window->overviewPage()->thingsCount(), QLocale().toString(2));
    m_window->showPage(MainWindow::ThingsIndex);
    QTRY_COMPARE(things->model()->rowCount(), 2);
    QTRY_COMPARE(things->view()->selectionModel()->selectedRows().size(), 1);
    QCOMPARE(things->model()->thingAt(things->view()->selectionModel()->selectedRows().first().row()).id, selected);
    QVERIFY(m_session->client()->removeThing(thing->id).wait());
    m_window->showPage(MainWindow::LiveIndex);
    m_window->showPage(MainWindow::ThingsIndex);
    QTRY_COMPARE(things->model()->rowCount(), 1);
}

void TestMainWindow::deleteThingWithConfirmation()
{
    mf::ui::ThingsPage *page = m_window->thingsPage();
    selectRow(page->view(), 0);
    activate();
    QTest::keyClick(m_window.get(), Qt::Key_Delete);
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = page->findChild<QMessageBox *>(u"confirmDelete"_s)));
    QVERIFY2(box->text().contains(u"boiler-7"_s), qPrintable(box->text())); // names what goes
    QAbstractButton *remove = nullptr;
    for (QAbstractButton *button : box->buttons())
        if (box->buttonRole(button) == QMessageBox::DestructiveRole) remove = button;
    QVERIFY(remove);
    QTest::mouseClick(remove, Qt::LeftButton);
    QTRY_COMPARE(page->model()->rowCount(), 0);
    QVERIFY(m_session->client()->things({}).wait()->items.isEmpty());
}

void TestMainWindow::thingDetailsShowStatusValuesAndRefusals()
{
    // A device developer selects the thing: online, what it last said, and why its bad pack was refused.
    mf::client::RestClient *client = m_session->client();
    auto thing = client->createThing(QJsonObject{{u"name"_s, u"probe"_s}}).wait();
    auto channel = client->createChannel(QJsonObject{{u"name"_s, u"lab"_s}}).wait();
    QVERIFY(thing && channel);
    QVERIFY(client->connectMany({channel->id}, {thing->id}).wait().has_value());
    QVERIFY(client->sendMessage(channel->id, {}, u"application/senml+json"_s, "[{\"n\":\"temp\",\"u\":\"Cel\",\"v\":21.5}]",
                                thing->key)
                .wait()
                .has_value());
    QVERIFY(!client->sendMessage(channel->id, {}, u"application/senml+json"_s, "[{\"n\":\"temp\",\"v\":\"hot\"}]",
                                 thing->key)
                 .wait()
                 .has_value());
    QTRY_VERIFY_WITH_TIMEOUT(client->thing(thing->id).wait()->status.online, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(client->refusalsOfThing(thing->id).wait()->value("total"_L1).toInt() == 1, 5000);
    m_window->showPage(MainWindow::ThingsIndex);
    mf::ui::ThingsPage *page = m_window->thingsPage();
    page->refresh();
    QTRY_VERIFY(page->model()->rowOf(thing->id) >= 0);
    selectRow(page->view(), page->model()->rowOf(thing->id));
    if (m_english) {
        QTRY_COMPARE(page->model()->index(page->model()->rowOf(thing->id), mf::ui::ThingsModel::StatusColumn).data(),
                     QVariant(u"Online"_s));
        QTRY_VERIFY_WITH_TIMEOUT(page->latestView()->count() == 1 &&
                                     page->latestView()->item(0)->text() == u"temp = 21.5 Cel"_s,
                                 5000);
        QTRY_VERIFY_WITH_TIMEOUT(page->refusalsView()->count() == 1 &&
                                     page->refusalsView()->item(0)->text().contains(u"http: invalid SenML"_s),
                                 5000);
        QVERIFY(page->refusalsView()->item(0)->toolTip().contains(u"[{\"n\":\"temp\",\"v\":\"hot\"}]"_s));
    }
    QVERIFY(client->removeThing(thing->id).wait().has_value()); // later tests count things
    QVERIFY(client->removeChannel(channel->id).wait().has_value());
}

void TestMainWindow::thingsPageFollowsStatusEvents()
{
    // A fleet operator keeps the Things page open: a device that speaks turns online there from the event stream
    // (ws://.../events). The page polls only while that stream is closed, so once it is open nothing else can flip it.
    m_window->showPage(MainWindow::ThingsIndex);
    mf::ui::ThingsPage *page = m_window->thingsPage();
    QTRY_COMPARE_WITH_TIMEOUT(page->events()->state(), mf::client::LiveStream::State::Open, 10000);
    mf::client::RestClient *client = m_session->client();
    auto thing = client->createThing(QJsonObject{{u"name"_s, u"beacon"_s}}).wait();
    auto channel = client->createChannel(QJsonObject{{u"name"_s, u"yard"_s}}).wait();
    QVERIFY(thing && channel);
    QVERIFY(client->connectMany({channel->id}, {thing->id}).wait().has_value());
    page->refresh();
    QTRY_VERIFY(page->model()->rowOf(thing->id) >= 0);
    QVERIFY(!page->model()->thingAt(page->model()->rowOf(thing->id)).status.online);
    QCOMPARE(page->events()->state(), mf::client::LiveStream::State::Open);
    QVERIFY(client->sendMessage(channel->id, {}, u"application/senml+json"_s, "[{\"n\":\"temp\",\"v\":4}]", thing->key)
                .wait()
                .has_value());
    QTRY_VERIFY_WITH_TIMEOUT(page->model()->thingAt(page->model()->rowOf(thing->id)).status.online, 5000);
    QCOMPARE(page->model()->thingAt(page->model()->rowOf(thing->id)).status.lastProtocol, u"http"_s);
    QVERIFY(client->removeThing(thing->id).wait().has_value()); // later tests count things
    QVERIFY(client->removeChannel(channel->id).wait().has_value());
}

void TestMainWindow::alertRuleFiresNotifiesAndIsAcknowledged()
{
    // A fleet operator watches a boiler: New rule..., the value is offered from what the device sent, Create; the
    // device goes above the threshold: the alert is listed, counted beside "Alerts" and announced; acknowledged,
    // the count goes away.
    // The rules are evaluated off the thread that serves REST and the adapters (here: also the dashboard's).
    QVERIFY(m_backend->backend().rulesService());
    QVERIFY(m_backend->backend().rulesService()->thread() != QThread::currentThread());
    mf::client::RestClient *client = m_session->client();
    auto thing = client->createThing(QJsonObject{{u"name"_s, u"boiler"_s}}).wait();
    auto channel = client->createChannel(QJsonObject{{u"name"_s, u"aaa-boiler-room"_s}}).wait(); // first by name
    QVERIFY(thing && channel);
    QVERIFY(client->connectMany({channel->id}, {thing->id}).wait().has_value());
    QVERIFY(client->sendMessage(channel->id, {}, u"application/senml+json"_s, "[{\"n\":\"temp\",\"v\":20}]", thing->key)
                .wait()
                .has_value());
    QTRY_VERIFY_WITH_TIMEOUT(!client->latestOfChannel(channel->id).wait()->value("values"_L1).toArray().isEmpty(), 5000);
    m_window->showPage(MainWindow::AlertsIndex);
    mf::ui::AlertsPage *page = m_window->alertsPage();
    QTRY_COMPARE_WITH_TIMEOUT(m_session->events()->state(), mf::client::LiveStream::State::Open, 10000);
    QSignalSpy fired(page, &mf::ui::AlertsPage::alertFired);

    mf::ui::RuleDialog dialog(client);
    QTRY_VERIFY(dialog.isReady());
    QCOMPARE(dialog.channelBox()->currentData().toString(), channel->id);
    QCOMPARE(dialog.nameBox()->currentText(), u"temp"_s);           // offered from the last values
    QCOMPARE(dialog.thresholdBox()->value(), 20.0);                  // starting from the last value
    QVERIFY(dialog.createButton()->isEnabled());
    // A band upside down says why Create is disabled; the server's refusal keeps the dialog open as typed.
    dialog.conditionBox()->setCurrentIndex(dialog.conditionBox()->findData(u"outside"_s));
    dialog.lowBox()->setValue(150); // above the high end (100)
    QVERIFY(!dialog.createButton()->isEnabled());
    QVERIFY(!dialog.problemLabel()->text().isEmpty());
    if (m_english) QCOMPARE(dialog.createButton()->toolTip(), u"Low must be below high."_s);
    dialog.lowBox()->setValue(0);
    QVERIFY(dialog.createButton()->isEnabled());
    dialog.conditionBox()->setCurrentIndex(dialog.conditionBox()->findData(u"above"_s));
    dialog.nameBox()->setEditText(u"temp with spaces"_s);
    QTest::mouseClick(dialog.createButton(), Qt::LeftButton);
    QTRY_VERIFY(dialog.createButton()->isEnabled());
    QCOMPARE(dialog.result(), int(QDialog::Rejected)); // not accepted: still open
    QCOMPARE(dialog.nameBox()->currentText(), u"temp with spaces"_s);
    if (m_english) QVERIFY2(dialog.problemLabel()->text().contains(u"refused"_s), qPrintable(dialog.problemLabel()->text()));
    dialog.nameBox()->setEditText(u"temp"_s);
    dialog.thresholdBox()->setValue(25);
    QTest::mouseClick(dialog.createButton(), Qt::LeftButton);
    QTRY_COMPARE(dialog.result(), int(QDialog::Accepted));
    const QString ruleId = dialog.created().value("id"_L1).toString();
    QVERIFY(!ruleId.isEmpty());
    page->refresh();
    QTRY_COMPARE(page->rulesView()->topLevelItemCount(), 1);

    QVERIFY(client->sendMessage(channel->id, {}, u"application/senml+json"_s, "[{\"n\":\"temp\",\"v\":31.5}]", thing->key)
                .wait()
                .has_value());
    QTRY_COMPARE_WITH_TIMEOUT(page->activeCount(), 1, 10000);
    QTRY_COMPARE(fired.size(), 1);
    QTRY_COMPARE(page->alertsView()->topLevelItemCount(), 1);
    QCOMPARE(page->alertsView()->topLevelItem(0)->text(2), QLocale().toString(31.5));
    if (m_english) {
        QVERIFY(fired.first().at(0).toString().contains(u"temp"_s));
        QCOMPARE(m_window->findChild<QListWidget *>(u"navigation"_s)->item(MainWindow::AlertsIndex)->text(),
                 u"Alerts (1)"_s);
    }
    page->alertsView()->topLevelItem(0)->setSelected(true);
    QVERIFY(page->ackAction()->isEnabled());
    page->acknowledgeSelected();
    QTRY_COMPARE(page->activeCount(), 0);
    QTRY_VERIFY(!page->alertsView()->topLevelItem(0)->text(4).isEmpty()); // acknowledged
    if (m_english)
        QCOMPARE(m_window->findChild<QListWidget *>(u"navigation"_s)->item(MainWindow::AlertsIndex)->text(), u"Alerts"_s);

    QVERIFY(client->removeRule(ruleId).wait().has_value());
    QVERIFY(client->removeThing(thing->id).wait().has_value()); // later tests count things
    QVERIFY(client->removeChannel(channel->id).wait().has_value());
}

void TestMainWindow::overviewListsFollowTheEventStream()
{
    // A fleet operator keeps the Overview open: a device that falls silent appears under "Went offline most recently"
    // and a rule that fires under "Active alerts", both from the event stream (the lists do not poll while it is
    // open); a click on either opens the thing or the alert on its page.
    mf::client::RestClient *client = m_session->client();
    activate();
    m_window->showPage(MainWindow::OverviewIndex);
    mf::ui::OverviewPage *overview = m_window->overviewPage();
    overview->refresh();
    QTRY_COMPARE_WITH_TIMEOUT(m_session->events()->state(), mf::client::LiveStream::State::Open, 10000);
    QListWidget *offline = overview->recentlyOffline()->view();
    QListWidget *alerts = overview->activeAlerts()->view();
    // The empty state, not an alert (the previous test's was acknowledged and its rule deleted).
    QTRY_VERIFY(alerts->count() == 1 && alerts->item(0)->data(Qt::UserRole).toString().isEmpty());
    if (m_english) QCOMPARE(alerts->item(0)->text(), u"No active alerts"_s);

    auto thing = client->createThing(QJsonObject{{u"name"_s, u"gateway-3"_s},
                                                 {u"metadata"_s, QJsonObject{{u"offline_after"_s, u"2s"_s}}}})
                     .wait();
    auto channel = client->createChannel(QJsonObject{{u"name"_s, u"substation"_s}}).wait();
    QVERIFY(thing && channel);
    QVERIFY(client->connectMany({channel->id}, {thing->id}).wait().has_value());
    QVERIFY(client->sendMessage(channel->id, {}, u"application/senml+json"_s, "[{\"n\":\"volt\",\"v\":230}]", thing->key)
                .wait()
                .has_value());
    // Online first, then silent for its two seconds: offline, announced on the event stream.
    QTRY_VERIFY_WITH_TIMEOUT(offline->count() > 0 && offline->item(0)->data(Qt::UserRole).toString() == thing->id,
                             15000);
    QCOMPARE(m_session->events()->state(), mf::client::LiveStream::State::Open);
    QVERIFY2(offline->item(0)->text().startsWith(u"gateway-3"_s), qPrintable(offline->item(0)->text()));
    if (m_english)
        QVERIFY2(offline->item(0)->text().contains(u"last seen"_s), qPrintable(offline->item(0)->text()));

    auto rule = client->createRule(QJsonObject{{u"name"_s, u"overvoltage"_s},
                                               {u"channel"_s, channel->id},
                                               {u"senml_name"_s, u"volt"_s},
                                               {u"condition"_s, u"above"_s},
                                               {u"threshold"_s, 240}})
                    .wait();
    QVERIFY(rule.has_value());
    QVERIFY(client->sendMessage(channel->id, {}, u"application/senml+json"_s, "[{\"n\":\"volt\",\"v\":251}]", thing->key)
                .wait()
                .has_value());
    QTRY_VERIFY_WITH_TIMEOUT(!alerts->item(0)->data(Qt::UserRole).toString().isEmpty(), 10000);
    QCOMPARE(alerts->count(), 1);
    QCOMPARE(m_session->events()->state(), mf::client::LiveStream::State::Open);
    QVERIFY2(alerts->item(0)->text().startsWith(u"overvoltage: volt = %1"_s.arg(QLocale().toString(251))),
             qPrintable(alerts->item(0)->text()));
    const QString alertId = alerts->item(0)->data(Qt::UserRole).toString();

    // Click the alert: the Alerts page, on that alert.
    QTest::mouseClick(alerts->viewport(), Qt::LeftButton, {}, alerts->visualItemRect(alerts->item(0)).center());
    QCOMPARE(m_window->currentPage(), int(MainWindow::AlertsIndex));
    QTreeWidget *alertsView = m_window->alertsPage()->alertsView();
    QTRY_VERIFY(alertsView->currentItem() && alertsView->currentItem()->data(0, Qt::UserRole).toString() == alertId);

    // Back on the Overview (the thing turned online with that message and goes silent again): click the thing.
    m_window->showPage(MainWindow::OverviewIndex);
    QTRY_VERIFY_WITH_TIMEOUT(offline->count() > 0 && offline->item(0)->data(Qt::UserRole).toString() == thing->id &&
                                 !client->thing(thing->id).wait()->status.online,
                             15000);
    QTest::mouseClick(offline->viewport(), Qt::LeftButton, {}, offline->visualItemRect(offline->item(0)).center());
    QCOMPARE(m_window->currentPage(), int(MainWindow::ThingsIndex));
    mf::ui::ThingsPage *things = m_window->thingsPage();
    QTRY_VERIFY(things->view()->currentIndex().isValid() &&
                things->model()->thingAt(things->view()->currentIndex().row()).id == thing->id);
    // A thing not loaded yet is found by narrowing the table to its name: clear that for later tests.
    things->focusFilter();
    auto *filter = qobject_cast<QLineEdit *>(QApplication::focusWidget());
    QVERIFY(filter);
    filter->clear();
    QTRY_VERIFY(things->model()->filter().isEmpty());

    // Acknowledged on the Alerts page: gone from the Overview's list when it shows again.
    m_window->showPage(MainWindow::AlertsIndex);
    alertsView->currentItem()->setSelected(true);
    m_window->alertsPage()->acknowledgeSelected();
    QTRY_COMPARE(m_window->alertsPage()->activeCount(), 0);
    m_window->showPage(MainWindow::OverviewIndex);
    QTRY_VERIFY(alerts->count() == 1 && alerts->item(0)->data(Qt::UserRole).toString().isEmpty());

    QVERIFY(client->removeRule(rule->value("id"_L1).toString()).wait().has_value());
    QVERIFY(client->removeThing(thing->id).wait().has_value()); // later tests count things
    QVERIFY(client->removeChannel(channel->id).wait().has_value());
}

void TestMainWindow::thingHistoryShowsStatusStripAndValueChart()
{
    // A device developer selects a kiln that spoke and fell silent: the strip shows it online, then offline because
    // silent (the reason on hover), and the chart shows the values it sent of the chosen name, then of another.
    mf::client::RestClient *client = m_session->client();
    auto thing = client->createThing(QJsonObject{{u"name"_s, u"kiln"_s},
                                                 {u"metadata"_s, QJsonObject{{u"offline_after"_s, u"2s"_s}}}})
                     .wait();
    auto channel = client->createChannel(QJsonObject{{u"name"_s, u"pottery"_s}}).wait();
    QVERIFY(thing && channel);
    QVERIFY(client->connectMany({channel->id}, {thing->id}).wait().has_value());
    const double now = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
    const QList<std::pair<double, double>> temps{{now - 120, 100}, {now - 60, 200}, {now - 1, 300}};
    for (const auto &[t, v] : temps) {
        const QByteArray senml = QJsonDocument(QJsonArray{QJsonObject{{u"bn"_s, u"kiln:"_s},
                                                                      {u"bt"_s, t},
                                                                      {u"n"_s, u"temp"_s},
                                                                      {u"u"_s, u"Cel"_s},
                                                                      {u"v"_s, v}},
                                                          QJsonObject{{u"n"_s, u"door"_s}, {u"vs"_s, u"closed"_s}},
                                                          QJsonObject{{u"n"_s, u"fan"_s}, {u"v"_s, v / 100}}})
                                     .toJson(QJsonDocument::Compact);
        QVERIFY(client->sendMessage(channel->id, {}, u"application/senml+json"_s, senml, thing->key).wait().has_value());
    }
    // Online with the first message, offline once silent for two seconds.
    QTRY_VERIFY_WITH_TIMEOUT(client->thingStatus(thing->id).wait()->value("history"_L1).toArray().size() == 2, 15000);
    QTRY_VERIFY_WITH_TIMEOUT(client->latestOfThing(thing->id).wait()->value("values"_L1).toArray().size() == 3, 5000);

    m_window->showPage(MainWindow::ThingsIndex);
    mf::ui::ThingsPage *page = m_window->thingsPage();
    page->refresh();
    QTRY_VERIFY(page->model()->rowOf(thing->id) >= 0);
    selectRow(page->view(), page->model()->rowOf(thing->id));
    mf::ui::ThingHistory *history = page->history();
    QVERIFY(history->isVisible());
    using Stretch = mf::ui::StatusStrip::Stretch;
    QTRY_COMPARE(history->strip()->stretches().size(), 3); // nothing recorded before it was made, online, offline
    const QList<Stretch> stretches = history->strip()->stretches();
    QCOMPARE(stretches.at(0).state, Stretch::State::Unknown);
    QCOMPARE(stretches.at(1).state, Stretch::State::Online);
    QCOMPARE(stretches.at(1).reason, u"message"_s);
    QCOMPARE(stretches.at(1).protocol, u"http"_s);
    QCOMPARE(stretches.at(2).state, Stretch::State::Offline);
    QCOMPARE(stretches.at(2).reason, u"silent"_s);
    // What is drawn: grey (offline) at the right end, pale (no record) at the left, the reason on hover.
    const QImage drawn = history->strip()->grab().toImage();
    const QRect strip = history->strip()->stripRect();
    QCOMPARE(drawn.pixelColor(strip.right() - 2, strip.center().y()), mf::ui::StatusStrip::colorOf(Stretch::State::Offline));
    QCOMPARE(drawn.pixelColor(strip.left() + 2, strip.center().y()), mf::ui::StatusStrip::colorOf(Stretch::State::Unknown));
    QVERIFY(history->strip()->toolTipAt(strip.right() - 2).contains(u"silent"_s));
    if (m_english)
        QVERIFY2(history->strip()->toolTipAt(strip.right() - 2).startsWith(u"Offline since"_s),
                 qPrintable(history->strip()->toolTipAt(strip.right() - 2)));

    // The chart: numeric values only (not the door's string), the first chosen, its three points in time order.
    QTRY_COMPARE(history->valueBox()->count(), 2);
    history->valueBox()->setCurrentIndex(history->valueBox()->findData(QStringList{channel->id, u"kiln:temp"_s}));
    QVERIFY(history->valueBox()->currentIndex() >= 0);
    Q_EMIT history->valueBox()->activated(history->valueBox()->currentIndex());
    QTRY_COMPARE(history->chart()->points(u"kiln:temp"_s).size(), 3);
    const QList<QPointF> points = history->chart()->points(u"kiln:temp"_s);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(points.at(i).y(), temps.at(i).second);
        QCOMPARE(qint64(points.at(i).x() / 1000), qint64(temps.at(i).first));
    }
    QVERIFY(history->chart()->points(u"kiln:fan"_s).isEmpty()); // one value at a time
    if (m_english) QCOMPARE(history->chartNote()->text(), u"3 message(s) in the last 24 hours"_s);

    // The choice stays for the next thing that has it; a thing without values says there is nothing to chart.
    auto quiet = client->createThing(QJsonObject{{u"name"_s, u"kiln-spare"_s}}).wait();
    QVERIFY(quiet.has_value());
    page->refresh();
    QTRY_VERIFY(page->model()->rowOf(quiet->id) >= 0);
    selectRow(page->view(), page->model()->rowOf(quiet->id));
    QTRY_VERIFY(!history->valueBox()->isEnabled() && !history->chartNote()->text().isEmpty());
    QTRY_COMPARE(history->strip()->stretches().size(), 1);
    QCOMPARE(history->strip()->stretches().at(0).state, Stretch::State::Offline); // never heard from
    selectRow(page->view(), page->model()->rowOf(thing->id));
    QTRY_COMPARE(history->chart()->points(u"kiln:temp"_s).size(), 3);

    QVERIFY(client->removeThing(quiet->id).wait().has_value());
    QVERIFY(client->removeThing(thing->id).wait().has_value()); // later tests count things
    QVERIFY(client->removeChannel(channel->id).wait().has_value());
}

void TestMainWindow::expiredTokenLeadsBackToSignIn()
{
    m_window->showPage(MainWindow::ThingsIndex);
    m_session->client()->setToken(u"expired-token"_s); // as if the server had revoked it
    activate();
    QTest::keyClick(m_window.get(), Qt::Key_F5);
    QTRY_COMPARE(m_session->state(), Session::State::SignedOut);
    QTRY_VERIFY(m_window->signInDialog());
    mf::ui::SignInDialog *dialog = m_window->signInDialog();
    if (m_english) QVERIFY(dialog->errorText().contains(u"session ended"_s));
    QCOMPARE(m_window->currentPage(), int(MainWindow::ThingsIndex)); // the page stays
    QCOMPARE(dialog->emailEdit()->text(), u"ann@example.com"_s);
    QTest::keyClicks(dialog->passwordEdit(), u"correct-horse"_s);
    QTest::mouseClick(dialog->submitButton(), Qt::LeftButton);
    QTRY_COMPARE(m_session->state(), Session::State::SignedIn);
    QCOMPARE(m_window->currentPage(), int(MainWindow::ThingsIndex));
}

void TestMainWindow::screenshots()
{
    // Some realistic data: things, channels, connections and a few minutes of readings.
    mf::client::RestClient *client = m_session->client();
    QStringList thingIds, keys;
    const QStringList names{u"boiler-7"_s,      u"boiler-8"_s,       u"greenhouse-sensor-1"_s, u"greenhouse-sensor-2"_s,
                            u"dashboard-app"_s, u"pump-controller"_s};
    for (const QString &name : names) {
        // Two devices fall silent after a second: the Overview lists them as gone offline.
        QJsonObject metadata{{u"site"_s, u"Berlin"_s}};
        if (name == u"pump-controller"_s || name == u"greenhouse-sensor-1"_s) metadata.insert(u"offline_after"_s, u"1s"_s);
        auto thing = client
                         ->createThing(QJsonObject{{u"name"_s, name},
                                                   {u"type"_s, name.endsWith(u"-app"_s) ? u"app"_s : u"device"_s},
                                                   {u"metadata"_s, metadata}})
                         .wait();
        QVERIFY(thing.has_value());
        thingIds.append(thing->id);
        keys.append(thing->key);
    }
    auto boilerRoom = client->createChannel(QJsonObject{{u"name"_s, u"boiler-room"_s}}).wait();
    auto greenhouse = client->createChannel(QJsonObject{{u"name"_s, u"greenhouse"_s}}).wait();
    QVERIFY(boilerRoom && greenhouse);
    QVERIFY(client->connectMany({boilerRoom->id}, {thingIds[0], thingIds[1], thingIds[4]}).wait().has_value());
    QVERIFY(client->connectMany({greenhouse->id}, {thingIds[2], thingIds[3], thingIds[5]}).wait().has_value());
    // One rule that fires with the first reading and stays firing (the Alerts page and the Overview show it).
    auto rule = client->createRule(QJsonObject{{u"name"_s, u"pressure high"_s},
                                               {u"channel"_s, boilerRoom->id},
                                               {u"senml_name"_s, u"boiler:pressure"_s},
                                               {u"condition"_s, u"above"_s},
                                               {u"threshold"_s, 1.2}})
                    .wait();
    QVERIFY(rule.has_value());
    for (int i : {5, 2})
        QVERIFY(client->sendMessage(greenhouse->id, {}, u"application/senml+json"_s,
                                    "[{\"n\":\"humidity\",\"u\":\"%RH\",\"v\":61}]", keys[i])
                    .wait()
                    .has_value());
    const double now = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
    for (int i = 0; i < 40; ++i) {
        const double t = now - 200 + i * 5;
        const QByteArray senml = QJsonDocument(QJsonArray{QJsonObject{{u"bn"_s, u"boiler:"_s},
                                                                      {u"bt"_s, t},
                                                                      {u"n"_s, u"temp"_s},
                                                                      {u"u"_s, u"Cel"_s},
                                                                      {u"v"_s, 70.0 + 2.0 * std::sin(i / 4.0)}},
                                                          QJsonObject{{u"n"_s, u"pressure"_s},
                                                                      {u"u"_s, u"bar"_s},
                                                                      {u"v"_s, 1.5 + 0.1 * std::cos(i / 3.0)}}})
                                     .toJson(QJsonDocument::Compact);
        QVERIFY(client->sendMessage(boilerRoom->id, u"room1"_s, u"application/senml+json"_s, senml, keys[i % 2])
                    .wait()
                    .has_value());
    }
    // The writer stores asynchronously: wait until the reader sees them all.
    mf::client::MessageQuery query;
    query.limit = 100;
    QTRY_COMPARE_WITH_TIMEOUT(
        client->readMessages(boilerRoom->id, query, {mf::client::Credential::Kind::UserToken, client->token()})
            .wait()
            ->value("total"_L1)
            .toInt(),
        80, 15000);

    activate();
    m_window->showPage(MainWindow::OverviewIndex);
    QTest::keyClick(m_window.get(), Qt::Key_F5);
    QListWidget *offline = m_window->overviewPage()->recentlyOffline()->view();
    QListWidget *active = m_window->overviewPage()->activeAlerts()->view();
    QTRY_VERIFY_WITH_TIMEOUT(offline->count() == 2 && !offline->item(1)->data(Qt::UserRole).toString().isEmpty(), 15000);
    QCOMPARE(offline->item(0)->data(Qt::UserRole).toString(), thingIds[2]); // the last one to speak, first
    QTRY_VERIFY_WITH_TIMEOUT(active->count() == 1 && !active->item(0)->data(Qt::UserRole).toString().isEmpty(), 10000);
    QTest::qWait(300);
    shoot(m_window.get(), u"overview"_s);

    m_window->showPage(MainWindow::AlertsIndex);
    QTRY_COMPARE(m_window->alertsPage()->alertsView()->topLevelItemCount(), 1);
    QTRY_COMPARE(m_window->alertsPage()->rulesView()->topLevelItemCount(), 1);
    QTest::qWait(300);
    shoot(m_window.get(), u"alerts"_s);

    m_window->showPage(MainWindow::ThingsIndex);
    QTest::keyClick(m_window.get(), Qt::Key_F5);
    QTRY_COMPARE(m_window->thingsPage()->model()->rowCount(), names.size());
    selectRow(m_window->thingsPage()->view(), 0);
    QTest::qWait(300);
    shoot(m_window.get(), u"things"_s);

    m_window->showPage(MainWindow::ChannelsIndex);
    QTest::keyClick(m_window.get(), Qt::Key_F5);
    QTRY_COMPARE(m_window->channelsPage()->model()->rowCount(), 2);
    selectRow(m_window->channelsPage()->view(), m_window->channelsPage()->model()->rowOf(boilerRoom->id));
    QTest::qWait(300);
    shoot(m_window.get(), u"channels"_s);

    QTest::keyClick(m_window.get(), Qt::Key_L, Qt::ControlModifier); // live view of the selected channel
    QCOMPARE(m_window->currentPage(), int(MainWindow::LiveIndex));
    QCOMPARE(m_window->livePage()->channelId(), boilerRoom->id);
    m_window->livePage()->watch(greenhouse->id); // a second tab, then back
    m_window->livePage()->watch(boilerRoom->id);
    QCOMPARE(m_window->livePage()->viewCount(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->livePage()->model()->rowCount(), 80, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->livePage()->currentView()->source(), mf::ui::LiveChannelView::Source::Stream, 10000); // history may come first
    QTest::qWait(500);
    shoot(m_window.get(), u"live"_s);
    const QString csv = m_dir.filePath(u"export.csv"_s);
    m_window->livePage()->exportMessages(csv);
    QFile exported(csv);
    QVERIFY(exported.open(QIODevice::ReadOnly));
    QCOMPARE(exported.readAll().count('\n'), 81);

    m_window->showPage(MainWindow::UsersIndex);
    QTest::qWait(300);
    shoot(m_window.get(), u"users"_s);
    m_window->showPage(MainWindow::BackendIndex);
    QTest::qWait(200);
    shoot(m_window.get(), u"backend-remote"_s);
}

void TestMainWindow::overviewShowsConnectionsServicesAndRate()
{
    // Counts of things, channels and connections; every service with its state; messages per second from /health.
    mf::client::RestClient *client = m_session->client();
    QVERIFY(client);
    auto thing = client->createThing(QJsonObject{{u"name"_s, u"meter"_s}}).wait();
    auto channel = client->createChannel(QJsonObject{{u"name"_s, u"energy"_s}}).wait();
    QVERIFY(thing && channel);
    QVERIFY(client->connectMany({channel->id}, {thing->id}).wait().has_value());
    activate();
    m_window->showPage(MainWindow::OverviewIndex);
    mf::ui::OverviewPage *overview = m_window->overviewPage();
    overview->refresh();
    QTRY_COMPARE(overview->connectionsCount(), QLocale().toString(1));
    overview->sample();
    QTRY_VERIFY2(overview->servicesText().contains(u"mosquitto ✔"_s), qPrintable(overview->servicesText()));
    QVERIFY2(overview->servicesText().contains(u"nats-server ✔"_s), qPrintable(overview->servicesText()));
    QTRY_VERIFY(overview->messagesPerSecond() >= 0); // two samples taken: a rate exists
    for (int i = 0; i < 20; ++i)
        QVERIFY(client->sendMessage(channel->id, {}, u"text/plain"_s, "tick", thing->key).wait().has_value());
    overview->sample();
    QTRY_VERIFY2(overview->messagesPerSecond() > 0, qPrintable(QString::number(overview->messagesPerSecond())));
    // The meter just sent: it counts as online (the status service hears it within a second).
    QTRY_VERIFY_WITH_TIMEOUT((overview->refresh(), overview->onlineCount() == QLocale().toString(1)), 5000);
    QVERIFY(client->removeThing(thing->id).wait().has_value()); // later tests count things
    QVERIFY(client->removeChannel(channel->id).wait().has_value());
}

void TestMainWindow::remoteServerAnnouncesPortsAndProcesses()
{
    // A remote server's /cluster names its real ports (no "(default port)" guess) and every process of the cluster.
    const int mqttPort = m_backend->backend().readyInfo().value("ports"_L1).toObject().value("mqtt"_L1).toInt();
    QVERIFY(mqttPort > 0 && mqttPort != 1883);
    activate();
    m_session->checkHealth();
    m_window->showPage(MainWindow::OverviewIndex);
    const QString mqttEndpoint = u"mqtt://127.0.0.1:%1"_s.arg(mqttPort);
    QTRY_VERIFY2(m_window->overviewPage()->endpoints().join(u'\n').contains(mqttEndpoint),
                 qPrintable(m_window->overviewPage()->endpoints().join(u'\n')));
    QVERIFY(!m_window->overviewPage()->endpoints().join(u'\n').contains(u"(default port)"_s));
    QVERIFY(!m_window->backendPage()->controlsShown()); // a remote server is not started or stopped from here
    QTableWidget *processes = m_window->backendPage()->processesTable();
    QTRY_COMPARE(processes->rowCount(), 1);
    QVERIFY2(processes->item(0, 0)->text().contains(u"things"_s), qPrintable(processes->item(0, 0)->text()));
    QCOMPARE(processes->item(0, 1)->text(), m_english ? u"running"_s : u"läuft"_s);
    QVERIFY(processes->item(0, 4)->text().contains(u"mqtt %1"_s.arg(mqttPort)));
}

void TestMainWindow::liveViewStreamsOverWebSocket()
{
    // A thing and two channels; Ctrl+L on the Channels page opens the selected channel's live tab, which uses the
    // WebSocket stream; a SenML message published over HTTP appears in the table and as a series in the chart.
    mf::client::RestClient *client = m_session->client();
    QVERIFY(client);
    auto thing = client->createThing(QJsonObject{{u"name"_s, u"lab-sensor"_s}}).wait();
    auto lab = client->createChannel(QJsonObject{{u"name"_s, u"lab"_s}}).wait();
    auto yard = client->createChannel(QJsonObject{{u"name"_s, u"yard"_s}}).wait();
    QVERIFY(thing && lab && yard);
    QVERIFY(client->connectMany({lab->id, yard->id}, {thing->id}).wait().has_value());

    activate();
    m_window->showPage(MainWindow::ChannelsIndex);
    QTest::keyClick(m_window.get(), Qt::Key_F5);
    QTRY_VERIFY(m_window->channelsPage()->model()->rowOf(lab->id) >= 0);
    selectRow(m_window->channelsPage()->view(), m_window->channelsPage()->model()->rowOf(lab->id));
    QTest::keyClick(m_window.get(), Qt::Key_L, Qt::ControlModifier);
    QCOMPARE(m_window->currentPage(), int(MainWindow::LiveIndex));
    mf::ui::LivePage *live = m_window->livePage();
    QCOMPARE(live->channelId(), lab->id);
    mf::ui::LiveChannelView *view = live->currentView();
    QVERIFY(view);
    QTRY_COMPARE_WITH_TIMEOUT(view->source(), mf::ui::LiveChannelView::Source::Stream, 10000);
    QVERIFY2(view->sourceText().contains(u"WebSocket"_s), qPrintable(view->sourceText())); // German keeps the word

    const double now = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
    const QByteArray senml =
        QJsonDocument(QJsonArray{QJsonObject{{u"bn"_s, u"lab:"_s}, {u"bt"_s, now}, {u"n"_s, u"temp"_s}, {u"u"_s, u"Cel"_s}, {u"v"_s, 21.5}},
                                 QJsonObject{{u"n"_s, u"humidity"_s}, {u"u"_s, u"%RH"_s}, {u"v"_s, 40.0}}})
            .toJson(QJsonDocument::Compact);
    QVERIFY(client->sendMessage(lab->id, u"bench"_s, u"application/senml+json"_s, senml, thing->key).wait().has_value());
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 2, 5000);
    QStringList names;
    for (int row = 0; row < 2; ++row)
        names.append(view->model()->index(row, mf::ui::LiveMessagesModel::NameColumn).data().toString());
    QVERIFY2(names.contains(u"lab:temp"_s), qPrintable(names.join(u',')));
    QVERIFY(view->model()->index(names.indexOf(u"lab:temp"_s), mf::ui::LiveMessagesModel::ValueColumn).data().toString().contains(QLocale().toString(21.5)));
    // Came over the stream, not the poller (which is stopped while the stream is open).
    QCOMPARE(view->source(), mf::ui::LiveChannelView::Source::Stream);

    QLineSeries *temp = nullptr;
    for (QAbstractSeries *series : view->chart()->series())
        if (series->objectName() == u"lab:temp"_s) temp = qobject_cast<QLineSeries *>(series);
    QVERIFY(temp);
    QCOMPARE(temp->count(), 1);
    QCOMPARE(temp->at(0).y(), 21.5);
    QCOMPARE(view->chart()->series().size(), 2);

    // A second message: one more point in the same series.
    QVERIFY(client->sendMessage(lab->id, {}, u"application/senml+json"_s,
                                QJsonDocument(QJsonArray{QJsonObject{{u"n"_s, u"lab:temp"_s}, {u"v"_s, 22.0}}})
                                    .toJson(QJsonDocument::Compact),
                                thing->key)
                .wait()
                .has_value());
    QTRY_COMPARE_WITH_TIMEOUT(temp->count(), 2, 5000);

    // Typing into the name filter narrows the table and hides the other series; clearing it shows all again.
    const int all = view->filter()->rowCount();
    QVERIFY(all >= 3);
    QTest::keyClicks(view->nameFilterEdit(), u"TEMP"_s);
    QCOMPARE(view->filter()->rowCount(), 2); // the two lab:temp records
    for (int row = 0; row < view->filter()->rowCount(); ++row)
        QCOMPARE(view->filter()->index(row, mf::ui::LiveMessagesModel::NameColumn).data().toString(), u"lab:temp"_s);
    int visibleSeries = 0;
    for (QAbstractSeries *series : view->chart()->series())
        visibleSeries += series->isVisible();
    QCOMPARE(visibleSeries, 1);
    QTest::keyClicks(view->publisherFilterEdit(), u"no-such-publisher"_s);
    QCOMPARE(view->filter()->rowCount(), 0);
    view->publisherFilterEdit()->clear();
    view->nameFilterEdit()->clear();
    QCOMPARE(view->filter()->rowCount(), all);

    // The chart follows live data until the user scrolls back.
    QVERIFY(view->isFollowing());
    view->scrollBack(60);
    QVERIFY(!view->isFollowing());
    view->setFollowing(true);

    // One tab per channel: a second channel opens a second tab; Ctrl+L on the first brings its tab back.
    QVERIFY(live->watch(yard->id));
    QCOMPARE(live->viewCount(), 2);
    QCOMPARE(live->channelId(), yard->id);
    m_window->showPage(MainWindow::ChannelsIndex); // reads the list again
    QTRY_VERIFY(m_window->channelsPage()->model()->rowOf(lab->id) >= 0);
    selectRow(m_window->channelsPage()->view(), m_window->channelsPage()->model()->rowOf(lab->id));
    QTest::keyClick(m_window.get(), Qt::Key_L, Qt::ControlModifier);
    QCOMPARE(live->viewCount(), 2);
    QCOMPARE(live->channelId(), lab->id);
    QTRY_COMPARE(live->tabs()->tabText(live->tabs()->currentIndex()), u"lab"_s);
    // Tidy up for the screenshots: close both tabs, delete what was made here.
    live->tabs()->tabCloseRequested(1);
    live->tabs()->tabCloseRequested(0);
    QCOMPARE(live->viewCount(), 0);
    QVERIFY(client->removeThing(thing->id).wait().has_value());
    QVERIFY(client->removeChannel(lab->id).wait().has_value());
    QVERIFY(client->removeChannel(yard->id).wait().has_value());
}

void TestMainWindow::liveViewFallsBackToPolling()
{
    // A profile whose live stream URL has nothing listening: the tab polls the reader, says so, and still shows
    // what is published.
    QTemporaryDir dir;
    mf::ui::TokenStore tokens(u"mainflux-test"_s, dir.filePath(u"config"_s));
    tokens.setMode(mf::ui::TokenStore::Mode::File);
    Session session(nullptr, &tokens);
    mf::ui::Profile profile;
    profile.id = u"nows"_s;
    profile.kind = mf::ui::Profile::Kind::Remote;
    profile.url = QUrl(m_backend->baseUrl());
    QTcpServer closed; // a port that was free a moment ago
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    profile.liveUrl = QUrl(u"ws://127.0.0.1:%1"_s.arg(closed.serverPort()));
    closed.close();
    session.open(profile);
    QTRY_COMPARE(session.state(), Session::State::SignedOut);
    session.signIn(u"ann@example.com"_s, u"correct-horse"_s);
    QTRY_COMPARE(session.state(), Session::State::SignedIn);

    mf::client::RestClient *client = session.client();
    auto thing = client->createThing(QJsonObject{{u"name"_s, u"poll-sensor"_s}}).wait();
    auto channel = client->createChannel(QJsonObject{{u"name"_s, u"polled"_s}}).wait();
    QVERIFY(thing && channel);
    QVERIFY(client->connectMany({channel->id}, {thing->id}).wait().has_value());

    mf::ui::LivePage page(&session);
    page.resize(900, 600);
    page.show();
    page.sessionReady();
    mf::ui::LiveChannelView *view = page.watch(channel->id);
    QTRY_COMPARE_WITH_TIMEOUT(view->source(), mf::ui::LiveChannelView::Source::Polling, 10000);
    if (m_english) QVERIFY2(view->sourceText().contains(u"Polling"_s), qPrintable(view->sourceText()));
    QVERIFY(client->sendMessage(channel->id, {}, u"application/senml+json"_s,
                                QJsonDocument(QJsonArray{QJsonObject{{u"n"_s, u"poll:temp"_s}, {u"v"_s, 5.0}}})
                                    .toJson(QJsonDocument::Compact),
                                thing->key)
                .wait()
                .has_value());
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->rowCount(), 1, 10000);
    QCOMPARE(view->model()->index(0, mf::ui::LiveMessagesModel::NameColumn).data().toString(), u"poll:temp"_s);
    QTRY_COMPARE(view->chart()->series().size(), 1);
    page.tabs()->tabCloseRequested(0);
    QVERIFY(client->removeThing(thing->id).wait().has_value());
    QVERIFY(client->removeChannel(channel->id).wait().has_value());
    session.close();
}

void TestMainWindow::localBackendOverviewShowsRealPorts()
{
    // "This computer": the bundled backend on free ports; the Overview names the ports of its ready line.
    QTemporaryDir dir;
    mf::client::BackendProcess backend;
    backend.setProgram(QStringLiteral(MF_BACKEND_PATH_FOR_GUI));
    backend.setDataDir(dir.path());
    backend.setExtraArguments({u"--ws-port"_s, u"0"_s, u"--mqtt-port"_s, u"0"_s, u"--mqtt-ws-port"_s, u"0"_s,
                               u"--coap-port"_s, u"0"_s});
    QSettings settings(dir.filePath(u"settings.ini"_s), QSettings::IniFormat);
    mf::ui::TokenStore tokens(u"mainflux-test"_s, dir.filePath(u"config"_s));
    tokens.setMode(mf::ui::TokenStore::Mode::File);
    Session session(&backend, &tokens);
    MainWindow window(&session, settings);
    window.resize(1100, 700);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.openInitialProfile();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), Session::State::SignedOut, 20000);
    const int ws = backend.port(u"ws"_s), mqtt = backend.port(u"mqtt"_s), coap = backend.port(u"coap"_s);
    QVERIFY(ws > 0 && mqtt > 0 && coap > 0);
    QVERIFY(ws != 8186 || mqtt != 1883);
    window.overviewPage()->refresh();
    const QString endpoints = window.overviewPage()->endpoints().join(u'\n');
    QVERIFY2(endpoints.contains(u"ws://127.0.0.1:%1/channels/"_s.arg(ws)), qPrintable(endpoints));
    QVERIFY2(endpoints.contains(u"mqtt://127.0.0.1:%1"_s.arg(mqtt)), qPrintable(endpoints));
    QVERIFY2(endpoints.contains(u"coap://127.0.0.1:%1/channels/"_s.arg(coap)), qPrintable(endpoints));
    QCOMPARE(session.liveUrl(), QUrl(u"ws://127.0.0.1:%1"_s.arg(ws)));
    window.showPage(MainWindow::BackendIndex);
    window.backendPage()->refresh();
    QVERIFY(window.backendPage()->controlsShown()); // the backend this dashboard runs: start, stop, restart
    window.close();
    session.close();
    backend.stop();
    QTRY_COMPARE_WITH_TIMEOUT(backend.state(), mf::client::BackendProcess::State::Stopped, 15000);
}

void TestMainWindow::takenPortOffersAnother()
{
    // The bundled backend keeps its REST port; when another program holds it, the failure page says so and offers
    // the next free port, which then works and is remembered.
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost));
    const int taken = squatter.serverPort();
    QTemporaryDir dir;
    mf::client::BackendProcess backend;
    backend.setProgram(QStringLiteral(MF_BACKEND_PATH_FOR_GUI));
    backend.setDataDir(dir.path());
    backend.setHttpPort(taken);
    backend.setExtraArguments({u"--ws-port"_s, u"0"_s, u"--mqtt-port"_s, u"0"_s, u"--mqtt-ws-port"_s, u"0"_s,
                               u"--coap-port"_s, u"0"_s});
    QSettings settings(dir.filePath(u"settings.ini"_s), QSettings::IniFormat);
    mf::ui::TokenStore tokens(u"mainflux-test"_s, dir.filePath(u"config"_s));
    tokens.setMode(mf::ui::TokenStore::Mode::File);
    Session session(&backend, &tokens);
    MainWindow window(&session, settings);
    window.resize(1000, 600);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.openInitialProfile();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), Session::State::Failed, 15000);
    QVERIFY(backend.isPortTaken());
    QVERIFY2(window.connectionText().contains(QString::number(taken)), qPrintable(window.connectionText()));
    QVERIFY(window.otherPortButton()->isVisible());
    shoot(&window, u"port-taken"_s);
    QTest::mouseClick(window.otherPortButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), Session::State::SignedOut, 20000);
    const int port = backend.port(u"http"_s);
    QVERIFY(port > taken);
    QVERIFY2(session.serverUrl().contains(u"127.0.0.1:%1"_s.arg(port)), qPrintable(session.serverUrl()));
    QCOMPARE(settings.value(u"backend/httpPort"_s).toInt(), port); // the next start uses it again
    QVERIFY(session.firstAccountPending()); // a fresh data folder: the sign-in dialog opens on "Create account"
    QTRY_VERIFY(window.signInDialog());
    QVERIFY(window.signInDialog()->isSignUp());
    window.signInDialog()->reject();
    window.close();
    session.close();
    backend.stop();
    QTRY_COMPARE_WITH_TIMEOUT(backend.state(), mf::client::BackendProcess::State::Stopped, 15000);
}

void TestMainWindow::takenMqttPortOffersAnother()
{
    // Not only the REST port: another program listening on the MQTT port (a system mosquitto on 1883, say) fails the
    // start with that port named, and "use another port" picks a free one, remembers it and brings the backend up.
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost));
    const int taken = squatter.serverPort();
    QTemporaryDir dir;
    mf::client::BackendProcess backend;
    backend.setProgram(QStringLiteral(MF_BACKEND_PATH_FOR_GUI));
    backend.setDataDir(dir.path());
    backend.setHttpPort(0);
    backend.setAdapterPort(u"mqtt"_s, taken);
    backend.setExtraArguments({u"--ws-port"_s, u"0"_s, u"--mqtt-ws-port"_s, u"0"_s, u"--coap-port"_s, u"0"_s});
    QSettings settings(dir.filePath(u"settings.ini"_s), QSettings::IniFormat);
    mf::ui::TokenStore tokens(u"mainflux-test"_s, dir.filePath(u"config"_s));
    tokens.setMode(mf::ui::TokenStore::Mode::File);
    Session session(&backend, &tokens);
    MainWindow window(&session, settings);
    window.resize(1000, 600);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.openInitialProfile();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), Session::State::Failed, 15000);
    QCOMPARE(backend.takenPortName(), u"mqtt"_s);
    QCOMPARE(backend.takenPort(), taken);
    QVERIFY2(window.connectionText().contains(QString::number(taken)), qPrintable(window.connectionText()));
    QVERIFY2(window.connectionText().contains(u"MQTT"_s), qPrintable(window.connectionText()));
    QVERIFY(window.otherPortButton()->isVisible());
    QVERIFY2(window.otherPortButton()->text().contains(u"MQTT"_s), qPrintable(window.otherPortButton()->text()));
    shoot(&window, u"port-taken-mqtt"_s);
    QTest::mouseClick(window.otherPortButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), Session::State::SignedOut, 20000);
    const int port = backend.port(u"mqtt"_s);
    QVERIFY2(port > taken, qPrintable(QString::number(port)));
    QVERIFY(!mf::client::BackendProcess::isPortFree(port)); // the bundled broker really listens there
    QCOMPARE(settings.value(u"backend/mqttPort"_s).toInt(), port); // the next start uses it again
    window.close();
    session.close();
    backend.stop();
    QTRY_COMPARE_WITH_TIMEOUT(backend.state(), mf::client::BackendProcess::State::Stopped, 15000);
}

void TestMainWindow::takenCoapPortIsNamed()
{
    // The CoAP port is UDP: a program bound there is found too, and the other port offered is a free UDP one.
    QUdpSocket squatter;
    QVERIFY(squatter.bind(QHostAddress::LocalHost, 0, QAbstractSocket::DontShareAddress));
    const int taken = squatter.localPort();
    QVERIFY(!mf::client::BackendProcess::isPortFree(taken, true));
    QTemporaryDir dir;
    mf::client::BackendProcess backend;
    backend.setProgram(QStringLiteral(MF_BACKEND_PATH_FOR_GUI));
    backend.setDataDir(dir.path());
    backend.setHttpPort(0);
    backend.setAdapterPort(u"coap"_s, taken);
    backend.setExtraArguments({u"--ws-port"_s, u"0"_s, u"--mqtt-port"_s, u"0"_s, u"--mqtt-ws-port"_s, u"0"_s});
    backend.start();
    QTRY_COMPARE(backend.state(), mf::client::BackendProcess::State::Failed);
    QCOMPARE(backend.takenPortName(), u"coap"_s);
    QVERIFY2(backend.failureReason().contains(u"CoAP"_s), qPrintable(backend.failureReason()));
    const int other = backend.alternativePort();
    QVERIFY(other > taken && mf::client::BackendProcess::isPortFree(other, true));
    // A backend that runs without CoAP does not check its port.
    backend.setExtraArguments({u"--ws-port"_s, u"0"_s, u"--mqtt-port"_s, u"0"_s, u"--mqtt-ws-port"_s, u"0"_s,
                               u"--services"_s, u"users,things,http"_s});
    QCOMPARE(backend.plannedPort(u"coap"_s), -1);
}

void TestMainWindow::localBackendFailureShowsReason()
{
    // "This computer" with a backend that refuses its configuration: the window shows why, with the log's tail.
    QTemporaryDir dir;
    mf::client::BackendProcess backend;
    backend.setProgram(QStringLiteral(MF_BACKEND_PATH_FOR_GUI));
    backend.setDataDir(dir.path());
    backend.setExtraArguments({u"--log-level"_s, u"loud"_s});
    QSettings settings(dir.filePath(u"settings.ini"_s), QSettings::IniFormat);
    mf::ui::TokenStore tokens(u"mainflux-test"_s, dir.filePath(u"config"_s));
    tokens.setMode(mf::ui::TokenStore::Mode::File);
    Session session(&backend, &tokens);
    MainWindow window(&session, settings);
    window.resize(1000, 600);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.openInitialProfile();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), Session::State::Failed, 15000);
    QVERIFY(!window.isShowingPages());
    QVERIFY2(window.connectionText().contains(u"loud"_s), qPrintable(window.connectionText()));
    if (m_english) QVERIFY(window.statusText().contains(u"failed"_s));
    shoot(&window, u"backend-failed"_s);
    window.showPage(MainWindow::BackendIndex);
}

void TestMainWindow::cleanupTestCase()
{
    m_window.reset();
    m_session.reset();
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
