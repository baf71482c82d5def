#include "restclient.h"

#include "core/entitiesjson.h"
#include "httpstatus.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>

using namespace Qt::StringLiterals;

namespace mf::client {

namespace {
constexpr char SeenFingerprintProperty[] = "mf_seen_sha256"; // a certificate that is not the pinned one
}

namespace {

QString networkProblem(QNetworkReply::NetworkError error, const QString &fallback)
{
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
        return u"connection refused"_s;
    case QNetworkReply::RemoteHostClosedError:
        return u"the server closed the connection"_s;
    case QNetworkReply::HostNotFoundError:
        return u"host not found"_s;
    case QNetworkReply::TimeoutError:
        return u"timed out"_s;
    case QNetworkReply::OperationCanceledError:
        return u"timed out or cancelled"_s;
    case QNetworkReply::SslHandshakeFailedError:
        return u"TLS handshake failed (%1); trust the server's CA with --ca FILE, or accept any certificate with "
               "--insecure"_s.arg(fallback);
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::TemporaryNetworkFailureError:
        return u"network unavailable"_s;
    default:
        return fallback;
    }
}

// The server's {"error": "..."} message, or the body itself when it is short text, or the status name.
QString serverMessage(int status, const QByteArray &body, const QString &reason)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (doc.isObject()) {
        const QString message = doc.object().value("error"_L1).toString();
        if (!message.isEmpty()) return message;
    }
    const QString text = QString::fromUtf8(body).trimmed();
    if (!text.isEmpty() && text.size() <= 200 && !text.contains(u'\n')) return text;
    return reason.isEmpty() ? u"HTTP status %1"_s.arg(status) : u"HTTP %1 %2"_s.arg(status).arg(reason);
}

Error unexpected(const QString &what)
{
    return Error{ErrorCode::Internal, u"unexpected answer from the server: "_s + what};
}

Result<QJsonObject> objectBody(const Response &response)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(response.body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::unexpected(unexpected(u"expected a JSON object"_s));
    return doc.object();
}

template <typename T>
Result<Page<T>> pageBody(const Response &response, QLatin1StringView key, Result<T> (*parse)(const QJsonObject &))
{
    auto object = objectBody(response);
    if (!object) return std::unexpected(object.error());
    const QJsonValue items = object->value(key);
    if (!items.isArray()) return std::unexpected(unexpected(key + u": missing"_s));
    Page<T> page;
    for (const QJsonValue &item : items.toArray()) {
        auto parsed = parse(item.toObject());
        if (!parsed) return std::unexpected(unexpected(parsed.error().message));
        page.items.append(*parsed);
    }
    page.total = object->value("total"_L1).toInteger(page.items.size());
    page.offset = object->value("offset"_L1).toInteger();
    page.limit = object->value("limit"_L1).toInteger(page.items.size());
    return page;
}

template <typename T>
Result<QList<T>> listBody(const Response &response, QLatin1StringView key, Result<T> (*parse)(const QJsonObject &))
{
    auto page = pageBody<T>(response, key, parse);
    if (!page) return std::unexpected(page.error());
    return page->items;
}

template <typename T>
Result<T> entityBody(const Response &response, Result<T> (*parse)(const QJsonObject &))
{
    auto object = objectBody(response);
    if (!object) return std::unexpected(object.error());
    auto entity = parse(*object);
    if (!entity) return std::unexpected(unexpected(entity.error().message));
    return *entity;
}

Result<void> noBody(const Response &)
{
    return {};
}

QUrlQuery noQuery()
{
    return {};
}

} // namespace

QString pathSegment(const QString &segment)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(segment));
}

