#include "testdatabase.h"

#include <QCoreApplication>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace mf::testing {

bool testingPostgres()
{
    return qEnvironmentVariable("MF_TEST_DB") == "postgres"_L1;
}

Result<QString> testDatabaseUrl()
{
    if (!testingPostgres())
        return QString();
    QFile file(qEnvironmentVariable("MF_TEST_PG_URL_FILE"));
    if (!file.open(QIODevice::ReadOnly))
        return fail(ErrorCode::Unavailable,
                    u"MF_TEST_DB=postgres but no cluster URL at MF_TEST_PG_URL_FILE=%1 (run through ctest)"_s.arg(
                        file.fileName()));
    const QString clusterUrl = QString::fromUtf8(file.readAll()).trimmed();
    auto settings = storage::parsePostgresUrl(clusterUrl);
    if (!settings)
        return std::unexpected(settings.error());
    // Test executables run in parallel against one cluster: each process gets a database of its own, and every
    // call empties it, so each test starts from the migrations as a new installation does.
    const QString database = u"mf_test_%1"_s.arg(QCoreApplication::applicationPid());
    static bool created = false;
    const auto exec = [&](const QString &db, const QStringList &statements) -> Result<void> {
        {
            QSqlDatabase conn = QSqlDatabase::addDatabase(u"QPSQL"_s, u"mf-test-reset"_s);
            conn.setHostName(settings->host);
            conn.setPort(settings->port);
            conn.setDatabaseName(db);
            conn.setUserName(settings->user);
            if (!conn.open())
                return fail(ErrorCode::Unavailable, conn.lastError().text());
            QSqlQuery q(conn);
            for (const QString &statement : statements)
                if (!q.exec(statement))
                    return fail(ErrorCode::Unavailable, q.lastError().text());
        }
        QSqlDatabase::removeDatabase(u"mf-test-reset"_s);
        return {};
    };
    if (!created) {
        if (auto ok = exec(settings->database, {u"DROP DATABASE IF EXISTS "_s + database, u"CREATE DATABASE "_s + database}); !ok)
            return std::unexpected(ok.error());
        created = true;
    }
    if (auto ok = exec(database, {u"DROP SCHEMA public CASCADE"_s, u"CREATE SCHEMA public"_s}); !ok)
        return std::unexpected(ok.error());
    QString url = clusterUrl;
    url.replace(url.lastIndexOf(u'/') + 1, settings->database.size(), database);
    return url;
}

namespace {
QString lastUrl; // of the database testDatabaseUrl() emptied last
}

Result<std::unique_ptr<storage::Database>> openTestDatabase(const QTemporaryDir &dir)
{
    auto url = testDatabaseUrl();
    if (!url)
        return std::unexpected(url.error());
    lastUrl = *url;
    return storage::Database::open(*url, dir.path());
}

Result<std::unique_ptr<storage::Database>> openSameTestDatabase(const QTemporaryDir &dir)
{
    return storage::Database::open(lastUrl, dir.path());
}

} // namespace mf::testing
