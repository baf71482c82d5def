#pragma once

#include "core/entities.h"
#include "pending.h"
#include "tlstrust.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QSslCertificate>
#include <QUrl>
#include <QUrlQuery>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace mf::client {

// A raw HTTP answer with a 2xx status (anything else becomes an Error).
struct Response
{
    int status = 0;
    QByteArray body;
    QByteArray location; // the Location header of 201 answers
};

// Filters of GET /channels/{id}/messages (the reader API).
struct MessageQuery
{
    qint64 offset = 0;
    qint64 limit = 10;
    QString subtopic;
    QString publisher;
    QString name;
    std::optional<double> from; // seconds since the epoch, SenML style
    std::optional<double> to;
};

// Who reads messages: the channel owner's user token or a connected thing's key.
struct Credential
{
    enum class Kind { UserToken, ThingKey };
    Kind kind = Kind::UserToken;
    QString value;
};

// The REST API of a Mainflux backend (users, things, channels, connections, HTTP messages, reader), one method per
// route. Every method returns at once with a Pending result: the GUI registers a callback with `then()`, the CLI
// blocks with `wait()` (a local event loop). Errors come back as mf::Error with the server's message and the error
// code mapped back from the HTTP status (errorCodeForStatus); a backend that cannot be reached is
// ErrorCode::Unavailable ("cannot reach http://...: connection refused").
//
// Threading: use from the thread that created it. Ownership: replies belong to the client; destroying it aborts
// pending requests, which finish with ErrorCode::Unavailable.
class RestClient final : public QObject
{
    Q_OBJECT

public:
    explicit RestClient(const QUrl &baseUrl, QObject *parent = nullptr);
    ~RestClient() override;
    Q_DISABLE_COPY_MOVE(RestClient)

    QUrl baseUrl() const { return m_baseUrl; }
    void setToken(const QString &token) { m_token = token; } // user token sent as "Authorization: Bearer <token>"
    QString token() const { return m_token; }
    // Which servers to believe (tlstrust.h): the system's CAs, these CAs too, exactly one pinned certificate, or any.
    void setTrust(const TlsTrust &trust) { m_trust = trust; }
    TlsTrust trust() const { return m_trust; }
    void setInsecure(bool insecure) { m_trust.insecure = insecure; } // accept any TLS certificate (self-signed labs)
    // Servers are verified against the system's CAs; these are trusted too (mainflux-cli --ca, a lab's own CA).
    void setCaCertificates(const QList<QSslCertificate> &certificates) { m_trust.caCertificates = certificates; }
    // Trust exactly the server certificate with this SHA-256 fingerprint (upper-case hex with colons, as the ready
    // line's tls.sha256 and `--make-dev-cert` print it), self-signed or not; any other certificate is refused with an
    // error that names what was seen. The base of trust on first use; ignored with setInsecure(true).
    void setPinnedSha256(const QByteArray &fingerprint) { m_trust.pinnedSha256 = fingerprint.toUpper(); }
    void setTimeout(int milliseconds);

    // Operations
    Pending<QJsonObject> health();
    // {"things", "channels", "connections"} of the signed-in user.
    Pending<QJsonObject> stats();
    Pending<QJsonObject> version();
    // Every process of the cluster as the server heard them (GET /cluster, docs/cluster.md).
    Pending<QJsonObject> cluster();

    // Users. createUser sends the token when one is set (an administrator creating an account).
    Pending<User> createUser(const QString &email, const QString &password);
    Pending<QString> issueToken(const QString &email, const QString &password);
    Pending<User> me();
    Pending<void> changePassword(const QString &oldPassword, const QString &newPassword);
    Pending<Page<User>> users(const PageQuery &query); // administrators; query.name filters by e-mail
    Pending<User> user(const QString &id);
    Pending<User> setUserEnabled(const QString &id, bool enabled);
    Pending<void> removeUser(const QString &id);
    Pending<void> resetPassword(const QString &id, const QString &newPassword);

    // Things. Bodies are JSON objects as the API takes them ({"type","name","metadata","key"}).
    Pending<Thing> createThing(const QJsonObject &thing);
    Pending<QList<Thing>> createThings(const QJsonArray &things);
    Pending<Thing> thing(const QString &id);
    Pending<Page<Thing>> things(const PageQuery &query);
    Pending<Thing> updateThing(const QString &id, const QJsonObject &changes);
    Pending<void> removeThing(const QString &id);
    Pending<QString> rotateThingKey(const QString &id, const std::optional<QString> &newKey = std::nullopt);
    Pending<Page<Channel>> channelsOfThing(const QString &thingId, const PageQuery &query);

