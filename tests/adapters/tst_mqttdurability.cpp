// Nothing an MQTT device was told is delivered gets lost (issue 13, item 1): QoS 1 publishers send through the real
// mainflux-backend binary (its supervised mosquitto with the plugin, bundled nats-server, SQLite) while the
// nats-server, or the whole backend (with its children), is killed with SIGKILL. Afterwards (backend restarted where
// needed, writer drained) every message that got a PUBACK is returned by the reader exactly once. Follows
// tests/pipeline's tst_durability (HTTP 202s). Also: no stream, or a silent one, means no PUBACK (0x87 / disconnect),
// within MF_MQTT_STORE_TIMEOUT_MS. No raw string literals in this file: moc 6.4 loses the class after one.
#include "qos1publisher.h"
#include "testbackend.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <memory>

extern "C" {
#include <nats/nats.h>
}

using namespace Qt::StringLiterals;
using mf::testing::Qos1Publisher;

namespace {

struct Reply
{
    int status = 0;
    QJsonObject json;
};

class Backend
{
public:
    explicit Backend(const QString &dataDir, QHash<QString, QString> extraEnv = {})
        : m_dataDir(dataDir), m_extraEnv(std::move(extraEnv))
    {}
    ~Backend() { kill(); }

    bool start()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"MF_DATA_DIR"_s, m_dataDir);
        env.insert(u"MF_DB_URL"_s, u"sqlite:"_s + QDir(m_dataDir).filePath(u"mainflux.db"_s));
        env.insert(u"MF_HTTP_PORT"_s, u"0"_s);
        env.insert(u"MF_WS_PORT"_s, u"0"_s);
        env.insert(u"MF_COAP_PORT"_s, u"0"_s);
        env.insert(u"MF_MQTT_PORT"_s, u"0"_s);
        env.insert(u"MF_MQTT_WS_PORT"_s, u"0"_s);
        env.insert(u"MF_LOG_LEVEL"_s, u"warn"_s);
        env.insert(u"MF_MQTT_AUTH_TIMEOUT_MS"_s, u"3000"_s); // a machine shared with parallel builds
        for (auto it = m_extraEnv.cbegin(); it != m_extraEnv.cend(); ++it)
            env.insert(it.key(), it.value());
        m_process = std::make_unique<QProcess>();
        m_process->setProcessEnvironment(env);
        m_process->setStandardErrorFile(QDir(m_dataDir).filePath(u"backend.log"_s), QIODevice::Append);
        m_process->start(QStringLiteral(MF_BACKEND_BINARY), {});
        if (!m_process->waitForStarted(10000)) return false;
        QByteArray line;
        QElapsedTimer timer;
        timer.start();
        while (!line.contains('\n') && timer.elapsed() < 20000) {
            if (!m_process->waitForReadyRead(200) && m_process->state() != QProcess::Running) break;
            line += m_process->readAllStandardOutput();
        }
        m_ready = QJsonDocument::fromJson(line.trimmed()).object();
        return !m_ready.isEmpty();
    }
    void kill()
    {
        if (m_process && m_process->state() == QProcess::Running) {
            ::kill(pid_t(m_process->processId()), SIGKILL);
            m_process->waitForFinished(10000);
        }
    }
    quint16 port(const char *name) const
    {
        return quint16(m_ready.value("ports"_L1).toObject().value(QLatin1StringView(name)).toInt());
    }
    // The backend's child process running `command` (its bundled nats-server, its mosquitto), or 0.
    pid_t child(const QByteArray &command) const
    {
        const qint64 parent = m_process ? m_process->processId() : 0;
        for (const QString &entry : QDir(u"/proc"_s).entryList(QDir::Dirs)) {
            bool numeric = false;
            const int pid = entry.toInt(&numeric);
            if (!numeric) continue;
            QFile stat(u"/proc/%1/stat"_s.arg(pid));
            if (!stat.open(QIODevice::ReadOnly)) continue;
            const QByteArray s = stat.readAll();
            const qsizetype open = s.indexOf('('), close = s.lastIndexOf(')');
            if (open < 0 || close < 0) continue;
            const QList<QByteArray> rest = s.mid(close + 2).split(' ');
            // rest: state, ppid, ... (a killed child not reaped yet is a zombie, state Z: not counted)
            if (s.mid(open + 1, close - open - 1) == command.left(15) && rest.size() > 1 && rest[0] != "Z" &&
                rest[1].toLongLong() == parent)
                return pid_t(pid);
        }
        return 0;
    }