QUrlQuery pageQueryItems(const PageQuery &query)
{
    QUrlQuery items;
    items.addQueryItem(u"offset"_s, QString::number(query.offset));
    items.addQueryItem(u"limit"_s, QString::number(query.limit));
    if (!query.name.isEmpty()) items.addQueryItem(u"name"_s, QString::fromLatin1(QUrl::toPercentEncoding(query.name)));
    if (query.order != "created"_L1) items.addQueryItem(u"order"_s, query.order);
    if (query.descending) items.addQueryItem(u"dir"_s, u"desc"_s);
    if (!query.status.isEmpty()) items.addQueryItem(u"status"_s, query.status);
    if (query.offlineForMs > 0) items.addQueryItem(u"offline_for"_s, u"%1s"_s.arg(std::max<qint64>(1, query.offlineForMs / 1000)));
    return items;
}

RestClient::RestClient(const QUrl &baseUrl, QObject *parent)
    : QObject(parent), m_baseUrl(baseUrl), m_network(new QNetworkAccessManager(this))
{
    m_network->setAutoDeleteReplies(true);
}

RestClient::~RestClient()
{
    // Aborting emits finished, which completes every Pending with an error: no waiter is left hanging.
    const auto replies = m_network->findChildren<QNetworkReply *>();
    for (QNetworkReply *reply : replies)
        reply->abort();
}

void RestClient::setTimeout(int milliseconds)
{
    m_timeout = milliseconds;
}

QUrl RestClient::urlFor(const QString &encodedPath, const QUrlQuery &query) const
{
    QUrl url = m_baseUrl;
    QString base = url.path(QUrl::FullyEncoded);
    while (base.endsWith(u'/'))
        base.chop(1);
    url.setPath(base + encodedPath, QUrl::TolerantMode);
    url.setQuery(query.isEmpty() ? QString() : query.query(QUrl::FullyEncoded), QUrl::TolerantMode);
    return url;
}

QByteArray RestClient::userAuthorization() const
{
    return m_token.isEmpty() ? QByteArray() : "Bearer " + m_token.toUtf8();
}

Pending<Response> RestClient::send(const QByteArray &method, const QString &encodedPath, const QUrlQuery &query,
                                   const QByteArray &body, const QByteArray &contentType,
                                   const QByteArray &authorization)
{
    Pending<Response> pending;
    const QUrl url = urlFor(encodedPath, query);
    if (!url.isValid() || (url.scheme() != "http"_L1 && url.scheme() != "https"_L1)) {
        pending.finish(std::unexpected(Error{
            ErrorCode::Malformed,
            u"invalid server URL \"%1\": use http://host:port or https://host:port"_s.arg(m_baseUrl.toString())}));
        return pending;
    }
    QNetworkRequest request(url);
    request.setTransferTimeout(m_timeout);
    request.setRawHeader("Accept", "application/json");
    if (!contentType.isEmpty()) request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    if (!authorization.isEmpty()) request.setRawHeader("Authorization", authorization);
#if QT_CONFIG(ssl)
    if (url.scheme() == "https"_L1) request.setSslConfiguration(m_trust.configuration());
#endif
    QNetworkReply *reply = m_network->sendCustomRequest(request, method, body);
    QPointer<RestClient> self(this);
    const bool pinned = !m_trust.pinnedSha256.isEmpty() && !m_trust.insecure;
    applyTrust(reply, m_trust, [reply, self, pinned](const QSslCertificate &certificate) {
        if (pinned) reply->setProperty(SeenFingerprintProperty, QString::fromLatin1(sha256Fingerprint(certificate)));
        if (self) Q_EMIT self->certificateRefused(certificate);
    });
    const QString server = m_baseUrl.toString(QUrl::RemoveUserInfo | QUrl::StripTrailingSlash);
    const bool withToken = !authorization.isEmpty() && authorization == userAuthorization();
    connect(reply, &QNetworkReply::finished, reply, [reply, pending, server, withToken, self] {
        const QVariant statusAttribute = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        if (const QString seen = reply->property(SeenFingerprintProperty).toString(); !seen.isEmpty()) {
            pending.finish(std::unexpected(
                Error{ErrorCode::Unavailable,
                      u"refused %1: its certificate (SHA-256 %2) is not the pinned one; it changed "
                      "since you trusted it, or someone is intercepting the connection"_s.arg(server, seen)}));
            return;
        }
        if (!statusAttribute.isValid()) {
            pending.finish(std::unexpected(Error{
                ErrorCode::Unavailable,
                u"cannot reach %1: %2"_s.arg(server, networkProblem(reply->error(), reply->errorString().toLower()))}));
            return;
        }
        const int status = statusAttribute.toInt();
        const QByteArray body = reply->readAll();
        if (status < 200 || status > 299) {
            const QString reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
            const QString message = serverMessage(status, body, reason);
            pending.finish(std::unexpected(Error{errorCodeForStatus(status), message}));
            if (status == 401 && withToken && self) Q_EMIT self->tokenRejected(message);
            return;
        }
        pending.finish(Response{status, body, reply->rawHeader("Location")});
    });
    return pending;
}

