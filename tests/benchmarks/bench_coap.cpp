// CoAP adapter benchmark (not a test): publish throughput over CoAP (CON, one client, sequential and with several
// requests in flight) against HTTP publishing in the same run, and the latency from an HTTP publish to the CoAP
// Observe notification, against the HTTP 202 latency of the same publishes. Prints one line per figure.
#include "../adapters/coaptestclient.h"
#include "testbackend.h"

#include <QNetworkReply>
#include <QNetworkRequest>
#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;
using Clock = std::chrono::steady_clock;
using mf::testing::CoapTestClient;

namespace {

double ms(Clock::duration d)
{
    return std::chrono::duration<double, std::milli>(d).count();
}

QString percentiles(QList<double> v)
{
    std::sort(v.begin(), v.end());
    const auto at = [&](double p) { return v.at(std::min(v.size() - 1, qsizetype(p * double(v.size())))); };
    return u"p50 %1 ms  p99 %2 ms"_s.arg(at(0.50), 0, 'f', 3).arg(at(0.99), 0, 'f', 3);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int n = argc > 1 ? atoi(argv[1]) : 2000;
    qputenv("MF_TEST_DB", "sqlite");
    mf::testing::TestBackend be({{u"MF_LOG_LEVEL"_s, u"error"_s}});
    if (!be.isRunning()) {
        fprintf(stderr, "backend: %s\n", qPrintable(be.startError()));
        return 1;
    }
    be.createUser(u"bench@example.com"_s);
    const QByteArray token = be.token(u"bench@example.com"_s);
    const auto thing = [&](const QString &name) { return be.post(u"/things"_s, {{u"name"_s, name}}, token).json(); };
    const QJsonObject pub = thing(u"pub"_s), sub = thing(u"sub"_s);
    const QString channel = be.post(u"/channels"_s, {{u"name"_s, u"c"_s}}, token).json().value("id"_L1).toString();
    for (const QJsonObject &t : {pub, sub})
        be.request("PUT", u"/channels/%1/things/%2"_s.arg(channel, t.value("id"_L1).toString()), {}, {}, token);
    const QByteArray pubKey = pub.value("key"_L1).toString().toLatin1();
    const QByteArray body = "[{\"n\":\"dev:t\",\"u\":\"Cel\",\"v\":21.5}]";
    const quint16 port = be.backend().coapPort();

    CoapTestClient::Request post;
    post.path = "channels/" + channel.toLatin1() + "/messages";
    post.query = "authorization=" + pubKey;
    post.payload = body;
    post.contentFormat = 110;

    // HTTP baseline, sequential (one request at a time; blocking client on the same loop).
    auto start = Clock::now();
    for (int i = 0; i < n; ++i)
        if (be.request("POST", u"/http/channels/%1/messages"_s.arg(channel), body, "application/senml+json", pubKey)
                .status != 202)
            return 2;
    const double httpSeq = n / (ms(Clock::now() - start) / 1000);
    printf("http POST sequential:            %8.0f req/s\n", httpSeq);

    for (const int inFlight : {1, 8, 32}) {
        CoapTestClient client(port);
        coap_session_set_nstart(client.session(), unsigned(inFlight));
        int sent = 0;
        start = Clock::now();
        while (client.replyCount() < n) {
            while (sent < n && sent - client.replyCount() < inFlight) {
                client.send(post);
                ++sent;
            }
            client.waitFor([&, before = client.replyCount()] { return client.replyCount() > before; }, 10000);
        }
        const double rate = n / (ms(Clock::now() - start) / 1000);
        printf("coap POST CON, %2d in flight:     %8.0f req/s  (%.2fx http sequential)\n", inFlight, rate,
               rate / httpSeq);
    }

    // HTTP publish → CoAP notification latency; the HTTP 202 latency of the same publishes is the baseline.
    CoapTestClient observer(port);
    CoapTestClient::Request observe;
    observe.method = COAP_REQUEST_CODE_GET;
    observe.path = post.path;
    observe.query = "authorization=" + sub.value("key"_L1).toString().toLatin1();
    observe.observe = COAP_OBSERVE_ESTABLISH;
    const QByteArray obsToken = observer.send(observe);
    observer.waitFor([&] { return !observer.repliesFor(obsToken).isEmpty(); });
    QNetworkAccessManager nam;
    QList<double> notify, accepted;
    const int rounds = std::min(n, 1000);
    for (int i = 0; i < rounds; ++i) {
        const qsizetype before = observer.repliesFor(obsToken).size();
        QNetworkRequest request(QUrl(be.baseUrl() + u"/http/channels/%1/messages"_s.arg(channel)));
        request.setRawHeader("Authorization", pubKey);
        request.setRawHeader("Content-Type", "text/plain");
        const auto t0 = Clock::now();
        Clock::time_point t202;
        QNetworkReply *reply = nam.post(request, QByteArray::number(i));
        QObject::connect(reply, &QNetworkReply::finished, reply, [&t202] { t202 = Clock::now(); });
        observer.waitFor([&] { return observer.repliesFor(obsToken).size() > before && reply->isFinished(); });
        reply->deleteLater();
        notify.append(ms(observer.repliesFor(obsToken).last().receivedAt - t0));
        accepted.append(ms(t202 - t0));
    }
    printf("http publish → 202 (baseline):   %s\n", qPrintable(percentiles(accepted)));
    printf("http publish → coap notification: %s\n", qPrintable(percentiles(notify)));
    return 0;
}
