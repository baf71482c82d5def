#pragma once

#include "core/error.h"
#include "core/message.h"

#include <QSqlDatabase>

namespace mf::storage {

// Stores records on a QPSQL connection inside the caller's open transaction with libpq's COPY into a temporary
// staging table and one INSERT ... SELECT ... ON CONFLICT (source_seq, source_idx, created) DO NOTHING. QPSQL sends
// every bound statement as PREPARE/EXECUTE with the values as SQL literals: one INSERT per record capped the writer
// at ~19k records/s, and one multi-row INSERT of 1,000 records was slower still (PostgreSQL spent the time analysing
// the 18,000-parameter statement; docs/BENCHMARKS.md). `columns` names the 18 message columns in the order
// messageColumns lists them. Returns the rows stored (duplicates of stored rows, and within the batch, are skipped).
Result<qint64> copyMessages(const QSqlDatabase &db, const QString &columns, const QList<StoredMessage> &messages);

} // namespace mf::storage
