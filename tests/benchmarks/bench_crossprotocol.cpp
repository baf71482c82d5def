// Cross-protocol benchmark (not a test), driven by tests/benchmarks/bench-crossprotocol.sh against a running
// mainflux-backend (docs/BENCHMARKS.md, "Cross-protocol latency and idle connections").
//
//   bench_crossprotocol latency <pair> <rate/s> <messages> <http base> <ws port> <mqtt port> <coap port> <channel>
//                               <pub id> <pub key> <sub id> <sub key>
//       pair = http-mqtt | mqtt-ws | coap-mqtt | ws-coap. Publishes `messages` SenML packs at `rate` per second
//       (paced on a 1 ms timer, catching up when late) and prints one JSON line with the latency percentiles from
//       the publish call to the subscriber's receipt (both in this process, same clock).
//   bench_crossprotocol idle-mqtt <n> <mqtt port> <thing id> <key> <pid>
//   bench_crossprotocol idle-ws <n> <ws port> <channel> <key> <pid>
//       Opens n idle connections (MQTT CONNECT with keep-alive 0 / WebSocket handshake; server pings are answered)
//       and prints the VmRSS of process `pid` before and after, and per connection.
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QFile>
#include <QHostAddress>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSocketNotifier>
#include <QTcpSocket>
#include <QTimer>
#include <QWebSocket>
#include <algorithm>
#include <chrono>
#include <coap3/coap.h>
#include <cstdio>
#include <mqtt/async_client.h>
#include <mutex>

using namespace Qt::StringLiterals;
using Clock = std::chrono::steady_clock;

namespace {

QByteArray arg(int i)
{
    return QCoreApplication::arguments().value(i).toLatin1();
}

long rssKb(const QByteArray &pid)
{
    QFile f(u"/proc/"_s + QString::fromLatin1(pid) + u"/status"_s);
    if (!f.open(QIODevice::ReadOnly)) return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:")) return line.mid(6).trimmed().split(' ').first().toLong();
    return -1;
}

QByteArray payloadFor(int seq)
{
    return "[{\"bn\":\"bench:\",\"n\":\"seq\",\"v\":" + QByteArray::number(seq) + "}]";
}
int seqOf(const QByteArray &payload)
{
    const qsizetype at = payload.indexOf("\"v\":");
    if (at < 0) return -1;
    bool ok = false;
    const int seq = payload.mid(at + 4, payload.indexOf('}', at) - at - 4).toInt(&ok);
    return ok ? seq : -1;
}

// libcoap client context driven by the Qt loop (its fd plus a 1 ms timer for retransmissions).
class Coap
{
public:
    std::function<void(const QByteArray &)> onPayload;

    explicit Coap(quint16 port)
    {
        coap_startup();
        m_ctx = coap_new_context(nullptr);
        coap_set_app_data(m_ctx, this);
        coap_context_set_block_mode(m_ctx, COAP_BLOCK_USE_LIBCOAP | COAP_BLOCK_SINGLE_BODY);
        coap_register_response_handler(m_ctx, [](coap_session_t *s, const coap_pdu_t *, const coap_pdu_t *r,
                                                 const coap_mid_t) {
            auto *self = static_cast<Coap *>(coap_get_app_data(coap_session_get_context(s)));
            size_t length = 0, offset = 0, total = 0;
            const uint8_t *data = nullptr;
            if (coap_pdu_get_code(r) == COAP_RESPONSE_CODE(205) && coap_get_data_large(r, &length, &data, &offset, &total) &&
                self->onPayload)
                self->onPayload(QByteArray(reinterpret_cast<const char *>(data), qsizetype(length)));
            return COAP_RESPONSE_OK;
        });
        coap_address_t dst;
        coap_address_init(&dst);
        dst.addr.sin.sin_family = AF_INET;
        dst.addr.sin.sin_addr.s_addr = htonl(0x7f000001);
        dst.addr.sin.sin_port = htons(port);
        dst.size = sizeof(dst.addr.sin);
        m_session = coap_new_client_session(m_ctx, nullptr, &dst, COAP_PROTO_UDP);
        m_notifier = new QSocketNotifier(coap_context_get_coap_fd(m_ctx), QSocketNotifier::Read);
        QObject::connect(m_notifier, &QSocketNotifier::activated, [this] { process(); });
        m_timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&m_timer, &QTimer::timeout, [this] { process(); });
        m_timer.start(1);
    }
    void process() { coap_io_process(m_ctx, COAP_IO_NO_WAIT); }
    void send(coap_pdu_code_t method, bool con, const QByteArray &path, const QByteArray &key,
              const QByteArray &payload, bool observe)
    {
        coap_pdu_t *pdu = coap_pdu_init(con ? COAP_MESSAGE_CON : COAP_MESSAGE_NON, method,
                                        coap_new_message_id(m_session), coap_session_max_pdu_size(m_session));
        uint8_t token[8];
        size_t tokenLength = 0;
        coap_session_new_token(m_session, &tokenLength, token);
        coap_add_token(pdu, tokenLength, token);
        coap_optlist_t *options = nullptr;
        uint8_t buf[4];
        if (observe)
            coap_insert_optlist(&options, coap_new_optlist(COAP_OPTION_OBSERVE,
                                                           coap_encode_var_safe(buf, sizeof buf, COAP_OBSERVE_ESTABLISH), buf));
        for (const QByteArray &segment : path.split('/'))
            coap_insert_optlist(&options, coap_new_optlist(COAP_OPTION_URI_PATH, size_t(segment.size()),
                                                           reinterpret_cast<const uint8_t *>(segment.constData())));
        if (!payload.isEmpty())
            coap_insert_optlist(&options, coap_new_optlist(COAP_OPTION_CONTENT_FORMAT,
                                                           coap_encode_var_safe(buf, sizeof buf, 110), buf));
        const QByteArray query = "authorization=" + key;
        coap_insert_optlist(&options, coap_new_optlist(COAP_OPTION_URI_QUERY, size_t(query.size()),
                                                       reinterpret_cast<const uint8_t *>(query.constData())));
        coap_add_optlist_pdu(pdu, &options);
        coap_delete_optlist(options);
        if (!payload.isEmpty())
            coap_add_data(pdu, size_t(payload.size()), reinterpret_cast<const uint8_t *>(payload.constData()));
        coap_send(m_session, pdu);
        process();
    }

private:
    coap_context_t *m_ctx = nullptr;
    coap_session_t *m_session = nullptr;
    QSocketNotifier *m_notifier = nullptr;
    QTimer m_timer;
};

