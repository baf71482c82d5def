#pragma once

#include <QJsonArray>
#include <QObject>
#include <QString>

namespace mf::client {
class RestClient;
}

namespace mf::ui {

// Creates the things of a checked CSV (ThingsCsv::things) through the REST client, one batch of BatchSize at a time
// (POST /things/bulk): the next batch is sent when the previous one was answered, so a cancel stops after the batch
// in flight and an error stops before the rest. Ends with exactly one of finished() or failed(). The Things page
// shows it (progress dialog, banner, status line); the client must outlive the importer.
class ThingsImporter final : public QObject
{
    Q_OBJECT

public:
    static constexpr int BatchSize = 100;

    ThingsImporter(client::RestClient &client, QJsonArray things, QObject *parent = nullptr);
    Q_DISABLE_COPY_MOVE(ThingsImporter)

    // Sends the first batch (or finishes at once when there are no things). Call once.
    void start();
    // Sends no further batch; the one in flight is still counted, then finished(created, true).
    void cancel();

    int total() const { return int(m_things.size()); }
    int created() const { return m_created; }

Q_SIGNALS:
    // After each created batch: how many things exist so far.
    void progressed(int created);
    void finished(int created, bool cancelled);
    // A batch was refused: `line` is the CSV line (1 = the header) of its first thing; the batches before it stay.
    void failed(int line, int created, const QString &message);

private:
    void sendFrom(int offset);

    client::RestClient &m_client;
    const QJsonArray m_things;
    int m_created = 0;
    bool m_cancelled = false;
};

} // namespace mf::ui
