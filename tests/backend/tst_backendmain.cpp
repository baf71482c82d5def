// (No raw string literals here: moc 6.4 loses the class after one.)
// The real mainflux-backend executable run as a child process, the way scripts and the desktop launcher run it:
// the ready line, --version, exit codes for bad settings and a busy data dir, clean shutdown on SIGTERM and SIGINT,
// data surviving a restart (SQLite, and PostgreSQL as tst_backendprocess_postgres), the private JWT secret file and
// recovery from a SIGKILL.
#include "testbackend.h"
#include "testdatabase.h"

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QNetworkReply>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <csignal>
#include <sys/stat.h>

using namespace Qt::StringLiterals;
using namespace mf;
using mf::testing::HttpReply;

namespace {

constexpr int SafetyTimeoutMs = 60000; // only to end a hung run; no assertion depends on how fast things are

} // namespace

class TestBackendProcess : public QObject
{
    Q_OBJECT

private:
    std::vector<std::unique_ptr<QProcess>> m_processes;
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_dbUrl;
    QNetworkAccessManager m_network;

    // A backend on a free port in the test's data dir and database; MF_* of the test's own environment is dropped.
    QProcess *launch(const QStringList &args = {}, const QHash<QString, QString> &settings = {})
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString &key : env.keys())
            if (key.startsWith("MF_"_L1)) env.remove(key);
        env.insert(u"MF_DATA_DIR"_s, m_dir->path());
        env.insert(u"MF_HTTP_PORT"_s, u"0"_s);
        env.insert(u"MF_MQTT_PORT"_s, u"0"_s);
        env.insert(u"MF_MQTT_WS_PORT"_s, u"0"_s);
        env.insert(u"MF_DB_URL"_s, m_dbUrl);
        env.insert(u"MF_LOG_LEVEL"_s, u"info"_s);
        for (auto it = settings.cbegin(); it != settings.cend(); ++it)
            env.insert(it.key(), it.value());
        auto process = std::make_unique<QProcess>();
        process->setProcessEnvironment(env);
        process->start(QStringLiteral(MF_BACKEND_EXECUTABLE), args);
        m_processes.push_back(std::move(process));
        return m_processes.back().get();
    }
    // The first stdout line, or an empty one when the process ended (or hung) first.
    QByteArray firstLine(QProcess *process)
    {
        QDeadlineTimer deadline(SafetyTimeoutMs);
        while (!process->canReadLine() && process->state() != QProcess::NotRunning && !deadline.hasExpired())
            process->waitForReadyRead(100);
        return process->canReadLine() ? process->readLine() : QByteArray();
    }
    QJsonObject ready(QProcess *process)
    {
        const QByteArray line = firstLine(process);
        if (line.isEmpty()) qWarning("no ready line; stderr: %s", process->readAllStandardError().constData());
        return QJsonDocument::fromJson(line).object();
    }
    bool finish(QProcess *process)
    {
        return process->state() == QProcess::NotRunning || process->waitForFinished(SafetyTimeoutMs);
    }
    bool stop(QProcess *process, int signalNumber = SIGTERM)
    {
        ::kill(pid_t(process->processId()), signalNumber);
        return finish(process) && process->exitStatus() == QProcess::NormalExit && process->exitCode() == 0;
    }
    HttpReply http(quint16 port, const QByteArray &method, const QString &path, const QJsonObject &body = {},
                   const QByteArray &token = {})
    {
        QNetworkRequest request(QUrl(u"http://127.0.0.1:%1%2"_s.arg(port).arg(path)));
        QByteArray data;
        if (!body.isEmpty()) {
            data = QJsonDocument(body).toJson(QJsonDocument::Compact);
            request.setRawHeader("Content-Type", "application/json");
        }
        if (!token.isEmpty()) request.setRawHeader("Authorization", token);
        QNetworkReply *reply = m_network.sendCustomRequest(request, method, data);
        QEventLoop loop;
        connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(SafetyTimeoutMs, &loop, &QEventLoop::quit);
        loop.exec();
        HttpReply out;
        out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        out.body = reply->readAll();
        reply->deleteLater();
        return out;
    }
    static quint16 httpPort(const QJsonObject &ready)
    {
        return quint16(ready.value("ports"_L1).toObject().value("http"_L1).toInt());
    }
    QString lockFile() const { return QDir(m_dir->path()).filePath(u"backend.lock"_s); }

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        auto url = testing::testDatabaseUrl(); // empties the PostgreSQL database: once per test
        QVERIFY2(url, qPrintable(url ? QString() : url.error().message));
        m_dbUrl = *url;
    }
    void cleanup()
    {
        for (auto &process : m_processes) {
            if (process->state() != QProcess::NotRunning) {
                process->kill();
                process->waitForFinished(SafetyTimeoutMs);
            }
        }
        m_processes.clear();
        m_dir.reset();
    }

    void printsOneReadyLineAndServes_data()
    {
        QTest::addColumn<QString>("logFormat");
        QTest::addRow("text logs") << u"text"_s;
        QTest::addRow("json logs") << u"json"_s;
    }
    void printsOneReadyLineAndServes()
    {
        QFETCH(QString, logFormat);
        QProcess *backend = launch({u"--log-format"_s, logFormat});
        const QByteArray line = firstLine(backend);
        if (!line.endsWith('\n')) // (QVERIFY2 would read stderr even on success)
            QFAIL(backend->readAllStandardError().constData());
        QJsonParseError error;
        const QJsonObject info = QJsonDocument::fromJson(line, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, line.constData());
        QCOMPARE(line.count('\n'), 1); // compact: one line
        QCOMPARE(info.value("event"_L1).toString(), u"ready"_s);
        QCOMPARE(info.value("version"_L1).toString(), QStringLiteral(MF_VERSION));
        QCOMPARE(info.value("pid"_L1).toInteger(), backend->processId());
        QCOMPARE(QDir(info.value("data_dir"_L1).toString()).canonicalPath(), QDir(m_dir->path()).canonicalPath());
        QVERIFY(!info.value("database"_L1).toString().isEmpty());
        QCOMPARE(info.value("database"_L1).toString().startsWith("postgres"_L1), testing::testingPostgres());
        QCOMPARE(info.value("services"_L1).toArray(), QJsonArray::fromStringList(backend::Config::fromValues({})->services())); // lora only with a broker URL
        QVERIFY(info.value("ports"_L1).toObject().value("nats"_L1).toInt() > 0); // the bundled nats-server
        const quint16 port = httpPort(info);
        QVERIFY(port > 0);

        HttpReply r = http(port, "GET", u"/health"_s);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value("status"_L1).toString(), u"pass"_s);
        r = http(port, "GET", u"/version"_s);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value("version"_L1).toString(), QStringLiteral(MF_VERSION));

        QVERIFY(stop(backend));
        // Nothing else ever went to stdout: logs are on stderr.
        QCOMPARE(backend->readAllStandardOutput(), QByteArray());
        const QList<QByteArray> logLines = backend->readAllStandardError().trimmed().split('\n');
        QVERIFY(logLines.size() >= 3); // storage, listening, stopping at least
        if (logFormat == "json"_L1) {
            for (const QByteArray &logLine : logLines) {
                const QJsonObject event = QJsonDocument::fromJson(logLine).object();
                QVERIFY2(event.contains("level"_L1) && event.contains("msg"_L1), logLine.constData());
            }
        }
    }

    void versionAndHelp()
    {
        QProcess *version = launch({u"--version"_s});
        QVERIFY(finish(version));
        QCOMPARE(version->exitCode(), 0);
        QCOMPARE(version->readAllStandardOutput(), QByteArray("mainflux-backend " MF_VERSION "\n"));
        QVERIFY(!QFile::exists(lockFile())); // did not start anything

        QProcess *help = launch({u"--help"_s});
        QVERIFY(finish(help));
        QCOMPARE(help->exitCode(), 0);
        const QByteArray text = help->readAllStandardOutput();
        for (const char *needle : {"MF_HTTP_PORT", "--http-port", "MF_DB_URL", "MF_SERVICES"})
            QVERIFY2(text.contains(needle), needle);
    }

    void badSettingsExitWithCode2_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("env");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("message");

        QTest::addRow("port flag") << QStringList{u"--http-port"_s, u"70000"_s} << QString() << QString()
                                   << u"MF_HTTP_PORT: \"70000\" is not a port"_s;
        QTest::addRow("port env") << QStringList() << u"MF_HTTP_PORT"_s << u"x"_s << u"MF_HTTP_PORT: \"x\""_s;
        QTest::addRow("log level") << QStringList() << u"MF_LOG_LEVEL"_s << u"loud"_s << u"MF_LOG_LEVEL"_s;
        QTest::addRow("services") << QStringList() << u"MF_SERVICES"_s << u"telepathy"_s << u"unknown service \"telepathy\""_s;
        QTest::addRow("boolean") << QStringList{u"--allow-signup=maybe"_s} << QString() << QString()
                                 << u"MF_ALLOW_SIGNUP"_s;
        QTest::addRow("unknown option") << QStringList{u"--bogus"_s, u"1"_s} << QString() << QString()
                                        << u"unknown option --bogus"_s;
        QTest::addRow("missing config file")
            << QStringList() << u"MF_CONFIG"_s << u"/nonexistent/mainflux.conf"_s << u"/nonexistent/mainflux.conf"_s;
    }
    void badSettingsExitWithCode2()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, env);
        QFETCH(QString, value);
        QFETCH(QString, message);
        QHash<QString, QString> settings;
        if (!env.isEmpty()) settings.insert(env, value);
        QProcess *backend = launch(args, settings);
        QVERIFY(finish(backend));
        QCOMPARE(backend->exitStatus(), QProcess::NormalExit);
        const QString err = QString::fromUtf8(backend->readAllStandardError());
        QCOMPARE(backend->exitCode(), 2);
        QVERIFY2(err.startsWith("mainflux-backend: "_L1) && err.contains(message), qPrintable(err));
        QCOMPARE(err.count(u'\n'), 1);                            // one clear line, no log noise
        QCOMPARE(backend->readAllStandardOutput(), QByteArray()); // no ready line
        QVERIFY(!QFile::exists(lockFile()));
    }

    // Settings that are valid but cannot be used: start fails with code 1 and says why.
    void startFailuresExitWithCode1()
    {
        QProcess *backend = launch({}, {{u"MF_HTTP_HOST"_s, u"not-an-ip"_s}});
        QVERIFY(finish(backend));
        QCOMPARE(backend->exitCode(), 1);
        QString err = QString::fromUtf8(backend->readAllStandardError());
        QVERIFY2(err.contains("MF_HTTP_HOST"_L1) && err.contains("not-an-ip"_L1), qPrintable(err));
        QCOMPARE(backend->readAllStandardOutput(), QByteArray());

        QTcpServer taken;
        QVERIFY(taken.listen(QHostAddress::LocalHost, 0));
        backend = launch({u"--http-port"_s, QString::number(taken.serverPort())});
        QVERIFY(finish(backend));
        QCOMPARE(backend->exitCode(), 1);
        err = QString::fromUtf8(backend->readAllStandardError());
        QVERIFY2(err.contains(u"cannot listen on 127.0.0.1:%1"_s.arg(taken.serverPort())), qPrintable(err));
        QCOMPARE(backend->readAllStandardOutput(), QByteArray());
        // A failed start releases the data dir: the next one works.
        QVERIFY(httpPort(ready(launch())) > 0);
    }

    void secondInstanceOnSameDataDir()
    {
        QProcess *first = launch();
        const quint16 port = httpPort(ready(first));
        QVERIFY(port > 0);
        QProcess *second = launch();
        QVERIFY(finish(second));
        QCOMPARE(second->exitCode(), 1);
        const QString err = QString::fromUtf8(second->readAllStandardError());
        QVERIFY2(err.contains("already using data dir"_L1), qPrintable(err));
        QVERIFY2(err.contains(u"pid %1"_s.arg(first->processId())), qPrintable(err));
        QCOMPARE(second->readAllStandardOutput(), QByteArray());
        // The first one is untouched and still owns the lock.
        QCOMPARE(http(port, "GET", u"/health"_s).status, 200);
        QVERIFY(QFile::exists(lockFile()));
        QVERIFY(stop(first));
    }

    void exitsCleanlyOnSignal_data()
    {
        QTest::addColumn<int>("signalNumber");
        QTest::addRow("SIGTERM") << int(SIGTERM);
        QTest::addRow("SIGINT") << int(SIGINT);
    }
    void exitsCleanlyOnSignal()
    {
        QFETCH(int, signalNumber);
        QProcess *backend = launch();
        const quint16 port = httpPort(ready(backend));
        QVERIFY(port > 0);
        QCOMPARE(http(port, "GET", u"/health"_s).status, 200);
        QVERIFY(QFile::exists(lockFile()));
        ::kill(pid_t(backend->processId()), signalNumber);
        QVERIFY(finish(backend));
        QCOMPARE(backend->exitStatus(), QProcess::NormalExit);
        QCOMPARE(backend->exitCode(), 0);
        const QString err = QString::fromUtf8(backend->readAllStandardError());
        QVERIFY2(err.contains(u"received signal %1"_s.arg(signalNumber)), qPrintable(err));
        QVERIFY2(err.contains("stopped"_L1), qPrintable(err));
        QVERIFY(!QFile::exists(lockFile())); // released on the way out
        QCOMPARE(backend->readAllStandardOutput(), QByteArray());
    }

    void dataSurvivesRestart()
    {
        QProcess *backend = launch();
        quint16 port = httpPort(ready(backend));
        QVERIFY(port > 0);
        const QJsonObject credentials{{u"email"_s, u"ann@example.com"_s}, {u"password"_s, u"ann-Pa55word"_s}};
        QCOMPARE(http(port, "POST", u"/users"_s, credentials).status, 201);
        HttpReply r = http(port, "POST", u"/tokens"_s, credentials);
        QCOMPARE(r.status, 201);
        const QByteArray token = r.json().value("token"_L1).toString().toLatin1();
        r = http(port, "POST", u"/things"_s, {{u"name"_s, u"kept"_s}}, token);
        QCOMPARE(r.status, 201);
        const QString thing = r.json().value("id"_L1).toString();
        QVERIFY(stop(backend));

        backend = launch();
        port = httpPort(ready(backend));
        QVERIFY(port > 0);
        // The token from before the restart is still valid (the generated secret was kept) ...
        r = http(port, "GET", u"/things"_s, {}, token);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value("total"_L1).toInt(), 1);
        QCOMPARE(r.json().value("things"_L1).toArray().at(0).toObject().value("id"_L1).toString(), thing);
        // ... and the account signs in again.
        r = http(port, "POST", u"/tokens"_s, credentials);
        QCOMPARE(r.status, 201);
        r = http(port, "GET", u"/things"_s, {}, r.json().value("token"_L1).toString().toLatin1());
        QCOMPARE(r.json().value("things"_L1).toArray().at(0).toObject().value("name"_L1).toString(), u"kept"_s);
        // The account is still the first user, not a fresh installation's.
        QCOMPARE(http(port, "POST", u"/users"_s, credentials).status, 409);
        QVERIFY(stop(backend));
    }

    void generatedJwtSecretIsPrivate()
    {
        QProcess *backend = launch();
        QVERIFY(httpPort(ready(backend)) > 0);
        const QString path = QDir(m_dir->path()).filePath(u"jwt-secret"_s);
        struct stat info = {};
        QCOMPARE(::stat(QFile::encodeName(path).constData(), &info), 0);
        QCOMPARE(info.st_mode & 07777, mode_t(0600));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray secret = file.readAll();
        QVERIFY(secret.trimmed().size() >= 32);
        const QString err = QString::fromUtf8(backend->readAllStandardError());
        QVERIFY2(!err.contains(QString::fromLatin1(secret.trimmed())), "the secret is never logged");
        QVERIFY(stop(backend));

        // Kept across restarts, unchanged.
        backend = launch();
        QVERIFY(httpPort(ready(backend)) > 0);
        file.close();
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), secret);
        QVERIFY(stop(backend));
    }

    void configuredJwtSecretWritesNoFile()
    {
        QProcess *backend = launch({}, {{u"MF_JWT_SECRET"_s, QString::fromLatin1(testing::TestBackend::JwtSecret)}});
        QVERIFY(httpPort(ready(backend)) > 0);
        QVERIFY(!QFile::exists(QDir(m_dir->path()).filePath(u"jwt-secret"_s)));
        QVERIFY(stop(backend));
    }

    void startsAfterSigkill()
    {
        QProcess *backend = launch();
        QVERIFY(httpPort(ready(backend)) > 0);
        ::kill(pid_t(backend->processId()), SIGKILL);
        QVERIFY(finish(backend));
        QCOMPARE(backend->exitStatus(), QProcess::CrashExit);
        QVERIFY(QFile::exists(lockFile())); // left behind: a stale lock

        backend = launch();
        const quint16 port = httpPort(ready(backend));
        QVERIFY2(port > 0, qPrintable(QString::fromUtf8(backend->readAllStandardError())));
        QCOMPARE(http(port, "GET", u"/health"_s).status, 200);
        QVERIFY(stop(backend));
    }
};

QTEST_GUILESS_MAIN(TestBackendProcess)
#include "tst_backendmain.moc"
