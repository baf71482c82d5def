#include "adapters/ws/wsadapter.h"
#include "backend.h"
#include "cli.h"
#include "client/restclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <csignal>

using namespace Qt::StringLiterals;

namespace {

struct Outcome
{
    int code = -1;
    QString out;
    QString err;
};

template <typename T>
QByteArray whyText(const mf::Result<T> &result)
{
    return result ? QByteArray() : result.error().message.toUtf8();
}

} // namespace
#define why(result) whyText(result).constData()

// Every command runs in-process (streams injected) against an in-process backend on port 0. The blocking client
// waits on a local event loop, which is also what lets the server in this very thread answer.
class TestCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void usageErrors_data();
    void usageErrors();
    void help_data();
    void help();
    void commands_data();
    void commands();
    void positionalToken_data();
    void positionalToken();
    void jsonOutput_data();
    void jsonOutput();
    void serverErrors_data();
    void serverErrors();
    void unreachableServer();
    void usersAdministration();
    void thingsLifecycle();
    void fleetStatus();
    void simulate();
    void simulateOverWebSocketAndCoap();
    void tableIsAligned();
    void provisionApplyIsIdempotent();
    void provisionApplyJson();
    void provisionApplyRejectsBadPlans_data();
    void provisionApplyRejectsBadPlans();
    void provisionCsv();
    void profiles();
    void tokenSave();
    void watchReceivesLive();
    void watchSubtopic();
    void watchErrors_data();
    void watchErrors();
    void watchStopsOnSignal();

private:
    // Runs `msg watch ...`; once the adapter has one more client (and a moment for its bus subscription), calls
    // `publish`. A watch that hangs is ended with SIGTERM after 20 s (the test then fails on its output).
    Outcome watch(const QStringList &args, const std::function<void()> &publish,
                  const QHash<QString, QString> &extraEnv = {});
    QString wsUrl() const { return u"ws://127.0.0.1:%1"_s.arg(m_backend->wsPort()); }
    void publish(const QString &key, const QString &subtopic, const QByteArray &payload);
    Outcome run(const QStringList &args, const QHash<QString, QString> &extraEnv = {});
    Outcome runAs(const QString &token, const QStringList &args) { return run(args, {{u"MF_TOKEN"_s, token}}); }
    QString writeFile(const QString &name, const QByteArray &content);
    QString substitute(QString text) const;

    QTemporaryDir m_dir;
    std::unique_ptr<mf::backend::Backend> m_backend;
    std::unique_ptr<mf::client::RestClient> m_client; // the admin's, for arranging and checking server state
    QString m_url;
    QString m_adminToken;
    QString m_userToken;
    QString m_userId;
    mf::Thing m_thing;
    mf::Channel m_channel;
};

Outcome TestCli::run(const QStringList &args, const QHash<QString, QString> &extraEnv)
{
    QHash<QString, QString> env{{u"MF_URL"_s, m_url}, {u"MF_CLI_CONFIG"_s, m_dir.filePath(u"cli.conf"_s)}};
    env.insert(extraEnv);
    QString out, err;
    QTextStream outStream(&out), errStream(&err);
    Outcome outcome;
    outcome.code = mf::cli::Cli(env).run(args, outStream, errStream);
    outStream.flush();
    errStream.flush();
    outcome.out = out;
    outcome.err = err;
    return outcome;
}

Outcome TestCli::watch(const QStringList &args, const std::function<void()> &publish,
                       const QHash<QString, QString> &extraEnv)
{
    // The previous watch's connection may still be closing on the server; if it is not gone in 5 s, `before` counts it.
    (void)QTest::qWaitFor([this] { return m_backend->wsAdapter()->clientCount() == 0; }, 5000);
    const qsizetype before = m_backend->wsAdapter()->clientCount();
    bool published = false;
    QTimer poll;
    poll.setInterval(20);
    QObject::connect(&poll, &QTimer::timeout, [&] {
        if (published || m_backend->wsAdapter()->clientCount() <= before) return;
        published = true;
        QTimer::singleShot(300, [&] {
            if (publish) publish();
        });
    });
    poll.start();
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, [] { ::raise(SIGTERM); });
    deadline.start(20000);
    QHash<QString, QString> env{{u"MF_WS_URL"_s, wsUrl()}};
    env.insert(extraEnv);
    return run(QStringList{u"msg"_s, u"watch"_s} + args, env);
}

void TestCli::publish(const QString &key, const QString &subtopic, const QByteArray &payload)
{
    auto sent = m_client->sendMessage(m_channel.id, subtopic, u"application/senml+json"_s, payload, key).wait();
    QVERIFY2(sent.has_value(), why(sent));
}

QString TestCli::writeFile(const QString &name, const QByteArray &content)
{
    QFile file(m_dir.filePath(name));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) return {};
    file.write(content);
    return file.fileName();
}

QString TestCli::substitute(QString text) const
{
    return text.replace(u"{thing}"_s, m_thing.id)
        .replace(u"{key}"_s, m_thing.key)
        .replace(u"{channel}"_s, m_channel.id)
        .replace(u"{user}"_s, m_userId)
        .replace(u"{token}"_s, m_adminToken);
}

void TestCli::initTestCase()
{
    QVERIFY(m_dir.isValid());
    auto config =
        mf::backend::Config::fromValues({{u"MF_DATA_DIR"_s, m_dir.filePath(u"data"_s)}, {u"MF_HTTP_PORT"_s, u"0"_s},
                                                     {u"MF_WS_PORT"_s, u"0"_s}, {u"MF_COAP_PORT"_s, u"0"_s},
                                                     {u"MF_MQTT_PORT"_s, u"0"_s}, {u"MF_MQTT_WS_PORT"_s, u"0"_s}});
    QVERIFY(config.has_value());
    m_backend = std::make_unique<mf::backend::Backend>(*config);
    auto started = m_backend->start();
    QVERIFY2(started.has_value(), why(started));
    m_url = u"http://127.0.0.1:%1"_s.arg(m_backend->httpPort());

    // Sign-up and sign-in go through the CLI itself.
    Outcome admin = run({u"users"_s, u"create"_s, u"admin@example.com"_s, u"admin-password"_s});
    QCOMPARE(admin.code, 0);
    QVERIFY(admin.out.contains(u"admin    yes"_s));
    Outcome token = run({u"users"_s, u"token"_s, u"admin@example.com"_s, u"admin-password"_s});
    QCOMPARE(token.code, 0);
    m_adminToken = token.out.trimmed();
    QVERIFY(!m_adminToken.isEmpty());
    m_client = std::make_unique<mf::client::RestClient>(QUrl(m_url));
    m_client->setToken(m_adminToken);

    auto user = m_client->createUser(u"user@example.com"_s, u"user-password"_s).wait();
    QVERIFY2(user.has_value(), why(user));
    m_userId = user->id;
    auto userToken = mf::client::RestClient(QUrl(m_url)).issueToken(u"user@example.com"_s, u"user-password"_s).wait();
    QVERIFY(userToken.has_value());
    m_userToken = *userToken;
}

void TestCli::init()
{
    // A fresh thing and channel of the admin for every test function (ids substituted into the data rows).
    auto thing = m_client->createThing(QJsonObject{{u"name"_s, u"fixture-thing"_s}, {u"type"_s, u"device"_s}}).wait();
    QVERIFY(thing.has_value());
    m_thing = *thing;
    auto channel = m_client->createChannel(QJsonObject{{u"name"_s, u"fixture-channel"_s}}).wait();
    QVERIFY(channel.has_value());
    m_channel = *channel;
}

void TestCli::cleanup()
{
    // Provisioning matches by name: leave no second "fixture-thing" behind (already deleted ones answer 404).
    m_client->removeThing(m_thing.id).wait();
    m_client->removeChannel(m_channel.id).wait();
}

void TestCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<bool>("withToken");
    QTest::addColumn<QString>("message");
    QTest::addRow("no arguments") << QStringList{} << true << u"usage: mainflux-cli <command>"_s;
    QTest::addRow("unknown command") << QStringList{u"frob"_s} << true << u"unknown command \"frob\""_s;
    QTest::addRow("unknown subcommand") << QStringList{u"things"_s, u"frob"_s} << true
                                        << u"unknown command \"things frob\""_s;
    QTest::addRow("group without subcommand")
        << QStringList{u"channels"_s} << true << u"usage: mainflux-cli channels <command>"_s;
    QTest::addRow("missing arguments") << QStringList{u"things"_s, u"delete"_s} << true << u"missing arguments"_s;
    QTest::addRow("too many arguments") << QStringList{u"things"_s, u"get"_s, u"a"_s, u"b"_s, u"c"_s} << true
                                        << u"too many arguments: b c"_s;
    QTest::addRow("positional token and another --token")
        << QStringList{u"things"_s, u"get"_s, u"all"_s, u"{token}"_s, u"--token"_s, u"other"_s} << true
        << u"two different tokens"_s;
    QTest::addRow("unknown option") << QStringList{u"things"_s, u"get"_s, u"--bogus"_s} << true
                                    << u"Unknown option 'bogus'"_s;
    QTest::addRow("limit zero") << QStringList{u"things"_s, u"get"_s, u"-l"_s, u"0"_s} << true
                                << u"--limit: must be an integer from 1 to 100"_s;
    QTest::addRow("limit not a number") << QStringList{u"channels"_s, u"get"_s, u"--limit=x"_s} << true << u"--limit"_s;
    QTest::addRow("negative offset") << QStringList{u"things"_s, u"get"_s, u"-o"_s, u"-1"_s} << true
                                     << u"--offset: must be a non-negative integer"_s;
    QTest::addRow("bad format") << QStringList{u"things"_s, u"get"_s, u"-f"_s, u"xml"_s} << true
                                << u"--format: \"xml\" is not table or json"_s;
    QTest::addRow("bad url") << QStringList{u"-m"_s, u"ftp://x"_s, u"version"_s} << true
                             << u"is not an http:// or https:// URL"_s;
    QTest::addRow("no token") << QStringList{u"things"_s, u"get"_s} << false << u"no user token"_s;
    QTest::addRow("unknown profile") << QStringList{u"things"_s, u"get"_s, u"--profile"_s, u"nope"_s} << true
                                     << u"no profile named \"nope\""_s;
    QTest::addRow("create without body") << QStringList{u"things"_s, u"create"_s} << true
                                         << u"give a JSON thing or --name/--type/--metadata"_s;
    QTest::addRow("create with bad json")
        << QStringList{u"things"_s, u"create"_s, u"{\"name\":"_s} << true << u"thing: invalid JSON"_s;
    QTest::addRow("json and flags") << QStringList{u"channels"_s, u"create"_s, u"{}"_s, u"--name"_s, u"x"_s} << true
                                    << u"not both"_s;
    QTest::addRow("metadata not an object")
        << QStringList{u"things"_s, u"create"_s, u"--name"_s, u"x"_s, u"--metadata"_s, u"[1]"_s} << true
        << u"--metadata: must be a JSON object"_s;
    QTest::addRow("update without changes")
        << QStringList{u"things"_s, u"update"_s, u"{thing}"_s} << true << u"give a JSON thing"_s;
    QTest::addRow("name filter on one thing")
        << QStringList{u"things"_s, u"get"_s, u"{thing}"_s, u"--name"_s, u"x"_s} << true << u"--name filters lists"_s;
    QTest::addRow("read without credential")
        << QStringList{u"msg"_s, u"read"_s, u"{channel}"_s} << false << u"give a thing key, or a user token"_s;
    QTest::addRow("read with bad time") << QStringList{u"msg"_s,   u"read"_s,   u"{channel}"_s,
                                                       u"{key}"_s, u"--from"_s, u"yesterday"_s}
                                        << false << u"--from/--to"_s;
    QTest::addRow("send without key") << QStringList{u"msg"_s, u"send"_s, u"{channel}"_s, u"[]"_s} << false
                                      << u"missing arguments"_s;
    QTest::addRow("apply missing file") << QStringList{u"provision"_s, u"apply"_s, u"/nonexistent/plan.json"_s} << true
                                        << u"cannot read /nonexistent/plan.json"_s;
    QTest::addRow("csv missing file") << QStringList{u"provision"_s, u"things"_s, u"/nonexistent/t.csv"_s} << true
                                      << u"cannot read"_s;
    QTest::addRow("bad status filter") << QStringList{u"things"_s, u"get"_s, u"--status"_s, u"maybe"_s} << true
                                       << u"--status: give online or offline"_s;
    QTest::addRow("bad offline-for") << QStringList{u"things"_s, u"get"_s, u"--offline-for"_s, u"soon"_s} << true
                                     << u"--offline-for: must be a duration"_s;
    QTest::addRow("status filter on one thing")
        << QStringList{u"things"_s, u"get"_s, u"{thing}"_s, u"--status"_s, u"online"_s} << true
        << u"--status filters lists"_s;
    QTest::addRow("simulate bad protocol") << QStringList{u"simulate"_s, u"--protocol"_s, u"smtp"_s} << true
                                           << u"--protocol: give http, mqtt, ws or coap"_s;
    QTest::addRow("simulate bad rate") << QStringList{u"simulate"_s, u"--rate"_s, u"0"_s} << true
                                       << u"--rate: must be a number from 0.1 to 1000"_s;
    QTest::addRow("simulate bad share") << QStringList{u"simulate"_s, u"--invalid"_s, u"2"_s} << true
                                        << u"--invalid: must be a number from 0 to 1"_s;
    QTest::addRow("profile set nothing") << QStringList{u"profile"_s, u"set"_s, u"lab"_s} << false
                                         << u"nothing to set"_s;
}

void TestCli::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(bool, withToken);
    QFETCH(QString, message);
    for (QString &arg : args)
        arg = substitute(arg);
    const Outcome result = withToken ? runAs(m_adminToken, args) : run(args);
    QCOMPARE(result.code, 2);
    QVERIFY2(result.err.contains(message), qPrintable(result.err));
    QVERIFY2(result.err.contains(u"usage: mainflux-cli"_s), qPrintable(result.err));
    QCOMPARE(result.out, QString());
}

void TestCli::help_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");
    QTest::addRow("--help") << QStringList{u"--help"_s} << u"provision apply <file.json>"_s;
    QTest::addRow("help") << QStringList{u"help"_s} << u"--mainflux-url <url>"_s;
    QTest::addRow("help things get") << QStringList{u"help"_s, u"things"_s, u"get"_s}
                                     << u"usage: mainflux-cli things get [thing_id|all] [options]"_s;
    QTest::addRow("things --help") << QStringList{u"things"_s, u"--help"_s} << u"things key <thing_id> [new_key]"_s;
    QTest::addRow("command --help") << QStringList{u"msg"_s, u"send"_s, u"-h"_s} << u"--subtopic <subtopic>"_s;
    QTest::addRow("--version") << QStringList{u"--version"_s} << u"mainflux-cli " MF_VERSION "\n"_s;
}

void TestCli::help()
{
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    const Outcome result = run(args);
    QCOMPARE(result.code, 0);
    QVERIFY2(result.out.contains(expected), qPrintable(result.out));
    QCOMPARE(result.err, QString());
}

