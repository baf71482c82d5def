#pragma once

#include "client/restclient.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <memory>
#include <vector>

namespace mf::cli {

// What `mainflux-cli simulate` runs: N virtual things on one channel publishing SenML at a total rate.
struct SimulationPlan
{
    int things = 5;
    double rate = 10;              // messages per second, all things together
    QString protocol = QStringLiteral("http"); // "http", "mqtt", "ws" or "coap"
    QString pattern = QStringLiteral("sine");  // "sine", "walk" (random walk) or "steps"
    double dropout = 0;            // chance per thing and 10 s to go silent (MQTT: disconnect) for 30–90 s
    double invalid = 0;            // share of packs that are invalid SenML (to see refusals), evenly spread
    qint64 count = 0;              // stop after this many messages (0: until stopped or the duration ends)
    qint64 durationMs = 0;         // stop after this long (0: until stopped or the count is reached)
    QString channelId;             // publish on this channel; empty: a new channel "sim-<time>"
    QString mqttUrl;               // tcp://host:port of the MQTT adapter (protocol mqtt)
    QString wsUrl;                 // ws://host:port of the WebSocket adapter (protocol ws)
    QString coapUrl;               // coap://host:port of the CoAP adapter (protocol coap)
};

struct SimulationReport
{
    qint64 sent = 0, accepted = 0, refused = 0, failed = 0;
    double seconds = 0;
};

// Provisions the things (and a channel) through the REST client, then publishes from a timer on the calling thread
// until stop() or the plan's count or duration; finished() follows. HTTP and CoAP answers (one confirmable POST a
// message) tell accepted from refused (400, 4.00) and failed; MQTT (QoS 0, through Paho) counts what was handed to the
// broker as accepted; over WebSocket (one connection a thing, open while the thing is not in a dropout) a frame is
// accepted unless the adapter answers it with an error, which is waited for up to a second at the end.
class Simulator final : public QObject
{
    Q_OBJECT

public:
    Simulator(client::RestClient &client, SimulationPlan plan, QObject *parent = nullptr);
    ~Simulator() override;
    Q_DISABLE_COPY_MOVE(Simulator)

    Result<void> provision(); // blocking
    void start();
    void stop();
    Result<void> cleanUp(); // deletes the things and the channel it created (blocking)

    const QString &channelId() const { return m_channelId; }
    QStringList thingIds() const;
    SimulationReport report() const;

Q_SIGNALS:
    void finished();

private:
    struct VirtualThing;
    void publishNext();
    void updateDropouts();
    QByteArray nextPack(VirtualThing &thing);
    void finishIfDone();
    bool openWebSocket(VirtualThing &thing); // false when it did not open within 5 s
    void publishCoap(VirtualThing &thing, const QByteArray &pack);
    void settle(const Result<void> &sent); // an HTTP or CoAP answer

    client::RestClient &m_client;
    SimulationPlan m_plan;
    QString m_channelId;
    bool m_createdChannel = false;
    std::vector<std::unique_ptr<VirtualThing>> m_things;
    size_t m_next = 0;
    double m_invalidDebt = 0;
    QTimer m_timer, m_dropoutTimer;
    QElapsedTimer m_clock;
    std::atomic<qint64> m_sent{0}, m_accepted{0}, m_refused{0}, m_failed{0}, m_pending{0};
    bool m_stopping = false;
    bool m_finished = false; // finished() was emitted (a late answer must not emit it again)
};

} // namespace mf::cli
