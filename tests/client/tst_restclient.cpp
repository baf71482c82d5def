#include "api/apiresponse.h"
#include "backend.h"
#include "client/httpstatus.h"
#include "client/restclient.h"

#include <QJsonDocument>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using mf::ErrorCode;
using mf::client::RestClient;

Q_DECLARE_METATYPE(mf::ErrorCode)

namespace {
// QVERIFY2 evaluates its message even when the check passes: never touch error() of a success.
template <typename T>
QByteArray whyText(const mf::Result<T> &result)
{
    return result ? QByteArray() : result.error().message.toUtf8();
}
} // namespace
#define why(result) whyText(result).constData()

class TestRestClient : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void statusMapsBack_data();
    void statusMapsBack();
    void unreachableServer();
    void invalidBaseUrl();
    void operations();
    void usersLifecycle();
    void administration();
    void thingsLifecycle();
    void channelsAndConnections();
    void serverErrors_data();
    void serverErrors();
    void asyncCallback();
    void destroyedClientFinishesPending();
    void basePathPrefixIsKept();

private:
    QUrl url() const { return QUrl(u"http://127.0.0.1:%1"_s.arg(m_backend->httpPort())); }
    std::unique_ptr<RestClient> client(const QString &token = {}) const
    {
        auto c = std::make_unique<RestClient>(url());
        c->setToken(token);
        return c;
    }

    QTemporaryDir m_dir;
    std::unique_ptr<mf::backend::Backend> m_backend;
    QString m_admin; // token of the first user (an administrator)
    QString m_adminId;
};

void TestRestClient::initTestCase()
{
    QVERIFY(m_dir.isValid());
    auto config = mf::backend::Config::fromValues({{u"MF_DATA_DIR"_s, m_dir.path()}, {u"MF_HTTP_PORT"_s, u"0"_s},
                                                   {u"MF_WS_PORT"_s, u"0"_s}, {u"MF_COAP_PORT"_s, u"0"_s},
                                                   {u"MF_MQTT_PORT"_s, u"0"_s}, {u"MF_MQTT_WS_PORT"_s, u"0"_s}});
    QVERIFY2(config.has_value(), why(config));
    m_backend = std::make_unique<mf::backend::Backend>(*config);
    auto started = m_backend->start();
    QVERIFY2(started.has_value(), why(started));

    auto c = client();
    auto admin = c->createUser(u"admin@example.com"_s, u"admin-password"_s).wait();
    QVERIFY2(admin.has_value(), why(admin));
    QVERIFY(admin->admin);
    m_adminId = admin->id;
    auto token = c->issueToken(u"admin@example.com"_s, u"admin-password"_s).wait();
    QVERIFY(token.has_value());
    m_admin = *token;
}

void TestRestClient::statusMapsBack_data()
{
    QTest::addColumn<ErrorCode>("code");
    for (ErrorCode code : {ErrorCode::Malformed, ErrorCode::Unauthenticated, ErrorCode::Forbidden, ErrorCode::NotFound,
                           ErrorCode::Conflict, ErrorCode::TooLarge, ErrorCode::UnsupportedMediaType,
                           ErrorCode::Unavailable, ErrorCode::Internal})
        QTest::addRow("%s", qPrintable(mf::errorCodeName(code))) << code;
}

void TestRestClient::statusMapsBack()
{
    // The client's mapping is the exact inverse of the server's one switch.
    QFETCH(ErrorCode, code);
    QCOMPARE(mf::client::errorCodeForStatus(mf::api::httpStatus(code)), code);
}

void TestRestClient::unreachableServer()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close(); // nothing listens there now
    RestClient c(QUrl(u"http://127.0.0.1:%1"_s.arg(port)));
    auto result = c.version().wait();
    QVERIFY(!result);
    QCOMPARE(result.error().code, ErrorCode::Unavailable);
    QCOMPARE(result.error().message, u"cannot reach http://127.0.0.1:%1: connection refused"_s.arg(port));
}

void TestRestClient::invalidBaseUrl()
{
    RestClient c(QUrl(u"ftp://127.0.0.1:1"_s));
    auto result = c.version().wait();
    QVERIFY(!result);
    QCOMPARE(result.error().code, ErrorCode::Malformed);
    QVERIFY(result.error().message.contains(u"invalid server URL"_s));
}

