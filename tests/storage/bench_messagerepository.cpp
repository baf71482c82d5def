// bench_messagerepository <db url> [batches]: how fast SqlMessageRepository::insert stores writer-sized batches
// (512 messages x 3 records, as the writer's fetch gives them), beside the statement shape it replaced (one
// prepared INSERT per record, same transaction per batch) in the same run. <db url>: sqlite:<file> or
// postgres://user@host:port/db (emptied of messages first). Prints one line per method: records/s by the wall clock
// and by this process's CPU time (the database server's CPU is not included; for PostgreSQL it is in `ps`).
// Not a test: docs/BENCHMARKS.md records its figures.
#include "storage/database.h"
#include "storage/sql/sqlmessagerepository.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSqlError>
#include <QSqlQuery>

#include <cstdio>
#include <ctime>

using namespace Qt::StringLiterals;
using namespace mf;
using namespace mf::storage;

namespace {

constexpr int MessagesPerBatch = 512;
constexpr int RecordsPerMessage = 3;

QList<StoredMessage> makeBatch(quint64 firstSequence)
{
    QList<StoredMessage> batch;
    batch.reserve(MessagesPerBatch * RecordsPerMessage);
    for (int i = 0; i < MessagesPerBatch; ++i) {
        for (int r = 0; r < RecordsPerMessage; ++r) {
            StoredMessage m;
            m.channel = u"2b1f6d3e-2f0a-4c55-9a4e-6f0a1f1c2d3e"_s;
            m.publisher = u"7d1c2a9e-4f5b-4e0a-8d2c-1a2b3c4d5e6f"_s;
            m.protocol = u"http"_s;
            m.name = u"probe%1"_s.arg(r + 1);
            m.unit = u"Cel"_s;
            m.value = 20.0 + r + i * 0.001;
            m.time = 1.7e9 + double(firstSequence + quint64(i)) / 1000.0;
            m.createdNs = 1'700'000'000'000'000'000LL;
            m.sourceSequence = firstSequence + quint64(i);
            m.sourceIndex = r;
            batch.append(m);
        }
    }
    return batch;
}

// What SqlMessageRepository::insert did before the multi-row/COPY change: one prepared INSERT per record.
bool insertOnePerRecord(const Database &database, const QList<StoredMessage> &messages)
{
    QSqlDatabase db = database.connection();
    Transaction tx(db);
    QSqlQuery q(db);
    if (!q.prepare(u"INSERT INTO messages (channel, subtopic, publisher, protocol, name, unit, value, time, "
                   "update_time, content_type, created, source_seq, source_idx) VALUES (?, '', ?, ?, ?, ?, ?, ?, 0, "
                   "'', ?, ?, ?) ON CONFLICT (source_seq, source_idx, created) DO NOTHING"_s))
        return false;
    for (const StoredMessage &m : messages) {
        for (const QVariant &v : QVariantList{m.channel, m.publisher, m.protocol, m.name, m.unit, *m.value, m.time,
                                              m.createdNs, qint64(m.sourceSequence), m.sourceIndex})
            q.addBindValue(v);
        if (!q.exec()) {
            std::fprintf(stderr, "insert: %s\n", qPrintable(q.lastError().text()));
            return false;
        }
    }
    return bool(tx.commit());
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: bench_messagerepository <sqlite:file|postgres://...> [batches]\n");
        return 2;
    }
    const int batches = args.size() > 2 ? args.at(2).toInt() : 40;
    auto db = Database::open(args.at(1), QString());
    if (!db) {
        std::fprintf(stderr, "cannot open %s: %s\n", qPrintable(args.at(1)), qPrintable(db.error().message));
        return 1;
    }
    QSqlQuery((*db)->connection()).exec(u"DELETE FROM messages"_s);
    SqlMessageRepository repo(**db);
    quint64 sequence = 1;
    const auto measure = [&](const char *label, auto insert) {
        QElapsedTimer wall;
        const std::clock_t cpu0 = std::clock();
        wall.start();
        qint64 records = 0;
        for (int b = 0; b < batches; ++b) {
            const QList<StoredMessage> batch = makeBatch(sequence);
            sequence += MessagesPerBatch;
            if (!insert(batch))
                return false;
            records += batch.size();
        }
        const double seconds = double(wall.nsecsElapsed()) / 1e9;
        const double cpu = double(std::clock() - cpu0) / CLOCKS_PER_SEC;
        std::printf("%s: %lld records in %.2f s: %.0f records/s wall, %.0f records/s of client CPU\n", label,
                    records, seconds, double(records) / seconds, cpu > 0 ? double(records) / cpu : 0.0);
        return true;
    };
    const bool ok =
        measure("one INSERT per record (before)", [&](const auto &batch) { return insertOnePerRecord(**db, batch); }) &&
        measure("SqlMessageRepository::insert", [&](const auto &batch) {
            auto stored = repo.insert(batch);
            if (!stored)
                std::fprintf(stderr, "insert: %s\n", qPrintable(stored.error().message));
            return stored && *stored == batch.size();
        }) &&
        measure("one INSERT per record (again)", [&](const auto &batch) { return insertOnePerRecord(**db, batch); }) &&
        measure("SqlMessageRepository::insert (again)", [&](const auto &batch) { return bool(repo.insert(batch)); });
    return ok ? 0 : 1;
}