void TestCli::commands_data()
{
    // Success paths in table format: arguments ({thing}, {channel}, {key}, {user} substituted) and a line the
    // output must contain.
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");
    QTest::addRow("version") << QStringList{u"version"_s} << u"server  mainflux-backend " MF_VERSION ""_s;
    QTest::addRow("health") << QStringList{u"health"_s} << u"pass"_s;
    QTest::addRow("cluster") << QStringList{u"cluster"_s} << u"users,things,http,ws,coap,mqtt,normalizer,writer,reader,rules  pass"_s;
    QTest::addRow("users me") << QStringList{u"users"_s, u"me"_s} << u"email    admin@example.com"_s;
    QTest::addRow("users list") << QStringList{u"users"_s, u"list"_s, u"--email"_s, u"user@"_s}
                                << u"{user}  user@example.com  no     yes"_s;
    QTest::addRow("users get") << QStringList{u"users"_s, u"get"_s, u"{user}"_s} << u"email    user@example.com"_s;
    QTest::addRow("things create json") << QStringList{u"things"_s, u"create"_s,
                                                       u"{\"type\":\"app\",\"name\":\"from-json\"}"_s}
                                        << u"type      app"_s;
    QTest::addRow("things create flags") << QStringList{u"things"_s,     u"create"_s,     u"--name"_s,
                                                        u"from-flags"_s, u"--metadata"_s, u"{\"floor\":2}"_s}
                                         << u"metadata  {\"floor\":2}"_s;
    QTest::addRow("things create many") << QStringList{u"things"_s, u"create"_s,
                                                       u"[{\"name\":\"m1\"},{\"name\":\"m2\",\"type\":\"app\"}]"_s}
                                        << u"  m2    app"_s;
    QTest::addRow("things get one") << QStringList{u"things"_s, u"get"_s, u"{thing}"_s}
                                    << u"key       (hidden; --show-keys)"_s;
    QTest::addRow("things get one with key")
        << QStringList{u"things"_s, u"get"_s, u"{thing}"_s, u"--show-keys"_s} << u"key       {key}"_s;
    QTest::addRow("things get all") << QStringList{u"things"_s, u"get"_s, u"all"_s, u"--name"_s, u"fixture"_s}
                                    << u"{thing}  fixture-thing  device"_s;
    QTest::addRow("things get paged") << QStringList{u"things"_s, u"get"_s, u"-l"_s, u"1"_s} << u"showing 1-1 of "_s;
    QTest::addRow("things update json") << QStringList{u"things"_s, u"update"_s, u"{thing}"_s, u"{\"name\":\"new\"}"_s}
                                        << u"name      new"_s;
    QTest::addRow("things update flags") << QStringList{u"things"_s, u"update"_s, u"{thing}"_s, u"--type"_s, u"app"_s}
                                         << u"type      app"_s;
    QTest::addRow("things delete") << QStringList{u"things"_s, u"delete"_s, u"{thing}"_s} << u"deleted thing {thing}"_s;
    QTest::addRow("things connect") << QStringList{u"things"_s, u"connect"_s, u"{thing}"_s, u"{channel}"_s}
                                    << u"connected thing {thing} to channel {channel}"_s;
    QTest::addRow("things key given") << QStringList{u"things"_s, u"key"_s, u"{thing}"_s, u"chosen-key-0123456789"_s}
                                      << u"chosen-key-0123456789"_s;
    QTest::addRow("things channels") << QStringList{u"things"_s, u"channels"_s, u"{thing}"_s}
                                     << u"ID  NAME  METADATA"_s;
    QTest::addRow("channels create json")
        << QStringList{u"channels"_s, u"create"_s, u"{\"name\":\"c-json\"}"_s} << u"name      c-json"_s;
    QTest::addRow("channels create flags")
        << QStringList{u"channels"_s, u"create"_s, u"--name"_s, u"c-flags"_s} << u"name      c-flags"_s;
    QTest::addRow("channels create many")
        << QStringList{u"channels"_s, u"create"_s, u"[{\"name\":\"cm1\"}]"_s} << u"  cm1\n"_s;
    QTest::addRow("channels get one") << QStringList{u"channels"_s, u"get"_s, u"{channel}"_s}
                                      << u"name      fixture-channel"_s;
    QTest::addRow("channels get all") << QStringList{u"channels"_s, u"get"_s, u"--name"_s, u"fixture"_s}
                                      << u"{channel}  fixture-channel"_s;
    QTest::addRow("channels update") << QStringList{u"channels"_s, u"update"_s, u"{channel}"_s, u"--metadata"_s,
                                                    u"{\"a\":1}"_s}
                                     << u"metadata  {\"a\":1}"_s;
    QTest::addRow("channels delete") << QStringList{u"channels"_s, u"delete"_s, u"{channel}"_s}
                                     << u"deleted channel {channel}"_s;
    QTest::addRow("channels things") << QStringList{u"channels"_s, u"things"_s, u"{channel}"_s}
                                     << u"ID  NAME  TYPE  STATUS  LAST SEEN  METADATA"_s;
    QTest::addRow("global options first")
        << QStringList{u"-f"_s, u"table"_s, u"-l"_s, u"5"_s, u"channels"_s, u"get"_s} << u"fixture-channel"_s;
}

void TestCli::commands()
{
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    for (QString &arg : args)
        arg = substitute(arg);
    const Outcome result = runAs(m_adminToken, args);
    QVERIFY2(result.code == 0, qPrintable(result.err));
    QCOMPARE(result.err, QString());
    QVERIFY2(result.out.contains(substitute(expected)), qPrintable(result.out));
}

void TestCli::positionalToken_data()
{
    // Mainflux 0.7's form: the user token as the last argument, no --token, MF_TOKEN or profile.
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");
    const auto row = [](const char *name, QStringList args, const QString &expected) {
        QTest::addRow("%s", name) << (args << u"{token}"_s) << expected;
    };
    row("users me", {u"users"_s, u"me"_s}, u"email    admin@example.com"_s);
    row("users list", {u"users"_s, u"list"_s}, u"user@example.com"_s);
    row("users get", {u"users"_s, u"get"_s, u"{user}"_s}, u"email    user@example.com"_s);
    row("things create", {u"things"_s, u"create"_s, u"{\"name\":\"d1\"}"_s}, u"name      d1"_s);
    row("things get all", {u"things"_s, u"get"_s, u"all"_s}, u"fixture-thing"_s);
    row("things get one", {u"things"_s, u"get"_s, u"{thing}"_s}, u"name      fixture-thing"_s);
    row("things update", {u"things"_s, u"update"_s, u"{thing}"_s, u"{\"name\":\"renamed\"}"_s}, u"name      renamed"_s);
    row("things connect", {u"things"_s, u"connect"_s, u"{thing}"_s, u"{channel}"_s},
        u"connected thing {thing} to channel {channel}"_s);
    row("things channels", {u"things"_s, u"channels"_s, u"{thing}"_s}, u"ID  NAME  METADATA"_s);
    row("things key", {u"things"_s, u"key"_s, u"{thing}"_s, u"chosen-key-9876543210"_s}, u"chosen-key-9876543210"_s);
    row("things delete", {u"things"_s, u"delete"_s, u"{thing}"_s}, u"deleted thing {thing}"_s);
    row("channels create", {u"channels"_s, u"create"_s, u"{\"name\":\"c1\"}"_s}, u"name      c1"_s);
    row("channels get all", {u"channels"_s, u"get"_s, u"all"_s}, u"fixture-channel"_s);
    row("channels get one", {u"channels"_s, u"get"_s, u"{channel}"_s}, u"name      fixture-channel"_s);
    row("channels update", {u"channels"_s, u"update"_s, u"{channel}"_s, u"{\"name\":\"c2\"}"_s}, u"name      c2"_s);
    row("channels things", {u"channels"_s, u"things"_s, u"{channel}"_s}, u"ID  NAME  TYPE  STATUS  LAST SEEN  METADATA"_s);
    row("channels delete", {u"channels"_s, u"delete"_s, u"{channel}"_s}, u"deleted channel {channel}"_s);
    row("msg read as owner", {u"msg"_s, u"read"_s, u"{channel}"_s}, QString());
}

void TestCli::positionalToken()
{
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    for (QString &arg : args)
        arg = substitute(arg);
    const Outcome result = run(args); // no MF_TOKEN
    QVERIFY2(result.code == 0, qPrintable(result.err));
    QCOMPARE(result.err, QString());
    QVERIFY2(result.out.contains(substitute(expected)), qPrintable(result.out));
}

void TestCli::jsonOutput_data()
{
    // JSON output parsed back: a JSON pointer-ish path ("things/0/name") and the value it must hold.
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("expected");
    QTest::addRow("version") << QStringList{u"version"_s} << u"service"_s << u"mainflux-backend"_s;
    QTest::addRow("health") << QStringList{u"health"_s} << u"status"_s << u"pass"_s;
    QTest::addRow("users me") << QStringList{u"users"_s, u"me"_s} << u"email"_s << u"admin@example.com"_s;
    QTest::addRow("users list") << QStringList{u"users"_s, u"list"_s, u"--email"_s, u"user@"_s} << u"users/0/id"_s
                                << u"{user}"_s;
    QTest::addRow("thing has key") << QStringList{u"things"_s, u"get"_s, u"{thing}"_s} << u"key"_s << u"{key}"_s;
    QTest::addRow("things page") << QStringList{u"things"_s, u"get"_s, u"--name"_s, u"fixture-thing"_s, u"-l"_s, u"1"_s}
                                 << u"limit"_s << u"1"_s;
    QTest::addRow("things page item") << QStringList{u"things"_s, u"get"_s, u"--name"_s, u"fixture"_s, u"-o"_s, u"0"_s}
                                      << u"things/0/name"_s << u"fixture-thing"_s;
    QTest::addRow("create many") << QStringList{u"things"_s, u"create"_s, u"[{\"name\":\"j1\"}]"_s}
                                 << u"things/0/type"_s << u"device"_s;
    QTest::addRow("key") << QStringList{u"things"_s, u"key"_s, u"{thing}"_s, u"json-key-0123456789"_s} << u"key"_s
                         << u"json-key-0123456789"_s;
    QTest::addRow("channel") << QStringList{u"channels"_s, u"get"_s, u"{channel}"_s} << u"id"_s << u"{channel}"_s;
    QTest::addRow("channel metadata") << QStringList{u"channels"_s, u"update"_s, u"{channel}"_s,
                                                     u"{\"metadata\":{\"unit\":\"C\"}}"_s}
                                      << u"metadata/unit"_s << u"C"_s;
    QTest::addRow("channels of thing") << QStringList{u"things"_s, u"channels"_s, u"{thing}"_s} << u"total"_s << u"0"_s;
    QTest::addRow("token") << QStringList{u"users"_s, u"token"_s, u"user@example.com"_s, u"user-password"_s}
                           << u"token"_s << u"*"_s;
}

