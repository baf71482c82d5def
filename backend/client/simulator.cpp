#include "simulator.h"

#include "devicepublisher.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QUrl>
#include <QWebSocket>
#include <cmath>
#include <mqtt/async_client.h>
#include <numbers>

using namespace Qt::StringLiterals;

namespace mf::client {

namespace {
// Refused by every adapter: a string where a number must be.
constexpr char InvalidPack[] = "[{\"n\":\"temp\",\"v\":\"not a number\"}]";

// A thing's WebSocket to the channel: its key and the content type in the headers (the channel may name none).
QNetworkRequest webSocketRequest(const QString &wsUrl, const QString &channelId, const QString &key)
{
    QNetworkRequest request(QUrl(wsUrl + u"/channels/"_s + channelId + u"/messages"_s));
    request.setRawHeader("Authorization", "Thing " + key.toUtf8());
    request.setRawHeader("Content-Type", "application/senml+json");
    return request;
}
} // namespace

struct Simulator::VirtualThing
{
    Thing thing;
    double phase = 0;
    double walk = 20;
    qint64 silentUntilMs = 0;
    std::unique_ptr<mqtt::async_client> mqtt;
    mqtt::token_ptr connecting, disconnecting;
    std::unique_ptr<QWebSocket> ws;
};

Simulator::Simulator(RestClient &client, SimulationPlan plan, QObject *parent)
    : QObject(parent), m_client(&client), m_plan(std::move(plan)), m_channelId(m_plan.channelId)
{
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &Simulator::publishNext);
    m_dropoutTimer.setInterval(std::max(1, m_plan.dropoutCheckMs));
    connect(&m_dropoutTimer, &QTimer::timeout, this, &Simulator::updateDropouts);
    m_connectTimer.setInterval(20);
    connect(&m_connectTimer, &QTimer::timeout, this, &Simulator::checkConnections);
}

Simulator::~Simulator()
{
    for (auto &t : m_things) {
        if (!t->mqtt) continue;
        try {
            if (t->disconnecting)
                t->disconnecting->wait_for(std::chrono::seconds(2));
            else if (t->mqtt->is_connected())
                t->mqtt->disconnect()->wait_for(std::chrono::seconds(2));
        } catch (const mqtt::exception &) {
        }
    }
}

Pending<void> Simulator::provision()
{
    Pending<void> done;
    if (!m_client) {
        done.finish(fail(ErrorCode::Unavailable, u"not connected to a server"_s));
        return done;
    }
    // Things, then their connections to the channel, then the devices' own connections (MQTT, WebSocket).
    const auto createThings = [this, done] {
        QJsonArray batch;
        for (int i = 0; i < m_plan.things; ++i)
            batch.append(QJsonObject{{u"name"_s, u"sim-%1"_s.arg(i + 1)}, {u"type"_s, u"device"_s}});
        m_client->createThings(batch).then(this, [this, done](const Result<QList<Thing>> &created) {
            if (!created) return done.finish(std::unexpected(created.error()));
            addThings(*created);
            if (!m_client) return done.finish(fail(ErrorCode::Unavailable, u"not connected to a server"_s));
            m_client->connectMany({m_channelId}, thingIds()).then(this, [this, done](const Result<void> &connected) {
                if (!connected) return done.finish(connected);
                m_connecting = done;
                openConnections();
            });
        });
    };
    if (!m_channelId.isEmpty()) {
        createThings();
        return done;
    }
    const QString name = u"sim-"_s + QDateTime::currentDateTimeUtc().toString(u"yyyyMMdd-HHmmss"_s);
    m_client->createChannel(QJsonObject{{u"name"_s, name}})
        .then(this, [this, done, createThings](const Result<Channel> &channel) {
            if (!channel) return done.finish(std::unexpected(channel.error()));
            m_channelId = channel->id;
            m_channelName = channel->name;
            m_createdChannel = true;
            if (!m_client) return done.finish(fail(ErrorCode::Unavailable, u"not connected to a server"_s));
            createThings();
        });
    return done;
}

