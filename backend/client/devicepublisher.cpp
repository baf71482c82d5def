#include "devicepublisher.h"

#include "tlsrelay.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QPointer>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>
#include <chrono>
#include <mqtt/async_client.h>
#include <thread>

using namespace Qt::StringLiterals;

namespace mf::client {

namespace {
QString path(const DeviceTarget &target)
{
    QString path = u"channels/"_s + target.channelId + u"/messages"_s;
    const QString subtopic = target.subtopic.trimmed();
    if (!subtopic.isEmpty()) path += u'/' + subtopic;
    return path;
}
} // namespace

Pending<void> publishOverWebSocket(const DeviceTarget &target, const QByteArray &payload, int answerMs)
{
    Pending<void> pending;
    auto *socket = new QWebSocket;
    auto *answer = new QTimer(socket);
    answer->setSingleShot(true);
    const auto done = [pending, socket](Result<void> result) {
        pending.finish(std::move(result));
        socket->disconnect();
        socket->close();
        socket->deleteLater();
    };
    QObject::connect(socket, &QWebSocket::connected, socket, [socket, answer, payload, answerMs] {
        socket->sendTextMessage(QString::fromUtf8(payload));
        answer->start(answerMs);
    });
    QObject::connect(answer, &QTimer::timeout, socket, [done] { done({}); });
    // Nothing at all within 10 s (a port that swallows the handshake): give up with a reason.
    QTimer::singleShot(10'000, socket,
                       [done] { done(fail(ErrorCode::Unavailable, u"no answer from the WebSocket adapter"_s)); });
    QObject::connect(socket, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error), socket,
                     [done, socket, answer](QAbstractSocket::SocketError) {
                         if (!answer->isActive()) done(fail(ErrorCode::Unavailable, socket->errorString()));
                     });
    QObject::connect(socket, &QWebSocket::textMessageReceived, socket, [done](const QString &text) {
        const QString error = QJsonDocument::fromJson(text.toUtf8()).object().value("error"_L1).toString();
        if (!error.isEmpty()) done(fail(ErrorCode::Malformed, error));
    });
    QObject::connect(socket, &QWebSocket::disconnected, socket, [done, socket, answer] {
        // Before the frame was answered (or sent): the handshake was refused or the connection dropped.
        if (answer->isActive()) return done({}); // sent; the adapter closed afterwards
        done(fail(ErrorCode::Unavailable,
                  socket->errorString().isEmpty() ? u"the WebSocket adapter closed"_s : socket->errorString()));
    });
    QUrl url;
    url.setScheme(target.tls ? u"wss"_s : u"ws"_s);
    url.setHost(target.host);
    url.setPort(target.port);
    url.setPath(u'/' + path(target));
    QNetworkRequest request(url);
    request.setRawHeader("Authorization", "Thing " + target.thingKey.toUtf8());
    if (!target.contentType.isEmpty()) request.setRawHeader("Content-Type", target.contentType.toUtf8());
    if (target.tls) applyTrust(socket, target.trust, {});
    socket->open(request);
    return pending;
}

Pending<void> publishOverMqtt(const DeviceTarget &target, const QByteArray &payload)
{
    Pending<void> pending;
    QObject *home = QCoreApplication::instance();
    const QString shown = u"%1://%2:%3"_s.arg(target.tls ? u"mqtts"_s : u"mqtt"_s, target.host).arg(target.port);
    QString host = target.host;
    int port = target.port;
    QPointer<TlsRelay> relay; // TLS under Paho, believed as target.trust says (tlsrelay.h says why)
    if (target.tls) {
        relay = new TlsRelay(target.host, target.port, target.trust);
        if (!relay->listen()) {
            delete relay;
            pending.finish(fail(ErrorCode::Internal, u"cannot open a loopback port for MQTT over TLS"_s));
            return pending;
        }
        host = u"127.0.0.1"_s;
        port = relay->port();
    }
    std::thread([pending, target, payload, shown, host, port, relay, home = QPointer<QObject>(home)] {
        Result<void> result;
        try {
            const std::string uri = u"tcp://%1:%2"_s.arg(host).arg(port).toStdString();
            const std::string clientId = u"mf-dashboard-%1"_s.arg(QString::number(quintptr(&result), 16)).toStdString();
            mqtt::async_client client(uri, clientId, mqtt::create_options(MQTTVERSION_5));
            const auto options = mqtt::connect_options_builder()
                                     .mqtt_version(MQTTVERSION_5)
                                     .clean_start(true)
                                     .user_name(target.thingId.toStdString())
                                     .password(target.thingKey.toStdString())
                                     .connect_timeout(std::chrono::seconds(5))
                                     .finalize();
            if (!client.connect(options)->wait_for(std::chrono::seconds(5)) || !client.is_connected()) {
                result = fail(ErrorCode::Unavailable, u"no answer from the MQTT broker at %1"_s.arg(shown));
            } else {
                auto message = mqtt::make_message(path(target).toStdString(), payload.constData(),
                                                  size_t(payload.size()), 1, false);
                if (!target.contentType.isEmpty()) {
                    mqtt::properties properties;
                    properties.add(mqtt::property(mqtt::property::CONTENT_TYPE, target.contentType.toStdString()));
                    message->set_properties(properties);
                }
                auto token = client.publish(message);
                if (!token->wait_for(std::chrono::seconds(5)))
                    result = fail(ErrorCode::Unavailable, u"the MQTT broker did not acknowledge the message"_s);
                else if (const int code = int(token->get_reason_code()); code >= 0x80)
                    result = fail(
                        code == 0x87 ? ErrorCode::Forbidden : ErrorCode::Malformed,
                        u"the MQTT broker refused the message (reason code 0x%1)"_s.arg(QString::number(code, 16)));
                client.disconnect()->wait_for(std::chrono::seconds(2));
            }
        } catch (const mqtt::exception &e) {
            const int code = e.get_reason_code();
            result = fail(code == 0x86 || code == 0x87 || code == 0x05 || code == 0x04 ? ErrorCode::Unauthenticated
                                                                                       : ErrorCode::Unavailable,
                          u"MQTT: %1"_s.arg(QString::fromStdString(e.what())));
        }
        if (home)
            QMetaObject::invokeMethod(
                home,
                [pending, result, relay, shown] {
                    Result<void> outcome = result;
                    if (relay) {
                        // Paho only saw a closed loopback connection; the relay knows what TLS refused.
                        if (!outcome && !relay->failure().isEmpty())
                            outcome = fail(ErrorCode::Unavailable,
                                           u"MQTT over TLS to %1: %2"_s.arg(shown, relay->failure()));
                        relay->deleteLater();
                    }
                    pending.finish(outcome);
                },
                Qt::QueuedConnection);
    }).detach();
    return pending;
}

} // namespace mf::client