template <typename T>
Pending<T> RestClient::call(const QByteArray &method, const QString &encodedPath, const QUrlQuery &query,
                            const QByteArray &body, std::function<Result<T>(const Response &)> parse)
{
    Pending<T> typed;
    const QByteArray contentType = body.isEmpty() ? QByteArray() : QByteArray("application/json");
    Pending<Response> raw = send(method, encodedPath, query, body, contentType, userAuthorization());
    // The network reply is the context: it outlives nothing it needs, and dies only after finishing.
    raw.then(m_network, [typed, parse](const Result<Response> &response) {
        typed.finish(response ? parse(*response) : std::unexpected(response.error()));
    });
    return typed;
}

Pending<Response> RestClient::sendJson(const QByteArray &method, const QString &encodedPath, const QJsonValue &body)
{
    const QByteArray bytes = body.isArray() ? QJsonDocument(body.toArray()).toJson(QJsonDocument::Compact)
                                            : QJsonDocument(body.toObject()).toJson(QJsonDocument::Compact);
    return send(method, encodedPath, {}, bytes, "application/json", userAuthorization());
}

// ---- operations

Pending<QJsonObject> RestClient::health()
{
    return call<QJsonObject>("GET", u"/health"_s, noQuery(), {}, objectBody);
}

Pending<QJsonObject> RestClient::cluster()
{
    return call<QJsonObject>("GET", u"/cluster"_s, noQuery(), {}, objectBody);
}

Pending<QJsonObject> RestClient::thingStatus(const QString &thingId)
{
    return call<QJsonObject>("GET", u"/things/"_s + pathSegment(thingId) + u"/status"_s, noQuery(), {}, objectBody);
}

Pending<QJsonObject> RestClient::latestOfThing(const QString &thingId)
{
    return call<QJsonObject>("GET", u"/things/"_s + pathSegment(thingId) + u"/latest"_s, noQuery(), {}, objectBody);
}

Pending<QJsonObject> RestClient::latestOfChannel(const QString &channelId)
{
    return call<QJsonObject>("GET", u"/channels/"_s + pathSegment(channelId) + u"/latest"_s, noQuery(), {}, objectBody);
}

Pending<QJsonObject> RestClient::refusalsOfThing(const QString &thingId)
{
    return call<QJsonObject>("GET", u"/things/"_s + pathSegment(thingId) + u"/refusals"_s, noQuery(), {}, objectBody);
}

Pending<QJsonObject> RestClient::refusalsOfChannel(const QString &channelId)
{
    return call<QJsonObject>("GET", u"/channels/"_s + pathSegment(channelId) + u"/refusals"_s, noQuery(), {},
                             objectBody);
}

Pending<QJsonObject> RestClient::stats()
{
    return call<QJsonObject>("GET", u"/stats"_s, noQuery(), {}, objectBody);
}

Pending<QJsonObject> RestClient::version()
{
    return call<QJsonObject>("GET", u"/version"_s, noQuery(), {}, objectBody);
}

// ---- users

namespace {
QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}
QByteArray compact(const QJsonArray &array)
{
    return QJsonDocument(array).toJson(QJsonDocument::Compact);
}
Result<User> userBody(const Response &r)
{
    return entityBody<User>(r, json::userFromJson);
}
Result<Thing> thingBody(const Response &r)
{
    return entityBody<Thing>(r, json::thingFromJson);
}
Result<Channel> channelBody(const Response &r)
{
    return entityBody<Channel>(r, json::channelFromJson);
}
} // namespace

