#include "testbackend.h"

#include "testdatabase.h"

#include <QEventLoop>
#include <QNetworkReply>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace mf::testing {

TestBackend::TestBackend(const QHash<QString, QString> &extra, DatabaseMode mode)
{
    if (mode == KeepDatabase) {
        m_dbUrl = extra.value(u"MF_DB_URL"_s);
    } else {
        auto url = testDatabaseUrl();
        if (!url) {
            m_error = url.error().message;
            return;
        }
        m_dbUrl = *url;
    }
    QHash<QString, QString> values{{u"MF_DATA_DIR"_s, m_dir.path()},
                                   {u"MF_HTTP_PORT"_s, u"0"_s},
                                   {u"MF_WS_PORT"_s, u"0"_s},
                                   {u"MF_COAP_PORT"_s, u"0"_s},
                                   {u"MF_MQTT_PORT"_s, u"0"_s},
                                   {u"MF_MQTT_WS_PORT"_s, u"0"_s},
                                   {u"MF_DB_URL"_s, m_dbUrl},
                                   {u"MF_JWT_SECRET"_s, QString::fromLatin1(JwtSecret)},
                                   {u"MF_LOG_LEVEL"_s, u"warn"_s}};
    for (auto it = extra.cbegin(); it != extra.cend(); ++it)
        values.insert(it.key(), it.value());
    auto config = backend::Config::fromValues(values);
    if (!config) {
        m_error = config.error().message;
        return;
    }
    auto backend = std::make_unique<backend::Backend>(*config);
    if (auto started = backend->start(); !started) {
        m_error = started.error().message;
        return;
    }
    m_backend = std::move(backend);
}

TestBackend::~TestBackend() = default;

QString TestBackend::baseUrl() const
{
    // With MF_TLS_CERT the REST port speaks HTTPS (tests make the client trust their CA).
    return u"%1://127.0.0.1:%2"_s.arg(m_backend && m_backend->isTls() ? u"https"_s : u"http"_s)
        .arg(m_backend ? m_backend->httpPort() : 0);
}

HttpReply sendAndWait(QNetworkAccessManager &network, const QUrl &url, const QByteArray &method,
                      const QByteArray &body, const QByteArray &contentType, const QByteArray &authorization)
{
    QNetworkRequest req(url);
    if (!contentType.isEmpty())
        req.setRawHeader("Content-Type", contentType);
    if (!authorization.isEmpty())
        req.setRawHeader("Authorization", authorization);
    QNetworkReply *reply = network.sendCustomRequest(req, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(30000, &loop, &QEventLoop::quit);
    loop.exec();
    HttpReply out;
    out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    out.body = reply->readAll();
    for (const auto &[name, value] : reply->rawHeaderPairs())
        out.headers.insert(name.toLower(), value);
    reply->deleteLater();
    return out;
}

HttpReply TestBackend::request(const QByteArray &method, const QString &path, const QByteArray &body,
                               const QByteArray &contentType, const QByteArray &authorization)
{
    return sendAndWait(m_network, QUrl(path.startsWith("http://"_L1) ? path : baseUrl() + path), method, body,
                       contentType, authorization);
}

HttpReply TestBackend::post(const QString &path, const QJsonObject &body, const QByteArray &authorization)
{
    return request("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact), "application/json",
                   authorization);
}

QString TestBackend::createUser(const QString &email, const QString &password)
{
    const HttpReply reply = post(u"/users"_s, {{u"email"_s, email}, {u"password"_s, password}});
    if (reply.status != 201)
        qFatal("creating user %s failed: %d %s", qPrintable(email), reply.status, reply.body.constData());
    return reply.json().value("id"_L1).toString();
}

QByteArray TestBackend::token(const QString &email, const QString &password)
{
    const HttpReply reply = post(u"/tokens"_s, {{u"email"_s, email}, {u"password"_s, password}});
    if (reply.status != 201)
        qFatal("token for %s failed: %d %s", qPrintable(email), reply.status, reply.body.constData());
    return reply.json().value("token"_L1).toString().toLatin1();
}

} // namespace mf::testing
