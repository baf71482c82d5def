#include "testdatabase.h"

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
    const QString url = QString::fromUtf8(file.readAll()).trimmed();
    // Empty the database: every test starts from the migrations, as a new installation does.
    auto settings = storage::parsePostgresUrl(url);
    if (!settings)
        return std::unexpected(settings.error());
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, u"mf-test-reset"_s);
        db.setHostName(settings->host);
        db.setPort(settings->port);
        db.setDatabaseName(settings->database);
        db.setUserName(settings->user);
        if (!db.open())
            return fail(ErrorCode::Unavailable, db.lastError().text());
        QSqlQuery q(db);
        if (!q.exec(u"DROP SCHEMA public CASCADE"_s) || !q.exec(u"CREATE SCHEMA public"_s))
            return fail(ErrorCode::Unavailable, q.lastError().text());
    }
    QSqlDatabase::removeDatabase(u"mf-test-reset"_s);
    return url;
}

Result<std::unique_ptr<storage::Database>> openTestDatabase(const QTemporaryDir &dir)
{
    auto url = testDatabaseUrl();
    if (!url)
        return std::unexpected(url.error());
    return storage::Database::open(*url, dir.path());
}

} // namespace mf::testing