Pending<User> RestClient::createUser(const QString &email, const QString &password)
{
    return call<User>("POST", u"/users"_s, noQuery(),
                      compact(QJsonObject{{u"email"_s, email}, {u"password"_s, password}}), userBody);
}

Pending<QString> RestClient::issueToken(const QString &email, const QString &password)
{
    Pending<QString> typed;
    // No Authorization header: a stale token must not get in the way of signing in.
    const QByteArray body = compact(QJsonObject{{u"email"_s, email}, {u"password"_s, password}});
    send("POST", u"/tokens"_s, {}, body, "application/json", {})
        .then(m_network, [typed](const Result<Response> &response) {
            if (!response) {
                typed.finish(std::unexpected(response.error()));
                return;
            }
            auto object = objectBody(*response);
            const QString token = object ? object->value("token"_L1).toString() : QString();
            typed.finish(token.isEmpty() ? Result<QString>(std::unexpected(unexpected(u"no token"_s)))
                                         : Result<QString>(token));
        });
    return typed;
}

Pending<User> RestClient::me()
{
    return call<User>("GET", u"/users/me"_s, noQuery(), {}, userBody);
}

Pending<void> RestClient::changePassword(const QString &oldPassword, const QString &newPassword)
{
    return call<void>("PATCH", u"/password"_s, noQuery(),
                      compact(QJsonObject{{u"old_password"_s, oldPassword}, {u"password"_s, newPassword}}), noBody);
}

Pending<Page<User>> RestClient::users(const PageQuery &query)
{
    PageQuery byEmail = query;
    QUrlQuery items = pageQueryItems(byEmail);
    if (!query.name.isEmpty()) {
        items.removeQueryItem(u"name"_s);
        items.addQueryItem(u"email"_s, QString::fromLatin1(QUrl::toPercentEncoding(query.name)));
    }
    return call<Page<User>>("GET", u"/users"_s, items, {},
                            [](const Response &r) { return pageBody<User>(r, "users"_L1, json::userFromJson); });
}

Pending<User> RestClient::user(const QString &id)
{
    return call<User>("GET", u"/users/"_s + pathSegment(id), noQuery(), {}, userBody);
}

Pending<User> RestClient::setUserEnabled(const QString &id, bool enabled)
{
    return call<User>("PATCH", u"/users/"_s + pathSegment(id), noQuery(), compact(QJsonObject{{u"enabled"_s, enabled}}),
                      userBody);
}

Pending<void> RestClient::removeUser(const QString &id)
{
    return call<void>("DELETE", u"/users/"_s + pathSegment(id), noQuery(), {}, noBody);
}

Pending<void> RestClient::resetPassword(const QString &id, const QString &newPassword)
{
    return call<void>("PUT", u"/users/"_s + pathSegment(id) + u"/password"_s, noQuery(),
                      compact(QJsonObject{{u"password"_s, newPassword}}), noBody);
}

// ---- things

Pending<Thing> RestClient::createThing(const QJsonObject &thing)
{
    return call<Thing>("POST", u"/things"_s, noQuery(), compact(thing), thingBody);
}

Pending<QList<Thing>> RestClient::createThings(const QJsonArray &things)
{
    return call<QList<Thing>>("POST", u"/things/bulk"_s, noQuery(), compact(things),
                              [](const Response &r) { return listBody<Thing>(r, "things"_L1, json::thingFromJson); });
}

Pending<Thing> RestClient::thing(const QString &id)
{
    return call<Thing>("GET", u"/things/"_s + pathSegment(id), noQuery(), {}, thingBody);
}

Pending<Page<Thing>> RestClient::things(const PageQuery &query)
{
    return call<Page<Thing>>("GET", u"/things"_s, pageQueryItems(query), {},
                             [](const Response &r) { return pageBody<Thing>(r, "things"_L1, json::thingFromJson); });
}