private:
    QString m_dataDir;
    QHash<QString, QString> m_extraEnv;
    std::unique_ptr<QProcess> m_process;
    QJsonObject m_ready;
};

} // namespace

class TestMqttDurability : public QObject
{
    Q_OBJECT

private:
    static constexpr int publishers = 4, perPublisher = 2500;

    QNetworkAccessManager m_network;
    quint16 m_http = 0;
    QByteArray m_token;
    QString m_thing, m_key, m_channel;
    std::vector<std::unique_ptr<Qos1Publisher>> m_publishers;

    Reply call(const QByteArray &method, const QString &path, const QByteArray &body, const QByteArray &auth)
    {
        const mf::testing::HttpReply r =
            mf::testing::sendAndWait(m_network, QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_http).arg(path)), method, body,
                                 body.isEmpty() ? QByteArray() : QByteArray("application/json"), auth);
        return {r.status, r.json()};
    }

    void setUpFleet()
    {
        const QByteArray creds = "{\"email\":\"ann@example.com\",\"password\":\"12345678\"}";
        QCOMPARE(call("POST", u"/users"_s, creds, {}).status, 201);
        m_token = call("POST", u"/tokens"_s, creds, {}).json.value("token"_L1).toString().toLatin1();
        const Reply thing = call("POST", u"/things"_s, "{\"name\":\"t\"}", m_token);
        m_thing = thing.json.value("id"_L1).toString();
        m_key = thing.json.value("key"_L1).toString();
        m_channel = call("POST", u"/channels"_s, "{\"name\":\"c\"}", m_token).json.value("id"_L1).toString();
        QCOMPARE(call("PUT", u"/channels/%1/things/%2"_s.arg(m_channel, m_thing), {}, m_token).status, 200);
    }

    void startPublishers(quint16 mqttPort)
    {
        m_publishers.clear();
        for (int k = 0; k < publishers; ++k) {
            m_publishers.push_back(std::make_unique<Qos1Publisher>(u"durable-%1"_s.arg(k), m_thing, m_key,
                                                                   u"channels/%1/messages"_s.arg(m_channel),
                                                                   u"dev:p%1"_s.arg(k), perPublisher));
            m_publishers.back()->start(mqttPort);
        }
    }
    int acknowledged() const
    {
        int n = 0;
        for (const auto &p : m_publishers)
            n += int(p->acknowledged().size());
        return n;
    }
    bool allFinished() const
    {
        return std::all_of(m_publishers.begin(), m_publishers.end(), [](const auto &p) { return p->finished(); });
    }

    // mosquitto_pub -V mqttv5 -q <qos>: its output ("Warning: Publish 1 failed: Not authorized." on 0x87).
    // `clientId` empty: mosquitto_pub makes one up.
    QByteArray publishV5(quint16 port, const QString &qos = u"1"_s, const QString &clientId = {},
                         const QString &payload = u"[{\"n\":\"dev:r\",\"v\":1}]"_s)
    {
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        QStringList args{u"-h"_s, u"127.0.0.1"_s, u"-p"_s,  QString::number(port), u"-V"_s,
                         u"mqttv5"_s, u"-u"_s, m_thing, u"-P"_s, m_key, u"-q"_s, qos, u"-t"_s,
                         u"channels/%1/messages"_s.arg(m_channel), u"-m"_s, payload};
        if (!clientId.isEmpty()) args << u"-i"_s << clientId;
        p.start(u"mosquitto_pub"_s, args);
        p.waitForFinished(15000);
        return p.readAll();
    }

    double metric(const QByteArray &series)
    {
        QNetworkReply *reply = m_network.get(QNetworkRequest(QUrl(u"http://127.0.0.1:%1/metrics"_s.arg(m_http))));
        QEventLoop loop;
        connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        const QByteArray text = reply->readAll();
        reply->deleteLater();
        for (const QByteArray &line : text.split('\n'))
            if (line.startsWith(QByteArray(series + ' '))) return line.mid(series.size() + 1).toDouble();
        return 0;
    }

    // How often the reader returns each value of `name`; empty on a failed request.
    QHash<int, int> storedValues(const QString &name)
    {
        QHash<int, int> seen;
        for (int offset = 0;; offset += 1000) {
            const Reply r =
                call("GET", u"/channels/%1/messages?name=%2&limit=1000&offset=%3"_s.arg(m_channel, name).arg(offset),
                     {}, m_token);
            if (r.status != 200) return {};
            const QJsonArray page = r.json.value("messages"_L1).toArray();
            for (const QJsonValue &m : page)
                ++seen[m.toObject().value("value"_L1).toInt(-1)];
            if (page.size() < 1000) return seen;
        }
    }

    // Waits (bounded) until the writer stored every acknowledged message, then checks each is there exactly once.
    void verifyAcknowledgedStoredOnce()
    {
        int missing = 0, duplicated = 0;
        QStringList where; // per publisher: the range of acknowledged values not stored, to tell a stall from a loss
        QElapsedTimer timer;
        timer.start();
        do {
            if (missing > 0) QTest::qWait(500);
            missing = duplicated = 0;
            where.clear();
            for (const auto &p : m_publishers) {
                const QHash<int, int> seen = storedValues(p->name());
                int first = -1, last = -1, count = 0;
                for (const int v : p->acknowledged()) {
                    const int n = seen.value(v);
                    if (n == 0) {
                        if (first < 0 || v < first) first = v;
                        last = std::max(last, v);
                        ++count;
                    }
                    missing += n == 0;
                    duplicated += n > 1;
                }
                if (count > 0) where << u"%1: %2 of %3 acknowledged, values %4..%5"_s.arg(p->name()).arg(count)
                                            .arg(p->acknowledged().size()).arg(first).arg(last);
            }
        } while (missing > 0 && timer.elapsed() < 60000); // a bound for a hung run; redelivery takes 10 s (ack wait)
        qInfo("%d messages acknowledged, %d missing, %d stored more than once", acknowledged(), missing, duplicated);
        if (missing > 0)
            qInfo().noquote() << "not stored:" << where.join(u"; "_s) << "| writer stored"
                              << metric("mf_writer_records_total") << "records,"
                              << metric("mf_writer_errors_total") << "errors";
        QCOMPARE(missing, 0);
        QCOMPARE(duplicated, 0);
    }

    // Runs `action` once, at the first PUBACK that makes the acknowledged total reach `at`: from inside the flow,
    // with messages in flight (the test thread scanning /proc or sleeping first would let everything settle).
    void onAcknowledged(int at, std::function<void()> action, bool &done)
    {
        done = false;
        for (const auto &p : m_publishers)
            p->setOnAck([this, at, action, &done] {
                if (done || acknowledged() < at) return;
                done = true;
                action();
            });
    }