void TestCli::jsonOutput()
{
    QFETCH(QStringList, args);
    QFETCH(QString, path);
    QFETCH(QString, expected);
    for (QString &arg : args)
        arg = substitute(arg);
    const Outcome result = runAs(m_adminToken, args << u"--format"_s << u"json"_s);
    QVERIFY2(result.code == 0, qPrintable(result.err));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(result.out.toUtf8(), &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(result.out));
    QJsonValue value = doc.object();
    for (const QString &step : path.split(u'/')) {
        bool isIndex = false;
        const int index = step.toInt(&isIndex);
        value = isIndex ? value.toArray().at(index) : value.toObject().value(step);
    }
    const QString actual = value.isDouble() ? QString::number(value.toInteger()) : value.toString();
    if (expected == "*"_L1)
        QVERIFY(!actual.isEmpty());
    else
        QCOMPARE(actual, substitute(expected));
}

void TestCli::serverErrors_data()
{
    QTest::addColumn<QString>("token");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    const QString unknown = u"00000000-0000-0000-0000-000000000000"_s;
    QTest::addRow("unknown thing") << u"admin"_s << QStringList{u"things"_s, u"get"_s, unknown}
                                   << u"error: thing not found"_s;
    QTest::addRow("update unknown thing")
        << u"admin"_s << QStringList{u"things"_s, u"update"_s, unknown, u"{\"name\":\"x\"}"_s}
        << u"error: thing not found"_s;
    QTest::addRow("key of unknown thing")
        << u"admin"_s << QStringList{u"things"_s, u"key"_s, unknown} << u"error: thing not found"_s;
    QTest::addRow("unknown channel") << u"admin"_s << QStringList{u"channels"_s, u"get"_s, unknown}
                                     << u"error: channel not found"_s;
    QTest::addRow("things of unknown channel")
        << u"admin"_s << QStringList{u"channels"_s, u"things"_s, unknown} << u"error: channel not found"_s;
    QTest::addRow("connect unknown") << u"admin"_s << QStringList{u"things"_s, u"connect"_s, unknown, u"{channel}"_s}
                                     << u"error: "_s;
    QTest::addRow("disconnect not connected")
        << u"admin"_s << QStringList{u"things"_s, u"disconnect"_s, u"{thing}"_s, u"{channel}"_s}
        << u"error: thing {thing} is not connected to channel {channel}"_s;
    QTest::addRow("other user's thing") << u"user"_s << QStringList{u"things"_s, u"get"_s, u"{thing}"_s}
                                        << u"error: thing not found"_s;
    QTest::addRow("unknown user") << u"admin"_s << QStringList{u"users"_s, u"get"_s, unknown}
                                  << u"error: user not found"_s;
    QTest::addRow("bad token") << u"garbage"_s << QStringList{u"things"_s, u"get"_s} << u"error: invalid token"_s;
    QTest::addRow("not an administrator")
        << u"user"_s << QStringList{u"users"_s, u"list"_s} << u"error: only an administrator may do this"_s;
    QTest::addRow("email taken") << QString()
                                 << QStringList{u"users"_s, u"create"_s, u"user@example.com"_s, u"pw-12345678"_s}
                                 << u"error: email: already registered"_s;
    QTest::addRow("wrong password") << QString()
                                    << QStringList{u"users"_s, u"token"_s, u"user@example.com"_s, u"wrong"_s}
                                    << u"error: wrong e-mail or password"_s;
    QTest::addRow("wrong old password") << u"user"_s << QStringList{u"users"_s, u"password"_s, u"wrong"_s, u"x"_s}
                                        << u"error: old_password: does not match"_s;
    QTest::addRow("bad type") << u"admin"_s
                              << QStringList{u"things"_s, u"create"_s, u"--name"_s, u"x"_s, u"--type"_s, u"toaster"_s}
                              << u"error: type: must be \"device\" or \"app\""_s;
    QTest::addRow("key taken") << u"admin"_s
                               << QStringList{u"things"_s, u"create"_s, u"--name"_s, u"x"_s, u"--key"_s, u"{key}"_s}
                               << u"error: key: already in use"_s;
    QTest::addRow("admin disables self") << u"admin"_s << QStringList{u"users"_s, u"disable"_s, u"{admin}"_s}
                                         << u"error: administrators cannot disable or delete their own account"_s;
}

void TestCli::serverErrors()
{
    QFETCH(QString, token);
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    auto me = m_client->me().wait();
    QVERIFY(me.has_value());
    for (QString &arg : args)
        arg = substitute(arg).replace(u"{admin}"_s, me->id);
    const QString credential = token == "admin"_L1 ? m_adminToken : token == "user"_L1 ? m_userToken : token;
    const Outcome result = credential.isEmpty() ? run(args) : runAs(credential, args);
    QCOMPARE(result.code, 1);
    QVERIFY2(result.err.startsWith(substitute(message)), qPrintable(result.err));
    QVERIFY(!result.err.contains(u"usage:"_s));
    QCOMPARE(result.out, QString());
}

void TestCli::unreachableServer()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const QString url = u"http://127.0.0.1:%1"_s.arg(probe.serverPort());
    probe.close();
    const Outcome result = run({u"version"_s, u"-m"_s, url});
    QCOMPARE(result.code, 1);
    QCOMPARE(result.err, u"error: cannot reach %1: connection refused\n"_s.arg(url));
}

void TestCli::usersAdministration()
{
    Outcome created =
        runAs(m_adminToken, {u"users"_s, u"create"_s, u"carol@example.com"_s, u"carol-password"_s, u"-f"_s, u"json"_s});
    QCOMPARE(created.code, 0);
    const QString carol = QJsonDocument::fromJson(created.out.toUtf8()).object().value("id"_L1).toString();
    QVERIFY(!carol.isEmpty());

    QCOMPARE(runAs(m_adminToken, {u"users"_s, u"disable"_s, carol}).out.contains(u"enabled  no"_s), true);
    Outcome refused = run({u"users"_s, u"token"_s, u"carol@example.com"_s, u"carol-password"_s});
    QCOMPARE(refused.code, 1);
    QCOMPARE(refused.err, u"error: this account is disabled\n"_s);
    QCOMPARE(runAs(m_adminToken, {u"users"_s, u"enable"_s, carol}).out.contains(u"enabled  yes"_s), true);

    Outcome reset = runAs(m_adminToken, {u"users"_s, u"reset-password"_s, carol, u"carol-new-password"_s});
    QCOMPARE(reset.code, 0);
    QCOMPARE(reset.out, u"password of user %1 reset\n"_s.arg(carol));
    Outcome login = run({u"users"_s, u"token"_s, u"carol@example.com"_s, u"carol-new-password"_s});
    QCOMPARE(login.code, 0);
    const QString carolToken = login.out.trimmed();

    Outcome changed = runAs(carolToken, {u"users"_s, u"password"_s, u"carol-new-password"_s, u"carol-third"_s});
    QCOMPARE(changed.code, 0);
    QVERIFY(changed.out.startsWith(u"password changed"_s));
    Outcome revoked = runAs(carolToken, {u"users"_s, u"me"_s});
    QCOMPARE(revoked.code, 1);
    QCOMPARE(revoked.err, u"error: token revoked; sign in again\n"_s);

    Outcome removed = runAs(m_adminToken, {u"users"_s, u"delete"_s, carol});
    QCOMPARE(removed.code, 0);
    QCOMPARE(removed.out, u"deleted user %1\n"_s.arg(carol));
    QCOMPARE(m_client->user(carol).wait().error().code, mf::ErrorCode::NotFound);
    // JSON output of commands without a result is empty: nothing to parse, nothing to break.
    Outcome again = runAs(m_adminToken, {u"things"_s, u"delete"_s, m_thing.id, u"-f"_s, u"json"_s});
    QCOMPARE(again.code, 0);
    QCOMPARE(again.out, QString());
}

