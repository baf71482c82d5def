// MF_MQTT_MAX_CONNECTIONS against a whole backend with real clients: the broker holds at most that many clients,
// refuses one more (closed without CONNACK), and serves it once a client left. MF_COAP_MAX_SESSIONS:
// libcoap keeps no more idle client sessions than that, and a new client is still served. The HTTP and
// WebSocket ports' connection limits (MF_HTTP_MAX_CONNECTIONS[_PER_ADDRESS]) are tested in tests/api/tst_httplimits
// and tests/adapters/tst_wsadapter.
#include "../adapters/coaprawclient.h"
#include "adapters/mqtt/mqttadapter.h"
#include "api/metrics.h"
#include "testbackend.h"

#include <QProcess>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace mf;
using mf::testing::HttpReply;

class TestConnectionLimits : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<testing::TestBackend> m_be;
    QString m_thing, m_key, m_channel;

    QStringList mqttArgs() const
    {
        return {u"-h"_s, u"127.0.0.1"_s,
                u"-p"_s, QString::number(m_be->backend().mqttAdapter()->port()),
                u"-u"_s, m_thing,
                u"-P"_s, m_key,
                u"-t"_s, u"channels/%1/messages"_s.arg(m_channel)};
    }
    double connectedClients() { return m_be->backend().metrics().value("mf_mqtt_connected_clients"); }
    // A subscriber that stays connected until killed; returned once its CONNACK arrived (-d prints it; stdbuf
    // makes mosquitto_sub write each line at once into the pipe).
    std::unique_ptr<QProcess> subscriber()
    {
        auto p = std::make_unique<QProcess>();
        p->setProcessChannelMode(QProcess::MergedChannels);
        p->start(u"stdbuf"_s, QStringList{u"-oL"_s, u"mosquitto_sub"_s} + mqttArgs() + QStringList{u"-d"_s});
        QByteArray out;
        (void)QTest::qWaitFor(
            [&] {
                out += p->readAll();
                return out.contains("CONNACK") || p->state() == QProcess::NotRunning;
            },
            15000);
        return out.contains("CONNACK (0)") && p->state() == QProcess::Running ? std::move(p) : nullptr;
    }
    int publish()
    {
        QProcess p;
        p.start(u"mosquitto_pub"_s, mqttArgs() + QStringList{u"-m"_s, u"[{\"n\":\"t\",\"v\":1}]"_s});
        if (!p.waitForStarted(5000)) return -1;
        (void)QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, 15000);
        return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    }

private slots:
    void cleanup() { m_be.reset(); }

    void coapMaxSessions()
    {
        m_be = std::make_unique<testing::TestBackend>(QHash<QString, QString>{{u"MF_COAP_MAX_SESSIONS"_s, u"3"_s}});
        QVERIFY2(m_be->isRunning(), qPrintable(m_be->startError()));
        m_be->createUser(u"ann@example.com"_s);
        const QByteArray token = m_be->token(u"ann@example.com"_s);
        const HttpReply thing = m_be->post(u"/things"_s, {{u"name"_s, u"t"_s}}, token);
        const QByteArray key = thing.json().value("key"_L1).toString().toLatin1();
        const QString channel =
            m_be->post(u"/channels"_s, {{u"name"_s, u"c"_s}}, token).json().value("id"_L1).toString();
        m_be->request("PUT", u"/channels/%1/things/%2"_s.arg(channel, thing.json().value("id"_L1).toString()), {}, {},
                      token);
        // Ten clients (ten source ports: ten sessions), one after the other; every one is served.
        for (int i = 0; i < 10; ++i) {
            mf::testing::RawCoapClient client(m_be->backend().coapPort());
            mf::testing::RawCoap post;
            post.token = "s" + QByteArray::number(i);
            post.addPath("channels/" + channel.toLatin1() + "/messages");
            post.options.append({mf::testing::RawCoap::UriQuery, "authorization=" + key});
            post.payload = "[{\"n\":\"t\",\"v\":1}]";
            post.options.append({mf::testing::RawCoap::ContentFormat, mf::testing::RawCoap::encodeUint(110)});
            const auto answer = client.call(post);
            QVERIFY(answer);
            QCOMPARE(answer->codeNumber(), 204);
        }
        // At most the limit stay (the newest, still finishing its exchange, may not count as idle yet).
        const double sessions = m_be->backend().metrics().value("mf_coap_sessions");
        QVERIFY2(sessions >= 1 && sessions <= 4, qPrintable(QString::number(sessions)));
    }

    void mqttMaxConnections()
    {
        m_be = std::make_unique<testing::TestBackend>(QHash<QString, QString>{{u"MF_MQTT_MAX_CONNECTIONS"_s, u"2"_s}});
        QVERIFY2(m_be->isRunning(), qPrintable(m_be->startError()));
        m_be->createUser(u"ann@example.com"_s);
        const QByteArray token = m_be->token(u"ann@example.com"_s);
        const HttpReply thing = m_be->post(u"/things"_s, {{u"name"_s, u"t"_s}}, token);
        m_thing = thing.json().value("id"_L1).toString();
        m_key = thing.json().value("key"_L1).toString();
        m_channel = m_be->post(u"/channels"_s, {{u"name"_s, u"c"_s}}, token).json().value("id"_L1).toString();
        QCOMPARE(m_be->request("PUT", u"/channels/%1/things/%2"_s.arg(m_channel, m_thing), {}, {}, token).status, 200);

        QCOMPARE(publish(), 0);
        auto first = subscriber();
        QVERIFY(first);
        auto second = subscriber();
        QVERIFY(second);
        const int third = publish();
        QVERIFY(third != 0); // a third client is refused
        QTRY_VERIFY_WITH_TIMEOUT(
            m_be->backend().metrics().value("mf_mqtt_connects_total", "result=\"too many clients\"") >= 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(connectedClients(), 2.0, 10000);
        first->kill();
        first->waitForFinished();
        QTRY_COMPARE_WITH_TIMEOUT(publish(), 0, 10000); // served once one left
        second->kill();
        second->waitForFinished();
    }
};

QTEST_GUILESS_MAIN(TestConnectionLimits)
#include "tst_connectionlimits.moc"
