#include "database.h"

#include "storagelog.h"
#include "sqlerror.h"

#include <QDir>
#include <QFile>
#include <QSqlError>
#include <QScopeGuard>
#include <QSqlQuery>
#include <QUrl>
#include <QUrlQuery>

#include <atomic>

using namespace Qt::StringLiterals;

namespace mf::storage {

Result<std::unique_ptr<Database>> openSqlite(const QString &path, const QString &connectionName);
Result<std::unique_ptr<Database>> openPostgres(const PostgresSettings &settings, const QString &connectionName);

namespace {

QString nextConnectionName()
{
    static std::atomic<int> counter{0};
    return u"mf-db-%1"_s.arg(counter.fetch_add(1));
}

QStringList migrationFiles(Dialect dialect)
{
    const QString dir = dialect == Dialect::Sqlite ? u":/migrations/sqlite"_s : u":/migrations/postgres"_s;
    QStringList files = QDir(dir).entryList({u"*.sql"_s}, QDir::Files, QDir::Name);
    for (QString &file : files)
        file = dir + u'/' + file;
    return files;
}

// Splits a migration into statements at semicolons that end a line.
QStringList statements(const QString &script)
{
    QStringList out;
    QString current;
    for (const QString &line : script.split(u'\n')) {
        current += line + u'\n';
        if (line.trimmed().endsWith(u';')) {
            out.append(current.trimmed());
            current.clear();
        }
    }
    if (!current.trimmed().isEmpty())
        out.append(current.trimmed());
    return out;
}

} // namespace

Result<PostgresSettings> parsePostgresUrl(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != "postgres"_L1 && url.scheme() != "postgresql"_L1))
        return fail(ErrorCode::Malformed, u"database URL must look like postgres://user:pass@host:port/db"_s);
    PostgresSettings settings;
    if (!url.host().isEmpty())
        settings.host = url.host();
    settings.port = url.port(5432);
    settings.database = url.path().mid(1);
    settings.user = url.userName();
    settings.password = url.password();
    if (settings.database.isEmpty() || settings.database.contains(u'/'))
        return fail(ErrorCode::Malformed, u"database URL names no database (postgres://host:port/<db>)"_s);
    QStringList options;
    for (const auto &[key, value] : QUrlQuery(url).queryItems(QUrl::FullyDecoded))
        options.append(key + u'=' + value);
    settings.options = options.join(u';');
    return settings;
}

Result<std::unique_ptr<Database>> Database::open(const QString &url, const QString &dataDir)
{
    Result<std::unique_ptr<Database>> db;
    if (url.isEmpty()) {
        if (!QDir().mkpath(dataDir))
            return fail(ErrorCode::Unavailable, u"cannot create data dir %1"_s.arg(dataDir));
        db = openSqlite(QDir(dataDir).filePath(u"mainflux.db"_s), nextConnectionName());
    } else if (url.startsWith("sqlite:"_L1)) {
        db = openSqlite(url.mid(7), nextConnectionName());
    } else {
        auto settings = parsePostgresUrl(url);
        if (!settings)
            return std::unexpected(settings.error());
        db = openPostgres(*settings, nextConnectionName());
    }
    if (!db)
        return db;
    if (auto migrated = (*db)->migrate(); !migrated)
        return std::unexpected(migrated.error());
    return db;
}

Database::Database(Dialect dialect, QString connectionName, QString description)
    : m_dialect(dialect), m_connectionName(std::move(connectionName)), m_description(std::move(description))
{
}

Database::~Database()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

QSqlDatabase Database::connection() const
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    // QPSQL closes a connection the server dropped; without this, every later statement failed with "database not
    // open" until the process was restarted (found by tests/cluster/cluster_faults_test.py).
    if (m_dialect == Dialect::Postgres && !db.isOpen() &&
        (!m_lastReconnect.isValid() || m_lastReconnect.hasExpired(1000))) {
        m_lastReconnect.start();
        if (db.open()) {
            QSqlQuery(db).exec(u"SET client_min_messages TO WARNING"_s);
            qCInfo(lcStorage).noquote() << "reconnected to" << m_description;
        } else {
            qCWarning(lcStorage).noquote() << "cannot reconnect to" << m_description << ":"
                                           << db.lastError().text().trimmed() << "(retrying)";
        }
    }
    return db;
}