void TestRestClient::operations()
{
    auto c = client();
    auto version = c->version().wait();
    QVERIFY(version.has_value());
    QCOMPARE(version->value("version"_L1).toString(), QStringLiteral(MF_VERSION));
    auto health = c->health().wait();
    QVERIFY(health.has_value());
    QCOMPARE(health->value("status"_L1).toString(), u"pass"_s);
}

void TestRestClient::usersLifecycle()
{
    auto anonymous = client();
    auto created = anonymous->createUser(u"alice@example.com"_s, u"alice-password"_s).wait();
    QVERIFY2(created.has_value(), why(created));
    QCOMPARE(created->email, u"alice@example.com"_s);
    QVERIFY(!created->admin);

    auto token = anonymous->issueToken(u"alice@example.com"_s, u"alice-password"_s).wait();
    QVERIFY(token.has_value());
    auto alice = client(*token);
    auto me = alice->me().wait();
    QVERIFY(me.has_value());
    QCOMPARE(me->id, created->id);

    auto wrongOld = alice->changePassword(u"nope"_s, u"new-password"_s).wait();
    QVERIFY(!wrongOld);
    QCOMPARE(wrongOld.error().code, ErrorCode::Forbidden);
    QCOMPARE(wrongOld.error().message, u"old_password: does not match"_s);

    QVERIFY(alice->changePassword(u"alice-password"_s, u"alice-new-password"_s).wait().has_value());
    auto oldLogin = anonymous->issueToken(u"alice@example.com"_s, u"alice-password"_s).wait();
    QVERIFY(!oldLogin);
    QCOMPARE(oldLogin.error().code, ErrorCode::Unauthenticated);
    QCOMPARE(oldLogin.error().message, u"wrong e-mail or password"_s);
    // Changing the password revokes the tokens issued before.
    QCOMPARE(alice->me().wait().error().message, u"token revoked; sign in again"_s);
    auto fresh = anonymous->issueToken(u"alice@example.com"_s, u"alice-new-password"_s).wait();
    QVERIFY(fresh.has_value());

    // Not an administrator.
    auto list = client(*fresh)->users(mf::PageQuery{}).wait();
    QVERIFY(!list);
    QCOMPARE(list.error().code, ErrorCode::Forbidden);
}

void TestRestClient::administration()
{
    auto admin = client(m_admin);
    auto bob = admin->createUser(u"bob@example.com"_s, u"bob-password"_s).wait();
    QVERIFY2(bob.has_value(), why(bob));

    mf::PageQuery query;
    query.name = u"bob@"_s;
    auto page = admin->users(query).wait();
    QVERIFY2(page.has_value(), why(page));
    QCOMPARE(page->total, 1);
    QCOMPARE(page->items.first().id, bob->id);

    auto got = admin->user(bob->id).wait();
    QVERIFY(got.has_value());
    QCOMPARE(got->email, u"bob@example.com"_s);

    auto disabled = admin->setUserEnabled(bob->id, false).wait();
    QVERIFY(disabled.has_value());
    QVERIFY(!disabled->enabled);
    auto login = client()->issueToken(u"bob@example.com"_s, u"bob-password"_s).wait();
    QVERIFY(!login);
    QCOMPARE(login.error().code, ErrorCode::Forbidden);
    QVERIFY(admin->setUserEnabled(bob->id, true).wait().has_value());

    QVERIFY(admin->resetPassword(bob->id, u"bob-reset-password"_s).wait().has_value());
    QVERIFY(client()->issueToken(u"bob@example.com"_s, u"bob-reset-password"_s).wait().has_value());

    QVERIFY(admin->removeUser(bob->id).wait().has_value());
    auto gone = admin->user(bob->id).wait();
    QVERIFY(!gone);
    QCOMPARE(gone.error().code, ErrorCode::NotFound);
    QCOMPARE(gone.error().message, u"user not found"_s);
}

