// What one client without credentials can make the REST and HTTP adapter ports hold (issue 20, defect 4), and a
// client that half-closes after sending (defect 5): header floods, slowloris, idle sockets, connections per address.
// The backend runs in this process, so its memory is this process's RSS. No raw string literals (moc 6.4).
#include "api/metrics.h"
#include "testbackend.h"

#include <QFile>
#include <QTcpSocket>
#include <QTest>

#include <sys/socket.h>

using namespace Qt::StringLiterals;
using namespace mf;
using mf::testing::HttpReply;

namespace {

// A field of /proc/self/status in KiB (VmRSS: resident now; VmHWM: the peak since the last reset).
qint64 procStatusKb(const QByteArray &field)
{
    QFile file(u"/proc/self/status"_s);
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : file.readAll().split('\n'))
        if (line.startsWith(QByteArray(field + ':')))
            return line.mid(field.size() + 1).trimmed().split(' ').first().toLongLong();
    return -1;
}

// Resets VmHWM to the current RSS (Linux ≥ 4.0), so that the peak read later is the flood's.
void resetPeakRss()
{
    QFile file(u"/proc/self/clear_refs"_s);
    if (file.open(QIODevice::WriteOnly))
        file.write("5");
}

std::unique_ptr<QTcpSocket> connectFrom(quint16 port, const QHostAddress &from = {})
{
    auto socket = std::make_unique<QTcpSocket>();
    if (!from.isNull())
        socket->bind(from);
    socket->connectToHost(QHostAddress::LocalHost, port);
    if (!socket->waitForConnected(5000))
        return nullptr;
    return socket;
}

// Reads until the server closed the connection (or `ms` passed); returns what arrived.
QByteArray readUntilClosed(QTcpSocket &socket, int ms = 10000)
{
    QByteArray received;
    (void)QTest::qWaitFor(
        [&] {
            received += socket.readAll();
            return socket.state() == QAbstractSocket::UnconnectedState;
        },
        ms);
    return received + socket.readAll();
}

int statusOf(const QByteArray &answer)
{
    return answer.startsWith("HTTP/1.1 ") ? answer.mid(9, 3).toInt() : 0;
}

} // namespace

class TestHttpLimits : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<testing::TestBackend> m_be;
    QByteArray m_token;
    QString m_channel, m_thing, m_key;

    void start(QHash<QString, QString> extra = {})
    {
        extra.insert(u"MF_HTTP_ADAPTER_PORT"_s, u"0"_s);
        m_be = std::make_unique<testing::TestBackend>(extra);
        QVERIFY2(m_be->isRunning(), qPrintable(m_be->startError()));
        m_be->createUser(u"ann@example.com"_s);
        m_token = m_be->token(u"ann@example.com"_s);
        const HttpReply thing = m_be->post(u"/things"_s, {{u"name"_s, u"t"_s}}, m_token);
        m_thing = thing.json().value("id"_L1).toString();
        m_key = thing.json().value("key"_L1).toString();
        m_channel = m_be->post(u"/channels"_s, {{u"name"_s, u"c"_s}}, m_token).json().value("id"_L1).toString();
        QCOMPARE(m_be->request("PUT", u"/channels/%1/things/%2"_s.arg(m_channel, m_thing), {}, {}, m_token).status, 200);
    }
    quint16 port(const QString &which)
    {
        return which == "adapter"_L1 ? m_be->backend().httpAdapterPort() : m_be->backend().httpPort();
    }
    double refused(const QByteArray &reason)
    {
        return m_be->backend().metrics().value("mf_http_refused_total", "reason=\"" + reason + '"');
    }
    int storedCount()
    {
        return m_be->get(u"/channels/%1/messages"_s.arg(m_channel), m_token).json().value("total"_L1).toInt();
    }
    // Published after everything a case sent: the stream stores in order, so once the sentinel is stored anything the
    // case wrongly let through is stored too, and the count proves "nothing more" without waiting for time to pass.
    bool sentinelStored()
    {
        const int status =
            m_be->request("POST", u"http://127.0.0.1:%1/channels/%2/messages"_s.arg(port(u"adapter"_s)).arg(m_channel),
                          "[{\"n\":\"sentinel\",\"v\":1}]", "application/senml+json", m_key.toLatin1())
                .status;
        return status == 202 && QTest::qWaitFor(
                                    [this] {
                                        return m_be->get(u"/channels/%1/messages?name=sentinel"_s.arg(m_channel), m_token)
                                                   .json()
                                                   .value("total"_L1)
                                                   .toInt() > 0;
                                    },
                                    10000);
    }
    bool goodClientServed()
    {
        return m_be->get(u"/health"_s, {}).status == 200 &&
               m_be->request("POST", u"http://127.0.0.1:%1/channels/%2/messages"_s.arg(port(u"adapter"_s)).arg(m_channel),
                             "[{\"n\":\"ok\",\"v\":1}]", "application/senml+json", m_key.toLatin1())
                       .status == 202;
    }

