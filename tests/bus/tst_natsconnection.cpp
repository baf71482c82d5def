#include "bus/natsconnection.h"
#include "natsfixture.h"

#include <QMutex>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <future>
#include <nats/nats.h>
#include <thread>

using namespace Qt::StringLiterals;
using namespace mf::bus;

namespace {

// Stands in for a stream that loses acks (a dying stream leader): records the Nats-Msg-Id of every delivery on its
// subject and answers a stream ack only to every `answerEvery`-th one (0: never). Raw cnats, to see the headers.
struct LossyStream
{
    natsConnection *nc = nullptr;
    natsSubscription *sub = nullptr;
    int answerEvery = 0;
    QMutex mutex;
    QList<QByteArray> ids; // one per delivery

    bool start(const QString &url, const char *subject)
    {
        return natsConnection_ConnectTo(&nc, url.toUtf8().constData()) == NATS_OK &&
               natsConnection_Subscribe(&sub, nc, subject, &LossyStream::onMessage, this) == NATS_OK &&
               natsConnection_Flush(nc) == NATS_OK;
    }
    ~LossyStream()
    {
        natsSubscription_Unsubscribe(sub);
        natsSubscription_Destroy(sub);
        natsConnection_Destroy(nc);
    }
    QList<QByteArray> seen()
    {
        QMutexLocker lock(&mutex);
        return ids;
    }
    static void onMessage(natsConnection *nc, natsSubscription *, natsMsg *msg, void *closure)
    {
        auto *self = static_cast<LossyStream *>(closure);
        const char *id = nullptr;
        natsMsgHeader_Get(msg, "Nats-Msg-Id", &id);
        qsizetype count;
        {
            QMutexLocker lock(&self->mutex);
            self->ids << QByteArray(id ? id : "");
            count = self->ids.size();
        }
        if (self->answerEvery > 0 && count % self->answerEvery == 0 && natsMsg_GetReply(msg)) {
            const QByteArray ack = "{\"stream\":\"LOSSY\",\"seq\":" + QByteArray::number(count) + "}";
            natsConnection_Publish(nc, natsMsg_GetReply(msg), ack.constData(), int(ack.size()));
        }
        natsMsg_Destroy(msg);
    }
};

} // namespace

class tst_NatsConnection : public QObject
{
    Q_OBJECT

    test::NatsFixture m_nats;
    std::unique_ptr<NatsConnection> m_conn;

    std::unique_ptr<NatsConnection> connect(const QString &name)
    {
        auto c = std::make_unique<NatsConnection>();
        const auto r = c->open({m_nats.url()}, name);
        return r ? std::move(c) : nullptr;
    }

private Q_SLOTS:
    void initTestCase()
    {
        const auto started = m_nats.start();
        QVERIFY2(started.has_value(), started ? "" : qPrintable(started.error().message));
        m_conn = connect(u"tst_natsconnection"_s);
        QVERIFY(m_conn);
        QVERIFY(m_conn->isConnected());
        QCOMPARE(m_conn->connectedUrl(), m_nats.url());
    }

    void openFailsWithoutServer()
    {
        NatsConnection c;
        const auto r = c.open({u"nats://127.0.0.1:1"_s}, u"nobody"_s);
        QVERIFY(!r);
        QCOMPARE(r.error().code, mf::ErrorCode::Unavailable);
        QVERIFY(!c.isConnected());
        QVERIFY(!c.publish("x", "y"));
    }

    void publishSubscribeDeliversOnContextThread()
    {
        QObject context;
        QList<QByteArray> subjects, payloads;
        QThread *seenThread = nullptr;
        auto sub = m_conn->subscribe("ps.*", {}, &context, [&](QByteArray s, QByteArray d, QByteArray reply) {
            seenThread = QThread::currentThread();
            subjects << s;
            payloads << d;
            QVERIFY(reply.isEmpty());
        });
        QVERIFY(sub);
        // Publish from a foreign thread on a second connection.
        auto other = connect(u"publisher"_s);
        QVERIFY(other);
        std::thread([&] {
            for (int i = 0; i < 3; ++i)
                QVERIFY(other->publish("ps." + QByteArray::number(i), "data" + QByteArray::number(i)));
        }).join();
        QTRY_COMPARE(payloads.size(), 3);
        QCOMPARE(seenThread, QThread::currentThread());
        QCOMPARE(subjects, (QList<QByteArray>{"ps.0", "ps.1", "ps.2"}));
        QCOMPARE(payloads, (QList<QByteArray>{"data0", "data1", "data2"}));
    }

