#include "readerpoller.h"

#include "restclient.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace mf::client {

namespace {
QString identity(const LiveRecord &r)
{
    return r.publisher + u'\x1f' + r.subtopic + u'\x1f' + r.name + u'\x1f' + r.value.toString();
}
} // namespace

ReaderPoller::ReaderPoller(RestClient *client, QObject *parent) : QObject(parent), m_client(client)
{
    connect(&m_timer, &QTimer::timeout, this, &ReaderPoller::poll);
}

void ReaderPoller::start(const QString &channelId, int intervalMs)
{
    stop();
    m_channel = channelId;
    // Live means from now on: history is loaded separately.
    m_since = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
    m_seenAtSince.clear();
    m_timer.start(intervalMs);
}

void ReaderPoller::stop()
{
    m_timer.stop();
    ++m_generation;
    m_inFlight = false;
}

void ReaderPoller::poll()
{
    if (!m_client || m_inFlight) return;
    m_inFlight = true;
    MessageQuery query;
    query.limit = 100;
    query.from = m_since;
    const quint64 generation = m_generation;
    m_client->readMessages(m_channel, query, Credential{Credential::Kind::UserToken, m_client->token()})
        .then(this, [this, generation](const Result<QJsonObject> &page) {
            if (generation != m_generation) return;
            m_inFlight = false;
            if (!page) {
                Q_EMIT pollFailed(page.error().message);
                return;
            }
            QList<LiveRecord> records = recordsFromReaderPage(*page); // newest first
            QList<LiveRecord> fresh;
            for (auto it = records.crbegin(); it != records.crend(); ++it) {
                const QString id = identity(*it);
                if (it->time == m_since && m_seenAtSince.contains(id)) continue;
                if (it->time > m_since) {
                    m_since = it->time;
                    m_seenAtSince.clear();
                }
                m_seenAtSince.insert(id);
                fresh.append(*it);
            }
            if (!fresh.isEmpty()) Q_EMIT recordsReceived(fresh);
        });
}

} // namespace mf::client