Pending<Thing> RestClient::updateThing(const QString &id, const QJsonObject &changes)
{
    return call<Thing>("PUT", u"/things/"_s + pathSegment(id), noQuery(), compact(changes), thingBody);
}

Pending<void> RestClient::removeThing(const QString &id)
{
    return call<void>("DELETE", u"/things/"_s + pathSegment(id), noQuery(), {}, noBody);
}

Pending<QString> RestClient::rotateThingKey(const QString &id, const std::optional<QString> &newKey)
{
    const QByteArray body = newKey ? compact(QJsonObject{{u"key"_s, *newKey}}) : compact(QJsonObject{});
    return call<QString>("PATCH", u"/things/"_s + pathSegment(id) + u"/key"_s, noQuery(), body,
                         [](const Response &r) -> Result<QString> {
                             auto object = objectBody(r);
                             if (!object) return std::unexpected(object.error());
                             const QString key = object->value("key"_L1).toString();
                             if (key.isEmpty()) return std::unexpected(unexpected(u"no key"_s));
                             return key;
                         });
}

Pending<Page<Channel>> RestClient::channelsOfThing(const QString &thingId, const PageQuery &query)
{
    return call<Page<Channel>>(
        "GET", u"/things/"_s + pathSegment(thingId) + u"/channels"_s, pageQueryItems(query), {},
        [](const Response &r) { return pageBody<Channel>(r, "channels"_L1, json::channelFromJson); });
}

// ---- channels

Pending<Channel> RestClient::createChannel(const QJsonObject &channel)
{
    return call<Channel>("POST", u"/channels"_s, noQuery(), compact(channel), channelBody);
}

Pending<QList<Channel>> RestClient::createChannels(const QJsonArray &channels)
{
    return call<QList<Channel>>("POST", u"/channels/bulk"_s, noQuery(), compact(channels), [](const Response &r) {
        return listBody<Channel>(r, "channels"_L1, json::channelFromJson);
    });
}

Pending<Channel> RestClient::channel(const QString &id)
{
    return call<Channel>("GET", u"/channels/"_s + pathSegment(id), noQuery(), {}, channelBody);
}

Pending<Page<Channel>> RestClient::channels(const PageQuery &query)
{
    return call<Page<Channel>>("GET", u"/channels"_s, pageQueryItems(query), {}, [](const Response &r) {
        return pageBody<Channel>(r, "channels"_L1, json::channelFromJson);
    });
}

Pending<Channel> RestClient::updateChannel(const QString &id, const QJsonObject &changes)
{
    return call<Channel>("PUT", u"/channels/"_s + pathSegment(id), noQuery(), compact(changes), channelBody);
}

Pending<void> RestClient::removeChannel(const QString &id)
{
    return call<void>("DELETE", u"/channels/"_s + pathSegment(id), noQuery(), {}, noBody);
}

Pending<Page<Thing>> RestClient::thingsOfChannel(const QString &channelId, const PageQuery &query)
{
    return call<Page<Thing>>("GET", u"/channels/"_s + pathSegment(channelId) + u"/things"_s, pageQueryItems(query), {},
                             [](const Response &r) { return pageBody<Thing>(r, "things"_L1, json::thingFromJson); });
}

// ---- connections

Pending<void> RestClient::connectThing(const QString &channelId, const QString &thingId)
{
    return call<void>("PUT", u"/channels/%1/things/%2"_s.arg(pathSegment(channelId), pathSegment(thingId)), noQuery(),
                      {}, noBody);
}

Pending<void> RestClient::disconnectThing(const QString &channelId, const QString &thingId)
{
    return call<void>("DELETE", u"/channels/%1/things/%2"_s.arg(pathSegment(channelId), pathSegment(thingId)),
                      noQuery(), {}, noBody);
}

Pending<void> RestClient::connectMany(const QStringList &channelIds, const QStringList &thingIds)
{
    return call<void>("POST", u"/connect"_s, noQuery(),
                      compact(QJsonObject{{u"channel_ids"_s, QJsonArray::fromStringList(channelIds)},
                                          {u"thing_ids"_s, QJsonArray::fromStringList(thingIds)}}),
                      noBody);
}