void TestCli::thingsLifecycle()
{
    // Checks the server state after each command, not only the output.
    QCOMPARE(runAs(m_adminToken, {u"things"_s, u"connect"_s, m_thing.id, m_channel.id}).code, 0);
    auto connected = m_client->thingsOfChannel(m_channel.id, mf::PageQuery{}).wait();
    QVERIFY(connected.has_value());
    QCOMPARE(connected->total, 1);
    Outcome listed = runAs(m_adminToken, {u"channels"_s, u"things"_s, m_channel.id, u"--show-keys"_s});
    QVERIFY(listed.out.contains(m_thing.key));
    Outcome channels = runAs(m_adminToken, {u"things"_s, u"channels"_s, m_thing.id});
    QVERIFY(channels.out.contains(m_channel.id + u"  fixture-channel"_s));

    QCOMPARE(runAs(m_adminToken, {u"things"_s, u"disconnect"_s, m_thing.id, m_channel.id}).code, 0);
    QCOMPARE(m_client->thingsOfChannel(m_channel.id, mf::PageQuery{}).wait()->total, 0);

    Outcome rotated = runAs(m_adminToken, {u"things"_s, u"key"_s, m_thing.id});
    QCOMPARE(rotated.code, 0);
    const QString newKey = rotated.out.trimmed();
    QVERIFY(!newKey.isEmpty() && newKey != m_thing.key);
    QCOMPARE(m_client->thing(m_thing.id).wait()->key, newKey);

    QCOMPARE(runAs(m_adminToken, {u"things"_s, u"update"_s, m_thing.id, u"--metadata"_s, u"{\"x\":true}"_s}).code, 0);
    auto updated = m_client->thing(m_thing.id).wait();
    QVERIFY(updated->metadata.object().value("x"_L1).toBool());
    QCOMPARE(updated->name, u"fixture-thing"_s); // untouched fields stay

    QCOMPARE(runAs(m_adminToken, {u"things"_s, u"delete"_s, m_thing.id}).code, 0);
    QCOMPARE(m_client->thing(m_thing.id).wait().error().code, mf::ErrorCode::NotFound);
}

void TestCli::fleetStatus()
{
    QVERIFY(m_client->connectThing(m_channel.id, m_thing.id).wait().has_value());
    Outcome offline = runAs(m_adminToken, {u"things"_s, u"get"_s, u"all"_s, u"--status"_s, u"offline"_s});
    QVERIFY2(offline.out.contains(m_thing.id) && offline.out.contains(u"never"_s), qPrintable(offline.out));
    publish(m_thing.key, {}, R"([{"bn":"cli:","n":"temp","u":"Cel","v":21.25}])");
    const QRegularExpression onlineLine(u"(^|\\n)status +online\\n"_s);
    QTRY_VERIFY_WITH_TIMEOUT(onlineLine.match(runAs(m_adminToken, {u"things"_s, u"get"_s, m_thing.id}).out).hasMatch(),
                             5000);
    Outcome online = runAs(m_adminToken, {u"things"_s, u"get"_s, u"all"_s, u"--status"_s, u"online"_s});
    QVERIFY2(online.out.contains(m_thing.id) && online.out.contains(u"s ago"_s), qPrintable(online.out));
    QVERIFY(!runAs(m_adminToken, {u"things"_s, u"get"_s, u"--status"_s, u"offline"_s}).out.contains(m_thing.id));
    QVERIFY(!runAs(m_adminToken, {u"things"_s, u"get"_s, u"--offline-for"_s, u"1h"_s}).out.contains(m_thing.id));
    const QStringList byLastSeen =
        runAs(m_adminToken, {u"things"_s, u"get"_s, u"--by-last-seen"_s}).out.split(u'\n', Qt::SkipEmptyParts);
    QVERIFY(byLastSeen.size() >= 2);
    QVERIFY2(byLastSeen[1].startsWith(m_thing.id), qPrintable(byLastSeen.join(u'\n'))); // heard from last

    Outcome status = runAs(m_adminToken, {u"things"_s, u"status"_s, m_thing.id});
    QCOMPARE(status.code, 0);
    QVERIFY2(status.out.contains(u", http)"_s), qPrintable(status.out)); // last seen "… (3s ago, http)"
    QVERIFY2(status.out.contains(u"online  message  http"_s), qPrintable(status.out)); // the history row

    QTRY_VERIFY_WITH_TIMEOUT(runAs(m_adminToken, {u"channels"_s, u"latest"_s, m_channel.id}).out.contains(u"cli:temp"_s),
                             5000);
    const Outcome latest = runAs(m_adminToken, {u"things"_s, u"latest"_s, m_thing.id});
    QVERIFY2(latest.out.contains(m_channel.id) && latest.out.contains(u"cli:temp  21.25  Cel"_s), qPrintable(latest.out));
    const Outcome json = runAs(m_adminToken, {u"channels"_s, u"latest"_s, m_channel.id, u"-f"_s, u"json"_s});
    const QJsonObject body = QJsonDocument::fromJson(json.out.toUtf8()).object();
    QCOMPARE(body.value("values"_L1).toArray().first().toObject().value("value"_L1).toDouble(), 21.25);
    // A refused message: the reason and the payload, in the thing's and the channel's refusals.
    QCOMPARE(m_client->sendMessage(m_channel.id, {}, u"application/senml+json"_s, "[{\"n\":1}]", m_thing.key)
                 .wait()
                 .error()
                 .code,
             mf::ErrorCode::Malformed);
    QTRY_VERIFY_WITH_TIMEOUT(runAs(m_adminToken, {u"things"_s, u"refusals"_s, m_thing.id}).out.contains(u"invalid SenML"_s),
                             5000);
    const Outcome refused = runAs(m_adminToken, {u"channels"_s, u"refusals"_s, m_channel.id});
    QVERIFY2(refused.out.contains(u"http      "_s + m_thing.id) && refused.out.contains(u"[{\"n\":1}]"_s),
             qPrintable(refused.out));
    // Another user's view: not found, like an unknown thing.
    const Outcome other = runAs(m_userToken, {u"things"_s, u"latest"_s, m_thing.id});
    QCOMPARE(other.code, 1);
    QVERIFY2(other.err.contains(u"not found"_s), qPrintable(other.err));
}

