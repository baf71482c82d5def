// (No raw string literals here: moc 6.4 loses the class after one.)
// mainflux-backend settings: precedence flag > MF_* environment variable > config file > default, the two flag
// spellings, the config file syntax, every validation error and the help text.
#include "config.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using mf::ErrorCode;
using mf::backend::Config;

using Env = QHash<QString, QString>;

class TestConfig : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString writeFile(const QString &name, const QStringList &lines)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) qFatal("cannot write %s", qPrintable(path));
        file.write(lines.join(u'\n').toUtf8() + '\n');
        return path;
    }

private slots:
    void defaults()
    {
        auto config = Config::fromValues({});
        QVERIFY2(config, qPrintable(config ? QString() : config.error().message));
        QCOMPARE(config->value(u"MF_HTTP_PORT"_s), u"8180"_s);
        QCOMPARE(config->port(u"MF_HTTP_PORT"_s), quint16(8180));
        QCOMPARE(config->value(u"MF_HTTP_HOST"_s), u"127.0.0.1"_s);
        QCOMPARE(config->integer(u"MF_HTTP_MAX_BODY"_s), 1048576);
        QCOMPARE(config->integer(u"MF_TOKEN_TTL"_s), 36000);
        QVERIFY(config->enabled(u"MF_ALLOW_SIGNUP"_s));
        QCOMPARE(config->value(u"MF_LOG_LEVEL"_s), u"info"_s);
        QCOMPARE(config->value(u"MF_LOG_FORMAT"_s), u"text"_s);
        QVERIFY(config->value(u"MF_DB_URL"_s).isEmpty());
        QVERIFY(config->value(u"MF_DATA_DIR"_s).endsWith("/mainflux"_L1));
        QStringList withoutLora = Config::knownServices();
        withoutLora.removeAll(u"lora"_s);
        QCOMPARE(config->services(), withoutLora); // no LoRa broker configured: "all" leaves lora out
        QVERIFY(config->runs(u"users"_s));
        QVERIFY(config->runs(u"things"_s));
    }

    // Each layer set or not; the highest one present wins.
    void precedence_data()
    {
        QTest::addColumn<QString>("flag");
        QTest::addColumn<QString>("env");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("expected");

        QTest::addRow("default") << QString() << QString() << QString() << u"8180"_s;
        QTest::addRow("file") << QString() << QString() << u"1001"_s << u"1001"_s;
        QTest::addRow("env") << QString() << u"1002"_s << QString() << u"1002"_s;
        QTest::addRow("flag") << u"1003"_s << QString() << QString() << u"1003"_s;
        QTest::addRow("env over file") << QString() << u"1002"_s << u"1001"_s << u"1002"_s;
        QTest::addRow("flag over file") << u"1003"_s << QString() << u"1001"_s << u"1003"_s;
        QTest::addRow("flag over env") << u"1003"_s << u"1002"_s << QString() << u"1003"_s;
        QTest::addRow("flag over env over file") << u"1003"_s << u"1002"_s << u"1001"_s << u"1003"_s;
    }
    void precedence()
    {
        QFETCH(QString, flag);
        QFETCH(QString, env);
        QFETCH(QString, file);
        QFETCH(QString, expected);

        QStringList args;
        Env environment;
        if (!flag.isEmpty()) args << u"--http-port"_s << flag;
        if (!env.isEmpty()) environment.insert(u"MF_HTTP_PORT"_s, env);
        if (!file.isEmpty())
            environment.insert(u"MF_CONFIG"_s, writeFile(u"precedence.conf"_s, {u"http_port = "_s + file}));
        // An unrelated setting from each layer must survive the merge.
        environment.insert(u"MF_LOG_LEVEL"_s, u"warn"_s);

        auto config = Config::load(args, environment);
        QVERIFY2(config, qPrintable(config ? QString() : config.error().message));
        QCOMPARE(config->value(u"MF_HTTP_PORT"_s), expected);
        QCOMPARE(config->value(u"MF_LOG_LEVEL"_s), u"warn"_s);
    }

    // A config file given by flag, and a flag overriding an env value for a setting the file does not name.
    void configFileByFlag()
    {
        const QString path = writeFile(u"byflag.conf"_s, {u"token_ttl = 60"_s, u"log_format = json"_s});
        auto config = Config::load({u"--config"_s, path, u"--log-format=text"_s}, {{u"MF_TOKEN_TTL"_s, u"90"_s}});
        QVERIFY2(config, qPrintable(config ? QString() : config.error().message));
        QCOMPARE(config->integer(u"MF_TOKEN_TTL"_s), 90);
        QCOMPARE(config->value(u"MF_LOG_FORMAT"_s), u"text"_s);
        // The flag names the file even when the environment names another (missing) one.
        config = Config::load({u"--config="_s + path}, {{u"MF_CONFIG"_s, m_dir.filePath(u"absent.conf"_s)}});
        QVERIFY2(config, qPrintable(config ? QString() : config.error().message));
        QCOMPARE(config->integer(u"MF_TOKEN_TTL"_s), 60);
    }

    void flagSpellings_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("env");
        QTest::addColumn<QString>("expected");

        QTest::addRow("--name=value") << QStringList{u"--http-host=0.0.0.0"_s} << u"MF_HTTP_HOST"_s << u"0.0.0.0"_s;
        QTest::addRow("--name value") << QStringList{u"--http-host"_s, u"0.0.0.0"_s} << u"MF_HTTP_HOST"_s
                                      << u"0.0.0.0"_s;
        QTest::addRow("value with =") << QStringList{u"--db-url=postgres://u:p=q@h:5432/db"_s} << u"MF_DB_URL"_s
                                      << u"postgres://u:p=q@h:5432/db"_s;
        QTest::addRow("empty value") << QStringList{u"--admin-email="_s} << u"MF_ADMIN_EMAIL"_s << QString();
        QTest::addRow("value starting with --")
            << QStringList{u"--admin-email"_s, u"--x"_s} << u"MF_ADMIN_EMAIL"_s << u"--x"_s;
        QTest::addRow("last one wins") << QStringList{u"--token-ttl=5"_s, u"--token-ttl"_s, u"7"_s} << u"MF_TOKEN_TTL"_s
                                       << u"7"_s;
        QTest::addRow("several settings")
            << QStringList{u"--http-port"_s, u"81"_s, u"--allow-signup=false"_s} << u"MF_ALLOW_SIGNUP"_s << u"false"_s;
    }
    void flagSpellings()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, env);
        QFETCH(QString, expected);
        auto config = Config::load(args, {});
        QVERIFY2(config, qPrintable(config ? QString() : config.error().message));
        QCOMPARE(config->value(env), expected);
    }

    void badArguments_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");

        QTest::addRow("unknown option") << QStringList{u"--http-prot=1"_s} << u"unknown option --http-prot"_s;
        QTest::addRow("unknown option, separate value")
            << QStringList{u"--colour"_s, u"red"_s} << u"unknown option --colour"_s;
        QTest::addRow("missing value") << QStringList{u"--http-port"_s} << u"--http-port needs a value"_s;
        QTest::addRow("positional argument") << QStringList{u"serve"_s} << u"unexpected argument \"serve\""_s;
        QTest::addRow("single dash") << QStringList{u"-p"_s, u"1"_s} << u"unexpected argument \"-p\""_s;
    }
    void badArguments()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        auto config = Config::load(args, {});
        QVERIFY(!config);
        QCOMPARE(config.error().code, ErrorCode::Malformed);
        QVERIFY2(config.error().message.contains(message), qPrintable(config.error().message));
    }

    void configFileSyntax()
    {
        const QString path = writeFile(u"syntax.conf"_s, {
                                                             u"# a comment"_s,
                                                             QString(),
                                                             u"   # an indented comment"_s,
                                                             u"http_port=8281"_s,
                                                             u"  http_host   =   0.0.0.0  "_s,
                                                             u"admin_email = \"boss@example.com\""_s,
                                                             u"HTTP_MAX_BODY = 2048"_s,
                                                             u"db_url = sqlite:/tmp/x = y.db"_s,
                                                             u"log_format = \"\""_s,
                                                             u"log_level = error"_s,
                                                         });
        auto config = Config::load({}, {{u"MF_CONFIG"_s, path}});
        QVERIFY(!config); // log_format "" is not text or json: proves the quotes were stripped to nothing
        QVERIFY2(config.error().message.contains("MF_LOG_FORMAT"_L1), qPrintable(config.error().message));

        writeFile(u"syntax.conf"_s, {
                                        u"# a comment"_s,
                                        QString(),
                                        u"   # an indented comment"_s,
                                        u"http_port=8281"_s,
                                        u"  http_host   =   0.0.0.0  "_s,
                                        u"admin_email = \"boss@example.com\""_s,
                                        u"HTTP_MAX_BODY = 2048"_s,
                                        u"db_url = sqlite:/tmp/x = y.db"_s,
                                        u"log_level = error"_s,
                                    });
        config = Config::load({}, {{u"MF_CONFIG"_s, path}});
        QVERIFY2(config, qPrintable(config ? QString() : config.error().message));
        QCOMPARE(config->value(u"MF_HTTP_PORT"_s), u"8281"_s);
        QCOMPARE(config->value(u"MF_HTTP_HOST"_s), u"0.0.0.0"_s);
        QCOMPARE(config->value(u"MF_ADMIN_EMAIL"_s), u"boss@example.com"_s);
        QCOMPARE(config->integer(u"MF_HTTP_MAX_BODY"_s), 2048);
        QCOMPARE(config->value(u"MF_DB_URL"_s), u"sqlite:/tmp/x = y.db"_s);
        QCOMPARE(config->value(u"MF_LOG_LEVEL"_s), u"error"_s);
        QCOMPARE(config->value(u"MF_TOKEN_TTL"_s), u"36000"_s); // not in the file: default
    }

    void badConfigFiles_data()
    {
        QTest::addColumn<QStringList>("lines");
        QTest::addColumn<QStringList>("mustMention");

        QTest::addRow("unknown key") << QStringList{u"# header"_s, u"http_port = 1"_s, u"colour = red"_s}
                                     << QStringList{u"line 3"_s, u"\"colour\""_s, u"unknown setting"_s};
        QTest::addRow("env name as key") << QStringList{u"MF_HTTP_PORT = 1"_s}
                                         << QStringList{u"line 1"_s, u"\"mf_http_port\""_s};
        QTest::addRow("config names another config") << QStringList{u"log_level = info"_s, u"config = other.conf"_s}
                                                     << QStringList{u"line 2"_s, u"\"config\""_s};
        QTest::addRow("no equals sign") << QStringList{QString(), u"http_port 8180"_s}
                                        << QStringList{u"line 2"_s, u"key = value"_s};
        QTest::addRow("no key") << QStringList{u"= 8180"_s} << QStringList{u"line 1"_s, u"key = value"_s};
        QTest::addRow("invalid value") << QStringList{u"http_port = 99999"_s}
                                       << QStringList{u"MF_HTTP_PORT"_s, u"99999"_s};
    }
    void badConfigFiles()
    {
        QFETCH(QStringList, lines);
        QFETCH(QStringList, mustMention);
        const QString path = writeFile(u"bad.conf"_s, lines);
        auto config = Config::load({}, {{u"MF_CONFIG"_s, path}});
        QVERIFY(!config);
        QCOMPARE(config.error().code, ErrorCode::Malformed);
        for (const QString &text : mustMention)
            QVERIFY2(config.error().message.contains(text), qPrintable(config.error().message));
        if (!mustMention.contains(u"MF_HTTP_PORT"_s))
            QVERIFY2(config.error().message.contains(path), qPrintable(config.error().message));
    }

    void missingConfigFile()
    {
        const QString path = m_dir.filePath(u"does-not-exist.conf"_s);
        for (const auto &[args, env] : {std::pair{QStringList{u"--config"_s, path}, Env{}},
                                        std::pair{QStringList{}, Env{{u"MF_CONFIG"_s, path}}}}) {
            auto config = Config::load(args, env);
            QVERIFY(!config);
            QVERIFY2(config.error().message.contains(path), qPrintable(config.error().message));
        }
    }

    // Every validation rule, reached through the environment, a flag and fromValues alike.
    void validation_data()
    {
        QTest::addColumn<QString>("env");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("message");

        QTest::addRow("port too large") << u"MF_HTTP_PORT"_s << u"70000"_s << u"MF_HTTP_PORT: \"70000\""_s;
        QTest::addRow("port 65536") << u"MF_HTTP_PORT"_s << u"65536"_s << u"is not a port"_s;
        QTest::addRow("port not a number") << u"MF_HTTP_PORT"_s << u"x"_s << u"MF_HTTP_PORT: \"x\" is not a port"_s;
        QTest::addRow("port negative") << u"MF_HTTP_PORT"_s << u"-1"_s << u"is not a port"_s;
        QTest::addRow("port empty") << u"MF_HTTP_PORT"_s << QString() << u"is not a port"_s;
        QTest::addRow("unknown service") << u"MF_SERVICES"_s << u"telepathy"_s << u"unknown service \"telepathy\""_s;
        QTest::addRow("one unknown service of two")
            << u"MF_SERVICES"_s << u"users,bogus"_s << u"unknown service \"bogus\""_s;
        QTest::addRow("no service") << u"MF_SERVICES"_s << u","_s << u"MF_SERVICES: names no service"_s;
        QTest::addRow("log level") << u"MF_LOG_LEVEL"_s << u"verbose"_s << u"MF_LOG_LEVEL: \"verbose\""_s;
        QTest::addRow("log level case") << u"MF_LOG_LEVEL"_s << u"INFO"_s << u"MF_LOG_LEVEL"_s;
        QTest::addRow("log format") << u"MF_LOG_FORMAT"_s << u"xml"_s << u"MF_LOG_FORMAT: \"xml\""_s;
        QTest::addRow("boolean word") << u"MF_ALLOW_SIGNUP"_s << u"maybe"_s
                                      << u"MF_ALLOW_SIGNUP: \"maybe\" is not a boolean"_s;
        QTest::addRow("boolean number") << u"MF_ALLOW_SIGNUP"_s << u"2"_s << u"is not a boolean"_s;
        QTest::addRow("boolean empty") << u"MF_ALLOW_SIGNUP"_s << QString() << u"is not a boolean"_s;
        QTest::addRow("negative max body")
            << u"MF_HTTP_MAX_BODY"_s << u"-1"_s << u"MF_HTTP_MAX_BODY: \"-1\" must be a positive integer"_s;
        QTest::addRow("zero max body") << u"MF_HTTP_MAX_BODY"_s << u"0"_s << u"must be a positive integer"_s;
        QTest::addRow("access timeout zero") << u"MF_ACCESS_TIMEOUT_MS"_s << u"0"_s << u"must be a positive integer"_s;
        QTest::addRow("replicas zero") << u"MF_NATS_REPLICAS"_s << u"0"_s
                                       << u"MF_NATS_REPLICAS: \"0\" is not auto or 1-5"_s;
        QTest::addRow("replicas six") << u"MF_NATS_REPLICAS"_s << u"6"_s << u"is not auto or 1-5"_s;
        QTest::addRow("replicas word") << u"MF_NATS_REPLICAS"_s << u"three"_s << u"is not auto or 1-5"_s;
        QTest::addRow("start wait negative") << u"MF_START_WAIT_S"_s << u"-1"_s
                                             << u"MF_START_WAIT_S: \"-1\" must be 0 or more seconds"_s;
        QTest::addRow("start wait word") << u"MF_START_WAIT_S"_s << u"forever"_s << u"must be 0 or more seconds"_s;
        QTest::addRow("max body not a number") << u"MF_HTTP_MAX_BODY"_s << u"1MB"_s << u"must be a positive integer"_s;
        QTest::addRow("zero token ttl") << u"MF_TOKEN_TTL"_s << u"0"_s << u"MF_TOKEN_TTL: \"0\""_s;
        QTest::addRow("empty data dir") << u"MF_DATA_DIR"_s << u"  "_s << u"MF_DATA_DIR: must not be empty"_s;
        QTest::addRow("login failures negative") << u"MF_LOGIN_FAILURES"_s << u"-1"_s
                                                 << u"MF_LOGIN_FAILURES: \"-1\" must be 0 (no limit)"_s;
        QTest::addRow("key failures word") << u"MF_KEY_FAILURES"_s << u"many"_s << u"must be 0 (no limit)"_s;
        QTest::addRow("mqtt connections negative") << u"MF_MQTT_MAX_CONNECTIONS"_s << u"-5"_s
                                                   << u"must be 0 (no limit)"_s;
        QTest::addRow("login window zero") << u"MF_LOGIN_WINDOW"_s << u"0s"_s << u"MF_LOGIN_WINDOW: "_s;
        QTest::addRow("key window word") << u"MF_KEY_WINDOW"_s << u"soon"_s << u"MF_KEY_WINDOW: "_s;
        QTest::addRow("thing rate negative") << u"MF_THING_RATE"_s << u"-2"_s
                                             << u"MF_THING_RATE: \"-2\" must be 0 (no limit)"_s;
        QTest::addRow("thing rate word") << u"MF_THING_RATE"_s << u"fast"_s << u"MF_THING_RATE"_s;
    }
    void validation()
    {
        QFETCH(QString, env);
        QFETCH(QString, value);
        QFETCH(QString, message);

        const auto check = [&](const mf::Result<Config> &config, const char *how) {
            if (config) return u"%1: accepted"_s.arg(QLatin1StringView(how));
            if (config.error().code != ErrorCode::Malformed || !config.error().message.contains(message))
                return u"%1: %2"_s.arg(QLatin1StringView(how), config.error().message);
            return QString();
        };
        QString failure = check(Config::fromValues({{env, value}}), "fromValues");
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        failure = check(Config::load({}, {{env, value}}), "environment");
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        const QString flag = u"--"_s + env.mid(3).toLower().replace(u'_', u'-');
        failure = check(Config::load({flag, value}, {}), "flag");
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        // A valid flag repairs a bad environment value: validation runs on the merged result only.
        const QString good = Config::fromValues({}).value().value(env);
        auto repaired = Config::load({flag, good}, {{env, value}});
        QVERIFY2(repaired, qPrintable(repaired ? QString() : repaired.error().message));
    }

    // A writer in a cluster must store where the reader reads (issue 13, bad input: a role lacking what it needs).
    void writerWithoutDatabase_data()
    {
        QTest::addColumn<QString>("services");
        QTest::addColumn<QString>("dbUrl");
        QTest::addColumn<QString>("natsUrl");
        QTest::addColumn<bool>("accepted");
        const QString nats = u"nats://127.0.0.1:4222"_s;
        QTest::addRow("pipeline on a shared bus, no database") << u"normalizer,writer"_s << QString() << nats << false;
        QTest::addRow("writer alone, no database") << u"writer"_s << QString() << nats << false;
        QTest::addRow("pipeline with PostgreSQL") << u"normalizer,writer"_s << u"postgres://h/db"_s << nats << true;
        QTest::addRow("pipeline with a named SQLite file") << u"writer"_s << u"sqlite:/srv/mf.db"_s << nats << true;
        QTest::addRow("writer beside the reader") << u"writer,reader"_s << QString() << nats << true;
        QTest::addRow("writer with the bundled nats-server") << u"writer"_s << QString() << QString() << true;
    }
    void writerWithoutDatabase()
    {
        QFETCH(QString, services);
        QFETCH(QString, dbUrl);
        QFETCH(QString, natsUrl);
        QFETCH(bool, accepted);
        auto config = Config::fromValues({{u"MF_SERVICES"_s, services}, {u"MF_DB_URL"_s, dbUrl},
                                          {u"MF_NATS_URL"_s, natsUrl}});
        QCOMPARE(bool(config), accepted);
        if (!accepted)
            QVERIFY2(config.error().message.contains("a writer without the reader needs MF_DB_URL"_L1),
                     qPrintable(config.error().message));
    }

    void unknownSettingInFromValues()
    {
        auto config = Config::fromValues({{u"MF_HTTP_PROT"_s, u"1"_s}});
        QVERIFY(!config);
        QVERIFY2(config.error().message.contains("MF_HTTP_PROT"_L1), qPrintable(config.error().message));
    }

    void unrelatedEnvironmentIsIgnored()
    {
        auto config = Config::load({}, {{u"MF_SOMETHING_ELSE"_s, u"x"_s}, {u"PATH"_s, u"/bin"_s}});
        QVERIFY2(config, qPrintable(config ? QString() : config.error().message));
    }

    void booleans_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("expected");
        for (const char *t : {"true", "1", "yes", "on", "TRUE", "Yes", " on "})
            QTest::addRow("%s", t) << QString::fromLatin1(t) << true;
        for (const char *f : {"false", "0", "no", "off", "FALSE", "Off", " no "})
            QTest::addRow("%s", f) << QString::fromLatin1(f) << false;
    }
    void booleans()
    {
        QFETCH(QString, text);
        QFETCH(bool, expected);
        auto parsed = mf::backend::parseBool(u"MF_ALLOW_SIGNUP"_s, text);
        QVERIFY(parsed);
        QCOMPARE(*parsed, expected);
        auto config = Config::load({u"--allow-signup"_s, text}, {});
        QVERIFY2(config, qPrintable(config ? QString() : config.error().message));
        QCOMPARE(config->enabled(u"MF_ALLOW_SIGNUP"_s), expected);
    }

    void services_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QStringList>("expected");
        QTest::addColumn<QString>("loraUrl");
        QStringList withoutLora = Config::knownServices();
        withoutLora.removeAll(u"lora"_s);
        QTest::addRow("all") << u"all"_s << withoutLora << QString();
        QTest::addRow("all with a LoRa broker") << u"all"_s << Config::knownServices() << u"tcp://localhost:1883"_s;
        QTest::addRow("lora") << u"lora"_s << QStringList{u"lora"_s} << u"ssl://lora.example.com:8883"_s;
        QTest::addRow("users") << u"users"_s << QStringList{u"users"_s} << QString();
        QTest::addRow("things, spaces") << u" things , users "_s << QStringList{u"things"_s, u"users"_s} << QString();
        QTest::addRow("all among others") << u"users,all"_s << withoutLora << QString();
    }
    void services()
    {
        QFETCH(QString, value);
        QFETCH(QStringList, expected);
        QFETCH(QString, loraUrl);
        auto config = Config::fromValues({{u"MF_SERVICES"_s, value}, {u"MF_LORA_MQTT_URL"_s, loraUrl}});
        QVERIFY2(config, qPrintable(config ? QString() : config.error().message));
        QCOMPARE(config->services(), expected);
        for (const QString &service : Config::knownServices())
            QCOMPARE(config->runs(service), expected.contains(service));
    }

    void loraSettingsAreChecked_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("errorContains");
        QTest::addRow("lora without a broker") << u"MF_SERVICES"_s << u"lora"_s << u"MF_LORA_MQTT_URL"_s;
        QTest::addRow("broker url") << u"MF_LORA_MQTT_URL"_s << u"localhost:1883"_s << u"MF_LORA_MQTT_URL"_s;
        QTest::addRow("generation") << u"MF_LORA_GENERATION"_s << u"v5"_s << u"MF_LORA_GENERATION"_s;
        QTest::addRow("radio") << u"MF_LORA_RADIO"_s << u"maybe"_s << u"MF_LORA_RADIO"_s;
    }
    void loraSettingsAreChecked()
    {
        QFETCH(QString, name);
        QFETCH(QString, value);
        QFETCH(QString, errorContains);
        auto config = Config::fromValues({{name, value}});
        QVERIFY(!config);
        QVERIFY2(config.error().message.contains(errorContains), qPrintable(config.error().message));
    }

    void settingNames()
    {
        const mf::backend::SettingInfo info{u"MF_HTTP_MAX_BODY"_s, {}, {}};
        QCOMPARE(info.flag(), u"http-max-body"_s);
        QCOMPARE(info.fileKey(), u"http_max_body"_s);
    }

    void helpTextListsEverySetting()
    {
        const QString help = Config::helpText();
        QVERIFY(Config::settings().size() >= 13);
        for (const mf::backend::SettingInfo &s : Config::settings()) {
            QVERIFY2(help.contains(s.env), qPrintable(s.env));
            QVERIFY2(help.contains(u"--"_s + s.flag() + u' '), qPrintable(s.flag()));
            QVERIFY2(!s.help.isEmpty(), qPrintable(s.env));
        }
        for (const QString &service : Config::knownServices())
            QVERIFY2(help.contains(service), qPrintable(service));
        QVERIFY(!help.contains(u"%1"_s)); // every placeholder filled
        QVERIFY(help.contains(u"8180"_s));
    }
};

QTEST_APPLESS_MAIN(TestConfig)
#include "tst_config.moc"