Result<void> Database::migrate()
{
    QSqlDatabase db = connection();
    QSqlQuery query(db);
    // Processes of a cluster that start together (or all wait for PostgreSQL and find it at once) would apply the same
    // migration concurrently, and all but one fail ("already exists"). A session advisory lock makes them take turns;
    // the later ones then find the migrations applied. Released with the unlock below or when the connection ends.
    constexpr qint64 MigrationLock = 0x6d66'6d69'6772; // "mfmigr"
    const bool locked = m_dialect == Dialect::Postgres;
    if (locked && !query.exec(u"SELECT pg_advisory_lock(%1)"_s.arg(MigrationLock)))
        return sqlFailure(query.lastError(), u"lock the schema for migrations"_s);
    const auto unlock = qScopeGuard([&] {
        if (locked)
            QSqlQuery(db).exec(u"SELECT pg_advisory_unlock(%1)"_s.arg(MigrationLock));
    });
    if (!query.exec(u"CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)"_s))
        return sqlFailure(query.lastError(), u"create schema_migrations"_s);
    if (!query.exec(u"SELECT COALESCE(MAX(version), 0) FROM schema_migrations"_s) || !query.next())
        return sqlFailure(query.lastError(), u"read schema version"_s);
    m_schemaVersion = query.value(0).toInt();

    for (const QString &file : migrationFiles(m_dialect)) {
        const int version = QFileInfo(file).fileName().section(u'_', 0, 0).toInt();
        if (version <= m_schemaVersion)
            continue;
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly))
            return fail(ErrorCode::Internal, u"cannot read migration %1"_s.arg(file));
        Transaction tx(db);
        for (const QString &statement : statements(QString::fromUtf8(f.readAll()))) {
            if (!query.exec(statement))
                return sqlFailure(query.lastError(), u"migration %1"_s.arg(version));
        }
        query.prepare(u"INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)"_s);
        query.addBindValue(version);
        query.addBindValue(QDateTime::currentMSecsSinceEpoch());
        if (!query.exec())
            return sqlFailure(query.lastError(), u"record migration %1"_s.arg(version));
        if (auto committed = tx.commit(); !committed)
            return committed;
        qCInfo(lcStorage) << "applied migration" << version << "to" << m_description;
        m_schemaVersion = version;
    }
    return {};
}

Transaction::Transaction(const QSqlDatabase &db) : m_db(db)
{
    if (m_db.driverName() == "QSQLITE"_L1) {
        // Every Transaction here writes. A DEFERRED one (Qt's "BEGIN") that reads and then writes while another
        // connection (the message writer) holds the write lock fails at once with "database is locked": waiting
        // could deadlock, so SQLite skips the busy timeout. IMMEDIATE takes the write lock first; the turn before it
        // makes this process's writers take turns instead of racing for the lock (writegate.h).
        m_turn = std::make_unique<WriteTurn>(m_db);
        QSqlQuery begin(m_db);
        m_active = begin.exec(u"BEGIN IMMEDIATE"_s);
        if (!m_active) {
            qCWarning(lcStorage) << "cannot begin transaction:" << begin.lastError().text();
            m_turn.reset();
        }
        return;
    }
    m_active = m_db.transaction();
    if (!m_active)
        qCWarning(lcStorage) << "cannot begin transaction:" << m_db.lastError().text();
}

Transaction::~Transaction()
{
    if (m_active)
        m_db.rollback();
}

Result<void> Transaction::commit()
{
    if (!m_active)
        return fail(ErrorCode::Unavailable, u"database transaction could not begin"_s);
    m_active = false;
    const bool committed = m_db.commit();
    const QSqlError error = m_db.lastError();
    if (!committed) m_db.rollback();
    m_turn.reset(); // the next writer's turn
    if (!committed) return sqlFailure(error, u"commit"_s);
    return {};
}

} // namespace mf::storage
