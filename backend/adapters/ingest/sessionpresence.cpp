#include "sessionpresence.h"

#include "bus/subjectnames.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace mf::adapters {

SessionPresence::SessionPresence(bus::NatsConnection &nats, QString instance, QObject *parent)
    : QObject(parent), m_nats(nats), m_instance(std::move(instance))
{
    m_alive.setInterval(1000);
    connect(&m_alive, &QTimer::timeout, this, &SessionPresence::heartbeat);
}

quint64 SessionPresence::opened(const QString &thing, const QString &protocol)
{
    if (!m_resync.isActive()) {
        auto resync = m_nats.subscribe(bus::statusResyncSubject, {}, this, [this](QByteArray, QByteArray, QByteArray) {
            for (auto it = m_open.cbegin(); it != m_open.cend(); ++it)
                announce("connected", it.key(), it.value());
            heartbeat();
        });
        if (resync) m_resync = std::move(*resync); // else asked again with the next session; the events still go
    }
    const quint64 session = ++m_next;
    const Open &open = *m_open.insert(session, {thing, protocol});
    announce("connected", session, open);
    if (!m_alive.isActive()) {
        heartbeat(); // the status service knows this instance before its first session can time out
        m_alive.start();
    }
    return session;
}

void SessionPresence::closed(quint64 session)
{
    const auto it = m_open.constFind(session);
    if (it == m_open.cend()) return;
    announce("disconnected", session, it.value());
    m_open.erase(it);
    if (m_open.isEmpty()) m_alive.stop();
}

void SessionPresence::announce(const char *event, quint64 session, const Open &open)
{
    // The client names the session uniquely within the instance: the status service keys it "<instance>/<client>".
    const QJsonObject presence{{u"event"_s, QString::fromLatin1(event)},
                               {u"thing"_s, open.thing},
                               {u"client"_s, QString(open.protocol + u'-' + QString::number(session))},
                               {u"instance"_s, m_instance},
                               {u"protocol"_s, open.protocol}};
    (void)m_nats.publish(bus::statusSessionsSubject, QJsonDocument(presence).toJson(QJsonDocument::Compact));
}

void SessionPresence::heartbeat()
{
    (void)m_nats.publish(bus::statusAlivePrefix + m_instance.toUtf8(), {});
}

} // namespace mf::adapters