    void deliversToWorkerThreadContext()
    {
        QThread worker;
        worker.start();
        auto *context = new QObject;
        context->moveToThread(&worker);
        std::atomic<QThread *> seenThread = nullptr;
        std::atomic<int> count = 0;
        auto sub = m_conn->subscribe("worker.x", {}, context, [&](QByteArray, QByteArray, QByteArray) {
            seenThread = QThread::currentThread();
            ++count;
        });
        QVERIFY(sub);
        QVERIFY(m_conn->publish("worker.x", "1"));
        QTRY_COMPARE(count.load(), 1);
        QCOMPARE(seenThread.load(), &worker);
        sub->reset();
        QMetaObject::invokeMethod(context, &QObject::deleteLater);
        worker.quit();
        worker.wait();
    }

    void manyMessagesAllArriveInOrder()
    {
        QObject context;
        QList<int> got;
        auto sub =
            m_conn->subscribe("bulk", {}, &context, [&](QByteArray, QByteArray d, QByteArray) { got << d.toInt(); });
        QVERIFY(sub);
        auto other = connect(u"bulk-publisher"_s);
        QVERIFY(other);
        constexpr int n = 20000;
        for (int i = 0; i < n; ++i)
            QVERIFY(other->publish("bulk", QByteArray::number(i)));
        QVERIFY(other->flush());
        QTRY_COMPARE(got.size(), n);
        for (int i = 0; i < n; ++i)
            QCOMPARE(got[i], i);
    }

    void resetStopsDelivery()
    {
        QObject context;
        int stopped = 0, marker = 0;
        auto sub = m_conn->subscribe("reset.a", {}, &context, [&](QByteArray, QByteArray, QByteArray) { ++stopped; });
        auto markerSub =
            m_conn->subscribe("reset.marker", {}, &context, [&](QByteArray, QByteArray, QByteArray) { ++marker; });
        QVERIFY(sub && markerSub);
        QVERIFY(m_conn->publish("reset.a", "1"));
        QTRY_COMPARE(stopped, 1);
        sub->reset();
        QVERIFY(!sub->isActive());
        QVERIFY(m_conn->publish("reset.a", "2"));
        QVERIFY(m_conn->publish("reset.marker", "m")); // same connection: ordered after the one above
        QTRY_COMPARE(marker, 1);
        QCOMPARE(stopped, 1);
    }

    void destroyedContextStopsDelivery()
    {
        auto context = std::make_unique<QObject>();
        QObject markerContext;
        int calls = 0, marker = 0;
        auto sub = m_conn->subscribe("gone.a", {}, context.get(), [&](QByteArray, QByteArray, QByteArray) { ++calls; });
        auto markerSub =
            m_conn->subscribe("gone.marker", {}, &markerContext, [&](QByteArray, QByteArray, QByteArray) { ++marker; });
        QVERIFY(sub && markerSub);
        context.reset();
        QVERIFY(m_conn->publish("gone.a", "1"));
        QVERIFY(m_conn->publish("gone.marker", "m"));
        QTRY_COMPARE(marker, 1);
        QCOMPARE(calls, 0);
        QVERIFY(sub->isActive()); // the handle outlives its context harmlessly
    }

    void queueGroupDeliversEachMessageToOneMember()
    {
        QObject context;
        QSet<int> a, b;
        auto subA = m_conn->subscribe("work.q", "workers", &context,
                                      [&](QByteArray, QByteArray d, QByteArray) { a.insert(d.toInt()); });
        auto other = connect(u"member-b"_s);
        QVERIFY(other);
        auto subB = other->subscribe("work.q", "workers", &context,
                                     [&](QByteArray, QByteArray d, QByteArray) { b.insert(d.toInt()); });
        QVERIFY(subA && subB);
        constexpr int n = 200;
        for (int i = 0; i < n; ++i)
            QVERIFY(m_conn->publish("work.q", QByteArray::number(i)));
        QTRY_COMPARE(a.size() + b.size(), n);
        QVERIFY(!a.isEmpty());
        QVERIFY(!b.isEmpty());
        QVERIFY(!a.intersects(b));
        QCOMPARE((a | b).size(), n);
    }

