#pragma once

#include "storage/database.h"

#include <QTemporaryDir>

namespace mf::testing {

// The storage a test runs against, chosen by the environment so one suite covers both back ends:
//   MF_TEST_DB=postgres with MF_TEST_PG_URL_FILE (written by scripts/pg-cluster.sh through the CTest fixture)
//   → a PostgreSQL database emptied for this test; otherwise a fresh SQLite file in `dir`.
// Never silently falls back: a missing PostgreSQL URL is an error.
Result<std::unique_ptr<storage::Database>> openTestDatabase(const QTemporaryDir &dir);
// The database URL for a backend under test: "" (SQLite in its data dir) or the PostgreSQL URL, emptied.
Result<QString> testDatabaseUrl();
bool testingPostgres();
// Another connection to the database openTestDatabase(dir) opened last, without emptying it (e.g. for a second
// thread). Open it on the thread that uses it.
Result<std::unique_ptr<storage::Database>> openSameTestDatabase(const QTemporaryDir &dir);

} // namespace mf::testing
