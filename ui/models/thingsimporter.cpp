#include "thingsimporter.h"

#include "client/restclient.h"

namespace mf::ui {

ThingsImporter::ThingsImporter(client::RestClient &client, QJsonArray things, QObject *parent)
    : QObject(parent), m_client(client), m_things(std::move(things))
{}

void ThingsImporter::start()
{
    sendFrom(0);
}

void ThingsImporter::cancel()
{
    m_cancelled = true;
}

void ThingsImporter::sendFrom(int offset)
{
    if (m_cancelled || offset >= m_things.size()) {
        Q_EMIT finished(m_created, m_cancelled);
        return;
    }
    QJsonArray batch;
    for (int i = offset; i < std::min<int>(offset + BatchSize, int(m_things.size())); ++i)
        batch.append(m_things.at(i));
    const int sent = int(batch.size());
    m_client.createThings(batch).then(this, [this, offset, sent](const Result<QList<Thing>> &r) {
        if (!r) {
            // Line 1 is the header, so the thing at offset 0 is on line 2.
            Q_EMIT failed(offset + 2, m_created, r.error().message);
            return;
        }
        m_created += int(r->size());
        Q_EMIT progressed(m_created);
        sendFrom(offset + sent);
    });
}

} // namespace mf::ui