private slots:
    void natsServerKilled()
    {
        QTemporaryDir dir;
        Backend backend(dir.path());
        QVERIFY2(backend.start(), qPrintable(dir.path()));
        m_http = backend.port("http");
        setUpFleet();
        startPublishers(backend.port("mqtt"));

        // Three times: how many acknowledged messages a kill catches in flight varies with timing.
        pid_t previous = 0;
        for (int round = 0; round < 3; ++round) {
            pid_t nats = 0; // the backend restarts its nats-server: wait for the new one
            QTRY_VERIFY_WITH_TIMEOUT((nats = backend.child("nats-server")) > 0 && nats != previous, 30000);
            previous = nats;
            bool killed = false;
            // At 10 %, 30 % and 50 % of the messages, or soon after a restart that took longer.
            const int at = std::max((1 + 2 * round) * publishers * perPublisher / 10, acknowledged() + 300);
            onAcknowledged(
                at, [nats] { ::kill(nats, SIGKILL); }, killed);
            QTRY_VERIFY_WITH_TIMEOUT(killed, 60000); // also: publishing resumed after the previous kill
            qInfo("nats-server %d killed after %d acknowledged messages", int(nats), acknowledged());
        }
        QTRY_VERIFY_WITH_TIMEOUT(allFinished(), 120000);
        verifyAcknowledgedStoredOnce();
    }

    void backendKilled()
    {
        QTemporaryDir dir;
        {
            Backend backend(dir.path());
            QVERIFY(backend.start());
            m_http = backend.port("http");
            setUpFleet();
            const pid_t broker = backend.child("mosquitto"), nats = backend.child("nats-server");
            QVERIFY(broker > 0 && nats > 0);
            startPublishers(backend.port("mqtt"));
            // The whole process tree at once, as `systemctl kill -s KILL` or the OOM killer of its cgroup would: a
            // plain SIGKILL of the backend alone gives nats-server and mosquitto SIGTERM (parent-death signal), and
            // their graceful shutdown hides what was not stored yet.
            bool killed = false;
            onAcknowledged(
                publishers * perPublisher / 5,
                [&] {
                    ::kill(nats, SIGKILL);
                    ::kill(broker, SIGKILL);
                    backend.kill();
                },
                killed);
            QTRY_VERIFY_WITH_TIMEOUT(killed, 60000);
            // No PUBACK can come any more once the broker is gone; the ones already sent are read first.
            QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(u"/proc/%1"_s.arg(broker)), 10000);
            QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(u"/proc/%1"_s.arg(nats)), 10000);
            QTest::qWait(200);
            for (const auto &p : m_publishers)
                p->stop();
        }
        Backend again(dir.path());
        QVERIFY(again.start());
        m_http = again.port("http");
        verifyAcknowledgedStoredOnce();
    }

    // A stream that does not store the message: no PUBACK. MQTT 3.1.1 has no negative PUBACK, so the connection
    // closes; MQTT 5 gets PUBACK 0x87 (the only reason a mosquitto 2.0 plugin can give). Counted as unavailable.
    void notStoredNotAcknowledged()
    {
        QTemporaryDir dir;
        Backend backend(dir.path());
        QVERIFY(backend.start());
        m_http = backend.port("http");
        setUpFleet();

        natsConnection *nc = nullptr;
        jsCtx *js = nullptr;
        const QByteArray url = "nats://127.0.0.1:" + QByteArray::number(backend.port("nats"));
        QCOMPARE(natsConnection_ConnectTo(&nc, url.constData()), NATS_OK);
        QCOMPARE(natsConnection_JetStream(&js, nc, nullptr), NATS_OK);
        QCOMPARE(js_DeleteStream(js, "MESSAGES", nullptr, nullptr), NATS_OK);

        Qos1Publisher v311(u"refused-311"_s, m_thing, m_key, u"channels/%1/messages"_s.arg(m_channel), u"dev:r"_s, 1);
        v311.start(backend.port("mqtt"));
        QTRY_VERIFY_WITH_TIMEOUT(v311.connections() >= 1 && v311.abandoned() >= 1, 10000);
        v311.stop();
        QVERIFY(v311.acknowledged().isEmpty());

        const QByteArray refused = publishV5(backend.port("mqtt"));
        QVERIFY2(refused.contains("Not authorized"), refused.constData()); // reason code 0x87

        // Counted (the plugin reports once a second): the 3.1.1 and the MQTT 5 refusal.
        QTRY_VERIFY_WITH_TIMEOUT(metric("mf_adapter_messages_total{protocol=\"mqtt\",result=\"unavailable\"}") >= 2,
                                 10000);

        // The stream back (as the backend creates it): acknowledged again, on the same broker.
        jsStreamConfig sc;
        jsStreamConfig_Init(&sc);
        const char *subjects[] = {"channel.>"};
        sc.Name = "MESSAGES";
        sc.Subjects = subjects;
        sc.SubjectsLen = 1;
        QCOMPARE(js_AddStream(nullptr, js, &sc, nullptr, nullptr), NATS_OK);
        const QByteArray accepted = publishV5(backend.port("mqtt"));
        QVERIFY2(!accepted.contains("failed"), accepted.constData());
        const QByteArray exactlyOnce =
            publishV5(backend.port("mqtt"), u"2"_s); // PUBREC once stored, then PUBREL/PUBCOMP
        QVERIFY2(!exactlyOnce.contains("failed"), exactlyOnce.constData());
        Qos1Publisher again(u"accepted-311"_s, m_thing, m_key, u"channels/%1/messages"_s.arg(m_channel), u"dev:r"_s, 1);
        again.start(backend.port("mqtt"));
        QTRY_COMPARE_WITH_TIMEOUT(again.acknowledged().size(), 1, 10000);
        jsCtx_Destroy(js);
        natsConnection_Destroy(nc);
    }

    // A stream that stops answering (nats-server frozen, the connection still open): the publish is refused after
    // MF_MQTT_STORE_TIMEOUT_MS, not held forever, and the broker serves again once NATS answers.
    // The refused publish can still be stored once the stream answers (here the frozen server wakes up; in a
    // cluster a new stream leader is elected). The device repeats it — same client id, topic and payload, as Paho
    // does after reconnecting: the repeat goes to the stream under the first copy's Nats-Msg-Id, is acknowledged,
    // and the message is stored once, not twice.
    void silentStreamRefusedThenRepeatStoredOnce()
    {
        QTemporaryDir dir;
        Backend backend(dir.path(), {{u"MF_MQTT_STORE_TIMEOUT_MS"_s, u"300"_s}});
        QVERIFY(backend.start());
        m_http = backend.port("http");
        setUpFleet();
        const quint16 mqtt = backend.port("mqtt");
        QTRY_VERIFY_WITH_TIMEOUT(!publishV5(mqtt).contains("failed"), 10000); // key and access now cached
        const QString device = u"late-device"_s, payload = u"[{\"n\":\"dev:late\",\"v\":42}]"_s;
        const pid_t nats = backend.child("nats-server");
        QVERIFY(nats > 0);
        QCOMPARE(::kill(nats, SIGSTOP), 0);
        const QByteArray refused = publishV5(mqtt, u"1"_s, device, payload);
        ::kill(nats, SIGCONT);
        QVERIFY2(refused.contains("Not authorized"), refused.constData());
        QTRY_VERIFY_WITH_TIMEOUT(metric("mf_mqtt_store_timeouts_total") >= 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(storedValues(u"dev:late"_s).value(42), 1, 10000); // the refused copy, stored late

        // Repeated until acknowledged (for a second after a timeout the plugin refuses without asking the stream).
        // A loop of its own: QTRY_VERIFY evaluates its expression again after it held, which would publish again.
        QByteArray repeat;
        for (QDeadlineTimer deadline(10000); !deadline.hasExpired(); QTest::qWait(100))
            if (!(repeat = publishV5(mqtt, u"1"_s, device, payload)).contains("failed")) break;
        QVERIFY2(!repeat.contains("failed"), repeat.constData());
        // A marker after it: once the marker is stored, so is everything the stream had before it.
        QVERIFY(!publishV5(mqtt, u"1"_s, device, u"[{\"n\":\"dev:marker\",\"v\":1}]"_s).contains("failed"));
        QTRY_COMPARE_WITH_TIMEOUT(storedValues(u"dev:marker"_s).value(1), 1, 10000);
        QCOMPARE(storedValues(u"dev:late"_s).value(42), 1);

        // The same payload from the same device once the first was acknowledged is a new message: stored again.
        QVERIFY(!publishV5(mqtt, u"1"_s, device, payload).contains("failed"));
        QTRY_COMPARE_WITH_TIMEOUT(storedValues(u"dev:late"_s).value(42), 2, 10000);
    }
};

QTEST_GUILESS_MAIN(TestMqttDurability)
#include "tst_mqttdurability.moc"