    void requestReply()
    {
        QObject context;
        auto responder = connect(u"responder"_s);
        QVERIFY(responder);
        auto sub = responder->subscribe("svc.echo", "echo", &context, [&](QByteArray, QByteArray d, QByteArray reply) {
            QVERIFY(responder->respond(reply, "re:" + d));
        });
        QVERIFY(sub);
        std::optional<mf::Result<QByteArray>> result;
        m_conn->request("svc.echo", "hello", 5000, &context, [&](mf::Result<QByteArray> r) { result = r; });
        QTRY_VERIFY(result.has_value());
        QVERIFY(result->has_value());
        QCOMPARE(**result, QByteArray("re:hello"));

        // Many concurrent requests, from another thread too, each gets its own reply.
        QHash<int, QByteArray> replies;
        for (int i = 0; i < 50; ++i)
            m_conn->request("svc.echo", QByteArray::number(i), 5000, &context,
                            [&replies, i](mf::Result<QByteArray> r) { replies.insert(i, r.value_or("error")); });
        std::thread([&] {
            m_conn->request("svc.echo", "from-thread", 5000, &context,
                            [&replies](mf::Result<QByteArray> r) { replies.insert(-1, r.value_or("error")); });
        }).join();
        QTRY_COMPARE(replies.size(), 51);
        for (int i = 0; i < 50; ++i)
            QCOMPARE(replies.value(i), "re:" + QByteArray::number(i));
        QCOMPARE(replies.value(-1), QByteArray("re:from-thread"));
    }

    void requestWithoutResponder()
    {
        QObject context;
        std::optional<mf::Result<QByteArray>> result;
        m_conn->request("svc.nobody", "x", 60000, &context, [&](mf::Result<QByteArray> r) { result = r; });
        QTRY_VERIFY(result.has_value()); // long before the 60 s timeout: the server says "no responders"
        QVERIFY(!result->has_value());
        QCOMPARE(result->error().code, mf::ErrorCode::Unavailable);
        QVERIFY2(result->error().message.contains(u"no responder"_s), qPrintable(result->error().message));
    }

    void requestTimesOut()
    {
        QObject context;
        auto sub = m_conn->subscribe("svc.silent", {}, &context, [](QByteArray, QByteArray, QByteArray) {});
        QVERIFY(sub);
        std::optional<mf::Result<QByteArray>> result;
        m_conn->request("svc.silent", "x", 200, &context, [&](mf::Result<QByteArray> r) { result = r; });
        QTRY_VERIFY(result.has_value());
        QVERIFY(!result->has_value());
        QCOMPARE(result->error().code, mf::ErrorCode::Unavailable);
        QVERIFY2(result->error().message.contains(u"in time"_s), qPrintable(result->error().message));
    }

    void durablePublishIsAckedAndFetched()
    {
        QVERIFY(m_conn->ensureStream(u"T1"_s, {u"dur.>"_s}, true));
        QVERIFY(m_conn->ensureStream(u"T1"_s, {u"dur.>"_s, u"dur2.>"_s}, true)); // update is fine
        QObject context;
        QList<mf::Result<void>> acks;
        for (int i = 0; i < 3; ++i)
            m_conn->publishDurable("dur.c1", "m" + QByteArray::number(i), &context,
                                   [&](mf::Result<void> r) { acks << r; });
        QTRY_COMPARE(acks.size(), 3);
        for (const auto &a : acks)
            QVERIFY2(a.has_value(), a ? "" : qPrintable(a.error().message));

        // A worker thread fetches and acks.
        auto future = std::async(std::launch::async, [&] { return m_conn->fetch(u"T1"_s, u"w1"_s, {}, 10, 5000); });
        const auto fetched = future.get();
        QVERIFY2(fetched.has_value(), fetched ? "" : qPrintable(fetched.error().message));
        QCOMPARE(fetched->size(), 3);
        for (int i = 0; i < 3; ++i) {
            const DurableMessage &m = fetched->at(i);
            QCOMPARE(m.subject(), QByteArray("dur.c1"));
            QCOMPARE(m.data(), "m" + QByteArray::number(i));
            QCOMPARE(m.streamSequence(), quint64(i + 1));
            QCOMPARE(m.deliveries(), quint64(1));
            QVERIFY(m.ack());
        }
        const auto again = m_conn->fetch(u"T1"_s, u"w1"_s, {}, 10, 300);
        QVERIFY(again.has_value());
        QVERIFY(again->isEmpty());
    }

