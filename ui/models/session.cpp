#include "session.h"

#include "client/backendprocess.h"
#include "client/restclient.h"
#include "tokenstore.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace mf::ui {

namespace {
constexpr int HealthIntervalMs = 10000;
}

Session::Session(client::BackendProcess *backend, TokenStore *tokens, QObject *parent)
    : QObject(parent), m_backend(backend), m_tokens(tokens), m_events(new client::LiveStream(this))
{
    connect(&m_healthTimer, &QTimer::timeout, this, &Session::checkHealth);
    if (m_backend) {
        connect(m_backend, &client::BackendProcess::ready, this, [this] {
            if (m_profile.isLocal() && m_state == State::Launching) connectTo(m_backend->httpUrl());
        });
        connect(m_backend, &client::BackendProcess::failed, this, [this](const QString &reason) {
            if (m_profile.isLocal() && m_state != State::Idle) failWith(reason);
        });
        connect(m_backend, &client::BackendProcess::stateChanged, this, [this](client::BackendProcess::State s) {
            if (!m_profile.isLocal() || m_state == State::Idle) return;
            if (s == client::BackendProcess::State::Starting) setState(State::Launching);
            if (s == client::BackendProcess::State::Stopped) {
                m_healthy = false;
                Q_EMIT healthChanged();
            }
        });
    }
}

Session::~Session() = default;

QString Session::serverUrl() const
{
    return m_client ? m_client->baseUrl().toString() : QString();
}

QUrl Session::liveUrl() const
{
    if (!m_profile.isLocal()) {
        if (!m_profile.liveUrl.isEmpty()) return m_profile.liveUrl;
        // No stream URL in the profile: the adapter's default port on the server's host (the live view falls back
        // to polling when nothing answers there).
        const QString host = m_profile.url.host();
        const QString scheme = m_profile.url.scheme() == "https"_L1 ? u"wss"_s : u"ws"_s; // TLS on every port or none
        return host.isEmpty() ? QUrl() : QUrl(u"%1://%2:%3"_s.arg(scheme, host).arg(endpointPort(u"ws"_s)));
    }
    const int ws = m_backend ? m_backend->port(u"ws"_s) : 0;
    const QString scheme = m_backend && !m_backend->tlsSha256().isEmpty() ? u"wss"_s : u"ws"_s;
    return ws > 0 ? QUrl(u"%1://127.0.0.1:%2"_s.arg(scheme).arg(ws)) : QUrl();
}

QString Session::endpointHost() const
{
    return m_profile.isLocal() ? u"127.0.0.1"_s : m_profile.url.host();
}

QJsonObject Session::announcedSelf() const
{
    const QString self = m_cluster.value("self"_L1).toString();
    for (const QJsonValue &process : m_cluster.value("processes"_L1).toArray())
        if (process.toObject().value("id"_L1).toString() == self) return process.toObject();
    return {};
}

// The port this server announced about itself in /cluster (its own entry), or 0.
int Session::announcedPort(const QString &name) const
{
    return announcedSelf().value("ports"_L1).toObject().value(name).toInt();
}

client::TlsTrust Session::trustFor(const QString &portName) const
{
    client::TlsTrust trust = m_client ? m_client->trust() : client::TlsTrust{};
    if (trust.pinnedSha256.isEmpty() || trust.insecure) return trust;
    QByteArray own;
    if (m_profile.isLocal()) {
        if (m_backend) own = m_backend->tlsSha256(portName);
    } else {
        const QJsonObject announced = announcedSelf().value("tls"_L1).toObject().value("ports"_L1).toObject();
        own = announced.value(portName).toString().toLatin1();
    }
    if (!own.isEmpty()) trust.pinnedSha256 = own.toUpper();
    return trust;
}

bool Session::endpointKnown(const QString &name) const
{
    return m_profile.isLocal() || announcedPort(name) > 0;
}

