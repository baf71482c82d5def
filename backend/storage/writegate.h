#pragma once

#include <QSqlDatabase>

namespace mf::storage {

// SQLite lets one connection write at a time and wakes waiting writers by polling (the busy timeout), which is not
// fair: the message writer, committing batch after batch, can take the lock again before a REST change polls, until
// the change gives up with "database is locked". Every SQLite write (a Transaction, or a single INSERT/UPDATE/DELETE
// through runQuery) therefore first takes this first-come-first-served gate of its database file, so writers of one
// process take turns. Reentrant per thread (a statement inside a Transaction does not wait for itself). A no-op for
// PostgreSQL connections.
class WriteTurn final
{
public:
    explicit WriteTurn(const QSqlDatabase &db);
    ~WriteTurn();
    Q_DISABLE_COPY_MOVE(WriteTurn)

private:
    void *m_gate = nullptr; // held by this object; null when not needed (PostgreSQL, or already held by this thread)
};

// Whether a statement changes data (and so needs a WriteTurn on SQLite).
bool isWriteStatement(const QString &sql);

} // namespace mf::storage