    void durablePublishWithoutStreamFails()
    {
        QObject context;
        std::optional<mf::Result<void>> ack;
        m_conn->publishDurable("nostream.x", "x", &context, [&](mf::Result<void> r) { ack = r; });
        QTRY_VERIFY(ack.has_value());
        QVERIFY(!ack->has_value());
        QCOMPARE(ack->error().code, mf::ErrorCode::Unavailable);
    }

    // A stream leader that dies takes the acks of what it was storing with it; the publish is sent again under the
    // same Nats-Msg-Id (so JetStream stores it once) until an ack comes, instead of failing at the first timeout.
    void durablePublishIsSentAgainUnderItsIdUntilAcked()
    {
        LossyStream stream;
        stream.answerEvery = 2; // every message's first ack is lost
        QVERIFY(stream.start(m_nats.url(), "lossy.a"));
        NatsConnection::Options options;
        options.ackAttemptMs = 200;
        options.resendForMs = 30000;
        NatsConnection conn;
        QVERIFY(conn.open({m_nats.url()}, u"resender"_s, options));
        conn.setDurableResends(true);
        QObject context;
        for (const QByteArray data : {"first", "second"}) {
            std::optional<mf::Result<void>> ack;
            conn.publishDurable("lossy.a", data, &context, [&](mf::Result<void> r) { ack = r; });
            QTRY_VERIFY_WITH_TIMEOUT(ack.has_value(), 20000);
            QVERIFY2(ack->has_value(), ack->has_value() ? "" : qPrintable(ack->error().message));
        }
        const QList<QByteArray> ids = stream.seen();
        QCOMPARE(ids.size(), 4);
        QVERIFY(!ids[0].isEmpty());
        QCOMPARE(ids[1], ids[0]); // the same message again
        QCOMPARE(ids[3], ids[2]);
        QVERIFY(ids[2] != ids[0]); // another message, another id
    }

    // Without an ack the publish still fails (Unavailable) once Options::resendForMs has passed, having been sent
    // again in between, always under one id.
    void durablePublishGivesUpAtItsDeadline()
    {
        LossyStream stream; // never answers
        QVERIFY(stream.start(m_nats.url(), "lossy.b"));
        NatsConnection::Options options;
        options.ackAttemptMs = 100;
        options.resendForMs = 600;
        NatsConnection conn;
        QVERIFY(conn.open({m_nats.url()}, u"giving-up"_s, options));
        conn.setDurableResends(true);
        QObject context;
        std::optional<mf::Result<void>> ack;
        conn.publishDurable("lossy.b", "x", &context, [&](mf::Result<void> r) { ack = r; });
        QTRY_VERIFY_WITH_TIMEOUT(ack.has_value(), 20000);
        QVERIFY(!ack->has_value());
        QCOMPARE(ack->error().code, mf::ErrorCode::Unavailable);
        const QList<QByteArray> ids = stream.seen();
        QVERIFY2(ids.size() >= 2, qPrintable(QString::number(ids.size())));
        QCOMPARE(QSet<QByteArray>(ids.cbegin(), ids.cend()).size(), 1);
    }

    // Off (a single server, no leader elections): one send without an id, answered by its ack or the deadline.
    void durablePublishWithoutResendsIsSentOnce()
    {
        LossyStream stream; // never answers
        QVERIFY(stream.start(m_nats.url(), "lossy.c"));
        NatsConnection::Options options;
        options.ackAttemptMs = 100;
        options.ackTimeoutMs = 600;
        NatsConnection conn;
        QVERIFY(conn.open({m_nats.url()}, u"once"_s, options));
        QObject context;
        std::optional<mf::Result<void>> ack;
        conn.publishDurable("lossy.c", "x", &context, [&](mf::Result<void> r) { ack = r; });
        QTRY_VERIFY_WITH_TIMEOUT(ack.has_value(), 20000);
        QCOMPARE(ack->error().code, mf::ErrorCode::Unavailable);
        QCOMPARE(stream.seen(), QList<QByteArray>{QByteArray()});
    }