int Session::endpointPort(const QString &name) const
{
    if (m_profile.isLocal()) return m_backend ? m_backend->port(name) : 0;
    if (const int announced = announcedPort(name); announced > 0) return announced;
    if (name == u"ws"_s) return m_profile.liveUrl.isEmpty() ? 8186 : m_profile.liveUrl.port(8186);
    if (name == u"mqtt"_s) return 1883;
    if (name == u"mqtt_ws"_s) return 8880;
    if (name == u"coap"_s) return 5683;
    if (name == u"mqtt_tls"_s) return 8883;
    if (name == u"coap_dtls"_s) return 5684;
    return 0;
}

QString Session::devicePortName(const QString &protocol) const
{
    if (devicesUseTls() && protocol == u"mqtt"_s) return u"mqtt_tls"_s;
    if (devicesUseTls() && protocol == u"coap"_s) return u"coap_dtls"_s;
    return protocol;
}

int Session::devicePort(const QString &protocol) const
{
    return endpointPort(devicePortName(protocol));
}

client::TlsTrust Session::deviceTrust(const QString &protocol) const
{
    return trustFor(devicePortName(protocol));
}

void Session::setState(State state)
{
    if (m_state == state) return;
    m_state = state;
    const QUrl live = liveUrl();
    if (state == State::SignedIn && m_client && live.isValid() && !live.isEmpty()) {
        m_events->setTrust(trustFor(u"ws"_s));
        m_events->openEvents(live, m_client->token());
    } else {
        m_events->close();
    }
    Q_EMIT stateChanged(state);
}

void Session::failWith(const QString &message)
{
    m_failure = message;
    m_healthy = false;
    m_healthTimer.stop();
    setState(State::Failed);
    Q_EMIT healthChanged();
}

void Session::open(const Profile &profile)
{
    close();
    ++m_generation;
    m_profile = profile;
    m_failure.clear();
    m_refusedCertificate.clear();
    Q_EMIT profileChanged(m_profile);
    if (profile.isLocal()) {
        if (!m_backend) {
            failWith(tr("This build has no bundled backend."));
            return;
        }
        setState(State::Launching);
        if (m_backend->state() == client::BackendProcess::State::Running)
            connectTo(m_backend->httpUrl());
        else
            m_backend->start();
        return;
    }
    if (!profile.url.isValid() || profile.url.scheme().isEmpty()) {
        failWith(tr("\"%1\" is not a server URL; use http://host:port").arg(profile.url.toString()));
        return;
    }
    connectTo(profile.url);
}

void Session::close()
{
    ++m_generation;
    m_healthTimer.stop();
    if (m_client) {
        m_client->disconnect(this);
        m_client->deleteLater();
        m_client = nullptr;
    }
    m_user = {};
    m_version.clear();
    setState(State::Idle);
}

void Session::connectTo(const QUrl &url)
{
    if (m_client) {
        m_client->disconnect(this);
        m_client->deleteLater();
    }
    m_client = new client::RestClient(url, this);
    m_client->setTimeout(15000);
    if (m_profile.isLocal() && m_backend) {
        m_client->setPinnedSha256(m_backend->tlsSha256()); // exactly what the process we started serves, if TLS
    } else if (!m_profile.isLocal()) {
        const auto trust = tlsTrust(m_profile);
        if (!trust) {
            failWith(trust.error().message);
            return;
        }
        m_client->setTrust(*trust);
    }
    connect(m_client, &client::RestClient::certificateRefused, this,
            [this](const QSslCertificate &certificate) { m_refusedCertificate = certificate; });
    connect(m_client, &client::RestClient::tokenRejected, this, [this](const QString &message) {
        if (m_state != State::SignedIn) return;
        m_client->setToken({});
        m_tokens->remove(m_profile.id);
        setState(State::SignedOut);
        Q_EMIT tokenExpired(message);
    });
    setState(State::Connecting);
    const quint64 generation = m_generation;
    m_client->health().then(this, [this, generation, url](const Result<QJsonObject> &health) {
        if (generation != m_generation) return;
        if (!health && !m_refusedCertificate.isNull() && m_profile.pinnedSha256.isEmpty()) {
            failWith(tr("%1 presents a certificate that no authority this computer trusts has signed (SHA-256 %2).")
                         .arg(url.toString(), QString::fromLatin1(client::sha256Fingerprint(m_refusedCertificate))));
            return;
        }
        if (!health) {
            failWith(tr("%1 does not answer /health: %2").arg(url.toString(), health.error().message));
            return;
        }
        m_health = *health;
        m_healthy = health->value("status"_L1).toString() == "pass"_L1;
        m_client->version().then(this, [this, generation](const Result<QJsonObject> &version) {
            if (generation != m_generation) return;
            if (!version) {
                failWith(tr("the server does not answer /version: %1").arg(version.error().message));
                return;
            }
            m_version = version->value("version"_L1).toString();
            Q_EMIT healthChanged();
            checkCluster();
            m_healthTimer.start(HealthIntervalMs);
            restoreToken();
        });
    });
}