    // Channels
    Pending<Channel> createChannel(const QJsonObject &channel);
    Pending<QList<Channel>> createChannels(const QJsonArray &channels);
    Pending<Channel> channel(const QString &id);
    Pending<Page<Channel>> channels(const PageQuery &query);
    Pending<Channel> updateChannel(const QString &id, const QJsonObject &changes);
    Pending<void> removeChannel(const QString &id);
    Pending<Page<Thing>> thingsOfChannel(const QString &channelId, const PageQuery &query);

    // Connections
    Pending<void> connectThing(const QString &channelId, const QString &thingId);
    Pending<void> disconnectThing(const QString &channelId, const QString &thingId);
    Pending<void> connectMany(const QStringList &channelIds, const QStringList &thingIds);
    Pending<void> disconnectMany(const QStringList &channelIds, const QStringList &thingIds);

    // Device status and last values (services/status): {"online", "last_seen", ..., "history": [...]} and
    // {"total", "values": [records in the reader's shape]}.
    Pending<QJsonObject> thingStatus(const QString &thingId);
    Pending<QJsonObject> latestOfThing(const QString &thingId);
    Pending<QJsonObject> latestOfChannel(const QString &channelId);
    // Refused messages, newest first: {"total", "refusals": [{"at", "channel", "thing", "protocol", "client",
    // "reason", "payload" | "payload_base64", "payload_size"}]}.
    Pending<QJsonObject> refusalsOfThing(const QString &thingId);
    Pending<QJsonObject> refusalsOfChannel(const QString &channelId);

    // Alert rules and alerts (docs/fleet.md "Alerts" has the JSON). `query` carries offset, limit and filters (rules:
    // channel, name; alerts: state=firing|cleared, rule).
    Pending<QJsonObject> createRule(const QJsonObject &rule);
    Pending<QJsonObject> rule(const QString &id);
    Pending<QJsonObject> rules(const QUrlQuery &query);
    Pending<QJsonObject> updateRule(const QString &id, const QJsonObject &changes);
    Pending<void> removeRule(const QString &id);
    Pending<QJsonObject> alerts(const QUrlQuery &query);
    Pending<QJsonObject> ackAlert(const QString &id);

    // Messages: publish as a thing (HTTP adapter, 202) and read a channel's stored messages (reader API).
    Pending<void> sendMessage(const QString &channelId, const QString &subtopic, const QString &contentType,
                              const QByteArray &payload, const QString &thingKey);
    Pending<QJsonObject> readMessages(const QString &channelId, const MessageQuery &query,
                                      const Credential &credential);

    // The generic request every method above uses; `authorization` is the full header value (empty: none).
    Pending<Response> send(const QByteArray &method, const QString &encodedPath, const QUrlQuery &query,
                           const QByteArray &body, const QByteArray &contentType, const QByteArray &authorization);

Q_SIGNALS:
    // A request carrying the user token was answered 401: the token expired or was revoked. The GUI signs in again
    // without leaving the page; the Pending still finishes with the error.
    void tokenRejected(const QString &message);
    // A TLS handshake was refused because of the server's certificate (it does not verify and is not pinned, or it
    // is not the pinned one); the request fails with ErrorCode::Unavailable. Trust on first use starts here.
    void certificateRefused(const QSslCertificate &certificate);

private:
    template <typename T>
    Pending<T> call(const QByteArray &method, const QString &encodedPath, const QUrlQuery &query,
                    const QByteArray &body, std::function<Result<T>(const Response &)> parse);
    Pending<Response> sendJson(const QByteArray &method, const QString &encodedPath, const QJsonValue &body);
    QByteArray userAuthorization() const;
    QUrl urlFor(const QString &encodedPath, const QUrlQuery &query) const;

    QUrl m_baseUrl;
    QString m_token;
    TlsTrust m_trust;
    int m_timeout = 30000;
    QNetworkAccessManager *m_network; // child
};

// A path segment percent-encoded, so an id can never change the route ("../users" stays one segment).
QString pathSegment(const QString &segment);
QUrlQuery pageQueryItems(const PageQuery &query);

} // namespace mf::client