void Simulator::addThings(const QList<Thing> &things)
{
    for (const Thing &t : things) {
        auto v = std::make_unique<VirtualThing>();
        v->thing = t;
        v->phase = QRandomGenerator::global()->bounded(2 * std::numbers::pi);
        v->walk = 15 + QRandomGenerator::global()->bounded(10.0);
        m_things.push_back(std::move(v));
    }
}

// All logins (MQTT) or handshakes (WebSocket) at once; checkConnections() follows them from a timer, so this thread's
// loop keeps turning (the backend may answer from it: tests run it in-process; the dashboard stays responsive).
void Simulator::openConnections()
{
    if (m_plan.protocol == "ws"_L1) {
        for (auto &t : m_things)
            openWebSocket(*t);
    } else if (m_plan.protocol == "mqtt"_L1) {
        for (auto &t : m_things) {
            t->mqtt = std::make_unique<mqtt::async_client>(
                m_plan.mqttUrl.toStdString(), QString(u"sim-"_s + t->thing.id).toStdString(), mqtt::create_options());
            auto options = mqtt::connect_options_builder()
                               .user_name(t->thing.id.toStdString())
                               .password(t->thing.key.toStdString())
                               .clean_session(true)
                               .automatic_reconnect(false)
                               .finalize();
            try {
                t->connecting = t->mqtt->connect(options);
            } catch (const mqtt::exception &e) {
                return m_connecting.finish(fail(
                    ErrorCode::Unavailable, u"MQTT %1: %2"_s.arg(m_plan.mqttUrl, QString::fromStdString(e.what()))));
            }
        }
    } else {
        return m_connecting.finish({});
    }
    m_connectClock.start();
    m_connectTimer.start();
}

void Simulator::checkConnections()
{
    // 5 s, and a little more for each thing (a thousand logins take their time).
    const bool late = m_connectClock.hasExpired(5000 + 10 * qint64(m_things.size()));
    bool waiting = false;
    for (auto &t : m_things) {
        if (t->ws) {
            if (t->ws->state() == QAbstractSocket::ConnectedState) continue;
            if (t->ws->state() == QAbstractSocket::UnconnectedState || late) { // refused, unreachable or too slow
                m_connectTimer.stop();
                return m_connecting.finish(
                    fail(ErrorCode::Unavailable, u"WebSocket %1: %2"_s.arg(m_plan.wsUrl, t->ws->errorString())));
            }
            waiting = true;
        } else if (t->mqtt) {
            if (!t->connecting->is_complete() && !late) {
                waiting = true;
                continue;
            }
            try {
                if (t->connecting->is_complete()) t->connecting->wait();
            } catch (const mqtt::exception &e) {
                m_connectTimer.stop();
                return m_connecting.finish(fail(
                    ErrorCode::Unavailable, u"MQTT %1: %2"_s.arg(m_plan.mqttUrl, QString::fromStdString(e.what()))));
            }
            if (!t->mqtt->is_connected()) {
                m_connectTimer.stop();
                return m_connecting.finish(
                    fail(ErrorCode::Unavailable, u"MQTT %1: no answer to CONNECT"_s.arg(m_plan.mqttUrl)));
            }
        }
    }
    if (waiting) return;
    m_connectTimer.stop();
    m_connecting.finish({});
}

// One connection per thing, open while it is not in a dropout (the thing is online while it is open). The adapter
// answers a refused frame with {"error": ...}; the other things' messages on the channel come as SenML arrays.
void Simulator::openWebSocket(VirtualThing &thing)
{
    if (!thing.ws) {
        thing.ws = std::make_unique<QWebSocket>();
        applyTrust(thing.ws.get(), m_plan.trust, {});
        connect(thing.ws.get(), &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            if (!text.startsWith(u'{')) return;
            const QString error = QJsonDocument::fromJson(text.toUtf8()).object().value("error"_L1).toString();
            if (error.isEmpty()) return;
            --m_accepted;
            ++(error.startsWith(u"invalid SenML"_s) ? m_refused : m_failed);
            if (m_pending > 0) --m_pending; // an invalid pack's answer came
            finishIfDone();
        });
    }
    thing.ws->open(webSocketRequest(m_plan.wsUrl, m_channelId, thing.thing.key));
}

