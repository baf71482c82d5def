// mainflux-cli rules and alerts, in-process against an in-process backend running every service (the rules service
// included): create with flags and JSON, show, list, update, the server's refusals, alerts firing and acknowledged.
#include "backend.h"
#include "cli.h"
#include "client/restclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

struct Outcome
{
    int code = -1;
    QString out;
    QString err;
};

} // namespace

class TestCliRules : public QObject
{
    Q_OBJECT

private:
    Outcome run(const QStringList &args)
    {
        const QHash<QString, QString> env{
            {u"MF_URL"_s, m_url}, {u"MF_CLI_CONFIG"_s, m_dir.filePath(u"cli.conf"_s)}, {u"MF_TOKEN"_s, m_token}};
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
    bool publishTemp(double value)
    {
        const QByteArray pack = "[{\"n\":\"temp\",\"v\":" + QByteArray::number(value) + "}]";
        return m_client->sendMessage(m_channel, {}, u"application/senml+json"_s, pack, m_key).wait().has_value();
    }

    QTemporaryDir m_dir;
    std::unique_ptr<mf::backend::Backend> m_backend;
    std::unique_ptr<mf::client::RestClient> m_client;
    QString m_url, m_token, m_channel, m_key;

private Q_SLOTS:
    void initTestCase()
    {
        auto config = mf::backend::Config::fromValues({{u"MF_DATA_DIR"_s, m_dir.filePath(u"data"_s)},
                                                       {u"MF_HTTP_PORT"_s, u"0"_s},
                                                       {u"MF_WS_PORT"_s, u"0"_s},
                                                       {u"MF_COAP_PORT"_s, u"0"_s},
                                                       {u"MF_MQTT_PORT"_s, u"0"_s},
                                                       {u"MF_MQTT_WS_PORT"_s, u"0"_s},
                                                       {u"MF_LOG_LEVEL"_s, u"warn"_s}});
        QVERIFY(config.has_value());
        m_backend = std::make_unique<mf::backend::Backend>(*config);
        auto started = m_backend->start();
        QVERIFY2(started.has_value(), started ? "" : qPrintable(started.error().message));
        m_url = u"http://127.0.0.1:%1"_s.arg(m_backend->httpPort());
        m_client = std::make_unique<mf::client::RestClient>(QUrl(m_url));
        QVERIFY(m_client->createUser(u"ops@example.com"_s, u"ops-password"_s).wait().has_value());
        auto token = m_client->issueToken(u"ops@example.com"_s, u"ops-password"_s).wait();
        QVERIFY(token.has_value());
        m_token = *token;
        m_client->setToken(m_token);
        auto channel = m_client->createChannel(QJsonObject{{u"name"_s, u"plant"_s}}).wait();
        QVERIFY(channel.has_value());
        m_channel = channel->id;
        auto thing = m_client->createThing(QJsonObject{{u"name"_s, u"boiler"_s}, {u"type"_s, u"device"_s}}).wait();
        QVERIFY(thing.has_value());
        m_key = thing->key;
        QVERIFY(m_client->connectThing(m_channel, thing->id).wait().has_value());
    }

    void createShowListUpdateDelete()
    {
        Outcome created = run({u"rules"_s, u"create"_s, u"--channel"_s, m_channel, u"--senml-name"_s, u"temp"_s,
                               u"--condition"_s, u"above"_s, u"--threshold"_s, u"30"_s, u"--hold"_s, u"5"_s,
                               u"--rule-name"_s, u"too hot"_s, u"-f"_s, u"json"_s});
        QCOMPARE(created.code, 0);
        const QJsonObject rule = QJsonDocument::fromJson(created.out.toUtf8()).object();
        const QString id = rule.value("id"_L1).toString();
        QVERIFY2(!id.isEmpty(), qPrintable(created.out + created.err));
        QCOMPARE(rule.value("threshold"_L1).toDouble(), 30.0);

        Outcome shown = run({u"rules"_s, u"get"_s, id});
        QCOMPARE(shown.code, 0);
        QVERIFY2(shown.out.contains(u"above 30 for 5 s"_s), qPrintable(shown.out));
        QVERIFY(shown.out.contains(u"too hot"_s));

        Outcome listed = run({u"rules"_s, u"get"_s, u"--channel"_s, m_channel});
        QCOMPARE(listed.code, 0);
        QVERIFY(listed.out.contains(id));
        QVERIFY2(listed.out.contains(u"1 of 1 rules"_s), qPrintable(listed.out));

        Outcome updated = run({u"rules"_s, u"update"_s, id, u"{\"threshold\": 25}"_s});
        QCOMPARE(updated.code, 0);
        QVERIFY2(updated.out.contains(u"above 25 for 5 s"_s), qPrintable(updated.out));

        Outcome removed = run({u"rules"_s, u"delete"_s, id});
        QCOMPARE(removed.code, 0);
        Outcome gone = run({u"rules"_s, u"get"_s, id});
        QCOMPARE(gone.code, 1);
        QVERIFY2(gone.err.contains(u"rule not found"_s), qPrintable(gone.err));
    }

    void refusals_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        QTest::addRow("not a number") << QStringList{u"rules"_s, u"create"_s, u"--threshold"_s, u"hot"_s} << 2
                                      << u"--threshold: \"hot\" is not a number"_s;
        QTest::addRow("nothing given") << QStringList{u"rules"_s, u"create"_s} << 2 << u"give a JSON rule"_s;
        QTest::addRow("flags and JSON") << QStringList{u"rules"_s, u"create"_s, u"{}"_s, u"--low"_s, u"1"_s} << 2
                                        << u"not both"_s;
        QTest::addRow("unknown channel") << QStringList{u"rules"_s,        u"create"_s, u"--channel"_s,   u"nope"_s,
                                                        u"--senml-name"_s, u"temp"_s,   u"--condition"_s, u"below"_s,
                                                        u"--threshold"_s,  u"1"_s}
                                         << 1 << u"channel: "_s;
        QTest::addRow("hold over a day") << QStringList{u"rules"_s,       u"create"_s,       u"--channel"_s,
                                                        u"{channel}"_s,   u"--senml-name"_s, u"temp"_s,
                                                        u"--condition"_s, u"below"_s,        u"--threshold"_s,
                                                        u"1"_s,           u"--hold"_s,       u"100000"_s}
                                         << 1 << u"hold_seconds: must be between 0 and 86400"_s;
        QTest::addRow("bad state") << QStringList{u"alerts"_s, u"get"_s, u"--state"_s, u"hot"_s} << 2
                                   << u"--state: give firing or cleared"_s;
    }
    void refusals()
    {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, message);
        args.replaceInStrings(u"{channel}"_s, m_channel);
        const Outcome outcome = run(args);
        QCOMPARE(outcome.code, code);
        QVERIFY2(outcome.err.contains(message), qPrintable(outcome.err));
    }

    void alertsFireAndAreAcknowledged()
    {
        Outcome created = run(
            {u"rules"_s, u"create"_s,
             u"{\"channel\":\"%1\",\"senml_name\":\"temp\",\"condition\":\"above\",\"threshold\":50}"_s.arg(m_channel),
             u"-f"_s, u"json"_s});
        QCOMPARE(created.code, 0);
        const QString rule = QJsonDocument::fromJson(created.out.toUtf8()).object().value("id"_L1).toString();
        const auto firing = [this, &rule] {
            const Outcome o =
                run({u"alerts"_s, u"get"_s, u"--state"_s, u"firing"_s, u"--rule"_s, rule, u"-f"_s, u"json"_s});
            return QJsonDocument::fromJson(o.out.toUtf8()).object().value("alerts"_L1).toArray();
        };
        QTRY_VERIFY_WITH_TIMEOUT(publishTemp(60) && !firing().isEmpty(), 10000);
        const qint64 alert = firing().first().toObject().value("id"_L1).toInteger();
        Outcome table = run({u"alerts"_s, u"get"_s});
        QCOMPARE(table.code, 0);
        QVERIFY2(table.out.contains(u"FIRING"_s) && table.out.contains(u"60"_s), qPrintable(table.out));
        Outcome acked = run({u"alerts"_s, u"ack"_s, QString::number(alert)});
        QCOMPARE(acked.code, 0);
        QCOMPARE(firing().first().toObject().value("acked"_L1), QJsonValue(true));
        Outcome unknown = run({u"alerts"_s, u"ack"_s, u"123456"_s});
        QCOMPARE(unknown.code, 1);
        QVERIFY2(unknown.err.contains(u"alert not found"_s), qPrintable(unknown.err));
    }
};

QTEST_GUILESS_MAIN(TestCliRules)
#include "tst_clirules.moc"