Pending<void> RestClient::disconnectMany(const QStringList &channelIds, const QStringList &thingIds)
{
    return call<void>("POST", u"/disconnect"_s, noQuery(),
                      compact(QJsonObject{{u"channel_ids"_s, QJsonArray::fromStringList(channelIds)},
                                          {u"thing_ids"_s, QJsonArray::fromStringList(thingIds)}}),
                      noBody);
}

// ---- messages

Pending<void> RestClient::sendMessage(const QString &channelId, const QString &subtopic, const QString &contentType,
                                      const QByteArray &payload, const QString &thingKey)
{
    QString path = u"/http/channels/"_s + pathSegment(channelId) + u"/messages"_s;
    for (const QString &token : subtopic.split(u'/', Qt::SkipEmptyParts))
        path += u'/' + pathSegment(token);
    Pending<void> typed;
    send("POST", path, {}, payload, contentType.toUtf8(), "Thing " + thingKey.toUtf8())
        .then(m_network, [typed](const Result<Response> &response) {
            typed.finish(response ? Result<void>() : Result<void>(std::unexpected(response.error())));
        });
    return typed;
}

Pending<QJsonObject> RestClient::readMessages(const QString &channelId, const MessageQuery &query,
                                              const Credential &credential)
{
    QUrlQuery items;
    items.addQueryItem(u"offset"_s, QString::number(query.offset));
    items.addQueryItem(u"limit"_s, QString::number(query.limit));
    const auto add = [&items](const QString &name, const QString &value) {
        if (!value.isEmpty()) items.addQueryItem(name, QString::fromLatin1(QUrl::toPercentEncoding(value)));
    };
    add(u"subtopic"_s, query.subtopic);
    add(u"publisher"_s, query.publisher);
    add(u"name"_s, query.name);
    if (query.from) add(u"from"_s, QString::number(*query.from, 'f', 6));
    if (query.to) add(u"to"_s, QString::number(*query.to, 'f', 6));
    const QByteArray authorization =
        (credential.kind == Credential::Kind::ThingKey ? "Thing " : "Bearer ") + credential.value.toUtf8();
    Pending<QJsonObject> typed;
    send("GET", u"/channels/"_s + pathSegment(channelId) + u"/messages"_s, items, {}, {}, authorization)
        .then(m_network, [typed](const Result<Response> &response) {
            typed.finish(response ? objectBody(*response) : std::unexpected(response.error()));
        });
    return typed;
}

Pending<QJsonObject> RestClient::createRule(const QJsonObject &rule)
{
    return call<QJsonObject>("POST", u"/rules"_s, noQuery(), compact(rule), objectBody);
}

Pending<QJsonObject> RestClient::rule(const QString &id)
{
    return call<QJsonObject>("GET", u"/rules/"_s + pathSegment(id), noQuery(), {}, objectBody);
}

Pending<QJsonObject> RestClient::rules(const QUrlQuery &query)
{
    return call<QJsonObject>("GET", u"/rules"_s, query, {}, objectBody);
}

Pending<QJsonObject> RestClient::updateRule(const QString &id, const QJsonObject &changes)
{
    return call<QJsonObject>("PUT", u"/rules/"_s + pathSegment(id), noQuery(), compact(changes), objectBody);
}

Pending<void> RestClient::removeRule(const QString &id)
{
    return call<void>("DELETE", u"/rules/"_s + pathSegment(id), noQuery(), {}, noBody);
}

Pending<QJsonObject> RestClient::alerts(const QUrlQuery &query)
{
    return call<QJsonObject>("GET", u"/alerts"_s, query, {}, objectBody);
}

Pending<QJsonObject> RestClient::ackAlert(const QString &id)
{
    return call<QJsonObject>("POST", u"/alerts/"_s + pathSegment(id) + u"/ack"_s, noQuery(), {}, objectBody);
}

} // namespace mf::client
