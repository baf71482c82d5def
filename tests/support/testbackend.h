#pragma once

#include "backend.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QTemporaryDir>

namespace mf::testing {

struct HttpReply
{
    int status = 0;
    QByteArray body;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QString error() const { return json().value(QLatin1StringView("error")).toString(); }
};

// Sends one request and waits (up to 30 s) for the answer, running the event loop meanwhile: a server in this
// process keeps serving. Empty headers are not sent.
HttpReply sendAndWait(QNetworkAccessManager &network, const QUrl &url, const QByteArray &method,
                      const QByteArray &body, const QByteArray &contentType, const QByteArray &authorization);

// A whole backend in-process on a free port with its own data dir, storage chosen like openTestDatabase
// (SQLite, or the CTest PostgreSQL cluster when MF_TEST_DB=postgres), and a blocking HTTP client for it.
class TestBackend final
{
public:
    static constexpr char JwtSecret[] = "test-secret-test-secret-test-secret-0123";

    enum DatabaseMode {
        FreshDatabase, // an empty test database (SQLite in the data dir, or the emptied PostgreSQL one)
        KeepDatabase,  // MF_DB_URL from `extra` as it is: a second backend sharing the first one's data
    };
    // extra: more settings by env name, e.g. {"MF_ALLOW_SIGNUP", "false"}.
    explicit TestBackend(const QHash<QString, QString> &extra = {}, DatabaseMode mode = FreshDatabase);
    ~TestBackend();

    bool isRunning() const { return m_backend != nullptr; }
    QString startError() const { return m_error; }
    backend::Backend &backend() { return *m_backend; }
    QString dataDir() const { return m_dir.path(); }
    QString databaseUrl() const { return m_dbUrl; }
    QString baseUrl() const;

    // Sends one request and waits for the answer (the in-process server answers from the nested loop). `path` is
    // relative to the REST port, or a whole http:// URL (another port of the backend).
    HttpReply request(const QByteArray &method, const QString &path, const QByteArray &body = {},
                      const QByteArray &contentType = "application/json", const QByteArray &authorization = {});
    HttpReply get(const QString &path, const QByteArray &authorization) { return request("GET", path, {}, {}, authorization); }
    HttpReply post(const QString &path, const QJsonObject &body, const QByteArray &authorization = {});

    // Convenience for test set-up; a failure stops the test with QFAIL-like diagnostics via qFatal.
    QString createUser(const QString &email, const QString &password = QStringLiteral("12345678"));
    QByteArray token(const QString &email, const QString &password = QStringLiteral("12345678"));

private:
    QTemporaryDir m_dir;
    QString m_dbUrl;
    QString m_error;
    std::unique_ptr<backend::Backend> m_backend;
    QNetworkAccessManager m_network;
};

} // namespace mf::testing