void TestRestClient::thingsLifecycle()
{
    auto c = client(m_admin);
    auto created = c->createThing(QJsonObject{{u"name"_s, u"a&b %+ x"_s},
                                              {u"type"_s, u"device"_s},
                                              {u"metadata"_s, QJsonObject{{u"room"_s, 1}}}})
                       .wait();
    QVERIFY2(created.has_value(), why(created));
    QCOMPARE(created->name, u"a&b %+ x"_s);
    QVERIFY(!created->key.isEmpty());
    QCOMPARE(created->metadata.object().value("room"_L1).toInt(), 1);

    auto bulk = c->createThings(QJsonArray{QJsonObject{{u"name"_s, u"bulk-1"_s}, {u"type"_s, u"app"_s}},
                                           QJsonObject{{u"name"_s, u"bulk-2"_s}}})
                    .wait();
    QVERIFY2(bulk.has_value(), why(bulk));
    QCOMPARE(bulk->size(), 2);

    // The name filter survives characters that mean something in a query string.
    mf::PageQuery query;
    query.name = u"a&b %+"_s;
    auto filtered = c->things(query).wait();
    QVERIFY2(filtered.has_value(), why(filtered));
    QCOMPARE(filtered->total, 1);
    QCOMPARE(filtered->items.first().id, created->id);

    query = {};
    query.limit = 2;
    query.offset = 1;
    auto paged = c->things(query).wait();
    QVERIFY(paged.has_value());
    QCOMPARE(paged->total, 3);
    QCOMPARE(paged->items.size(), 2);
    QCOMPARE(paged->offset, 1);

    auto updated = c->updateThing(created->id, QJsonObject{{u"name"_s, u"renamed"_s}}).wait();
    QVERIFY(updated.has_value());
    QCOMPARE(updated->name, u"renamed"_s);
    QCOMPARE(updated->type, u"device"_s);

    auto rotated = c->rotateThingKey(created->id).wait();
    QVERIFY(rotated.has_value());
    QVERIFY(*rotated != created->key);
    auto chosen = c->rotateThingKey(created->id, u"my-own-key-0123456789"_s).wait();
    QVERIFY(chosen.has_value());
    QCOMPARE(*chosen, u"my-own-key-0123456789"_s);
    QCOMPARE(c->thing(created->id).wait()->key, u"my-own-key-0123456789"_s);

    auto channels = c->channelsOfThing(created->id, mf::PageQuery{}).wait();
    QVERIFY(channels.has_value());
    QCOMPARE(channels->total, 0);

    QVERIFY(c->removeThing(created->id).wait().has_value());
    auto gone = c->thing(created->id).wait();
    QVERIFY(!gone);
    QCOMPARE(gone.error().code, ErrorCode::NotFound);
    for (const mf::Thing &t : *bulk)
        QVERIFY(c->removeThing(t.id).wait().has_value());
}

void TestRestClient::channelsAndConnections()
{
    auto c = client(m_admin);
    auto channel = c->createChannel(QJsonObject{{u"name"_s, u"ch"_s}}).wait();
    QVERIFY2(channel.has_value(), why(channel));
    auto more = c->createChannels(QJsonArray{QJsonObject{{u"name"_s, u"ch-2"_s}}}).wait();
    QVERIFY(more.has_value());
    auto thing = c->createThing(QJsonObject{{u"name"_s, u"t"_s}, {u"type"_s, u"device"_s}}).wait();
    QVERIFY(thing.has_value());

    QVERIFY(c->connectThing(channel->id, thing->id).wait().has_value());
    QVERIFY(c->connectThing(channel->id, thing->id).wait().has_value()); // idempotent
    auto connected = c->thingsOfChannel(channel->id, mf::PageQuery{}).wait();
    QVERIFY(connected.has_value());
    QCOMPARE(connected->total, 1);
    QCOMPARE(connected->items.first().id, thing->id);

    QVERIFY(c->connectMany({channel->id, more->first().id}, {thing->id}).wait().has_value());
    QCOMPARE(c->channelsOfThing(thing->id, mf::PageQuery{}).wait()->total, 2);
    QVERIFY(c->disconnectThing(channel->id, thing->id).wait().has_value());
    QCOMPARE(c->channelsOfThing(thing->id, mf::PageQuery{}).wait()->total, 1);
    QVERIFY(c->disconnectMany({more->first().id}, {thing->id}).wait().has_value());
    QCOMPARE(c->channelsOfThing(thing->id, mf::PageQuery{}).wait()->total, 0);

    auto renamed = c->updateChannel(channel->id, QJsonObject{{u"metadata"_s, QJsonObject{{u"a"_s, true}}}}).wait();
    QVERIFY(renamed.has_value());
    QCOMPARE(renamed->name, u"ch"_s);
    QVERIFY(renamed->metadata.object().value("a"_L1).toBool());
    auto listed = c->channels(mf::PageQuery{}).wait();
    QVERIFY(listed.has_value());
    QCOMPARE(listed->total, 2);

    QVERIFY(c->removeChannel(channel->id).wait().has_value());
    QVERIFY(c->removeChannel(more->first().id).wait().has_value());
    QVERIFY(c->removeThing(thing->id).wait().has_value());
    QCOMPARE(c->channel(channel->id).wait().error().code, ErrorCode::NotFound);
}