private slots:
    void cleanup() { m_be.reset(); }

    // Ten connections each send a 50 MB header line (or request line). Unbounded, Qt 6.4 holds every byte twice
    // (its parser's line buffer and the socket transaction): ~1 GB. Bounded, the gate refuses each at 16 KiB.
    void headerFloodStaysBounded_data()
    {
        QTest::addColumn<QString>("port");
        QTest::addColumn<QByteArray>("prefix");
        QTest::addColumn<QByteArray>("reason");
        QTest::addRow("REST port, header line") << u"rest"_s << QByteArray("GET /things HTTP/1.1\r\nX-Flood: ")
                                                << QByteArray("header too large");
        QTest::addRow("HTTP adapter port, header line") << u"adapter"_s << QByteArray("POST /channels HTTP/1.1\r\nX: ")
                                                        << QByteArray("header too large");
        QTest::addRow("REST port, request line") << u"rest"_s << QByteArray("GET /") << QByteArray("request line too long");
    }
    void headerFloodStaysBounded()
    {
        QFETCH(QString, port);
        QFETCH(QByteArray, prefix);
        QFETCH(QByteArray, reason);
        start();
        constexpr int Connections = 10;
        constexpr qint64 FloodBytes = 50 * 1000 * 1000;
        constexpr qint64 CeilingKb = 64 * 1024; // above the RSS before the flood
        QVERIFY(goodClientServed());
        const qint64 baseline = procStatusKb("VmRSS");
        resetPeakRss();

        std::vector<std::unique_ptr<QTcpSocket>> flooders;
        std::vector<qint64> sent(Connections, 0);
        for (int i = 0; i < Connections; ++i) {
            flooders.push_back(connectFrom(this->port(port)));
            QVERIFY(flooders.back());
            flooders.back()->write(prefix);
        }
        const QByteArray chunk(64 * 1024, 'a');
        qint64 peak = baseline;
        for (int round = 0;; ++round) {
            bool active = false;
            for (int i = 0; i < Connections; ++i) {
                QTcpSocket &s = *flooders[size_t(i)];
                s.readAll();
                if (s.state() != QAbstractSocket::ConnectedState || sent[size_t(i)] >= FloodBytes)
                    continue;
                active = true;
                if (s.bytesToWrite() < 4 * chunk.size()) { // keep this side's buffers small: measure the server
                    s.write(chunk);
                    sent[size_t(i)] += chunk.size();
                }
            }
            QTest::qWait(1);
            peak = qMax(peak, procStatusKb("VmRSS"));
            if (round % 200 == 0)
                QVERIFY2(goodClientServed(), "a good client is served during the flood");
            if (!active || peak - baseline > CeilingKb)
                break;
        }
        peak = qMax(peak, procStatusKb("VmHWM"));
        qint64 total = 0;
        for (qint64 n : sent)
            total += n;
        qInfo("flood %s: %lld MB sent in all; RSS before %lld KiB, largest during %lld KiB (+%lld KiB)",
              QTest::currentDataTag(), total / 1000000, baseline, peak, peak - baseline);
        QVERIFY2(peak - baseline <= CeilingKb, qPrintable(u"RSS grew by %1 KiB"_s.arg(peak - baseline)));
        for (const auto &s : flooders)
            QTRY_COMPARE(s->state(), QAbstractSocket::UnconnectedState); // the server closed every one
        QCOMPARE(refused(reason), double(Connections));
        QVERIFY2(goodClientServed(), "a good client is served after the flood");
    }

    // Slowloris: heads that trickle in are answered 408 and closed once the header timeout is over; idle
    // connections (nothing sent, or nothing after an answer) are closed after the idle timeout.
    void slowAndIdleConnectionsAreClosed()
    {
        start({{u"MF_HTTP_HEADER_TIMEOUT_MS"_s, u"1500"_s}, {u"MF_HTTP_IDLE_TIMEOUT_MS"_s, u"3000"_s}});
        std::vector<std::unique_ptr<QTcpSocket>> slow, idle, keptAlive;
        for (int i = 0; i < 20; ++i) {
            slow.push_back(connectFrom(port(i % 2 ? u"adapter"_s : u"rest"_s)));
            QVERIFY(slow.back());
            slow.back()->write("GET /health HTTP/1.1\r\nHost: x\r\n");
        }
        for (int i = 0; i < 50; ++i) {
            idle.push_back(connectFrom(port(i % 2 ? u"adapter"_s : u"rest"_s)));
            QVERIFY(idle.back());
        }
        for (int i = 0; i < 5; ++i) {
            keptAlive.push_back(connectFrom(port(u"rest"_s)));
            QVERIFY(keptAlive.back());
            keptAlive.back()->write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
        }
        // The slow ones keep sending a header byte now and then, well within any per-read timeout.
        QByteArray answers;
        const bool slowClosed = QTest::qWaitFor(
            [&] {
                bool all = true;
                for (const auto &s : slow) {
                    answers += s->readAll();
                    if (s->state() == QAbstractSocket::ConnectedState) {
                        s->write("X");
                        all = false;
                    }
                }
                return all;
            },
            10000);
        QVERIFY2(slowClosed, "slowloris connections are closed after the header timeout");
        QCOMPARE(answers.count("HTTP/1.1 408 "), 20);
        QCOMPARE(refused("header timeout"), 20.0);
        QVERIFY(goodClientServed());
        for (const auto &s : keptAlive) {
            QTRY_COMPARE(statusOf(s->peek(12)), 200);
            s->readAll();
        }
        for (const auto &s : idle)
            QTRY_COMPARE_WITH_TIMEOUT(s->state(), QAbstractSocket::UnconnectedState, 10000);
        for (const auto &s : keptAlive)
            QTRY_COMPARE_WITH_TIMEOUT(s->state(), QAbstractSocket::UnconnectedState, 10000);
        QVERIFY(m_be->backend().metrics().value("mf_http_idle_closed_total") >= 55);
        QVERIFY(goodClientServed());
    }

    // One address may hold at most MF_HTTP_MAX_CONNECTIONS_PER_ADDRESS connections; the next is answered 503 and
    // closed; other addresses are served meanwhile, and the address again once one of its connections is gone.
    void connectionsPerAddressAreLimited()
    {
        start({{u"MF_HTTP_MAX_CONNECTIONS_PER_ADDRESS"_s, u"8"_s}});
        const QHostAddress other(u"127.0.0.2"_s);
        std::vector<std::unique_ptr<QTcpSocket>> held;
        for (int i = 0; i < 8; ++i) {
            held.push_back(connectFrom(port(u"rest"_s), other));
            QVERIFY(held.back());
            held.back()->write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
            QTRY_VERIFY(statusOf(held.back()->peek(12)) == 200);
            held.back()->readAll();
        }
        auto refusedOne = connectFrom(port(u"rest"_s), other);
        QVERIFY(refusedOne);
        const QByteArray answer = readUntilClosed(*refusedOne);
        QCOMPARE(statusOf(answer), 503);
        QVERIFY2(answer.contains("connections from this address"), answer.constData());
        QCOMPARE(refused("too many connections from address"), 1.0);
        QVERIFY(goodClientServed()); // 127.0.0.1 is another address
        for (const auto &s : held)
            QCOMPARE(s->state(), QAbstractSocket::ConnectedState); // the held ones are untouched

        held.front()->disconnectFromHost();
        held.erase(held.begin());
        // Once the server has seen that close, the address is served again (until then a new one may get 503).
        bool servedAgain = false;
        for (int attempt = 0; attempt < 50 && !servedAgain; ++attempt) {
            auto again = connectFrom(port(u"rest"_s), other);
            QVERIFY(again);
            again->write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
            QTRY_VERIFY(statusOf(again->peek(12)) != 0 || again->state() == QAbstractSocket::UnconnectedState);
            servedAgain = statusOf(again->readAll()) == 200;
        }
        QVERIFY(servedAgain);
    }

    // Issue 20 on the wire, as curl sends it: a 4,100-character subtopic and a dot-only token are refused with the
    // reason (they once cut the bus off, or were stored as "a"), nothing is stored, and a good publish gets 202.
    void badSubtopicsOnTheWire_data()
    {
        QTest::addColumn<QString>("port");
        QTest::addColumn<QByteArray>("subtopic");
        QTest::addColumn<QByteArray>("reason");
        QTest::addRow("REST port, 4100 characters") << u"rest"_s << QByteArray(4100, 's') << QByteArray("at most 1024");
        QTest::addRow("adapter port, 4100 characters") << u"adapter"_s << QByteArray(4100, 's') << QByteArray("at most 1024");
        QTest::addRow("REST port, a/%%2e%%2e") << u"rest"_s << QByteArray("a/%2e%2e") << QByteArray("only of dots");
        QTest::addRow("adapter port, a/..") << u"adapter"_s << QByteArray("a/..") << QByteArray("only of dots");
    }
    void badSubtopicsOnTheWire()
    {
        QFETCH(QString, port);
        QFETCH(QByteArray, subtopic);
        QFETCH(QByteArray, reason);
        start();
        const QByteArray prefix = port == "rest"_L1 ? "/http" : "";
        auto socket = connectFrom(this->port(port));
        QVERIFY(socket);
        socket->write("POST " + prefix + "/channels/" + m_channel.toLatin1() + "/messages/" + subtopic +
                      " HTTP/1.1\r\nHost: x\r\nAuthorization: Thing " + m_key.toLatin1() +
                      "\r\nContent-Type: application/senml+json\r\nContent-Length: 17\r\n\r\n[{\"n\":\"x\",\"v\":1}]");
        QTRY_VERIFY(socket->peek(4096).contains("}"));
        const QByteArray answer = socket->readAll();
        QVERIFY2(statusOf(answer) == 400 && answer.contains(reason), answer.constData());
        QVERIFY(goodClientServed()); // a good publish is accepted (202) and the bus is still there
        QTRY_COMPARE(storedCount(), 1);
        QVERIFY(sentinelStored());
        QCOMPARE(storedCount(), 2); // that one and the sentinel
    }

    // A client that half-closes after its request (nc -N, shutdown(SHUT_WR)) gets its answer, from synchronous
    // routes and from deferred ones (a publish answered on the stream's ack), and the request is carried out once.
    void halfClosedClientGetsTheAnswer_data()
    {
        QTest::addColumn<QString>("port");
        QTest::addColumn<QByteArray>("request"); // {ch}, {key}, {token}
        QTest::addColumn<int>("status");
        const QByteArray senml = "[{\"n\":\"half\",\"v\":1}]";
        QTest::addRow("publish on the REST port")
            << u"rest"_s
            << "POST /http/channels/{ch}/messages HTTP/1.1\r\nHost: x\r\nAuthorization: Thing {key}\r\n"
               "Content-Type: application/senml+json\r\nContent-Length: 20\r\n\r\n" + senml
            << 202;
        QTest::addRow("publish on the HTTP adapter port")
            << u"adapter"_s
            << "POST /channels/{ch}/messages HTTP/1.1\r\nHost: x\r\nAuthorization: {key}\r\n"
               "Content-Type: application/senml+json\r\nContent-Length: 20\r\n\r\n" + senml
            << 202;
        QTest::addRow("create a thing") << u"rest"_s
                                        << QByteArray("POST /things HTTP/1.1\r\nHost: x\r\nAuthorization: {token}\r\n"
                                                      "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
                                        << 201;
    }
    void halfClosedClientGetsTheAnswer()
    {
        QFETCH(QString, port);
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        start();
        request.replace("{ch}", m_channel.toLatin1()).replace("{key}", m_key.toLatin1()).replace("{token}", m_token);
        const int thingsBefore = m_be->get(u"/things"_s, m_token).json().value("total"_L1).toInt();
        auto socket = connectFrom(this->port(port));
        QVERIFY(socket);
        socket->write(request);
        QVERIFY(socket->waitForBytesWritten(5000));
        QCOMPARE(::shutdown(int(socket->socketDescriptor()), SHUT_WR), 0);
        const QByteArray answer = readUntilClosed(*socket);
        QVERIFY2(statusOf(answer) == status, answer.constData());
        if (status == 202) {
            QTRY_COMPARE(storedCount(), 1);
            QVERIFY(sentinelStored());
            QCOMPARE(storedCount(), 2); // that one and the sentinel
        } else {
            QCOMPARE(m_be->get(u"/things"_s, m_token).json().value("total"_L1).toInt(), thingsBefore + 1);
        }
        QVERIFY(goodClientServed());
    }
};

QTEST_GUILESS_MAIN(TestHttpLimits)
#include "tst_httplimits.moc"
