#include "messagewriter.h"

#include "storedmessages.h"

#include "api/metrics.h"
#include "bus/natsconnection.h"
#include "bus/streams.h"
#include "storage/database.h"
#include "storage/sql/sqlmessagerepository.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QTimer>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcWriter, "mainflux.writer")

namespace mf::writer {

class MessageWriter::Worker final : public QObject
{
public:
    Worker(MessageWriter &owner) : m_owner(owner) {}

    Result<void> open()
    {
        auto db = storage::Database::open(m_owner.m_databaseUrl, m_owner.m_dataDir);
        if (!db)
            return std::unexpected(db.error());
        m_db = std::move(*db);
        m_repo = std::make_unique<storage::SqlMessageRepository>(*m_db);
        // A batch left unacked by a crashed writer comes back after 10 s (storing one takes milliseconds).
        return m_owner.m_nats.ensureConsumer(bus::MessagesStream, bus::WriterDurable, bus::MessagesFilter, 10000);
    }

    void close()
    {
        m_stopping = true;
        m_repo.reset();
        m_db.reset();
    }

    void poll()
    {
        if (m_stopping)
            return;
        auto batch = m_owner.m_nats.fetch(bus::MessagesStream, bus::WriterDurable, bus::MessagesFilter,
                                          WriterBatchSize, 500);
        if (!batch) {
            if (!m_failing)
                qCWarning(lcWriter).noquote() << "cannot pull messages:" << batch.error().message << "(retrying)";
            m_failing = true;
            QTimer::singleShot(500, this, [this] { poll(); });
            return;
        }
        if (m_failing)
            qCInfo(lcWriter) << "pulling messages again";
        m_failing = false;
        if (!batch->isEmpty() && !store(*batch)) {
            QTimer::singleShot(1000, this, [this] { poll(); });
            return;
        }
        QMetaObject::invokeMethod(this, [this] { poll(); }, Qt::QueuedConnection);
    }

private:
    // True when the batch is dealt with (stored and acked, or rejected and acked).
    bool store(const QList<bus::DurableMessage> &batch)
    {
        QList<StoredMessage> rows;
        QList<bus::DurableMessage> accepted;
        const double now = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
        for (const bus::DurableMessage &message : batch) {
            auto envelope = bus::Envelope::decode(message.data());
            Result<QList<StoredMessage>> stored = envelope ? toStoredMessages(*envelope, message.streamSequence(), now)
                                                           : std::unexpected(envelope.error());
            if (!stored) {
                // Nothing can ever store it: count, log, and ack so it does not block the stream.
                m_owner.m_metrics.increment("mf_writer_rejected_total", "reason=\"" +
                                                (envelope ? QByteArray("invalid senml") : QByteArray("bad envelope")) +
                                                '"');
                qCWarning(lcWriter).noquote() << "dropping unstorable message" << message.subject() << "seq"
                                              << message.streamSequence() << ":" << stored.error().message;
                message.ack();
                continue;
            }
            rows += *stored;
            accepted.append(message);
        }
        auto inserted = m_repo->insert(rows);
        if (!inserted) {
            qCWarning(lcWriter).noquote() << "cannot store" << rows.size() << "messages:" << inserted.error().message
                                          << "(will retry)";
            m_owner.m_metrics.increment("mf_writer_errors_total");
            for (const bus::DurableMessage &message : accepted)
                message.nak();
            return false;
        }
        for (const bus::DurableMessage &message : accepted)
            message.ack();
        // Stored rows, not attempted ones: a redelivered batch adds nothing.
        m_owner.m_stored += quint64(*inserted);
        m_owner.m_metrics.increment("mf_writer_records_total", {}, double(*inserted));
        m_owner.m_metrics.increment("mf_writer_batches_total");
        return true;
    }

    MessageWriter &m_owner;
    std::unique_ptr<storage::Database> m_db;
    std::unique_ptr<storage::SqlMessageRepository> m_repo;
    bool m_stopping = false;
    bool m_failing = false;
};

MessageWriter::MessageWriter(QString databaseUrl, QString dataDir, bus::NatsConnection &nats, api::Metrics &metrics,
                             QObject *parent)
    : QObject(parent), m_databaseUrl(std::move(databaseUrl)), m_dataDir(std::move(dataDir)), m_nats(nats),
      m_metrics(metrics)
{
    m_thread.setObjectName(u"writer"_s);
}

MessageWriter::~MessageWriter()
{
    stop();
}

Result<void> MessageWriter::start()
{
    m_worker = new Worker(*this);
    m_worker->moveToThread(&m_thread);
    m_thread.start();
    Result<void> opened;
    QMetaObject::invokeMethod(m_worker, [&] { opened = m_worker->open(); }, Qt::BlockingQueuedConnection);
    if (!opened) {
        stop();
        return opened;
    }
    QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->poll(); }, Qt::QueuedConnection);
    return {};
}

void MessageWriter::stop()
{
    if (!m_worker)
        return;
    QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->close(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    delete m_worker;
    m_worker = nullptr;
}

} // namespace mf::writer
