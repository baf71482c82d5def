#pragma once

#include "pending.h"
#include "restclient.h"
#include "tlstrust.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <atomic>
#include <memory>
#include <vector>

namespace mf::client {

// What the simulator runs (`mainflux-cli simulate`, the dashboard's "Simulate devices…"): N virtual things on one
// channel publishing SenML at a total rate.
struct SimulationPlan
{
    int things = 5;
    double rate = 10;                          // messages per second, all things together
    QString protocol = QStringLiteral("http"); // "http", "mqtt", "ws" or "coap"
    QString pattern = QStringLiteral("sine");  // "sine", "walk" (random walk) or "steps"
    double dropout = 0;    // chance per thing and 10 s to go silent (MQTT: disconnect) for 30–90 s
    double invalid = 0;    // share of packs that are invalid SenML (to see refusals), evenly spread
    qint64 count = 0;      // stop after this many messages (0: until stopped or the duration ends)
    qint64 durationMs = 0; // stop after this long (0: until stopped or the count is reached)
    QString channelId;     // publish on this channel; empty: a new channel "sim-<time>"
    QString mqttUrl;       // tcp://host:port of the MQTT adapter (protocol mqtt)
    QString wsUrl;         // ws:// or wss://host:port of the WebSocket adapter (protocol ws)
    QString coapUrl;       // coap://host:port, or coaps:// (DTLS with each thing's id and key), of the CoAP adapter
    TlsTrust trust;        // which server certificates wss:// believes
    // Dropout timing (tests shorten it): the draw every dropoutCheckMs, a silence of silenceMinMs + up to
    // silenceSpanMs.
    int dropoutCheckMs = 10'000;
    int silenceMinMs = 30'000;
    int silenceSpanMs = 60'000;
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
// accepted unless the adapter answers it with an error, which is waited for up to 5 s at the end.
//
// provision() and cleanUp() never block: they return a Pending that the GUI follows with then() and the CLI waits
// for. Destroying the simulator at any time (during provisioning, running, or cleaning up) is safe: its timers stop
// with it and answers that come later are dropped; MQTT connections are closed.
//
// Threading: one thread (the one it was created on, which must run an event loop), like the RestClient it uses.
class Simulator final : public QObject
{
    Q_OBJECT

public:
    Simulator(RestClient &client, SimulationPlan plan, QObject *parent = nullptr);
    ~Simulator() override;
    Q_DISABLE_COPY_MOVE(Simulator)

    // Creates the channel (unless the plan names one) and the things, connects them, and opens the things' MQTT or
    // WebSocket connections. On failure what was created so far is kept for cleanUp().
    Pending<void> provision();
    void start();
    void stop();
    bool isRunning() const { return m_clock.isValid() && !m_stopping; }
    bool isFinished() const { return m_finished; }
    // Deletes the things and the channel it created, one after another; stops at the first error.
    Pending<void> cleanUp();

    const QString &channelId() const { return m_channelId; }
    // "sim-<time>" of the channel it created; empty for a channel the plan named.
    const QString &channelName() const { return m_channelName; }
    bool createdChannel() const { return m_createdChannel; }
    QStringList thingIds() const;
    SimulationReport report() const;
    const SimulationPlan &plan() const { return m_plan; }

Q_SIGNALS:
    void finished();

private:
    struct VirtualThing;
    void addThings(const QList<Thing> &things);
    void openConnections();
    void checkConnections();
    void openWebSocket(VirtualThing &thing);
    void closeConnections();
    void publishNext();
    void updateDropouts();
    void wake(VirtualThing &thing); // a silence ended: connect again
    QByteArray nextPack(VirtualThing &thing);
    void finishIfDone();
    void publishCoap(VirtualThing &thing, const QByteArray &pack);
    void settle(const Result<void> &sent); // an HTTP or CoAP answer
    void removeNext(size_t index, Pending<void> done);

    QPointer<RestClient> m_client; // the dashboard recreates its client when the profile changes
    SimulationPlan m_plan;
    QString m_channelId;
    QString m_channelName;
    bool m_createdChannel = false;
    std::vector<std::unique_ptr<VirtualThing>> m_things;
    size_t m_next = 0;
    double m_invalidDebt = 0;
    QTimer m_timer, m_dropoutTimer, m_connectTimer;
    QElapsedTimer m_clock, m_connectClock;
    Pending<void> m_connecting; // provision(): the MQTT logins or WebSocket handshakes under way
    std::atomic<qint64> m_sent{0}, m_accepted{0}, m_refused{0}, m_failed{0}, m_pending{0};
    bool m_stopping = false;
    bool m_finished = false; // finished() was emitted (a late answer must not emit it again)
};

} // namespace mf::client
