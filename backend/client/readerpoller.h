#pragma once

#include "liverecord.h"

#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

namespace mf::client {

class RestClient;

// The stand-in for the live stream while no WebSocket adapter answers: asks the reader
// (GET /channels/{id}/messages) every `intervalMs` for records newer than the last one seen, and emits only new ones,
// oldest first. Threading: the thread of the RestClient.
class ReaderPoller final : public QObject
{
    Q_OBJECT

public:
    explicit ReaderPoller(RestClient *client, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ReaderPoller)

    void start(const QString &channelId, int intervalMs = 1000);
    void stop();
    bool isActive() const { return m_timer.isActive(); }

Q_SIGNALS:
    void recordsReceived(const QList<mf::client::LiveRecord> &records);
    void pollFailed(const QString &message);

private:
    void poll();

    QPointer<RestClient> m_client;
    QTimer m_timer;
    QString m_channel;
    double m_since = 0;          // newest time seen; the next poll asks from there (inclusive)
    QSet<QString> m_seenAtSince; // records with time == m_since already emitted
    bool m_inFlight = false;
    quint64 m_generation = 0;
};

} // namespace mf::client
