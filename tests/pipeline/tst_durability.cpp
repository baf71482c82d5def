// Nothing acknowledged is lost: messages answered 202 are found by the reader after the whole backend, or only its
// writer process, was killed with SIGKILL and restarted. Runs the real mainflux-backend binary (SQLite, and
// PostgreSQL as tst_durability_postgres).
#include "testbackend.h"
#include "testdatabase.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;

namespace {

struct Reply
{
    int status = 0;
    QJsonObject json;
};

class Backend
{
public:
    Backend(const QString &dataDir, const QHash<QString, QString> &env) : m_dataDir(dataDir), m_env(env) {}
    ~Backend() { kill(); }

    bool start()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"MF_DATA_DIR"_s, m_dataDir);
        env.insert(u"MF_HTTP_PORT"_s, u"0"_s);
        env.insert(u"MF_WS_PORT"_s, u"0"_s);
        env.insert(u"MF_COAP_PORT"_s, u"0"_s);
        env.insert(u"MF_MQTT_PORT"_s, u"0"_s);
        env.insert(u"MF_MQTT_WS_PORT"_s, u"0"_s);
        env.insert(u"MF_LOG_LEVEL"_s, u"warn"_s);
        for (auto it = m_env.cbegin(); it != m_env.cend(); ++it)
            env.insert(it.key(), it.value());
        m_process = std::make_unique<QProcess>();
        m_process->setProcessEnvironment(env);
        m_process->setProcessChannelMode(QProcess::SeparateChannels);
        m_process->start(QStringLiteral(MF_BACKEND_BINARY), {});
        if (!m_process->waitForStarted(10000))
            return false;
        QByteArray line;
        QElapsedTimer timer;
        timer.start();
        while (!line.contains('\n') && timer.elapsed() < 20000) {
            if (!m_process->waitForReadyRead(200) && m_process->state() != QProcess::Running)
                break;
            line += m_process->readAllStandardOutput();
        }
        m_ready = QJsonDocument::fromJson(line.trimmed()).object();
        if (m_ready.isEmpty())
            qWarning().noquote() << "backend did not get ready:" << m_process->readAllStandardError();
        return !m_ready.isEmpty();
    }
    void kill()
    {
        if (m_process && m_process->state() == QProcess::Running) {
            ::kill(pid_t(m_process->processId()), SIGKILL);
            m_process->waitForFinished(10000);
        }
    }
    quint16 port(const char *name) const { return quint16(m_ready.value("ports"_L1).toObject().value(QLatin1StringView(name)).toInt()); }

private:
    QString m_dataDir;
    QHash<QString, QString> m_env;
    std::unique_ptr<QProcess> m_process;
    QJsonObject m_ready;
};

} // namespace

class TestDurability : public QObject
{
    Q_OBJECT

private:
    QNetworkAccessManager m_network;
    quint16 m_port = 0;
    QByteArray m_token, m_key;
    QString m_channel;

    Reply call(const QByteArray &method, const QString &path, const QByteArray &body, const QByteArray &type,
               const QByteArray &auth)
    {
        const mf::testing::HttpReply r = mf::testing::sendAndWait(
            m_network, QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_port).arg(path)), method, body, type, auth);
        return {r.status, r.json()};
    }
    void setUpFleet()
    {
        const QByteArray creds = "{\"email\":\"ann@example.com\",\"password\":\"12345678\"}";
        QCOMPARE(call("POST", u"/users"_s, creds, "application/json", {}).status, 201);
        m_token = call("POST", u"/tokens"_s, creds, "application/json", {}).json.value("token"_L1).toString().toLatin1();
        const Reply thing = call("POST", u"/things"_s, "{\"name\":\"t\"}", "application/json", m_token);
        m_key = thing.json.value("key"_L1).toString().toLatin1();
        m_channel = call("POST", u"/channels"_s, "{}", "application/json", m_token).json.value("id"_L1).toString();
        QCOMPARE(call("PUT", u"/channels/%1/things/%2"_s.arg(m_channel, thing.json.value("id"_L1).toString()), {}, {},
                      m_token)
                     .status,
                 200);
    }
    int publishMany(int count)
    {
        int accepted = 0;
        for (int i = 0; i < count; ++i) {
            const QByteArray pack = "[{\"n\":\"dev:seq\",\"v\":" + QByteArray::number(i) + "}]";
            accepted += call("POST", u"/http/channels/%1/messages"_s.arg(m_channel), pack, "application/senml+json",
                             m_key)
                            .status == 202;
        }
        return accepted;
    }
    int stored()
    {
        return call("GET", u"/channels/%1/messages?name=dev:seq"_s.arg(m_channel), {}, {}, m_token)
            .json.value("total"_L1)
            .toInt(-1);
    }

private slots:
    void wholeBackendKilled()
    {
        QTemporaryDir dir;
        auto url = mf::testing::testDatabaseUrl();
        QVERIFY2(url, qPrintable(url ? QString() : url.error().message));
        {
            Backend backend(dir.path(), {{u"MF_DB_URL"_s, *url}});
            QVERIFY(backend.start());
            m_port = backend.port("http");
            setUpFleet();
            QCOMPARE(publishMany(300), 300);
            backend.kill(); // SIGKILL straight after the last 202
        }
        Backend again(dir.path(), {{u"MF_DB_URL"_s, *url}});
        QVERIFY(again.start()); // the stale lock of the killed process does not block
        m_port = again.port("http");
        QTRY_COMPARE_WITH_TIMEOUT(stored(), 300, 30000);
    }

    void writerKilled()
    {
        QTemporaryDir front, writerDir;
        auto url = mf::testing::testDatabaseUrl();
        QVERIFY(url);
        // The shared database: the PostgreSQL URL, or the front process's SQLite file.
        const QString dbUrl = url->isEmpty() ? u"sqlite:"_s + QDir(front.path()).filePath(u"mainflux.db"_s) : *url;
        Backend api(front.path(), {{u"MF_DB_URL"_s, dbUrl}, {u"MF_SERVICES"_s, u"users,things,http,reader"_s}});
        QVERIFY(api.start());
        m_port = api.port("http");
        const QString nats = u"nats://127.0.0.1:%1"_s.arg(api.port("nats"));
        const QHash<QString, QString> writerEnv{
            {u"MF_DB_URL"_s, dbUrl}, {u"MF_SERVICES"_s, u"writer"_s}, {u"MF_NATS_URL"_s, nats}};
        setUpFleet();
        {
            Backend writer(writerDir.path(), writerEnv);
            QVERIFY(writer.start());
            QCOMPARE(publishMany(200), 200);
            writer.kill(); // possibly mid-batch: unacked messages come back
        }
        QCOMPARE(publishMany(100), 100); // accepted while no writer runs
        QVERIFY(stored() < 300);
        Backend writer(writerDir.path(), writerEnv);
        QVERIFY(writer.start());
        QTRY_COMPARE_WITH_TIMEOUT(stored(), 300, 30000);
    }
};

QTEST_GUILESS_MAIN(TestDurability)
#include "tst_durability.moc"