int latency()
{
    const QString pair = QString::fromLatin1(arg(2));
    const int rate = arg(3).toInt(), total = arg(4).toInt();
    const QByteArray httpBase = arg(5), channel = arg(9), pubId = arg(10), pubKey = arg(11), subId = arg(12),
                     subKey = arg(13);
    const quint16 wsPort = quint16(arg(6).toUInt()), mqttPort = quint16(arg(7).toUInt()),
                  coapPort = quint16(arg(8).toUInt());
    const QString from = pair.section(u'-', 0, 0), to = pair.section(u'-', 1, 1);
    const QByteArray path = "channels/" + channel + "/messages";
    const std::string topic = path.toStdString();

    std::mutex mutex;
    std::vector<Clock::time_point> sentAt(static_cast<size_t>(total)), receivedAt(static_cast<size_t>(total));
    std::vector<int> copies(size_t(total), 0);
    int receivedCount = 0, duplicates = 0;
    std::atomic<bool> probeSeen{false};
    const auto onPayload = [&](const QByteArray &payload) {
        const auto now = Clock::now();
        const int seq = seqOf(payload);
        if (seq >= total) probeSeen = true;
        std::lock_guard lock(mutex);
        if (seq < 0 || seq >= total) return;
        if (copies[size_t(seq)]++) {
            ++duplicates;
            return;
        }
        receivedAt[size_t(seq)] = now;
        ++receivedCount;
    };

    // Subscriber.
    std::unique_ptr<mqtt::async_client> mqttSub, mqttPub;
    std::unique_ptr<QWebSocket> wsSub, wsPub;
    std::unique_ptr<Coap> coapSub, coapPub;
    const auto mqttConnect = [&](const QByteArray &id, const QByteArray &key, const char *clientId) {
        auto c = std::make_unique<mqtt::async_client>(u"tcp://127.0.0.1:%1"_s.arg(mqttPort).toStdString(), clientId,
                                                      mqtt::create_options(MQTTVERSION_5));
        auto options = mqtt::connect_options_builder()
                           .mqtt_version(MQTTVERSION_5)
                           .clean_start(true)
                           .user_name(id.toStdString())
                           .password(key.toStdString())
                           .finalize();
        c->connect(options)->wait();
        return c;
    };
    if (to == "mqtt"_L1) {
        mqttSub = mqttConnect(subId, subKey, "bench-sub");
        mqttSub->set_message_callback(
            [&](mqtt::const_message_ptr m) { onPayload(QByteArray::fromStdString(m->to_string())); });
        mqttSub->subscribe(topic, 0)->wait();
    } else if (to == "ws"_L1) {
        wsSub = std::make_unique<QWebSocket>();
        QObject::connect(wsSub.get(), &QWebSocket::textMessageReceived,
                         [&](const QString &t) { onPayload(t.toUtf8()); });
        QNetworkRequest r(QUrl(u"ws://127.0.0.1:%1/%2"_s.arg(wsPort).arg(QString::fromLatin1(path))));
        r.setRawHeader("Authorization", "Thing " + subKey);
        wsSub->open(r);
    } else {
        coapSub = std::make_unique<Coap>(coapPort);
        coapSub->onPayload = [&](const QByteArray &p) {
            if (!p.isEmpty()) onPayload(p);
        };
        coapSub->send(COAP_REQUEST_CODE_GET, true, path, subKey, {}, true);
    }

    // Publisher.
    QNetworkAccessManager http;
    if (from == "mqtt"_L1) mqttPub = mqttConnect(pubId, pubKey, "bench-pub");
    if (from == "ws"_L1) {
        wsPub = std::make_unique<QWebSocket>();
        QNetworkRequest r(QUrl(u"ws://127.0.0.1:%1/%2?content-type=application/senml%2Bjson"_s.arg(wsPort).arg(
            QString::fromLatin1(path))));
        r.setRawHeader("Authorization", "Thing " + pubKey);
        bool open = false;
        QObject::connect(wsPub.get(), &QWebSocket::connected, [&] { open = true; });
        wsPub->open(r);
        const QDeadlineTimer d(10000);
        while (!open && !d.hasExpired())
            QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    }
    if (from == "coap"_L1) coapPub = std::make_unique<Coap>(coapPort);
    int httpErrors = 0;
    const auto publish = [&](const QByteArray &payload) {
        if (from == "http"_L1) {
            QNetworkRequest r(QUrl(QString::fromLatin1(httpBase + "/http/" + path)));
            r.setRawHeader("Content-Type", "application/senml+json");
            r.setRawHeader("Authorization", "Thing " + pubKey);
            QNetworkReply *reply = http.post(r, payload);
            QObject::connect(reply, &QNetworkReply::finished, reply, [&, reply] {
                if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 202) ++httpErrors;
                reply->deleteLater();
            });
        } else if (from == "mqtt"_L1) {
            auto m = mqtt::make_message(topic, payload.constData(), size_t(payload.size()), 0, false);
            mqttPub->publish(m);
        } else if (from == "ws"_L1) {
            wsPub->sendTextMessage(QString::fromLatin1(payload));
        } else {
            coapPub->send(COAP_REQUEST_CODE_POST, false, path, pubKey, payload, false);
        }
    };

    // Warm-up: probes (sequence numbers past the range) every 200 ms until the subscriber sees one.
    for (int probe = total; !probeSeen && probe < total + 75; ++probe) {
        if (from != "ws"_L1 || wsPub->state() == QAbstractSocket::ConnectedState) publish(payloadFor(probe));
        const QDeadlineTimer step(200);
        while (!step.hasExpired() && !probeSeen)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    }
    if (!probeSeen) {
        fprintf(stderr, "%s: the subscriber never saw a probe\n", qPrintable(pair));
        return 1;
    }
    // Let late probes drain.
    for (const QDeadlineTimer d(300); !d.hasExpired();)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);

    const auto start = Clock::now();
    int next = 0;
    QTimer pacer;
    pacer.setTimerType(Qt::PreciseTimer);
    QObject::connect(&pacer, &QTimer::timeout, [&] {
        const auto now = Clock::now();
        while (next < total && start + std::chrono::microseconds(qint64(next) * 1000000 / rate) <= now) {
            sentAt[size_t(next)] = Clock::now();
            publish(payloadFor(next));
            ++next;
        }
        if (next >= total) pacer.stop();
    });
    pacer.start(1);
    const QDeadlineTimer deadline(qint64(total) * 1000 / rate + 15000);
    while (!deadline.hasExpired()) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        std::lock_guard lock(mutex);
        if (next >= total && receivedCount >= total) break;
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::vector<double> ms;
    {
        std::lock_guard lock(mutex);
        for (int i = 0; i < total; ++i)
            if (copies[size_t(i)]) ms.push_back(std::chrono::duration<double, std::milli>(receivedAt[size_t(i)] - sentAt[size_t(i)]).count());
    }
    std::sort(ms.begin(), ms.end());
    const auto at = [&](double p) { return ms.empty() ? -1.0 : ms[std::min(ms.size() - 1, size_t(p * double(ms.size())))]; };
    printf("{\"pair\":\"%s\",\"rate\":%d,\"messages\":%d,\"received\":%d,\"duplicates\":%d,\"http_errors\":%d,"
           "\"seconds\":%.2f,\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f}\n",
           qPrintable(pair), rate, total, int(ms.size()), duplicates, httpErrors, seconds, at(0.5), at(0.9), at(0.99),
           ms.empty() ? -1.0 : ms.back());
    fflush(stdout);
    if (mqttSub) mqttSub->disconnect()->wait();
    if (mqttPub) mqttPub->disconnect()->wait();
    return int(ms.size()) == total ? 0 : 1;
}

