// Per-port pins in the dashboard (issue 14): a server whose WebSocket and MQTT ports serve other self-signed
// certificates than its REST port (MF_WS_TLS_CERT, MF_MQTT_TLS_CERT). The profile pins the REST certificate (trust
// on first use); the other ports' pins come from the server's own /cluster entry, read over that pinned connection.
// No CA of these certificates is trusted anywhere, so only the right pin per port makes a connection work: the live
// view streams over wss and the publish panel's Send… works over MQTT (TLS) and WebSocket.
#include "client/restclient.h"
#include "devcertificate.h"
#include "livepage.h"
#include "models/livemessagesmodel.h"
#include "models/session.h"
#include "models/tokenstore.h"
#include "publishpanel.h"
#include "testbackend.h"

#include <QAction>
#include <QComboBox>
#include <QJsonObject>
#include <QLocale>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using mf::ui::LiveChannelView;
using mf::ui::Session;

class TestTlsPins : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void eachPortIsPinnedToItsOwnCertificate();
    void liveViewStreamsOverWss();
    void publishPanelSendsOverMqttTlsAndWss();
    void cleanupTestCase();

private:
    mf::backend::DevCertificate makeCert(const QString &name);

    QTemporaryDir m_dir;
    mf::backend::DevCertificate m_rest, m_ws, m_mqtt;
    std::unique_ptr<mf::testing::TestBackend> m_backend;
    std::unique_ptr<mf::ui::TokenStore> m_tokens;
    std::unique_ptr<Session> m_session;
    std::unique_ptr<mf::ui::LivePage> m_page;
    LiveChannelView *m_view = nullptr;
    QString m_channel;
};

mf::backend::DevCertificate TestTlsPins::makeCert(const QString &name)
{
    auto cert = mf::backend::makeDevCertificate(m_dir.filePath(name));
    if (!cert) qFatal("makeDevCertificate: %s", qPrintable(cert.error().message));
    return *cert;
}

void TestTlsPins::initTestCase()
{
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    QVERIFY(m_dir.isValid());
    m_rest = makeCert(u"rest"_s);
    m_ws = makeCert(u"ws"_s);
    m_mqtt = makeCert(u"mqtt"_s);
    m_backend =
        std::make_unique<mf::testing::TestBackend>(QHash<QString, QString>{{u"MF_TLS_CERT"_s, m_rest.certFile},
                                                                           {u"MF_TLS_KEY"_s, m_rest.keyFile},
                                                                           {u"MF_WS_TLS_CERT"_s, m_ws.certFile},
                                                                           {u"MF_WS_TLS_KEY"_s, m_ws.keyFile},
                                                                           {u"MF_MQTT_TLS_CERT"_s, m_mqtt.certFile},
                                                                           {u"MF_MQTT_TLS_KEY"_s, m_mqtt.keyFile},
                                                                           {u"MF_MQTT_TLS_PORT"_s, u"0"_s},
                                                                           {u"MF_COAP_DTLS_PORT"_s, u"0"_s}});
    QVERIFY2(m_backend->isRunning(), qPrintable(m_backend->startError()));

    m_tokens = std::make_unique<mf::ui::TokenStore>(u"mainflux-test"_s, m_dir.filePath(u"config"_s));
    m_tokens->setMode(mf::ui::TokenStore::Mode::File);
    m_session = std::make_unique<Session>(nullptr, m_tokens.get());
    mf::ui::Profile profile;
    profile.id = u"pins"_s;
    profile.kind = mf::ui::Profile::Kind::Remote;
    profile.url = QUrl(m_backend->baseUrl());
    QVERIFY(profile.url.scheme() == "https"_L1);
    profile.pinnedSha256 = m_rest.sha256.toLatin1(); // what the user trusted on first use
    m_session->open(profile);
    QTRY_COMPARE_WITH_TIMEOUT(m_session->state(), Session::State::SignedOut, 15000);
    m_session->signUp(u"op@example.com"_s, u"correct-horse"_s);
    QTRY_COMPARE_WITH_TIMEOUT(m_session->state(), Session::State::SignedIn, 15000);

    mf::client::RestClient *client = m_session->client();
    auto boiler = client->createThing(QJsonObject{{u"name"_s, u"boiler-7"_s}}).wait();
    auto channel = client->createChannel(QJsonObject{{u"name"_s, u"boiler-room"_s}}).wait();
    QVERIFY(boiler && channel);
    m_channel = channel->id;
    QVERIFY(client->connectMany({m_channel}, {boiler->id}).wait().has_value());
}

void TestTlsPins::eachPortIsPinnedToItsOwnCertificate()
{
    // The live stream defaults to the WebSocket adapter's port with wss, as the REST URL is https.
    QCOMPARE(m_session->liveUrl().scheme(), u"wss"_s);
    QTRY_COMPARE_WITH_TIMEOUT(m_session->trustFor(u"mqtt_tls"_s).pinnedSha256, m_mqtt.sha256.toLatin1(), 15000);
    QCOMPARE(m_session->trustFor(u"mqtt_ws"_s).pinnedSha256, m_mqtt.sha256.toLatin1());
    QCOMPARE(m_session->trustFor(u"ws"_s).pinnedSha256, m_ws.sha256.toLatin1());
    QCOMPARE(m_session->trustFor(u"http"_s).pinnedSha256, m_rest.sha256.toLatin1());
    QCOMPARE(m_session->trustFor(u"coap_dtls"_s).pinnedSha256, m_rest.sha256.toLatin1()); // no override: REST's
    QCOMPARE(m_session->client()->trust().pinnedSha256, m_rest.sha256.toLatin1());        // the REST client unchanged
}

void TestTlsPins::liveViewStreamsOverWss()
{
    m_page = std::make_unique<mf::ui::LivePage>(m_session.get());
    m_page->resize(1100, 700);
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page.get()));
    m_page->sessionReady();
    m_view = m_page->watch(m_channel);
    QVERIFY(m_view);
    QTRY_COMPARE_WITH_TIMEOUT(m_view->source(), LiveChannelView::Source::Stream, 15000);
}

void TestTlsPins::publishPanelSendsOverMqttTlsAndWss()
{
    QVERIFY(m_view);
    m_view->publishAction()->trigger();
    mf::ui::PublishPanel *panel = m_view->publishPanel();
    QVERIFY(panel->isVisible());
    QTRY_COMPARE(panel->thingBox()->count(), 1);
    panel->thingBox()->setCurrentIndex(0);
    panel->fillSenmlTemplate();
    int sent = 0;
    for (const QString &protocol : {u"mqtt"_s, u"ws"_s}) {
        panel->protocolBox()->setCurrentIndex(panel->protocolBox()->findData(protocol));
        QVERIFY2(panel->sendButton()->isEnabled(), qPrintable(panel->hintText()));
        QTest::mouseClick(panel->sendButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!panel->resultText().isEmpty(), 15000);
        QVERIFY2(panel->resultText().startsWith(u"Sent over"_s), qPrintable(protocol + u": "_s + panel->resultText()));
        ++sent;
        // Back over the wss stream, as sent through that adapter.
        QTRY_COMPARE_WITH_TIMEOUT(m_view->model()->rowCount(), sent, 15000);
        const QAbstractItemModel *table = m_view->tableView()->model(); // newest first
        QCOMPARE(table->index(0, mf::ui::LiveMessagesModel::ProtocolColumn).data().toString(), protocol);
    }
}

void TestTlsPins::cleanupTestCase()
{
    m_page.reset();
    m_session.reset();
    m_backend.reset();
}

QTEST_MAIN(TestTlsPins)
#include "tst_tlspins.moc"
