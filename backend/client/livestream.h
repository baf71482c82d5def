#pragma once

#include "liverecord.h"

#include <QObject>
#include <QTimer>
#include <QUrl>

class QWebSocket;

namespace mf::client {

// The read-only live stream of one channel over WebSocket (the ws adapter):
//   ws://<host>:<ports.ws>/channels/<id>/messages?authorization=<user token>
// Each text frame is one message with its SenML records (see recordsFromStreamFrame). The stream reconnects with a
// growing delay (1 s doubling to 30 s) until close() is called.
//
// Threading: use from the thread that created it. Records arrive as they come; batching is the view's job.
class LiveStream final : public QObject
{
    Q_OBJECT

public:
    enum class State { Closed, Connecting, Open, Reconnecting };
    Q_ENUM(State)

    explicit LiveStream(QObject *parent = nullptr);
    ~LiveStream() override;
    Q_DISABLE_COPY_MOVE(LiveStream)

    static QUrl streamUrl(const QUrl &wsBase, const QString &channelId, const QString &token);

    void open(const QUrl &wsBase, const QString &channelId, const QString &token);
    void close();
    State state() const { return m_state; }
    // True once a connection was established at least once since open(): the adapter exists.
    bool everConnected() const { return m_everConnected; }
    QString lastError() const { return m_lastError; }

Q_SIGNALS:
    void recordsReceived(const QList<mf::client::LiveRecord> &records);
    void stateChanged(mf::client::LiveStream::State state);
    // A connection attempt failed or an open stream dropped; `message` says why. Reconnection follows.
    void connectionFailed(const QString &message);

private:
    void connectNow();
    void setState(State state);
    void scheduleReconnect(const QString &why);

    QWebSocket *m_socket = nullptr; // child, recreated per attempt
    QTimer m_retry;
    QUrl m_url;
    State m_state = State::Closed;
    int m_delayMs = 1000;
    bool m_everConnected = false;
    QString m_lastError;
};

} // namespace mf::client