void TestCli::simulate()
{
    // Over HTTP: a quarter of the packs invalid, exactly; the things are online and the refusals kept.
    Outcome run = runAs(m_adminToken, {u"simulate"_s, u"--things"_s, u"3"_s, u"--rate"_s, u"200"_s, u"--count"_s,
                                       u"40"_s, u"--invalid"_s, u"0.25"_s, u"-f"_s, u"json"_s});
    QVERIFY2(run.code == 0, qPrintable(run.err));
    const QJsonObject report = QJsonDocument::fromJson(run.out.toUtf8()).object();
    QCOMPARE(report.value("sent"_L1).toInt(), 40);
    QCOMPARE(report.value("refused"_L1).toInt(), 10);
    QCOMPARE(report.value("accepted"_L1).toInt(), 30);
    QCOMPARE(report.value("failed"_L1).toInt(), 0);
    const QString channel = report.value("channel"_L1).toString();
    const QJsonArray things = report.value("things"_L1).toArray();
    QCOMPARE(things.size(), 3);
    for (const QJsonValue &id : things)
        QTRY_VERIFY_WITH_TIMEOUT(m_client->thing(id.toString()).wait()->status.online, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(m_client->refusalsOfChannel(channel).wait()->value("total"_L1).toInt(), 10, 5000);
    mf::client::MessageQuery query;
    query.limit = 1000;
    QTRY_COMPARE_WITH_TIMEOUT(
        m_client->readMessages(channel, query, {mf::client::Credential::Kind::UserToken, m_adminToken})
            .wait()
            ->value("total"_L1)
            .toInt(),
        60, 10000); // two records (temp, humidity) per accepted pack

    // Over MQTT on the same channel, then everything it made is deleted; the channel it was given stays.
    const quint16 mqttPort = quint16(m_backend->readyInfo().value("ports"_L1).toObject().value("mqtt"_L1).toInt());
    run = runAs(m_adminToken, {u"simulate"_s, channel, u"--protocol"_s, u"mqtt"_s, u"--mqtt-url"_s,
                               u"tcp://127.0.0.1:%1"_s.arg(mqttPort), u"--things"_s, u"2"_s, u"--count"_s, u"20"_s,
                               u"--rate"_s, u"100"_s, u"--cleanup"_s});
    QVERIFY2(run.code == 0, qPrintable(run.err + run.out));
    QVERIFY2(run.out.contains(u"accepted  20"_s) && run.out.contains(u"things    deleted"_s), qPrintable(run.out));
    QTRY_COMPARE_WITH_TIMEOUT(
        m_client->readMessages(channel, query, {mf::client::Credential::Kind::UserToken, m_adminToken})
            .wait()
            ->value("total"_L1)
            .toInt(),
        100, 10000);
    QVERIFY(m_client->channel(channel).wait().has_value());
    QCOMPARE(m_client->thingsOfChannel(channel, mf::PageQuery{}).wait()->total, 3); // the HTTP run's, not cleaned
    QVERIFY(runAs(m_adminToken, {u"channels"_s, u"delete"_s, channel}).code == 0);
}

void TestCli::simulateOverWebSocketAndCoap()
{
    // The adapters' answers count: a fifth of the packs invalid, refused over both; the WebSocket things are online
    // while the run holds their connections (no message is needed for it) and offline once it ended.
    const QJsonObject ports = m_backend->readyInfo().value("ports"_L1).toObject();
    const auto simulate = [&](const QString &protocol, const QString &urlOption, const QString &url) {
        const Outcome run = runAs(m_adminToken, {u"simulate"_s, u"--protocol"_s, protocol, urlOption, url,
                                                 u"--things"_s, u"2"_s, u"--rate"_s, u"100"_s, u"--count"_s, u"20"_s,
                                                 u"--invalid"_s, u"0.2"_s, u"-f"_s, u"json"_s});
        if (run.code != 0) qWarning().noquote() << run.err << run.out;
        return QJsonDocument::fromJson(run.out.toUtf8()).object();
    };
    for (const QString &protocol : {u"ws"_s, u"coap"_s}) {
        const QJsonObject report =
            protocol == "ws"_L1
                ? simulate(protocol, u"--ws-url"_s, u"ws://127.0.0.1:%1"_s.arg(ports.value("ws"_L1).toInt()))
                : simulate(protocol, u"--coap-url"_s, u"coap://127.0.0.1:%1"_s.arg(ports.value("coap"_L1).toInt()));
        QVERIFY2(!report.isEmpty(), qPrintable(protocol));
        QCOMPARE(report.value("sent"_L1).toInt(), 20);
        QCOMPARE(report.value("refused"_L1).toInt(), 4);
        QCOMPARE(report.value("accepted"_L1).toInt(), 16);
        QCOMPARE(report.value("failed"_L1).toInt(), 0);
        const QString channel = report.value("channel"_L1).toString();
        QTRY_COMPARE_WITH_TIMEOUT(m_client->refusalsOfChannel(channel).wait()->value("total"_L1).toInt(), 4, 5000);
        mf::client::MessageQuery query;
        query.limit = 1000;
        QTRY_COMPARE_WITH_TIMEOUT(
            m_client->readMessages(channel, query, {mf::client::Credential::Kind::UserToken, m_adminToken})
                .wait()
                ->value("total"_L1)
                .toInt(),
            32, 10000); // two records per accepted pack
        const QString thing = report.value("things"_L1).toArray().first().toString();
        auto status = m_client->thing(thing).wait();
        QVERIFY(status.has_value());
        QCOMPARE(status->status.lastProtocol, protocol);
        if (protocol == "ws"_L1) // its connection closed with the run: offline at once, not after the silence
            QTRY_VERIFY_WITH_TIMEOUT(!m_client->thing(thing).wait()->status.online, 5000);
        // Gone again: later tests need the names sim-1, sim-2 to be unique.
        for (const QJsonValue &id : report.value("things"_L1).toArray())
            QVERIFY(m_client->removeThing(id.toString()).wait().has_value());
        QVERIFY(runAs(m_adminToken, {u"channels"_s, u"delete"_s, channel}).code == 0);
    }
}

void TestCli::tableIsAligned()
{
    QVERIFY(m_client->createThing(QJsonObject{{u"name"_s, u"a-much-longer-thing-name"_s}, {u"type"_s, u"app"_s}})
                .wait()
                .has_value());
    Outcome result = runAs(m_adminToken, {u"things"_s, u"get"_s, u"--show-keys"_s});
    QCOMPARE(result.code, 0);
    const QStringList lines = result.out.split(u'\n', Qt::SkipEmptyParts);
    QVERIFY(lines.size() >= 3);
    const qsizetype nameColumn = lines.first().indexOf(u"NAME"_s);
    const qsizetype typeColumn = lines.first().indexOf(u"TYPE"_s);
    const qsizetype keyColumn = lines.first().indexOf(u"KEY"_s);
    QVERIFY(nameColumn > 0 && typeColumn > nameColumn && keyColumn > typeColumn);
    for (const QString &line : lines.mid(1)) {
        QVERIFY2(line.at(nameColumn - 1) == u' ' && line.at(nameColumn) != u' ', qPrintable(line));
        QVERIFY2(line.at(typeColumn - 1) == u' ' && line.at(typeColumn) != u' ', qPrintable(line));
        QVERIFY2(line.mid(typeColumn).startsWith(u"app"_s) || line.mid(typeColumn).startsWith(u"device"_s),
                 qPrintable(line));
        QVERIFY(!line.endsWith(u' '));
    }
}

void TestCli::provisionApplyIsIdempotent()
{
    const QString plan = writeFile(u"plan.json"_s, R"({
        "things": [{"name": "p-sensor", "type": "device", "metadata": {"room": "lab"}},
                   {"name": "p-app", "type": "app"},
                   {"name": "fixture-thing"}],
        "channels": [{"name": "p-telemetry", "metadata": {"unit": "C"}}, {"name": "p-commands"}],
        "connections": [{"channel": "p-telemetry", "things": ["p-sensor", "p-app"]},
                        {"channel": "p-commands", "things": ["p-app"]}]
    })");
    // fixture-thing exists already (created in init): matched by name, left alone.

    Outcome first = runAs(m_adminToken, {u"provision"_s, u"apply"_s, plan});
    QVERIFY2(first.code == 0, qPrintable(first.err));
    QCOMPARE(first.out, u"created thing p-sensor\n"
                        "created thing p-app\n"
                        "unchanged thing fixture-thing\n"
                        "created channel p-telemetry\n"
                        "created channel p-commands\n"
                        "connected p-sensor -> p-telemetry\n"
                        "connected p-app -> p-telemetry\n"
                        "connected p-app -> p-commands\n"
                        "4 created, 0 updated, 3 connected, 1 unchanged\n"_s);

    Outcome second = runAs(m_adminToken, {u"provision"_s, u"apply"_s, plan});
    QVERIFY2(second.code == 0, qPrintable(second.err));
    QCOMPARE(second.out, u"unchanged thing p-sensor\n"
                         "unchanged thing p-app\n"
                         "unchanged thing fixture-thing\n"
                         "unchanged channel p-telemetry\n"
                         "unchanged channel p-commands\n"
                         "unchanged connection p-sensor -> p-telemetry\n"
                         "unchanged connection p-app -> p-telemetry\n"
                         "unchanged connection p-app -> p-commands\n"
                         "0 created, 0 updated, 0 connected, 8 unchanged\n"_s);

    // The server holds exactly what the file says, once.
    auto sensors = m_client->things(mf::PageQuery{0, 100, u"p-sensor"_s}).wait();
    QCOMPARE(sensors->total, 1);
    QCOMPARE(sensors->items.first().metadata, (QJsonObject{{u"room"_s, u"lab"_s}}));
    auto telemetry = m_client->channels(mf::PageQuery{0, 100, u"p-telemetry"_s}).wait();
    QCOMPARE(telemetry->total, 1);
    QCOMPARE(telemetry->items.first().metadata, (QJsonObject{{u"unit"_s, u"C"_s}}));
    QCOMPARE(m_client->thingsOfChannel(telemetry->items.first().id, mf::PageQuery{}).wait()->total, 2);
    auto commands = m_client->channels(mf::PageQuery{0, 100, u"p-commands"_s}).wait();
    QCOMPARE(m_client->thingsOfChannel(commands->items.first().id, mf::PageQuery{}).wait()->total, 1);

    // A changed file changes only what differs.
    const QString changed = writeFile(u"plan2.json"_s, R"({
        "things": [{"name": "p-sensor", "metadata": {"room": "hall"}}, {"name": "p-app", "type": "device"}],
        "connections": [{"channel": "p-commands", "things": ["p-sensor", "p-app"]}]
    })");
    Outcome third = runAs(m_adminToken, {u"provision"_s, u"apply"_s, changed});
    QVERIFY2(third.code == 0, qPrintable(third.err));
    QCOMPARE(third.out, u"updated thing p-sensor\n"
                        "updated thing p-app\n"
                        "connected p-sensor -> p-commands\n"
                        "unchanged connection p-app -> p-commands\n"
                        "0 created, 2 updated, 1 connected, 1 unchanged\n"_s);
    sensors = m_client->things(mf::PageQuery{0, 100, u"p-sensor"_s}).wait();
    QCOMPARE(sensors->items.first().metadata, (QJsonObject{{u"room"_s, u"hall"_s}}));
    QCOMPARE(sensors->items.first().type, u"device"_s);
    QCOMPARE(m_client->things(mf::PageQuery{0, 100, u"p-app"_s}).wait()->items.first().type, u"device"_s);
}