    // JetStream itself drops the second copy: what makes the resends above store once.
    void streamStoresAResentMessageOnce()
    {
        QVERIFY(m_conn->ensureStream(u"DEDUP"_s, {u"dedup.>"_s}, false));
        natsConnection *nc = nullptr;
        QCOMPARE(natsConnection_ConnectTo(&nc, m_nats.url().toUtf8().constData()), NATS_OK);
        for (int i = 0; i < 2; ++i) {
            natsMsg *msg = nullptr;
            QCOMPARE(natsMsg_Create(&msg, "dedup.c", nullptr, "once", 4), NATS_OK);
            natsMsgHeader_Set(msg, "Nats-Msg-Id", "same-id");
            natsMsg *reply = nullptr;
            QCOMPARE(natsConnection_RequestMsg(&reply, nc, msg, 5000), NATS_OK);
            natsMsg_Destroy(reply);
            natsMsg_Destroy(msg);
        }
        natsConnection_Destroy(nc);
        const auto fetched = m_conn->fetch(u"DEDUP"_s, u"d1"_s, {}, 10, 2000);
        QVERIFY2(fetched.has_value(), fetched ? "" : qPrintable(fetched.error().message));
        QCOMPARE(fetched->size(), 1);
    }

    void unackedMessagesAreRedeliveredAfterReconnect()
    {
        QVERIFY(m_conn->ensureStream(u"T2"_s, {u"redo.>"_s}, true));
        QVERIFY(m_conn->ensureConsumer(u"T2"_s, u"w2"_s, "redo.>", 1000));
        QObject context;
        int acked = 0;
        for (int i = 1; i <= 3; ++i)
            m_conn->publishDurable("redo.c", QByteArray::number(i), &context, [&](mf::Result<void> r) {
                QVERIFY(r);
                ++acked;
            });
        QTRY_COMPARE(acked, 3);

        {
            auto worker = connect(u"worker-1"_s);
            QVERIFY(worker);
            const auto first = worker->fetch(u"T2"_s, u"w2"_s, "redo.>", 10, 5000);
            QVERIFY(first.has_value());
            QCOMPARE(first->size(), 3);
            QVERIFY(first->at(0).ack()); // only the first was committed before the "crash"
            QVERIFY(worker->flush());
        } // worker connection closed with two messages unacked

        auto worker = connect(u"worker-2"_s);
        QVERIFY(worker);
        QList<DurableMessage> redelivered;
        for (int attempt = 0; attempt < 10 && redelivered.size() < 2; ++attempt) {
            const auto r = worker->fetch(u"T2"_s, u"w2"_s, "redo.>", 10, 3000);
            QVERIFY(r.has_value());
            redelivered += *r;
        }
        QCOMPARE(redelivered.size(), 2);
        QCOMPARE(redelivered[0].data(), QByteArray("2"));
        QCOMPARE(redelivered[1].data(), QByteArray("3"));
        QCOMPARE(redelivered[0].deliveries(), quint64(2));
        for (const auto &m : redelivered)
            QVERIFY(m.ack());
    }

    void nakRedeliversAtOnce()
    {
        QVERIFY(m_conn->ensureStream(u"T3"_s, {u"nak.>"_s}, false));
        QVERIFY(m_conn->ensureConsumer(u"T3"_s, u"w3"_s, {}, 60000));
        QObject context;
        bool acked = false;
        m_conn->publishDurable("nak.c", "x", &context, [&](mf::Result<void> r) { acked = r.has_value(); });
        QTRY_VERIFY(acked);
        const auto first = m_conn->fetch(u"T3"_s, u"w3"_s, {}, 1, 5000);
        QVERIFY(first && first->size() == 1);
        QVERIFY(first->at(0).nak());
        const auto second = m_conn->fetch(u"T3"_s, u"w3"_s, {}, 1, 5000); // well before the 60 s ack wait
        QVERIFY(second && second->size() == 1);
        QCOMPARE(second->at(0).deliveries(), quint64(2));
        QVERIFY(second->at(0).ack());
    }

