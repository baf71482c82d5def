#pragma once

#include "core/error.h"
#include "liverecord.h"
#include "tlstrust.h"

#include <QJsonObject>
#include <QObject>
#include <QTimer>
#include <QUrl>

class QNetworkAccessManager;
class QWebSocket;

namespace mf::client {

struct LiveStreamOptions
{
    QString subtopic;      // "a/b" (the adapter's URL rules); empty: the whole channel
    bool envelope = false; // add format=envelope (the owner's stream is always envelope anyway)
    bool failFast = false; // no retry before the first open; refused() instead
};

// The read-only live stream of one channel over WebSocket (the ws adapter):
//   ws://<host>:<ports.ws>/channels/<id>/messages?authorization=<user token>
// Each text frame is one message with its SenML records (see recordsFromStreamFrame). The stream reconnects with a
// growing delay (1 s doubling to 30 s) until close() is called.
// With Options: a thing key instead of the token (then `envelope` must be set: the adapter sends raw payloads by
// default), a subtopic, and `failFast` for a command line: when the first connection attempt fails the stream closes
// and emits refused() with the adapter's own answer (status and {"error"} message, fetched with a second handshake
// request) instead of retrying. Once open, drops are retried as always.
//
// Threading: use from the thread that created it. Records arrive as they come; batching is the view's job.
class LiveStream final : public QObject
{
    Q_OBJECT

public:
    enum class State { Closed, Connecting, Open, Reconnecting };
    Q_ENUM(State)

    using Options = LiveStreamOptions;

    explicit LiveStream(QObject *parent = nullptr);
    ~LiveStream() override;
    Q_DISABLE_COPY_MOVE(LiveStream)

    static QUrl streamUrl(const QUrl &wsBase, const QString &channelId, const QString &token,
                          const Options &options = {});

    // The user's own event stream instead of a channel: ws://<host>:<ports.ws>/events?authorization=<user token>.
    // Each event ({"type":"status","changes":[...]}, {"type":"alerts",...}) comes as frameReceived().
    static QUrl eventsUrl(const QUrl &wsBase, const QString &token);

    void open(const QUrl &wsBase, const QString &channelId, const QString &token, const Options &options = {});
    void openEvents(const QUrl &wsBase, const QString &token);
    void close();
    // Which wss:// servers to believe (the same trust as the RestClient of that server); for the next open().
    void setTrust(const TlsTrust &trust) { m_trust = trust; }
    State state() const { return m_state; }
    // True once a connection was established at least once since open(): the adapter exists.
    bool everConnected() const { return m_everConnected; }
    QString lastError() const { return m_lastError; }

Q_SIGNALS:
    void recordsReceived(const QList<mf::client::LiveRecord> &records);
    // Every JSON object frame as it came (a channel's message envelope, or an event of the event stream).
    void frameReceived(const QJsonObject &frame);
    void stateChanged(mf::client::LiveStream::State state);
    // A connection attempt failed or an open stream dropped; `message` says why. Reconnection follows.
    void connectionFailed(const QString &message);
    // failFast only: the first connection attempt failed; the stream is closed. `error` carries the adapter's
    // message and the code of its HTTP status (Unauthorized, NotFound, ...), or Unavailable when nothing answered.
    void refused(const mf::Error &error);
    // A wss:// handshake was refused because of the server's certificate (tlstrust.h); retries follow as always.
    void certificateRefused(const QSslCertificate &certificate);

private:
    void openUrl(const QUrl &url, const Options &options);
    void connectNow();
    void setState(State state);
    void scheduleReconnect(const QString &why);
    void failFirstAttempt();

    QWebSocket *m_socket = nullptr; // child, recreated per attempt
    QNetworkAccessManager *m_probe = nullptr; // created for failFast diagnostics only
    QTimer m_retry;
    QUrl m_url;
    Options m_options;
    TlsTrust m_trust;
    bool m_probing = false;
    State m_state = State::Closed;
    int m_delayMs = 1000;
    bool m_everConnected = false;
    QString m_lastError;
};

} // namespace mf::client