void TestCli::provisionApplyJson()
{
    const QString plan = writeFile(u"plan-json.json"_s, R"({"channels": [{"name": "pj-channel"}]})");
    Outcome first = runAs(m_adminToken, {u"provision"_s, u"apply"_s, plan, u"-f"_s, u"json"_s});
    QCOMPARE(first.code, 0);
    const QJsonObject doc = QJsonDocument::fromJson(first.out.toUtf8()).object();
    const QJsonObject change = doc.value("changes"_L1).toArray().first().toObject();
    QCOMPARE(change.value("action"_L1).toString(), u"created"_s);
    QCOMPARE(change.value("kind"_L1).toString(), u"channel"_s);
    QCOMPARE(m_client->channel(change.value("id"_L1).toString()).wait()->name, u"pj-channel"_s);
    QCOMPARE(doc.value("summary"_L1).toObject().value("created"_L1).toInt(), 1);
    Outcome second = runAs(m_adminToken, {u"provision"_s, u"apply"_s, plan, u"-f"_s, u"json"_s});
    QCOMPARE(QJsonDocument::fromJson(second.out.toUtf8())
                 .object()
                 .value("summary"_L1)
                 .toObject()
                 .value("unchanged"_L1)
                 .toInt(),
             1);
}

void TestCli::provisionApplyRejectsBadPlans_data()
{
    QTest::addColumn<QByteArray>("plan");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    QTest::addRow("not json") << QByteArray("{things") << 2 << u"not a JSON object"_s;
    QTest::addRow("unknown key") << QByteArray(R"({"thing": []})") << 2 << u"unknown key \"thing\""_s;
    QTest::addRow("not an array") << QByteArray(R"({"things": {}})") << 2 << u"things: must be an array"_s;
    QTest::addRow("nameless") << QByteArray(R"({"things": [{"type": "app"}]})") << 2
                              << u"things[0]: name is missing or empty"_s;
    QTest::addRow("duplicate") << QByteArray(R"({"channels": [{"name": "a"}, {"name": "a"}]})") << 2
                               << u"channels[1]: name \"a\" appears twice"_s;
    QTest::addRow("bad type") << QByteArray(R"({"things": [{"name": "a", "type": "toaster"}]})") << 2
                              << u"things[0]: type must be"_s;
    QTest::addRow("bad metadata") << QByteArray(R"({"channels": [{"name": "a", "metadata": "x"}]})") << 2
                                  << u"metadata must be a JSON object"_s;
    QTest::addRow("connection without things")
        << QByteArray(R"({"connections": [{"channel": "a"}]})") << 2 << u"connections[0]: things must be an array"_s;
    // Checked against the server before any change: nothing is created.
    QTest::addRow("unknown channel") << QByteArray(R"({"things": [{"name": "never-created"}],
                                                       "connections": [{"channel": "nope", "things": []}]})")
                                     << 1 << u"error: connections: channel \"nope\" is neither in the file"_s;
    QTest::addRow("unknown thing") << QByteArray(R"({"channels": [{"name": "never-created"}],
                                                     "connections": [{"channel": "never-created", "things": ["x"]}]})")
                                   << 1 << u"error: connections: thing \"x\" is neither in the file"_s;
}

void TestCli::provisionApplyRejectsBadPlans()
{
    QFETCH(QByteArray, plan);
    QFETCH(int, code);
    QFETCH(QString, message);
    const Outcome result = runAs(m_adminToken, {u"provision"_s, u"apply"_s, writeFile(u"bad.json"_s, plan)});
    QCOMPARE(result.code, code);
    QVERIFY2(result.err.contains(message), qPrintable(result.err));
    QCOMPARE(m_client->things(mf::PageQuery{0, 10, u"never-created"_s}).wait()->total, 0);
    QCOMPARE(m_client->channels(mf::PageQuery{0, 10, u"never-created"_s}).wait()->total, 0);
}

void TestCli::provisionCsv()
{
    const QString things = writeFile(u"things.csv"_s, "# name,type\ncsv-t1,app\ncsv-t2\n\n csv-t3 , device \n");
    Outcome created = runAs(m_adminToken, {u"provision"_s, u"things"_s, things, u"-f"_s, u"json"_s});
    QVERIFY2(created.code == 0, qPrintable(created.err));
    const QJsonArray list = QJsonDocument::fromJson(created.out.toUtf8()).object().value("things"_L1).toArray();
    QCOMPARE(list.size(), 3);
    QCOMPARE(list[0].toObject().value("type"_L1).toString(), u"app"_s);
    QCOMPARE(list[1].toObject().value("type"_L1).toString(), u"device"_s);
    QCOMPARE(list[2].toObject().value("name"_L1).toString(), u"csv-t3"_s);
    QCOMPARE(m_client->things(mf::PageQuery{0, 10, u"csv-t"_s}).wait()->total, 3);

    const QString channels = writeFile(u"channels.csv"_s, "csv-c1\ncsv-c2\n");
    Outcome table = runAs(m_adminToken, {u"provision"_s, u"channels"_s, channels});
    QCOMPARE(table.code, 0);
    QVERIFY(table.out.contains(u"  csv-c2"_s));
    QCOMPARE(m_client->channels(mf::PageQuery{0, 10, u"csv-c"_s}).wait()->total, 2);

    Outcome tooMany = runAs(m_adminToken, {u"provision"_s, u"channels"_s, writeFile(u"bad.csv"_s, "a,b\n")});
    QCOMPARE(tooMany.code, 2);
    QVERIFY(tooMany.err.contains(u"bad.csv:1: expected at most 1 field(s)"_s));
    Outcome badType = runAs(m_adminToken, {u"provision"_s, u"things"_s, writeFile(u"bad.csv"_s, "a,toaster\n")});
    QCOMPARE(badType.code, 1);
    QVERIFY2(badType.err.contains(u"type: must be"_s), qPrintable(badType.err));
}

void TestCli::profiles()
{
    const QString config = m_dir.filePath(u"profiles.conf"_s);
    const QHash<QString, QString> env{{u"MF_CLI_CONFIG"_s, config}, {u"MF_URL"_s, QString()}};
    Outcome set = run({u"profile"_s, u"set"_s, u"lab"_s, u"-m"_s, m_url, u"--token"_s, m_adminToken}, env);
    QCOMPARE(set.code, 0);
    QCOMPARE(QFile::permissions(config) & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
             QFileDevice::Permissions());

    // The profile provides URL and token: no flag, no environment.
    Outcome me = run({u"users"_s, u"me"_s, u"--profile"_s, u"lab"_s}, env);
    QVERIFY2(me.code == 0, qPrintable(me.err));
    QVERIFY(me.out.contains(u"admin@example.com"_s));
    // MF_PROFILE selects it too; a flag beats the profile.
    Outcome viaEnv = run({u"users"_s, u"me"_s}, {{u"MF_CLI_CONFIG"_s, config}, {u"MF_PROFILE"_s, u"lab"_s}});
    QCOMPARE(viaEnv.code, 0);
    Outcome flagWins = run({u"users"_s, u"me"_s, u"--profile"_s, u"lab"_s, u"--token"_s, m_userToken}, env);
    QVERIFY(flagWins.out.contains(u"user@example.com"_s));

    Outcome list = run({u"profile"_s, u"list"_s}, env);
    QCOMPARE(list.code, 0);
    QVERIFY(list.out.contains(u"lab      %1  yes"_s.arg(m_url)));
    Outcome show = run({u"profile"_s, u"show"_s, u"--profile"_s, u"lab"_s, u"-f"_s, u"json"_s}, env);
    const QJsonObject shown = QJsonDocument::fromJson(show.out.toUtf8()).object();
    QCOMPARE(shown.value("url"_L1).toString(), m_url);
    QVERIFY(!shown.value("token"_L1).toString().contains(m_adminToken)); // never printed in full

    QCOMPARE(run({u"profile"_s, u"remove"_s, u"lab"_s}, env).code, 0);
    Outcome gone = run({u"profile"_s, u"remove"_s, u"lab"_s}, env);
    QCOMPARE(gone.code, 1);
    QVERIFY(gone.err.contains(u"no profile named \"lab\""_s));
    QCOMPARE(run({u"users"_s, u"me"_s, u"--profile"_s, u"lab"_s}, env).code, 2);
}

void TestCli::tokenSave()
{
    const QString config = m_dir.filePath(u"save.conf"_s);
    const QHash<QString, QString> env{{u"MF_CLI_CONFIG"_s, config}};
    Outcome saved = run({u"users"_s, u"token"_s, u"user@example.com"_s, u"user-password"_s, u"--save"_s}, env);
    QCOMPARE(saved.code, 0);
    QVERIFY(saved.err.contains(u"saved the token in profile \"default\""_s));
    Outcome me = run({u"users"_s, u"me"_s}, env); // the default profile's token
    QVERIFY2(me.code == 0, qPrintable(me.err));
    QVERIFY(me.out.contains(u"user@example.com"_s));
}