    // The server closes a connection for good on a protocol error (here: a subject longer than nats-server's 4,096-byte
    // max_control_line, issue 20's reproduction). cnats does not reconnect after that; the connection must be
    // rebuilt with its subscriptions, and what was in flight must be answered instead of hanging.
    void serverSideCloseIsHealed()
    {
        NatsConnection::Options options;
        options.ackTimeoutMs = 120000; // so that only the rebuild, not cnats' ack timeout, can answer the publish
        auto conn = std::make_unique<NatsConnection>();
        QVERIFY(conn->open({m_nats.url()}, u"healing"_s, options));
        QVERIFY(conn->ensureStream(u"HEAL"_s, {u"heal.>"_s}, false));
        QObject context;
        QList<QByteArray> received;
        auto sub = conn->subscribe("plain.>", "grp", &context,
                                   [&](QByteArray, QByteArray data, QByteArray) { received << data; });
        QVERIFY(sub);
        auto responder = conn->subscribe("svc.echo", {}, &context, [&](QByteArray, QByteArray data, QByteArray reply) {
            QVERIFY(conn->respond(reply, "echo:" + data));
        });
        QVERIFY(responder);
        QSignalSpy down(conn.get(), &NatsConnection::disconnected);
        QSignalSpy up(conn.get(), &NatsConnection::reconnected);

        QVERIFY(conn->publish("plain." + QByteArray(4100, 's'), "poison")); // buffered; the server answers -ERR
        std::optional<mf::Result<void>> inFlight;
        conn->publishDurable("heal.c", "in flight", &context, [&](mf::Result<void> r) { inFlight = r; });
        QTRY_VERIFY_WITH_TIMEOUT(inFlight.has_value(), 10000);
        if (!inFlight->has_value()) QCOMPARE(inFlight->error().code, mf::ErrorCode::Unavailable);
        QTRY_VERIFY_WITH_TIMEOUT(down.size() >= 1, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(conn->isConnected(), 10000);
        QTRY_VERIFY(up.size() >= 1);

        // Everything works again on the new connection: subscriptions made before, request/reply, durable publish.
        auto other = connect(u"heal-publisher"_s);
        QVERIFY(other);
        QVERIFY(other->publish("plain.after", "after"));
        QTRY_COMPARE(received, QList<QByteArray>{"after"});
        std::optional<mf::Result<QByteArray>> reply;
        conn->request("svc.echo", "ping", 2000, &context, [&](mf::Result<QByteArray> r) { reply = r; });
        QTRY_VERIFY(reply.has_value());
        QVERIFY2(reply->has_value(), reply->has_value() ? "" : qPrintable(reply->error().message));
        QCOMPARE(**reply, QByteArray("echo:ping"));
        std::optional<mf::Result<void>> stored;
        conn->publishDurable("heal.c", "after", &context, [&](mf::Result<void> r) { stored = r; });
        QTRY_VERIFY(stored.has_value());
        QVERIFY2(stored->has_value(), stored->has_value() ? "" : qPrintable(stored->error().message));
        const auto fetched = conn->fetch(u"HEAL"_s, u"healer"_s, {}, 10, 3000);
        QVERIFY2(fetched.has_value(), fetched ? "" : qPrintable(fetched.error().message));
        QVERIFY(!fetched->isEmpty());
        QCOMPARE(fetched->last().data(), QByteArray("after"));

        // And it heals again: the second close is handled like the first.
        QVERIFY(conn->publish("plain." + QByteArray(4100, 't'), "poison"));
        QTRY_VERIFY_WITH_TIMEOUT(down.size() >= 2, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(conn->isConnected(), 10000);
        QVERIFY(other->publish("plain.again", "again"));
        QTRY_COMPARE(received, (QList<QByteArray>{"after", "again"}));
    }

    void cleanupTestCase() { m_conn.reset(); }
};

QTEST_GUILESS_MAIN(tst_NatsConnection)
#include "tst_natsconnection.moc"