// The run is over: the things go offline (queued MQTT messages are sent before the DISCONNECT).
void Simulator::closeConnections()
{
    for (auto &t : m_things) {
        if (t->ws) t->ws->close();
        if (t->mqtt && t->mqtt->is_connected() && !t->disconnecting) {
            try {
                t->disconnecting = t->mqtt->disconnect();
            } catch (const mqtt::exception &) {
            }
        }
    }
}

void Simulator::publishCoap(VirtualThing &thing, const QByteArray &pack)
{
    const QUrl url(m_plan.coapUrl);
    DeviceTarget target;
    target.host = url.host();
    target.channelId = m_channelId;
    target.thingId = thing.thing.id;
    target.thingKey = thing.thing.key;
    target.contentType = u"application/senml+json"_s;
    target.tls = url.scheme() == "coaps"_L1;
    target.port = url.port(target.tls ? 5684 : 5683);
    target.trust = m_plan.trust;
    ++m_pending;
    publishOverCoap(target, pack).then(this, [this](const Result<void> &sent) { settle(sent); });
}

void Simulator::settle(const Result<void> &sent)
{
    if (sent)
        ++m_accepted;
    else if (sent.error().code == ErrorCode::Malformed)
        ++m_refused;
    else
        ++m_failed;
    --m_pending;
    finishIfDone();
}

QStringList Simulator::thingIds() const
{
    QStringList ids;
    for (const auto &t : m_things)
        ids.append(t->thing.id);
    return ids;
}

void Simulator::start()
{
    m_clock.start();
    m_timer.setInterval(std::max(1, int(std::lround(1000.0 / m_plan.rate))));
    m_timer.start();
    if (m_plan.dropout > 0) m_dropoutTimer.start();
}

void Simulator::stop()
{
    // Over WebSocket the answers to invalid packs are awaited (m_pending), for at most 5 s.
    if (!m_stopping && m_pending > 0 && m_plan.protocol == "ws"_L1)
        QTimer::singleShot(5000, this, [this] {
            m_pending = 0;
            finishIfDone();
        });
    m_stopping = true;
    m_timer.stop();
    m_dropoutTimer.stop();
    finishIfDone();
}

void Simulator::finishIfDone()
{
    if (m_stopping && m_pending.load() == 0 && !m_finished) {
        m_finished = true;
        closeConnections();
        Q_EMIT finished();
    }
}

QByteArray Simulator::nextPack(VirtualThing &thing)
{
    auto *random = QRandomGenerator::global();
    // Exactly the planned share, evenly spread (not drawn at random): a run of n messages has n × invalid of them.
    m_invalidDebt += m_plan.invalid;
    if (m_invalidDebt >= 1 - 1e-9) {
        m_invalidDebt -= 1;
        return InvalidPack;
    }
    const double t = double(m_clock.elapsed()) / 1000;
    double temp = 0;
    if (m_plan.pattern == "walk"_L1)
        temp = (thing.walk += (random->generateDouble() - 0.5) * 0.6);
    else if (m_plan.pattern == "steps"_L1)
        temp = 18 + 3 * std::floor(std::fmod(t / 20 + thing.phase, 3));
    else
        temp = 21 + 4 * std::sin(2 * std::numbers::pi * t / 60 + thing.phase);
    const double humidity = 45 + 10 * std::cos(2 * std::numbers::pi * t / 90 + thing.phase);
    const QJsonArray pack{
        QJsonObject{{u"bn"_s, QString(thing.thing.name + u':')},
                    {u"n"_s, u"temp"_s},
                    {u"u"_s, u"Cel"_s},
                    {u"v"_s, std::round(temp * 100) / 100}},
        QJsonObject{{u"n"_s, u"humidity"_s}, {u"u"_s, u"%RH"_s}, {u"v"_s, std::round(humidity * 10) / 10}}};
    return QJsonDocument(pack).toJson(QJsonDocument::Compact);
}