void Session::restoreToken()
{
    const quint64 generation = m_generation;
    m_tokens->load(m_profile.id).then(this, [this, generation](const Result<QString> &token) {
        if (generation != m_generation) return;
        if (!token || token->isEmpty()) {
            setState(State::SignedOut);
            return;
        }
        acceptToken(*token, false);
    });
}

void Session::acceptToken(const QString &token, bool store)
{
    m_client->setToken(token);
    const quint64 generation = m_generation;
    m_client->me().then(this, [this, generation, token, store](const Result<User> &me) {
        if (generation != m_generation) return;
        if (!me) {
            m_client->setToken({});
            if (store) Q_EMIT signInFailed(me.error().message);
            setState(State::SignedOut);
            return;
        }
        m_user = *me;
        if (store) m_tokens->save(m_profile.id, token);
        setState(State::SignedIn);
        Q_EMIT userChanged();
    });
}

void Session::signIn(const QString &email, const QString &password)
{
    if (!m_client) return;
    const quint64 generation = m_generation;
    m_client->issueToken(email, password).then(this, [this, generation, email](const Result<QString> &token) {
        if (generation != m_generation) return;
        if (!token) {
            Q_EMIT signInFailed(token.error().message);
            return;
        }
        m_profile.email = email;
        acceptToken(*token, true);
    });
}

void Session::signUp(const QString &email, const QString &password)
{
    if (!m_client) return;
    const quint64 generation = m_generation;
    m_client->setToken({});
    m_client->createUser(email, password).then(this, [this, generation, email, password](const Result<User> &user) {
        if (generation != m_generation) return;
        if (!user) {
            Q_EMIT signInFailed(user.error().message);
            return;
        }
        m_health.remove("first_account"_L1); // until the next /health says so itself
        signIn(email, password);
    });
}

void Session::signOut()
{
    if (!m_client) return;
    m_client->setToken({});
    m_tokens->remove(m_profile.id);
    m_user = {};
    setState(State::SignedOut);
    Q_EMIT userChanged();
}

void Session::checkHealth()
{
    if (!m_client) return;
    const quint64 generation = m_generation;
    m_client->health().then(this, [this, generation](const Result<QJsonObject> &health) {
        if (generation != m_generation) return;
        const bool healthy = health && health->value("status"_L1).toString() == "pass"_L1;
        m_health = health ? *health : QJsonObject{{u"error"_s, health.error().message}};
        if (healthy != m_healthy || !health) {
            m_healthy = healthy;
        }
        Q_EMIT healthChanged();
    });
    checkCluster();
}

void Session::checkCluster()
{
    if (!m_client) return;
    const quint64 generation = m_generation;
    m_client->cluster().then(this, [this, generation](const Result<QJsonObject> &cluster) {
        if (generation != m_generation) return;
        m_cluster = cluster ? *cluster : QJsonObject(); // a server without /cluster (Mainflux 0.7) shows none
        // The WebSocket port may have a certificate of its own, known from now on: the event stream's next
        // (re)connection pins it.
        m_events->setTrust(trustFor(u"ws"_s));
        Q_EMIT clusterChanged();
    });
}

} // namespace mf::ui