void TestCli::watchReceivesLive()
{
    // A second thing publishes (a thing never receives its own messages); m_thing watches with its key.
    auto publisher = m_client->createThing(QJsonObject{{u"name"_s, u"watch-publisher"_s}}).wait();
    QVERIFY(publisher.has_value());
    QVERIFY(m_client->connectThing(m_channel.id, publisher->id).wait().has_value());
    QVERIFY(m_client->connectThing(m_channel.id, m_thing.id).wait().has_value());
    const auto publishTwo = [&] {
        publish(publisher->key, {}, "[{\"bn\":\"dev:\",\"n\":\"temp\",\"u\":\"Cel\",\"v\":21.5}]");
        publish(publisher->key, u"room1"_s, "[{\"n\":\"on\",\"vb\":true}]");
    };

    // The owner's stream with the user token, table output.
    Outcome table = watch({m_channel.id, u"--count"_s, u"2"_s}, publishTwo, {{u"MF_TOKEN"_s, m_adminToken}});
    QCOMPARE(table.code, 0);
    QCOMPARE(table.err, QString());
    const QStringList lines = table.out.split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    QVERIFY(lines[0].startsWith(u"TIME"_s));
    QVERIFY(lines[0].contains(u"PUBLISHER"_s) && lines[0].contains(u"UNIT"_s));
    QVERIFY2(lines[1].contains(publisher->id) && lines[1].contains(u"http"_s) && lines[1].contains(u"dev:temp"_s) &&
                 lines[1].contains(u"21.5"_s) && lines[1].endsWith(u"Cel"_s),
             qPrintable(lines[1]));
    QVERIFY2(lines[2].contains(u"room1"_s) && lines[2].contains(u"on"_s) && lines[2].endsWith(u"true"_s),
             qPrintable(lines[2]));

    // A thing key, JSON lines parsed back.
    Outcome json = watch({m_channel.id, m_thing.key, u"--count"_s, u"2"_s, u"-f"_s, u"json"_s}, publishTwo);
    QCOMPARE(json.code, 0);
    QCOMPARE(json.err, QString());
    const QStringList jsonLines = json.out.split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(jsonLines.size(), 2);
    QList<QJsonObject> records;
    for (const QString &line : jsonLines) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line.toUtf8(), &error);
        QVERIFY2(doc.isObject(), qPrintable(line));
        records.append(doc.object());
    }
    const QStringList keys{u"channel"_s, u"name"_s,  u"protocol"_s, u"publisher"_s,
                           u"subtopic"_s, u"time"_s, u"unit"_s,     u"value"_s};
    QCOMPARE(records[0].keys(), keys);
    QCOMPARE(records[0].value("channel"_L1).toString(), m_channel.id);
    QCOMPARE(records[0].value("publisher"_L1).toString(), publisher->id);
    QCOMPARE(records[0].value("protocol"_L1).toString(), u"http"_s);
    QCOMPARE(records[0].value("name"_L1).toString(), u"dev:temp"_s);
    QCOMPARE(records[0].value("unit"_L1).toString(), u"Cel"_s);
    QCOMPARE(records[0].value("value"_L1), QJsonValue(21.5));
    QCOMPARE(records[0].value("subtopic"_L1).toString(), QString());
    QVERIFY(records[0].value("time"_L1).toDouble() > 1.6e9);
    QCOMPARE(records[1].value("subtopic"_L1).toString(), u"room1"_s);
    QCOMPARE(records[1].value("value"_L1), QJsonValue(true));

    m_client->removeThing(publisher->id).wait();
}

void TestCli::watchSubtopic()
{
    auto publisher = m_client->createThing(QJsonObject{{u"name"_s, u"watch-publisher"_s}}).wait();
    QVERIFY(publisher.has_value());
    QVERIFY(m_client->connectThing(m_channel.id, publisher->id).wait().has_value());
    Outcome outcome = watch({m_channel.id, u"--subtopic"_s, u"room1/temp"_s, u"--count"_s, u"1"_s, u"-f"_s, u"json"_s},
                            [&] {
                                publish(publisher->key, {}, "[{\"n\":\"t\",\"v\":1}]");
                                publish(publisher->key, u"room1"_s, "[{\"n\":\"t\",\"v\":2}]");
                                publish(publisher->key, u"room1/temp"_s, "[{\"n\":\"t\",\"v\":3}]");
                            },
                            {{u"MF_TOKEN"_s, m_adminToken}});
    QCOMPARE(outcome.code, 0);
    const QJsonObject record = QJsonDocument::fromJson(outcome.out.trimmed().toUtf8()).object();
    QCOMPARE(record.value("value"_L1), QJsonValue(3));
    QCOMPARE(record.value("subtopic"_L1).toString(), u"room1.temp"_s);
    m_client->removeThing(publisher->id).wait();
}

void TestCli::watchErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("token"); // "admin", "user" or a literal
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    QTest::addRow("bad token") << QStringList{u"{channel}"_s} << u"garbage"_s << 1 << u"error: unknown thing key"_s;
    QTest::addRow("bad thing key") << QStringList{u"{channel}"_s, u"nokey"_s} << QString() << 1
                                   << u"error: unknown thing key"_s;
    QTest::addRow("unknown channel") << QStringList{u"00000000-0000-0000-0000-000000000000"_s} << u"admin"_s << 1
                                     << u"error: channel not found"_s;
    QTest::addRow("another user's channel") << QStringList{u"{channel}"_s} << u"user"_s << 1 << u"error: channel not found"_s;
    QTest::addRow("thing not connected") << QStringList{u"{channel}"_s, u"{key}"_s} << QString() << 1 << u"error: thing is not connected"_s;
    QTest::addRow("bad subtopic") << QStringList{u"{channel}"_s, u"--subtopic"_s, u"a/*/b"_s} << u"admin"_s << 1
                                  << u"error: subtopic token"_s;
    QTest::addRow("no credentials") << QStringList{u"{channel}"_s} << QString() << 2
                                    << u"give a thing key, or a user token"_s;
    QTest::addRow("count zero") << QStringList{u"{channel}"_s, u"--count"_s, u"0"_s} << u"admin"_s << 2
                                << u"--count: must be a positive integer"_s;
    QTest::addRow("count not a number") << QStringList{u"{channel}"_s, u"--count=x"_s} << u"admin"_s << 2
                                        << u"--count"_s;
    QTest::addRow("bad ws url") << QStringList{u"{channel}"_s, u"--ws-url"_s, u"ftp://h"_s} << u"admin"_s << 2
                                << u"--ws-url: \"ftp://h\" is not a ws:// or wss:// URL"_s;
    QTest::addRow("too many arguments") << QStringList{u"{channel}"_s, u"k"_s, u"x"_s} << u"admin"_s << 2
                                        << u"too many arguments: x"_s;
    QTest::addRow("missing channel") << QStringList{} << u"admin"_s << 2 << u"missing arguments"_s;
}

void TestCli::watchErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, token);
    QFETCH(int, code);
    QFETCH(QString, message);
    for (QString &arg : args)
        arg = substitute(arg);
    QHash<QString, QString> env;
    if (token == "admin"_L1)
        env.insert(u"MF_TOKEN"_s, m_adminToken);
    else if (token == "user"_L1)
        env.insert(u"MF_TOKEN"_s, m_userToken);
    else if (!token.isEmpty())
        env.insert(u"MF_TOKEN"_s, token);
    Outcome outcome = watch(args, {}, env);
    QVERIFY2(outcome.err.contains(message), qPrintable(outcome.err));
    QCOMPARE(outcome.code, code);
    QCOMPARE(outcome.out, QString());
    QVERIFY2(!outcome.err.contains(u"Unhandled http status"_s), qPrintable(outcome.err));
    if (code == 1) QVERIFY2(outcome.err.count(u'\n') == 1, qPrintable(outcome.err)); // one line: the server's message
}

void TestCli::watchStopsOnSignal()
{
    // Connection refused: a port nobody listens on.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 closedPort = probe.serverPort();
    probe.close();
    Outcome refused = run({u"msg"_s, u"watch"_s, m_channel.id, u"--ws-url"_s, u"ws://127.0.0.1:%1"_s.arg(closedPort)},
                          {{u"MF_TOKEN"_s, m_adminToken}});
    QCOMPARE(refused.code, 1);
    QVERIFY2(refused.err.contains(u"connection refused"_s), qPrintable(refused.err));

    // No --count: runs until SIGINT, then exits 0 with what it printed.
    Outcome stopped = watch({m_channel.id}, [] { ::raise(SIGINT); }, {{u"MF_TOKEN"_s, m_adminToken}});
    QCOMPARE(stopped.code, 0);
    QVERIFY(stopped.out.startsWith(u"TIME"_s));
    QCOMPARE(stopped.err, QString());
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