void TestRestClient::serverErrors_data()
{
    QTest::addColumn<QString>("token");
    QTest::addColumn<QString>("operation");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("message");
    QTest::addRow("no token") << QString() << u"things"_s << ErrorCode::Unauthenticated << u"missing token"_s;
    QTest::addRow("bad token") << u"garbage"_s << u"things"_s << ErrorCode::Unauthenticated << u"invalid token"_s;
    QTest::addRow("unknown thing") << u"admin"_s << u"thing"_s << ErrorCode::NotFound << u"thing not found"_s;
    QTest::addRow("bad type") << u"admin"_s << u"badtype"_s << ErrorCode::Malformed
                              << u"type: must be \"device\" or \"app\""_s;
    QTest::addRow("duplicate email") << QString() << u"duplicate"_s << ErrorCode::Conflict
                                     << u"email: already registered"_s;
    QTest::addRow("connect unknown") << u"admin"_s << u"connect"_s << ErrorCode::NotFound << QString();
}

void TestRestClient::serverErrors()
{
    QFETCH(QString, token);
    QFETCH(QString, operation);
    QFETCH(ErrorCode, code);
    QFETCH(QString, message);
    auto c = client(token == "admin"_L1 ? m_admin : token);
    mf::Error error;
    if (operation == "things"_L1)
        error = c->things(mf::PageQuery{}).wait().error();
    else if (operation == "thing"_L1)
        error = c->thing(u"00000000-0000-0000-0000-000000000000"_s).wait().error();
    else if (operation == "badtype"_L1)
        error = c->createThing(QJsonObject{{u"type"_s, u"toaster"_s}}).wait().error();
    else if (operation == "duplicate"_L1)
        error = c->createUser(u"admin@example.com"_s, u"whatever-password"_s).wait().error();
    else if (operation == "connect"_L1)
        error = c->connectThing(u"nope"_s, u"nope"_s).wait().error();
    QCOMPARE(error.code, code);
    QVERIFY(!error.message.isEmpty());
    if (!message.isEmpty()) QCOMPARE(error.message, message);
}

void TestRestClient::asyncCallback()
{
    auto c = client(m_admin);
    std::optional<mf::Result<mf::User>> received;
    auto pending = c->me();
    pending.then(this, [&received](const mf::Result<mf::User> &user) { received = user; });
    QVERIFY(!received); // never called synchronously
    QTRY_VERIFY(received.has_value());
    QVERIFY(received->has_value());
    QCOMPARE((*received)->id, m_adminId);

    // then() after completion is queued, not lost.
    bool late = false;
    pending.then(this, [&late](const mf::Result<mf::User> &) { late = true; });
    QVERIFY(!late);
    QTRY_VERIFY(late);
}

void TestRestClient::destroyedClientFinishesPending()
{
    auto c = client(m_admin);
    auto pending = c->me();
    c.reset();
    QVERIFY(pending.isFinished());
    QCOMPARE(pending.wait().error().code, ErrorCode::Unavailable);
}

void TestRestClient::basePathPrefixIsKept()
{
    // A base URL with a path (a reverse proxy prefix) is kept in front of every route: here it makes 404s.
    RestClient c(QUrl(url().toString() + u"/prefix/"_s));
    auto result = c.version().wait();
    QVERIFY(!result);
    QCOMPARE(result.error().code, ErrorCode::NotFound);
    QCOMPARE(result.error().message, u"no such route"_s);
}

QTEST_GUILESS_MAIN(TestRestClient)
#include "tst_restclient.moc"
