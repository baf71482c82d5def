#pragma once

#include "bus/natsconnection.h"

#include <QHash>
#include <QObject>
#include <QString>
#include <QTimer>

namespace mf::adapters {

// Tells the status service (services/status) which things hold a session open in this process: an open WebSocket
// of a thing, an active CoAP Observe. The same shape as the Mosquitto plugin's MQTT connections, on the same
// subject: `status.sessions` {"event": "connected"|"disconnected", "thing", "client", "instance", "protocol"}, a
// heartbeat `status.alive.<instance>` once a second while a session is open (a process that stops sending it has
// lost its sessions: the status service ends them after 5 s), and every open session again when the status service
// asks (`status.resync`, at its start). Publishing is fire and forget, like a metric.
// Lives on the adapters' thread (the one that owns Ingest); not thread-safe.
class SessionPresence final : public QObject
{
    Q_OBJECT

public:
    SessionPresence(bus::NatsConnection &nats, QString instance, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(SessionPresence)

    // A session of `thing` opened over `protocol` ("ws", "coap"); returns its handle for closed() (never 0).
    quint64 opened(const QString &thing, const QString &protocol);
    // The session ended (0 and unknown handles are ignored).
    void closed(quint64 session);
    qsizetype openCount() const { return m_open.size(); }
    QString instance() const { return m_instance; }

private:
    struct Open
    {
        QString thing;
        QString protocol;
    };
    void announce(const char *event, quint64 session, const Open &open);
    void heartbeat();

    bus::NatsConnection &m_nats;
    QString m_instance;
    QHash<quint64, Open> m_open;
    quint64 m_next = 0;
    bus::Subscription m_resync; // subscribed with the first session
    QTimer m_alive;
};

} // namespace mf::adapters