void Simulator::publishNext()
{
    if (m_stopping) return;
    if ((m_plan.count > 0 && m_sent >= m_plan.count) ||
        (m_plan.durationMs > 0 && m_clock.elapsed() >= m_plan.durationMs)) {
        stop();
        return;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    // The next thing that is not silent; when all are, this tick sends nothing.
    for (size_t tried = 0; tried < m_things.size(); ++tried) {
        VirtualThing &thing = *m_things[m_next++ % m_things.size()];
        if (thing.silentUntilMs > now) continue;
        if (thing.silentUntilMs > 0) wake(thing); // its silence just ended: it connects again
        // A device that is (re)connecting does not publish yet: not a failed message (after each dropout the
        // dashboard counted up to ten seconds of them as failed, 201 of 336 at 50 % dropouts).
        if (thing.mqtt && !thing.mqtt->is_connected()) continue;
        if (thing.ws && thing.ws->state() != QAbstractSocket::ConnectedState) continue;
        const QByteArray pack = nextPack(thing);
        ++m_sent;
        if (thing.mqtt) {
            try {
                thing.mqtt->publish(QString(u"channels/"_s + m_channelId + u"/messages"_s).toStdString(),
                                    pack.constData(), size_t(pack.size()), 0, false);
                ++m_accepted;
            } catch (const mqtt::exception &) {
                ++m_failed;
            }
            return;
        }
        if (thing.ws) {
            if (pack == InvalidPack) ++m_pending; // its error answer is awaited
            thing.ws->sendTextMessage(QString::fromUtf8(pack));
            ++m_accepted;
            return;
        }
        if (m_plan.protocol == "coap"_L1) {
            publishCoap(thing, pack);
            return;
        }
        if (!m_client) {
            ++m_failed;
            return;
        }
        ++m_pending;
        m_client->sendMessage(m_channelId, {}, u"application/senml+json"_s, pack, thing.thing.key)
            .then(this, [this](const Result<void> &sent) { settle(sent); });
        return;
    }
}

void Simulator::wake(VirtualThing &thing)
{
    thing.silentUntilMs = 0;
    if (thing.mqtt && !thing.mqtt->is_connected()) {
        try { // back from a dropout
            thing.mqtt->reconnect();
        } catch (const mqtt::exception &) {
        }
    }
    if (thing.ws) // back from a dropout: connects in the background
        thing.ws->open(webSocketRequest(m_plan.wsUrl, m_channelId, thing.thing.key));
}

void Simulator::updateDropouts()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto *random = QRandomGenerator::global();
    for (auto &t : m_things) {
        const bool silent = t->silentUntilMs > now;
        if (!silent && t->silentUntilMs > 0) wake(*t);
        if (silent || random->generateDouble() >= m_plan.dropout) continue;
        t->silentUntilMs =
            now + m_plan.silenceMinMs + (m_plan.silenceSpanMs > 0 ? random->bounded(m_plan.silenceSpanMs) : 0);
        if (t->mqtt && t->mqtt->is_connected()) {
            try {
                t->mqtt->disconnect();
            } catch (const mqtt::exception &) {
            }
        }
        if (t->ws) t->ws->close(); // the thing goes offline now
    }
}

Pending<void> Simulator::cleanUp()
{
    Pending<void> done;
    removeNext(0, done);
    return done;
}

void Simulator::removeNext(size_t index, Pending<void> done)
{
    if (!m_client) return done.finish(fail(ErrorCode::Unavailable, u"not connected to a server"_s));
    if (index < m_things.size()) {
        m_client->removeThing(m_things[index]->thing.id).then(this, [this, index, done](const Result<void> &removed) {
            if (!removed) return done.finish(removed);
            removeNext(index + 1, done);
        });
        return;
    }
    if (!m_createdChannel || m_channelId.isEmpty()) return done.finish({});
    m_client->removeChannel(m_channelId).then(this, [done](const Result<void> &removed) { done.finish(removed); });
}

SimulationReport Simulator::report() const
{
    return {m_sent.load(), m_accepted.load(), m_refused.load(), m_failed.load(), double(m_clock.elapsed()) / 1000};
}

} // namespace mf::client
