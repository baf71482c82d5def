#include "bus/natsconnection.h"
#include "natsfixture.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <csignal>

using namespace Qt::StringLiterals;
using namespace mf::bus;

class tst_NatsServerProcess : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void findsExecutable() { QVERIFY(!NatsServerProcess::findExecutable().isEmpty()); }

    void startsOnAFreePortAndStops()
    {
        test::NatsFixture nats;
        QVERIFY(nats.start());
        NatsServerProcess *server = nats.server();
        QVERIFY(server->isRunning());
        QVERIFY(server->port() != 0);
        QCOMPARE(server->url(), u"nats://127.0.0.1:%1"_s.arg(server->port()));
        QVERIFY(QFile::exists(server->logFilePath()));

        NatsConnection conn;
        QVERIFY(conn.open({server->url()}, u"probe"_s));
        QVERIFY(conn.ensureStream(u"S"_s, {u"s.>"_s}, true)); // JetStream is on
        QSignalSpy disconnected(&conn, &NatsConnection::disconnected);
        server->stop();
        QVERIFY(!server->isRunning());
        QTRY_VERIFY(disconnected.count() >= 1);
        QVERIFY(!conn.isConnected());
    }

    void failsClearlyWhenThePortIsTaken()
    {
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress(u"127.0.0.1"_s), 0));
        QTemporaryDir dir;
        NatsServerProcess server(dir.path(), squatter.serverPort());
        const auto r = server.start(5000);
        QVERIFY(!r);
        QCOMPARE(r.error().code, mf::ErrorCode::Unavailable);
        QVERIFY2(r.error().message.contains(u"Log tail"_s), qPrintable(r.error().message));
        QVERIFY2(r.error().message.contains(u"address already in use"_s, Qt::CaseInsensitive),
                 qPrintable(r.error().message));
    }

    void failsClearlyWithoutExecutable()
    {
        QTemporaryDir dir;
        NatsServerProcess server(dir.path());
        server.setExecutable(dir.filePath(u"no-such-nats-server"_s));
        const auto r = server.start(2000);
        QVERIFY(!r);
        QCOMPARE(r.error().code, mf::ErrorCode::Unavailable);
        QVERIFY2(r.error().message.contains(u"no-such-nats-server"_s), qPrintable(r.error().message));
    }

    void killedServerIsRestartedAndClientsRecover()
    {
        test::NatsFixture nats;
        QVERIFY(nats.start());
        NatsServerProcess *server = nats.server();
        QSignalSpy restarted(server, &NatsServerProcess::restarted);
        QSignalSpy failed(server, &NatsServerProcess::failed);

        NatsConnection conn;
        QVERIFY(conn.open({server->url()}, u"survivor"_s));
        QSignalSpy disconnected(&conn, &NatsConnection::disconnected);
        QSignalSpy reconnected(&conn, &NatsConnection::reconnected);
        QVERIFY(conn.ensureStream(u"K"_s, {u"k.>"_s}, true));
        QObject context;
        bool storedBeforeKill = false;
        conn.publishDurable("k.before", "stored", &context,
                            [&](mf::Result<void> r) { storedBeforeKill = r.has_value(); });
        QTRY_VERIFY(storedBeforeKill);

        QList<QByteArray> received;
        auto sub = conn.subscribe("live.>", {}, &context, [&](QByteArray, QByteArray d, QByteArray) { received << d; });
        QVERIFY(sub);

        const qint64 oldPid = server->processId();
        QCOMPARE(::kill(pid_t(oldPid), SIGKILL), 0);

        QTRY_VERIFY(disconnected.count() >= 1);
        QTRY_VERIFY_WITH_TIMEOUT(restarted.count() == 1, 20000);
        QVERIFY(failed.count() >= 1); // the death itself is reported
        QVERIFY(server->processId() != oldPid);
        QCOMPARE(server->restartCount(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(reconnected.count() >= 1, 20000);
        QVERIFY(conn.isConnected());

        // Core NATS: the subscription was re-established by the reconnect.
        QVERIFY(conn.publish("live.x", "after"));
        QTRY_COMPARE(received, QList<QByteArray>{"after"});

        // JetStream: the acked message survived the SIGKILL, and new durable publishes work.
        bool storedAfter = false;
        conn.publishDurable("k.after", "again", &context, [&](mf::Result<void> r) { storedAfter = r.has_value(); });
        QTRY_VERIFY(storedAfter);
        const auto fetched = conn.fetch(u"K"_s, u"kw"_s, {}, 10, 5000);
        QVERIFY2(fetched.has_value(), fetched ? "" : qPrintable(fetched.error().message));
        QList<QByteArray> data;
        for (const auto &m : *fetched)
            data << m.data();
        QCOMPARE(data, (QList<QByteArray>{"stored", "again"}));
    }

    void durablePublishWhileDownIsUnavailable()
    {
        test::NatsFixture nats;
        QVERIFY(nats.start());
        NatsConnection conn;
        QVERIFY(conn.open({nats.url()}, u"down"_s));
        QVERIFY(conn.ensureStream(u"D"_s, {u"d.>"_s}, true));
        nats.server()->stop(); // no supervisor any more: it stays down
        QTRY_VERIFY(!conn.isConnected());

        QObject context;
        std::optional<mf::Result<void>> ack;
        conn.publishDurable("d.x", "x", &context, [&](mf::Result<void> r) { ack = r; });
        QTRY_VERIFY(ack.has_value());
        QVERIFY(!ack->has_value());
        QCOMPARE(ack->error().code, mf::ErrorCode::Unavailable);

        std::optional<mf::Result<QByteArray>> reply;
        conn.request("svc.any", "x", 60000, &context, [&](mf::Result<QByteArray> r) { reply = r; });
        QTRY_VERIFY(reply.has_value());
        QCOMPARE(reply->error().code, mf::ErrorCode::Unavailable);

        const auto fetched = conn.fetch(u"D"_s, u"dw"_s, {}, 1, 100);
        QVERIFY(!fetched.has_value());
    }
};

QTEST_GUILESS_MAIN(tst_NatsServerProcess)
#include "tst_natsserverprocess.moc"
