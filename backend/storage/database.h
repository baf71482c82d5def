#pragma once

#include "core/error.h"
#include "writegate.h"

#include <QElapsedTimer>
#include <QSqlDatabase>
#include <QString>
#include <memory>

namespace mf::storage {

enum class Dialect { Sqlite, Postgres };

// One open database connection (Qt SQL connections belong to the thread that opened them: a worker thread
// opens its own Database). Opening applies the embedded numbered migrations in order, each in a transaction.
class Database final
{
public:
    // url: empty → SQLite file `<dataDir>/mainflux.db`; `sqlite:<path>` → that SQLite file;
    // `postgres://user:pass@host:port/db[?sslmode=...]` (or `postgresql://`) → PostgreSQL.
    static Result<std::unique_ptr<Database>> open(const QString &url, const QString &dataDir);
    ~Database();
    Q_DISABLE_COPY_MOVE(Database)

    Dialect dialect() const { return m_dialect; }
    // The connection; a PostgreSQL connection that the server dropped (restart, failover) is opened again here,
    // at most once a second, so the statement after the failed one finds the server back.
    QSqlDatabase connection() const;
    // A short description for logs, without the password ("sqlite /path/mainflux.db", "postgres host:port/db").
    QString description() const { return m_description; }
    // Number of the newest applied migration.
    int schemaVersion() const { return m_schemaVersion; }

    // Used by the dialect openers (sqlite/, postgres/); call open() instead.
    Database(Dialect dialect, QString connectionName, QString description);

private:
    Result<void> migrate();

    Dialect m_dialect;
    QString m_connectionName;
    QString m_description;
    int m_schemaVersion = 0;
    mutable QElapsedTimer m_lastReconnect;
};

// Rolls back unless committed. Nesting is not supported; repositories open one per multi-statement change.
// On SQLite it begins IMMEDIATE (takes the write lock first, waiting up to the busy timeout): use it for changes.
class Transaction final
{
public:
    explicit Transaction(const QSqlDatabase &db);
    ~Transaction();
    Q_DISABLE_COPY_MOVE(Transaction)

    bool isActive() const { return m_active; }
    Result<void> commit();

private:
    QSqlDatabase m_db;
    std::unique_ptr<WriteTurn> m_turn; // SQLite: this process's writers take turns (writegate.h)
    bool m_active = false;
};

// Connection settings parsed from a postgres:// URL.
struct PostgresSettings
{
    QString host = QStringLiteral("127.0.0.1");
    int port = 5432;
    QString database;
    QString user;
    QString password;
    QString options; // libpq connect options, e.g. "sslmode=require"
};
Result<PostgresSettings> parsePostgresUrl(const QString &url);

} // namespace mf::storage
