#pragma once

#include "core/error.h"

#include <QObject>
#include <QThread>

#include <atomic>
#include <memory>

namespace mf::bus {
class NatsConnection;
}
namespace mf::api {
class Metrics;
}
namespace mf::storage {
class Database;
}

namespace mf::writer {

// The message writer: a worker thread that pulls raw messages from the durable JetStream consumer in batches,
// turns them into stored messages, inserts each batch in one transaction, and acks only after the commit, so a
// crash at any point loses nothing (redelivered batches are stored once, see MessageRepository). Several writers
// (processes) share the durable consumer. The worker opens its own database connection.
class MessageWriter final : public QObject
{
    Q_OBJECT

public:
    MessageWriter(QString databaseUrl, QString dataDir, bus::NatsConnection &nats, api::Metrics &metrics,
                  QObject *parent = nullptr);
    ~MessageWriter() override;
    Q_DISABLE_COPY_MOVE(MessageWriter)

    // Opens the database on the worker thread and starts pulling; returns the first error (database or stream).
    Result<void> start();
    void stop();

    quint64 storedCount() const { return m_stored.load(); }

private:
    class Worker;
    QString m_databaseUrl;
    QString m_dataDir;
    bus::NatsConnection &m_nats;
    api::Metrics &m_metrics;
    QThread m_thread;
    Worker *m_worker = nullptr;
    std::atomic<quint64> m_stored{0};
};

inline constexpr int WriterBatchSize = 512;

} // namespace mf::writer