// One MQTT CONNECT (3.1.1, keep-alive 0 = never pinged, clean session).
QByteArray mqttConnectPacket(const QByteArray &clientId, const QByteArray &user, const QByteArray &password)
{
    const auto str = [](const QByteArray &s) -> QByteArray { return QByteArray(1, char(s.size() >> 8)) + char(s.size() & 0xff) + s; };
    const QByteArray variable = str("MQTT") + char(4) + char(0xC2) + char(0) + char(0);
    const QByteArray body = variable + str(clientId) + str(user) + str(password);
    QByteArray packet(1, char(0x10));
    int length = int(body.size());
    do {
        char byte = char(length % 128);
        length /= 128;
        if (length) byte = char(byte | 0x80);
        packet += byte;
    } while (length);
    return packet + body;
}

int idle(bool mqtt)
{
    const int n = arg(2).toInt();
    const quint16 port = quint16(arg(3).toUInt());
    const QByteArray a = arg(4), key = arg(5), pid = arg(6);
    const long before = rssKb(pid);
    std::vector<std::unique_ptr<QTcpSocket>> sockets;
    sockets.reserve(size_t(n));
    int accepted = 0, refused = 0, started = 0;
    const auto open = [&] {
        auto s = std::make_unique<QTcpSocket>();
        QTcpSocket *raw = s.get();
        auto *done = new bool(false);
        QObject::connect(raw, &QTcpSocket::destroyed, [done] { delete done; });
        QObject::connect(raw, &QTcpSocket::connected, raw, [=] {
            if (mqtt) {
                raw->write(mqttConnectPacket("idle-" + QByteArray::number(started), a, key));
            } else {
                raw->write("GET /channels/" + a + "/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Thing " +
                           key +
                           "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
            }
        });
        QObject::connect(raw, &QTcpSocket::readyRead, raw, [=, &accepted, &refused] {
            const QByteArray data = raw->readAll();
            if (!*done) {
                *done = true;
                const bool ok = mqtt ? (data.size() >= 4 && quint8(data[0]) == 0x20 && data[3] == 0)
                                     : data.startsWith("HTTP/1.1 101");
                ok ? ++accepted : ++refused;
                return;
            }
            // WebSocket server ping (unmasked 0x89 <len> <payload>): answer with a masked pong.
            if (!mqtt && data.size() >= 2 && quint8(data[0]) == 0x89) {
                const int len = data[1] & 0x7f;
                raw->write(QByteArray(1, char(0x8A)) + char(0x80 | len) + QByteArray(4, '\0') + data.mid(2, len));
            }
        });
        QObject::connect(raw, &QTcpSocket::errorOccurred, raw, [=, &refused](QAbstractSocket::SocketError e) {
            if (!*done && e != QAbstractSocket::RemoteHostClosedError) {
                *done = true;
                ++refused;
                fprintf(stderr, "socket %d: %s\n", started, qPrintable(raw->errorString()));
            }
        });
        raw->connectToHost(QHostAddress::LocalHost, port);
        sockets.push_back(std::move(s));
        ++started;
    };
    const auto t0 = Clock::now();
    while (accepted + refused < n) {
        while (started < n && started - accepted - refused < 200)
            open();
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        if (Clock::now() - t0 > std::chrono::seconds(120)) break;
    }
    const double openSeconds = std::chrono::duration<double>(Clock::now() - t0).count();
    // Let the server settle (its allocations after the handshake), then measure.
    const auto settle = Clock::now();
    while (Clock::now() - settle < std::chrono::seconds(3))
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    int alive = 0;
    for (const auto &s : sockets)
        alive += s->state() == QAbstractSocket::ConnectedState;
    const long after = rssKb(pid);
    printf("{\"kind\":\"%s\",\"requested\":%d,\"accepted\":%d,\"refused\":%d,\"alive\":%d,\"open_seconds\":%.1f,"
           "\"rss_before_kb\":%ld,\"rss_after_kb\":%ld,\"per_connection_kb\":%.2f}\n",
           mqtt ? "mqtt" : "ws", n, accepted, refused, alive, openSeconds, before, after,
           alive ? double(after - before) / alive : 0.0);
    fflush(stdout);
    for (auto &s : sockets)
        s->abort();
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QByteArray mode = arg(1);
    if (mode == "latency" && argc == 14) return latency();
    if (mode == "idle-mqtt" && argc == 7) return idle(true);
    if (mode == "idle-ws" && argc == 7) return idle(false);
    fprintf(stderr, "usage: see the head of bench_crossprotocol.cpp\n");
    return 2;
}
